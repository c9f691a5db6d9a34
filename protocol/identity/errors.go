package identity

import "errors"

var (
	// ErrMalformedID is returned for account IDs of the wrong shape.
	ErrMalformedID = errors.New("malformed account id")
	// ErrBadChecksum is returned for account IDs whose checksum does not match.
	ErrBadChecksum = errors.New("account id checksum mismatch")

	// ErrMalformed is returned for certificates, device lists and inputs that
	// do not decode or fail a field check.
	ErrMalformed = errors.New("malformed")
	// ErrTooLarge is returned when a record or one of its lists is over its limit.
	ErrTooLarge = errors.New("too large")
	// ErrBadSignature is returned when an account signature does not verify.
	ErrBadSignature = errors.New("bad signature")
	// ErrForeignCertificate is returned when a device list carries a
	// certificate of another account.
	ErrForeignCertificate = errors.New("certificate of another account")
	// ErrDuplicateDevice is returned when a device list names the same device
	// ID or peer ID twice.
	ErrDuplicateDevice = errors.New("duplicate device")
	// ErrWrongAccount is returned when a record is stored under, or signed
	// for, another account than the one expected.
	ErrWrongAccount = errors.New("wrong account")
	// ErrBadKey is returned for DHT keys outside the device-list namespace.
	ErrBadKey = errors.New("bad record key")
)
