package node

import (
	"github.com/pigeon-net/pigeon/node/chats"
	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
)

// Chats returns the node's 1:1 chats: sending texts, history,
// conversations, read receipts.
func (n *Node) Chats() *chats.Service {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.chats
}

// newChats builds the chats feature; it claims the Text kind.
func newChats(n *Node) (*chats.Service, error) {
	return chats.New(chats.Deps{
		Self:        rt.CoreAccount(n.self),
		Device:      n.device,
		Ready:       n.ready,
		Store:       n.store,
		Outbox:      n.post,
		States:      n.post,
		Receipts:    n.post,
		Recipients:  recipients{n},
		Registry:    n.handlers,
		Ops:         n.alog,
		ListVersion: n.ownListVersion,
		Publish:     n.bus.publish,
		OnMessage:   func(from core.AccountID) { n.presence.Stopped(from) },
		Quotes:      n.replies,
		Expiry:      n.expiry,
	})
}
