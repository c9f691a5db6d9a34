package identity

import "errors"

var (
	// ErrMalformedID is returned for account IDs of the wrong shape.
	ErrMalformedID = errors.New("malformed account id")
	// ErrBadChecksum is returned for account IDs whose checksum does not match.
	ErrBadChecksum = errors.New("account id checksum mismatch")
)
