package push

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"syscall"
	"time"
)

// maxResponseBody bounds how much of a gateway's response body is read.
const maxResponseBody = 64 << 10

// gateway sends one wake-up. It returns nil, an error wrapping ErrGone or
// ErrInvalid, or a *retryError.
type gateway interface {
	send(ctx context.Context, ep Endpoint) error
}

// readBody reads at most maxResponseBody bytes of resp's body, drains a
// little more so the connection can be reused, and closes it.
func readBody(resp *http.Response) []byte {
	b, _ := io.ReadAll(io.LimitReader(resp.Body, maxResponseBody))
	_, _ = io.CopyN(io.Discard, resp.Body, maxResponseBody)
	resp.Body.Close()
	return b
}

// retryAfter parses a Retry-After header: delay-seconds or an HTTP-date
// (RFC 9110 §10.2.3). Missing or malformed headers give zero.
func retryAfter(h http.Header, now time.Time) time.Duration {
	v := h.Get("Retry-After")
	if v == "" {
		return 0
	}
	if n, err := strconv.ParseUint(v, 10, 32); err == nil {
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// transportError classifies a failed round trip: a dial the address policy
// refused fails for good, other network failures are retried, a cancelled
// context is returned as is. The request URL is stripped: it holds the
// endpoint's capability (UnifiedPush URL, APNs device token), which must
// not reach the logs.
func transportError(ctx context.Context, op string, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("%s: %w", op, ctx.Err())
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	if errors.Is(err, ErrLoopbackAddress) || errors.Is(err, ErrPrivateAddress) {
		return fmt.Errorf("%s: %w", op, err)
	}
	return retryable(0, "%s: %s", op, err)
}

// noRedirects is the CheckRedirect of every client the dispatcher uses:
// UnifiedPush forbids following redirects on push endpoints, and no gateway
// API redirects.
func noRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// dialControl checks, just before each connection, the address the dialer
// resolved the host to: validating the URL's host name is not enough, as
// its DNS records may point anywhere (and change between the check and the
// dial).
func (p addrPolicy) dialControl(_, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return err
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return err
	}
	if err := p.check(ip); err != nil {
		return fmt.Errorf("refusing to connect to %s: %w", ip, err)
	}
	return nil
}

// defaultClient returns an HTTP/2-capable client that connects only to the
// addresses policy allows, so a device cannot aim the relay at its own
// network through DNS. resolver is nil outside tests.
func defaultClient(policy addrPolicy, resolver *net.Resolver) *http.Client {
	d := &net.Dialer{Timeout: 10 * time.Second, Control: policy.dialControl, Resolver: resolver}
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.Proxy = nil
	t.DialContext = d.DialContext
	t.ForceAttemptHTTP2 = true
	t.MaxIdleConnsPerHost = 16
	return &http.Client{Transport: t, Timeout: 30 * time.Second, CheckRedirect: noRedirects}
}

// lifetimeTransport sends every request with ctx: the oauth2 token
// source makes its requests without a context, and this gives them the
// dispatcher's lifetime.
type lifetimeTransport struct {
	base http.RoundTripper
	ctx  context.Context
}

func (t lifetimeTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	base := t.base
	if base == nil {
		base = http.DefaultTransport
	}
	return base.RoundTrip(r.WithContext(t.ctx))
}
