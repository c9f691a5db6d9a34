package badger_test

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/crypto"

	"github.com/pigeon-net/pigeon/protocol/acctlog"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/storage/badger"
)

// BenchmarkRangeAccountOps measures what a sync server reads per op:
// Range over 100,000 held ops of one device in batches of 1,000.
func BenchmarkRangeAccountOps(b *testing.B) {
	const total = 100_000
	ctx := context.Background()
	s, err := badger.Open(badger.Options{Dir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = s.Close() })
	key, err := crypto.UnmarshalEd25519PrivateKey(ed25519.NewKeyFromSeed(make([]byte, 32)))
	if err != nil {
		b.Fatal(err)
	}
	var acct identity.AccountID
	op := &acctlog.Op{Account: acct, Device: 1, Seq: 1, Lamport: 1, At: time.UnixMilli(1), Kind: "chats.message", Body: make([]byte, 200)}
	if _, err := acctlog.Sign(key, op); err != nil {
		b.Fatal(err)
	}
	for seq := uint64(1); seq <= total; seq += 1000 {
		batch := make([]*acctlog.Op, 0, 1000)
		for i := range uint64(1000) {
			o := *op
			o.Seq = seq + i
			batch = append(batch, &o)
		}
		if _, err := s.AppendOps(ctx, batch); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for range b.N {
		n := 0
		for after := uint64(0); after < total; after += 1000 {
			ops, err := s.Range(ctx, 1, after, 1000, 1<<20)
			if err != nil || len(ops) != 1000 {
				b.Fatalf("range: %d ops: %v", len(ops), err)
			}
			n += len(ops)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*total), "ns/op-read")
}

// BenchmarkNextOpInTxn records ops the way a backfill does, many in one
// transaction (NextOp, then AppendOps, for each), and reports the cost
// per op: it must not grow with the ops already written in the
// transaction (NextOp reads three keys; it used to list every pending
// write, which Badger sorts on each call, so a transaction of n ops cost
// n²).
func BenchmarkNextOpInTxn(b *testing.B) {
	key, err := crypto.UnmarshalEd25519PrivateKey(ed25519.NewKeyFromSeed(make([]byte, 32)))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	for _, n := range []int{100, 1000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			ops := make([]*acctlog.Op, n)
			for i := range ops {
				ops[i] = &acctlog.Op{Device: 1, Seq: uint64(i + 1), Lamport: uint64(i + 1), At: time.UnixMilli(1), Kind: "chats.message", Body: make([]byte, 200)}
				if _, err := acctlog.Sign(key, ops[i]); err != nil {
					b.Fatal(err)
				}
			}
			b.ResetTimer()
			for range b.N {
				b.StopTimer()
				s, err := badger.Open(badger.Options{InMemory: true})
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				err = s.Update(ctx, func(ctx context.Context) error {
					for _, op := range ops {
						seq, _, _, err := s.NextOp(ctx, 1)
						if err != nil {
							return err
						}
						if seq != op.Seq {
							return fmt.Errorf("next seq %d, want %d", seq, op.Seq)
						}
						if _, err := s.AppendOps(ctx, []*acctlog.Op{op}); err != nil {
							return err
						}
					}
					return nil
				})
				b.StopTimer()
				if err != nil {
					b.Fatal(err)
				}
				_ = s.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/recorded-op")
		})
	}
}
