package node_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/nodetest"
	"github.com/pigeon-net/pigeon/protocol/group"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/storage"
)

func groupHistory(t *testing.T, n *node.Node, id group.ID) []storage.Message {
	t.Helper()
	h, err := n.GroupHistory(context.Background(), id, storage.MessageID{}, 1000)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func texts(ms []storage.Message) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Text
	}
	return out
}

func isMember(t *testing.T, n *node.Node, id group.ID, a identity.AccountID) bool {
	t.Helper()
	info, err := n.GroupInfo(context.Background(), id)
	if err != nil {
		return false
	}
	for _, m := range info.Members {
		if m.Account == a {
			return info.Status == storage.GroupActive
		}
	}
	return false
}

// waitResolvable waits until every node resolves every other's device list.
func waitResolvable(t *testing.T, nodes []*node.Node) {
	t.Helper()
	for _, a := range nodes {
		for _, b := range nodes {
			if a == b {
				continue
			}
			nodetest.Eventually(t, wait, func() bool {
				_, err := a.SafetyNumber(context.Background(), b.Info().Account)
				return err == nil
			}, "resolve device list")
		}
	}
}

func accounts(nodes []*node.Node) []identity.AccountID {
	out := make([]identity.AccountID, len(nodes))
	for i, n := range nodes {
		out[i] = n.Info().Account
	}
	return out
}

func TestGroupBasics(t *testing.T) {
	nw := nodetest.New(t, 4)
	all := nw.Nodes
	waitResolvable(t, all)
	ctx := context.Background()
	owner := all[0]
	sub := node.Subscribe[node.GroupChanged](all[1])
	defer sub.Close()
	id, err := owner.CreateGroup(ctx, "team", "the team", group.Settings{}, accounts(all[1:])...)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range all {
		nodetest.Eventually(t, wait, func() bool { return isMember(t, n, id, n.Info().Account) }, "member sees itself")
	}
	select {
	case ev := <-sub.Events():
		if ev.Group != id || ev.Change != node.GroupMemberAdded || ev.Account != all[1].Info().Account {
			t.Fatalf("event %+v", ev)
		}
	case <-time.After(wait):
		t.Fatal("no GroupChanged")
	}
	for i, n := range all {
		if _, err := n.SendGroup(ctx, id, fmt.Sprintf("hello from %d", i)); err != nil {
			t.Fatal(err)
		}
	}
	for _, n := range all {
		nodetest.Eventually(t, wait, func() bool { return len(groupHistory(t, n, id)) == len(all) }, "history complete")
	}
	want := texts(groupHistory(t, owner, id))
	for _, n := range all[1:] {
		if got := texts(groupHistory(t, n, id)); !slices.Equal(got, want) {
			t.Fatalf("histories differ:\n%v\n%v", got, want)
		}
	}
	info, err := all[2].GroupInfo(ctx, id)
	if err != nil || info.Name != "team" || len(info.Members) != 4 || info.Role != group.RoleMember {
		t.Fatalf("info %+v %v", info, err)
	}
}
