package expiry

import (
	"sync"
	"time"
)

// Clock is the time countdowns and the sweep go by: the system clock, or
// a ManualClock in tests.
type Clock interface {
	Now() time.Time
	// After delivers the time once d passed.
	After(d time.Duration) <-chan time.Time
	// At delivers the time once it is t or later (at once when it is).
	At(t time.Time) <-chan time.Time
}

// SystemClock is the wall clock.
type SystemClock struct{}

func (SystemClock) Now() time.Time                         { return time.Now() }
func (SystemClock) After(d time.Duration) <-chan time.Time { return time.After(d) }
func (SystemClock) At(t time.Time) <-chan time.Time        { return time.After(time.Until(t)) }

// ManualClock is a Clock that moves only when told (Advance): tests of
// expiry run without sleeping.
type ManualClock struct {
	mu      sync.Mutex // guards now and waiters
	now     time.Time
	waiters []waiter
}

type waiter struct {
	at time.Time
	ch chan time.Time
}

// NewManualClock returns a clock standing at now.
func NewManualClock(now time.Time) *ManualClock { return &ManualClock{now: now} }

// Now returns the clock's time.
func (c *ManualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// After returns a channel that gets the time once Advance moved the clock
// d or more past now.
func (c *ManualClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch := make(chan time.Time, 1)
	if d <= 0 {
		ch <- c.now
		return ch
	}
	c.waiters = append(c.waiters, waiter{at: c.now.Add(d), ch: ch})
	return ch
}

// At returns a channel that gets the time once the clock is at t or past
// it: at once when it is already. Unlike After, a waiter made just after
// an Advance still fires at t.
func (c *ManualClock) At(t time.Time) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch := make(chan time.Time, 1)
	if !t.After(c.now) {
		ch <- c.now
		return ch
	}
	c.waiters = append(c.waiters, waiter{at: t, ch: ch})
	return ch
}

// Advance moves the clock forward by d and fires the waiters it passed.
func (c *ManualClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	kept := c.waiters[:0]
	for _, w := range c.waiters {
		if w.at.After(c.now) {
			kept = append(kept, w)
			continue
		}
		w.ch <- c.now
	}
	clear(c.waiters[len(kept):])
	c.waiters = kept
}
