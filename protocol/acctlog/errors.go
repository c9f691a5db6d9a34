package acctlog

import (
	"errors"
	"fmt"

	"github.com/pigeon-net/pigeon/protocol/pb"
)

var (
	// ErrMalformed is returned for ops and frames that do not decode or
	// fail a field check.
	ErrMalformed = errors.New("malformed")
	// ErrTooLarge is returned for ops, fields and frames over their limit.
	ErrTooLarge = errors.New("too large")
	// ErrBadSignature is returned when an op's signature does not verify
	// with its author's certified key, or the certificate is for another
	// account or device.
	ErrBadSignature = errors.New("bad signature")
	// ErrUnknownDevice is returned when the author's certificate cannot be
	// found; it wraps what the lookup returned.
	ErrUnknownDevice = errors.New("unknown device")
	// ErrRevokedDevice is returned for an op of a revoked device after the
	// last it may have authored (see Author); it wraps ErrUnknownDevice,
	// so callers that refuse unknown authors refuse it too.
	ErrRevokedDevice = fmt.Errorf("%w: op after the device's revocation", ErrUnknownDevice)
	// ErrRefused is returned by Pull when the peer answers with an error
	// code (*CodeError tells which).
	ErrRefused = errors.New("account log sync refused")
	// ErrProtocol is returned by Pull when the peer breaks the protocol:
	// frames out of order, more ops than it announced, or ops the
	// requester said it holds.
	ErrProtocol = errors.New("protocol violation")
)

// CodeError is a refusal by the peer. pb.ErrorCode_UNKNOWN_SENDER: the
// peer does not take this device for one of the account's;
// pb.ErrorCode_WRONG_RECIPIENT: the peer keeps another account's log.
type CodeError struct{ Code pb.ErrorCode }

func (e *CodeError) Error() string { return fmt.Sprintf("account log sync refused: %s", e.Code) }
func (e *CodeError) Unwrap() error { return ErrRefused }

// ErrWrongAccount is returned by Open when the op's account is not the
// account of its author's certificate.
var ErrWrongAccount = errors.New("op of another account")
