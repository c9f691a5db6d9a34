package search

import (
	"context"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/storage"
	"github.com/pigeon-net/pigeon/storage/badger"
)

// The targets, measured against Badger in the same run:
//
//	go test ./storage/search -run '^$' -bench Index200k -benchtime 1x -count 2 -timeout 60m
//	go test ./storage/search -run '^$' -bench QueryNewest1M -benchtime 500x -count 2 -timeout 60m
//
// (the second builds its 1M-message store and index once per process,
// a few minutes, and reuses them for both counts).
//
// BenchmarkIndex200k reports index/badger (target ≤ 5); BenchmarkQueryNewest1M
// reports query-p95/history-p95 (target ≤ 20).

const batchSize = 1000

func storeMessage(d Doc) storage.Message {
	return storage.Message{ID: d.ID, Peer: d.Chat, Sender: d.Sender, Direction: storage.Incoming,
		State: storage.Received, Text: d.Text + d.Caption, SentAt: d.At, StoredAt: d.At}
}

func insertStore(b *testing.B, s *badger.Store, docs []Doc) {
	ctx := context.Background()
	for i := 0; i < len(docs); i += batchSize {
		err := s.Update(ctx, func(ctx context.Context) error {
			for _, d := range docs[i:min(i+batchSize, len(docs))] {
				if err := s.InsertMessage(ctx, storeMessage(d)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

func insertIndex(b *testing.B, ix *Index, docs []Doc) {
	ctx := context.Background()
	var bt Batch
	for i := 0; i < len(docs); i += batchSize {
		bt.Reset()
		for _, d := range docs[i:min(i+batchSize, len(docs))] {
			bt.Put(d)
		}
		if err := ix.Apply(ctx, &bt); err != nil {
			b.Fatal(err)
		}
	}
}

func makeDocs(n int) []Doc {
	g := newCorpusGen(1, 20000, 200)
	docs := make([]Doc, n)
	for i := range docs {
		docs[i] = g.doc()
	}
	return docs
}

// BenchmarkIndex200k indexes 200,000 messages in batches of 1,000 and
// inserts the same messages into a Badger store in batches of 1,000 (one
// Update each), each into a fresh directory.
func BenchmarkIndex200k(b *testing.B) {
	docs := makeDocs(200_000)
	var storeT, indexT time.Duration
	for b.Loop() {
		dir := b.TempDir()
		s, err := badger.Open(badger.Options{Dir: filepath.Join(dir, "store")})
		if err != nil {
			b.Fatal(err)
		}
		t0 := time.Now()
		insertStore(b, s, docs)
		storeT += time.Since(t0)
		s.Close()

		ix, err := Open(filepath.Join(dir, "index"))
		if err != nil {
			b.Fatal(err)
		}
		t0 = time.Now()
		insertIndex(b, ix, docs)
		indexT += time.Since(t0)
		ix.Close()
	}
	n := float64(b.N)
	b.ReportMetric(storeT.Seconds()/n, "store-s")
	b.ReportMetric(indexT.Seconds()/n, "index-s")
	b.ReportMetric(float64(indexT)/float64(storeT), "index/store")
}

var (
	big struct {
		docs  []Doc
		s     *badger.Store
		ix    *Index
		build time.Duration
		err   error
	}
	bigOnce sync.Once
)

// bigCorpus builds the 1M-message store and index once per process.
func bigCorpus(b *testing.B) {
	bigOnce.Do(func() {
		t0 := time.Now()
		big.docs = makeDocs(1_000_000)
		dir, err := mkdirTemp()
		if err != nil {
			big.err = err
			return
		}
		if big.s, big.err = badger.Open(badger.Options{Dir: filepath.Join(dir, "store")}); big.err != nil {
			return
		}
		insertStore(b, big.s, big.docs)
		if big.ix, big.err = Open(filepath.Join(dir, "index")); big.err != nil {
			return
		}
		insertIndex(b, big.ix, big.docs)
		big.build = time.Since(t0)
	})
	if big.err != nil {
		b.Fatal(big.err)
	}
}

// BenchmarkQueryNewest1M times, at 1,000,000 messages in 200 chats, a
// newest-first query of 50 hits against one History page of 50 messages
// of a random chat, alternated in the same loop. The queries rotate over
// a frequent word, a rare word, a three-letter prefix, a two-character
// Han query, and a word within one chat.
func BenchmarkQueryNewest1M(b *testing.B) {
	bigCorpus(b)
	ctx := context.Background()
	g := newCorpusGen(2, 20000, 200) // the same vocabulary and chats
	var hist, query []time.Duration
	kinds := map[string][]time.Duration{}
	i := 0
	for b.Loop() {
		chat := g.chats[g.r.IntN(len(g.chats))]
		t0 := time.Now()
		if _, err := big.s.History(ctx, chat, storage.MessageID{}, 50); err != nil {
			b.Fatal(err)
		}
		hist = append(hist, time.Since(t0))

		var q string
		o := QueryOptions{Limit: 50}
		kind := []string{"frequent", "rare", "prefix", "han2", "in-chat"}[i%5]
		switch kind {
		case "frequent":
			q = g.vocab[g.r.IntN(20)]
		case "rare":
			q = g.vocab[1000+g.r.IntN(19000)]
		case "prefix":
			q = prefix(g.word(), 3)
		case "han2":
			q = g.han(2)
		case "in-chat":
			q, o.Chat = g.word(), chat
		}
		i++
		t0 = time.Now()
		if _, err := big.ix.Query(ctx, q, o); err != nil {
			b.Fatal(err)
		}
		d := time.Since(t0)
		query = append(query, d)
		kinds[kind] = append(kinds[kind], d)
	}
	ph, pq := p95(hist), p95(query)
	b.ReportMetric(float64(ph.Microseconds()), "history-p95-µs")
	b.ReportMetric(float64(pq.Microseconds()), "query-p95-µs")
	b.ReportMetric(float64(pq)/float64(ph), "query/history")
	for k, ds := range kinds {
		b.ReportMetric(float64(p95(ds).Microseconds()), k+"-p95-µs")
	}
	b.ReportMetric(big.build.Seconds(), "build-s")
}

func p95(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[(len(s)*95)/100]
}

func mkdirTemp() (string, error) {
	return tempDirForBench()
}
