package relay_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p"
	kadpb "github.com/libp2p/go-libp2p-kad-dht/pb"
	recpb "github.com/libp2p/go-libp2p-record/pb"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/p2p/protocol/circuitv2/client"
	circuitproto "github.com/libp2p/go-libp2p/p2p/protocol/circuitv2/proto"
	quic "github.com/libp2p/go-libp2p/p2p/transport/quic"
	"github.com/libp2p/go-libp2p/p2p/transport/tcp"
	"github.com/libp2p/go-msgio"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/delivery"
	"github.com/pigeon-net/pigeon/protocol/e2e"
	"github.com/pigeon-net/pigeon/protocol/e2e/e2etest"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/mailbox"
	"github.com/pigeon-net/pigeon/protocol/presence"
)

const (
	// idleConns is how many idle connections BenchmarkRelayIdleConnections
	// holds; PIGEON_BENCH_CONNS overrides it (at most maxBenchConns).
	idleConns     = 5000
	maxBenchConns = 10000
	// idleContacts is how many contacts each client has: it lets them see
	// its presence and watches theirs. Its contacts are the next clients,
	// so they are registered with the same relay.
	idleContacts = 20
	// benchWorkers is how many clients run a stage at once.
	benchWorkers = 32
	// kadProtocol is the DHT protocol under Pigeon's prefix.
	kadProtocol = "/pigeon/kad/1.0.0"
)

// BenchmarkRelayIdleConnections measures what an idle client costs a relay
// in resident memory. The relay runs alone in a child process (this test
// binary started again, see runBenchServer); N clients (N =
// PIGEON_BENCH_CONNS, default 5000) in the benchmark process connect to it
// and do, in stages, what a personal node does with its relay before it
// goes idle:
//
//   - connect: TCP (PIGEON_BENCH_TRANSPORT=quic for QUIC), the relay's
//     security (Noise) and yamux, and identify, from a host that listens
//     and serves like a node;
//   - reserve: a circuit relay v2 reservation;
//   - mailbox: a mailbox registration, then the mailbox subscription
//     stream, kept open;
//   - presence: the presence stream, announcing the account (visible to its
//     idleContacts contacts) and watching those contacts, kept open with
//     heartbeats;
//   - dht: publishing the device list and the prekey bundle record: a
//     FIND_NODE and two PUT_VALUEs on one kad stream, which is then closed
//     (the relay closes an idle DHT stream after a minute anyway);
//   - idle: nothing for idleWait, while the presence streams heartbeat.
//
// The bare baseline host gets the connect and idle stages.
//
// The clients are light (no node.Node, whose Badger store would make 5,000
// of them too heavy) but open the same streams with the same protocol
// code, and present the same certificates and signed records. They do not
// upload one-time prekeys on registration: that is per-account storage,
// written once to the relay's disk, not a cost of the connection.
//
// After each stage the child is asked to collect garbage and return freed
// memory to the OS, and its VmRSS is read from /proc. The cost per
// connection is (RSS after the last stage - RSS before any client) / N.
// The same-run baseline is a bare libp2p host with the relay's transports,
// security, muxer and connection and resource managers, and no relay
// services, also alone in a child process, holding connections from the
// same clients, measured the same way.
//
// PIGEON_BENCH_PROFILE=DIR writes heap and goroutine profiles of both
// children to DIR before the first stage and after each (diff two with
// go tool pprof -base). One iteration takes a few minutes: give -timeout, and
// -v to see the per-stage breakdown it logs.
func BenchmarkRelayIdleConnections(b *testing.B) {
	if _, err := os.Stat("/proc/self/status"); err != nil {
		b.Skipf("no /proc: %v", err)
	}
	n := idleConns
	if s := os.Getenv("PIGEON_BENCH_CONNS"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil || n < 1 || n > maxBenchConns {
			b.Fatalf("PIGEON_BENCH_CONNS=%q: want 1..%d", s, maxBenchConns)
		}
	}
	listen := "/ip4/127.0.0.1/tcp/0"
	switch t := os.Getenv("PIGEON_BENCH_TRANSPORT"); t {
	case "", "tcp":
	case "quic":
		listen = "/ip4/127.0.0.1/udp/0/quic-v1"
	default:
		b.Fatalf("PIGEON_BENCH_TRANSPORT=%q: want tcp or quic", t)
	}
	// Each client holds a connection and listens on TCP and UDP.
	if err := raiseNoFile(uint64(3*n + 1024)); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	clients := newIdleClients(b, n)
	b.Logf("%d clients ready in %v", n, time.Since(start).Round(time.Millisecond))
	for b.Loop() {
		bare := measureServer(b, "bare", listen, clients)
		rel := measureServer(b, "relay", listen, clients)
		b.ReportMetric(float64(rel.held), "relay-conns")
		b.ReportMetric(float64(bare.held), "bare-conns")
		b.ReportMetric(rel.rss, "relay-RSS-B/conn")
		b.ReportMetric(bare.rss, "bare-RSS-B/conn")
		b.ReportMetric(rel.rss-bare.rss, "added-RSS-B/conn")
		b.ReportMetric(rel.heap, "relay-heap-B/conn")
		b.ReportMetric(bare.heap, "bare-heap-B/conn")
		b.ReportMetric(rel.goroutines, "relay-goroutines/conn")
		b.ReportMetric(bare.goroutines, "bare-goroutines/conn")
		if bare.rss > 0 {
			b.ReportMetric(rel.rss/bare.rss, "RSS-ratio")
		}
	}
}

