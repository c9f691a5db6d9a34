package e2e

import "errors"

var (
	// ErrReplay is returned by Decrypt for a message that was already
	// decrypted (its counter is behind the chain and its key was used).
	ErrReplay = errors.New("replayed message")
	// ErrUntrustedIdentity is returned when a peer's Signal identity key does
	// not match the one its device certificate vouches for.
	ErrUntrustedIdentity = errors.New("untrusted identity")
	// ErrNoSession is returned when no Signal session exists for an address.
	ErrNoSession = errors.New("no session")
	// ErrDecrypt is returned for ciphertexts that do not decrypt: bad MAC,
	// malformed or truncated messages, unknown ratchet state.
	ErrDecrypt = errors.New("decrypt failed")
	// ErrUnsupportedType is returned for message types other than 2
	// (SignalMessage) and 3 (PreKeySignalMessage).
	ErrUnsupportedType = errors.New("unsupported message type")

	// ErrMalformed is returned for bundles and prekey responses that do not
	// decode or fail a field check.
	ErrMalformed = errors.New("malformed")
	// ErrTooLarge is returned for frames or fields over their limit.
	ErrTooLarge = errors.New("too large")
	// ErrBadSignature is returned when a signed prekey signature does not
	// verify with the bundle's identity key.
	ErrBadSignature = errors.New("bad signed prekey signature")
	// ErrWrongDevice is returned when a bundle's certificate names another
	// account or device than the one asked for.
	ErrWrongDevice = errors.New("bundle of another device")
	// ErrIdentityMismatch is returned when a bundle's keys do not match the
	// Signal identity key in its certificate.
	ErrIdentityMismatch = errors.New("identity key does not match certificate")
	// ErrRefused is returned by FetchBundle when the peer answers with an
	// error code.
	ErrRefused = errors.New("prekey request refused")
	// ErrNotInitialized is returned by Bundle before Init succeeded.
	ErrNotInitialized = errors.New("not initialized")
)
