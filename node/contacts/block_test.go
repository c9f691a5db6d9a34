package contacts_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/contacts"
	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/groups"
	"github.com/pigeon-net/pigeon/node/nodetest"
)

func requested(n *node.Node, a core.AccountID) bool {
	rs, err := n.Contacts().Requests(context.Background())
	return err == nil && slices.ContainsFunc(rs, func(r contacts.Request) bool { return r.Account == a })
}

// TestMessageRequest: a stranger's first message opens a request (no
// read receipt while it is pending); accepting makes it a contact; a chat
// we started is never a request.
func TestMessageRequest(t *testing.T) {
	nw := nodetest.New(t, 3, nodetest.LogOnFailure(t, "requests"))
	carol, alice, bob := nw.Nodes[0], nw.Nodes[1], nw.Nodes[2]
	ctx := context.Background()
	aID, bID, cID := alice.Info().Account, bob.Info().Account, carol.Info().Account
	reqs := node.Subscribe[contacts.RequestChanged](bob)
	defer reqs.Close()

	hi := nodetest.Send(t, alice, bID, "hi, it's alice")
	nodetest.Eventually(t, wait, func() bool { return requested(bob, aID) }, "request")
	select {
	case ev := <-reqs.Events():
		if ev.Account != aID || ev.EventName() != "request_received" {
			t.Fatalf("event %+v", ev)
		}
	case <-time.After(wait):
		t.Fatal("no request_received event")
	}
	if n, err := bob.Chats().MarkRead(ctx, aID); err != nil || n != 1 {
		t.Fatalf("mark read: %d %v", n, err)
	}
	if err := bob.Presence().SetTyping(ctx, aID, true); !errors.Is(err, contacts.ErrRequestPending) {
		t.Fatalf("typing to a pending request: %v", err)
	}

	if err := bob.Contacts().Accept(ctx, aID, "alice"); err != nil {
		t.Fatal(err)
	}
	if requested(bob, aID) {
		t.Fatal("accepted request still listed")
	}
	if cs, _ := bob.Contacts().List(ctx); !slices.ContainsFunc(cs, func(c contacts.Contact) bool { return c.Account == aID }) {
		t.Fatal("accepted request is no contact")
	}
	// The reply goes in bob's lane to alice after any read receipt the
	// request would have sent: once alice has it, the first message must
	// still be only delivered.
	nodetest.Send(t, bob, aID, "hi alice")
	nodetest.Eventually(t, wait, func() bool { return len(nodetest.History(t, alice, bID)) == 2 }, "reply")
	if st := nodetest.State(t, alice, hi); st != core.Delivered {
		t.Fatalf("alice's message at bob is %v: a read receipt went out for a pending request", st)
	}

	// Bob writes first to carol, a stranger: her answer is no request.
	nodetest.Send(t, bob, cID, "hello carol")
	nodetest.Eventually(t, wait, func() bool { return len(nodetest.History(t, carol, bID)) == 1 }, "carol has it")
	if !requested(carol, bID) {
		t.Fatal("carol got no request from bob")
	}
	if err := carol.Contacts().DeleteRequest(ctx, bID); err != nil {
		t.Fatal(err)
	}
	if len(nodetest.History(t, carol, bID)) != 0 || requested(carol, bID) {
		t.Fatal("deleted request left messages or the request")
	}
	nodetest.Send(t, carol, bID, "who are you?")
	nodetest.Eventually(t, wait, func() bool { return len(nodetest.History(t, bob, cID)) == 2 }, "bob has carol's answer")
	if requested(bob, cID) {
		t.Fatal("an answer to a chat we started is a request")
	}

	// Writing back to a stranger accepts the chat (no contact added).
	nodetest.Send(t, alice, cID, "hi carol")
	nodetest.Eventually(t, wait, func() bool { return requested(carol, aID) }, "carol's request from alice")
	nodetest.Send(t, carol, aID, "hi alice")
	if requested(carol, aID) {
		t.Fatal("a request stays after writing back")
	}
	if cs, _ := carol.Contacts().List(ctx); slices.ContainsFunc(cs, func(c contacts.Contact) bool { return c.Account == aID }) {
		t.Fatal("writing back added a contact")
	}
}

