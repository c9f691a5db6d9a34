package groups_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/groups"
	"github.com/pigeon-net/pigeon/node/nodetest"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/pb"
)

const wait = 30 * time.Second

// hooks reaches into n's groups (export_test.go).
func hooks(n *node.Node) groups.Hooks { return groups.HooksOf(n.Groups()) }

// self is n's account.
func self(n *node.Node) core.AccountID { return n.Info().Account }

// member is n's account in the protocol's terms (membership ops).
func member(n *node.Node) identity.AccountID { return identity.AccountID(n.Info().Account) }

func eventually(t testing.TB, cond func() bool, msg string) {
	t.Helper()
	nodetest.Eventually(t, wait, cond, "%s", msg)
}

// nodes starts n nodes bootstrapping from the first, each resolving the
// first's device list and the first theirs.
func nodes(t testing.TB, n int) (*nodetest.Network, []*node.Node) {
	t.Helper()
	nw := nodetest.New(t, n)
	ctx := context.Background()
	for _, x := range nw.Nodes[1:] {
		eventually(t, func() bool { return hooks(nw.Nodes[0]).Resolve(ctx, self(x), true) == nil }, "resolve")
		eventually(t, func() bool { return hooks(x).Resolve(ctx, self(nw.Nodes[0]), true) == nil }, "resolve")
	}
	return nw, nw.Nodes
}

// makeGroup has ns[0] create a group with the others and waits until all
// are in.
func makeGroup(t testing.TB, ns []*node.Node) core.GroupID {
	t.Helper()
	id, err := ns[0].Groups().Create(context.Background(), "g", "", groups.Settings{}, accounts(ns[1:])...)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range ns {
		eventually(t, func() bool {
			info, err := n.Groups().Info(context.Background(), id)
			return err == nil && info.Status == groups.Active && len(info.Members) == len(ns)
		}, "member")
	}
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

func texts(ms []core.Message) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Text
	}
	return out
}

func hasText(t testing.TB, n *node.Node, id core.GroupID, text string) bool {
	t.Helper()
	return slices.Contains(texts(groupHistory(t, n, id)), text)
}

// stateOf returns the state of message mid of group id at n.
func stateOf(t testing.TB, n *node.Node, id core.GroupID, mid core.MessageID) core.State {
	t.Helper()
	for _, m := range groupHistory(t, n, id) {
		if m.ID == mid {
			return m.State
		}
	}
	t.Fatalf("message %s not in the history", mid)
	return 0
}

func groupStatusOf(t testing.TB, n *node.Node, id core.GroupID) groups.Status {
	t.Helper()
	info, err := n.Groups().Info(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return info.Status
}

func isMember(t testing.TB, n *node.Node, id core.GroupID, a core.AccountID) bool {
	t.Helper()
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

// waitResolvable waits until every node resolves every other's device list.
func waitResolvable(t testing.TB, nodes []*node.Node) {
	t.Helper()
	for _, a := range nodes {
		for _, b := range nodes {
			if a != b {
				eventually(t, func() bool { return hooks(a).Resolve(context.Background(), self(b), false) == nil }, "resolve device list")
			}
		}
	}
}

func accounts(nodes []*node.Node) []core.AccountID {
	out := make([]core.AccountID, len(nodes))
	for i, n := range nodes {
		out[i] = self(n)
	}
	return out
}

// sendControl sends a pairwise group control message from one node to
// another and waits until it was delivered.
func sendControl(t testing.TB, from, to *node.Node, gc *pb.GroupControl) {
	t.Helper()
	ctx := context.Background()
	if err := hooks(from).SendControl(ctx, self(to), gc); err != nil {
		t.Fatal(err)
	}
	eventually(t, func() bool { return hooks(from).OutboxEmpty(ctx) }, "control message delivered")
}

func percentile(d []time.Duration, p float64) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[min(len(s)-1, int(float64(len(s))*p))]
}
