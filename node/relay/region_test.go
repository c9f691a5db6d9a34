package relay_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p"
	dht "github.com/libp2p/go-libp2p-kad-dht"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/nodetest"
	"github.com/pigeon-net/pigeon/node/relay"
	"github.com/pigeon-net/pigeon/protocol/identity"
)

// A node using three relays, two in one region, names two of them in its
// device list for deposits: one per region.
func TestMailboxRelaysSpreadOverRegions(t *testing.T) {
	start := func(region string, boot ...string) *relay.Relay {
		opts := []relay.Option{relay.WithRegion(region)}
		if len(boot) > 0 {
			opts = append(opts, relay.WithBootstrap(boot...))
		}
		return startRelayAt(t, t.TempDir(), opts...)
	}
	eu1 := start("eu")
	boot := eu1.Addrs()[0].String()
	eu2, us := start("eu", boot), start("us", boot)
	addr := func(r *relay.Relay) string { return r.Addrs()[0].String() }
	n := startNode(t, node.WithBootstrap(boot), node.WithRelays(addr(eu1), addr(eu2), addr(us)), node.WithMailboxRelays(2))
	ctx := context.Background()

	// mailboxes returns the relays the node names, if they are two, one
	// per region.
	mailboxes := func() []string {
		rs, err := n.Relays().List(ctx)
		if err != nil {
			return nil
		}
		var out []string
		regions := map[string]bool{}
		for _, r := range rs {
			if r.Region == "" {
				return nil // not registered everywhere yet
			}
			if r.Mailbox {
				out = append(out, r.Addr)
				regions[r.Region] = true
			}
		}
		if len(out) != 2 || !regions["eu"] || !regions["us"] {
			return nil
		}
		slices.Sort(out)
		return out
	}
	nodetest.Eventually(t, 30*time.Second, func() bool { return mailboxes() != nil }, "two mailbox relays, one per region")

	// The published device list names exactly those.
	h, err := libp2p.New(libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"))
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	bootInfo, err := peer.AddrInfoFromP2pAddr(eu1.Addrs()[0])
	if err != nil {
		t.Fatal(err)
	}
	d, err := dht.New(h, node.DHTOptions(dht.ModeClient, []peer.AddrInfo{*bootInfo})...)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if err := h.Connect(ctx, *bootInfo); err != nil {
		t.Fatal(err)
	}
	nodetest.Eventually(t, 60*time.Second, func() bool {
		gctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		raw, err := d.GetValue(gctx, identity.DeviceListKey(identity.AccountID(n.Info().Account)))
		if err != nil {
			return false
		}
		l, err := identity.OpenDeviceList(raw)
		if err != nil {
			return false
		}
		got := slices.Clone(l.Relays)
		slices.Sort(got)
		want := mailboxes() // the choice may move between the two eu relays as latencies come in
		return want != nil && slices.Equal(got, want)
	}, "device list naming the mailbox relays")
}
