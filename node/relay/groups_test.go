package relay_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/groups"
	"github.com/pigeon-net/pigeon/node/nodetest"
)

func groupTexts(t *testing.T, n *node.Node, id core.GroupID) []string {
	t.Helper()
	h, err := n.Groups().History(context.Background(), id, core.MessageID{}, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range h {
		out = append(out, m.Text)
	}
	return out
}

func groupStatus(n *node.Node, id core.GroupID) groups.Status {
	info, err := n.Groups().Info(context.Background(), id)
	if err != nil {
		return 0
	}
	return info.Status
}

// TestGroupMemberAwayAcrossRemoval: C is away while A sends, removes C and
// sends again. C's relay kept the group's messages: back online, C reads
// everything sent while it was a member, learns it was removed, and reads
// nothing sent after (A rotated its sender key and gave the new one to B
// only).
func TestGroupMemberAwayAcrossRemoval(t *testing.T) {
	r := startRelay(t)
	raddr := r.Addrs()[0].String()
	a := startNode(t, node.WithListenAddrs("/ip4/127.0.0.1/tcp/0"), node.WithBootstrap(raddr))
	b := startNode(t, node.WithListenAddrs("/ip4/127.0.0.1/tcp/0"), node.WithBootstrap(raddr))
	cOpts := []node.Option{node.WithHome(t.TempDir()), node.WithListenAddrs("/ip4/127.0.0.1/tcp/0"),
		node.WithRelays(raddr), node.WithRetryBackoff(20*time.Millisecond, 500*time.Millisecond)}
	c := launch(t, cOpts...)
	ctx := context.Background()
	cID := c.Info().Account
	for _, from := range []*node.Node{a, b, c} {
		for _, to := range []*node.Node{a, b, c} {
			if from != to {
				nodetest.Eventually(t, 30*time.Second, func() bool {
					_, err := from.Contacts().SafetyNumber(ctx, to.Info().Account)
					return err == nil
				}, "resolve")
			}
		}
	}
	id, err := a.Groups().Create(ctx, "away", "", groups.Settings{}, b.Info().Account, cID)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []*node.Node{b, c} {
		nodetest.Eventually(t, 30*time.Second, func() bool { return groupStatus(n, id) == groups.Active }, "joined")
	}
	nodetest.Eventually(t, 30*time.Second, func() bool { topics, _ := r.GroupTopics(); return topics == 1 }, "relay follows the topic")
	if _, err := c.Groups().Send(ctx, id, "c was here"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Groups().Send(ctx, id, "before"); err != nil {
		t.Fatal(err)
	}
	for _, n := range []*node.Node{a, b, c} {
		nodetest.Eventually(t, 30*time.Second, func() bool { return len(groupTexts(t, n, id)) == 2 }, "first messages")
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}

	if _, err := a.Groups().Send(ctx, id, "while c is away"); err != nil {
		t.Fatal(err)
	}
	if err := a.Groups().RemoveMember(ctx, id, cID); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Groups().Send(ctx, id, "after c left"); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Groups().Send(ctx, id, "b after c left"); err != nil {
		t.Fatal(err)
	}
	want := []string{"c was here", "before", "while c is away", "after c left", "b after c left"}
	for _, n := range []*node.Node{a, b} {
		nodetest.Eventually(t, 30*time.Second, func() bool { return slices.Equal(groupTexts(t, n, id), want) }, "a and b: %v", groupTexts(t, n, id))
	}

	c = launch(t, cOpts...)
	nodetest.Eventually(t, 30*time.Second, func() bool { return groupStatus(c, id) == groups.Removed }, "c learns it was removed")
	nodetest.Eventually(t, 30*time.Second, func() bool {
		return slices.Equal(groupTexts(t, c, id), want[:3])
	}, "c reads what was sent while it was a member: %v", groupTexts(t, c, id))
	info, err := c.Groups().Info(ctx, id)
	if err != nil || slices.ContainsFunc(info.Members, func(m groups.Member) bool { return m.Account == cID }) {
		t.Fatalf("c's view of the members: %+v %v", info.Members, err)
	}
}
