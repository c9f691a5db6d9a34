package badger

import (
	"errors"

	bdg "github.com/dgraph-io/badger/v4"
)

var (
	// ErrCorrupt is returned when a stored record cannot be decoded.
	ErrCorrupt = errors.New("badger: corrupt record")
	// ErrInvalid is returned for arguments the store refuses to write.
	ErrInvalid = errors.New("badger: invalid argument")
	// ErrReadOnly is returned when a write is attempted with a context that
	// carries a read-only transaction (from View).
	ErrReadOnly = errors.New("badger: write in read-only transaction")
	// ErrTooManyConflicts is returned by Update when every attempt
	// conflicted with a concurrent transaction.
	ErrTooManyConflicts = errors.New("badger: too many transaction conflicts")
	// ErrPreKeyIDsExhausted is returned by AllocatePreKeyIDs when the
	// one-time prekey ID space is used up.
	ErrPreKeyIDsExhausted = errors.New("badger: prekey ids exhausted")
	// ErrTxnTooBig is Badger's error for a transaction that does not fit in
	// one batch; errors returned by this package wrap it, so callers can
	// test for it without importing Badger.
	ErrTxnTooBig = bdg.ErrTxnTooBig
)
