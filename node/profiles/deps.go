package profiles

import (
	"context"
	"log/slog"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

// Deps is what the profiles feature receives from node (node's wiring).
type Deps struct {
	Self  core.AccountID
	Ready func() error
	Store Store
	// Ops is the account log: our own profile is the same on every
	// device.
	Ops rt.Ops
	// Enqueue hands a stored outbox item to its lane, after commit.
	Enqueue func(storage.OutboxItem)
	// Pairwise sends a content to every device of an account.
	Pairwise Pairwise
	// Groups publishes to groups and lists them.
	Groups Groups
	// Quiet reports whether nothing but messages may go to an account
	// (blocked, or its message request pending).
	Quiet func(ctx context.Context, a core.AccountID) (bool, error)
	// Registry is where New claims the profile content kinds.
	Registry rt.Registry
	Publish  func(core.Event)
	Log      *slog.Logger
}

// Store is the part of the node's store profiles use.
type Store interface {
	Update(ctx context.Context, fn func(ctx context.Context) error) error
	PutProfile(ctx context.Context, a storage.Account, rec []byte) error
	Profile(ctx context.Context, a storage.Account) ([]byte, error)
	Profiles(ctx context.Context, fn func(a storage.Account, rec []byte) error) error
	Contacts(ctx context.Context) ([]storage.Contact, error)
}

// Pairwise is the delivery runtime, narrowed.
type Pairwise interface {
	// QueuePairwise stores c in the outbox for to's devices and hands it
	// to to's lane; it fills in c's message ID and time.
	QueuePairwise(ctx context.Context, to core.AccountID, c *pb.Content) error
}

// Groups is the groups feature, narrowed.
type Groups interface {
	// PublishContent sends a group content that is no message of the
	// chat to group id.
	PublishContent(ctx context.Context, id core.GroupID, c *pb.GroupContent) error
	// Joined lists the groups this account is a member of.
	Joined(ctx context.Context) ([]core.GroupID, error)
}
