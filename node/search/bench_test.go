package search_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/node/search"
	"github.com/pigeon-net/pigeon/storage"
	"github.com/pigeon-net/pigeon/storage/badger"
)

// BenchmarkCatchUp50k measures the wired path against the store alone, in
// the same run: 50,000 messages inserted into the store in batches of
// 1,000 (one Update each, the search queue written with them: store-s),
// then the service applying them from the queue (catchup-s: reading the
// queue, loading each message and attachment, indexing, trimming), then a
// rebuild of the index from history (rebuild-s).
//
//	go test ./node/search -run '^$' -bench CatchUp50k -benchtime 1x -count 2 -timeout 30m
func BenchmarkCatchUp50k(b *testing.B) {
	const n, batch = 50_000, 1000
	c := newCorpus(42)
	msgs := make([]storage.Message, n)
	for i := range msgs {
		msgs[i] = c.message()
	}
	ctx := context.Background()
	var storeT, catchT, rebuildT time.Duration
	for b.Loop() {
		dir := b.TempDir()
		st, err := badger.Open(badger.Options{Dir: filepath.Join(dir, "db"), MinFree: -1})
		if err != nil {
			b.Fatal(err)
		}
		deps := search.Deps{Store: st, Dir: filepath.Join(dir, "search"), Ready: func() error { return nil }}
		svc, err := search.Open(ctx, deps)
		if err != nil {
			b.Fatal(err)
		}
		if err := svc.CatchUp(ctx); err != nil { // builds the empty index
			b.Fatal(err)
		}
		t0 := time.Now()
		for i := 0; i < n; i += batch {
			err := st.Update(ctx, func(ctx context.Context) error {
				for _, m := range msgs[i:min(i+batch, n)] {
					if err := st.InsertMessage(ctx, m); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
		}
		storeT += time.Since(t0)
		t0 = time.Now()
		if err := svc.CatchUp(ctx); err != nil {
			b.Fatal(err)
		}
		catchT += time.Since(t0)
		svc.Close()

		os.RemoveAll(deps.Dir)
		t0 = time.Now()
		if svc, err = search.Open(ctx, deps); err != nil {
			b.Fatal(err)
		}
		if err := svc.CatchUp(ctx); err != nil {
			b.Fatal(err)
		}
		rebuildT += time.Since(t0)
		res, err := svc.Query(ctx, c.vocab[0], search.Options{})
		if err != nil || len(res.Hits) == 0 {
			b.Fatalf("query after rebuild: %d hits, %v", len(res.Hits), err)
		}
		svc.Close()
		st.Close()
	}
	k := float64(b.N)
	b.ReportMetric(storeT.Seconds()/k, "store-s")
	b.ReportMetric(catchT.Seconds()/k, "catchup-s")
	b.ReportMetric(rebuildT.Seconds()/k, "rebuild-s")
	b.ReportMetric(float64(catchT)/float64(storeT), "catchup/store")
	b.ReportMetric(float64(rebuildT)/float64(storeT), "rebuild/store")
}
