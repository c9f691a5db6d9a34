package node_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/nodetest"
	"github.com/pigeon-net/pigeon/protocol/acctlog"
)

// An operation a revoked device signs (it still holds its key and
// certificate) changes nothing on the account's other devices, whether it
// is pushed to them or pulled from a device that holds it; what the device
// did before its revocation stays.
func TestRevokedDeviceOpsRefused(t *testing.T) {
	ctx := context.Background()
	nw := nodetest.New(t, 2)
	alice, carolID := nw.Nodes[0], nw.Nodes[1].Info().Account
	aliceID := alice.Info().Account
	if err := alice.Contacts().Add(ctx, carolID, "Carol"); err != nil {
		t.Fatal(err)
	}
	laptop := nw.Nodes[nw.Link(0, "laptop")]
	phone := nw.Nodes[nw.Link(0, "phone")]
	phoneDev := phone.Info().Device
	name := func(n *node.Node) string {
		cs, err := n.Contacts().List(ctx)
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
	// Before its revocation the phone renames the contact: every device
	// takes that.
	nodetest.Eventually(t, nodetest.Wait, func() bool { return name(phone) == "Carol" }, "the contact on the phone")
	if err := phone.Contacts().Add(ctx, carolID, "Carol (phone)"); err != nil {
		t.Fatal(err)
	}
	for _, n := range []*node.Node{alice, laptop} {
		nodetest.Eventually(t, nodetest.Wait, func() bool { return name(n) == "Carol (phone)" }, "the phone's rename on the others")
	}

	if err := alice.Devices().Revoke(ctx, phoneDev); err != nil {
		t.Fatal(err)
	}
	nodetest.Eventually(t, nodetest.Wait, func() bool {
		l, err := laptop.CachedDeviceList(ctx, aliceID)
		if err != nil {
			return false
		}
		_, listed := l.Device(phoneDev)
		return !listed
	}, "the laptop learns of the revocation")
	want := stateOf(t, alice)
	if got := stateOf(t, laptop); got != want {
		t.Fatalf("laptop's state %s, alice's %s", got, want)
	}

	// Pushed: the revoked phone renames the contact again; the item that
	// carries the operation to the account's devices is refused.
	before := phone.OutboxIDs(ctx)
	if err := phone.Contacts().Add(ctx, carolID, "Mallory"); err != nil {
		t.Fatal(err)
	}
	var pushed []core.MessageID
	for _, id := range phone.OutboxIDs(ctx) {
		if !slices.Contains(before, id) {
			pushed = append(pushed, id)
		}
	}
	if len(pushed) != 1 {
		t.Fatalf("the rename made %d outbox items on the phone, want 1", len(pushed))
	}
	nodetest.Eventually(t, nodetest.Wait, func() bool {
		if !phone.InOutbox(ctx, pushed[0]) {
			return true // delivered (the state checks below fail then) or failed
		}
		r, ok, err := phone.PendingReason(ctx, pushed[0])
		return err == nil && ok && r.Code == core.PendingRefused
	}, "the phone's operation refused")
	seq := phoneSeq(t, phone, phoneDev)
	for _, n := range []*node.Node{alice, laptop} {
		if got := name(n); got != "Carol (phone)" {
			t.Fatalf("contact named %q after the revoked phone's rename", got)
		}
		if held := phoneSeq(t, n, phoneDev); held >= seq {
			t.Fatalf("a device holds the revoked phone's operation %d/%d", phoneDev, seq)
		}
		if got := stateOf(t, n); got != want {
			t.Fatalf("state %s after the revoked phone's rename, want %s", got, want)
		}
	}

	// Pulled: alice holds the operation as a device would that took it
	// before it learned of the revocation; the laptop pulls from her and
	// refuses it.
	raw, err := phone.AccountOpRaw(ctx, phoneDev, seq)
	if err != nil {
		t.Fatal(err)
	}
	if err := alice.HoldAccountOp(ctx, raw, phone.Certificate()); err != nil {
		t.Fatal(err)
	}
	n, err := laptop.SyncAccountLog(ctx, alice.Info().PeerID)
	if !errors.Is(err, acctlog.ErrUnknownDevice) || n != 0 {
		t.Fatalf("the laptop pulled %d operations from alice (%v), want the revoked phone's refused", n, err)
	}
	if got := name(laptop); got != "Carol (phone)" {
		t.Fatalf("contact named %q on the laptop after pulling the revoked phone's rename", got)
	}
	if held := phoneSeq(t, laptop, phoneDev); held >= seq {
		t.Fatalf("the laptop holds the revoked phone's operation %d/%d", phoneDev, seq)
	}
	if got := stateOf(t, laptop); got != want {
		t.Fatalf("laptop's state %s after the pull, want %s", got, want)
	}
}

// A device linked after another was revoked gets the whole history, the
// revoked device's operations from before its revocation included, and
// ends with the state of the account's other devices. An operation the
// revoked device signed after its revocation, held by the device the new
// one pulls from, is refused without holding up the operations of the
// devices numbered above the revoked one.
func TestDeviceLinkedAfterRevocation(t *testing.T) {
	ctx := context.Background()
	nw := nodetest.New(t, 2)
	alice, carolID := nw.Nodes[0], nw.Nodes[1].Info().Account
	if err := alice.Contacts().Add(ctx, carolID, "Carol"); err != nil {
		t.Fatal(err)
	}
	phone := nw.Nodes[nw.Link(0, "phone")]
	laptopAt := nw.Link(0, "laptop")
	laptop := nw.Nodes[laptopAt]
	phoneDev, laptopDev := phone.Info().Device, laptop.Info().Device
	if laptopDev < phoneDev {
		t.Fatalf("laptop is device %d, the phone %d: the laptop must come after", laptopDev, phoneDev)
	}
	name := func(n *node.Node) string {
		cs, err := n.Contacts().List(ctx)
		if err != nil || len(cs) != 1 {
			return "(none)"
		}
		return cs[0].Name
	}
	nodetest.Eventually(t, nodetest.Wait, func() bool { return name(phone) == "Carol" }, "the contact on the phone")
	if err := phone.Contacts().Add(ctx, carolID, "Carol (phone)"); err != nil {
		t.Fatal(err)
	}
	for _, n := range []*node.Node{alice, laptop} {
		nodetest.Eventually(t, nodetest.Wait, func() bool { return name(n) == "Carol (phone)" }, "the phone's rename on the others")
	}
	bound := phoneSeq(t, alice, phoneDev)
	if err := alice.Devices().Revoke(ctx, phoneDev); err != nil {
		t.Fatal(err)
	}

	// The revoked phone renames the contact again; alice holds that
	// operation as a device would that took it before it learned of the
	// revocation.
	if err := phone.Contacts().Add(ctx, carolID, "Mallory"); err != nil {
		t.Fatal(err)
	}
	late := phoneSeq(t, phone, phoneDev)
	raw, err := phone.AccountOpRaw(ctx, phoneDev, late)
	if err != nil {
		t.Fatal(err)
	}
	if err := alice.HoldAccountOp(ctx, raw, phone.Certificate()); err != nil {
		t.Fatal(err)
	}
	// The laptop, numbered above the phone, renames the contact after.
	nodetest.Eventually(t, nodetest.Wait, func() bool {
		l, err := laptop.CachedDeviceList(ctx, alice.Info().Account)
		if err != nil {
			return false
		}
		_, listed := l.Device(phoneDev)
		return !listed
	}, "the laptop learns of the revocation")
	if err := laptop.Contacts().Add(ctx, carolID, "Carol (laptop)"); err != nil {
		t.Fatal(err)
	}
	nodetest.Eventually(t, nodetest.Wait, func() bool { return name(alice) == "Carol (laptop)" }, "the laptop's rename on alice")
	// Alice alone serves the tablet its history.
	nodetest.SameState(t, alice, laptop)
	nw.Stop(laptopAt)

	tablet := nw.Nodes[nw.Link(0, "tablet")]
	nodetest.SameState(t, alice, tablet)
	if got := name(tablet); got != "Carol (laptop)" {
		t.Fatalf("contact named %q on the tablet", got)
	}
	if got := phoneSeq(t, tablet, phoneDev); got != bound {
		t.Fatalf("the tablet holds the phone's operations up to %d, want %d (its revocation)", got, bound)
	}
	if got, want := phoneSeq(t, tablet, laptopDev), phoneSeq(t, alice, laptopDev); got != want {
		t.Fatalf("the tablet holds the laptop's operations up to %d, alice %d", got, want)
	}
}

func stateOf(t testing.TB, n *node.Node) string {
	t.Helper()
	h, err := n.Devices().StateHash(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// phoneSeq returns the highest operation of device n holds from 1 on.
func phoneSeq(t *testing.T, n *node.Node, device uint32) uint64 {
	t.Helper()
	v, err := n.AccountVector(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return v[device]
}
