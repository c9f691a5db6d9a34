package groupcast_test

import (
	"fmt"
	"runtime/debug"
	"slices"
	"testing"
	"time"

	pubsub "github.com/libp2p/go-libp2p-pubsub"

	"github.com/pigeon-net/pigeon/protocol/groupcast"
)

// Benchmarks compare this package with stock GossipSub (default
// parameters) on the same hosts and connection graph, in the same run: each
// iteration builds a fresh network and runs the variants on it side by side
// (see run). They are slow (minutes); run them one at a time with
// -benchtime=1x and -count=N, e.g.
//
//	go test -run '^$' -bench 'Group100Loopback$' -benchtime 1x -count 3 -timeout 60m ./protocol/groupcast
//
// Every iteration prints its numbers (for ranges); the reported metrics are
// medians over the iterations of one count.

const (
	benchSeed = 42
	// benchDial is how many random peers each member dials: a mean degree
	// of about 2 × benchDial, the same for every variant.
	benchDial = 5
)

// compare runs variants (the first is the baseline) on fresh networks
// from mk, b.N times, and reports each variant's medians and its ratios to
// the baseline.
func compare(b *testing.B, mk func() *simnet, l load, variants ...variant) {
	// A hundred hosts in one process make a heap whose collection takes
	// about a second of mark work every 15-20 s at the default GOGC; a
	// message in flight then is slowed for every receiver, and the 1 %
	// tail measures the collector, not the protocol. Collect 8 times less
	// often, the same for every variant.
	defer debug.SetGCPercent(debug.SetGCPercent(800))
	results := make([][]result, len(variants))
	for i := 0; i < b.N; i++ {
		nw := mk()
		rs := run(b, nw, variants, l)
		nw.close()
		for j, r := range rs {
			printRound(b, i, variants[j], r)
			results[j] = append(results[j], r)
		}
	}
	report(b, variants, results)
}

// compareApart is compare with every variant on a network of its own, one
// after the other: for networks whose links carry latency, where one
// router starting on hosts another already uses can miss peers (it learns
// their protocols late) and CPU is not what the latency measures.
func compareApart(b *testing.B, mk func() *simnet, l load, variants ...variant) {
	results := make([][]result, len(variants))
	for i := 0; i < b.N; i++ {
		for j, v := range variants {
			nw := mk()
			r := run(b, nw, []variant{v}, l)[0]
			nw.close()
			printRound(b, i, v, r)
			results[j] = append(results[j], r)
		}
	}
	report(b, variants, results)
}

// printRound prints one variant's numbers of one iteration (printed rather
// than logged: the testing package truncates benchmark logs).
func printRound(b *testing.B, i int, v variant, r result) {
	fmt.Printf("%s round %d %-14s %v\n", b.Name(), i, v.name, r)
}

