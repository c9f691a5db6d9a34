package actions

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/storage"
	"github.com/pigeon-net/pigeon/storage/badger"
)

// BenchmarkInsertHook measures what the actions' insert hook (looking for
// actions waiting for each message stored) adds to InsertMessage: the
// same inserts into a store without the hook, in the same run, are the
// baseline; ratio is with/without.
func BenchmarkInsertHook(b *testing.B) {
	insert := func(b *testing.B, st *badger.Store, rng *rand.Rand, n int) time.Duration {
		now := time.Now()
		start := time.Now()
		for range n {
			m := storage.Message{ID: idFrom(rng, now), Peer: alice, Sender: alice, Direction: storage.Incoming,
				Text: "a message of a usual length, some forty to sixty bytes", SentAt: now, State: storage.Received}
			if err := st.InsertMessage(context.Background(), m); err != nil {
				b.Fatal(err)
			}
		}
		return time.Since(start)
	}
	hooked := newApplier(b, bob).st
	plain, err := badger.Open(badger.Options{Dir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { plain.Close() })
	rng := rand.New(rand.NewPCG(1, 1))
	var with, without time.Duration
	b.ResetTimer()
	for range b.N {
		without += insert(b, plain, rng, 1000)
		with += insert(b, hooked, rng, 1000)
	}
	b.ReportMetric(float64(with)/float64(without), "ratio")
	b.ReportMetric(float64(with.Nanoseconds())/float64(b.N*1000), "ns/insert")
	b.ReportMetric(float64(without.Nanoseconds())/float64(b.N*1000), "baseline-ns/insert")
}
