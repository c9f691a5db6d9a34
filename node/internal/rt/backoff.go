package rt

import (
	"context"
	"math/rand/v2"
	"time"
)

// Backoff doubles a delay from a minimum to a maximum, with ±20% jitter.
type Backoff struct {
	min, max, cur time.Duration
}

// NewBackoff returns a backoff from min to max.
func NewBackoff(lo, hi time.Duration) *Backoff { return &Backoff{min: lo, max: hi} }

// Next returns the next delay.
func (b *Backoff) Next() time.Duration {
	if b.cur == 0 {
		b.cur = b.min
	} else {
		b.cur = min(2*b.cur, b.max)
	}
	return Jitter(b.cur)
}

// Reset starts again from the minimum.
func (b *Backoff) Reset() { b.cur = 0 }

// Jitter returns d ±20%.
func Jitter(d time.Duration) time.Duration {
	return time.Duration(float64(d) * (0.8 + 0.4*rand.Float64()))
}

// RetryDelay is the delay before attempt number attempts+1 of something
// retried from min to max.
func RetryDelay(attempts int, lo, hi time.Duration) time.Duration {
	d := lo
	for i := 1; i < attempts && d < hi; i++ {
		d *= 2
	}
	return Jitter(min(d, hi))
}

// Sleep waits d or until ctx ends; it reports whether d passed.
func Sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// LookupTimeout bounds one DHT lookup (of a device list or a prekey
// bundle).
const LookupTimeout = 10 * time.Second

// MinRefresh rate-limits forced DHT lookups of an account's device list.
const MinRefresh = 500 * time.Millisecond
