package devices_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/nodetest"
)

func texts(ms []core.Message) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Text)
	}
	return out
}

// A linked device gets the account's history from the device that linked
// it, then everything either device sends, receives or reads.
func TestLinkedDeviceInSync(t *testing.T) {
	ctx := context.Background()
	nw := nodetest.New(t, 2)
	alice, bob := nw.Nodes[0], nw.Nodes[1]
	aliceID, bobID := alice.Info().Account, bob.Info().Account
	nodetest.Send(t, alice, bobID, "before the link")
	nodetest.Eventually(t, nodetest.Wait, func() bool { return len(nodetest.History(t, bob, aliceID)) == 1 }, "bob has alice's first message")
	if _, err := bob.Chats().Send(ctx, aliceID, "bob's answer"); err != nil {
		t.Fatal(err)
	}
	nodetest.Eventually(t, nodetest.Wait, func() bool { return len(nodetest.History(t, alice, bobID)) == 2 }, "alice has bob's answer")

	i := nw.Link(0, "laptop")
	laptop := nw.Nodes[i]
	if got := laptop.Info().Account; got != aliceID {
		t.Fatalf("the linked device is in account %s, want %s", got, aliceID)
	}
	want := []string{"before the link", "bob's answer"}
	nodetest.Eventually(t, nodetest.Wait, func() bool {
		return slices.Equal(texts(nodetest.History(t, laptop, bobID)), want)
	}, "the history on the new device")

	// Sent on the laptop: bob gets it, and alice's first device shows it as sent.
	nodetest.Send(t, laptop, bobID, "from the laptop")
	nodetest.Eventually(t, nodetest.Wait, func() bool {
		h := nodetest.History(t, bob, aliceID)
		return len(h) == 3 && h[2].Text == "from the laptop"
	}, "bob has the laptop's message")
	nodetest.Eventually(t, nodetest.Wait, func() bool {
		h := nodetest.History(t, alice, bobID)
		return len(h) == 3 && h[2].Text == "from the laptop" && h[2].Direction == core.Outgoing
	}, "alice's first device shows the laptop's message as sent")

	// Received: both of alice's devices.
	if _, err := bob.Chats().Send(ctx, aliceID, "to both"); err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{0, i} {
		nodetest.Eventually(t, nodetest.Wait, func() bool {
			h := nodetest.History(t, nw.Nodes[n], bobID)
			return len(h) == 4 && h[3].Text == "to both"
		}, "device %d has bob's message", n)
	}

	// Read on the laptop: read on alice's first device too.
	if _, err := laptop.Chats().MarkRead(ctx, bobID); err != nil {
		t.Fatal(err)
	}
	nodetest.Eventually(t, nodetest.Wait, func() bool {
		h := nodetest.History(t, alice, bobID)
		return h[3].State == core.Read
	}, "read on alice's first device")

	devs, err := alice.Devices().List(ctx)
	if err != nil || len(devs) != 2 || devs[1].Name != "laptop" {
		t.Fatalf("devices %+v (%v), want this one and the laptop", devs, err)
	}
	nodetest.SameState(t, nw.Nodes[0], nw.Nodes[i])
}

