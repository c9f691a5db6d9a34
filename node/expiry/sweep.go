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
const sweepBatch = 64

// retryAfter is how long the worker waits after a failed sweep.
const retryAfter = time.Minute

// Run is the sweep worker: it sleeps until the next deadline (or Wake),
// then removes every message due. It returns when ctx ends; node starts
// it and waits for it.
func (s *Service) Run(ctx context.Context) {
	for {
		var wait <-chan time.Time
		next, err := s.d.Store.Deadlines(ctx, time.Time{}, 1)
		switch {
		case err != nil:
			if ctx.Err() != nil {
				return
			}
			s.d.Log.Warn("expiry: reading deadlines failed", "err", err)
			wait = s.d.Clock.After(retryAfter)
		case len(next) == 1:
			d := next[0].At.Sub(s.d.Clock.Now())
			if d <= 0 {
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
			wait = s.d.Clock.After(d)
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
	removed := 0
	for {
		due, err := s.d.Store.Deadlines(ctx, now, sweepBatch)
		if err != nil || len(due) == 0 {
			return removed, err
		}
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
		removed += len(gone)
		s.publish(gone)
		if len(due) < sweepBatch {
			return removed, nil
		}
	}
}
