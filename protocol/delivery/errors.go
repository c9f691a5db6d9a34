package delivery

import (
	"errors"
	"fmt"

	"github.com/libp2p/go-libp2p/core/network"

	"github.com/pigeon-net/pigeon/protocol/pb"
)

var (
	// ErrMalformed is returned for frames that do not decode or fail a field check.
	ErrMalformed = errors.New("malformed envelope")
	// ErrTooLarge is returned for frames over MaxFrameSize.
	ErrTooLarge = errors.New("envelope too large")
	// ErrClosed is returned after Close.
	ErrClosed = errors.New("delivery closed")
	// ErrAckMismatch is returned when an ack names another message.
	ErrAckMismatch = errors.New("ack for unexpected message")
	// ErrStreamBroken is returned for envelopes in flight when the stream fails.
	ErrStreamBroken = errors.New("delivery stream broken")
)

// StreamErrorCodeBase is added to a pb.ErrorCode when a stream is reset
// because of it, so the peer can tell our codes from libp2p's own.
const StreamErrorCodeBase network.StreamErrorCode = 0x50000

// CodeError is returned when a peer acks an envelope with a non-OK code.
type CodeError struct{ Code pb.ErrorCode }

func (e *CodeError) Error() string { return fmt.Sprintf("peer rejected envelope: %s", e.Code) }

// Fatal reports whether the code means the peer closed the stream. The
// codes that ask to retry later (INTERNAL, RATE_LIMITED, STORAGE_FULL)
// leave it open: the envelopes after one get their own codes.
func Fatal(c pb.ErrorCode) bool {
	switch c {
	case pb.ErrorCode_OK, pb.ErrorCode_INTERNAL, pb.ErrorCode_RATE_LIMITED, pb.ErrorCode_STORAGE_FULL:
		return false
	}
	return true
}
