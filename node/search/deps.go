package search

import (
	"context"
	"log/slog"

	"github.com/pigeon-net/pigeon/storage"
)

// Deps is what the search feature receives from node (node's wiring).
type Deps struct {
	Store Store
	// Dir is the index directory (created if missing; deleted and rebuilt
	// when it cannot be opened).
	Dir   string
	Ready func() error
	Log   *slog.Logger
}

// Store is the part of the node's store search uses (storage/badger's
// change queue, searchqueue.go).
type Store interface {
	// View runs fn in one snapshot (ctx carries it).
	View(ctx context.Context, fn func(ctx context.Context) error) error
	Message(ctx context.Context, id storage.MessageID) (storage.Message, error)
	// Attachment returns message id's file (storage.ErrNotFound: none).
	Attachment(ctx context.Context, id storage.MessageID) (storage.Attachment, error)
	// IndexQueue returns the changes queued after a sequence and the
	// sequence of the snapshot read.
	IndexQueue(ctx context.Context, after uint64, limit int) ([]storage.IndexChange, uint64, error)
	TrimIndexQueue(ctx context.Context, upTo uint64) error
	// IndexTrimmed returns the queue's trim mark and the store's current
	// sequence.
	IndexTrimmed(ctx context.Context) (trimmed, current uint64, err error)
	// IndexQueued hears of commits that queued changes.
	IndexQueued() <-chan struct{}
	ForEachMessage(ctx context.Context, fn func(storage.Message) error) error
}
