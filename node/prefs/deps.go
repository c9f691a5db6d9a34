package prefs

import (
	"context"
	"time"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/storage"
)

// Deps is what the prefs feature receives from node (node's wiring).
type Deps struct {
	Ready func() error
	Store Store
	// Ops is the account log: changes are recorded there for the
	// account's other devices, and theirs are folded in here.
	Ops    rt.Ops
	Outbox Outbox
	// Publish hands a Changed event to the node's subscribers.
	Publish func(core.Event)
	// Now is the clock (pin times, whether a mute ended); nil: time.Now.
	Now func() time.Time
}

// Store is the part of the node's store prefs use.
type Store interface {
	// Update runs fn in one transaction (ctx carries it).
	Update(ctx context.Context, fn func(ctx context.Context) error) error
	Conversations(ctx context.Context) ([]storage.Conversation, error)
	PutChatPrefs(ctx context.Context, chat storage.Account, raw []byte) error
	ChatPrefs(ctx context.Context, chat storage.Account) ([]byte, error)
	ForEachChatPrefs(ctx context.Context, fn func(chat storage.Account, raw []byte) error) error
}

// Outbox carries operations to the account's other devices.
type Outbox interface {
	// Enqueue hands a stored item to its recipient's lane, after commit.
	Enqueue(it storage.OutboxItem)
}