// idleClient is one client host and what it keeps open to the server.
type idleClient struct {
	key     crypto.PrivKey
	account *identity.Account
	cert    *identity.Certificate
	bundle  []byte // the signed prekey bundle record it publishes
	h       host.Host

	ok   bool // connected to the current server
	sub  *mailbox.Subscription
	pres *presence.Client
}

func (c *idleClient) box() mailbox.Box { return mailbox.Box{Account: c.account.ID(), Device: 1} }

// newIdleClients creates n clients: an account, a device certificate,
// Signal keys and a bundle record each, and a host configured like a node's
// (TCP and QUIC on loopback, TLS or Noise, yamux, the node's protocols and
// user agent, hole punching).
func newIdleClients(b *testing.B, n int) []*idleClient {
	clients := make([]*idleClient, n)
	b.Cleanup(func() {
		forEach(clients, func(c *idleClient) error {
			if c != nil && c.h != nil {
				c.h.Close()
			}
			return nil
		})
	})
	idx := make(chan int)
	go func() {
		for i := range clients {
			idx <- i
		}
		close(idx)
	}()
	var wg sync.WaitGroup
	var firstErr atomic.Pointer[error]
	for range benchWorkers {
		wg.Go(func() {
			for i := range idx {
				c, err := newIdleClient()
				if err != nil {
					firstErr.CompareAndSwap(nil, &err)
					continue
				}
				clients[i] = c
			}
		})
	}
	wg.Wait()
	if err := firstErr.Load(); err != nil {
		b.Fatal(*err)
	}
	return clients
}

func newIdleClient() (*idleClient, error) {
	key, _, err := crypto.GenerateEd25519Key(nil)
	if err != nil {
		return nil, err
	}
	pid, err := peer.IDFromPrivateKey(key)
	if err != nil {
		return nil, err
	}
	acct, err := identity.NewAccount()
	if err != nil {
		return nil, err
	}
	keys, err := e2e.GenerateLocalKeys()
	if err != nil {
		return nil, err
	}
	signed, err := acct.IssueCertificate(1, pid, keys.IdentityKeyPair.PublicKey().Serialize(), time.Now())
	if err != nil {
		return nil, err
	}
	cert, err := identity.VerifyCertificate(signed)
	if err != nil {
		return nil, err
	}
	mgr, err := e2e.NewManager(e2etest.NewMemStore(keys), signed, nil)
	if err != nil {
		return nil, err
	}
	if err := mgr.Init(context.Background()); err != nil {
		return nil, err
	}
	_, bundle, err := mgr.PublishedBundle(context.Background())
	if err != nil {
		return nil, err
	}
	h, err := libp2p.New(
		libp2p.Identity(key),
		libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0", "/ip4/127.0.0.1/udp/0/quic-v1"),
		libp2p.Transport(tcp.NewTCPTransport),
		libp2p.Transport(quic.NewTransport),
		libp2p.UserAgent("pigeon/0.1"),
		libp2p.EnableHolePunching(),
		libp2p.ResourceManager(&network.NullResourceManager{}),
		libp2p.DisableMetrics(),
	)
	if err != nil {
		return nil, err
	}
	reset := func(s network.Stream) { _ = s.Reset() }
	h.SetStreamHandler(delivery.ProtocolID, reset)
	h.SetStreamHandler(e2e.PreKeyProtocol, reset)
	return &idleClient{key: key, account: acct, cert: cert, bundle: bundle, h: h}, nil
}

