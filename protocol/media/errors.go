package media

import "errors"

var (
	// ErrDecrypt is returned when a segment does not authenticate: wrong
	// key, corrupt, reordered or truncated ciphertext.
	ErrDecrypt = errors.New("media: decryption failed")
	// ErrDigest is returned when a digest does not match the manifest.
	ErrDigest = errors.New("media: digest mismatch")
	// ErrSize is returned when the data is longer or shorter than the
	// manifest says.
	ErrSize = errors.New("media: size mismatch")
	// ErrBadBlock is returned when a block's bytes do not hash to its CID,
	// or a block does not decode as part of a media DAG.
	ErrBadBlock = errors.New("media: bad block")
	// ErrBadManifest is returned for manifests that fail a field check.
	ErrBadManifest = errors.New("media: malformed manifest")
	// ErrNotFound is returned when no provider holds a block.
	ErrNotFound = errors.New("media: block not found")
	// ErrNoProviders is returned when a fetch has nobody to ask.
	ErrNoProviders = errors.New("media: no providers")
	// ErrUnavailable is returned (joined with the fetch's other errors)
	// when a provider could not be reached or its stream broke: a later
	// attempt may succeed where this one failed.
	ErrUnavailable = errors.New("media: provider unavailable")
	// ErrMalformed is returned for protocol frames that do not decode or
	// fail a field check.
	ErrMalformed = errors.New("media: malformed frame")
	// ErrTooLarge is returned for frames, blocks or DAGs over their limit.
	ErrTooLarge = errors.New("media: too large")
	// ErrRefused is returned when a relay refuses a pin.
	ErrRefused = errors.New("media: refused")
	// ErrQuota is returned when a pin would exceed the relay's quota.
	ErrQuota = errors.New("media: quota exceeded")
	// ErrClosed is returned after Close.
	ErrClosed = errors.New("media: closed")
)

// ErrFetchFailed is returned when a relay could not fetch or verify the
// blocks it was asked to pin.
var ErrFetchFailed = errors.New("media: relay could not fetch the blocks")

func isErr(err, target error) bool { return errors.Is(err, target) }
