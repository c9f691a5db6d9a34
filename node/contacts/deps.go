package contacts

import (
	"context"
	"log/slog"
	"time"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/storage"
)

// Deps is what the contacts feature receives from node (node's wiring).
type Deps struct {
	Self        core.AccountID
	IdentityKey []byte       // this device's Signal identity key (for safety numbers)
	Ready       func() error // nil when the node serves calls, else why not
	Store       Store
	Devices     Devices
	Publish     func(core.Event)
	// ContactsChanged is called after every contact write (presence: who
	// may see us and whom we watch).
	ContactsChanged func()
	// Wake has the outbox lane of an account retry now (after a
	// verification unblocked it).
	Wake func(core.AccountID)
	// Ops is the account log: contacts added, renamed, verified or
	// removed on one device show on all.
	Ops rt.Ops
	// Enqueue hands a stored outbox item (an operation for our other
	// devices) to its lane, after commit.
	Enqueue func(storage.OutboxItem)
	Log     *slog.Logger
	// Now is the clock of device notices; nil: time.Now.
	Now func() time.Time
}

// Store is the part of the node's store contacts use.
type Store interface {
	// Update runs fn in one transaction (ctx carries it).
	Update(ctx context.Context, fn func(ctx context.Context) error) error
	Contact(ctx context.Context, a storage.Account) (storage.Contact, error)
	Contacts(ctx context.Context) ([]storage.Contact, error)
	PutContact(ctx context.Context, c storage.Contact) error
	DeleteContact(ctx context.Context, a storage.Account) error

	SetBlocked(ctx context.Context, a storage.Account, on bool) error
	Blocked(ctx context.Context, a storage.Account) (bool, error)
	BlockedAccounts(ctx context.Context) ([]storage.Account, error)
	SetRequest(ctx context.Context, a storage.Account, on bool) error
	Request(ctx context.Context, a storage.Account) (bool, error)
	Requests(ctx context.Context) ([]storage.Account, error)
	// History and DeleteMessage: a new conversation (a request), and
	// deleting a request's messages.
	History(ctx context.Context, peer storage.Account, before storage.MessageID, limit int) ([]storage.Message, error)
	DeleteMessage(ctx context.Context, id storage.MessageID) error
	// Device notices: the devices last seen of each account, and the
	// notice in the chat.
	Setting(ctx context.Context, name string) ([]byte, error)
	PutSetting(ctx context.Context, name string, value []byte) error
	InsertMessage(ctx context.Context, m storage.Message) error
}

// Devices resolves accounts' device lists.
type Devices interface {
	// Get returns a's device list (cached, stored or from the DHT;
	// refresh asks the DHT again).
	Get(ctx context.Context, a core.AccountID, refresh bool) (*identity.DeviceList, error)
}
