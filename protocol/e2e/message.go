package e2e

import (
	"context"
	"errors"
	"fmt"

	"go.mau.fi/libsignal/ecc"
	"go.mau.fi/libsignal/protocol"
	"go.mau.fi/libsignal/signalerror"
)

const (
	// MaxCiphertextSize is the largest ciphertext Decrypt accepts.
	MaxCiphertextSize = 256 << 10

	// MessageTypeSignal is a SignalMessage on an established session.
	MessageTypeSignal uint32 = protocol.WHISPER_TYPE
	// MessageTypePreKey is a PreKeySignalMessage, which also sets up the
	// session on the receiving side.
	MessageTypePreKey uint32 = protocol.PREKEY_TYPE
)

// libsignal's parsers index into fields without checking their length, so
// both parsers check every key field before building the message.

func parseSignalMessage(b []byte) (*protocol.SignalMessage, error) {
	if len(b) == 0 {
		return nil, fmt.Errorf("%w: empty message", ErrMalformed)
	}
	st, err := ser.SignalMessage.Deserialize(b)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if err := checkKeyField(st.RatchetKey); err != nil {
		return nil, fmt.Errorf("%w: ratchet key", err)
	}
	m, err := protocol.NewSignalMessageFromStruct(st, ser.SignalMessage)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	return m, nil
}

func parsePreKeyMessage(b []byte) (*protocol.PreKeySignalMessage, error) {
	if len(b) == 0 {
		return nil, fmt.Errorf("%w: empty message", ErrMalformed)
	}
	st, err := ser.PreKeySignalMessage.Deserialize(b)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if err := checkKeyField(st.BaseKey); err != nil {
		return nil, fmt.Errorf("%w: base key", err)
	}
	if err := checkKeyField(st.IdentityKey); err != nil {
		return nil, fmt.Errorf("%w: identity key", err)
	}
	if st.PreKeyID != nil && !st.PreKeyID.IsEmpty && st.PreKeyID.Value > LastResortPreKeyID {
		return nil, fmt.Errorf("%w: prekey id out of range", ErrMalformed)
	}
	// Validate the embedded SignalMessage; NewPreKeySignalMessageFromStruct
	// parses it again.
	if _, err := parseSignalMessage(st.Message); err != nil {
		return nil, err
	}
	m, err := protocol.NewPreKeySignalMessageFromStruct(st, ser.PreKeySignalMessage, ser.SignalMessage)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	return m, nil
}

func checkKeyField(k []byte) error {
	if len(k) != keySize || k[0] != ecc.DjbType {
		return fmt.Errorf("%w: key of %d bytes", ErrMalformed, len(k))
	}
	return nil
}

// storeError marks an error returned by the Store, so it is not mistaken
// for a decryption failure.
type storeError struct{ err error }

func (e storeError) Error() string { return e.err.Error() }
func (e storeError) Unwrap() error { return e.err }

// callbackError marks an error returned by the caller's fn; it is returned
// unchanged.
type callbackError struct{ err error }

func (e callbackError) Error() string { return e.err.Error() }
func (e callbackError) Unwrap() error { return e.err }

// errSessionIdentity is returned by txStore when a session about to be
// stored belongs to another identity than the sender's certificate names.
var errSessionIdentity = errors.New("session identity does not match certificate")

// errPanic marks a panic recovered from libsignal.
var errPanic = errors.New("libsignal panic")

// classify maps an error from a libsignal operation run inside Update to
// the package sentinels: store, context and callback errors pass through,
// known libsignal conditions get their sentinel, and anything else is
// wrapped in fallback (ErrDecrypt for Decrypt) when it is non-nil.
func classify(op string, err error, fallback error) error {
	var se storeError
	var ce callbackError
	switch {
	case errors.As(err, &ce):
		return ce.err
	case errors.As(err, &se):
		return fmt.Errorf("%s: %w", op, se.err)
	case errors.Is(err, ErrNoSession), errors.Is(err, ErrUntrustedIdentity):
		return fmt.Errorf("%s: %w", op, err)
	case errors.Is(err, errSessionIdentity), errors.Is(err, signalerror.ErrUntrustedIdentity):
		return fmt.Errorf("%s: %w: %w", op, ErrUntrustedIdentity, err)
	case errors.Is(err, signalerror.ErrOldCounter):
		return fmt.Errorf("%s: %w: %w", op, ErrReplay, err)
	case errors.Is(err, signalerror.ErrNoSessionForUser):
		return fmt.Errorf("%s: %w", op, ErrNoSession)
	case errors.Is(err, signalerror.ErrInvalidSignature):
		return fmt.Errorf("%s: %w: %w", op, ErrBadSignature, err)
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("%s: %w", op, err)
	case fallback != nil:
		return fmt.Errorf("%s: %w: %w", op, fallback, err)
	default:
		return fmt.Errorf("%s: %w", op, err)
	}
}

// safely runs f and turns a panic inside libsignal (whose parsers and
// record code index without bounds checks) into an error.
func safely(f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: %v", errPanic, r)
		}
	}()
	return f()
}
