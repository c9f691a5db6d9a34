package replies

import (
	"context"

	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/storage"
)

// Deps is what the replies feature receives from node (node's wiring).
type Deps struct {
	Ready func() error
	Store Store
	// Ops is the account log: a reply's quote is recorded there for the
	// account's other devices, and theirs are folded in here.
	Ops rt.Ops
}

// Store is the part of the node's store replies use.
type Store interface {
	Message(ctx context.Context, id storage.MessageID) (storage.Message, error)
	// Attachment returns message id's file (storage.ErrNotFound: none).
	Attachment(ctx context.Context, id storage.MessageID) (storage.Attachment, error)
	UpdateMessage(ctx context.Context, id storage.MessageID, change func(*storage.Message) error) (storage.Message, error)
	PutQuote(ctx context.Context, reply storage.MessageID, raw []byte) error
	Quote(ctx context.Context, reply storage.MessageID) ([]byte, error)
	ForEachQuote(ctx context.Context, fn func(reply storage.MessageID, raw []byte) error) error
	// Tombstoned reports whether a message was deleted for everyone.
	Tombstoned(ctx context.Context, id storage.MessageID) (bool, error)
}
