package expiry

import (
	"context"
	"log/slog"
	"time"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/storage"
)

// Deps is what the expiry feature receives from node (node's wiring).
type Deps struct {
	Self   core.AccountID
	Device uint32
	Ready  func() error
	Store  Store
	Outbox Outbox
	// Recipients is the contacts feature's check before queueing.
	Recipients Recipients
	// Registry is where New claims the timer_set content kinds.
	Registry rt.Registry
	// Ops is the account log: timer changes and the default timer reach
	// the account's other devices through it.
	Ops rt.Ops
	// ListVersion is the version of our account's current device list.
	ListVersion func() uint64
	// Groups publishes timer changes to groups and says who may make
	// them; nil: group chats have no timer.
	Groups  Groups
	Publish func(core.Event)
	// Clock drives countdowns and the sweep; nil: the system clock.
	Clock Clock
	Log   *slog.Logger
}

// Store is the part of the node's store the expiry feature uses.
type Store interface {
	Update(ctx context.Context, fn func(ctx context.Context) error) error
	View(ctx context.Context, fn func(ctx context.Context) error) error
	InsertMessage(ctx context.Context, m storage.Message) error
	Message(ctx context.Context, id storage.MessageID) (storage.Message, error)
	UpdateMessage(ctx context.Context, id storage.MessageID, change func(*storage.Message) error) (storage.Message, error)
	// DeleteMessage removes a message and everything that holds its
	// content (history, summary, search, account-log bodies, files).
	DeleteMessage(ctx context.Context, id storage.MessageID) error
	History(ctx context.Context, peer storage.Account, before storage.MessageID, limit int) ([]storage.Message, error)
	PutOutbox(ctx context.Context, it storage.OutboxItem) error

	PutTimer(ctx context.Context, chat storage.Account, record []byte) error
	Timer(ctx context.Context, chat storage.Account) ([]byte, error)
	Timers(ctx context.Context, fn func(chat storage.Account, record []byte)) error
	PutDeadline(ctx context.Context, d storage.Deadline) error
	DeleteDeadline(ctx context.Context, at time.Time, id storage.MessageID) error
	Deadlines(ctx context.Context, after storage.Deadline, until time.Time, limit int) ([]storage.Deadline, error)
	PutCountdown(ctx context.Context, chat storage.Account, c storage.Countdown) error
	DeleteCountdown(ctx context.Context, chat storage.Account, id storage.MessageID) error
	Countdowns(ctx context.Context, chat storage.Account, upTo storage.MessageID) ([]storage.Countdown, error)
	PutChatRead(ctx context.Context, chat storage.Account, upTo storage.MessageID, at time.Time) error
	ChatRead(ctx context.Context, chat storage.Account) (storage.MessageID, time.Time, error)
}

// Outbox is the delivery runtime's outbox.
type Outbox interface {
	// Preseal encrypts a new item inside the transaction that queues it
	// when it can; it reports whether store ran.
	Preseal(ctx context.Context, to core.AccountID, it *storage.OutboxItem, store func(ctx context.Context) error) (bool, error)
	Enqueue(it storage.OutboxItem)
	Durable(ctx context.Context) error
}

// Recipients checks recipients before anything is queued for them.
type Recipients interface {
	CheckRecipient(ctx context.Context, to core.AccountID) error
}

// Groups is the groups feature as the expiry feature uses it.
type Groups interface {
	// CanEditInfo reports whether account a may change group g's info
	// (its settings' EditInfo), which includes its timer.
	CanEditInfo(ctx context.Context, g core.GroupID, a core.AccountID) (bool, error)
	// PublishTimer sends a timer_set content to group g; store runs in
	// the transaction that records the message (ID id).
	PublishTimer(ctx context.Context, g core.GroupID, t TimerSet, store func(ctx context.Context, id storage.MessageID) error) error
}
