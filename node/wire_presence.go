package node

import (
	"context"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/pigeon-net/pigeon/node/core"
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

// presenceRelays are the node's relays as presence sees them.
type presenceRelays struct{ s *relaySet }

func (r presenceRelays) Infos() []peer.AddrInfo { return r.s.infos() }
func (r presenceRelays) Watch() <-chan struct{} { return r.s.watch() }

// ephemeral is the runtime's ephemeral send as presence sees it.
type ephemeral struct{ n *Node }

func (e ephemeral) SendEphemeral(ctx context.Context, to core.AccountID, id core.MessageID, content []byte) error {
	return e.n.sendEphemeral(ctx, to, id, content)
}

// newPresence builds the presence feature; it claims the Typing kind.
func (n *Node) newPresence() (err error) {
	n.presence, err = presence.New(presence.Deps{
		Self:     n.self,
		Cert:     n.cert.Signed,
		Host:     n.host,
		Ready:    n.ready,
		Store:    n.store,
		Devices:  resolverDevices{n.resolver},
		Relays:   presenceRelays{&n.relays},
		Policy:   n.contacts,
		Outbox:   ephemeral{n},
		Registry: n.handlers,
		Publish:  n.bus.publish,
		Go:       n.goroutine,
		Log:      n.log.With("sub", "presence"),
	})
	return err
}
