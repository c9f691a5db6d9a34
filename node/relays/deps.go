package relays

import (
	"context"
	"log/slog"

	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

// Deps is what the relays feature receives from node, which builds it in
// Start (wiring, not the embedding API). Every func and interface is
// called only while the node runs.
type Deps struct {
	// Account, Device and Cert are this device's account, device ID and
	// signed certificate (registrations and box closings present it).
	Account core.AccountID
	Device  uint32
	Cert    *pb.Signed

	// Configured are the relays given by WithRelays, each "ADDR" or
	// "ADDR,INVITE"; they are not stored. MailboxRelays is how many
	// relays the device list names for deposits.
	Configured    []string
	MailboxRelays int

	Host  host.Host
	Store Store
	// PreKeys hands one-time prekey bundles out of our pool for relays
	// to give senders while this device is away.
	PreKeys PreKeys
	// Groups names the group topics our relays follow for us.
	Groups Groups

	// OpenDeposit takes one envelope drained from our mailbox, as if it
	// had arrived directly, and returns its code (OK, or why it was
	// refused; INTERNAL and STORAGE_FULL leave it at the relay).
	OpenDeposit func(ctx context.Context, raw []byte) pb.ErrorCode
	// Durable returns once what was stored before the call is on disk:
	// drained items are acked (deleted at the relay) only then.
	Durable func(ctx context.Context) error
	// DepositKeys are the credential keys of our deposit secrets for a
	// relay, registered there so contacts' deposits use the whole quota.
	DepositKeys func(relay peer.ID) [][32]byte
	// QuietKeys are the credential keys of the quiet twins of those
	// secrets (handed to muted contacts): their deposits wake nobody.
	QuietKeys func(relay peer.ID) [][32]byte
	// RotateDepositSecret makes a new deposit secret, keeping the
	// current one as the previous (the secrets live in the runtime).
	RotateDepositSecret func(ctx context.Context) error
	// ListVersion is the version of our device list that first named our
	// current mailbox relays: older deposits are refused as stale.
	ListVersion func() uint64
	// Republish asks for our device list to be published again (the
	// mailbox relays or circuit addresses changed).
	Republish func()

	// Ready returns nil while the node runs, else why not (not started,
	// closed).
	Ready func() error
	// Go runs f on a goroutine the node owns and waits for at Close; it
	// returns false once the node is closing.
	Go  func(f func(ctx context.Context)) bool
	Log *slog.Logger

	// Ops is the account log: relays added or removed on one device are
	// added or removed on all, so every device keeps its mailbox at the
	// relays the device list names.
	Ops rt.Ops
	// Enqueue hands a stored outbox item (an operation for our other
	// devices) to its lane, after commit.
	Enqueue func(storage.OutboxItem)
}

// Store is the part of the node's store the relays use: settings.
type Store interface {
	// Update runs fn in one transaction (ctx carries it).
	Update(ctx context.Context, fn func(ctx context.Context) error) error
	Setting(ctx context.Context, name string) ([]byte, error)
	PutSetting(ctx context.Context, name string, value []byte) error
}

// PreKeys is the e2e manager's prekey pool, narrowed.
type PreKeys interface {
	// Bundle takes a one-time prekey bundle from the pool.
	Bundle(ctx context.Context) (*pb.PreKeyBundle, error)
	// PublishedBundle returns the signed-prekey bundle and its signed
	// record, which relays fall back to.
	PublishedBundle(ctx context.Context) (*pb.PreKeyBundle, []byte, error)
}

// Groups is the groups feature, narrowed.
type Groups interface {
	// Topics returns the topics of the groups this account is in, and
	// QuietTopics those of them the user muted.
	Topics() [][32]byte
	QuietTopics() [][32]byte
}
