package nodetest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/groups"
)

// Wait is how long the helpers below wait for the network (a device list
// to resolve, a member to join).
const Wait = 30 * time.Second

// History returns up to 1,000 messages of n's 1:1 chat with peer.
func History(tb testing.TB, n *node.Node, peer core.AccountID) []core.Message {
	tb.Helper()
	h, err := n.Chats().History(context.Background(), peer, core.MessageID{}, 1000)
	if err != nil {
		tb.Fatal(err)
	}
	// Device notices are each device's own, written whenever it learns
	// a list: Notices has them.
	return slices.DeleteFunc(h, func(m core.Message) bool { return m.Kind == core.KindDeviceNotice })
}

// Notices returns the device notices of n's chat with peer, oldest
// first.
func Notices(tb testing.TB, n *node.Node, peer core.AccountID) []core.Message {
	tb.Helper()
	h, err := n.Chats().History(context.Background(), peer, core.MessageID{}, 1000)
	if err != nil {
		tb.Fatal(err)
	}
	return slices.DeleteFunc(h, func(m core.Message) bool { return m.Kind != core.KindDeviceNotice })
}

// State returns the state of message id on n.
func State(tb testing.TB, n *node.Node, id core.MessageID) core.State {
	tb.Helper()
	m, err := n.Chats().Message(context.Background(), id)
	if err != nil {
		tb.Fatal(err)
	}
	return m.State
}

// Send sends text as soon as from can resolve to (sending to an account
// nobody can find fails fast).
func Send(tb testing.TB, from *node.Node, to core.AccountID, text string) core.MessageID {
	tb.Helper()
	var id core.MessageID
	Eventually(tb, Wait, func() bool {
		var err error
		id, err = from.Chats().Send(context.Background(), to, text)
		return err == nil
	}, "send %q", text)
	return id
}

// GroupHistory returns up to 1,000 messages of group id on n.
func GroupHistory(tb testing.TB, n *node.Node, id core.GroupID) []core.Message {
	tb.Helper()
	h, err := n.Groups().History(context.Background(), id, core.MessageID{}, 1000)
	if err != nil {
		tb.Fatal(err)
	}
	return h
}

// IsMember reports whether n sees account a as a member of group id,
// and itself as active in it.
func IsMember(n *node.Node, id core.GroupID, a core.AccountID) bool {
	info, err := n.Groups().Info(context.Background(), id)
	if err != nil || info.Status != groups.Active {
		return false
	}
	for _, m := range info.Members {
		if m.Account == a {
			return true
		}
	}
	return false
}

// NewGroup starts n nodes and a group of all of them, owned by node 0,
// and waits until every node is an active member.
func NewGroup(tb testing.TB, n int, opts ...node.Option) (*Network, core.GroupID) {
	tb.Helper()
	nw := New(tb, n, opts...)
	owner := nw.Nodes[0]
	var others []core.AccountID
	for _, m := range nw.Nodes[1:] {
		for _, p := range [][2]*node.Node{{owner, m}, {m, owner}} {
			Eventually(tb, Wait, func() bool {
				_, err := p[0].Contacts().SafetyNumber(context.Background(), p[1].Info().Account)
				return err == nil
			}, "resolve device list")
		}
		others = append(others, m.Info().Account)
	}
	id, err := owner.Groups().Create(context.Background(), "g", "", groups.Settings{}, others...)
	if err != nil {
		tb.Fatal(err)
	}
	for _, m := range nw.Nodes {
		Eventually(tb, Wait, func() bool { return IsMember(m, id, m.Info().Account) }, "member")
	}
	return nw, id
}
