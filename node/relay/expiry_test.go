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
	"github.com/pigeon-net/pigeon/node/relay"
	"github.com/pigeon-net/pigeon/protocol/mailbox"
)

// TestDisappearingCopiesAtRelay: the copies a relay holds of a
// disappearing message (a 1:1 deposit, a group message it keeps for an
// absent member) end when the message's timer would, not at the relay's
// 30 days; everything else (the timer notices, a text sent before the
// timer) keeps the relay's TTL.
func TestDisappearingCopiesAtRelay(t *testing.T) {
	r := startRelay(t)
	raddr := r.Addrs()[0].String()
	a := startNode(t, node.WithListenAddrs("/ip4/127.0.0.1/tcp/0"), node.WithBootstrap(raddr))
	b := startNode(t, node.WithListenAddrs("/ip4/127.0.0.1/tcp/0"), node.WithRelays(raddr))
	ctx := context.Background()
	bID := b.Info().Account
	box := mailbox.Box{Account: [32]byte(bID), Device: b.Info().Device}
	for _, p := range [][2]*node.Node{{a, b}, {b, a}} {
		nodetest.Eventually(t, 30*time.Second, func() bool {
			_, err := p[0].Contacts().SafetyNumber(ctx, p[1].Info().Account)
			return err == nil
		}, "resolve")
	}
	gid, err := a.Groups().Create(ctx, "timed", "", groups.Settings{}, bID)
	if err != nil {
		t.Fatal(err)
	}
	nodetest.Eventually(t, 30*time.Second, func() bool { return groupStatus(b, gid) == groups.Active }, "b joins")
	nodetest.Eventually(t, 30*time.Second, func() bool { topics, _ := r.GroupTopics(); return topics == 1 }, "relay follows the topic")
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}

	start := time.Now()
	if _, err := a.Chats().Send(ctx, bID, "before the timer"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Expiry().SetTimer(ctx, core.Chat{Account: bID}, 5*time.Minute); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Expiry().SetTimer(ctx, core.Chat{Group: gid}, 10*time.Minute); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Chats().Send(ctx, bID, "gone in five minutes"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Groups().Send(ctx, gid, "gone in ten minutes"); err != nil {
		t.Fatal(err)
	}
	// Held at the relay: two timer notices, two 1:1 texts, one group text.
	var items []mailbox.Item
	nodetest.Eventually(t, 30*time.Second, func() bool {
		items, err = relay.Queued(r, box)
		return err == nil && len(items) >= 5
	}, "the relay holds what b missed: %d items (%v)", len(items), err)
	var short []time.Duration
	for _, it := range items {
		d := it.StoredUntil.Sub(start)
		switch {
		case d < time.Hour:
			short = append(short, d.Round(time.Minute))
		case d < 29*24*time.Hour:
			t.Fatalf("an item stored for %v", d)
		}
	}
	slices.Sort(short)
	if len(short) != 2 || short[0] != 5*time.Minute || short[1] != 10*time.Minute {
		t.Fatalf("copies with a short TTL: %v, want the 1:1 text's 5m and the group text's 10m", short)
	}
}
