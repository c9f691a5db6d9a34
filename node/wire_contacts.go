package node

import (
	"context"

	"github.com/pigeon-net/pigeon/node/contacts"
	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/protocol/e2e"
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
	Allowed(ctx context.Context, to core.AccountID) (known bool, err error)
	IdentityChanged(ctx context.Context, ch *e2e.IdentityChange)
}

// newContacts builds the contacts feature.
func newContacts(n *Node) (*contacts.Service, error) {
	return contacts.New(contacts.Deps{
		Self:            n.self,
		IdentityKey:     n.cert.SignalIdentityKey,
		Ready:           n.ready,
		Store:           n.store,
		Devices:         n.resolver,
		Publish:         n.bus.publish,
		ContactsChanged: func() { n.presence.ContactsChanged() },
		Wake:            func(a core.AccountID) { n.outbox.wake(a) },
		Log:             n.log.With("sub", "contacts"),
	})
}
