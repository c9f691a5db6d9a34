package search

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"unicode/utf8"

	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
	sindex "github.com/pigeon-net/pigeon/storage/search"
)

// Errors of a query the user can fix (the local API answers them with
// 400 and the message); they are storage/search's.
var (
	ErrEmptyQuery   = sindex.ErrEmptyQuery
	ErrQueryTooLong = sindex.ErrQueryTooLong
	ErrTooManyTerms = sindex.ErrTooManyTerms
	ErrBadCursor    = sindex.ErrBadCursor
)

// IsBadQuery reports whether err is a query the user must change.
func IsBadQuery(err error) bool {
	for _, e := range []error{ErrEmptyQuery, ErrQueryTooLong, ErrTooManyTerms, ErrBadCursor} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// Page limits of Query.
const (
	DefaultLimit = sindex.DefaultLimit
	MaxLimit     = sindex.MaxLimit
)

// batchSize is the number of documents per index transaction when
// catching up or rebuilding; readSize the most queued changes one catch-up
// step reads (the store reads its whole queue for each).
const (
	batchSize = 1000
	readSize  = 100000
)

// Service keeps the index and answers queries.
type Service struct {
	d Deps
	// turn is held (a token in it is taken) by a catch-up, a rebuild,
	// Purge and Close; it guards ix, mark and rebuild.
	turn    chan struct{}
	ix      *sindex.Index
	mark    uint64 // the index's mark: every change up to it is applied
	rebuild bool   // the next catch-up rebuilds the index from history
}

// Open opens the index in d.Dir, deleting a directory that cannot be
// opened. It decides whether the first catch-up (Run's or a query's)
// replays the store's queue or rebuilds the index.
func Open(ctx context.Context, d Deps) (*Service, error) {
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	s := &Service{d: d, turn: make(chan struct{}, 1)}
	ix, mark, err := openIndex(ctx, d.Dir)
	if err != nil {
		d.Log.Warn("search index unreadable, rebuilding", "err", err)
		if err := os.RemoveAll(d.Dir); err != nil {
			return nil, fmt.Errorf("open search: %w", err)
		}
		if ix, mark, err = openIndex(ctx, d.Dir); err != nil {
			return nil, fmt.Errorf("open search: %w", err)
		}
	}
	s.ix, s.mark = ix, mark
	trimmed, current, err := d.Store.IndexTrimmed(ctx)
	if err != nil {
		ix.Close()
		return nil, fmt.Errorf("open search: %w", err)
	}
	// Mark 0: a new (or never finished) index. Below the trim mark: the
	// queue lost changes it missed. Above the store: another store's.
	s.rebuild = mark == 0 || mark < trimmed || mark > current
	return s, nil
}

func openIndex(ctx context.Context, dir string) (*sindex.Index, uint64, error) {
	ix, err := sindex.Open(dir)
	if err != nil {
		return nil, 0, err
	}
	mark, err := ix.Mark(ctx)
	if err == nil {
		_, err = ix.Count(ctx) // reads the tables, not only the meta row
	}
	if err != nil {
		ix.Close()
		return nil, 0, err
	}
	return ix, mark, nil
}

// lock takes the turn, or fails when ctx ends first.
func (s *Service) lock(ctx context.Context) error {
	select {
	case s.turn <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (s *Service) unlock() { <-s.turn }

// Run applies queued changes after the store commits them, until ctx
// ends. Failures are logged; the next commit or query tries again.
func (s *Service) Run(ctx context.Context) {
	for {
		if err := s.CatchUp(ctx); err != nil && ctx.Err() == nil {
			s.d.Log.Warn("search index catch-up failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-s.d.Store.IndexQueued():
		}
	}
}

// CatchUp applies every change the store queued before it was called
// (rebuilding the index first when Open found it must).
func (s *Service) CatchUp(ctx context.Context) error {
	if s == nil {
		return fmt.Errorf("search catch-up: %w", core.ErrNotStarted)
	}
	if err := s.lock(ctx); err != nil {
		return fmt.Errorf("search catch-up: %w", err)
	}
	defer s.unlock()
	if s.ix == nil {
		return fmt.Errorf("search catch-up: %w", core.ErrClosed)
	}
	if s.rebuild {
		if err := s.rebuildIndex(ctx); err != nil {
			return fmt.Errorf("search catch-up: %w", err)
		}
		s.rebuild = false
	}
	for {
		var seq uint64
		n := 0
		err := s.d.Store.View(ctx, func(ctx context.Context) error {
			cs, sq, err := s.d.Store.IndexQueue(ctx, s.mark, readSize)
			if err != nil || len(cs) == 0 {
				return err
			}
			seq, n = sq, len(cs)
			// One snapshot, several index transactions; only the last
			// sets the mark, so a crash in between replays them all.
			var b sindex.Batch
			for i, c := range cs {
				if err := s.addChange(ctx, &b, c.ID); err != nil {
					return err
				}
				if b.Len() == batchSize && i < len(cs)-1 {
					if err := s.ix.Apply(ctx, &b); err != nil {
						return err
					}
					b.Reset()
				}
			}
			b.SetMark(seq)
			return s.ix.Apply(ctx, &b)
		})
		if err != nil {
			return fmt.Errorf("search catch-up: %w", err)
		}
		if n == 0 {
			return nil
		}
		s.mark = seq
		if err := s.d.Store.TrimIndexQueue(ctx, seq); err != nil {
			// Applied already: the next trim takes these too.
			s.d.Log.Warn("search queue trim failed", "err", err)
		}
		if n < readSize {
			return nil
		}
	}
}

// addChange puts message id as the store (ctx's snapshot) has it into b,
// or its removal when it is gone or not searchable.
func (s *Service) addChange(ctx context.Context, b *sindex.Batch, id storage.MessageID) error {
	m, err := s.d.Store.Message(ctx, id)
	if errors.Is(err, storage.ErrNotFound) {
		b.Delete(id)
		return nil
	}
	if err != nil {
		return err
	}
	d, ok, err := s.doc(ctx, m)
	if err != nil {
		return err
	}
	if !ok {
		b.Delete(id)
		return nil
	}
	b.Put(d)
	return nil
}

// doc is the index document of m: its text, or for a file its caption
// (the message's text, edits included) and file name.
func (s *Service) doc(ctx context.Context, m storage.Message) (sindex.Doc, bool, error) {
	if m.Kind != storage.KindMessage {
		return sindex.Doc{}, false, nil
	}
	at := m.SentAt
	if at.IsZero() {
		at = m.StoredAt
	}
	d := sindex.Doc{ID: m.ID, Chat: m.Peer, Sender: m.Sender, At: at, Text: m.Text}
	a, err := s.d.Store.Attachment(ctx, m.ID)
	switch {
	case errors.Is(err, storage.ErrNotFound):
	case err != nil:
		return sindex.Doc{}, false, err
	default:
		d.Text, d.Caption = "", m.Text
		var md pb.Media
		if err := proto.Unmarshal(a.Manifest, &md); err != nil {
			s.d.Log.Warn("search: attachment manifest unreadable", "id", m.ID.String(), "err", err)
		} else {
			d.FileName = md.GetFileName()
		}
	}
	d.Text, d.Caption, d.FileName = clip(d.Text), clip(d.Caption), clip(d.FileName)
	if d.Text == "" && d.Caption == "" && d.FileName == "" {
		return sindex.Doc{}, false, nil
	}
	return d, true, nil
}

// clip cuts s to the index's field limit at a character boundary.
func clip(s string) string {
	if len(s) <= sindex.MaxFieldBytes {
		return s
	}
	i := sindex.MaxFieldBytes
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i]
}

// rebuildIndex replaces the index with one built from the whole history
// in one store snapshot, setting the mark last. The turn is held.
func (s *Service) rebuildIndex(ctx context.Context) error {
	s.d.Log.Info("search index rebuild started")
	if err := s.ix.Close(); err != nil {
		s.d.Log.Warn("search index close failed", "err", err)
	}
	s.ix = nil
	if err := os.RemoveAll(s.d.Dir); err != nil {
		return fmt.Errorf("rebuild search index: %w", err)
	}
	ix, err := sindex.Open(s.d.Dir)
	if err != nil {
		return fmt.Errorf("rebuild search index: %w", err)
	}
	s.ix, s.mark = ix, 0
	var seq uint64
	docs := 0
	err = s.d.Store.View(ctx, func(ctx context.Context) error {
		var err error
		if _, seq, err = s.d.Store.IndexTrimmed(ctx); err != nil {
			return err
		}
		var b sindex.Batch
		err = s.d.Store.ForEachMessage(ctx, func(m storage.Message) error {
			d, ok, err := s.doc(ctx, m)
			if err != nil || !ok {
				return err
			}
			b.Put(d)
			docs++
			if b.Len() < batchSize {
				return nil
			}
			err = ix.Apply(ctx, &b)
			b.Reset()
			return err
		})
		if err != nil {
			return err
		}
		b.SetMark(seq)
		return ix.Apply(ctx, &b)
	})
	if err != nil {
		return fmt.Errorf("rebuild search index: %w", err)
	}
	s.mark = seq
	if err := s.d.Store.TrimIndexQueue(ctx, seq); err != nil {
		s.d.Log.Warn("search queue trim failed", "err", err)
	}
	s.d.Log.Info("search index rebuilt", "messages", docs)
	return nil
}

// Purge catches up, then makes deleted text leave the index's files. Call
// it when the store compacts after deletions; an error wrapping
// storage/search's ErrBusy means a query held an old snapshot: try again
// later.
func (s *Service) Purge(ctx context.Context) error {
	if s == nil {
		return fmt.Errorf("purge search: %w", core.ErrNotStarted)
	}
	if err := s.CatchUp(ctx); err != nil {
		return fmt.Errorf("purge search: %w", err)
	}
	if err := s.lock(ctx); err != nil {
		return fmt.Errorf("purge search: %w", err)
	}
	defer s.unlock()
	if s.ix == nil {
		return fmt.Errorf("purge search: %w", core.ErrClosed)
	}
	if err := s.ix.Purge(ctx); err != nil {
		return fmt.Errorf("purge search: %w", err)
	}
	return nil
}

// Close closes the index; it waits for a running catch-up. Later calls
// fail with core.ErrClosed.
func (s *Service) Close() error {
	s.turn <- struct{}{}
	defer s.unlock()
	if s.ix == nil {
		return nil
	}
	err := s.ix.Close()
	s.ix = nil
	return err
}

// index returns the open index, catching up first.
func (s *Service) index(ctx context.Context) (*sindex.Index, error) {
	if err := s.CatchUp(ctx); err != nil {
		return nil, err
	}
	if err := s.lock(ctx); err != nil {
		return nil, err
	}
	defer s.unlock()
	if s.ix == nil {
		return nil, core.ErrClosed
	}
	return s.ix, nil
}
