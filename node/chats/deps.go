package chats

import (
	"context"
	"time"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

// Deps is what the chats feature receives from node (node's wiring).
type Deps struct {
	Self   core.AccountID
	Device uint32 // this device's number
	Ready  func() error
	Store  Store
	Outbox Outbox
	States States
	// Receipts writes read receipts.
	Receipts Receipts
	// Recipients is the contacts feature's check before queueing.
	Recipients Recipients
	// Registry is where New claims the Text content kind.
	Registry rt.Registry
	// Ops is the account log: what this device sends, receives and reads
	// is recorded there for the account's other devices, and theirs is
	// folded in here.
	Ops rt.Ops
	// ListVersion is the version of our account's current device list.
	ListVersion func() uint64
	Publish     func(core.Event)
	// OnMessage is called after a text from an account was stored
	// (presence: its typing indicator ends).
	OnMessage func(from core.AccountID)
	// Quotes is the replies feature (nil: none; replies are refused).
	Quotes Quotes
	// Expiry is the disappearing-messages feature; nil for none.
	Expiry Expiry
}

// Quotes builds, reads and keeps the quotes replies carry (node/replies).
type Quotes interface {
	// Quote builds the quote of message id of the chat keyed chat.
	Quote(ctx context.Context, chat storage.Account, id storage.MessageID) (*pb.Quote, error)
	// ReplyTo returns the message a received quote names, zero when q is
	// nil or invalid.
	ReplyTo(q *pb.Quote) storage.MessageID
	// Held returns the message reply answers when its quote is stored
	// already (its operation came first), zero otherwise.
	Held(ctx context.Context, reply storage.MessageID) storage.MessageID
	// Keep stores reply's quote in ctx's transaction and records it in
	// the account log (push: sent to our other devices at once).
	Keep(ctx context.Context, reply storage.MessageID, q *pb.Quote, push bool) ([]storage.OutboxItem, error)
}

// Expiry is the disappearing-messages feature's part in sending, storing
// and reading texts (node/expiry's hooks).
type Expiry interface {
	// Stamp returns the timer a text sent now carries and sets m's
	// countdown; it runs outside any transaction.
	Stamp(ctx context.Context, chat storage.Account, group bool, m *storage.Message) (*pb.ChatTimer, error)
	// Receive sets the countdown of a text about to be stored from the
	// timer its content carried, in the storing transaction; the
	// function it returns runs after commit.
	Receive(ctx context.Context, chat storage.Account, group bool, meta *pb.ChatTimer, m *storage.Message) (func(), error)
	// Stored indexes a text just stored, in the same transaction.
	Stored(ctx context.Context, m storage.Message) error
	// Read starts the countdowns of the chat's texts up to upTo, read at
	// at, in the reading transaction.
	Read(ctx context.Context, chat storage.Account, upTo storage.MessageID, at time.Time) (func(), error)
	// Wake tells the sweep a deadline was added, after commit.
	Wake()
}

// Store is the part of the node's store chats use.
type Store interface {
	// Update runs fn in one transaction (ctx carries it).
	Update(ctx context.Context, fn func(ctx context.Context) error) error
	InsertMessage(ctx context.Context, m storage.Message) error
	PutOutbox(ctx context.Context, it storage.OutboxItem) error
	Message(ctx context.Context, id storage.MessageID) (storage.Message, error)
	History(ctx context.Context, peer storage.Account, before storage.MessageID, limit int) ([]storage.Message, error)
	Conversations(ctx context.Context) ([]storage.Conversation, error)
	UnreadIncoming(ctx context.Context, peer storage.Account) ([]storage.Message, error)
	// Attachment returns message id's file (storage.ErrNotFound: it has
	// none): Backfill leaves file messages to the media feature.
	Attachment(ctx context.Context, id storage.MessageID) (storage.Attachment, error)
}

// Outbox is the delivery runtime's outbox.
type Outbox interface {
	// Preseal encrypts a new item inside the transaction that queues it
	// (store writes history and outbox) when it can; it reports whether
	// store ran. When not, the caller stores the item itself.
	Preseal(ctx context.Context, to core.AccountID, it *storage.OutboxItem, store func(ctx context.Context) error) (bool, error)
	// Enqueue hands a stored item to its recipient's lane, after commit.
	Enqueue(it storage.OutboxItem)
	// Durable waits until what was committed is on disk.
	Durable(ctx context.Context) error
}

// States moves messages' states.
type States interface {
	// SetState moves message id forward to st in the caller's
	// transaction and returns the events to publish after commit.
	SetState(ctx context.Context, id core.MessageID, st core.State) ([]core.Event, error)
}

// Receipts writes receipts.
type Receipts interface {
	// PutRead writes read receipts for ids, to their sender to, as
	// outbox items in the caller's transaction; the caller enqueues them
	// after commit.
	PutRead(ctx context.Context, to core.AccountID, ids []core.MessageID) ([]storage.OutboxItem, error)
}

// Recipients checks recipients before anything is queued for them.
type Recipients interface {
	// CheckRecipient fails when sending to is refused (a changed
	// identity) or to is an account nobody can find.
	CheckRecipient(ctx context.Context, to core.AccountID) error
}

// noExpiry is Expiry when the node has no disappearing messages: texts
// never disappear.
type noExpiry struct{}

func (noExpiry) Stamp(context.Context, storage.Account, bool, *storage.Message) (*pb.ChatTimer, error) {
	return nil, nil
}

func (noExpiry) Receive(context.Context, storage.Account, bool, *pb.ChatTimer, *storage.Message) (func(), error) {
	return nil, nil
}

func (noExpiry) Stored(context.Context, storage.Message) error { return nil }

func (noExpiry) Read(context.Context, storage.Account, storage.MessageID, time.Time) (func(), error) {
	return nil, nil
}

func (noExpiry) Wake() {}
