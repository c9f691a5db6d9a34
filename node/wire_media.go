package node

import (
	"context"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/node/media"
	"github.com/pigeon-net/pigeon/protocol/identity"
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
		Self: rt.CoreAccount(n.self), Device: n.device,
		Store: n.store, Blocks: n.store.Blocks(), Host: n.host, Peers: n.dht,
		Devices: mediaDevices{n}, Outbox: mediaOutbox{n}, Recipients: n.contacts,
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
	CopyReady(ctx context.Context, to identity.AccountID, device uint32, relays []peer.AddrInfo, item storage.OutboxItem) bool
	CopiedAt(id storage.MessageID, relay peer.ID) ([][]byte, bool)
	PinAtRelay(ctx context.Context, relay peer.ID, box [32]byte, device uint32, item storage.OutboxItem) [][]byte
	ForgetCopy(id storage.MessageID)
}

// mediaAttachments is the media feature as the outbox's deposits use it.
type mediaAttachments struct{ *media.Service }

var _ attachments = mediaAttachments{}

func (m mediaAttachments) CopyReady(ctx context.Context, to identity.AccountID, device uint32, relays []peer.AddrInfo, item storage.OutboxItem) bool {
	return m.Service.CopyReady(ctx, rt.CoreAccount(to), device, relays, item)
}

func (m mediaAttachments) CopiedAt(id storage.MessageID, relay peer.ID) ([][]byte, bool) {
	return m.Service.CopiedAt(rt.CoreID(id), relay)
}

func (m mediaAttachments) ForgetCopy(id storage.MessageID) { m.Service.ForgetCopy(rt.CoreID(id)) }

type mediaDevices struct{ n *Node }

func (d mediaDevices) Get(ctx context.Context, a core.AccountID, refresh bool) (*identity.DeviceList, error) {
	return d.n.resolver.get(ctx, rt.Account(a), refresh)
}
func (d mediaDevices) Cached(a core.AccountID) *identity.DeviceList {
	return d.n.resolver.cached(rt.Account(a))
}
func (d mediaDevices) Cert(a core.AccountID, device uint32) *identity.Certificate {
	return d.n.resolver.cert(rt.Account(a), device)
}

type mediaOutbox struct{ n *Node }

func (o mediaOutbox) Put(ctx context.Context, to core.AccountID, c *pb.Content) (storage.OutboxItem, error) {
	raw, err := encodeContent(c)
	if err != nil {
		return storage.OutboxItem{}, err
	}
	item := storage.OutboxItem{
		ID: storage.MessageID(c.MessageId), Recipient: storage.Account(to), Content: raw, CreatedAt: time.UnixMilli(c.SentAtMs),
	}
	return item, o.n.store.PutOutbox(ctx, item)
}
func (o mediaOutbox) Enqueue(item storage.OutboxItem) { o.n.outbox.enqueue(item) }
func (o mediaOutbox) Wake(to core.AccountID)          { o.n.outbox.wake(rt.Account(to)) }
