package badger_test

import (
	"context"
	"crypto/ed25519"
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
