package node_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/actions"
	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/groups"
	"github.com/pigeon-net/pigeon/node/nodetest"
	"github.com/pigeon-net/pigeon/storage"
)

// Two accounts with two devices each edit, react to and delete messages
// (for everyone, for me, as a group admin) in a 1:1 chat and a group:
// every device of both sides shows the same, and each account's devices
// end in one state.
func TestActionsTwoAccountsTwoDevices(t *testing.T) {
	ctx := context.Background()
	nw := nodetest.New(t, 2, nodetest.LogOnFailure(t, "actions"))
	alice, bob := nw.Nodes[0], nw.Nodes[1]
	aliceID, bobID := alice.Info().Account, bob.Info().Account
	for _, p := range [][2]*node.Node{{alice, bob}, {bob, alice}} {
		if err := p[0].Contacts().Add(ctx, p[1].Info().Account, "friend"); err != nil {
			t.Fatal(err)
		}
	}
	// The group (admins may delete) exists before the devices are linked.
	for _, p := range [][2]*node.Node{{alice, bob}, {bob, alice}} {
		nodetest.Eventually(t, wait, func() bool {
			_, err := p[0].Contacts().SafetyNumber(ctx, p[1].Info().Account)
			return err == nil
		}, "resolve device list")
	}
	gid, err := alice.Groups().Create(ctx, "g", "", groups.Settings{AdminsDelete: true}, bobID)
	if err != nil {
		t.Fatal(err)
	}
	nodetest.Eventually(t, wait, func() bool { return nodetest.IsMember(bob, gid, bobID) }, "bob in the group")
	laptop := nw.Nodes[nw.Link(0, "laptop")]
	phone := nw.Nodes[nw.Link(1, "phone")]
	all := []*node.Node{alice, laptop, bob, phone}
	for _, p := range [][2]*node.Node{{alice, bob}, {bob, alice}} {
		nodetest.Eventually(t, wait, func() bool {
			ds, err := p[0].Contacts().Devices(ctx, p[1].Info().Account, false)
			return err == nil && len(ds) == 2
		}, "each side learns of the other's second device")
	}
	message := func(n *node.Node, id core.MessageID) (core.Message, bool) {
		m, err := n.Chats().Message(ctx, id)
		if errors.Is(err, storage.ErrNotFound) {
			return core.Message{}, false
		}
		if err != nil {
			t.Fatal(err)
		}
		return m, true
	}
	reactions := func(n *node.Node, id core.MessageID) string {
		rs, err := n.Actions().Reactions(ctx, id)
		if err != nil {
			return err.Error()
		}
		return fmt.Sprint(rs)
	}
	everywhere := func(what string, ns []*node.Node, cond func(n *node.Node) bool) {
		t.Helper()
		for i, n := range ns {
			nodetest.Eventually(t, wait, func() bool { return cond(n) }, "%s on device %d", what, i)
		}
	}

	// 1:1: alice writes, edits from her laptop, bob reacts from his
	// phone, alice deletes for everyone.
	id := send(t, alice, bobID, "see you at 5")
	everywhere("the message", all, func(n *node.Node) bool { _, ok := message(n, id); return ok })
	if err := bob.Actions().Edit(ctx, id, "forged"); !errors.Is(err, actions.ErrNotAuthor) {
		t.Fatalf("bob edits alice's message: %v, want ErrNotAuthor", err)
	}
	if err := laptop.Actions().Edit(ctx, id, "see you at 6"); err != nil {
		t.Fatal(err)
	}
	everywhere("the edit", all, func(n *node.Node) bool {
		m, ok := message(n, id)
		return ok && m.Text == "see you at 6" && m.Edits == 1
	})
	vs, err := phone.Actions().Versions(ctx, id)
	if err != nil || len(vs) != 2 || vs[0].Text != "see you at 5" || vs[1].Text != "see you at 6" {
		t.Fatalf("versions on bob's phone: %+v, %v", vs, err)
	}
	if err := phone.Actions().React(ctx, id, "👍"); err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprint([]actions.Reaction{{Emoji: "👍", Count: 1, Accounts: []core.AccountID{bobID}}})
	everywhere("bob's reaction", all, func(n *node.Node) bool { return reactions(n, id) == want })
	if err := alice.Actions().Delete(ctx, id, true); err != nil {
		t.Fatal(err)
	}
	everywhere("the delete", all, func(n *node.Node) bool { _, ok := message(n, id); return !ok })

	// Delete for me: bob's devices only.
	mine := send(t, bob, aliceID, "just between us")
	everywhere("bob's message", all, func(n *node.Node) bool { _, ok := message(n, mine); return ok })
	if err := phone.Actions().Delete(ctx, mine, false); err != nil {
		t.Fatal(err)
	}
	everywhere("the delete for me", []*node.Node{bob, phone}, func(n *node.Node) bool { _, ok := message(n, mine); return !ok })
	for _, n := range []*node.Node{alice, laptop} {
		if _, ok := message(n, mine); !ok {
			t.Fatal("a delete for me removed the message on the other side")
		}
	}

	// A group whose admins may delete: bob writes, edits; alice (the
	// owner) reacts, then deletes bob's message as an admin.
	everywhere("membership", all, func(n *node.Node) bool { return nodetest.IsMember(n, gid, n.Info().Account) })
	var gm core.MessageID
	nodetest.Eventually(t, wait, func() bool {
		gm, err = bob.Groups().Send(ctx, gid, "group hello")
		return err == nil
	}, "send to the group")
	everywhere("the group message", all, func(n *node.Node) bool { _, ok := message(n, gm); return ok })
	if err := phone.Actions().Edit(ctx, gm, "group hello!"); err != nil {
		t.Fatal(err)
	}
	everywhere("the group edit", all, func(n *node.Node) bool {
		m, ok := message(n, gm)
		return ok && m.Text == "group hello!" && m.Edits == 1
	})
	if err := laptop.Actions().React(ctx, gm, "❤️"); err != nil {
		t.Fatal(err)
	}
	want = fmt.Sprint([]actions.Reaction{{Emoji: "❤️", Count: 1, Accounts: []core.AccountID{aliceID}}})
	everywhere("alice's group reaction", all, func(n *node.Node) bool { return reactions(n, gm) == want })
	if err := alice.Actions().Delete(ctx, gm, true); err != nil {
		t.Fatal(err)
	}
	everywhere("the admin's delete", all, func(n *node.Node) bool { _, ok := message(n, gm); return !ok })

	// Once the group no longer lets admins delete, alice cannot delete
	// bob's messages for everyone (her own she still can).
	if err := alice.Groups().SetSettings(ctx, gid, groups.Settings{}); err != nil {
		t.Fatal(err)
	}
	var gm2 core.MessageID
	nodetest.Eventually(t, wait, func() bool {
		gm2, err = bob.Groups().Send(ctx, gid, "still here")
		return err == nil
	}, "send to the group")
	everywhere("bob's second group message", all, func(n *node.Node) bool { _, ok := message(n, gm2); return ok })
	if err := alice.Actions().Delete(ctx, gm2, true); !errors.Is(err, actions.ErrNotAuthor) {
		t.Fatalf("admin delete where the group does not allow it: %v, want ErrNotAuthor", err)
	}

	nodetest.SameState(t, alice, laptop)
	nodetest.SameState(t, bob, phone)
}
