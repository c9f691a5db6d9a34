package badger

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	bdg "github.com/dgraph-io/badger/v4"

	"github.com/pigeon-net/pigeon/storage"
)

// Compaction: making deleted data leave the files.
//
// Badger keeps a deleted or overwritten value in its files until
// compaction: in the memtable and its log (.mem) until the memtable is
// flushed, in the tables (.sst) until a compaction merges the table
// holding it with the one holding the newer version or the tombstone,
// and, for values of valueThreshold bytes or more, in the value log
// (.vlog) until value-log GC rewrites that file. Compact does all three
// on purpose, after messages are deleted:
//
//  0. Flatten (see 2), so that the next step has little to compact.
//  1. Flush every memtable to level 0 and compact level 0 into the levels
//     below: DropPrefix of a marker key does both (it is the only call of
//     Badger v4 that flushes a memtable of an open database). Badger
//     refuses commits meanwhile (ErrBlockedWrites): Update waits for the
//     flush to end (waitFlush) and runs its function again.
//  2. Flatten: compact until one level holds every table, so that each
//     key's versions meet in one compaction, which drops those a newer
//     version or a tombstone hides (NumVersionsToKeep is 1, and no read
//     below them runs).
//  3. Value-log GC of every file whose values are mostly dead, until none
//     is left to rewrite.
//
// What it cannot do: Badger never rewrites the value-log file it is
// appending to (the head, up to valueLogFileSize), so a value of
// valueThreshold bytes or more (a text over 4 KiB, an op carrying one)
// written since the head was opened stays there until 64 MiB more of
// such values follow; and a read transaction running during Compact
// keeps the versions it may read.
//
// The store runs Compact by itself (compactLoop) once messages were
// deleted and the deletions paused: after compactIdle without one, or,
// once compactAfter of them are waiting, after compactQuiet without one.
// A burst of deletions (the expiry sweep removing 100,000 messages)
// therefore compacts once, after it, and not again and again while it
// runs: Compact's merges compete with sends for the disk and the CPU, and
// its flush holds writes for a moment. It does not run while writes are
// heavy (more than heavyWrites commits a second), unless a deletion has
// waited compactLate: then it runs whatever the store is doing, so that
// deleted text leaves the files within that time even under a steady
// load.

// Defaults of the compaction schedule (Options.CompactIdle and
// Options.CompactAfter override the first two).
const (
	compactIdle  = time.Minute
	compactAfter = 1000
	compactQuiet = 2 * time.Second
	compactLate  = 10 * time.Minute
	compactTick  = time.Second
	heavyWrites  = 50 // commits per second
)

// compactMarker is the key whose drop makes Badger flush its memtables
// (step 1): it must hold data for DropPrefix to do anything. It is under
// pMessageOps, shorter than any key there.
var compactMarker = []byte{pMessageOps, 0xFF}

// compaction is the schedule's state.
type compaction struct {
	// mu guards flushing, open while Badger refuses writes; a leaf.
	mu       sync.Mutex
	flushing chan struct{}

	writes  atomic.Int64 // commits since the last check
	pending atomic.Int64 // deletions since the last compaction
	first   atomic.Int64 // Unix nanoseconds of the first of them
	last    atomic.Int64 // Unix nanoseconds of the last deletion

	idle  time.Duration
	quiet time.Duration // min(compactQuiet, idle)
	after int64

	checked time.Time // the last check; compactLoop's own

	hooksMu sync.Mutex // guards hooks; a leaf
	hooks   []func(context.Context)

	running sync.Mutex // one Compact at a time
}

func newCompaction(idle time.Duration, after int) *compaction {
	if idle <= 0 {
		idle = compactIdle
	}
	if after <= 0 {
		after = compactAfter
	}
	return &compaction{idle: idle, quiet: min(compactQuiet, idle), after: int64(after), checked: time.Now()}
}

// deleted counts a deletion for the schedule.
func (c *compaction) deleted() {
	if c == nil {
		return
	}
	now := time.Now().UnixNano()
	c.last.Store(now)
	if c.pending.Add(1) == 1 {
		c.first.Store(now)
	}
}

