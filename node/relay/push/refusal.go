package push

import (
	"errors"
	"fmt"

	"github.com/pigeon-net/pigeon/protocol/pb"
)

// Refusal says why a relay does not push to a device's endpoint. The zero
// value, NotRefused, means it does. A relay tells a registering device its
// Refusal (pb.PushStatus in the mailbox protocol), so the device can show
// the reason instead of waiting for wake-ups that never come.
type Refusal uint8

// Refusals, numbered as pb.PushRefusal.
const (
	NotRefused       Refusal = iota // the relay pushes to the endpoint
	RefusedDisabled                 // the relay does not push at all
	RefusedNoGateway                // the relay has no credentials for the endpoint's kind
	RefusedInvalid                  // the endpoint does not decode or validate
	RefusedPlainHTTP                // an http:// URL where https is required
	RefusedLoopback                 // the URL names or resolves to a loopback address
	RefusedPrivate                  // the URL names or resolves to a private address the relay does not allow
	RefusedGone                     // the push service said the endpoint no longer exists
	RefusedRejected                 // the push service rejected pushes to the endpoint
	numRefusals
)

var refusalText = [numRefusals]struct{ code, reason string }{
	NotRefused:       {"", "accepted"},
	RefusedDisabled:  {"disabled", "push is not enabled on the relay"},
	RefusedNoGateway: {"no_gateway", "the relay has no credentials for this kind of endpoint"},
	RefusedInvalid:   {"invalid", "invalid endpoint"},
	RefusedPlainHTTP: {"plain_http", "plain http not allowed (use https)"},
	RefusedLoopback:  {"loopback", "loopback address not allowed"},
	RefusedPrivate:   {"private_address", "private address not allowed"},
	RefusedGone:      {"gone", "the push service says the endpoint no longer exists"},
	RefusedRejected:  {"rejected", "the push service rejected the endpoint"},
}

// String is a short sentence for people, such as "private address not
// allowed".
func (r Refusal) String() string {
	if r < numRefusals {
		return refusalText[r].reason
	}
	return fmt.Sprintf("refused (reason %d unknown to this version)", uint8(r))
}

// Code is a stable identifier for programs, such as "private_address";
// empty for NotRefused.
func (r Refusal) Code() string {
	if r < numRefusals {
		return refusalText[r].code
	}
	return fmt.Sprintf("unknown_%d", uint8(r))
}

// RefusalOf classifies an error from validation (Endpoint.Validate,
// UnmarshalEndpoint, Dispatcher.Accept) or from a push that failed for
// good. Errors that say nothing about the endpoint (credentials, an
// unavailable gateway, a closed dispatcher) give NotRefused.
func RefusalOf(err error) Refusal {
	switch {
	case err == nil:
		return NotRefused
	case errors.Is(err, ErrPlainHTTP):
		return RefusedPlainHTTP
	case errors.Is(err, ErrLoopbackAddress):
		return RefusedLoopback
	case errors.Is(err, ErrPrivateAddress):
		return RefusedPrivate
	case errors.Is(err, ErrInvalidEndpoint):
		return RefusedInvalid
	case errors.Is(err, ErrNoCredentials):
		return RefusedNoGateway
	case errors.Is(err, ErrGone):
		return RefusedGone
	case errors.Is(err, ErrInvalid):
		return RefusedRejected
	}
	return NotRefused
}

// PB is r on the wire.
func (r Refusal) PB() pb.PushRefusal { return pb.PushRefusal(r) }

// RefusalFromPB reads a refusal off the wire; codes this version does not
// know keep their number (String says so).
func RefusalFromPB(c pb.PushRefusal) Refusal {
	if c < 0 || c > 255 {
		return Refusal(255)
	}
	return Refusal(c)
}
