package devices

import (
	"context"
	"log/slog"
	"time"

	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

// Deps is what the devices feature receives from node (node's wiring).
type Deps struct {
	Self   core.AccountID
	Device uint32                // this device
	Cert   *identity.Certificate // this device's certificate
	// Name and Platform name this device in the account log when nothing
	// has named it yet (the first device of an account).
	Name, Platform string
	// Account is the account key; nil on a device that does not hold it
	// (it can neither link nor revoke).
	Account Signer
	Ready   func() error
	Host    host.Host
	Store   Store
	Lists   Lists
	Ops     rt.Ops
	Outbox  Outbox
	// Registry is where New claims the DeviceList content kind.
	Registry rt.Registry
	// Resolver keeps the device lists other accounts push.
	Resolver Resolver
	// Peers returns the accounts that must hear of a change to our list
	// at once (contacts, chat peers): they stop encrypting to a revoked
	// device, and start encrypting to a linked one.
	Peers func(ctx context.Context) []core.AccountID
	// Linked runs (on the node's goroutine owner) after this device
	// linked a new one: the groups feature welcomes it into the account's
	// groups.
	Linked func(ctx context.Context)
	// State computes the account log's state hash.
	State   func(ctx context.Context) ([32]byte, error)
	Publish func(core.Event)
	Go      func(func(ctx context.Context)) bool
	Now     func() time.Time // time.Now when nil
	Log     *slog.Logger
}

// Signer is the account key.
type Signer interface {
	IssueCertificate(deviceID uint32, p peer.ID, signalIdentityKey []byte, at time.Time) (*pb.Signed, error)
}

// Store is the part of the node's store the feature uses.
type Store interface {
	// Update runs fn in one transaction (ctx carries it).
	Update(ctx context.Context, fn func(ctx context.Context) error) error
	Setting(ctx context.Context, name string) ([]byte, error)
	PutSetting(ctx context.Context, name string, value []byte) error
}

// Lists is the account's own device list (the publisher).
type Lists interface {
	// Own returns the list as this device last stored it.
	Own(ctx context.Context) *identity.DeviceList
	// AddDevice and RemoveDevice sign, store and publish the next list.
	AddDevice(ctx context.Context, cert *identity.Certificate, addrs []ma.Multiaddr) ([]byte, error)
	RemoveDevice(ctx context.Context, id uint32) ([]byte, error)
}

// Outbox is the delivery runtime's outbox.
type Outbox interface {
	// Enqueue hands a stored item to its recipient's lane, after commit.
	Enqueue(it storage.OutboxItem)
	// QueuePairwise stores a control content for to's devices and
	// enqueues it.
	QueuePairwise(ctx context.Context, to core.AccountID, c *pb.Content) error
}

// Resolver keeps device lists.
type Resolver interface {
	// Accept keeps a verified list when it is newer than the one held.
	Accept(ctx context.Context, l *identity.DeviceList, raw []byte) (*identity.DeviceList, error)
	// Cached returns the list held in memory for account a, nil if none.
	Cached(a core.AccountID) *identity.DeviceList
}
