package actions

import (
	"context"
	"log/slog"
	"time"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

// Deps is what the actions feature receives from node (node's wiring).
type Deps struct {
	Self   core.AccountID
	Device uint32 // this device's number
	Ready  func() error
	Store  Store
	Outbox Outbox
	// Recipients is the contacts feature's check before queueing.
	Recipients Recipients
	Groups     Groups
	// Registry is where New claims the action content kinds.
	Registry rt.Registry
	// Ops is the account log.
	Ops rt.Ops
	// ListVersion is the version of our account's current device list.
	ListVersion func() uint64
	Publish     func(core.Event)
	Log         *slog.Logger
	// Now is the clock of the edit and delete windows (nil: time.Now).
	Now func() time.Time
}

// Store is the part of the node's store actions use.
type Store interface {
	Update(ctx context.Context, fn func(ctx context.Context) error) error
	// AfterCommit runs fn once ctx's transaction committed.
	AfterCommit(ctx context.Context, fn func())
	Message(ctx context.Context, id storage.MessageID) (storage.Message, error)
	UpdateMessage(ctx context.Context, id storage.MessageID, change func(*storage.Message) error) (storage.Message, error)
	DeleteMessage(ctx context.Context, id storage.MessageID) error
	PutOutbox(ctx context.Context, it storage.OutboxItem) error
	Conversations(ctx context.Context) ([]storage.Conversation, error)
	History(ctx context.Context, peer storage.Account, before storage.MessageID, limit int) ([]storage.Message, error)

	PutEditVersion(ctx context.Context, id storage.MessageID, version uint8, rec []byte) error
	EditVersion(ctx context.Context, id storage.MessageID, version uint8) ([]byte, error)
	EditVersions(ctx context.Context, id storage.MessageID) ([][]byte, error)
	PutReaction(ctx context.Context, id storage.MessageID, reactor storage.Account, rec []byte) error
	Reaction(ctx context.Context, id storage.MessageID, reactor storage.Account) ([]byte, error)
	Reactions(ctx context.Context, id storage.MessageID) ([][]byte, error)
	PutTombstone(ctx context.Context, id storage.MessageID, rec []byte) error
	Tombstone(ctx context.Context, id storage.MessageID) ([]byte, error)
	Tombstones(ctx context.Context, fn func(id storage.MessageID, rec []byte) error) error
	PutWaitingAction(ctx context.Context, target, carry storage.MessageID, rec []byte) error
	TakeWaitingActions(ctx context.Context, target storage.MessageID) ([][]byte, error)
}

// Outbox is the delivery runtime's outbox.
type Outbox interface {
	// Preseal encrypts a new item inside the transaction that queues it
	// when it can; it reports whether store ran.
	Preseal(ctx context.Context, to core.AccountID, it *storage.OutboxItem, store func(ctx context.Context) error) (bool, error)
	// Enqueue hands a stored item to its recipient's lane, after commit.
	Enqueue(it storage.OutboxItem)
	// Durable waits until what was committed is on disk.
	Durable(ctx context.Context) error
}

// Recipients checks recipients before anything is queued for them.
type Recipients interface {
	CheckRecipient(ctx context.Context, to core.AccountID) error
}

// Groups is what actions need of the groups feature.
type Groups interface {
	// PublishAction publishes an action to group id; inTxn runs in the
	// transaction that stores the published message, with its ID and
	// time.
	PublishAction(ctx context.Context, id core.GroupID, a *pb.MessageAction,
		inTxn func(ctx context.Context, carry storage.MessageID, at time.Time) error) (core.MessageID, error)
	// MayDeleteAny reports whether account is an admin of group id and
	// the group lets admins delete any member's message.
	MayDeleteAny(id core.GroupID, account core.AccountID) bool
}
