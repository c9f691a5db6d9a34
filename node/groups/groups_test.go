package groups_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/groups"
	"github.com/pigeon-net/pigeon/node/nodetest"
)

func TestGroupBasics(t *testing.T) {
	nw := nodetest.New(t, 4)
	all := nw.Nodes
	waitResolvable(t, all)
	ctx := context.Background()
	owner := all[0]
	sub := node.Subscribe[groups.Changed](all[1])
	defer sub.Close()
	id, err := owner.Groups().Create(ctx, "team", "the team", groups.Settings{}, accounts(all[1:])...)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range all {
		nodetest.Eventually(t, wait, func() bool { return isMember(t, n, id, n.Info().Account) }, "member sees itself")
	}
	select {
	case ev := <-sub.Events():
		if ev.Group != id || ev.Change != groups.MemberAdded || ev.Account != all[1].Info().Account {
			t.Fatalf("event %+v", ev)
		}
	case <-time.After(wait):
		t.Fatal("no GroupChanged")
	}
	for i, n := range all {
		if _, err := n.Groups().Send(ctx, id, fmt.Sprintf("hello from %d", i)); err != nil {
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
	info, err := all[2].Groups().Info(ctx, id)
	if err != nil || info.Name != "team" || len(info.Members) != 4 || info.Role != groups.RoleMember {
		t.Fatalf("info %+v %v", info, err)
	}
}

// sendAll has each node send one text and returns the texts.
func sendAll(t testing.TB, id core.GroupID, round string, nodes []*node.Node) []string {
	t.Helper()
	var out []string
	for _, n := range nodes {
		text := fmt.Sprintf("%s from %s", round, n.Info().Account.Short())
		if _, err := n.Groups().Send(context.Background(), id, text); err != nil {
			t.Fatalf("%s: %v", text, err)
		}
		out = append(out, text)
	}
	return out
}

// hasAll reports whether n's history of id holds every text.
func hasAll(t testing.TB, n *node.Node, id core.GroupID, want []string) bool {
	t.Helper()
	got := texts(groupHistory(t, n, id))
	for _, w := range want {
		if !slices.Contains(got, w) {
			return false
		}
	}
	return true
}

// waitAll waits until n's history of id holds every text, and names the
// missing ones if it does not.
func waitAll(t testing.TB, n *node.Node, id core.GroupID, want []string, what string) {
	t.Helper()
	deadline := time.Now().Add(wait)
	for !hasAll(t, n, id, want) {
		if time.Now().After(deadline) {
			got := texts(groupHistory(t, n, id))
			var missing []string
			for _, w := range want {
				if !slices.Contains(got, w) {
					missing = append(missing, w)
				}
			}
			t.Fatalf("%s: %s lacks %v", what, n.Info().Account.Short(), missing)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestGroupChurn runs a 20-member group while members join, leave and
// are removed between rounds of messages from everyone (see churn). Under
// the race detector it uses 7 nodes: 20 full nodes in one process on two
// cores are then slowed so much that their DHT lookups time out (.ci/run
// runs this test once more without -race, with 20).
func TestGroupChurn(t *testing.T) {
	n := 20
	if raceEnabled {
		n = 7
	}
	churn(t, n)
}

// BenchmarkGroupChurn20 is the churn scenario with 20 nodes (17 founding
// members, three joining): go test -run '^$' -bench GroupChurn20
// -benchtime 1x ./node/groups/. It reports the time from the group's creation to
// the second round delivered everywhere.
func BenchmarkGroupChurn20(b *testing.B) {
	for range b.N {
		churn(b, 20)
	}
}

// churn: node 0 creates a group with the first total-3 nodes; everyone
// sends; then the owner adds two nodes, node 1 leaves, the owner removes
// node 2 and makes node 3 an admin, who adds the last node; everyone sends
// again. Every member that stayed ends with the same history in the same
// order; late joiners hold a suffix of it with the second round; whoever
// left or was removed holds nothing of the second round.
func churn(tb testing.TB, total int) {
	nw := nodetest.New(tb, total)
	all := nw.Nodes
	ctx := context.Background()
	owner, leaver, removed, admin := all[0], all[1], all[2], all[3]
	for _, n := range all[1:] {
		waitResolvable(tb, []*node.Node{owner, n})
	}
	start := time.Now()
	initial := all[:total-3]
	id, err := owner.Groups().Create(ctx, "churn", "", groups.Settings{}, accounts(initial[1:])...)
	if err != nil {
		tb.Fatal(err)
	}
	for _, n := range initial {
		nodetest.Eventually(tb, wait, func() bool { return isMember(tb, n, id, n.Info().Account) }, "initial member")
	}
	round1 := sendAll(tb, id, "round 1", initial)
	// The membership changes while round 1 flows.
	if err := owner.Groups().AddMembers(ctx, id, groups.RoleMember, accounts(all[total-3:total-1])...); err != nil {
		tb.Fatal(err)
	}
	if err := leaver.Groups().Leave(ctx, id); err != nil {
		tb.Fatal(err)
	}
	// The removal counts the removed member's messages the owner holds
	// (its cut): wait for its round-1 text, so that one stays everywhere.
	nodetest.Eventually(tb, wait, func() bool { return hasAll(tb, owner, id, round1[2:3]) }, "owner holds node 2's message")
	if err := owner.Groups().RemoveMember(ctx, id, removed.Info().Account); err != nil {
		tb.Fatal(err)
	}
	if err := owner.Groups().SetRole(ctx, id, admin.Info().Account, groups.RoleAdmin); err != nil {
		tb.Fatal(err)
	}
	nodetest.Eventually(tb, wait, func() bool {
		info, err := admin.Groups().Info(ctx, id)
		return err == nil && info.Role == groups.RoleAdmin
	}, "node 3 admin")
	if err := admin.Groups().AddMembers(ctx, id, groups.RoleMember, all[total-1].Info().Account); err != nil {
		tb.Fatal(err)
	}
	stay := slices.Concat(all[:1], initial[3:])
	joined := all[total-3:]
	current := slices.Concat(stay, joined)
	// Settled: every member sees exactly the current members (a count
	// alone can match while one view still lacks a newcomer and holds a
	// member being removed).
	members := accounts(current)
	slices.SortFunc(members, func(a, b core.AccountID) int { return bytes.Compare(a[:], b[:]) })
	for i, n := range current {
		deadline := time.Now().Add(wait)
		for {
			info, err := n.Groups().Info(ctx, id)
			var got []core.AccountID
			for _, m := range info.Members {
				got = append(got, m.Account)
			}
			slices.SortFunc(got, func(a, b core.AccountID) int { return bytes.Compare(a[:], b[:]) })
			if err == nil && info.Status == groups.Active && slices.Equal(got, members) {
				break
			}
			if time.Now().After(deadline) {
				tb.Fatalf("membership does not settle at member %d: %v, %d members, %d ops, err %v", i, info.Status, len(info.Members), info.Ops, err)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	for i, n := range []*node.Node{leaver, removed} {
		want := []groups.Status{groups.Left, groups.Removed}[i]
		nodetest.Eventually(tb, wait, func() bool {
			info, err := n.Groups().Info(ctx, id)
			return err == nil && info.Status == want
		}, "departure of node %d", 1+i)
	}

	round2 := sendAll(tb, id, "round 2", current)
	for _, n := range current {
		waitAll(tb, n, id, round2, "round 2 everywhere")
	}
	for _, n := range stay {
		waitAll(tb, n, id, round1, "round 1 at the members that stayed")
	}
	if b, ok := tb.(*testing.B); ok {
		b.ReportMetric(time.Since(start).Seconds(), "s/scenario")
	}

	// One history, one order, for everyone who stayed.
	want := groupHistory(tb, owner, id)
	for _, n := range stay {
		got := groupHistory(tb, n, id)
		if !slices.EqualFunc(got, want, func(a, b core.Message) bool { return a.ID == b.ID }) {
			tb.Fatalf("histories differ:\n%v\n%v", texts(got), texts(want))
		}
	}
	// Late joiners hold a suffix of it that includes round 2.
	for _, n := range joined {
		got := groupHistory(tb, n, id)
		at := slices.IndexFunc(want, func(m core.Message) bool { return len(got) > 0 && m.ID == got[0].ID })
		if at < 0 || !slices.EqualFunc(got, want[at:], func(a, b core.Message) bool { return a.ID == b.ID }) {
			tb.Fatalf("a late joiner's history is not a suffix of the group's: %v", texts(got))
		}
	}
	// Whoever left holds nothing of round 2.
	for _, n := range []*node.Node{leaver, removed} {
		for _, text := range texts(groupHistory(tb, n, id)) {
			if slices.Contains(round2, text) {
				tb.Fatalf("a departed member holds %q", text)
			}
		}
	}
}

// newGroup starts n nodes and a group of all of them, owned by node 0.
func newGroup(t *testing.T, n int) (*nodetest.Network, core.GroupID) {
	t.Helper()
	nw := nodetest.New(t, n)
	for _, m := range nw.Nodes[1:] {
		waitResolvable(t, []*node.Node{nw.Nodes[0], m})
	}
	id, err := nw.Nodes[0].Groups().Create(context.Background(), "g", "", groups.Settings{}, accounts(nw.Nodes[1:])...)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range nw.Nodes {
		nodetest.Eventually(t, wait, func() bool { return isMember(t, m, id, m.Info().Account) }, "member")
	}
	return nw, id
}

// TestGroupGapRepair: a member is down (no relay keeps anything for it)
// while others talk; back up, it repairs the gap from the members on the
// topic and holds the same history in the same order.
func TestGroupGapRepair(t *testing.T) {
	nw, id := newGroup(t, 3)
	ctx := context.Background()
	before := sendAll(t, id, "before", nw.Nodes)
	for _, n := range nw.Nodes {
		waitAll(t, n, id, before, "first round")
	}
	nw.Stop(2)
	var during []string
	for i := range 3 {
		for _, n := range nw.Nodes[:2] {
			text := fmt.Sprintf("during %d from %s", i, n.Info().Account.Short())
			if _, err := n.Groups().Send(ctx, id, text); err != nil {
				t.Fatal(err)
			}
			during = append(during, text)
		}
	}
	waitAll(t, nw.Nodes[0], id, during, "the others")
	back := nw.Start(2)
	waitAll(t, back, id, during, "repaired after the restart")
	want := groupHistory(t, nw.Nodes[0], id)
	nodetest.Eventually(t, wait, func() bool {
		return slices.EqualFunc(groupHistory(t, back, id), want, func(a, b core.Message) bool { return a.ID == b.ID })
	}, "same history, same order")
	// And it talks again.
	if _, err := back.Groups().Send(ctx, id, "back"); err != nil {
		t.Fatal(err)
	}
	waitAll(t, nw.Nodes[0], id, []string{"back"}, "after the restart")
}

// TestGroupConcurrentAdmins: two admins remove each other at the same
// time while the owner and an admin rename the group at the same time.
// Every member ends with the same members and the same name.
func TestGroupConcurrentAdmins(t *testing.T) {
	nw, id := newGroup(t, 4)
	ctx := context.Background()
	owner, x, y, m := nw.Nodes[0], nw.Nodes[1], nw.Nodes[2], nw.Nodes[3]
	for _, a := range []*node.Node{x, y} {
		if err := owner.Groups().SetRole(ctx, id, a.Info().Account, groups.RoleAdmin); err != nil {
			t.Fatal(err)
		}
	}
	for _, a := range []*node.Node{x, y} {
		nodetest.Eventually(t, wait, func() bool {
			info, err := a.Groups().Info(ctx, id)
			return err == nil && info.Role == groups.RoleAdmin
		}, "admins")
	}
	errs := make(chan error, 4)
	go func() { errs <- x.Groups().RemoveMember(ctx, id, y.Info().Account) }()
	go func() { errs <- y.Groups().RemoveMember(ctx, id, x.Info().Account) }()
	go func() { errs <- owner.Groups().SetInfo(ctx, id, "owner's name", "") }()
	go func() { errs <- x.Groups().SetInfo(ctx, id, "x's name", "") }()
	for range 4 {
		if err := <-errs; err != nil && !errors.Is(err, groups.ErrNotAllowed) && !errors.Is(err, groups.ErrNotMember) {
			t.Fatal(err)
		}
	}
	summary := func(n *node.Node) string {
		info, err := n.Groups().Info(ctx, id)
		if err != nil {
			return err.Error()
		}
		var ms []string
		for _, mem := range info.Members {
			ms = append(ms, mem.Account.Short()+":"+mem.Role.String())
		}
		return info.Name + " " + strings.Join(ms, ",")
	}
	// Whichever removal sorts first wins; the other admin's op comes from
	// a removed member and is skipped. The remaining members agree; the
	// removed admin knows it was removed.
	var stays, gone *node.Node
	nodetest.Eventually(t, wait, func() bool {
		info, err := owner.Groups().Info(ctx, id)
		if err != nil {
			return false
		}
		inX := slices.ContainsFunc(info.Members, func(mem groups.Member) bool { return mem.Account == x.Info().Account })
		inY := slices.ContainsFunc(info.Members, func(mem groups.Member) bool { return mem.Account == y.Info().Account })
		switch {
		case inX && !inY:
			stays, gone = x, y
		case inY && !inX:
			stays, gone = y, x
		default:
			return false
		}
		s := summary(owner)
		return s == summary(m) && s == summary(stays)
	}, "converged")
	nodetest.Eventually(t, wait, func() bool {
		info, err := gone.Groups().Info(ctx, id)
		return err == nil && info.Status == groups.Removed
	}, "the removed admin knows")
	t.Logf("converged on: %s", summary(owner))
}

// TestGroupReceiptsAndTyping: a text becomes delivered once every member
// has it and read once every member read it; typing shows at the others.
func TestGroupReceiptsAndTyping(t *testing.T) {
	nw, id := newGroup(t, 3)
	ctx := context.Background()
	a, b, c := nw.Nodes[0], nw.Nodes[1], nw.Nodes[2]
	typing := node.Subscribe[groups.Typing](a)
	defer typing.Close()
	msg, err := a.Groups().Send(ctx, id, "read me")
	if err != nil {
		t.Fatal(err)
	}
	nodetest.Eventually(t, wait, func() bool { return stateOf(t, a, id, msg) == core.Delivered }, "delivered to both")
	if n, err := b.Groups().MarkRead(ctx, id); err != nil || n != 1 {
		t.Fatalf("mark read: %d %v", n, err)
	}
	nodetest.Eventually(t, wait, func() bool {
		r, err := a.Groups().Receipts(ctx, msg)
		return err == nil && r[b.Info().Account] == core.Read
	}, "b's read receipt")
	if got := stateOf(t, a, id, msg); got != core.Delivered {
		t.Fatalf("read by one of two: state %v", got)
	}
	if _, err := c.Groups().MarkRead(ctx, id); err != nil {
		t.Fatal(err)
	}
	nodetest.Eventually(t, wait, func() bool { return stateOf(t, a, id, msg) == core.Read }, "read by both")

	if err := b.Groups().SetTyping(ctx, id, true); err != nil {
		t.Fatal(err)
	}
	select {
	case ev := <-typing.Events():
		if ev.Group != id || ev.From != b.Info().Account || !ev.Active {
			t.Fatalf("typing %+v", ev)
		}
	case <-time.After(wait):
		t.Fatal("no typing event")
	}
	// Typing is never stored.
	if h := groupHistory(t, a, id); len(h) != 1 {
		t.Fatalf("history after typing: %v", texts(h))
	}
}

// BenchmarkGroupSendCost measures what sending one group text costs the
// sender (Send: one sender-key encryption, one store transaction, one
// publish) in a group of 3 and one of 15 members, sending to them in turn,
// and reports the medians and their ratio. Each message is sent once every
// member has the previous one, so the receivers' work (all nodes share
// this process) does not overlap the measured call.
//
//	go test -run '^$' -bench GroupSendCost -benchtime 1x ./node/groups/
func BenchmarkGroupSendCost(b *testing.B) {
	const msgs = 300
	type bench struct {
		owner *node.Node
		id    core.GroupID
		subs  []*node.Subscription[core.MessageReceived]
		took  []time.Duration
	}
	ctx := context.Background()
	setup := func(size int) *bench {
		nw := nodetest.New(b, size)
		g := &bench{owner: nw.Nodes[0]}
		for _, n := range nw.Nodes[1:] {
			waitResolvable(b, []*node.Node{g.owner, n})
		}
		var err error
		if g.id, err = g.owner.Groups().Create(ctx, "cost", "", groups.Settings{}, accounts(nw.Nodes[1:])...); err != nil {
			b.Fatal(err)
		}
		for _, n := range nw.Nodes[1:] {
			nodetest.Eventually(b, wait, func() bool { return isMember(b, n, g.id, n.Info().Account) }, "member")
		}
		// Every member must read the owner's messages (its sender key
		// arrived) before the clock runs.
		warm := sendAll(b, g.id, "warm-up", nw.Nodes[:1])
		for _, n := range nw.Nodes[1:] {
			waitAll(b, n, g.id, warm, "warm-up")
			sub := node.Subscribe[core.MessageReceived](n)
			b.Cleanup(sub.Close)
			g.subs = append(g.subs, sub)
		}
		return g
	}
	send := func(g *bench, i int) {
		t0 := time.Now()
		if _, err := g.owner.Groups().Send(ctx, g.id, fmt.Sprintf("message %d", i)); err != nil {
			b.Fatal(err)
		}
		g.took = append(g.took, time.Since(t0))
		for _, sub := range g.subs {
			select {
			case <-sub.Events():
			case <-time.After(wait):
				b.Fatal("a member did not receive the message")
			}
		}
	}
	for range b.N {
		small, large := setup(3), setup(15)
		for i := range msgs {
			send(small, i)
			send(large, i)
		}
		s, l := percentile(small.took, 0.5), percentile(large.took, 0.5)
		b.ReportMetric(float64(s.Microseconds()), "send-µs-3")
		b.ReportMetric(float64(l.Microseconds()), "send-µs-15")
		b.ReportMetric(float64(l)/float64(s), "ratio-15/3")
	}
}
