package groupcast_test

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"runtime/pprof"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	pubsub "github.com/libp2p/go-libp2p-pubsub"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"
	mocknet "github.com/libp2p/go-libp2p/p2p/net/mock"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/pigeon-net/pigeon/protocol/groupcast"
)

// This file is the benchmark harness: a network of hosts (loopback TCP or
// mocknet) with a fixed random connection graph, on which one router
// variant at a time (ours or stock GossipSub) carries a paced stream of
// messages from rotating publishers while every host records arrival
// latencies and its router's deliveries and duplicates.

// simnet is a set of connected hosts.
type simnet struct {
	hosts  []host.Host
	degree []int
	close  func()
}

// loopbackNetwork starts n real hosts on 127.0.0.1 TCP connected as edges
// says.
func loopbackNetwork(tb testing.TB, n int, edges [][2]int) *simnet {
	tb.Helper()
	hosts, err := startHosts(n, edges)
	closeAll := func() {
		for _, h := range hosts {
			if h != nil {
				h.Close()
			}
		}
	}
	if err != nil {
		closeAll()
		tb.Fatal(err)
	}
	return &simnet{hosts: hosts, degree: degrees(n, edges), close: closeAll}
}

// mockNetwork starts n mocknet hosts with Ed25519 keys (as Pigeon's devices
// have) connected as edges says; latency is added to every link.
func mockNetwork(tb testing.TB, n int, edges [][2]int, latency time.Duration) *simnet {
	tb.Helper()
	mn := mocknet.New()
	mn.SetLinkDefaults(mocknet.LinkOptions{Latency: latency})
	hosts := make([]host.Host, n)
	for i := range hosts {
		sk, _, err := crypto.GenerateEd25519Key(rand.Reader)
		if err != nil {
			tb.Fatal(err)
		}
		addr := ma.StringCast(fmt.Sprintf("/ip4/10.%d.%d.%d/tcp/4001", i>>16&255, i>>8&255, i&255))
		if hosts[i], err = mn.AddPeer(sk, addr); err != nil {
			tb.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	errs := make([]error, len(edges))
	for i, e := range edges {
		a, b := hosts[e[0]].ID(), hosts[e[1]].ID()
		if _, err := mn.LinkPeers(a, b); err != nil {
			tb.Fatal(err)
		}
		wg.Go(func() { _, errs[i] = mn.ConnectPeers(a, b) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		tb.Fatal(err)
	}
	return &simnet{hosts: hosts, degree: degrees(n, edges), close: func() { mn.Close() }}
}

func degrees(n int, edges [][2]int) []int {
	d := make([]int, n)
	for _, e := range edges {
		d[e[0]]++
		d[e[1]]++
	}
	return d
}

// benchTracer counts one router's deliveries, duplicates and sends.
type benchTracer struct {
	groupcast.NoopTracer
	self       peer.ID
	delivered  atomic.Int64 // messages from others delivered by the router
	duplicates atomic.Int64 // copies received of messages already seen
	copies     atomic.Int64 // messages written into RPCs to peers
	control    atomic.Int64 // RPCs carrying only control (gossip, IDONTWANT, graft/prune)
	iwants     atomic.Int64 // message IDs asked for with IWANT
	ownCopies  atomic.Int64 // copies of own messages
	ownWritten atomic.Int64 // unix ns when the last copy of an own message was written

	mu     sync.Mutex // guards mesh
	mesh   map[peer.ID]bool
	grafts atomic.Int64
	prunes atomic.Int64
}

func newBenchTracer(self peer.ID) *benchTracer {
	return &benchTracer{self: self, mesh: make(map[peer.ID]bool)}
}

func (t *benchTracer) Graft(p peer.ID, _ string) {
	t.grafts.Add(1)
	t.mu.Lock()
	t.mesh[p] = true
	t.mu.Unlock()
}

func (t *benchTracer) Prune(p peer.ID, _ string) {
	t.prunes.Add(1)
	t.mu.Lock()
	delete(t.mesh, p)
	t.mu.Unlock()
}

func (t *benchTracer) meshSize() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.mesh)
}

func (t *benchTracer) DeliverMessage(m *pubsub.Message) {
	if m.ReceivedFrom != t.self {
		t.delivered.Add(1)
	}
}

func (t *benchTracer) DuplicateMessage(*pubsub.Message) { t.duplicates.Add(1) }

func (t *benchTracer) SendRPC(rpc *pubsub.RPC, _ peer.ID) {
	for _, w := range rpc.GetControl().GetIwant() {
		t.iwants.Add(int64(len(w.MessageIDs)))
	}
	if len(rpc.Publish) == 0 {
		t.control.Add(1)
		return
	}
	t.copies.Add(int64(len(rpc.Publish)))
	for _, m := range rpc.Publish {
		if peer.ID(m.From) == t.self {
			t.ownCopies.Add(1)
		}
	}
}

func (t *benchTracer) SendRPCCompleted(rpc *pubsub.RPC, _ peer.ID, _ time.Duration) {
	for _, m := range rpc.Publish {
		if peer.ID(m.From) == t.self {
			t.ownWritten.Store(time.Now().UnixNano())
		}
	}
}

func (t *benchTracer) reset() {
	t.delivered.Store(0)
	t.duplicates.Store(0)
	t.copies.Store(0)
	t.control.Store(0)
	t.ownCopies.Store(0)
	t.iwants.Store(0)
	t.grafts.Store(0)
	t.prunes.Store(0)
}

// router is one host's pubsub under test.
type router interface {
	publish(ctx context.Context, payload []byte) error
	close()
}

// variant makes the routers of one configuration.
type variant struct {
	name string
	dlo  int // mesh size to wait for
	// start runs a router on h that passes every message from others to
	// recv (from one goroutine per host).
	start func(h host.Host, tr *benchTracer, recv func([]byte)) (router, error)
}

// debugTails makes run print where the slowest deliveries were;
// profileTo, when set, receives a CPU profile of the measured phase.
var (
	debugTails = false
	profileTo  io.Writer
)

var benchTopic = groupcast.TopicFor([]byte("bench-group"), []byte("bench-secret"))

// oursVariant is this package with the given options, under a protocol ID
// of its own so that several variants can share hosts.
func oursVariant(name string, opts ...groupcast.Option) variant {
	dlo := groupcast.GossipParams().Dlo
	proto := protocol.ID("/pigeon-bench/" + name + "/1.2.0")
	return variant{name: name, dlo: dlo, start: func(h host.Host, tr *benchTracer, recv func([]byte)) (router, error) {
		c, err := groupcast.New(h, append([]groupcast.Option{groupcast.WithRawTracer(tr), groupcast.WithProtocolID(proto)}, opts...)...)
		if err != nil {
			return nil, err
		}
		g, err := c.Join(benchTopic, acceptAll)
		if err != nil {
			c.Close()
			return nil, err
		}
		r := &oursRouter{c: c, g: g, done: make(chan struct{})}
		go func() {
			defer close(r.done)
			for m := range g.Messages() {
				recv(m.Payload)
			}
		}()
		return r, nil
	}}
}

// oursParams is this package with other mesh parameters.
func oursParams(name string, p pubsub.GossipSubParams, opts ...groupcast.Option) variant {
	v := oursVariant(name, append([]groupcast.Option{groupcast.WithGossipParams(p)}, opts...)...)
	v.dlo = p.Dlo
	return v
}

type oursRouter struct {
	c    *groupcast.Caster
	g    *groupcast.Group
	done chan struct{}
}

func (r *oursRouter) publish(ctx context.Context, p []byte) error { return r.g.Publish(ctx, p) }
func (r *oursRouter) close()                                      { r.c.Close(); <-r.done }

// stockVariant is pubsub.NewGossipSub with default parameters. The only
// change: its queues are as large as ours (1024 outbound per peer, 1024
// validation, 4096 subscription) so that a burst does not make it drop.
var stockVariant = variant{name: "stock", dlo: pubsub.GossipSubDlo, start: func(h host.Host, tr *benchTracer, recv func([]byte)) (router, error) {
	ctx, cancel := context.WithCancel(context.Background())
	ps, err := pubsub.NewGossipSub(ctx, h,
		pubsub.WithRawTracer(tr),
		pubsub.WithPeerOutboundQueueSize(1024),
		pubsub.WithValidateQueueSize(1024))
	if err != nil {
		cancel()
		return nil, err
	}
	t, err := ps.Join(benchTopic.String())
	if err != nil {
		cancel()
		return nil, err
	}
	sub, err := t.Subscribe(pubsub.WithBufferSize(4096))
	if err != nil {
		cancel()
		return nil, err
	}
	r := &stockRouter{h: h, t: t, cancel: cancel, done: make(chan struct{})}
	self := h.ID()
	go func() {
		defer close(r.done)
		for {
			m, err := sub.Next(ctx)
			if err != nil {
				return
			}
			if m.ReceivedFrom != self {
				recv(m.Data)
			}
		}
	}()
	return r, nil
}}

type stockRouter struct {
	h      host.Host
	t      *pubsub.Topic
	cancel context.CancelFunc
	done   chan struct{}
}

func (r *stockRouter) publish(ctx context.Context, p []byte) error { return r.t.Publish(ctx, p) }

func (r *stockRouter) close() {
	r.cancel()
	<-r.done
	stock := []protocol.ID{pubsub.GossipSubID_v13, pubsub.GossipSubID_v12, pubsub.GossipSubID_v11, pubsub.GossipSubID_v10, pubsub.FloodSubID}
	for _, id := range stock {
		r.h.RemoveStreamHandler(id)
	}
	resetStreams(r.h, stock...)
}

func resetStreams(h host.Host, ids ...protocol.ID) {
	for _, c := range h.Network().Conns() {
		for _, s := range c.GetStreams() {
			if slices.Contains(ids, s.Protocol()) {
				_ = s.Reset()
			}
		}
	}
}

// load is the message stream of one run.
type load struct {
	warmup, messages int
	interval         time.Duration
	size             int
	drain            time.Duration // how long to wait for stragglers
}

// result is what one run of one variant measured.
type result struct {
	delivered      float64 // fraction of (message, receiver) pairs
	p50, p99, pmax time.Duration
	dups           float64 // duplicates received per delivery
	copies         float64 // message copies sent per delivery
	control        float64 // control-only RPCs per delivery
	iwant          float64 // IDs asked for with IWANT per delivery
}

func (r result) String() string {
	return fmt.Sprintf("delivered %.2f%% p50 %v p99 %v max %v dups/delivery %.2f copies/delivery %.2f control/delivery %.2f iwant/delivery %.3f",
		100*r.delivered, r.p50.Round(10*time.Microsecond), r.p99.Round(10*time.Microsecond), r.pmax.Round(10*time.Microsecond),
		r.dups, r.copies, r.control, r.iwant)
}

// run starts every variant on every host of nw at once (each variant
// speaks its own protocol ID over the same connections), waits for the
// meshes, and sends l through each variant, interleaving the variants'
// messages evenly in time: message k of variant j leaves at
// (k·V + j)·interval/V from the start, from the same member for every
// variant. Running the variants side by side rather than one after the
// other exposes them to the same load from the rest of the machine,
// which on a shared 2-core box varies more than the variants differ. It
// stops the routers again and returns one result per variant.
func run(tb testing.TB, nw *simnet, variants []variant, l load) []result {
	tb.Helper()
	n, nv := len(nw.hosts), len(variants)
	total := l.warmup + l.messages
	type state struct {
		arrival  []atomic.Int64 // [msg*n+host]: latency in ns + 1; 0 = missing
		received atomic.Int64
		tracers  []*benchTracer
		routers  []router
	}
	states := make([]*state, nv)
	defer func() {
		var wg sync.WaitGroup
		for _, st := range states {
			if st == nil {
				continue
			}
			for _, r := range st.routers {
				if r != nil {
					wg.Go(r.close)
				}
			}
		}
		wg.Wait()
	}()
	for j, v := range variants {
		st := &state{arrival: make([]atomic.Int64, total*n), tracers: make([]*benchTracer, n), routers: make([]router, n)}
		states[j] = st
		for i, h := range nw.hosts {
			st.tracers[i] = newBenchTracer(h.ID())
			r, err := v.start(h, st.tracers[i], func(p []byte) {
				now := time.Now().UnixNano()
				seq := binary.BigEndian.Uint64(p)
				sent := int64(binary.BigEndian.Uint64(p[8:]))
				if seq >= uint64(total) {
					return
				}
				if st.arrival[int(seq)*n+i].CompareAndSwap(0, now-sent+1) && int(seq) >= l.warmup {
					st.received.Add(1)
				}
			})
			if err != nil {
				tb.Fatal(err)
			}
			st.routers[i] = r
		}
	}
	// Wait for every mesh to reach Dlo (or the node's degree). A variant
	// that cannot get there in 30 s is measured anyway: a real group does
	// not wait either.
	deadline := time.Now().Add(30 * time.Second)
	for j, v := range variants {
		for i := 0; i < n; i++ {
			tr := states[j].tracers[i]
			for tr.meshSize() < min(v.dlo, nw.degree[i]) && time.Now().Before(deadline) {
				time.Sleep(10 * time.Millisecond)
			}
			if m := tr.meshSize(); m < min(v.dlo, nw.degree[i]) {
				fmt.Printf("%s: node %d has a mesh of %d after 30 s\n", v.name, i, m)
			}
		}
	}

	ctx := context.Background()
	payload := func(seq int) []byte {
		p := make([]byte, l.size)
		_, _ = rand.Read(p[16:])
		binary.BigEndian.PutUint64(p, uint64(seq))
		binary.BigEndian.PutUint64(p[8:], uint64(time.Now().UnixNano()))
		return p
	}
	slot := l.interval / time.Duration(nv)
	t0 := time.Now()
	for seq := 0; seq < total; seq++ {
		k := seq
		if seq >= l.warmup {
			k = seq - l.warmup
		}
		if seq == l.warmup {
			for _, st := range states {
				for _, t := range st.tracers {
					t.reset()
				}
			}
			t0 = time.Now()
			if profileTo != nil {
				if err := pprof.StartCPUProfile(profileTo); err != nil {
					tb.Fatal(err)
				}
			}
		}
		for j, st := range states {
			time.Sleep(time.Until(t0.Add(time.Duration(k*nv+j) * slot)))
			if err := st.routers[(seq*7)%n].publish(ctx, payload(seq)); err != nil {
				tb.Fatal(err)
			}
		}
	}
	want := int64(l.messages * (n - 1))
	end := time.Now().Add(l.drain)
	for time.Now().Before(end) {
		done := true
		for _, st := range states {
			done = done && st.received.Load() >= want
		}
		if done {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}

	if debugTails {
		for j, st := range states {
			type slow struct {
				seq, node int
				lat       time.Duration
			}
			var all []slow
			for seq := l.warmup; seq < total; seq++ {
				for i := 0; i < n; i++ {
					if v := st.arrival[seq*n+i].Load(); v > 0 {
						all = append(all, slow{seq, i, time.Duration(v - 1)})
					}
				}
			}
			slices.SortFunc(all, func(a, b slow) int { return int(b.lat - a.lat) })
			perNode, perMsg := map[int]int{}, map[int]int{}
			for _, s := range all[:len(all)/100] {
				perNode[s.node]++
				perMsg[s.seq]++
			}
			var grafts, prunes int64
			sizes := map[int]int{}
			for _, t := range st.tracers {
				grafts += t.grafts.Load()
				prunes += t.prunes.Load()
				sizes[t.meshSize()]++
			}
			fmt.Printf("%s: slowest 1%%: %d nodes, %d messages; nodes %v; msgs %v; top %v; grafts %d prunes %d mesh sizes %v\n", variants[j].name, len(perNode), len(perMsg), perNode, perMsg, all[:10], grafts, prunes, sizes)
		}
	}
	if profileTo != nil {
		pprof.StopCPUProfile()
	}
	results := make([]result, nv)
	for j, st := range states {
		var lat []int64
		for seq := l.warmup; seq < total; seq++ {
			for i := 0; i < n; i++ {
				if v := st.arrival[seq*n+i].Load(); v > 0 {
					lat = append(lat, v-1)
				}
			}
		}
		slices.Sort(lat)
		pct := func(q float64) time.Duration {
			if len(lat) == 0 {
				return 0
			}
			return time.Duration(lat[min(len(lat)-1, int(q*float64(len(lat))))])
		}
		var delivered, dups, copies, control, iwants int64
		for _, t := range st.tracers {
			delivered += t.delivered.Load()
			dups += t.duplicates.Load()
			copies += t.copies.Load()
			control += t.control.Load()
			iwants += t.iwants.Load()
		}
		per := func(x int64) float64 { return float64(x) / float64(max(delivered, 1)) }
		results[j] = result{
			delivered: float64(len(lat)) / float64(want),
			p50:       pct(0.50),
			p99:       pct(0.99),
			pmax:      pct(1),
			dups:      per(dups),
			copies:    per(copies),
			control:   per(control),
			iwant:     per(iwants),
		}
	}
	return results
}

// senderCost starts v on every host, waits for the meshes, and has host 0
// publish msgs messages, one per interval; for each it reports the copies
// host 0 wrote, the duration of the Publish call, and the time from the
// call to host 0's last write of the message.
func senderCost(tb testing.TB, nw *simnet, v variant, msgs int, interval time.Duration, report func(copies int64, publish, fanout time.Duration)) {
	tb.Helper()
	n := len(nw.hosts)
	tracers := make([]*benchTracer, n)
	routers := make([]router, n)
	for i, h := range nw.hosts {
		tracers[i] = newBenchTracer(h.ID())
		r, err := v.start(h, tracers[i], func([]byte) {})
		if err != nil {
			tb.Fatal(err)
		}
		routers[i] = r
	}
	defer func() {
		var wg sync.WaitGroup
		for _, r := range routers {
			wg.Go(r.close)
		}
		wg.Wait()
	}()
	waitMeshes := func() {
		deadline := time.Now().Add(120 * time.Second)
		for i := 0; i < n; i++ {
			for tracers[i].meshSize() < min(v.dlo, nw.degree[i]) {
				if time.Now().After(deadline) {
					tb.Fatalf("%s: node %d has a mesh of %d after 120 s", v.name, i, tracers[i].meshSize())
				}
				time.Sleep(10 * time.Millisecond)
			}
		}
	}
	waitMeshes()
	sender := tracers[0]
	p := make([]byte, 200)
	for i := 0; i < msgs; i++ {
		_, _ = rand.Read(p)
		sender.ownCopies.Store(0)
		start := time.Now()
		if err := routers[0].publish(context.Background(), p); err != nil {
			tb.Fatal(err)
		}
		publish := time.Since(start)
		time.Sleep(interval)
		report(sender.ownCopies.Load(), publish, time.Duration(sender.ownWritten.Load()-start.UnixNano()))
		p = make([]byte, 200)
	}
}
