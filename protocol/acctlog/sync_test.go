package acctlog_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/pigeon-net/pigeon/protocol/acctlog"
	"github.com/pigeon-net/pigeon/protocol/pb"
)

// applier applies pulled ops to a memStore and counts how often each op
// was applied.
type applier struct {
	store *memStore
	mu    sync.Mutex // guards seen and batches
	seen  map[[2]uint64]int
	// batches counts Apply calls; after, if set, runs after each.
	batches int
	after   func(batch int)
}

func newApplier(store *memStore) *applier {
	return &applier{store: store, seen: map[[2]uint64]int{}}
}

func (ap *applier) apply(_ context.Context, ops []*acctlog.Op) error {
	ap.store.add(ops...)
	ap.mu.Lock()
	for _, op := range ops {
		ap.seen[[2]uint64{uint64(op.Device), op.Seq}]++
	}
	ap.batches++
	n := ap.batches
	ap.mu.Unlock()
	if ap.after != nil {
		ap.after(n)
	}
	return nil
}

// appliedOnce fails unless every op of want was applied exactly once and
// nothing else was.
func (ap *applier) appliedOnce(t *testing.T, want *memStore) {
	t.Helper()
	ap.mu.Lock()
	defer ap.mu.Unlock()
	if len(ap.seen) != want.count() {
		t.Fatalf("applied %d distinct ops, want %d", len(ap.seen), want.count())
	}
	for id, n := range ap.seen {
		if n != 1 {
			t.Fatalf("op %v applied %d times", id, n)
		}
		if want.ops[uint32(id[0])][id[1]] == nil {
			t.Fatalf("op %v applied, not held by the server", id)
		}
	}
}

func (a *account) pullReq(have acctlog.Vector, ap *applier) acctlog.PullRequest {
	return acctlog.PullRequest{Account: a.id(), Have: have, CertOf: a.certOf, Apply: ap.apply}
}

// fill gives store ops 1..n of each device, except the seqs in skip.
func (a *account) fill(t *testing.T, store *memStore, n int, body int, skip ...uint64) {
	t.Helper()
	for d := range a.devices {
		for s := uint64(1); s <= uint64(n); s++ {
			if !contains(skip, s) {
				store.add(a.op(t, d, s, body))
			}
		}
	}
}

func contains(ss []uint64, s uint64) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func TestPullEverything(t *testing.T) {
	a := newAccount(t, 1, 1, 2, 3)
	server := newMemStore()
	a.fill(t, server, 1500, 100, 700) // a gap at 700: what is above it is served too
	sh, _ := serve(t, a, server, anyone)
	client := newHost(t)
	connect(t, client, sh)

	mine := newMemStore()
	ap := newApplier(mine)
	var last [2]int
	req := a.pullReq(nil, ap)
	req.Progress = func(done, total int) { last = [2]int{done, total} }
	n, err := acctlog.Pull(context.Background(), client, sh.ID(), req)
	if err != nil {
		t.Fatal(err)
	}
	if n != server.count() || last != [2]int{n, n} {
		t.Fatalf("pulled %d of %d, last progress %v", n, server.count(), last)
	}
	ap.appliedOnce(t, server)
	if ap.batches < 5 {
		t.Fatalf("%d ops in %d batches", n, ap.batches)
	}
	if v := mine.vector(); v[1] != 699 || v[2] != 699 || v[3] != 699 {
		t.Fatalf("vector %v", v)
	}
}