// idleStage is one step of what clients do with the server, and when the
// server has settled after it.
type idleStage struct {
	name    string
	run     func(ctx context.Context, c *idleClient) error // nil: nothing, for wait
	wait    time.Duration
	settled func(st benchStats, ok int) bool
}

// idleWait is how long the last stage leaves the server alone (a
// duration in PIGEON_BENCH_IDLE, default 70 s): long enough for libp2p's
// resource manager to drop, in its once-a-minute sweep, the scopes of the
// streams that have ended. The presence clients heartbeat meanwhile.
func idleWait(b *testing.B) time.Duration {
	s := os.Getenv("PIGEON_BENCH_IDLE")
	if s == "" {
		return 70 * time.Second
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		b.Fatalf("PIGEON_BENCH_IDLE=%q: %v", s, err)
	}
	return d
}

// idleCost is the growth per connection held from before the first client
// to after the last stage.
type idleCost struct {
	held                  int
	rss, heap, goroutines float64
}

// serverSnap is the child's state at one point.
type serverSnap struct {
	benchStats
	rss, anon, file float64 // VmRSS, RssAnon, RssFile in bytes
}

// measureServer starts a server child of the role, runs the clients
// through its stages, and returns the cost per connection held. It stops
// the child and disconnects the clients before returning.
func measureServer(b *testing.B, role, listen string, clients []*idleClient) idleCost {
	srv := startBenchServer(b, role, listen)
	defer srv.stop(b)
	info, err := peer.AddrInfoFromString(srv.addrs[0])
	if err != nil {
		b.Fatal(err)
	}
	defer forEach(clients, func(c *idleClient) error {
		if c.pres != nil {
			c.pres.Close()
			c.pres = nil
		}
		if c.sub != nil {
			c.sub.Close()
			c.sub = nil
		}
		for _, conn := range c.h.Network().ConnsToPeer(info.ID) {
			conn.Close()
		}
		c.h.Peerstore().RemovePeer(info.ID)
		c.ok = false
		return nil
	})

	time.Sleep(2 * time.Second) // start-up work (DHT bootstrap, ...) ends
	before := srv.snapshot(b, "gc")
	profile := func(stage string) {
		dir := os.Getenv(benchProfileEnv)
		if dir == "" {
			return
		}
		for _, cmd := range []string{
			"heap " + filepath.Join(dir, role+"-"+stage+"-heap.pprof"),
			"goroutines " + filepath.Join(dir, role+"-"+stage+"-goroutines.txt"),
		} {
			if st := srv.command(b, cmd); st.Err != "" {
				b.Errorf("%s: %s", cmd, st.Err)
			}
		}
	}
	profile("0before")
	b.Logf("%s before: RSS %.1f MiB (anon %.1f, file %.1f), heap %.1f MiB, %d goroutines",
		role, mib(before.rss), mib(before.anon), mib(before.file), mib(float64(before.HeapAlloc)), before.Goroutines)

	stages := []idleStage{{
		name: "connect",
		run: func(ctx context.Context, c *idleClient) error {
			if err := c.h.Connect(ctx, *info); err != nil {
				return err
			}
			c.ok = true
			return nil
		},
		settled: func(st benchStats, ok int) bool { return st.Conns >= ok && st.Identified >= st.Conns },
	}}
	if role == "relay" {
		stages = append(stages, relayStages(srv.addrs[0], *info, clients)...)
	}
	stages = append(stages, idleStage{
		name:    "idle",
		wait:    idleWait(b),
		settled: func(st benchStats, ok int) bool { return st.Conns >= ok },
	})
	prev, start := before, time.Now()
	var last serverSnap
	for i, s := range stages {
		t0 := time.Now()
		ok := runStage(b, s, clients)
		settled := srv.settle(b, s, ok)
		if s.run == nil {
			// What the OS sees of an idle relay between collections,
			// garbage included (GOGC and GOMEMLIMIT bound it).
			raw := srv.snapshot(b, "stats")
			b.Logf("%s idle, before collecting: %.0f B RSS per conn (heap %.1f MiB)",
				role, (raw.rss-before.rss)/float64(max(raw.Conns, 1)), mib(float64(raw.HeapAlloc)))
		}
		last = srv.snapshot(b, "gc")
		held := float64(max(last.Conns, 1))
		d := func(a, b uint64) float64 { return float64(int64(a)-int64(b)) / held }
		b.Logf("%s %-8s %4d ok, settled in %5.1fs: per conn %+7.0f B RSS (anon %+7.0f), %+7.0f B heap (in use %+7.0f), %+6.0f B stacks, %+6.0f B runtime, %+5.2f goroutines; streams %v%s",
			role, s.name, ok, time.Since(t0).Seconds(),
			(last.rss-prev.rss)/held, (last.anon-prev.anon)/held,
			d(last.HeapAlloc, prev.HeapAlloc), d(last.HeapInuse, prev.HeapInuse),
			d(last.StackInuse, prev.StackInuse), d(last.OtherSys, prev.OtherSys),
			float64(last.Goroutines-prev.Goroutines)/held, last.Streams, map[bool]string{true: "", false: " (NOT SETTLED)"}[settled])
		prev = last
		profile(fmt.Sprintf("%d%s", i+1, s.name))
	}
	b.Logf("%s after %v: %d connections, RSS %.1f MiB (anon %.1f, file %.1f), heap %.1f MiB, stacks %.1f MiB, %d goroutines",
		role, time.Since(start).Round(time.Second), last.Conns, mib(last.rss), mib(last.anon), mib(last.file),
		mib(float64(last.HeapAlloc)), mib(float64(last.StackInuse)), last.Goroutines)
	if last.Conns == 0 {
		b.Fatalf("%s held no connection", role)
	}
	held := float64(last.Conns)
	return idleCost{
		held:       last.Conns,
		rss:        (last.rss - before.rss) / held,
		heap:       float64(int64(last.HeapAlloc)-int64(before.HeapAlloc)) / held,
		goroutines: float64(last.Goroutines-before.Goroutines) / held,
	}
}