// waitFlush waits for a running flush to end; with none running (Badger
// refused a write for a moment, between its calls), it waits a little.
func (c *compaction) waitFlush(ctx context.Context) error {
	c.mu.Lock()
	done := c.flushing
	c.mu.Unlock()
	if done == nil {
		t := time.NewTimer(time.Millisecond)
		defer t.Stop()
		select {
		case <-t.C:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// due reports whether the schedule calls for a compaction now (see the
// comment at the top), and starts a new window of counted writes.
func (c *compaction) due(now time.Time) bool {
	writes := c.writes.Swap(0)
	window := now.Sub(c.checked)
	c.checked = now
	if c.pending.Load() == 0 {
		return false
	}
	if now.Sub(time.Unix(0, c.first.Load())) >= compactLate {
		return true
	}
	if float64(writes) > heavyWrites*window.Seconds() {
		return false
	}
	calm := now.Sub(time.Unix(0, c.last.Load()))
	return calm >= c.idle || (calm >= c.quiet && c.pending.Load() >= c.after)
}

// OnCompact registers fn to run after every Compact (the one the store
// schedules too), with Compact's context, once the store's files are
// compacted: an index kept elsewhere (the search index) purges itself
// there. fn must not call Compact.
func (s *Store) OnCompact(fn func(ctx context.Context)) {
	s.compact.hooksMu.Lock()
	defer s.compact.hooksMu.Unlock()
	s.compact.hooks = append(s.compact.hooks, fn)
}

// Compact makes what was deleted leave the database's files (see the
// comment at the top of compact.go for what that takes and what it
// cannot do), then runs the OnCompact hooks. Writes wait while Badger
// flushes its memtables. It must not be called inside Update or View. An
// in-memory store only runs the hooks.
func (s *Store) Compact(ctx context.Context) error {
	const what = "compact store"
	if txnFrom(ctx) != nil {
		return fmt.Errorf("%s: %w: inside a transaction", what, ErrInvalid)
	}
	if err := s.acquire(); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	defer s.release()
	c := s.compact
	c.running.Lock()
	defer c.running.Unlock()
	taken := c.pending.Swap(0)
	if err := s.compactFiles(ctx); err != nil {
		c.pending.Add(taken)
		return fmt.Errorf("%s: %w", what, err)
	}
	c.hooksMu.Lock()
	hooks := slices.Clone(c.hooks)
	c.hooksMu.Unlock()
	for _, h := range hooks {
		h(ctx)
	}
	return nil
}

func (s *Store) compactFiles(ctx context.Context) error {
	if s.db.Opts().InMemory {
		return nil
	}
	// Compactions write new tables before they drop the old ones: they
	// need the room the space guard keeps for them.
	if err := s.space.admit(0, false); err != nil {
		return err
	}
	t0 := time.Now()
	// Flattening first leaves the flush only the memtables to compact
	// into the levels, while writes wait.
	if err := s.db.Flatten(1); err != nil {
		return fmt.Errorf("flatten: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	t1 := time.Now()
	if err := s.flush(); err != nil {
		return fmt.Errorf("flush: %w", err)
	}
	t2 := time.Now()
	if err := s.db.Flatten(1); err != nil {
		return fmt.Errorf("flatten: %w", err)
	}
	t3 := time.Now()
	for ctx.Err() == nil {
		err := s.db.RunValueLogGC(compactDiscard)
		if errors.Is(err, bdg.ErrNoRewrite) || errors.Is(err, bdg.ErrRejected) {
			break
		}
		if err != nil {
			return fmt.Errorf("value log gc: %w", err)
		}
	}
	s.log.Debug("store compacted", "flatten", t1.Sub(t0), "flush", t2.Sub(t1), "flatten_again", t3.Sub(t2), "gc", time.Since(t3))
	return ctx.Err()
}

// flush writes the memtables to tables and compacts level 0 (step 1);
// Badger refuses writes meanwhile, and Update waits (waitFlush).
func (s *Store) flush() error {
	if err := s.db.Update(func(txn *bdg.Txn) error { return txn.Set(compactMarker, []byte{1}) }); err != nil {
		return fmt.Errorf("marker: %w", err)
	}
	c := s.compact
	done := make(chan struct{})
	c.mu.Lock()
	c.flushing = done
	c.mu.Unlock()
	err := s.db.DropPrefix(compactMarker)
	c.mu.Lock()
	c.flushing = nil
	c.mu.Unlock()
	close(done)
	return err
}

// compactDiscard is the share of dead values above which Compact rewrites
// a value-log file: any.
const compactDiscard = 0.01

// compactLoop runs Compact when the schedule says so, until the store
// closes.
func (s *Store) compactLoop() {
	defer close(s.compactDone)
	t := time.NewTicker(min(compactTick, s.compact.quiet))
	defer t.Stop()
	for {
		select {
		case <-s.gcStop:
			return
		case <-t.C:
		}
		if !s.compact.due(time.Now()) {
			continue
		}
		if err := s.Compact(s.compactCtx); err != nil && !errors.Is(err, storage.ErrClosed) && !errors.Is(err, context.Canceled) {
			s.log.Warn("store compaction failed", "err", err)
		}
	}
}
