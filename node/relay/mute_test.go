package relay_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/groups"
	"github.com/pigeon-net/pigeon/node/nodetest"
	"github.com/pigeon-net/pigeon/node/prefs"
	"github.com/pigeon-net/pigeon/node/relay"
	"github.com/pigeon-net/pigeon/node/relay/push"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/mailbox"
)

// TestMutedChatsDoNotWake: while b is away, a message from a contact b
// muted, and one in a group b muted, reach b's relay but do not wake b
// through its push endpoint; a message from a contact b did not mute does.
func TestMutedChatsDoNotWake(t *testing.T) {
	var mu sync.Mutex
	wakes := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		wakes++
		mu.Unlock()
		w.WriteHeader(http.StatusCreated)
	}))
	defer srv.Close()
	woken := func() int {
		mu.Lock()
		defer mu.Unlock()
		return wakes
	}
	r := startRelayAt(t, t.TempDir(), relay.WithPush(push.Config{AllowLoopback: true, CoalesceWindow: time.Millisecond}))
	raddr := r.Addrs()[0].String()
	ctx := context.Background()
	a := startNode(t, node.WithListenAddrs("/ip4/127.0.0.1/tcp/0"), node.WithBootstrap(raddr))
	c := startNode(t, node.WithListenAddrs("/ip4/127.0.0.1/tcp/0"), node.WithBootstrap(raddr))
	bOpts := []node.Option{node.WithHome(t.TempDir()), node.WithListenAddrs("/ip4/127.0.0.1/tcp/0"), node.WithRelays(raddr)}
	b := launch(t, bOpts...)
	bID, aID := b.Info().Account, a.Info().Account
	box := mailbox.Box{Account: identity.AccountID(bID), Device: b.Info().Device}
	for _, from := range []*node.Node{a, c} {
		for _, to := range []*node.Node{a, b, c} {
			if from != to {
				nodetest.Eventually(t, 30*time.Second, func() bool {
					_, err := from.Contacts().SafetyNumber(ctx, to.Info().Account)
					return err == nil
				}, "resolve")
			}
		}
	}
	gid, err := c.Groups().Create(ctx, "muted group", "", groups.Settings{}, bID)
	if err != nil {
		t.Fatal(err)
	}
	nodetest.Eventually(t, 30*time.Second, func() bool { return groupStatus(b, gid) == groups.Active }, "b joins")
	// c's sender key reaches b (pairwise) while b is here.
	if _, err := c.Groups().Send(ctx, gid, "group hello"); err != nil {
		t.Fatal(err)
	}
	nodetest.Eventually(t, 30*time.Second, func() bool { return len(groupTexts(t, b, gid)) == 1 }, "b reads the group")
	forever := prefs.Forever
	for _, chat := range []core.Chat{{Account: aID}, {Group: gid}} {
		if _, err := b.Prefs().Set(ctx, chat, prefs.Change{MutedUntil: &forever}); err != nil {
			t.Fatal(err)
		}
	}
	// b hands a the quiet secret with what it sends a next.
	if _, err := b.Chats().Send(ctx, aID, "hello"); err != nil {
		t.Fatal(err)
	}
	nodetest.Eventually(t, 30*time.Second, func() bool { return len(nodetest.History(t, a, bID)) == 1 }, "a has b's hello")
	// The endpoint last: nothing is deposited while b registers again
	// (its subscription pauses), so every wake-up counted is one of the
	// deposits below.
	if err := b.Relays().SetPush(ctx, push.Endpoint{Kind: push.UnifiedPush, URL: srv.URL + "/up/b"}, push.AllowLoopback()); err != nil {
		t.Fatal(err)
	}
	nodetest.Eventually(t, 30*time.Second, func() bool {
		reg, err := relay.Registration(r, box)
		return err == nil && len(reg.QuietKeys) > 0 && reg.Push != nil
	}, "b registered its quiet keys and endpoint")
	nodetest.Eventually(t, 30*time.Second, func() bool {
		_, quiet, err := r.FollowedTopics(box)
		return err == nil && quiet == 1
	}, "the relay follows the muted group quietly")
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}

	// Away: the muted contact's message and the muted group's reach the
	// relay without a wake-up.
	muted, err := a.Chats().Send(ctx, bID, "from a muted contact")
	if err != nil {
		t.Fatal(err)
	}
	nodetest.Eventually(t, 30*time.Second, func() bool {
		m, err := a.Chats().Message(ctx, muted)
		return err == nil && m.State == core.Sent
	}, "at the relay")
	if _, err := c.Groups().Send(ctx, gid, "in a muted group"); err != nil {
		t.Fatal(err)
	}
	nodetest.Eventually(t, 30*time.Second, func() bool {
		m, err := a.Chats().Message(ctx, muted)
		items, qerr := relay.Queued(r, box)
		return err == nil && m.State == core.Sent && qerr == nil && len(items) >= 2
	}, "the relay holds both")
	if n := woken(); n != 0 {
		t.Fatalf("%d wake-ups for muted chats", n)
	}
	// A contact b did not mute wakes it.
	if _, err := c.Chats().Send(ctx, bID, "not muted"); err != nil {
		t.Fatal(err)
	}
	nodetest.Eventually(t, 30*time.Second, func() bool { return woken() > 0 }, "an unmuted contact's message wakes b")
	if n := woken(); n != 1 {
		t.Fatalf("%d wake-ups, want the unmuted contact's one", n)
	}
}
