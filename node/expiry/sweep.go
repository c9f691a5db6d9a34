package expiry

import (
	"context"
	"errors"
	"time"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/storage"
)

// sweepBatch is how many messages one transaction of the sweep removes:
// small, so that a send waits for at most one short transaction.
const sweepBatch = 8

// retryAfter is how long the worker waits after a failed sweep.
const retryAfter = time.Minute

// Run is the sweep worker: it sleeps until the next deadline (or Wake),
// then removes every message due. It returns when ctx ends; node starts
// it and waits for it.
func (s *Service) Run(ctx context.Context) {
	for {
		var wait <-chan time.Time
		next, err := s.d.Store.Deadlines(ctx, storage.Deadline{At: s.floor()}, time.Time{}, 1)
		switch {
		case err != nil:
			if ctx.Err() != nil {
				return
			}
			s.d.Log.Warn("expiry: reading deadlines failed", "err", err)
			wait = s.d.Clock.After(retryAfter)
		case len(next) == 1:
			if !next[0].At.After(s.d.Clock.Now()) {
				if _, err := s.Sweep(ctx); err != nil {
					if ctx.Err() != nil {
						return
					}
					s.d.Log.Warn("expiry: sweep failed", "err", err)
					wait = s.d.Clock.After(retryAfter)
					break
				}
				continue
			}
			// At, not After: the clock may move between the Now above and
			// here (a test's clock jumps), and the wait must end at the
			// deadline all the same.
			wait = s.d.Clock.At(next[0].At)
		}
		select {
		case <-ctx.Done():
			return
		case <-s.wake:
		case <-wait:
		}
	}
}

// Sweep removes every disappearing message whose deadline passed (by the
// feature's clock), sweepBatch per transaction, and returns how many it
// removed.
func (s *Service) Sweep(ctx context.Context) (int, error) {
	now := s.d.Clock.Now()
	from := storage.Deadline{At: s.floor()}
	removed := 0
	var took time.Duration // the last batch's transaction
	for {
		due, err := s.d.Store.Deadlines(ctx, from, now, sweepBatch)
		if err != nil {
			return removed, err
		}
		if len(due) == 0 {
			s.raiseFloor(from.At)
			return removed, nil
		}
		from = due[len(due)-1]
		if removed > 0 {
			// Leave sends (and everything else) twice as much time as
			// the last batch took: a large sweep takes at most a third of
			// the CPU and of the store's writes.
			select {
			case <-ctx.Done():
				return removed, ctx.Err()
			case <-time.After(2 * took):
			}
		}
		start := time.Now()
		var gone []core.Event
		err = s.d.Store.Update(ctx, func(ctx context.Context) error {
			gone = gone[:0]
			for _, d := range due {
				m, err := s.d.Store.Message(ctx, d.ID)
				switch {
				case err == nil && m.ExpiresAt.Equal(d.At):
					if err := s.d.Store.DeleteMessage(ctx, d.ID); err != nil {
						return err
					}
					gone = append(gone, MessageExpired{ID: rt.CoreID(d.ID), Chat: chatOf(m)})
				case err == nil, errors.Is(err, storage.ErrNotFound):
					// A stale entry: the deadline moved, or the message is gone.
				default:
					return err
				}
				if err := s.d.Store.DeleteDeadline(ctx, d.At, d.ID); err != nil {
					return err
				}
				if err := s.d.Store.DeleteCountdown(ctx, d.Chat, d.ID); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return removed, err
		}
		took = time.Since(start)
		removed += len(gone)
		s.publish(gone)
	}
}

// floor is where the deadline index's live entries start: the sweep
// removed every entry before it. Entries a transaction adds before it
// (a read folded late, of a message whose deadline passed) lower it
// first (lowerFloor).
func (s *Service) floor() time.Time {
	s.floorMu.Lock()
	defer s.floorMu.Unlock()
	return s.swept
}

// raiseFloor notes that the sweep removed every entry before t: the
// floor moves up to t, or to the earliest deadline added since the last
// raise if that is before t (its transaction may have committed after the
// sweep's reads).
func (s *Service) raiseFloor(t time.Time) {
	s.floorMu.Lock()
	defer s.floorMu.Unlock()
	if !s.added.IsZero() && s.added.Before(t) {
		t = s.added
	}
	s.swept, s.added = t, time.Time{}
}

// lowerFloor notes that a deadline at t is being added: the sweep looks
// from t on.
func (s *Service) lowerFloor(t time.Time) {
	s.floorMu.Lock()
	defer s.floorMu.Unlock()
	if t.Before(s.swept) {
		s.swept = t
	}
	if s.added.IsZero() || t.Before(s.added) {
		s.added = t
	}
}