// A revoked device gets nothing sent after the revocation, and what it
// sends is refused.
func TestRevokedDevice(t *testing.T) {
	ctx := context.Background()
	nw := nodetest.New(t, 3)
	alice, bob, carol := nw.Nodes[0], nw.Nodes[1], nw.Nodes[2]
	aliceID, bobID := alice.Info().Account, bob.Info().Account
	nodetest.Send(t, alice, bobID, "hello")
	nodetest.Eventually(t, nodetest.Wait, func() bool { return len(nodetest.History(t, bob, aliceID)) == 1 }, "bob has alice's message")
	i := nw.Link(0, "old phone")
	phone := nw.Nodes[i]
	phoneID := phone.Info().Device
	hasDevices := func(n int) func() bool {
		return func() bool {
			ds, err := bob.Contacts().Devices(ctx, aliceID, false)
			return err == nil && len(ds) == n
		}
	}
	nodetest.Eventually(t, nodetest.Wait, hasDevices(2), "bob learns of alice's second device")
	first := nodetest.Send(t, bob, aliceID, "to both devices")
	nodetest.Eventually(t, nodetest.Wait, func() bool { return nodetest.State(t, bob, first) == core.Delivered }, "delivered to both")
	if h := nodetest.History(t, phone, bobID); len(h) == 0 || h[len(h)-1].Text != "to both devices" {
		t.Fatalf("the phone's history %q lacks bob's message", texts(h))
	}

	if err := alice.Devices().Revoke(ctx, phoneID); err != nil {
		t.Fatal(err)
	}
	nodetest.Eventually(t, nodetest.Wait, hasDevices(1), "bob learns of the revocation")
	after := nodetest.Send(t, bob, aliceID, "after the revocation")
	nodetest.Eventually(t, nodetest.Wait, func() bool { return nodetest.State(t, bob, after) == core.Delivered }, "delivered to alice's remaining device")
	for _, m := range nodetest.History(t, phone, bobID) {
		if m.Text == "after the revocation" {
			t.Fatal("the revoked device got a message sent after its revocation")
		}
	}
	devs, err := alice.Devices().List(ctx)
	if err != nil || len(devs) != 1 {
		t.Fatalf("alice's devices after the revocation: %+v (%v)", devs, err)
	}

	// The revoked device still holds its certificate: bob refuses it all
	// the same, by the list.
	sent, err := phone.Chats().Send(ctx, bobID, "from the revoked phone")
	if err != nil {
		t.Fatal(err)
	}
	nodetest.Eventually(t, nodetest.Wait, func() bool {
		if nodetest.State(t, phone, sent) == core.Failed {
			return true
		}
		r, ok, err := phone.PendingReason(ctx, sent)
		return err == nil && ok && r.Code == core.PendingRefused
	}, "bob refuses the revoked device")
	for _, m := range nodetest.History(t, bob, aliceID) {
		if m.Text == "from the revoked phone" {
			t.Fatal("bob accepted a message from the revoked device")
		}
	}
	// Nor does anyone it never talked to, though its first message
	// carries its certificate, which the account key signed.
	carolID := carol.Info().Account
	toCarol := nodetest.Send(t, phone, carolID, "to carol from the revoked phone")
	nodetest.Eventually(t, nodetest.Wait, func() bool {
		if nodetest.State(t, phone, toCarol) == core.Failed {
			return true
		}
		r, ok, err := phone.PendingReason(ctx, toCarol)
		return err == nil && ok && r.Code == core.PendingRefused
	}, "carol refuses the revoked device")
	if h := nodetest.History(t, carol, aliceID); len(h) != 0 {
		t.Fatalf("carol accepted %q from the revoked device", texts(h))
	}
}

