package acctlog_test

import (
	"context"
	"errors"
	"io"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/protocol"

	"github.com/pigeon-net/pigeon/protocol/acctlog"
	"github.com/pigeon-net/pigeon/storage"
	"github.com/pigeon-net/pigeon/storage/badger"
)

// benchLog is a signed log of two devices held by a Badger store served
// on a loopback host, and a second host connected to it.
type benchLog struct {
	a      *account
	ops    []*acctlog.Op // device 1's, then device 2's, in seq order
	bytes  int           // the ops with their framing, as a pull carries them
	store  *badger.Store
	server host.Host
	client host.Host
}

// newBenchLog signs perDevice chained ops of ~200-byte bodies for each of
// two devices and serves them.
func newBenchLog(b *testing.B, perDevice uint64) *benchLog {
	ctx := context.Background()
	l := &benchLog{a: newAccount(b, 1, 1, 2, 3), store: openBadger(b, b.TempDir())}
	for d := uint32(1); d <= 2; d++ {
		var last *acctlog.Op
		for s := uint64(1); s <= perDevice; s += acctlog.MaxBatchOps {
			batch := l.a.chained(b, d, s, min(s+acctlog.MaxBatchOps-1, perDevice), 200, last)
			last = batch[len(batch)-1]
			for _, op := range batch {
				l.bytes += len(op.Raw) + 4
			}
			if _, err := l.store.AppendOps(ctx, batch); err != nil {
				b.Fatal(err)
			}
			l.ops = append(l.ops, batch...)
		}
	}
	l.server, _ = serve(b, l.a, l.store, anyone)
	l.client = newHost(b)
	connect(b, l.client, l.server)
	return l
}

// pull pulls into store what the server holds above have and returns how
// long it took and how much of that its batches took to apply; it fails b
// unless want ops came.
func (l *benchLog) pull(b *testing.B, store *badger.Store, have acctlog.Vector, want int) (took, applying time.Duration) {
	t0 := time.Now()
	n, err := acctlog.Pull(context.Background(), l.client, l.server.ID(), acctlog.PullRequest{
		Account: l.a.id(), Have: have, CertOf: l.a.certOf,
		Held: func(d uint32, seq uint64) ([]byte, error) {
			raw, err := store.AccountOp(context.Background(), d, seq)
			if errors.Is(err, storage.ErrNotFound) {
				return nil, nil
			}
			return raw, err
		},
		Apply: func(ctx context.Context, batch []*acctlog.Op) error {
			t := time.Now()
			_, err := store.AppendOps(ctx, batch)
			applying += time.Since(t)
			return err
		},
	})
	took = time.Since(t0)
	if err != nil || n != want {
		b.Fatalf("pulled %d of %d: %v", n, want, err)
	}
	return took, applying
}

// sameLog fails b unless got holds exactly the ops of want (every
// device's, byte for byte) and the same vector.
func sameLog(b *testing.B, want, got *badger.Store) {
	ctx := context.Background()
	wv, err := want.Vector(ctx)
	if err != nil {
		b.Fatal(err)
	}
	gv, err := got.Vector(ctx)
	if err != nil {
		b.Fatal(err)
	}
	if !maps(wv, gv) {
		b.Fatalf("vector %v, want %v", gv, wv)
	}
	devices, err := want.Devices(ctx)
	if err != nil {
		b.Fatal(err)
	}
	for _, d := range devices {
		w, err := want.Range(ctx, d, 0, 1<<30, 1<<40)
		if err != nil {
			b.Fatal(err)
		}
		g, err := got.Range(ctx, d, 0, 1<<30, 1<<40)
		if err != nil {
			b.Fatal(err)
		}
		if !slices.EqualFunc(w, g, func(x, y acctlog.StoredOp) bool { return x.Seq == y.Seq && string(x.Raw) == string(y.Raw) }) {
			b.Fatalf("device %d: %d ops held, want %d (or they differ)", d, len(g), len(w))
		}
	}
}

