package node

import (
	"context"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/media"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
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
		Self: n.self, Device: n.device,
		Store: n.store, Blocks: n.store.Blocks(), Host: n.host, Peers: n.dht,
		Devices: n.resolver, Outbox: mediaOutbox{n}, Recipients: n.contacts,
		Groups: n.groups, Relays: n.relays,
		Registry:  n.handlers,
		OnMessage: func(from core.AccountID) { n.presence.Stopped(from) },
		Durable:   n.durable,
		Publish:   n.bus.publish,
		Go:        n.goroutine,
		RunCtx:    n.runCtx,
		Ready:     n.ready,
		Retry:     n.cfg.mediaRetry,
		Log:       n.log,
	})
}

// attachments is what the outbox's deposits need of the media feature:
// copies of a file at the recipient's relays before the message that
// carries it is deposited there.
type attachments interface {
	CopyReady(ctx context.Context, to core.AccountID, device uint32, relays []peer.AddrInfo, item storage.OutboxItem) bool
	CopiedAt(id core.MessageID, relay peer.ID) ([][]byte, bool)
	PinAtRelay(ctx context.Context, relay peer.ID, box [32]byte, device uint32, item storage.OutboxItem) [][]byte
	ForgetCopy(id core.MessageID)
}

var _ attachments = (*media.Service)(nil)

type mediaOutbox struct{ n *Node }

func (o mediaOutbox) Put(ctx context.Context, to core.AccountID, c *pb.Content) (storage.OutboxItem, error) {
	raw, err := encodeContent(c)
	if err != nil {
		return storage.OutboxItem{}, err
	}
	item := storage.OutboxItem{
		ID: storage.MessageID(c.MessageId), Recipient: storageAccount(to), Content: raw, CreatedAt: time.UnixMilli(c.SentAtMs),
	}
	return item, o.n.store.PutOutbox(ctx, item)
}
func (o mediaOutbox) Enqueue(item storage.OutboxItem) { o.n.outbox.enqueue(item) }
func (o mediaOutbox) Wake(to core.AccountID)          { o.n.outbox.wake(to) }
