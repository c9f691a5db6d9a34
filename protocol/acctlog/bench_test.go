package acctlog_test

import (
	"context"
	"io"
	"runtime"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/protocol"

	"github.com/pigeon-net/pigeon/protocol/acctlog"
)

// BenchmarkPull100k measures history transfer: pulling 100,000 ops
// (~200-byte bodies, from two devices) between two loopback hosts into a
// Badger store on disk, against two floors measured in the same run:
//
//   - raw: a libp2p stream between the same hosts carrying the same bytes
//     (the signed ops with their framing) in 1 MiB writes;
//   - append: the same ops, already verified, appended to a fresh Badger
//     store from memory in batches of 1,000.
//
// It reports each rate in ops/s, the time Open takes for the 100,000 ops
// on one core (verify-s) and pull/floor, the pull's rate over the slower
// floor's (target ≥ 0.5).
func BenchmarkPull100k(b *testing.B) {
	const total, perDevice = 100_000, 50_000
	ctx := context.Background()
	a := newAccount(b, 1, 1, 2)
	var ops []*acctlog.Op
	bytesOnWire := 0
	server := openBadger(b, b.TempDir())
	for d := uint32(1); d <= 2; d++ {
		for s := uint64(1); s <= perDevice; s += acctlog.MaxBatchOps {
			batch := make([]*acctlog.Op, 0, acctlog.MaxBatchOps)
			for i := range uint64(acctlog.MaxBatchOps) {
				op := a.op(b, d, s+i, 200)
				batch = append(batch, op)
				bytesOnWire += len(op.Raw) + 4
			}
			if _, err := server.AppendOps(ctx, batch); err != nil {
				b.Fatal(err)
			}
			ops = append(ops, batch...)
		}
	}
	sh, _ := serve(b, a, server, anyone)
	client := newHost(b)
	connect(b, client, sh)
	const rawProto protocol.ID = "/pigeon/bench/raw"
	chunk := make([]byte, 1<<20)
	sh.SetStreamHandler(rawProto, func(st network.Stream) {
		defer st.Close()
		for left := bytesOnWire; left > 0; left -= len(chunk) {
			if _, err := st.Write(chunk[:min(left, len(chunk))]); err != nil {
				_ = st.Reset()
				return
			}
		}
	})

	var pull, raw, appendT, verify time.Duration
	b.ResetTimer()
	for range b.N {
		// Pull into a fresh store.
		b.StopTimer()
		mine := openBadger(b, b.TempDir())
		b.StartTimer()
		t0 := time.Now()
		n, err := acctlog.Pull(ctx, client, sh.ID(), acctlog.PullRequest{
			Account: a.id(), Open: a.open,
			Apply: func(ctx context.Context, batch []*acctlog.Op) error {
				_, err := mine.AppendOps(ctx, batch)
				return err
			},
		})
		pull += time.Since(t0)
		if err != nil || n != total {
			b.Fatalf("pulled %d: %v", n, err)
		}

		// The same bytes over a bare stream.
		t0 = time.Now()
		st, err := client.NewStream(ctx, sh.ID(), rawProto)
		if err != nil {
			b.Fatal(err)
		}
		got, err := io.Copy(io.Discard, st)
		raw += time.Since(t0)
		if err != nil || int(got) != bytesOnWire {
			b.Fatalf("raw stream: %d of %d bytes: %v", got, bytesOnWire, err)
		}
		_ = st.Close()

		// The same ops appended from memory.
		b.StopTimer()
		fresh := openBadger(b, b.TempDir())
		b.StartTimer()
		t0 = time.Now()
		for i := 0; i < len(ops); i += acctlog.MaxBatchOps {
			if _, err := fresh.AppendOps(ctx, ops[i:i+acctlog.MaxBatchOps]); err != nil {
				b.Fatal(err)
			}
		}
		appendT += time.Since(t0)

		// Verification alone, on one core.
		t0 = time.Now()
		for _, op := range ops {
			if _, err := a.open(op.Raw); err != nil {
				b.Fatal(err)
			}
		}
		verify += time.Since(t0)
	}
	b.StopTimer()
	rate := func(d time.Duration) float64 { return float64(b.N*total) / d.Seconds() }
	floor := min(rate(raw), rate(appendT))
	b.ReportMetric(rate(pull), "pull-ops/s")
	b.ReportMetric(rate(raw), "raw-ops/s")
	b.ReportMetric(rate(appendT), "append-ops/s")
	b.ReportMetric(verify.Seconds()/float64(b.N), "verify-s")
	b.ReportMetric(float64(runtime.GOMAXPROCS(0)), "procs")
	b.ReportMetric(rate(pull)/floor, "pull/floor")
}