func maps(a, b acctlog.Vector) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// BenchmarkPull100k measures history transfer: pulling 100,000 ops
// (~200-byte bodies, from two devices) between two loopback hosts into a
// Badger store on disk, against two floors measured in the same run:
//
//   - raw: a libp2p stream between the same hosts carrying the same bytes
//     (the signed ops with their framing) in 1 MiB writes;
//   - append: the same ops, already verified, appended to a fresh Badger
//     store from memory in batches of 1,000.
//
// After each pull the new store holds exactly the server's ops. It
// reports each rate in ops/s, the CPU time verification of the 100,000
// ops takes one by one (open-s, Open), in batches (batch-s, OpenBatch)
// and by chained runs (chain-s, OpenChain, what the pull does), all on one
// goroutine, how long the pull spent applying its
// batches (apply-s, against the floor's append-s), and pull/floor, the
// pull's rate over the slower floor's (target ≥ 0.5). The machine's other load moves every
// rate; the three are measured back to back in each iteration.
func BenchmarkPull100k(b *testing.B) {
	const total = 100_000
	ctx := context.Background()
	l := newBenchLog(b, total/2)
	const rawProto protocol.ID = "/pigeon/bench/raw"
	chunk := make([]byte, 1<<20)
	l.server.SetStreamHandler(rawProto, func(st network.Stream) {
		defer st.Close()
		for left := l.bytes; left > 0; left -= len(chunk) {
			if _, err := st.Write(chunk[:min(left, len(chunk))]); err != nil {
				_ = st.Reset()
				return
			}
		}
	})
	raws := make([][]byte, len(l.ops))
	for i, op := range l.ops {
		raws[i] = op.Raw
	}

	var pull, applying, raw, appendT, open, batch, chain time.Duration
	b.ResetTimer()
	for range b.N {
		// The same ops appended from memory.
		b.StopTimer()
		fresh := openBadger(b, b.TempDir())
		mine := openBadger(b, b.TempDir())
		runtime.GC()
		b.StartTimer()
		t0 := time.Now()
		for i := 0; i < len(l.ops); i += acctlog.MaxBatchOps {
			if _, err := fresh.AppendOps(ctx, l.ops[i:i+acctlog.MaxBatchOps]); err != nil {
				b.Fatal(err)
			}
		}
		appendT += time.Since(t0)
		// Its memtable flush and compactions, after the floor's clock
		// stopped, would take CPU from the pull.
		b.StopTimer()
		_ = fresh.Close()
		runtime.GC()
		b.StartTimer()

		// Pull into a fresh store.
		took, applied := l.pull(b, mine, nil, total)
		pull += took
		applying += applied

		// The same bytes over a bare stream.
		t0 = time.Now()
		st, err := l.client.NewStream(ctx, l.server.ID(), rawProto)
		if err != nil {
			b.Fatal(err)
		}
		got, err := io.Copy(io.Discard, st)
		raw += time.Since(t0)
		if err != nil || int(got) != l.bytes {
			b.Fatalf("raw stream: %d of %d bytes: %v", got, l.bytes, err)
		}
		_ = st.Close()

		// Verification alone, on one goroutine.
		b.StopTimer()
		sameLog(b, l.store, mine)
		t0 = time.Now()
		for _, r := range raws {
			if _, err := l.a.open(r); err != nil {
				b.Fatal(err)
			}
		}
		open += time.Since(t0)
		t0 = time.Now()
		for i := 0; i < len(raws); i += acctlog.MaxBatchOps {
			if _, err := acctlog.OpenBatch(raws[i:i+acctlog.MaxBatchOps], l.a.certOf); err != nil {
				b.Fatal(err)
			}
		}
		batch += time.Since(t0)
		t0 = time.Now()
		for i := 0; i < len(raws); i += acctlog.MaxBatchOps {
			if _, err := acctlog.OpenChain(raws[i:i+acctlog.MaxBatchOps], l.a.certOf); err != nil {
				b.Fatal(err)
			}
		}
		chain += time.Since(t0)
		// Its compactions would take CPU from the next iteration.
		_ = mine.Close()
		b.StartTimer()
	}
	b.StopTimer()
	rate := func(d time.Duration) float64 { return float64(b.N*total) / d.Seconds() }
	floor := min(rate(raw), rate(appendT))
	b.ReportMetric(rate(pull), "pull-ops/s")
	b.ReportMetric(rate(raw), "raw-ops/s")
	b.ReportMetric(rate(appendT), "append-ops/s")
	b.ReportMetric(applying.Seconds()/float64(b.N), "apply-s")
	b.ReportMetric(appendT.Seconds()/float64(b.N), "append-s")
	b.ReportMetric(open.Seconds()/float64(b.N), "open-s")
	b.ReportMetric(batch.Seconds()/float64(b.N), "batch-s")
	b.ReportMetric(chain.Seconds()/float64(b.N), "chain-s")
	b.ReportMetric(float64(runtime.GOMAXPROCS(0)), "procs")
	b.ReportMetric(rate(pull)/floor, "pull/floor")
}

