package devices_test

import (
	"context"
	"slices"
	"testing"

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
}
