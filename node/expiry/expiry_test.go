package expiry_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/expiry"
	"github.com/pigeon-net/pigeon/node/nodetest"
	"github.com/pigeon-net/pigeon/storage"
)

// network starts n nodes sharing one manual clock.
func network(t *testing.T, n int) (*nodetest.Network, *expiry.ManualClock) {
	t.Helper()
	clk := expiry.NewManualClock(time.Now())
	opts := []node.Option{node.WithClock(clk)}
	return nodetest.New(t, n, opts...), clk
}

func setTimer(t *testing.T, n *node.Node, chat core.Chat, d time.Duration) expiry.Timer {
	t.Helper()
	var tm expiry.Timer
	nodetest.Eventually(t, nodetest.Wait, func() bool {
		var err error
		tm, err = n.Expiry().SetTimer(context.Background(), chat, d)
		if errors.Is(err, core.ErrUnknownAccount) {
			return false // not findable yet
		}
		if err != nil {
			t.Fatal(err)
		}
		return true
	}, "set timer")
	return tm
}

func timerOf(t *testing.T, n *node.Node, chat core.Chat) expiry.Timer {
	t.Helper()
	tm, err := n.Expiry().Timer(context.Background(), chat)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

func message(n *node.Node, id core.MessageID) (core.Message, error) {
	return n.Chats().Message(context.Background(), id)
}

// gone reports whether message id is in none of n's reads: Message,
// History, and the chat's summary.
func gone(t *testing.T, n *node.Node, peer core.AccountID, id core.MessageID) bool {
	t.Helper()
	if _, err := message(n, id); !errors.Is(err, storage.ErrNotFound) {
		return false
	}
	for _, m := range nodetest.History(t, n, peer) {
		if m.ID == id {
			return false
		}
	}
	convs, err := n.Chats().Conversations(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range convs {
		if c.Last.ID == id {
			return false
		}
	}
	return true
}

func notices(t *testing.T, n *node.Node, peer core.AccountID) []string {
	t.Helper()
	var out []string
	for _, m := range nodetest.History(t, n, peer) {
		if m.Kind == core.KindTimerNotice {
			out = append(out, fmt.Sprintf("%s %s %s", m.ID, m.Sender.Short(), m.Text))
		}
	}
	return out
}

// Outgoing messages count down from their send; incoming ones from their
// first read; after the deadline no read returns them.
func TestExpiryCountdown(t *testing.T) {
	ctx := context.Background()
	nw, clk := network(t, 2)
	alice, bob := nw.Nodes[0], nw.Nodes[1]
	aliceID, bobID := alice.Info().Account, bob.Info().Account

	tm := setTimer(t, alice, core.With(bobID), time.Hour)
	if tm.After != time.Hour || tm.Version != 1 || tm.Setter != aliceID {
		t.Fatalf("timer %+v, want 1h version 1 by alice", tm)
	}
	nodetest.Eventually(t, nodetest.Wait, func() bool {
		return timerOf(t, bob, core.With(aliceID)).After == time.Hour
	}, "bob has the timer")
	nodetest.Eventually(t, nodetest.Wait, func() bool {
		return len(notices(t, bob, aliceID)) == 1
	}, "bob shows the notice")
	if got, want := notices(t, bob, aliceID), notices(t, alice, bobID); !slices.Equal(got, want) {
		t.Fatalf("notices: bob %q, alice %q", got, want)
	}

	id := nodetest.Send(t, alice, bobID, "vanishes")
	sent, err := message(alice, id)
	if err != nil {
		t.Fatal(err)
	}
	if sent.ExpireAfter != time.Hour || !sent.ExpiresAt.Equal(sent.SentAt.Add(time.Hour)) {
		t.Fatalf("sent message expires after %v at %v, want 1h after %v", sent.ExpireAfter, sent.ExpiresAt, sent.SentAt)
	}
	var got core.Message
	nodetest.Eventually(t, nodetest.Wait, func() bool {
		got, err = message(bob, id)
		return err == nil
	}, "bob has the message")
	if got.ExpireAfter != time.Hour || !got.ExpiresAt.IsZero() {
		t.Fatalf("received message expires after %v at %v, want 1h, not started", got.ExpireAfter, got.ExpiresAt)
	}

	clk.Advance(time.Hour + time.Minute)
	nodetest.Eventually(t, nodetest.Wait, func() bool { return gone(t, alice, bobID, id) }, "gone from alice")
	if _, err := message(bob, id); err != nil {
		t.Fatalf("unread message gone from bob: %v", err)
	}

	// Bob reads it: an hour from then it disappears.
	if _, err := bob.Chats().MarkRead(ctx, aliceID); err != nil {
		t.Fatal(err)
	}
	got, err = message(bob, id)
	if err != nil || got.ExpiresAt.IsZero() {
		t.Fatalf("read message: %+v (%v), want its countdown started", got, err)
	}
	clk.Advance(30 * time.Minute)
	if _, err := message(bob, id); err != nil {
		t.Fatalf("gone from bob before its deadline: %v", err)
	}
	clk.Advance(time.Hour)
	nodetest.Eventually(t, nodetest.Wait, func() bool { return gone(t, bob, aliceID, id) }, "gone from bob")
	// The notices stay.
	if len(notices(t, bob, aliceID)) != 1 || len(notices(t, alice, bobID)) != 1 {
		t.Fatal("a notice went with the messages")
	}
}

// A read on one device of the reader starts the countdown on all its
// devices, with one deadline.
func TestExpiryReadOnSibling(t *testing.T) {
	ctx := context.Background()
	nw, clk := network(t, 2)
	alice, bob := nw.Nodes[0], nw.Nodes[1]
	aliceID, bobID := alice.Info().Account, bob.Info().Account
	laptop := nw.Nodes[nw.Link(0, "laptop")]

	setTimer(t, bob, core.With(aliceID), 5*time.Minute)
	id := nodetest.Send(t, bob, aliceID, "read me once")
	for _, n := range []*node.Node{alice, laptop} {
		nodetest.Eventually(t, nodetest.Wait, func() bool {
			m, err := message(n, id)
			return err == nil && m.ExpireAfter == 5*time.Minute
		}, "alice's devices have the message")
	}
	if _, err := laptop.Chats().MarkRead(ctx, bobID); err != nil {
		t.Fatal(err)
	}
	read, err := message(laptop, id)
	if err != nil || read.ExpiresAt.IsZero() {
		t.Fatalf("read on the laptop: %+v (%v)", read, err)
	}
	nodetest.Eventually(t, nodetest.Wait, func() bool {
		m, err := message(alice, id)
		return err == nil && m.ExpiresAt.Equal(read.ExpiresAt)
	}, "the deadline on alice's phone")
	nodetest.SameState(t, alice, laptop)

	clk.Advance(6 * time.Minute)
	for _, n := range []*node.Node{alice, laptop} {
		nodetest.Eventually(t, nodetest.Wait, func() bool { return gone(t, n, bobID, id) }, "gone from alice's devices")
	}
	nodetest.SameState(t, alice, laptop)
}

// Concurrent changes from both sides and from two devices of each
// converge on one timer everywhere, and every device shows the same
// notices.
func TestTimerConverges(t *testing.T) {
	nw, _ := network(t, 2)
	alice, bob := nw.Nodes[0], nw.Nodes[1]
	aliceID, bobID := alice.Info().Account, bob.Info().Account
	nodetest.Send(t, alice, bobID, "hello") // both can find each other
	nodetest.Eventually(t, nodetest.Wait, func() bool { return len(nodetest.History(t, bob, aliceID)) == 1 }, "bob has hello")
	laptop := nw.Nodes[nw.Link(0, "alice laptop")]
	tablet := nw.Nodes[nw.Link(1, "bob tablet")]

	type change struct {
		n    *node.Node
		peer core.AccountID
		d    time.Duration
	}
	changes := []change{
		{alice, bobID, time.Hour}, {laptop, bobID, 8 * time.Hour},
		{bob, aliceID, 24 * time.Hour}, {tablet, aliceID, 5 * time.Minute},
	}
	var wg sync.WaitGroup
	for _, c := range changes {
		wg.Go(func() { setTimer(t, c.n, core.With(c.peer), c.d) })
	}
	wg.Wait()

	all := []*node.Node{alice, laptop, bob, tablet}
	peerOf := func(n *node.Node) core.AccountID {
		if n.Info().Account == aliceID {
			return bobID
		}
		return aliceID
	}
	nodetest.Eventually(t, nodetest.Wait, func() bool {
		want := timerOf(t, alice, core.With(bobID))
		wantNotices := notices(t, alice, bobID)
		for _, n := range all {
			if timerOf(t, n, core.With(peerOf(n))) != want || !slices.Equal(notices(t, n, peerOf(n)), wantNotices) {
				return false
			}
		}
		return len(wantNotices) == 4
	}, "one timer and four notices on every device")
	nodetest.SameState(t, alice, laptop)
	nodetest.SameState(t, bob, tablet)

	// A change after that takes the next version, everywhere.
	tm := setTimer(t, tablet, core.With(aliceID), 0)
	for _, n := range all {
		nodetest.Eventually(t, nodetest.Wait, func() bool {
			return timerOf(t, n, core.With(peerOf(n))) == tm
		}, "the timer turned off on every device")
	}
}

// The default timer reaches every device of the account and applies to
// a chat this account starts.
func TestDefaultTimer(t *testing.T) {
	ctx := context.Background()
	nw, _ := network(t, 2)
	alice, bob := nw.Nodes[0], nw.Nodes[1]
	aliceID, bobID := alice.Info().Account, bob.Info().Account
	laptop := nw.Nodes[nw.Link(0, "laptop")]

	if err := laptop.Expiry().SetDefault(ctx, 24*time.Hour); err != nil {
		t.Fatal(err)
	}
	nodetest.Eventually(t, nodetest.Wait, func() bool {
		d, err := alice.Expiry().Default(ctx)
		return err == nil && d == 24*time.Hour
	}, "the default on alice's phone")
	if err := alice.Expiry().SetDefault(ctx, 90*time.Second); err != nil {
		t.Fatal(err)
	}
	if err := alice.Expiry().SetDefault(ctx, 10*time.Second); !errors.Is(err, expiry.ErrBadTimer) {
		t.Fatalf("a 10 s default: %v, want ErrBadTimer", err)
	}

	id := nodetest.Send(t, alice, bobID, "first words")
	h := nodetest.History(t, alice, bobID)
	if len(h) != 2 || h[0].Kind != core.KindTimerNotice || h[1].ID != id || h[1].ExpireAfter != 90*time.Second {
		t.Fatalf("history %+v, want the notice of the default timer then the message", h)
	}
	nodetest.Eventually(t, nodetest.Wait, func() bool {
		m, err := message(bob, id)
		return err == nil && m.ExpireAfter == 90*time.Second && timerOf(t, bob, core.With(aliceID)).After == 90*time.Second
	}, "bob has the message and the timer")
	nodetest.SameState(t, alice, laptop)
}
