package contacts_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/contacts"
	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/nodetest"
	"github.com/pigeon-net/pigeon/storage"
)

const wait = 30 * time.Second

func TestIdentityKeyChange(t *testing.T) {
	nw := nodetest.New(t, 3)
	a, b := nw.Nodes[1], nw.Nodes[2]
	ctx := context.Background()
	bID := b.Info().Account
	first := nodetest.Send(t, a, bID, "before")
	nodetest.Eventually(t, wait, func() bool { return nodetest.State(t, a, first) == core.Delivered }, "first delivered")
	before, err := a.Contacts().SafetyNumber(ctx, bID)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Contacts().Verify(ctx, bID); err != nil {
		t.Fatal(err)
	}
	changes := node.Subscribe[contacts.IdentityChanged](a)
	defer changes.Close()

	// b re-installs: same account, new device keys on a fresh home.
	seed, err := b.AccountSeed()
	if err != nil {
		t.Fatal(err)
	}
	nw.Stop(2)
	nw.Homes[2] = t.TempDir()
	b = nw.Start(2, node.WithAccountSeed(seed))
	if b.Info().Account != bID {
		t.Fatal("restored node has another account")
	}

	// a's next message reaches the new device only through a fresh session,
	// which reveals the changed identity.
	second, err := a.Chats().Send(ctx, bID, "after")
	if err != nil {
		t.Fatal(err)
	}
	var ev contacts.IdentityChanged
	select {
	case ev = <-changes.Events():
	case <-time.After(wait):
		t.Fatal("no IdentityChanged event")
	}
	if ev.Account != bID || ev.Device != 1 {
		t.Fatalf("event %+v", ev)
	}
	// b was verified, so nothing goes out until a verifies again.
	if _, err := a.Chats().Send(ctx, bID, "blocked"); !errors.Is(err, core.ErrIdentityUnverified) {
		t.Fatalf("send after change: %v, want ErrIdentityUnverified", err)
	}
	if got := nodetest.State(t, a, second); got != core.Pending {
		t.Fatalf("second message is %v before re-verification, want pending", got)
	}
	// The safety number is over the account keys: the same.
	now, err := a.Contacts().SafetyNumber(ctx, bID)
	if err != nil || now != before {
		t.Fatalf("safety number %s, %v; before the reinstall %s", now, err, before)
	}
	if err := a.Contacts().Verify(ctx, bID); err != nil {
		t.Fatal(err)
	}
	nodetest.Eventually(t, wait, func() bool { return nodetest.State(t, a, second) == core.Delivered }, "delivered after re-verification")
	h := nodetest.History(t, b, a.Info().Account)
	if len(h) != 1 || h[0].Text != "after" {
		t.Fatalf("new device history = %+v", h)
	}
}

// TestContacts: adding, renaming and removing a contact changes the list
// and publishes Changed; bad names and unknown contacts are errors.
func TestContacts(t *testing.T) {
	nw := nodetest.New(t, 1)
	n := nw.Nodes[0]
	ctx := context.Background()
	bob := core.AccountID{1, 2, 3}
	events := node.Subscribe[contacts.Changed](n)
	defer events.Close()
	next := func() contacts.Changed {
		t.Helper()
		select {
		case ev := <-events.Events():
			return ev
		case <-time.After(wait):
			t.Fatal("no Changed event")
		}
		return contacts.Changed{}
	}

	if err := n.Contacts().Add(ctx, bob, "bob"); err != nil {
		t.Fatal(err)
	}
	if ev := next(); ev.Account != bob || ev.Name != "bob" || ev.Removed {
		t.Fatalf("event %+v, want bob added", ev)
	}
	if err := n.Contacts().Add(ctx, bob, "Bobby"); err != nil {
		t.Fatal(err)
	}
	if ev := next(); ev.Name != "Bobby" {
		t.Fatalf("event %+v, want the new name", ev)
	}
	cs, err := n.Contacts().List(ctx)
	if err != nil || len(cs) != 1 || cs[0].Account != bob || cs[0].Name != "Bobby" || cs[0].AddedAt.IsZero() || cs[0].Verified {
		t.Fatalf("List = %+v, %v", cs, err)
	}
	if known, err := n.Contacts().Allowed(ctx, bob); err != nil || !known {
		t.Fatalf("Allowed(contact) = %v, %v", known, err)
	}
	if err := n.Contacts().Add(ctx, bob, strings.Repeat("x", contacts.MaxNameSize+1)); err == nil {
		t.Fatal("a name over the limit was taken")
	}

	if err := n.Contacts().Remove(ctx, bob); err != nil {
		t.Fatal(err)
	}
	if ev := next(); ev.Account != bob || !ev.Removed {
		t.Fatalf("event %+v, want bob removed", ev)
	}
	if cs, err := n.Contacts().List(ctx); err != nil || len(cs) != 0 {
		t.Fatalf("List after Remove = %+v, %v", cs, err)
	}
	if known, err := n.Contacts().Allowed(ctx, bob); err != nil || known {
		t.Fatalf("Allowed(removed) = %v, %v", known, err)
	}
	if err := n.Contacts().Remove(ctx, bob); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("Remove(unknown) = %v, want ErrNotFound", err)
	}

	nw.Stop(0)
	if _, err := n.Contacts().List(ctx); !errors.Is(err, node.ErrClosed) {
		t.Fatalf("List after Close = %v, want ErrClosed", err)
	}
}
