package groups

import (
	"context"
	"log/slog"
	"time"

	"github.com/libp2p/go-libp2p/core/host"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/e2e"
	"github.com/pigeon-net/pigeon/protocol/group"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

// Deps is what the groups feature receives from the node (node fills it
// in; it is wiring, not the embedding API). Every interface names only the
// methods groups uses.
type Deps struct {
	// Account, Device and Cert are this device's: its account, device
	// number and certificate signed by the account.
	Account core.AccountID
	Device  uint32
	Cert    *identity.Certificate

	Store Store
	// Host opens groups' streams (/pigeon/group/1), carries the topics
	// (GossipSub) and dials members.
	Host host.Host
	// Keys holds the sender keys: this device's chain in each group and
	// the chains members handed it.
	Keys *e2e.Groups
	// Signer signs membership ops as this device.
	Signer *group.Signer
	// Devices finds members' device lists and certificates.
	Devices Devices
	// Pairwise sends control contents (sender keys, welcomes, receipts)
	// through the outbox to every device of an account.
	Pairwise Pairwise
	// States moves our messages' delivery states (group receipts, sent).
	States States
	// Ops is the account log: the group texts this device sends and
	// receives, for devices of the account linked later.
	Ops rt.Ops
	// Registry is where groups claims its pairwise contents (group
	// control, receipts of group messages) and finds the handlers other
	// features registered for group contents (files).
	Registry Registry

	// Durable waits until what was written is on disk (before telling
	// anyone "I have it").
	Durable func(ctx context.Context) error
	// Ready returns why the node cannot serve calls now (closed, not
	// started), nil when it can.
	Ready func() error
	// TopicsChanged says the topics of the groups this node is in changed
	// (our relays follow them).
	TopicsChanged func()
	// Publish hands an event to the node's subscribers.
	Publish func(core.Event)
	// Go runs a goroutine the node owns: it refuses (false) once the node
	// closes, and the node waits for it.
	Go func(func(ctx context.Context)) bool
	// Log is the feature's logger.
	Log *slog.Logger
	// Blocked reports whether the user blocked an account (nil: none
	// is): a blocked account cannot add us to a group.
	Blocked func(ctx context.Context, a core.AccountID) (bool, error)
	// Quotes is the replies feature: the quotes group replies carry.
	Quotes Quotes

	Tuning Tuning
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

// Tuning holds what tests turn; a zero field takes its default.
type Tuning struct {
	// Tick is how often a group's worker runs on its own (repair, key
	// hand-out, connections): 30 s.
	Tick time.Duration
	// RepairEvery is the least time between two repairs of one group
	// that its timer did not ask for: 2 s.
	RepairEvery time.Duration
	// HoldItems and HoldBytes bound what waits in memory for a group:
	// 8192 ops and device lists, 8 MiB of them.
	HoldItems, HoldBytes int
}

// Store is the part of the node's store groups uses: groups, their op
// logs and archives, messages of groups and their receipts, device lists.
type Store interface {
	Update(ctx context.Context, fn func(ctx context.Context) error) error

	Groups(ctx context.Context) ([]storage.Group, error)
	PutGroup(ctx context.Context, g storage.Group) error
	GroupOps(ctx context.Context, group [32]byte) ([][]byte, error)
	PutGroupOp(ctx context.Context, group [32]byte, hash [32]byte, raw []byte) error
	PruneGroupOps(ctx context.Context) (int, error)

	GroupSenders(ctx context.Context, group [32]byte) ([]storage.GroupSender, error)
	ArchiveGroupEnvelope(ctx context.Context, group [32]byte, e storage.ArchivedEnvelope) (fresh bool, contig uint64, err error)
	ArchivedAfter(ctx context.Context, group [32]byte, a storage.Account, device uint32, after uint64, limit, maxBytes int) ([]storage.ArchivedEnvelope, error)
	PutPendingGroup(ctx context.Context, group [32]byte, id storage.MessageID, raw []byte) error
	PendingGroup(ctx context.Context, group [32]byte, limit int) ([][]byte, error)
	DeletePendingGroup(ctx context.Context, group [32]byte, id storage.MessageID) error
	SetGroupSeqFloor(ctx context.Context, group [32]byte, a storage.Account, device uint32, floor uint64) error
	GroupKeysSent(ctx context.Context, group [32]byte) (map[storage.GroupSender]uint32, error)
	SetGroupKeySent(ctx context.Context, group [32]byte, a storage.Account, device, keyID uint32) error

	InsertMessage(ctx context.Context, m storage.Message) error
	Message(ctx context.Context, id storage.MessageID) (storage.Message, error)
	DeleteMessage(ctx context.Context, id storage.MessageID) error
	History(ctx context.Context, peer storage.Account, before storage.MessageID, limit int) ([]storage.Message, error)
	UnreadIncoming(ctx context.Context, peer storage.Account) ([]storage.Message, error)
	PutAttachment(ctx context.Context, a storage.Attachment) error
	Attachment(ctx context.Context, id storage.MessageID) (storage.Attachment, error)
	Conversations(ctx context.Context) ([]storage.Conversation, error)
	SetGroupReceipt(ctx context.Context, id storage.MessageID, member storage.Account, st storage.State) (changed bool, err error)
	GroupReceipts(ctx context.Context, id storage.MessageID) (map[storage.Account]storage.State, error)

	DeviceList(ctx context.Context, a storage.Account) ([]byte, error)
}

// Devices finds accounts' device lists and devices' certificates (the
// node's resolver).
type Devices interface {
	// Get returns a's device list: cached, stored, or from the DHT
	// (always from the DHT with refresh).
	Get(ctx context.Context, a core.AccountID, refresh bool) (*identity.DeviceList, error)
	// Known returns a's list when one is at hand (memory or store),
	// without asking the DHT; nil when none is.
	Known(ctx context.Context, a core.AccountID) *identity.DeviceList
	// Cert returns a verified certificate of a's device, nil if none is
	// known.
	Cert(a core.AccountID, device uint32) *identity.Certificate
	// RememberCert keeps a verified certificate.
	RememberCert(c *identity.Certificate)
	// Accept keeps a verified list unless the one held is newer, and
	// returns the one held then (storage.ErrStale: an older one).
	Accept(ctx context.Context, l *identity.DeviceList, raw []byte) (*identity.DeviceList, error)
}

// Pairwise queues control contents for every device of an account.
type Pairwise interface {
	// QueuePairwise stores c in the outbox for to's devices and hands it
	// to to's delivery lane; it fills in c's message ID and time.
	QueuePairwise(ctx context.Context, to core.AccountID, c *pb.Content) error
	// Enqueue hands an outbox item whose transaction committed (an
	// account-log operation for our other devices) to its lane.
	Enqueue(it storage.OutboxItem)
}

// States moves the delivery states of this node's messages.
type States interface {
	// SetState moves message id forward to st, in the caller's
	// transaction when ctx carries one, and returns the events to
	// publish once that commits.
	SetState(ctx context.Context, id core.MessageID, st core.State) ([]core.Event, error)
}

// Registry is the node's content registry: groups registers its handlers
// there, and finds there the handler another feature registered for a
// kind of group content.
type Registry interface {
	rt.Registry
	GroupHandler(c *pb.GroupContent) (rt.GroupContentHandler, bool)
}

// Expiry is the disappearing-messages feature's part in sending, storing
// and reading group texts (node/expiry's hooks; see chats.Expiry).
type Expiry interface {
	Stamp(ctx context.Context, chat storage.Account, group bool, m *storage.Message) (*pb.ChatTimer, error)
	Receive(ctx context.Context, chat storage.Account, group bool, meta *pb.ChatTimer, m *storage.Message) (func(), error)
	Stored(ctx context.Context, m storage.Message) error
	Read(ctx context.Context, chat storage.Account, upTo storage.MessageID, at time.Time) (func(), error)
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

func (noExpiry) Read(context.Context, storage.Account, storage.MessageID, time.Time) (func(), error) {
	return nil, nil
}

func (noExpiry) Wake() {}