func TestPullOnlyWhatIsMissing(t *testing.T) {
	a := newAccount(t, 1, 1, 2)
	server := newMemStore()
	a.fill(t, server, 50, 20)
	sh, _ := serve(t, a, server, anyone)
	client := newHost(t)
	connect(t, client, sh)

	mine := newMemStore()
	for s := uint64(1); s <= 30; s++ {
		mine.add(a.op(t, 1, s, 20))
	}
	ap := newApplier(mine)
	n, err := acctlog.Pull(context.Background(), client, sh.ID(), a.pullReq(mine.vector(), ap))
	if err != nil || n != 20+50 {
		t.Fatalf("pulled %d: %v", n, err)
	}
	for id := range ap.seen {
		if id[0] == 1 && id[1] <= 30 {
			t.Fatalf("op %v sent again", id)
		}
	}
	if v := mine.vector(); v[1] != 50 || v[2] != 50 {
		t.Fatalf("vector %v", v)
	}
	// Nothing left: a start of 0 and an end.
	n, err = acctlog.Pull(context.Background(), client, sh.ID(), a.pullReq(mine.vector(), newApplier(mine)))
	if err != nil || n != 0 {
		t.Fatalf("second pull: %d %v", n, err)
	}
}

// TestPullResume cuts a pull off mid-way, once by the requester's context
// and once by the server's service going away, and pulls again with the
// vector the applied ops left: every op arrives, none twice. The server
// writes nothing past the second batch until the cut (the requester reads
// ahead of what it applies).
func TestPullResume(t *testing.T) {
	for _, how := range []string{"requester gives up", "server closes"} {
		t.Run(how, func(t *testing.T) {
			a := newAccount(t, 1, 1, 2)
			server := &gatedStore{memStore: newMemStore(), gate: make(chan struct{}), from: 3}
			a.fill(t, server.memStore, 2500, 50)
			sh, svc := serve(t, a, server, anyone)
			client := newHost(t)
			connect(t, client, sh)

			mine := newMemStore()
			ap := newApplier(mine)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var closed sync.WaitGroup
			ap.after = func(batch int) {
				if batch != 2 {
					return
				}
				if how == "server closes" {
					closed.Go(svc.Close)
					// Close resets the stream; make sure it has before
					// the handler may write again.
					_ = sh.Network().ClosePeer(client.ID())
				} else {
					cancel()
				}
				close(server.gate)
			}
			n, err := acctlog.Pull(ctx, client, sh.ID(), a.pullReq(nil, ap))
			closed.Wait()
			if err == nil || n != 2*acctlog.MaxBatchOps {
				t.Fatalf("cut pull: %d ops, %v", n, err)
			}
			if how == "requester gives up" && !errors.Is(err, context.Canceled) {
				t.Fatalf("cut pull: %v", err)
			}
			ap.after = nil
			if how == "server closes" {
				var err error
				if _, err = acctlog.NewService(sh, acctlog.Config{Account: a.id(), Store: server, Authorize: anyone}); err != nil {
					t.Fatal(err)
				}
			}
			m, err := acctlog.Pull(context.Background(), client, sh.ID(), a.pullReq(mine.vector(), ap))
			if err != nil || n+m != server.count() {
				t.Fatalf("resumed pull: %d+%d of %d ops, %v", n, m, server.count(), err)
			}
			ap.appliedOnce(t, server.memStore)
		})
	}
}

// gatedStore is a memStore whose Range calls from the from-th on wait
// until gate is closed.
type gatedStore struct {
	*memStore
	gate  chan struct{}
	from  int
	calls atomic.Int32
}

func (g *gatedStore) Range(ctx context.Context, d uint32, after uint64, limit, maxBytes int) ([]acctlog.StoredOp, error) {
	if int(g.calls.Add(1)) >= g.from {
		<-g.gate
	}
	return g.memStore.Range(ctx, d, after, limit, maxBytes)
}

func TestPullRefused(t *testing.T) {
	a := newAccount(t, 1, 1)
	server := newMemStore()
	a.fill(t, server, 10, 10)
	client := newHost(t)
	var asked []peer.ID
	sh, _ := serve(t, a, server, func(p peer.ID) bool { asked = append(asked, p); return false })
	connect(t, client, sh)

	ap := newApplier(newMemStore())
	n, err := acctlog.Pull(context.Background(), client, sh.ID(), a.pullReq(nil, ap))
	var ce *acctlog.CodeError
	if n != 0 || !errors.As(err, &ce) || ce.Code != pb.ErrorCode_UNKNOWN_SENDER || !errors.Is(err, acctlog.ErrRefused) {
		t.Fatalf("unauthorized pull: %d %v", n, err)
	}
	if len(asked) != 1 || asked[0] != client.ID() || ap.batches != 0 {
		t.Fatalf("authorize asked about %v; %d batches applied", asked, ap.batches)
	}

	// An authorized device asking for another account's log.
	other := newAccount(t, 2, 1)
	sh2, _ := serve(t, a, server, anyone)
	connect(t, client, sh2)
	n, err = acctlog.Pull(context.Background(), client, sh2.ID(), other.pullReq(nil, ap))
	if n != 0 || !errors.As(err, &ce) || ce.Code != pb.ErrorCode_WRONG_RECIPIENT {
		t.Fatalf("other account: %d %v", n, err)
	}
}

