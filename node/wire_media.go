package node

import (
	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/node/media"
)

// The media feature's wiring: its Deps, and the adapters that give it the
// parts of the node it uses.

// Media returns the node's files: sending, receiving, downloading and
// saving them (see package node/media). Its methods return ErrNotStarted
// before Start.
func (n *Node) Media() *media.Service {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.media
}

// newMedia makes the media feature; it claims its content kinds from
// n.handlers.
func (n *Node) newMedia() (*media.Service, error) {
	return media.New(media.Deps{
		Self: rt.CoreAccount(n.self), Device: n.device,
		Store: n.store, Blocks: n.store.Blocks(), Host: n.host, Peers: n.dht,
		Devices: n.resolver, Outbox: n.post, Recipients: recipients{n},
		Groups: n.groups, Relays: n.relays,
		Registry:    n.handlers,
		Ops:         n.alog,
		ListVersion: n.ownListVersion,
		OnMessage:   func(from core.AccountID) { n.presence.Stopped(from) },
		Durable:     n.post.Durable,
		Publish:     n.bus.publish,
		Go:          n.goroutine,
		RunCtx:      n.runCtx,
		Ready:       n.ready,
		Retry:       n.cfg.mediaRetry,
		Log:         n.log,
		Quotes:      n.replies,
		Expiry:      n.expiry, // created before media (Start)
	})
}
