package node_test

import (
	"context"
	"slices"
	"testing"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/groups"
	"github.com/pigeon-net/pigeon/node/nodetest"
)

// newGroup starts n nodes and a group of all of them, owned by node 0.
func newGroup(t *testing.T, n int) (*nodetest.Network, core.GroupID) {
	t.Helper()
	nw := nodetest.New(t, n)
	var members []core.AccountID
	for _, m := range nw.Nodes[1:] {
		for _, pair := range [][2]*node.Node{{nw.Nodes[0], m}, {m, nw.Nodes[0]}} {
			nodetest.Eventually(t, wait, func() bool {
				_, err := pair[0].Contacts().SafetyNumber(context.Background(), pair[1].Info().Account)
				return err == nil
			}, "resolve device list")
		}
		members = append(members, m.Info().Account)
	}
	id, err := nw.Nodes[0].Groups().Create(context.Background(), "g", "", groups.Settings{}, members...)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range nw.Nodes {
		nodetest.Eventually(t, wait, func() bool {
			info, err := m.Groups().Info(context.Background(), id)
			if err != nil || info.Status != groups.Active {
				return false
			}
			return slices.ContainsFunc(info.Members, func(mem groups.Member) bool { return mem.Account == m.Info().Account })
		}, "member")
	}
	return nw, id
}

func groupHistory(t testing.TB, n *node.Node, id core.GroupID) []core.Message {
	t.Helper()
	h, err := n.Groups().History(context.Background(), id, core.MessageID{}, 1000)
	if err != nil {
		t.Fatal(err)
	}
	return h
}
