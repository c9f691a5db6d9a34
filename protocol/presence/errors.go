package presence

import (
	"errors"
	"fmt"

	"github.com/libp2p/go-libp2p/core/network"

	"github.com/pigeon-net/pigeon/protocol/pb"
)

var (
	// ErrMalformed is returned for frames that do not decode or fail a field check.
	ErrMalformed = errors.New("malformed presence frame")
	// ErrTooLarge is returned for frames or lists over their limits.
	ErrTooLarge = errors.New("presence frame too large")
	// ErrClosed is returned after Close.
	ErrClosed = errors.New("presence closed")
	// ErrDisconnected is returned when the stream to the relay broke before
	// a query was answered.
	ErrDisconnected = errors.New("presence stream to relay broken")
	// ErrOptionTwice is returned when an option is given more than once.
	ErrOptionTwice = errors.New("option given twice")
	// ErrBadOption is returned for option values out of range.
	ErrBadOption = errors.New("bad option value")
	// ErrWrongPeer is returned when a certificate names another peer than
	// the stream's remote end (or, for a Client, than its own host).
	ErrWrongPeer = errors.New("certificate of another peer")
)

// StreamErrorCodeBase is added to a pb.ErrorCode when a stream is reset
// because of it. It is the same base as delivery's: the codes come from the
// one pb.ErrorCode catalog.
const StreamErrorCodeBase network.StreamErrorCode = 0x50000

// StreamErrorTimeout resets a stream that sent nothing for the hub's
// timeout, or whose reader did not take the hub's frames for as long. It is
// outside the pb.ErrorCode range.
const StreamErrorTimeout network.StreamErrorCode = StreamErrorCodeBase + 0xffff

// CodeError is returned when the hub closed the stream with an error code.
type CodeError struct{ Code pb.ErrorCode }

func (e *CodeError) Error() string {
	msg := fmt.Sprintf("presence hub closed the stream: %s", e.Code)
	switch e.Code {
	case pb.ErrorCode_UNKNOWN_SENDER:
		msg += " (the relay announces only devices whose mailbox is registered there: register first)"
	case pb.ErrorCode_TOO_LARGE:
		msg += " (more accounts watched than the relay allows this stream, device or account: watch fewer)"
	case pb.ErrorCode_RATE_LIMITED:
		msg += " (the relay watches as many accounts as it can: try again later)"
	case pb.ErrorCode_INTERNAL:
		msg += " (the relay failed: try again later)"
	}
	return msg
}

// ErrNotAnnouncing is returned by SetPrivacy on a client made without
// WithPrivacy.
var ErrNotAnnouncing = errors.New("presence client does not announce")
