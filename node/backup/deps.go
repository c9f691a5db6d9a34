package backup

import (
	"context"
	"log/slog"
	"time"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/protocol/acctlog"
	"github.com/pigeon-net/pigeon/storage"
)

// Deps is what the backup feature receives from node (node's wiring).
type Deps struct {
	Ready  func() error
	Store  Store
	Self   core.AccountID
	Device uint32
	// AccountSeed returns the account key's seed, nil on a device that
	// does not hold it (it cannot make a restorable backup).
	AccountSeed func() []byte
	// Now is the clock of the schedule and of the key checks; nil:
	// time.Now.
	Now func() time.Time
	// After is the schedule's timer; nil: time.After.
	After   func(time.Duration) <-chan time.Time
	Publish func(core.Event)
	Log     *slog.Logger
	// Groups is the groups feature: the state of the account's groups,
	// as a new device's welcome carries it.
	Groups Groups
	// Files is the media feature: the files backups carry (nil: none).
	Files Files
}

// Groups exports the account's groups.
type Groups interface {
	Export(ctx context.Context) ([][]byte, error)
}

// Store is the part of the node's store backups read.
type Store interface {
	Setting(ctx context.Context, name string) ([]byte, error)
	PutSetting(ctx context.Context, name string, value []byte) error
	DeviceList(ctx context.Context, a storage.Account) ([]byte, error)
	Vector(ctx context.Context) (acctlog.Vector, error)
	AccountOp(ctx context.Context, device uint32, seq uint64) ([]byte, error)
}
