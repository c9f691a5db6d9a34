package relay_test

import (
	"context"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/p2p/transport/tcp"

	"github.com/pigeon-net/pigeon/node/relay"
)

// idleConns is how many idle connections BenchmarkRelayIdleConnections
// holds; PIGEON_BENCH_CONNS overrides it.
const idleConns = 5000

// BenchmarkRelayIdleConnections measures what an idle inbound connection
// costs a relay: N client hosts (N = PIGEON_BENCH_CONNS, default 5000, cut
// down to what the relay accepts) in this process connect to a relay, and,
// as the same-run baseline, to a bare libp2p host without the relay
// services. Each side's cost per connection is (after - before) / N, in
// heap and in resident memory; both include the client end of each
// connection, which is the same in both runs, so relay minus bare is what
// the relay role adds.
func BenchmarkRelayIdleConnections(b *testing.B) {
	n := idleConns
	if s := os.Getenv("PIGEON_BENCH_CONNS"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil {
			b.Fatal(err)
		}
	}
	raiseFDLimit(b, uint64(3*n+1024))
	for b.Loop() {
		m := measureIdle(b, n)
		if m.relayN < n {
			// With libp2p's default resource manager the relay refuses
			// inbound connections beyond its autoscaled system limit (252
			// on a 24 GB machine). The refused dials leave state in the
			// clients, so measure again with fresh clients, as many as the
			// relay holds.
			b.Logf("the relay held only %d of %d connections; measuring again with %d", m.relayN, n, m.relayN)
			m = measureIdle(b, m.relayN)
		}
		b.ReportMetric(float64(m.relayN), "relay-conns")
		b.ReportMetric(float64(m.bareN), "bare-conns")
		b.ReportMetric(m.relayRSS, "relay-RSS-B/conn")
		b.ReportMetric(m.relayHeap, "relay-heap-B/conn")
		b.ReportMetric(m.bareRSS, "bare-RSS-B/conn")
		b.ReportMetric(m.bareHeap, "bare-heap-B/conn")
		b.ReportMetric(m.relayRSS-m.bareRSS, "added-RSS-B/conn")
		b.ReportMetric(m.relayHeap-m.bareHeap, "added-heap-B/conn")
		if m.bareRSS > 0 {
			b.ReportMetric(m.relayRSS/m.bareRSS, "RSS-ratio")
		}
		if m.bareHeap > 0 {
			b.ReportMetric(m.relayHeap/m.bareHeap, "heap-ratio")
		}
	}
}

// idleResult is one measurement: bytes per connection held and how many
// were held, for the relay and the bare host.
type idleResult struct {
	relayHeap, relayRSS float64
	relayN              int
	bareHeap, bareRSS   float64
	bareN               int
}