// relayStages are what a node does with its relay after connecting.
func relayStages(relayAddr string, info peer.AddrInfo, clients []*idleClient) []idleStage {
	contacts := func(i int) []identity.AccountID {
		var out []identity.AccountID
		for k := 1; k <= min(idleContacts, len(clients)-1); k++ {
			out = append(out, clients[(i+k)%len(clients)].account.ID())
		}
		return out
	}
	index := make(map[*idleClient]int, len(clients))
	for i, c := range clients {
		index[c] = i
	}
	return []idleStage{{
		name: "reserve",
		run: func(ctx context.Context, c *idleClient) error {
			_, err := client.Reserve(ctx, c.h, info)
			return err
		},
		settled: func(st benchStats, _ int) bool { return st.Streams[circuitproto.ProtoIDv2Hop] == 0 },
	}, {
		name: "mailbox",
		run: func(ctx context.Context, c *idleClient) error {
			if _, err := mailbox.Register(ctx, c.h, info.ID, c.cert.Signed, 24*time.Hour); err != nil {
				return err
			}
			sub, err := mailbox.Subscribe(ctx, c.h, info.ID, c.box(), 0)
			if err != nil {
				return err
			}
			c.sub = sub
			return nil
		},
		settled: func(st benchStats, ok int) bool { return st.Streams[string(mailbox.ProtocolID)] >= ok },
	}, {
		name: "presence",
		run: func(ctx context.Context, c *idleClient) error {
			watch := contacts(index[c])
			pc, err := presence.NewClient(c.h, info.ID, c.cert.Signed,
				presence.WithPrivacy(presence.Privacy{Visibility: presence.Contacts, Allowed: watch}))
			if err != nil {
				return err
			}
			c.pres = pc
			if _, err := pc.Subscribe(watch); err != nil {
				return err
			}
			for !pc.Connected() {
				select {
				case <-ctx.Done():
					return ctx.Err()
				case <-time.After(20 * time.Millisecond):
				}
			}
			return nil
		},
		settled: func(st benchStats, ok int) bool { return st.Streams[string(presence.ProtocolID)] >= ok },
	}, {
		name: "dht",
		run: func(ctx context.Context, c *idleClient) error {
			return publishRecords(ctx, c, info.ID, relayAddr)
		},
		settled: func(st benchStats, _ int) bool { return st.Streams[kadProtocol] == 0 },
	}}
}

