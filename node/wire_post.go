package node

import (
	"context"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/post"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/e2e"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

// newPost makes the delivery runtime. Start calls it once the store,
// identity, host, DHT, resolver and content registry are set; the
// features it asks (contacts, media, groups) are made after it, so it
// reaches them through postHooks.
func (n *Node) newPost() *post.Service {
	hooks := postHooks{n}
	return post.New(post.Deps{
		Self: rt.CoreAccount(n.self), Device: n.device, Cert: n.cert,
		Store: n.store, Host: n.host, DHT: n.dht, E2E: n.e2e,
		Devices:        n.resolver,
		Registry:       n.handlers,
		Policy:         hooks,
		Attachments:    hooks,
		Groups:         hooks,
		ListVersion:    func() uint64 { return n.pub.ListVersion() },
		OwnListVersion: n.ownListVersion,
		Config: post.Config{
			RetryMin: n.cfg.retryMin, RetryMax: n.cfg.retryMax,
			GiveUpAfter: n.cfg.giveUpAfter, DurableAcks: n.cfg.durableAcks,
		},
		Publish: n.bus.publish,
		Go:      n.goroutine,
		Log:     n.log,
	})
}

// postHooks are the features as the runtime asks them: the contacts'
// send policy, media's copies of files at relays, groups' envelopes kept
// by relays.
type postHooks struct{ n *Node }

func (h postHooks) Allowed(ctx context.Context, to core.AccountID) (bool, error) {
	return h.n.contacts.Allowed(ctx, to)
}

func (h postHooks) Blocked(ctx context.Context, a core.AccountID) (bool, error) {
	return h.n.contacts.IsBlocked(ctx, a)
}

func (h postHooks) Received(ctx context.Context, from core.AccountID, id core.MessageID) (bool, func(context.Context), error) {
	return h.n.contacts.Received(ctx, from, id)
}

func (h postHooks) Pending(ctx context.Context, a core.AccountID) (bool, error) {
	return h.n.contacts.IsRequest(ctx, a)
}

func (h postHooks) Muted(ctx context.Context, a core.AccountID) bool {
	return h.n.prefs.Muted(ctx, core.Chat{Account: a})
}

func (h postHooks) IdentityChanged(ctx context.Context, ch *e2e.IdentityChange) {
	h.n.contacts.IdentityChanged(ctx, ch)
}

func (h postHooks) CopyReady(ctx context.Context, to core.AccountID, device uint32, relays []peer.AddrInfo, item storage.OutboxItem) bool {
	return h.n.media.CopyReady(ctx, to, device, relays, item)
}

func (h postHooks) CopiedAt(id core.MessageID, relay peer.ID) ([][]byte, bool) {
	return h.n.media.CopiedAt(id, relay)
}

func (h postHooks) PinAtRelay(ctx context.Context, relay peer.ID, box [32]byte, device uint32, item storage.OutboxItem) [][]byte {
	return h.n.media.PinAtRelay(ctx, relay, box, device, item)
}

func (h postHooks) ForgetCopy(id core.MessageID) { h.n.media.ForgetCopy(id) }

func (h postHooks) TakeEnvelope(ctx context.Context, raw []byte) pb.ErrorCode {
	return h.n.groups.TakeEnvelope(ctx, raw)
}
