package media_test

import (
	"context"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/groups"
	"github.com/pigeon-net/pigeon/node/nodetest"
)

// Helpers of several features the media tests use (copies of node's test
// helpers: an external test package cannot share them).

const wait = 30 * time.Second

func history(t *testing.T, n *node.Node, peer core.AccountID) []core.Message {
	t.Helper()
	h, err := n.Chats().History(context.Background(), peer, core.MessageID{}, 1000)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func state(t *testing.T, n *node.Node, id core.MessageID) core.State {
	t.Helper()
	m, err := n.Chats().Message(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return m.State
}

func send(t *testing.T, from *node.Node, to core.AccountID, text string) core.MessageID {
	t.Helper()
	var id core.MessageID
	nodetest.Eventually(t, wait, func() bool {
		var err error
		id, err = from.Chats().Send(context.Background(), to, text)
		return err == nil
	}, "send %q", text)
	return id
}

func groupHistory(t testing.TB, n *node.Node, id core.GroupID) []core.Message {
	t.Helper()
	h, err := n.Groups().History(context.Background(), id, core.MessageID{}, 1000)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func isMember(n *node.Node, id core.GroupID, a core.AccountID) bool {
	info, err := n.Groups().Info(context.Background(), id)
	if err != nil {
		return false
	}
	for _, m := range info.Members {
		if m.Account == a {
			return info.Status == groups.Active
		}
	}
	return false
}

// newGroup starts n nodes and a group of all of them, owned by node 0.
func newGroup(t *testing.T, n int) (*nodetest.Network, core.GroupID) {
	t.Helper()
	nw := nodetest.New(t, n)
	owner := nw.Nodes[0]
	var others []core.AccountID
	for _, m := range nw.Nodes[1:] {
		for _, p := range [][2]*node.Node{{owner, m}, {m, owner}} {
			nodetest.Eventually(t, wait, func() bool {
				_, err := p[0].Contacts().SafetyNumber(context.Background(), p[1].Info().Account)
				return err == nil
			}, "resolve device list")
		}
		others = append(others, m.Info().Account)
	}
	id, err := owner.Groups().Create(context.Background(), "g", "", groups.Settings{}, others...)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range nw.Nodes {
		nodetest.Eventually(t, wait, func() bool { return isMember(m, id, m.Info().Account) }, "member")
	}
	return nw, id
}
