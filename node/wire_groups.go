package node

import (
	"context"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/groups"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/e2e"
	"github.com/pigeon-net/pigeon/protocol/group"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

// Groups returns the node's groups: create them, send to them, manage
// members and invites (see package groups). Before Start its methods
// return ErrNotStarted, after Close ErrClosed.
func (n *Node) Groups() *groups.Service {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.groups
}

// groupTuning is what the node's tests turn in groups (zero: defaults).
var groupTuning groups.Tuning

// newGroups makes the groups feature over the runtime. Start calls it once
// the store, identity, host and content registry are set.
func (n *Node) newGroups() (*groups.Service, error) {
	signer, err := group.NewSigner(n.host.Peerstore().PrivKey(n.host.ID()), n.cert.Signed)
	if err != nil {
		return nil, err
	}
	return groups.New(groups.Deps{
		Account:       rt.CoreAccount(n.self),
		Device:        n.device,
		Cert:          n.cert,
		Store:         n.store,
		Host:          n.host,
		Keys:          e2e.NewGroups(n.store, e2e.Address{Account: n.self, Device: n.device}),
		Signer:        signer,
		Devices:       groupDevices{n.resolver},
		Pairwise:      groupRuntime{n},
		States:        groupRuntime{n},
		Registry:      groupRegistry{n.handlers},
		Durable:       n.durable,
		Ready:         n.ready,
		TopicsChanged: n.relays.Signal,
		Publish:       n.bus.publish,
		Go:            n.goroutine,
		Log:           n.log.With("sub", "groups"),
		Tuning:        groupTuning,
	})
}

// groupDevices is the resolver as groups uses it.
type groupDevices struct{ r *resolver }

func (d groupDevices) Get(ctx context.Context, a core.AccountID, refresh bool) (*identity.DeviceList, error) {
	return d.r.get(ctx, rt.Account(a), refresh)
}

func (d groupDevices) Known(ctx context.Context, a core.AccountID) *identity.DeviceList {
	return d.r.known(ctx, rt.Account(a))
}

func (d groupDevices) Cert(a core.AccountID, device uint32) *identity.Certificate {
	return d.r.cert(rt.Account(a), device)
}

func (d groupDevices) RememberCert(c *identity.Certificate) { d.r.rememberCert(c) }

func (d groupDevices) Accept(ctx context.Context, l *identity.DeviceList, raw []byte) (*identity.DeviceList, error) {
	return d.r.accept(ctx, l, raw)
}

// groupRuntime is the outbox's pairwise queueing and the message states
// as groups uses them.
type groupRuntime struct{ n *Node }

func (g groupRuntime) QueuePairwise(ctx context.Context, to core.AccountID, c *pb.Content) error {
	return g.n.queuePairwise(ctx, rt.Account(to), c)
}

func (g groupRuntime) SetState(ctx context.Context, id core.MessageID, st core.State) ([]core.Event, error) {
	return g.n.setState(ctx, rt.ID(id), storage.State(st))
}

// groupRegistry is the content registry, with the lookup of group
// contents groups dispatches to other features.
type groupRegistry struct{ *dispatcher }

func (r groupRegistry) GroupHandler(c *pb.GroupContent) (rt.GroupContentHandler, bool) {
	return r.groupHandler(c)
}
