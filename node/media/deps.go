package media

import (
	"context"
	"log/slog"
	"time"

	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/identity"
	pmedia "github.com/pigeon-net/pigeon/protocol/media"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

// Deps is what the media feature receives from the node (node's wiring:
// node fills it in and calls New). Every field is required unless its
// comment says otherwise.
type Deps struct {
	Self   core.AccountID // this node's account
	Device uint32         // this device
	Store  Store
	// Blocks is the block store files are kept in.
	Blocks pmedia.Collectable
	// Host serves blocks, fetches them and asks relays for copies; its
	// peerstore holds the providers' addresses.
	Host    host.Host
	Peers   PeerFinder // the DHT: addresses of providers known by ID only
	Devices Devices    // the resolver: device lists and certificates
	Outbox  Outbox
	// Recipients says whether a file may be queued for an account.
	Recipients Recipients
	Groups     Groups
	Relays     Relays
	// Registry is where New claims the content kinds of files.
	Registry rt.Registry
	// Ops is the account log: the file messages this device sends and
	// receives, and the auto-download policy, are recorded there for the
	// account's other devices, and theirs are folded in here.
	Ops rt.Ops
	// ListVersion is the version of our account's current device list.
	ListVersion func() uint64
	// OnMessage is told that a file from account from arrived (1:1),
	// after it was stored.
	OnMessage func(from core.AccountID)
	// Durable returns once everything committed before the call is on
	// disk: before a file sent is reported queued, or one downloaded
	// local.
	Durable func(ctx context.Context) error
	Publish func(core.Event)
	// Go runs f under the node's run context and makes the node's Close
	// wait for it; false once the node is closing.
	Go func(f func(ctx context.Context)) bool
	// RunCtx returns the node's run context, which ends when the node
	// begins to close: downloads and relay copies outlive the calls that
	// start them, not the node.
	RunCtx func() context.Context
	// Ready returns the node's error for calls it cannot serve (closed,
	// not started), nil when it can.
	Ready func() error
	// Retry is how long a download keeps trying to reach a provider
	// (node.WithMediaRetry); zero: DefaultRetry.
	Retry time.Duration
	// Now is the clock of retry deadlines; nil: time.Now.
	Now func() time.Time
	Log *slog.Logger // nil: discard
	// Quotes is the replies feature: the quotes file replies carry.
	Quotes Quotes
	// Expiry is the disappearing-messages feature: files count down like
	// texts. Nil: files never disappear.
	Expiry Expiry
}

// Expiry is the disappearing-messages feature's part in sending, storing
// and reading files (node/expiry's hooks, the shape of chats.Expiry).
type Expiry interface {
	// Stamp returns the timer a file sent now to chat carries and sets
	// m's countdown from m.SentAt; it runs outside any transaction.
	Stamp(ctx context.Context, chat storage.Account, group bool, m *storage.Message) (*pb.ChatTimer, error)
	// Receive sets the countdown of a file message about to be stored
	// from the timer its content carried (meta), in the storing
	// transaction; the function it returns runs after commit.
	Receive(ctx context.Context, chat storage.Account, group bool, meta *pb.ChatTimer, m *storage.Message) (func(), error)
	// Stored indexes a file message just stored, in the same transaction.
	Stored(ctx context.Context, m storage.Message) error
	// Wake tells the sweep a deadline was added, after commit.
	Wake()
}

// noExpiry is Expiry when the node has no disappearing messages.
type noExpiry struct{}

func (noExpiry) Stamp(context.Context, storage.Account, bool, *storage.Message) (*pb.ChatTimer, error) {
	return nil, nil
}

func (noExpiry) Receive(context.Context, storage.Account, bool, *pb.ChatTimer, *storage.Message) (func(), error) {
	return nil, nil
}

func (noExpiry) Stored(context.Context, storage.Message) error { return nil }

func (noExpiry) Wake() {}

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

// Store is the part of the node's store media uses.
type Store interface {
	// Update runs fn in one transaction (ctx carries it).
	Update(ctx context.Context, fn func(ctx context.Context) error) error
	InsertMessage(ctx context.Context, m storage.Message) error
	Message(ctx context.Context, id storage.MessageID) (storage.Message, error)
	PutAttachment(ctx context.Context, a storage.Attachment) error
	Attachment(ctx context.Context, id storage.MessageID) (storage.Attachment, error)
	UpdateAttachment(ctx context.Context, id storage.MessageID, change func(*storage.Attachment)) (storage.Attachment, error)
	Attachments(ctx context.Context, peer storage.Account, before storage.MessageID, limit int) ([]storage.Attachment, error)
	ForEachAttachment(ctx context.Context, fn func(storage.Attachment) error) error
	Setting(ctx context.Context, name string) ([]byte, error)
	PutSetting(ctx context.Context, name string, value []byte) error
	// CheckSpace fails with storage.ErrStorageFull when extra more bytes
	// would take the disk below the free space the node keeps.
	CheckSpace(extra uint64) error
}

// PeerFinder looks a peer's addresses up (the DHT).
type PeerFinder interface {
	FindPeer(ctx context.Context, p peer.ID) (peer.AddrInfo, error)
}

// Devices is the resolver of accounts' device lists, narrowed.
type Devices interface {
	// Get returns a's device list; with refresh it asks the network even
	// when one is cached.
	Get(ctx context.Context, a core.AccountID, refresh bool) (*identity.DeviceList, error)
	// Cached returns a's list if it is in memory, without I/O.
	Cached(a core.AccountID) *identity.DeviceList
	// Cert returns a verified certificate of a's device, if known.
	Cert(a core.AccountID, device uint32) *identity.Certificate
}

// Outbox queues 1:1 messages for delivery.
type Outbox interface {
	// Put encodes c as the outbox item of a message to account to and
	// writes it in the transaction ctx carries; Enqueue it after commit.
	Put(ctx context.Context, to core.AccountID, c *pb.Content) (storage.OutboxItem, error)
	// Enqueue hands a committed item to its recipient's delivery lane.
	Enqueue(item storage.OutboxItem)
	// Wake makes the lane of account to try again now.
	Wake(to core.AccountID)
}

// Recipients is the contacts' send policy.
type Recipients interface {
	// CheckRecipient fails when no message may be queued for to.
	CheckRecipient(ctx context.Context, to core.AccountID) error
}

// Groups is what media needs of the groups feature.
type Groups interface {
	IsGroup(id core.GroupID) bool
	// TopicPeers returns the peers on the group's topic: members that
	// may hold its files.
	TopicPeers(id core.GroupID) []peer.ID
	// PublishFile publishes a file to the group as one group message,
	// with caption as its text: importFile, given the message's ID,
	// stores the file's blocks and returns its manifest and the
	// attachment record to store with the message.
	// timer (nil: none) is the group's disappearing-messages timer the
	// message carries; its countdown starts at the send.
	PublishFile(ctx context.Context, id core.GroupID, caption string, opts core.SendOptions, timer *pb.ChatTimer,
		importFile func(id core.MessageID) (*pb.Media, *storage.Attachment, error)) (core.MessageID, error)
}

// Relays is what media needs of the node's own relays.
type Relays interface {
	All() []peer.ID       // every relay of the node
	Mailboxes() []peer.ID // those its device list names for deposits
}
