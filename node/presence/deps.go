package presence

import (
	"context"
	"log/slog"

	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

// Deps is what the presence feature receives from node (node's wiring).
type Deps struct {
	Self  core.AccountID
	Cert  *pb.Signed // this device's certificate: presence clients show it to relays
	Host  host.Host  // presence clients open their streams on it
	Ready func() error
	Store Store
	// Devices resolves accounts' device lists (their relays).
	Devices Devices
	Relays  Relays
	Policy  Policy
	Outbox  Outbox
	// Registry is where New claims the Typing content kind.
	Registry rt.Registry
	Publish  func(core.Event)
	// Go runs f under the node's run context, and Close of the node waits
	// for it; it returns false once the node is closing.
	Go  func(f func(ctx context.Context)) bool
	Log *slog.Logger
	// Ops is the account log: the privacy set on one device holds on
	// all (the relays take the latest any device announces).
	Ops rt.Ops
	// Enqueue hands a stored outbox item (an operation for our other
	// devices) to its lane, after commit.
	Enqueue func(storage.OutboxItem)
}

// Store is the part of the node's store presence uses.
type Store interface {
	// Update runs fn in one transaction (ctx carries it).
	Update(ctx context.Context, fn func(ctx context.Context) error) error
	Setting(ctx context.Context, name string) ([]byte, error)
	PutSetting(ctx context.Context, name string, value []byte) error
	Contacts(ctx context.Context) ([]storage.Contact, error)
	// BlockedAccounts lists the accounts the user blocked: they never see
	// our presence, even when they are contacts.
	BlockedAccounts(ctx context.Context) ([]storage.Account, error)
}

// Devices resolves accounts' device lists.
type Devices interface {
	Get(ctx context.Context, a core.AccountID, refresh bool) (*identity.DeviceList, error)
}

// Relays are the node's own relays.
type Relays interface {
	Infos() []peer.AddrInfo
	// Watch returns a channel that receives (without blocking its sender)
	// when the relays change.
	Watch() <-chan struct{}
}

// Policy is the contacts feature's send policy.
type Policy interface {
	// Allowed refuses sending to a verified contact whose identity
	// changed since.
	Allowed(ctx context.Context, to core.AccountID) (known bool, err error)
}

// Outbox is the delivery runtime, narrowed to ephemeral contents.
type Outbox interface {
	// SendEphemeral encrypts content (message id) for each device of to
	// that is connected now and has a session with us, and sends it
	// directly: no dialling, no queueing. It fails only when to's device
	// list cannot be found; undelivered copies are dropped.
	SendEphemeral(ctx context.Context, to core.AccountID, id core.MessageID, content []byte) error
}
