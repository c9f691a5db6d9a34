package push

import (
	"errors"
	"fmt"
	"time"
)

var (
	// ErrInvalidEndpoint is returned for endpoints that fail validation or do
	// not decode.
	ErrInvalidEndpoint = errors.New("invalid push endpoint")
	// ErrGone is returned when the gateway says the endpoint no longer exists
	// (unregistered token, deleted UnifiedPush endpoint). The relay should
	// delete it.
	ErrGone = errors.New("push endpoint gone")
	// ErrInvalid is returned when the gateway rejects the request as invalid
	// for a reason retrying cannot fix (bad topic, wrong sender, bad
	// credentials).
	ErrInvalid = errors.New("push request rejected")
	// ErrNoCredentials is returned for endpoints of a kind whose gateway has
	// no credentials configured on this relay.
	ErrNoCredentials = errors.New("push gateway not configured")
	// ErrCredentials is returned for service-account or APNs key material
	// that does not parse.
	ErrCredentials = errors.New("invalid push credentials")
	// ErrUnavailable is returned when the gateway failed in a way worth
	// retrying (429, 5xx, network errors) and the retries ran out.
	ErrUnavailable = errors.New("push gateway unavailable")
	// ErrClosed is returned by Notify after Close, and by a second Close.
	ErrClosed = errors.New("push dispatcher closed")

	// ErrPlainHTTP, ErrLoopbackAddress and ErrPrivateAddress say why an
	// endpoint URL is refused (they come wrapped with ErrInvalidEndpoint
	// from validation; the last two also come from a dial that resolved
	// the endpoint's host to such an address).
	ErrPlainHTTP       = errors.New("plain http not allowed")
	ErrLoopbackAddress = errors.New("loopback address not allowed")
	ErrPrivateAddress  = errors.New("private address not allowed")
)

// retryError marks a failure worth retrying; after is the gateway's
// Retry-After (zero when it sent none).
type retryError struct {
	after time.Duration
	err   error
}

func (e *retryError) Error() string { return e.err.Error() }
func (e *retryError) Unwrap() error { return e.err }

func retryable(after time.Duration, format string, args ...any) error {
	return &retryError{after: after, err: fmt.Errorf("%w: "+format, append([]any{ErrUnavailable}, args...)...)}
}

// authError marks a rejected access token or provider token: the gateway
// refreshes its credential once and tries again.
type authError struct{ err error }

func (e *authError) Error() string { return e.err.Error() }
func (e *authError) Unwrap() error { return e.err }
