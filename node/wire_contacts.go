package node

import (
	"context"

	"github.com/pigeon-net/pigeon/node/contacts"
	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/e2e"
	"github.com/pigeon-net/pigeon/protocol/identity"
)

// Contacts returns the node's address book: contacts, safety numbers,
// verification.
func (n *Node) Contacts() *contacts.Service {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.contacts
}

// sendPolicy is what the runtime (outbox, receive) asks the contacts
// feature: may we send to an account, and a contact's device identity
// changed.
type sendPolicy interface {
	Allowed(ctx context.Context, to identity.AccountID) (known bool, err error)
	IdentityChanged(ctx context.Context, ch *e2e.IdentityChange)
}

// contactsPolicy is the contacts feature as the runtime asks it.
type contactsPolicy struct{ *contacts.Service }

func (c contactsPolicy) Allowed(ctx context.Context, to identity.AccountID) (bool, error) {
	return c.Service.Allowed(ctx, rt.CoreAccount(to))
}

// resolverDevices is the resolver as the features see it.
type resolverDevices struct{ r *resolver }

func (d resolverDevices) Get(ctx context.Context, a core.AccountID, refresh bool) (*identity.DeviceList, error) {
	return d.r.get(ctx, rt.Account(a), refresh)
}

// newContacts builds the contacts feature.
func newContacts(n *Node) (*contacts.Service, error) {
	return contacts.New(contacts.Deps{
		Self:            rt.CoreAccount(n.self),
		IdentityKey:     n.cert.SignalIdentityKey,
		Ready:           n.ready,
		Store:           n.store,
		Devices:         resolverDevices{n.resolver},
		Publish:         n.bus.publish,
		ContactsChanged: func() { n.presence.ContactsChanged() },
		Wake:            func(a core.AccountID) { n.outbox.wake(rt.Account(a)) },
		Log:             n.log.With("sub", "contacts"),
	})
}