// TestBlock: a blocked account's messages are refused unstored and
// unanswered (its message stays pending, never delivered); it cannot add
// us to a group; the block reaches a linked device; unblocking restores
// delivery.
func TestBlock(t *testing.T) {
	nw := nodetest.New(t, 3, nodetest.LogOnFailure(t, "block"))
	carol, alice, bob := nw.Nodes[0], nw.Nodes[1], nw.Nodes[2]
	ctx := context.Background()
	aID, bID, cID := alice.Info().Account, bob.Info().Account, carol.Info().Account
	for _, p := range [][2]*node.Node{{alice, bob}, {alice, carol}, {carol, bob}, {bob, carol}} {
		nodetest.Eventually(t, wait, func() bool {
			_, err := p[0].Contacts().SafetyNumber(ctx, p[1].Info().Account)
			return err == nil
		}, "resolve device list")
	}
	if err := bob.Contacts().Add(ctx, aID, "alice"); err != nil {
		t.Fatal(err)
	}
	blocked := node.Subscribe[contacts.BlockedChanged](bob)
	defer blocked.Close()
	if err := bob.Contacts().Block(ctx, aID); err != nil {
		t.Fatal(err)
	}
	if ev := <-blocked.Events(); ev.Account != aID || !ev.Blocked {
		t.Fatalf("event %+v", ev)
	}
	if _, err := bob.Chats().Send(ctx, aID, "x"); !errors.Is(err, contacts.ErrBlocked) {
		t.Fatalf("send to a blocked account: %v", err)
	}

	// Alice's message is refused at every attempt.
	id := nodetest.Send(t, alice, bID, "let me in")
	nodetest.Eventually(t, wait, func() bool {
		r, ok, err := alice.PendingReason(ctx, id)
		return err == nil && ok && r.Attempts >= 2
	}, "refused attempts")
	if st := nodetest.State(t, alice, id); st == core.Delivered || st == core.Read {
		t.Fatalf("message to a blocker is %v", st)
	}
	if h := nodetest.History(t, bob, aID); len(h) != 0 || requested(bob, aID) {
		t.Fatalf("blocked message stored: %d, request %t", len(h), requested(bob, aID))
	}

	// A group alice creates with bob and carol: carol joins, bob does
	// not. A group carol creates with bob: bob joins (the path works).
	gA, err := alice.Groups().Create(ctx, "from alice", "", groups.Settings{}, bID, cID)
	if err != nil {
		t.Fatal(err)
	}
	nodetest.Eventually(t, wait, func() bool { return nodetest.IsMember(carol, gA, cID) }, "carol in alice's group")
	gC, err := carol.Groups().Create(ctx, "from carol", "", groups.Settings{}, bID)
	if err != nil {
		t.Fatal(err)
	}
	nodetest.Eventually(t, wait, func() bool { return nodetest.IsMember(bob, gC, bID) }, "bob in carol's group")
	if nodetest.IsMember(bob, gA, bID) {
		t.Fatal("a blocked account added bob to a group")
	}

	// A device bob links now blocks alice too.
	i := nw.Link(2, "bob-2")
	bob2 := nw.Nodes[i]
	nodetest.Eventually(t, wait, func() bool {
		bs, err := bob2.Contacts().Blocked(ctx)
		return err == nil && slices.Contains(bs, aID)
	}, "block on the linked device")
	nodetest.SameState(t, bob, bob2)

	// Unblocked: alice's pending message arrives.
	if err := bob.Contacts().Unblock(ctx, aID); err != nil {
		t.Fatal(err)
	}
	nodetest.Eventually(t, wait, func() bool { return nodetest.State(t, alice, id) == core.Delivered }, "delivered after unblock")
	nodetest.Eventually(t, wait, func() bool {
		bs, err := bob2.Contacts().Blocked(ctx)
		return err == nil && len(bs) == 0
	}, "unblock on the linked device")
}

// TestBlockedThroughRelay: a message a blocked account left at our relay
// while we were away is dropped when we drain the mailbox, without a
// delivery receipt: the sender's message stays sent.
func TestBlockedThroughRelay(t *testing.T) {
	r := nodetest.Relay(t)
	nw := nodetest.New(t, 3, node.WithRelays(r.Addrs()[0].String()), nodetest.LogOnFailure(t, "relay-block"))
	carol, alice, bob := nw.Nodes[0], nw.Nodes[1], nw.Nodes[2]
	ctx := context.Background()
	aID, bID, cID := alice.Info().Account, bob.Info().Account, carol.Info().Account
	if err := bob.Contacts().Add(ctx, cID, "carol"); err != nil {
		t.Fatal(err)
	}
	// Both senders reach bob once, so they know his relay.
	for _, n := range []*node.Node{alice, carol} {
		id := nodetest.Send(t, n, bID, "first")
		nodetest.Eventually(t, wait, func() bool { return nodetest.State(t, n, id) == core.Delivered }, "first delivered")
	}
	if err := bob.Contacts().Block(ctx, aID); err != nil {
		t.Fatal(err)
	}
	nw.Stop(2)
	blocked := nodetest.Send(t, alice, bID, "while you were away")
	fromCarol := nodetest.Send(t, carol, bID, "while you were away too")
	for _, p := range []struct {
		n  *node.Node
		id core.MessageID
	}{{alice, blocked}, {carol, fromCarol}} {
		nodetest.Eventually(t, wait, func() bool { return nodetest.State(t, p.n, p.id) == core.Sent }, "left at the relay")
	}
	bob = nw.Start(2)
	nodetest.Eventually(t, wait, func() bool { return nodetest.State(t, carol, fromCarol) == core.Delivered }, "carol's arrives from the mailbox, with its receipt")
	if h := nodetest.History(t, bob, aID); len(h) != 1 {
		t.Fatalf("bob holds %d messages from alice, want the first only", len(h))
	}
	if st := nodetest.State(t, alice, blocked); st != core.Sent {
		t.Fatalf("the blocked message is %v at alice, want sent", st)
	}
}
