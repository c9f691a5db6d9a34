package backup

import "errors"

// Sentinel errors. Functions wrap them with %w and say which object is
// concerned and what the user can do next; test with errors.Is.
var (
	// ErrNotFound: a Target has no object of that name.
	ErrNotFound = errors.New("not found")
	// ErrExists: Init found a repository already there.
	ErrExists = errors.New("a backup repository already exists there")
	// ErrWrongKey: the recovery key or passphrase does not open this repository.
	ErrWrongKey = errors.New("wrong recovery key or passphrase: check it and retry")
	// ErrBadRecoveryKey: a typed recovery key is malformed (a typo); no KDF or
	// network was used to find out.
	ErrBadRecoveryKey = errors.New("not a valid recovery key: check for typos (64 characters, 0-9 and A-Z)")
	// ErrWeakPassphrase: a passphrase is shorter than MinPassphraseLen characters.
	ErrWeakPassphrase = errors.New("passphrase too short: use at least 10 characters")
	// ErrCorrupt: an object is malformed or missing (damage, a partial copy).
	ErrCorrupt = errors.New("backup damaged")
	// ErrTampered: an object failed authentication (changed, swapped, or
	// signed by another key).
	ErrTampered = errors.New("authentication failed: the backup was changed or damaged")
	// ErrBusy: another device is backing up to or pruning the same
	// repository (its lock object is fresh); retry later.
	ErrBusy = errors.New("the backup repository is busy: another device is backing up or pruning; retry later")
)
