package node

import (
	"math/rand/v2"
	"time"
)

// backoff doubles a delay from min to max, with ±20% jitter.
type backoff struct {
	min, max, cur time.Duration
}

func newBackoff(min, max time.Duration) *backoff { return &backoff{min: min, max: max} }

func (b *backoff) next() time.Duration {
	if b.cur == 0 {
		b.cur = b.min
	} else {
		b.cur = min(2*b.cur, b.max)
	}
	return jitter(b.cur)
}

func (b *backoff) reset() { b.cur = 0 }

func jitter(d time.Duration) time.Duration {
	return time.Duration(float64(d) * (0.8 + 0.4*rand.Float64()))
}

// retryDelay is the outbox delay before attempt number attempts+1.
func retryDelay(attempts int, min, max time.Duration) time.Duration {
	d := min
	for i := 1; i < attempts && d < max; i++ {
		d *= 2
	}
	return jitter(time.Duration(min64(int64(d), int64(max))))
}

func min64(a, b int64) int64 {
	if a < b {
		return a
	}
	return b
}
