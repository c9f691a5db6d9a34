package node

import (
	"github.com/pigeon-net/pigeon/node/actions"
	"github.com/pigeon-net/pigeon/node/internal/rt"
)

// Actions returns the node's edits, deletes and reactions of messages in
// 1:1 chats and groups (see package node/actions). Its methods return
// ErrNotStarted before Start.
func (n *Node) Actions() *actions.Service {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.actions
}

// newActions makes the actions feature: it claims the action kinds from
// n.handlers and hooks the store's inserts (actions that arrived before
// their message apply when it is stored).
func (n *Node) newActions() (*actions.Service, error) {
	s, err := actions.New(actions.Deps{
		Self:        rt.CoreAccount(n.self),
		Device:      n.device,
		Ready:       n.ready,
		Store:       n.store,
		Outbox:      n.post,
		Recipients:  n.contacts,
		Groups:      n.groups,
		Registry:    n.handlers,
		Ops:         n.alog,
		ListVersion: n.ownListVersion,
		Publish:     n.bus.publish,
		Log:         n.log.With("sub", "actions"),
	})
	if err != nil {
		return nil, err
	}
	n.store.OnInsert(s.BeforeInsert)
	return s, nil
}