// publishRecords does what a DHT client's PutValue of the device list and
// the bundle record does at a relay that is the only DHT server it knows:
// a FIND_NODE for the key, then PUT_VALUE, on one stream.
func publishRecords(ctx context.Context, c *idleClient, relay peer.ID, relayAddr string) error {
	list, err := c.account.SignDeviceList(&identity.DeviceList{
		Version:  uint64(time.Now().UnixMilli()),
		Devices:  []identity.Device{{Cert: c.cert, Addrs: c.h.Addrs()}},
		Relays:   []string{relayAddr},
		IssuedAt: time.Now(),
	})
	if err != nil {
		return err
	}
	s, err := c.h.NewStream(ctx, relay, kadProtocol)
	if err != nil {
		return err
	}
	defer s.Close()
	_ = s.SetDeadline(time.Now().Add(30 * time.Second))
	w := msgio.NewVarintWriter(s)
	r := msgio.NewVarintReaderSize(s, network.MessageSizeMax)
	roundTrip := func(m *kadpb.Message) error {
		raw, err := proto.Marshal(m)
		if err != nil {
			return err
		}
		if err := w.WriteMsg(raw); err != nil {
			return err
		}
		resp, err := r.ReadMsg()
		if err != nil {
			return fmt.Errorf("dht %v: %w", m.Type, err)
		}
		r.ReleaseMsg(resp)
		return nil
	}
	put := func(key string, value []byte) error {
		if err := roundTrip(&kadpb.Message{Type: kadpb.Message_FIND_NODE, Key: []byte(key)}); err != nil {
			return err
		}
		return roundTrip(&kadpb.Message{Type: kadpb.Message_PUT_VALUE, Key: []byte(key),
			Record: &recpb.Record{Key: []byte(key), Value: value}})
	}
	if err := put(identity.DeviceListKey(c.account.ID()), list); err != nil {
		return err
	}
	return put(e2e.BundleKey(e2e.Address{Account: c.account.ID(), Device: 1}), c.bundle)
}

// runStage runs s for every client still connected, benchWorkers at a
// time, and returns how many succeeded.
func runStage(b *testing.B, s idleStage, clients []*idleClient) int {
	if s.run == nil {
		time.Sleep(s.wait)
		n := 0
		for _, c := range clients {
			if c.ok {
				n++
			}
		}
		return n
	}
	var ok, failed atomic.Int64
	var firstErr atomic.Pointer[error]
	forEach(clients, func(c *idleClient) error {
		if s.name != "connect" && !c.ok {
			return nil
		}
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		if err := s.run(ctx, c); err != nil {
			failed.Add(1)
			firstErr.CompareAndSwap(nil, &err)
			return nil
		}
		ok.Add(1)
		return nil
	})
	if f := failed.Load(); f > 0 {
		b.Logf("%s: %d clients failed; first error: %v", s.name, f, *firstErr.Load())
	}
	return int(ok.Load())
}

// forEach runs f for every client, benchWorkers at a time.
func forEach(clients []*idleClient, f func(*idleClient) error) {
	work := make(chan *idleClient)
	var wg sync.WaitGroup
	for range benchWorkers {
		wg.Go(func() {
			for c := range work {
				_ = f(c)
			}
		})
	}
	for _, c := range clients {
		work <- c
	}
	close(work)
	wg.Wait()
}

