package node_test

import (
	"context"
	"io"
	"maps"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/pigeon-net/pigeon/node/nodetest"
)

// BenchmarkLinkHistory100k measures the history transfer as a node does
// it: a device holding 100,000 received texts (each with its account-log
// operation) links a new device, which pulls, verifies, stores and folds
// them (node.Start to the same vector). The time of a link without
// history, measured first on the same network, is subtracted (link-s). It
// reports the transfer's rate, the rate of a bare libp2p stream carrying
// the bytes of the operations between the same two hosts (raw), and
// pull/raw; the two devices' state hashes must be equal afterwards.
//
// Compare pull-ops/s with protocol/acctlog's BenchmarkPull100k, which
// stores the same number of ops without folding them: measured back to
// back on a 2-core machine, 38-45k ops/s here against 28-37k there, so
// folding the texts is not what limits the transfer. The node-level
// import floor (the same verified ops applied from memory) is not
// measured here.
func BenchmarkLinkHistory100k(b *testing.B) {
	const total = 100_000
	ctx := context.Background()
	nw := nodetest.New(b, 2)
	alice, bobID := nw.Nodes[0], nw.Nodes[1].Info().Account

	t0 := time.Now()
	empty := nw.Link(0, "empty")
	link := time.Since(t0)
	synced := func(i int) bool {
		want, err := alice.AccountVector(ctx)
		if err != nil {
			b.Fatal(err)
		}
		got, err := nw.Nodes[i].AccountVector(ctx)
		return err == nil && maps.Equal(got, want)
	}
	nodetest.Eventually(b, nodetest.Wait, func() bool { return synced(empty) }, "the empty link")
	nw.Stop(empty)

	// 200 a transaction (NextOp reads three keys, so the size of the
	// transaction no longer matters: storage/badger BenchmarkNextOpInTxn).
	if err := alice.HoldReceivedTexts(ctx, bobID, total, 200); err != nil {
		b.Fatal(err)
	}
	bytes := 0
	v, err := alice.AccountVector(ctx)
	if err != nil {
		b.Fatal(err)
	}
	dev := alice.Info().Device
	for s := uint64(1); s <= v[dev]; s++ {
		raw, err := alice.AccountOpRaw(ctx, dev, s)
		if err != nil {
			b.Fatal(err)
		}
		bytes += len(raw) + 4
	}
	const rawProto = "/pigeon/bench/raw"
	chunk := make([]byte, 1<<20)
	alice.Host().SetStreamHandler(rawProto, func(st network.Stream) {
		defer st.Close()
		for left := bytes; left > 0; left -= len(chunk) {
			if _, err := st.Write(chunk[:min(left, len(chunk))]); err != nil {
				_ = st.Reset()
				return
			}
		}
	})

	var pull, raw time.Duration
	b.ResetTimer()
	for range b.N {
		t0 := time.Now()
		i := nw.Link(0, "laptop")
		nodetest.Eventually(b, 10*time.Minute, func() bool { return synced(i) }, "the history transfer")
		pull += time.Since(t0) - link

		b.StopTimer()
		laptop := nw.Nodes[i]
		if a, l := stateOf(b, alice), stateOf(b, laptop); a != l {
			b.Fatalf("state %s on the new device, %s on the old", l, a)
		}
		b.StartTimer()
		t0 = time.Now()
		st, err := laptop.Host().NewStream(ctx, peer.ID(alice.Info().PeerID), rawProto)
		if err != nil {
			b.Fatal(err)
		}
		got, err := io.Copy(io.Discard, st)
		raw += time.Since(t0)
		if err != nil || int(got) != bytes {
			b.Fatalf("raw stream: %d of %d bytes: %v", got, bytes, err)
		}
		_ = st.Close()
		b.StopTimer()
		nw.Stop(i)
		b.StartTimer()
	}
	b.StopTimer()
	rate := func(d time.Duration) float64 { return float64(b.N*total) / d.Seconds() }
	b.ReportMetric(link.Seconds(), "link-s")
	b.ReportMetric(rate(pull), "pull-ops/s")
	b.ReportMetric(rate(raw), "raw-ops/s")
	b.ReportMetric(rate(pull)/rate(raw), "pull/raw")
}