// measureIdle creates n client hosts and measures n idle connections to a
// relay, then as many as the relay held to a bare libp2p host with default
// options but no resource limits.
func measureIdle(b *testing.B, n int) idleResult {
	clients := make([]host.Host, n)
	for i := range clients {
		h, err := libp2p.New(
			libp2p.NoListenAddrs,
			libp2p.Transport(tcp.NewTCPTransport),
			libp2p.DisableRelay(),
			libp2p.DisableMetrics(),
			libp2p.ResourceManager(&network.NullResourceManager{}),
		)
		if err != nil {
			b.Fatalf("client host %d: %v", i, err)
		}
		clients[i] = h
	}
	defer func() {
		for _, h := range clients {
			h.Close()
		}
	}()

	var m idleResult
	r, err := relay.New(relay.WithListenAddrs("/ip4/127.0.0.1/tcp/0"))
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	err = r.Start(ctx)
	cancel()
	if err != nil {
		b.Fatal(err)
	}
	m.relayHeap, m.relayRSS, m.relayN = idleCost(b, "relay", r.Host(), clients)
	r.Close()

	// The baseline must admit as many connections as the relay: no
	// resource manager limits (the defaults stop at a few hundred).
	bare, err := libp2p.New(libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"), libp2p.ResourceManager(&network.NullResourceManager{}))
	if err != nil {
		b.Fatal(err)
	}
	m.bareHeap, m.bareRSS, m.bareN = idleCost(b, "bare", bare, clients[:m.relayN])
	bare.Close()
	return m
}

// idleCost connects every client to server, waits until the server holds
// each connection and has identified its peer, and returns heap and RSS
// growth per connection held, and how many connections were held. It
// closes the connections before returning.
func idleCost(b *testing.B, name string, server host.Host, clients []host.Host) (heap, rss float64, held int) {
	b.Helper()
	info := peer.AddrInfo{ID: server.ID(), Addrs: server.Addrs()}
	heap0, rss0 := memNow(b)
	start := time.Now()

	var failed atomic.Int64
	var firstErr atomic.Value
	work := make(chan host.Host)
	var wg sync.WaitGroup
	for range 32 {
		wg.Go(func() {
			for c := range work {
				ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
				if err := c.Connect(ctx, info); err != nil {
					failed.Add(1)
					firstErr.CompareAndSwap(nil, err.Error())
				}
				cancel()
			}
		})
	}
	for _, c := range clients {
		work <- c
	}
	close(work)
	wg.Wait()
	if f := failed.Load(); f > 0 {
		b.Logf("%s: %d of %d connections failed; first error: %v", name, f, len(clients), firstErr.Load())
	}

	// Wait until the server holds what it accepted and has identified each
	// peer (identify fills the peerstore: part of a connection's cost).
	want := len(clients) - int(failed.Load())
	deadline := time.Now().Add(60 * time.Second)
	for {
		peers := server.Network().Peers()
		identified := 0
		for _, p := range peers {
			if _, err := server.Peerstore().Get(p, "AgentVersion"); err == nil {
				identified++
			}
		}
		if len(peers) >= want && identified >= len(peers) {
			held = len(peers)
			break
		}
		if time.Now().After(deadline) {
			held = len(peers)
			b.Logf("%s: after 60 s the server holds %d connections (%d identified), %d dialled successfully", name, len(peers), identified, want)
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	setup := time.Since(start)
	heap1, rss1 := memNow(b)
	b.Logf("%s: %d connections held (set up in %v); heap %.1f -> %.1f MiB, RSS %.1f -> %.1f MiB",
		name, held, setup.Round(time.Millisecond), mib(heap0), mib(heap1), mib(rss0), mib(rss1))

	for _, c := range clients {
		for _, conn := range c.Network().ConnsToPeer(server.ID()) {
			conn.Close()
		}
		c.Peerstore().RemovePeer(server.ID())
	}
	if held == 0 {
		return 0, 0, 0
	}
	return (heap1 - heap0) / float64(held), (rss1 - rss0) / float64(held), held
}

// memNow collects garbage, returns freed memory to the OS and reports the
// live heap and the process's resident set, in bytes.
func memNow(b *testing.B) (heap, rss float64) {
	b.Helper()
	runtime.GC()
	debug.FreeOSMemory()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		b.Skipf("no /proc/self/status: %v", err)
	}
	for line := range strings.SplitSeq(string(status), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			if err != nil {
				b.Fatalf("parse VmRSS %q: %v", line, err)
			}
			return float64(ms.HeapAlloc), kb * 1024
		}
	}
	b.Fatal("no VmRSS in /proc/self/status")
	return 0, 0
}

func mib(v float64) float64 { return v / (1 << 20) }

// raiseFDLimit raises the soft open-file limit to at least want (capped by
// the hard limit): each connection takes a descriptor on both ends.
func raiseFDLimit(b *testing.B, want uint64) {
	b.Helper()
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		b.Fatal(err)
	}
	if lim.Cur >= want {
		return
	}
	lim.Cur = min(want, lim.Max)
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		b.Fatal(err)
	}
	if lim.Cur < want {
		b.Logf("open-file limit %d is below the %d this run wants", lim.Cur, want)
	}
}