// TestPullStopsAtForgedOp: a server holding a forged op among good ones
// gets the good ones before it applied and the pull stops there; the
// forged op and what follows are never applied.
func TestPullStopsAtForgedOp(t *testing.T) {
	a := newAccount(t, 1, 1)
	server := newMemStore()
	a.fill(t, server, 40, 10)
	// The account's device 1 as a forger would sign for it: same account
	// and device ID, another key.
	forger := &account{acct: a.acct, devices: map[uint32]*device{1: {key: newAccount(t, 9, 1).devices[1].key, cert: a.devices[1].cert}}}
	forged := forger.op(t, 1, 41, 10)
	server.add(forged)
	for s := uint64(42); s <= 50; s++ {
		server.add(a.op(t, 1, s, 10))
	}
	sh, _ := serve(t, a, server, anyone)
	client := newHost(t)
	connect(t, client, sh)

	mine := newMemStore()
	ap := newApplier(mine)
	n, err := acctlog.Pull(context.Background(), client, sh.ID(), a.pullReq(nil, ap))
	if !errors.Is(err, acctlog.ErrBadSignature) || n != 40 {
		t.Fatalf("pulled %d: %v", n, err)
	}
	if v := mine.vector(); v[1] != 40 || mine.count() != 40 {
		t.Fatalf("holds %v (%d ops)", v, mine.count())
	}
}

func TestServiceConfig(t *testing.T) {
	h := newHost(t)
	a := newAccount(t, 1, 1)
	for i, cfg := range []acctlog.Config{
		{Store: newMemStore(), Authorize: anyone},
		{Account: a.id(), Authorize: anyone},
		{Account: a.id(), Store: newMemStore()},
	} {
		if _, err := acctlog.NewService(h, cfg); err == nil {
			t.Fatalf("config %d accepted", i)
		}
	}
}

// TestPullSkipsOpsAfterRevocation: the ops a revoked device signed after
// the last its revocation allows are skipped, with the device's later ops,
// and the pull goes on: its earlier ops and the ops of the devices served
// after it are applied, and the pull reports what it skipped.
func TestPullSkipsOpsAfterRevocation(t *testing.T) {
	a := newAccount(t, 1, 1, 2, 3)
	server := newMemStore()
	a.fill(t, server, 300, 20)
	a.revoke(2, 120)
	sh, _ := serve(t, a, server, anyone)
	client := newHost(t)
	connect(t, client, sh)

	mine := newMemStore()
	ap := newApplier(mine)
	n, err := acctlog.Pull(context.Background(), client, sh.ID(), a.pullReq(nil, ap))
	if !errors.Is(err, acctlog.ErrRevokedDevice) || !errors.Is(err, acctlog.ErrUnknownDevice) || n != 300+120+300 {
		t.Fatalf("pulled %d: %v", n, err)
	}
	if v := mine.vector(); v[1] != 300 || v[2] != 120 || v[3] != 300 || mine.count() != n {
		t.Fatalf("holds %v (%d ops)", v, mine.count())
	}

	// Pulling again fetches the skipped ops again, and skips them again.
	n, err = acctlog.Pull(context.Background(), client, sh.ID(), a.pullReq(mine.vector(), ap))
	if !errors.Is(err, acctlog.ErrRevokedDevice) || n != 0 {
		t.Fatalf("pulled again %d: %v", n, err)
	}
}
