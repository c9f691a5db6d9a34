package node

import (
	"github.com/pigeon-net/pigeon/node/contacts"
	"github.com/pigeon-net/pigeon/node/internal/rt"
)

// Contacts returns the node's address book: contacts, safety numbers,
// verification.
func (n *Node) Contacts() *contacts.Service {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.contacts
}

// newContacts builds the contacts feature.
func newContacts(n *Node) (*contacts.Service, error) {
	return contacts.New(contacts.Deps{
		Self:            rt.CoreAccount(n.self),
		IdentityKey:     n.cert.SignalIdentityKey,
		Ready:           n.ready,
		Store:           n.store,
		Devices:         n.resolver,
		Publish:         n.shareOnEvent,
		ContactsChanged: func() { n.presence.ContactsChanged() },
		Wake:            n.post.Wake,
		Ops:             n.alog,
		Enqueue:         n.post.Enqueue,
		Log:             n.log.With("sub", "contacts"),
		Now:             n.opClock(),
	})
}
