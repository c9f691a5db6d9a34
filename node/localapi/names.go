package localapi

import (
	"context"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/contacts"
	"github.com/pigeon-net/pigeon/node/groups"
	"github.com/pigeon-net/pigeon/node/profiles"
)

// names holds what the user calls accounts (contact names) and groups
// (their names), so responses and events carry a name beside each ID. The
// API takes IDs only; clients resolve names to IDs from GET /v1/contacts
// and GET /v1/groups (the CLI does).
type names struct {
	accounts map[string]string // account ID text → contact name, else profile name
	groups   map[string]string // group ID text → group name
	profiles map[string]string // account ID text → profile name
	avatars  map[string]bool   // account ID text → its profile has an avatar
}

// loadNames reads the contacts and groups; a failure leaves names empty
// (a response without names is still right).
func (s *Server) loadNames(ctx context.Context) names {
	nm := names{accounts: make(map[string]string), groups: make(map[string]string),
		profiles: make(map[string]string), avatars: make(map[string]bool)}
	// A contact's own name wins over the name its profile gives.
	if ps, err := s.node.Profiles().List(ctx); err == nil {
		for _, p := range ps {
			id := p.Account.String()
			nm.accounts[id], nm.profiles[id], nm.avatars[id] = p.Name, p.Name, p.AvatarType != ""
		}
	}
	if cs, err := s.node.Contacts().List(ctx); err == nil {
		for _, c := range cs {
			if c.Name != "" {
				nm.accounts[c.Account.String()] = c.Name
			}
		}
	}
	if gs, err := s.node.Groups().List(ctx); err == nil {
		for _, g := range gs {
			nm.groups[g.ID.String()] = g.Name
		}
	}
	return nm
}

// account is the contact name of an account ID in text form, or "".
func (nm names) account(id string) string { return nm.accounts[id] }

// group is the name of a group ID in text form, or "".
func (nm names) group(id string) string { return nm.groups[id] }

// message adds the names of a message's peer, sender and group.
func (nm names) message(m *Message) {
	m.PeerName = nm.account(m.Peer)
	m.SenderName = nm.account(m.Sender)
	m.GroupName = nm.group(m.Group)
	if m.ReplyTo != nil {
		m.ReplyTo.AuthorName = nm.account(m.ReplyTo.Author)
	}
	if m.Media != nil {
		m.Media.PeerName, m.Media.GroupName = nm.account(m.Media.Peer), nm.group(m.Media.Group)
	}
}

// event adds the names of the accounts and group an event names.
func (nm names) event(ev *Event) {
	if ev.Message != nil {
		nm.message(ev.Message)
	}
	ev.PeerName = nm.account(ev.Peer)
	ev.FromName = nm.account(ev.From)
	ev.AccountName = nm.account(ev.Account)
	ev.ByName = nm.account(ev.By)
	ev.GroupName = nm.group(ev.Group)
}

// changesNames reports whether an event may change what names holds.
func changesNames(e node.Event) bool {
	switch e.(type) {
	case contacts.Changed, groups.Changed, profiles.Changed:
		return true
	}
	return false
}