// report reports each variant's medians over the iterations and its p99
// ratio to the first variant's.
func report(b *testing.B, variants []variant, results [][]result) {
	base := results[0]
	for j, v := range variants {
		rs := results[j]
		b.ReportMetric(100*median(rs, func(r result) float64 { return r.delivered }), v.name+"_delivered_%")
		b.ReportMetric(median(rs, func(r result) float64 { return ms(r.p50) }), v.name+"_p50_ms")
		b.ReportMetric(median(rs, func(r result) float64 { return ms(r.p99) }), v.name+"_p99_ms")
		b.ReportMetric(median(rs, func(r result) float64 { return r.dups }), v.name+"_dups/delivery")
		if j == 0 {
			continue
		}
		ratios := make([]result, len(rs))
		for k := range rs {
			ratios[k] = result{p99: time.Duration(float64(time.Millisecond) * ms(rs[k].p99) / ms(base[k].p99))}
		}
		b.ReportMetric(median(ratios, func(r result) float64 { return ms(r.p99) }), v.name+"_p99_ratio")
	}
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func median(rs []result, f func(result) float64) float64 {
	vs := make([]float64, len(rs))
	for i, r := range rs {
		vs[i] = f(r)
	}
	slices.Sort(vs)
	return vs[len(vs)/2]
}

// load100 is the message stream of the 100-member benchmarks: 200-byte
// messages, 2 per second per variant from rotating members.
var load100 = load{warmup: 20, messages: 300, interval: 500 * time.Millisecond, size: 200, drain: 10 * time.Second}

// BenchmarkGroup100Loopback: 100 real hosts on 127.0.0.1 TCP, stock
// GossipSub against this package.
func BenchmarkGroup100Loopback(b *testing.B) {
	const n = 100
	edges := randomGraph(n, benchDial, benchSeed)
	compare(b, func() *simnet { return loopbackNetwork(b, n, edges) }, load100, stockVariant, oursVariant("ours"))
}

// BenchmarkGroup100Mocknet is BenchmarkGroup100Loopback on mocknet (no
// sockets, no encryption): the same graph, less work per copy.
func BenchmarkGroup100Mocknet(b *testing.B) {
	const n = 100
	edges := randomGraph(n, benchDial, benchSeed)
	compare(b, func() *simnet { return mockNetwork(b, n, edges, 0) }, load100, stockVariant, oursVariant("ours"))
}

// BenchmarkGroup100Tuning runs the alternatives to this package's choices,
// each against stock GossipSub on the network of
// BenchmarkGroup100Loopback (the package doc quotes flood publish from it).
func BenchmarkGroup100Tuning(b *testing.B) {
	const n = 100
	edges := randomGraph(n, benchDial, benchSeed)
	mesh := func(d, dlo, dhi, dscore, dout int) pubsub.GossipSubParams {
		p := groupcast.GossipParams()
		p.D, p.Dlo, p.Dhi, p.Dscore, p.Dout = d, dlo, dhi, dscore, dout
		return p
	}
	idw := groupcast.GossipParams()
	idw.IDontWantMessageThreshold = 128
	gossip := groupcast.GossipParams()
	gossip.Dlazy, gossip.GossipFactor = pubsub.GossipSubDlazy, pubsub.GossipSubGossipFactor
	for _, v := range []variant{
		oursVariant("ours"),
		oursVariant("flood", groupcast.WithFloodPublish(true)),
		oursParams("d4-dhi6", mesh(4, 3, 6, 2, 1)),
		oursParams("d4-dhi6-flood", mesh(4, 3, 6, 2, 1), groupcast.WithFloodPublish(true)),
		oursVariant("async", groupcast.WithAsyncValidator()),
		oursParams("idontwant128", idw),
		oursParams("gossip6", gossip),
	} {
		b.Run(v.name, func(b *testing.B) {
			compare(b, func() *simnet { return loopbackNetwork(b, n, edges) }, load100, stockVariant, v)
		})
	}
}

// BenchmarkGroup1000Mocknet: 1,000 simulated members (mocknet, no link
// latency unless -latency), 200-byte messages at 1 per second.
func BenchmarkGroup1000Mocknet(b *testing.B) {
	const n = 1000
	edges := randomGraph(n, benchDial, benchSeed)
	l := load{warmup: 10, messages: 60, interval: time.Second, size: 200, drain: 15 * time.Second}
	compare(b, func() *simnet { return mockNetwork(b, n, edges, 0) }, l, stockVariant, oursVariant("ours"))
}

// BenchmarkGroup100Latency: the 100-member graph of
// BenchmarkGroup100Loopback on mocknet links of 10 ms each way, where the
// latency is the network's (hops × link delay), not the CPU's: the regime
// of members on machines of their own. It shows the other side of this
// package's small mesh: fewer copies, but more hops.
func BenchmarkGroup100Latency(b *testing.B) {
	const n = 100
	edges := randomGraph(n, benchDial, benchSeed)
	l := load{warmup: 10, messages: 60, interval: 300 * time.Millisecond, size: 200, drain: 5 * time.Second}
	compareApart(b, func() *simnet { return mockNetwork(b, n, edges, 10*time.Millisecond) }, l,
		stockVariant, oursVariant("ours"), oursVariant("flood", groupcast.WithFloodPublish(true)))
}

// BenchmarkSenderCost measures what one Publish costs the sender in groups
// of 10, 100 and 1,000 members (mocknet). The sender is connected to every
// other member (the worst case: a small group's full mesh, or a member
// that discovered everyone); the others dial benchDial random members.
// Reported per publish: copies the sender writes, the time Publish takes,
// and the time until the sender has written its last copy.
func BenchmarkSenderCost(b *testing.B) {
	sizes := []int{10, 100, 1000}
	type cost struct{ copies, publish, fanout float64 }
	measure := func(v variant, n int) cost {
		edges := randomGraph(n, min(benchDial, n-1), benchSeed)
		for j := 2; j < n; j++ {
			edges = append(edges, [2]int{0, j})
		}
		nw := mockNetwork(b, n, dedupe(edges), 0)
		defer nw.close()
		const msgs = 30
		interval := 50 * time.Millisecond * time.Duration(max(1, n/100))
		var c cost
		senderCost(b, nw, v, msgs, interval, func(copies int64, publish, fanout time.Duration) {
			c.copies += float64(copies) / msgs
			c.publish += float64(publish.Microseconds()) / msgs
			c.fanout += float64(fanout.Microseconds()) / msgs
		})
		b.Logf("%-6s n=%-5d copies/publish %.1f publish %.0f µs fan-out %.0f µs", v.name, n, c.copies, c.publish, c.fanout)
		return c
	}
	for i := 0; i < b.N; i++ {
		for _, v := range []variant{stockVariant, oursVariant("ours")} {
			costs := make([]cost, len(sizes))
			for k, n := range sizes {
				costs[k] = measure(v, n)
				b.ReportMetric(costs[k].copies, fmt.Sprintf("%s_copies_%d", v.name, n))
				b.ReportMetric(costs[k].fanout, fmt.Sprintf("%s_fanout_us_%d", v.name, n))
				b.ReportMetric(costs[k].publish, fmt.Sprintf("%s_publish_us_%d", v.name, n))
			}
			last := len(sizes) - 1
			b.ReportMetric(costs[last].copies/costs[0].copies, v.name+"_copies_ratio_1000/10")
			b.ReportMetric(costs[last].fanout/costs[0].fanout, v.name+"_fanout_ratio_1000/10")
			b.ReportMetric(costs[last].publish/costs[0].publish, v.name+"_publish_ratio_1000/10")
		}
	}
}

func dedupe(edges [][2]int) [][2]int {
	seen := make(map[[2]int]bool)
	var out [][2]int
	for _, e := range edges {
		k := [2]int{min(e[0], e[1]), max(e[0], e[1])}
		if !seen[k] {
			seen[k] = true
			out = append(out, e)
		}
	}
	return out
}
