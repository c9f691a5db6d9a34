package presence_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/nodetest"
	"github.com/pigeon-net/pigeon/node/presence"
)

// Presence: B heartbeats to its relay; A (a contact of B) sees it online,
// then offline with a last-seen time once B stops. A stranger sees nothing.
func TestPresenceThroughRelay(t *testing.T) {
	r := nodetest.Relay(t)
	raddr := r.Addrs()[0].String()
	a := nodetest.Standalone(t, node.WithListenAddrs("/ip4/127.0.0.1/tcp/0"), node.WithBootstrap(raddr))
	stranger := nodetest.Standalone(t, node.WithListenAddrs("/ip4/127.0.0.1/tcp/0"), node.WithBootstrap(raddr))
	b := nodetest.Standalone(t, node.WithListenAddrs("/ip4/127.0.0.1/tcp/0"), node.WithRelays(raddr))
	ctx := context.Background()
	if err := b.Contacts().Add(ctx, a.Info().Account, "alice"); err != nil { // default privacy: contacts
		t.Fatal(err)
	}
	bID := b.Info().Account
	nodetest.Eventually(t, 30*time.Second, func() bool {
		p, err := a.Presence().Get(ctx, bID)
		return err == nil && p.State == presence.Online
	}, "a sees b online")
	// a watches its contact b: changes arrive as events.
	events := node.Subscribe[presence.Changed](a)
	defer events.Close()
	if err := a.Contacts().Add(ctx, bID, "bob"); err != nil {
		t.Fatal(err)
	}
	nextPresence := func(want presence.State) presence.Changed {
		t.Helper()
		for {
			select {
			case ev := <-events.Events():
				if ev.Presence.Account == bID && ev.Presence.State == want {
					return ev
				}
			case <-time.After(30 * time.Second):
				t.Fatalf("no %v presence event for b", want)
			}
		}
	}
	nextPresence(presence.Online)
	if p, err := stranger.Presence().Get(ctx, bID); err != nil || p.State != presence.Unknown {
		t.Fatalf("stranger sees %+v, %v; want unknown", p, err)
	}
	if err := b.Presence().SetPrivacy(ctx, "everyone"); err != nil {
		t.Fatal(err)
	}
	nodetest.Eventually(t, 30*time.Second, func() bool {
		p, err := stranger.Presence().Get(ctx, bID)
		return err == nil && p.State == presence.Online
	}, "everyone sees b after the privacy change")
	if err := b.Presence().SetPrivacy(ctx, "sometimes"); !errors.Is(err, node.ErrBadSetting) {
		t.Fatalf("bad privacy value: %v", err)
	}
	closed := time.Now()
	b.Close()
	if ev := nextPresence(presence.Offline); ev.Presence.LastSeen.IsZero() {
		t.Fatalf("offline event without last seen: %+v", ev)
	}
	nodetest.Eventually(t, 30*time.Second, func() bool {
		p, err := a.Presence().Get(ctx, bID)
		return err == nil && p.State == presence.Offline && !p.LastSeen.After(closed.Add(time.Second))
	}, "a sees b offline with a last-seen time")
}

// Privacy reads back what SetPrivacy stored: contacts by default, the last
// valid choice after a refused one, and the same after a restart.
func TestPrivacyReadBack(t *testing.T) {
	nw := nodetest.New(t, 1)
	ctx := context.Background()
	want := func(n *node.Node, who string) {
		t.Helper()
		got, err := n.Presence().Privacy(ctx)
		if err != nil || got != who {
			t.Fatalf("Privacy = %q, %v; want %q", got, err, who)
		}
	}
	want(nw.Nodes[0], "contacts")
	if err := nw.Nodes[0].Presence().SetPrivacy(ctx, "nobody"); err != nil {
		t.Fatal(err)
	}
	if err := nw.Nodes[0].Presence().SetPrivacy(ctx, "sometimes"); !errors.Is(err, node.ErrBadSetting) {
		t.Fatalf("bad privacy value: %v", err)
	}
	want(nw.Nodes[0], "nobody")
	want(nw.Restart(0), "nobody")
	n := nw.Nodes[0]
	nw.Stop(0)
	if _, err := n.Presence().Privacy(ctx); err == nil {
		t.Fatal("Privacy of a closed node: no error")
	}
}

// A contact the user blocked no longer sees the user's presence (the
// privacy "contacts" leaves it out), and sees it again after an unblock.
func TestBlockedContactSeesNoPresence(t *testing.T) {
	r := nodetest.Relay(t)
	raddr := r.Addrs()[0].String()
	a := nodetest.Standalone(t, node.WithListenAddrs("/ip4/127.0.0.1/tcp/0"), node.WithBootstrap(raddr))
	b := nodetest.Standalone(t, node.WithListenAddrs("/ip4/127.0.0.1/tcp/0"), node.WithRelays(raddr))
	ctx := context.Background()
	aID, bID := a.Info().Account, b.Info().Account
	if err := b.Contacts().Add(ctx, aID, "alice"); err != nil {
		t.Fatal(err)
	}
	seen := func(want presence.State, what string) {
		t.Helper()
		nodetest.Eventually(t, 30*time.Second, func() bool {
			p, err := a.Presence().Get(ctx, bID)
			return err == nil && p.State == want
		}, "%s", what)
	}
	seen(presence.Online, "a sees b online")
	if err := b.Contacts().Block(ctx, aID); err != nil {
		t.Fatal(err)
	}
	seen(presence.Unknown, "a blocked sees nothing of b")
	if err := b.Contacts().Unblock(ctx, aID); err != nil {
		t.Fatal(err)
	}
	seen(presence.Online, "a sees b again after the unblock")
}
