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

// transportError classifies a failed round trip: network failures are
// retried, a cancelled context is returned as is. The request URL is
// stripped: it holds the endpoint's capability (UnifiedPush URL, APNs
// device token), which must not reach the logs.
func transportError(ctx context.Context, op string, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("%s: %w", op, ctx.Err())
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return retryable(0, "%s: %s", op, err)
}

// noRedirects is the CheckRedirect of every client the dispatcher uses:
// UnifiedPush forbids following redirects on push endpoints, and no gateway
// API redirects.
func noRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// defaultClient returns an HTTP/2-capable client that refuses to connect to
// non-public addresses (loopback too when loopback is set), so a device
// cannot aim the relay at its own network through DNS.
func defaultClient(loopback bool) *http.Client {
	d := &net.Dialer{
		Timeout: 10 * time.Second,
		Control: func(_, address string, _ syscall.RawConn) error {
			host, _, err := net.SplitHostPort(address)
			if err != nil {
				return err
			}
			ip, err := netip.ParseAddr(host)
			if err != nil {
				return err
			}
			if publicAddr(ip) || loopback && ip.Unmap().IsLoopback() {
				return nil
			}
			return errNonPublic
		},
	}
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.Proxy = nil
	t.DialContext = d.DialContext
	t.ForceAttemptHTTP2 = true
	t.MaxIdleConnsPerHost = 16
	return &http.Client{Transport: t, Timeout: 30 * time.Second, CheckRedirect: noRedirects}
}

var errNonPublic = errors.New("refusing to connect to a non-public address")
