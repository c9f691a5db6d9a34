package push

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// WakeBody is the body of every UnifiedPush / webhook wake-up. It is
// constant: the push says only "connect to your relays". UnifiedPush
// requires 1 to 4096 bytes.
const WakeBody = `{"w":1}`

// webhookGateway speaks the UnifiedPush server protocol (RFC 8030 push
// message delivery, as profiled by the UnifiedPush spec): POST the message
// to the endpoint URL.
type webhookGateway struct {
	client *http.Client
	ttl    time.Duration
	now    func() time.Time
}

func (g *webhookGateway) send(ctx context.Context, ep Endpoint) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, ep.URL, bytes.NewReader([]byte(WakeBody)))
	if err != nil {
		return fmt.Errorf("unifiedpush: %w: %s", ErrInvalid, err)
	}
	req.Header.Set("Content-Type", "application/octet-stream")
	req.Header.Set("TTL", strconv.FormatInt(int64(g.ttl/time.Second), 10))
	req.Header.Set("Urgency", "high")
	resp, err := g.client.Do(req)
	if err != nil {
		return transportError(ctx, "unifiedpush", err)
	}
	readBody(resp)
	switch c := resp.StatusCode; {
	case c >= 200 && c < 300:
		return nil
	case c == http.StatusNotFound || c == http.StatusGone:
		return fmt.Errorf("unifiedpush: %w: status %d", ErrGone, c)
	case c == http.StatusTooManyRequests || c == http.StatusRequestTimeout || c >= 500:
		return retryable(retryAfter(resp.Header, g.now()), "unifiedpush: status %d", c)
	default:
		return fmt.Errorf("unifiedpush: %w: status %d", ErrInvalid, c)
	}
}
