package node

import (
	"context"
	"strings"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/node/relays"
)

// Relays returns the node's own relays: reservations, mailboxes, push
// endpoint, deposit-secret rotation. Its methods return ErrNotStarted
// before Start.
func (n *Node) Relays() *relays.Service { return n.relays }

// relaysDeps is what the relays feature gets from the node (Start, once
// the host and the store are up).
func (n *Node) relaysDeps() relays.Deps {
	return relays.Deps{
		Account:             rt.CoreAccount(n.self),
		Device:              n.device,
		Cert:                n.cert.Signed,
		Configured:          n.cfg.relays,
		MailboxRelays:       n.cfg.mailboxRelays,
		Host:                n.host,
		Store:               n.store,
		PreKeys:             n.e2e,
		Groups:              relaysGroups{n},
		OpenDeposit:         n.post.OpenDeposit,
		Durable:             n.post.Durable,
		DepositKeys:         n.post.DepositKeys,
		QuietKeys:           n.post.QuietKeys,
		RotateDepositSecret: n.post.RotateDepositSecret,
		ListVersion:         func() uint64 { return n.pub.RegisteredVersion() },
		Republish:           func() { n.pub.Republish() },
		Ready:               n.ready,
		Go:                  n.goroutine,
		Log:                 n.log,
		Ops:                 n.alog,
		Enqueue:             n.post.Enqueue,
	}
}

// relaysGroups gives the relays the topics of our groups to follow.
type relaysGroups struct{ n *Node }

func (g relaysGroups) Topics() [][32]byte { return g.n.groups.Topics() }

func (g relaysGroups) QuietTopics() [][32]byte {
	ctx := context.Background()
	return g.n.groups.TopicsWhere(func(id core.GroupID) bool { return g.n.prefs.Muted(ctx, core.Chat{Group: id}) })
}

// relayAddrs strips invites from relay entries ("ADDR" or "ADDR,INVITE").
func relayAddrs(entries []string) []string {
	out := make([]string, len(entries))
	for i, e := range entries {
		out[i], _, _ = strings.Cut(e, ",")
	}
	return out
}
