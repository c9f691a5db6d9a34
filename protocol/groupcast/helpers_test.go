package groupcast_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p"
	pubsub "github.com/libp2p/go-libp2p-pubsub"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"
	"go.uber.org/goleak"

	"github.com/pigeon-net/pigeon/protocol/groupcast"
)

// leakIgnores are process-wide workers of dependencies, started once and kept.
var leakIgnores = []goleak.Option{
	goleak.IgnoreAnyFunction("github.com/ipfs/go-log/v2/writer.(*MirrorWriter).logRoutine"),
	goleak.IgnoreAnyFunction("go.opencensus.io/stats/view.(*worker).start"),
	goleak.IgnoreAnyFunction("github.com/libp2p/go-libp2p/p2p/net/swarm.(*dialWorker).loop"),
}

func TestMain(m *testing.M) {
	code := m.Run()
	if code == 0 {
		if err := goleak.Find(leakIgnores...); err != nil {
			println("goroutine leak:", err.Error())
			code = 1
		}
	}
	os.Exit(code)
}

func newHost(t testing.TB) host.Host {
	t.Helper()
	h, err := libp2p.New(libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	return h
}

func connect(t testing.TB, a, b host.Host) {
	t.Helper()
	if err := a.Connect(context.Background(), peer.AddrInfo{ID: b.ID(), Addrs: b.Addrs()}); err != nil {
		t.Fatal(err)
	}
}

// newHosts starts n hosts on loopback TCP connected as edges says, closed
// when the test ends.
func newHosts(t testing.TB, n int, edges [][2]int) []host.Host {
	t.Helper()
	hosts, err := startHosts(n, edges)
	t.Cleanup(func() {
		for _, h := range hosts {
			if h != nil {
				h.Close()
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return hosts
}

// startHosts starts n hosts on loopback TCP and connects them as edges
// says, in parallel (host set-up dominates the tests under -race
// otherwise).
func startHosts(n int, edges [][2]int) ([]host.Host, error) {
	hosts := make([]host.Host, n)
	errs := make([]error, n+len(edges))
	var wg sync.WaitGroup
	for i := range hosts {
		wg.Go(func() {
			hosts[i], errs[i] = libp2p.New(libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"))
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return hosts, err
	}
	sem := make(chan struct{}, 8) // more handshakes at once time out on 2 cores
	for i, e := range edges {
		a, b := hosts[e[0]], hosts[e[1]]
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			errs[n+i] = a.Connect(context.Background(), peer.AddrInfo{ID: b.ID(), Addrs: b.Addrs()})
		})
	}
	wg.Wait()
	return hosts, errors.Join(errs...)
}

// randomGraph returns the edges of a connected random graph on n nodes in
// which every node dialled k others chosen at random (so the mean degree is
// about 2k). The same seed gives the same graph.
func randomGraph(n, k int, seed uint64) [][2]int {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	for {
		seen := make(map[[2]int]bool)
		var edges [][2]int
		for i := 0; i < n; i++ {
			dialled := 0
			for _, j := range r.Perm(n) {
				if dialled == k {
					break
				}
				e := [2]int{min(i, j), max(i, j)}
				if j == i || seen[e] {
					continue
				}
				seen[e] = true
				edges = append(edges, [2]int{i, j})
				dialled++
			}
		}
		if connected(n, edges) {
			return edges
		}
	}
}

func connected(n int, edges [][2]int) bool {
	adj := make([][]int, n)
	for _, e := range edges {
		adj[e[0]] = append(adj[e[0]], e[1])
		adj[e[1]] = append(adj[e[1]], e[0])
	}
	seen := make([]bool, n)
	stack := []int{0}
	seen[0] = true
	count := 1
	for len(stack) > 0 {
		v := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, w := range adj[v] {
			if !seen[w] {
				seen[w] = true
				count++
				stack = append(stack, w)
			}
		}
	}
	return count == n
}

// eventually polls cond until it holds or the deadline passes.
// wait bounds the tests' polls: long enough for a loaded CI machine
// running the race detector (10 s timed out there once), short enough to
// fail a hang.
const wait = 30 * time.Second

func eventually(t testing.TB, d time.Duration, cond func() bool, what string) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// tracer records a router's view of one topic: its mesh, deliveries,
// duplicates and rejections.
type tracer struct {
	groupcast.NoopTracer
	self       peer.ID
	delivered  atomic.Int64 // messages from others delivered
	duplicates atomic.Int64

	mu       sync.Mutex // guards the maps
	mesh     map[peer.ID]bool
	rejected map[string]int // reason -> count
	pruned   map[peer.ID]int
}

func newTracer(self peer.ID) *tracer {
	return &tracer{self: self, mesh: make(map[peer.ID]bool), rejected: make(map[string]int), pruned: make(map[peer.ID]int)}
}

func (t *tracer) Graft(p peer.ID, _ string) {
	t.mu.Lock()
	t.mesh[p] = true
	t.mu.Unlock()
}

func (t *tracer) Prune(p peer.ID, _ string) {
	t.mu.Lock()
	delete(t.mesh, p)
	t.pruned[p]++
	t.mu.Unlock()
}

func (t *tracer) DeliverMessage(m *pubsub.Message) {
	if m.ReceivedFrom != t.self {
		t.delivered.Add(1)
	}
}

func (t *tracer) DuplicateMessage(*pubsub.Message) { t.duplicates.Add(1) }

func (t *tracer) RejectMessage(_ *pubsub.Message, reason string) {
	t.mu.Lock()
	t.rejected[reason]++
	t.mu.Unlock()
}

func (t *tracer) meshSize() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.mesh)
}

func (t *tracer) meshPeers() []peer.ID {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]peer.ID, 0, len(t.mesh))
	for p := range t.mesh {
		out = append(out, p)
	}
	return out
}

func (t *tracer) rejections(reason string) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.rejected[reason]
}

func (t *tracer) prunes(p peer.ID) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.pruned[p]
}