// Contacts converge on every device: what one device adds, renames or
// removes shows on the others, and two devices renaming one contact while
// apart end with the same name.
func TestContactsInSync(t *testing.T) {
	ctx := context.Background()
	nw := nodetest.New(t, 3) // node 0 only bootstraps: alice's devices restart
	alice, carolID := nw.Nodes[1], nw.Nodes[2].Info().Account
	if err := alice.Contacts().Add(ctx, carolID, "Carol"); err != nil {
		t.Fatal(err)
	}
	i := nw.Link(1, "laptop")
	name := func(n int) string {
		cs, err := nw.Nodes[n].Contacts().List(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cs {
			if c.Account == carolID {
				return c.Name
			}
		}
		return "(none)"
	}
	nodetest.Eventually(t, nodetest.Wait, func() bool { return name(i) == "Carol" }, "the contact on the new device")
	if err := nw.Nodes[i].Contacts().Add(ctx, carolID, "Caz"); err != nil {
		t.Fatal(err)
	}
	nodetest.Eventually(t, nodetest.Wait, func() bool { return name(1) == "Caz" }, "the laptop's rename on alice's first device")
	if err := nw.Nodes[i].Contacts().Verify(ctx, carolID); err != nil {
		t.Fatal(err)
	}
	nodetest.Eventually(t, nodetest.Wait, func() bool {
		cs, _ := nw.Nodes[1].Contacts().List(ctx)
		return len(cs) == 1 && cs[0].Verified
	}, "verified on both")

	// Apart: each device renames while the other is down.
	nw.Stop(1)
	if err := nw.Nodes[i].Contacts().Add(ctx, carolID, "Carol (laptop)"); err != nil {
		t.Fatal(err)
	}
	nw.Stop(i)
	nw.Start(1)
	if err := nw.Nodes[1].Contacts().Add(ctx, carolID, "Carol (phone)"); err != nil {
		t.Fatal(err)
	}
	nw.Start(i)
	nodetest.Eventually(t, nodetest.Wait, func() bool {
		a, b := name(1), name(i)
		return a == b && (a == "Carol (laptop)" || a == "Carol (phone)")
	}, "the two renames converge (%q and %q)", name(1), name(i))

	if err := nw.Nodes[i].Contacts().Remove(ctx, carolID); err != nil {
		t.Fatal(err)
	}
	nodetest.Eventually(t, nodetest.Wait, func() bool { return name(1) == "(none)" }, "removed on both")
	nodetest.SameState(t, nw.Nodes[1], nw.Nodes[i])
}

// Three devices of one account and two of another: every message and
// read reaches all five.
func TestThreeDevicesTalkToTwo(t *testing.T) {
	ctx := context.Background()
	nw := nodetest.New(t, 3)
	aliceID, bobID := nw.Nodes[1].Info().Account, nw.Nodes[2].Info().Account
	nodetest.Send(t, nw.Nodes[1], bobID, "hello bob")
	alices := []int{1, nw.Link(1, "laptop"), nw.Link(1, "tablet")}
	bobs := []int{2, nw.Link(2, "laptop")}
	for _, i := range bobs {
		nodetest.Eventually(t, nodetest.Wait, func() bool {
			ds, err := nw.Nodes[i].Contacts().Devices(ctx, aliceID, false)
			return err == nil && len(ds) == 3
		}, "bob's device %d learns alice's three devices", i)
	}
	for _, i := range alices {
		nodetest.Eventually(t, nodetest.Wait, func() bool {
			ds, err := nw.Nodes[i].Contacts().Devices(ctx, bobID, false)
			return err == nil && len(ds) == 2
		}, "alice's device %d learns bob's two devices", i)
	}
	everywhere := func(text string) {
		t.Helper()
		for _, i := range alices {
			nodetest.Eventually(t, nodetest.Wait, func() bool {
				h := nodetest.History(t, nw.Nodes[i], bobID)
				return len(h) > 0 && h[len(h)-1].Text == text
			}, "%q on alice's device %d", text, i)
		}
		for _, i := range bobs {
			nodetest.Eventually(t, nodetest.Wait, func() bool {
				h := nodetest.History(t, nw.Nodes[i], aliceID)
				return len(h) > 0 && h[len(h)-1].Text == text
			}, "%q on bob's device %d", text, i)
		}
	}
	everywhere("hello bob")
	nodetest.Send(t, nw.Nodes[alices[2]], bobID, "from alice's tablet")
	everywhere("from alice's tablet")
	last := nodetest.Send(t, nw.Nodes[bobs[1]], aliceID, "from bob's laptop")
	everywhere("from bob's laptop")

	// Alice reads on her laptop: read on her three devices, and bob's
	// two show it read.
	if _, err := nw.Nodes[alices[1]].Chats().MarkRead(ctx, bobID); err != nil {
		t.Fatal(err)
	}
	for _, i := range alices {
		nodetest.Eventually(t, nodetest.Wait, func() bool {
			m, err := nw.Nodes[i].Chats().Message(ctx, last)
			return err == nil && m.State == core.Read
		}, "read on alice's device %d", i)
	}
	for _, i := range bobs {
		nodetest.Eventually(t, nodetest.Wait, func() bool {
			m, err := nw.Nodes[i].Chats().Message(ctx, last)
			return err == nil && m.State == core.Read
		}, "bob's device %d sees it read", i)
	}
	for _, acct := range [][]int{alices, bobs} {
		var ns []*node.Node
		for _, i := range acct {
			ns = append(ns, nw.Nodes[i])
		}
		nodetest.SameState(t, ns...)
	}
}

// A device that was off while 500 messages and a contact change were
// made catches up when it returns, each message once.
func TestDeviceCatchesUp(t *testing.T) {
	ctx := context.Background()
	nw := nodetest.New(t, 3)
	alice, bob := nw.Nodes[1], nw.Nodes[2]
	aliceID, bobID := alice.Info().Account, bob.Info().Account
	nodetest.Send(t, alice, bobID, "first")
	i := nw.Link(1, "laptop")
	nodetest.Eventually(t, nodetest.Wait, func() bool { return len(nodetest.History(t, nw.Nodes[i], bobID)) == 1 }, "the laptop has the history")
	nodetest.Eventually(t, nodetest.Wait, func() bool {
		ds, err := bob.Contacts().Devices(ctx, aliceID, false)
		return err == nil && len(ds) == 2
	}, "bob learns of the laptop")
	nw.Stop(i)

	const each = 250
	for k := range each {
		nodetest.Send(t, alice, bobID, fmt.Sprintf("from alice %d", k))
		nodetest.Send(t, bob, aliceID, fmt.Sprintf("from bob %d", k))
	}
	if err := alice.Contacts().Add(ctx, bobID, "Bob"); err != nil {
		t.Fatal(err)
	}
	nodetest.Eventually(t, 2*nodetest.Wait, func() bool { return len(nodetest.History(t, alice, bobID)) == 1+2*each }, "alice has all 500 (%d)", len(nodetest.History(t, alice, bobID)))
	if _, err := alice.Chats().MarkRead(ctx, bobID); err != nil {
		t.Fatal(err)
	}

	laptop := nw.Start(i)
	nodetest.Eventually(t, 2*nodetest.Wait, func() bool {
		h := nodetest.History(t, laptop, bobID)
		return len(h) == 1+2*each && h[len(h)-1].State == core.Read
	}, "the laptop catches up (%d messages)", len(nodetest.History(t, laptop, bobID)))
	seen := make(map[core.MessageID]bool)
	for _, m := range nodetest.History(t, laptop, bobID) {
		if seen[m.ID] {
			t.Fatalf("message %s twice", m.ID)
		}
		seen[m.ID] = true
	}
	nodetest.Eventually(t, nodetest.Wait, func() bool {
		cs, err := laptop.Contacts().List(ctx)
		return err == nil && len(cs) == 1 && cs[0].Name == "Bob"
	}, "the contact on the laptop")
	nodetest.SameState(t, nw.Nodes[1], nw.Nodes[i])
}

// A relay added on one device is used by all: a linked device keeps its
// mailbox there and gets what was sent while every device of the account
// was off.
func TestRelaysInSync(t *testing.T) {
	ctx := context.Background()
	r := nodetest.Relay(t)
	raddr := r.Addrs()[0].String()
	nw := nodetest.New(t, 3)
	alice, bob := nw.Nodes[1], nw.Nodes[2]
	aliceID := alice.Info().Account
	if err := alice.Relays().Add(ctx, raddr, ""); err != nil {
		t.Fatal(err)
	}
	i := nw.Link(1, "laptop")
	mailbox := func(n int) bool {
		rs, err := nw.Nodes[n].Relays().List(ctx)
		return err == nil && len(rs) == 1 && rs[0].Mailbox && rs[0].Reserved
	}
	nodetest.Eventually(t, nodetest.Wait, func() bool { return mailbox(i) }, "the laptop keeps its mailbox at alice's relay")
	nodetest.Eventually(t, nodetest.Wait, func() bool {
		ds, err := bob.Contacts().Devices(ctx, aliceID, true)
		return err == nil && len(ds) == 2
	}, "bob learns of the laptop")
	nodetest.Send(t, bob, aliceID, "hello")
	nodetest.Eventually(t, nodetest.Wait, func() bool { return len(nodetest.History(t, nw.Nodes[i], bob.Info().Account)) == 1 }, "the laptop has bob's first message")

	nw.Stop(1)
	nw.Stop(i)
	away := nodetest.Send(t, bob, aliceID, "while you were away")
	nodetest.Eventually(t, nodetest.Wait, func() bool { return nodetest.State(t, bob, away) == core.Sent }, "held by the relay")
	laptop := nw.Start(i)
	nodetest.Eventually(t, nodetest.Wait, func() bool {
		h := nodetest.History(t, laptop, bob.Info().Account)
		return len(h) == 2 && h[1].Text == "while you were away"
	}, "the laptop drains its mailbox")
}

// A linked device joins the account's groups: it gets what members send,
// and they get what it sends.
func TestLinkedDeviceInGroups(t *testing.T) {
	ctx := context.Background()
	nw, g := nodetest.NewGroup(t, 2)
	alice, bob := nw.Nodes[0], nw.Nodes[1]
	if _, err := alice.Groups().Send(ctx, g, "before the link"); err != nil {
		t.Fatal(err)
	}
	nodetest.Eventually(t, nodetest.Wait, func() bool { return len(nodetest.GroupHistory(t, bob, g)) == 1 }, "bob has the first message")

	i := nw.Link(0, "laptop")
	laptop := nw.Nodes[i]
	nodetest.Eventually(t, nodetest.Wait, func() bool {
		gs, err := laptop.Groups().List(ctx)
		return err == nil && len(gs) == 1
	}, "the laptop is in the group")
	has := func(n int, text string) func() bool { return groupHas(t, nw, n, g, text) }
	if _, err := bob.Groups().Send(ctx, g, "hello laptop"); err != nil {
		t.Fatal(err)
	}
	nodetest.Eventually(t, nodetest.Wait, has(i, "hello laptop"), "the laptop gets bob's group message")
	if _, err := laptop.Groups().Send(ctx, g, "from the laptop"); err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{0, 1} {
		nodetest.Eventually(t, nodetest.Wait, has(n, "from the laptop"), "node %d gets the laptop's group message", n)
	}
}

// A device revoked from an account reads nothing its groups send after
// the revocation: every device rotates its sender key.
func TestRevokedDeviceInGroups(t *testing.T) {
	ctx := context.Background()
	nw, g := nodetest.NewGroup(t, 2)
	alice, bob := nw.Nodes[0], nw.Nodes[1]
	i := nw.Link(0, "laptop")
	laptop := nw.Nodes[i]
	has := func(n int, text string) func() bool { return groupHas(t, nw, n, g, text) }
	nodetest.Eventually(t, nodetest.Wait, func() bool {
		gs, err := laptop.Groups().List(ctx)
		return err == nil && len(gs) == 1
	}, "the laptop is in the group")
	for _, n := range []int{0, 1} {
		text := fmt.Sprintf("before, from %d", n)
		if _, err := nw.Nodes[n].Groups().Send(ctx, g, text); err != nil {
			t.Fatal(err)
		}
		nodetest.Eventually(t, nodetest.Wait, has(i, text), "the laptop reads %q", text)
	}

	if err := alice.Devices().Revoke(ctx, laptop.Info().Device); err != nil {
		t.Fatal(err)
	}
	nodetest.Eventually(t, nodetest.Wait, func() bool {
		ds, err := bob.Contacts().Devices(ctx, alice.Info().Account, false)
		return err == nil && len(ds) == 1
	}, "bob learns of the revocation")
	for _, n := range []int{0, 1} {
		text := fmt.Sprintf("after, from %d", n)
		if _, err := nw.Nodes[n].Groups().Send(ctx, g, text); err != nil {
			t.Fatal(err)
		}
		nodetest.Eventually(t, nodetest.Wait, has(1-n, text), "%q arrives", text)
	}
	// The laptop is still on the topic and gets the ciphertexts, but not
	// the keys.
	for _, n := range []int{0, 1} {
		if has(i, fmt.Sprintf("after, from %d", n))() {
			t.Fatalf("the revoked laptop read a message from %d sent after the revocation", n)
		}
	}
}

// groupHas returns a condition: node n of nw holds a message text in
// group g.
func groupHas(t *testing.T, nw *nodetest.Network, n int, g core.GroupID, text string) func() bool {
	return func() bool {
		for _, m := range nodetest.GroupHistory(t, nw.Nodes[n], g) {
			if m.Text == text {
				return true
			}
		}
		return false
	}
}

// Presence privacy set on one device holds on all: the relays take the
// setting of whichever device announces last.
func TestPrivacyInSync(t *testing.T) {
	ctx := context.Background()
	nw := nodetest.New(t, 2)
	alice := nw.Nodes[1]
	if err := alice.Presence().SetPrivacy(ctx, "everyone"); err != nil {
		t.Fatal(err)
	}
	i := nw.Link(1, "laptop")
	privacy := func(n int) string {
		p, err := nw.Nodes[n].Presence().Privacy(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	nodetest.Eventually(t, nodetest.Wait, func() bool { return privacy(i) == "everyone" }, "the laptop takes the setting (%s)", privacy(i))
	if err := nw.Nodes[i].Presence().SetPrivacy(ctx, "nobody"); err != nil {
		t.Fatal(err)
	}
	nodetest.Eventually(t, nodetest.Wait, func() bool { return privacy(1) == "nobody" }, "alice's first device takes the laptop's setting")
	nodetest.SameState(t, nw.Nodes[1], nw.Nodes[i])
}