// BenchmarkCatchUp10k measures a device returning after 10,000 ops (5,000
// from each of two siblings): it holds the 40,000 ops before them, its
// own 1,000, and the last 100 of device 1's new ops, pushed to it before
// it went away (so its vector has a gap and they come again). Its pull
// (catchup) is compared with a fresh history transfer of the same 10,000
// ops into an empty store (fresh, asking for what lies above the same
// vector), measured in the same run. It reports catchup/fresh (target
// ≤ 2).
func BenchmarkCatchUp10k(b *testing.B) {
	const before, away = 20_000, 5_000
	ctx := context.Background()
	l := newBenchLog(b, before+away)
	var old, pushed []*acctlog.Op
	for _, op := range l.ops {
		switch {
		case op.Seq <= before:
			old = append(old, op)
		case op.Device == 1 && op.Seq > before+away-100:
			pushed = append(pushed, op)
		}
	}
	var own []*acctlog.Op
	own = l.a.chained(b, 3, 1, 1000, 200, nil)
	if _, err := l.store.AppendOps(ctx, own); err != nil {
		b.Fatal(err)
	}
	have := acctlog.Vector{1: before, 2: before, 3: 1000}

	var catchup, fresh time.Duration
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		dir := b.TempDir()
		back := openBadger(b, dir)
		for i := 0; i < len(old); i += acctlog.MaxBatchOps {
			if _, err := back.AppendOps(ctx, old[i:min(i+acctlog.MaxBatchOps, len(old))]); err != nil {
				b.Fatal(err)
			}
		}
		for _, ops := range [][]*acctlog.Op{own, pushed} {
			if _, err := back.AppendOps(ctx, ops); err != nil {
				b.Fatal(err)
			}
		}
		// The device returns from a restart: the flush of what it wrote
		// before is done, not billed to its pull.
		_ = back.Close()
		back = openBadger(b, dir)
		v, err := back.Vector(ctx)
		if err != nil || !maps(v, have) {
			b.Fatalf("returning device's vector %v, want %v: %v", v, have, err)
		}
		empty := openBadger(b, b.TempDir())
		runtime.GC()
		b.StartTimer()

		took, _ := l.pull(b, back, have, 2*away)
		catchup += took
		took, _ = l.pull(b, empty, have, 2*away)
		fresh += took

		b.StopTimer()
		sameLog(b, l.store, back)
		_ = back.Close()
		_ = empty.Close()
		b.StartTimer()
	}
	b.StopTimer()
	b.ReportMetric(catchup.Seconds()/float64(b.N), "catchup-s")
	b.ReportMetric(fresh.Seconds()/float64(b.N), "fresh-s")
	b.ReportMetric(catchup.Seconds()/fresh.Seconds(), "catchup/fresh")
}
