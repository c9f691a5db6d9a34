package mailboxstore

import "errors"

var (
	// ErrCorrupt is returned when a stored record does not decode.
	ErrCorrupt = errors.New("mailbox store: corrupt record")
	// ErrInvalid is returned for bad Options.
	ErrInvalid = errors.New("mailbox store: invalid options")
)