// benchServer is a running server child.
type benchServer struct {
	role  string
	cmd   *exec.Cmd
	in    io.WriteCloser
	out   *bufio.Scanner
	errs  *bytes.Buffer // the child's stderr
	addrs []string
}

func startBenchServer(b *testing.B, role, listen string) *benchServer {
	b.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), benchServerEnv+"="+role, benchListenEnv+"="+listen, benchHomeEnv+"="+b.TempDir())
	// Should the benchmark die without closing stdin, the child dies too.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	srv := &benchServer{role: role, cmd: cmd, errs: new(bytes.Buffer)}
	cmd.Stderr = srv.errs
	var err error
	if srv.in, err = cmd.StdinPipe(); err != nil {
		b.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	srv.out = bufio.NewScanner(stdout)
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	var hello benchHello
	if err := srv.read(&hello); err != nil || hello.Err != "" || len(hello.Addrs) == 0 {
		srv.stop(b)
		b.Fatalf("%s child: %v %s; stderr: %s", role, err, hello.Err, srv.errs)
	}
	srv.addrs = hello.Addrs
	return srv
}

func (srv *benchServer) read(v any) error {
	if !srv.out.Scan() {
		if err := srv.out.Err(); err != nil {
			return err
		}
		return io.ErrUnexpectedEOF
	}
	return json.Unmarshal(srv.out.Bytes(), v)
}

// command sends one command and returns the child's answer.
func (srv *benchServer) command(b *testing.B, cmd string) benchStats {
	b.Helper()
	var st benchStats
	if _, err := fmt.Fprintln(srv.in, cmd); err != nil {
		b.Fatalf("%s child: %s: %v; stderr: %s", srv.role, cmd, err, srv.errs)
	}
	if err := srv.read(&st); err != nil {
		b.Fatalf("%s child: %s: %v; stderr: %s", srv.role, cmd, err, srv.errs)
	}
	return st
}

// snapshot runs cmd ("gc" or "stats") and reads the child's resident set.
func (srv *benchServer) snapshot(b *testing.B, cmd string) serverSnap {
	b.Helper()
	s := serverSnap{benchStats: srv.command(b, cmd)}
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", srv.cmd.Process.Pid))
	if err != nil {
		b.Fatal(err)
	}
	for line := range strings.SplitSeq(string(status), "\n") {
		name, val, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		var dst *float64
		switch name {
		case "VmRSS":
			dst = &s.rss
		case "RssAnon":
			dst = &s.anon
		case "RssFile":
			dst = &s.file
		default:
			continue
		}
		kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(val), " kB"), 64)
		if err != nil {
			b.Fatalf("parse %q: %v", line, err)
		}
		*dst = kb * 1024
	}
	if s.rss == 0 {
		b.Fatal("no VmRSS in the child's status")
	}
	return s
}

// settle waits until the stage's condition holds and the child's goroutine
// count has stopped moving; it reports whether that happened within two
// minutes.
func (srv *benchServer) settle(b *testing.B, s idleStage, ok int) bool {
	b.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	prev := -1
	for time.Now().Before(deadline) {
		st := srv.command(b, "stats")
		if s.settled(st, ok) && abs(st.Goroutines-prev) <= 8 {
			return true
		}
		prev = st.Goroutines
		time.Sleep(time.Second)
	}
	return false
}

// stop asks the child to quit and waits for it, killing it after a while.
func (srv *benchServer) stop(b *testing.B) {
	srv.in.Close() // end of input: the child closes its host and exits
	done := make(chan error, 1)
	go func() { done <- srv.cmd.Wait() }()
	select {
	case err := <-done:
		var ee *exec.ExitError
		if err != nil && !errors.As(err, &ee) {
			b.Errorf("%s child: %v", srv.role, err)
		}
	case <-time.After(30 * time.Second):
		_ = srv.cmd.Process.Kill()
		<-done
		b.Errorf("%s child did not exit; killed", srv.role)
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func mib(v float64) float64 { return v / (1 << 20) }
