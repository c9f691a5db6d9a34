package badger

import (
	"testing"
	"time"
)

// TestCompactionSchedule: a burst of deletions compacts once it pauses,
// not while it runs; heavy writes postpone a compaction until a deletion
// has waited compactLate.
func TestCompactionSchedule(t *testing.T) {
	t0 := time.Unix(1_000_000, 0)
	c := newCompaction(0, 0)
	c.checked = t0
	del := func(at time.Time, n int) {
		for range n {
			c.last.Store(at.UnixNano())
			if c.pending.Add(1) == 1 {
				c.first.Store(at.UnixNano())
			}
		}
	}
	check := func(at time.Time, writes int64, want bool) {
		t.Helper()
		c.writes.Store(writes)
		if got := c.due(at); got != want {
			t.Fatalf("due at +%v with %d writes in the window: %v, want %v", at.Sub(t0), writes, got, want)
		}
	}
	check(t0.Add(time.Second), 0, false) // nothing deleted

	// A sweep deletes 5,000 messages over five seconds: never due while
	// it runs, due two seconds after it stopped.
	for i := range 5 {
		at := t0.Add(time.Duration(i+1) * time.Second)
		del(at, 1000)
		check(at.Add(100*time.Millisecond), 10, false)
	}
	end := t0.Add(5 * time.Second)
	check(end.Add(time.Second), 5, false)
	check(end.Add(compactQuiet), 5, true)

	// A few deletions wait for compactIdle.
	c.pending.Store(0)
	del(end.Add(10*time.Second), 3)
	check(end.Add(20*time.Second), 0, false)
	check(end.Add(10*time.Second+compactIdle), 0, true)

	// Heavy writes postpone it, but not past compactLate.
	c.checked = end.Add(10*time.Second + compactIdle)
	at := c.checked.Add(time.Second)
	check(at, heavyWrites+1, false)
	late := end.Add(10*time.Second + compactLate)
	c.checked = late.Add(-time.Second)
	check(late, 10*heavyWrites, true)
}
