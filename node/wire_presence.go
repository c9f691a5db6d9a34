package node

import (
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/node/presence"
)

// Presence returns the node's presence (online / last seen) and typing
// indicators.
func (n *Node) Presence() *presence.Service {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.presence
}

// typingTTL is how long a group typing indicator lasts (groups still live
// in node).
var typingTTL = presence.TypingTTL

// newPresence builds the presence feature; it claims the Typing kind.
func newPresence(n *Node) (*presence.Service, error) {
	return presence.New(presence.Deps{
		Self:     rt.CoreAccount(n.self),
		Cert:     n.cert.Signed,
		Host:     n.host,
		Ready:    n.ready,
		Store:    n.store,
		Devices:  n.resolver,
		Relays:   n.relays,
		Policy:   presencePolicy{n},
		Outbox:   n.post,
		Registry: n.handlers,
		Publish:  n.bus.publish,
		Go:       n.goroutine,
		Log:      n.log.With("sub", "presence"),
		Ops:      n.alog,
		Enqueue:  n.post.Enqueue,
	})
}
