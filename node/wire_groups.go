package node

import (
	"github.com/pigeon-net/pigeon/node/groups"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/e2e"
	"github.com/pigeon-net/pigeon/protocol/group"
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
		Devices:       n.resolver,
		Pairwise:      n.post,
		States:        n.post,
		Ops:           n.alog,
		Registry:      n.handlers,
		Durable:       n.post.Durable,
		Ready:         n.ready,
		TopicsChanged: n.relays.Signal,
		Publish:       n.shareOnEvent,
		Go:            n.goroutine,
		Log:           n.log.With("sub", "groups"),
		Quotes:        n.replies,
		Tuning:        groupTuning,
		Blocked:       n.contacts.IsBlocked,
		Expiry:        n.expiry,
	})
}
