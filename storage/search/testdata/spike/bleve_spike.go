//go:build ignore

// The bleve v2 spike that storage/search was chosen against (issue 14).
// It is kept for the record, outside the build: run it from a scratch
// module that requires github.com/blevesearch/bleve/v2 v2.6.3 and replaces
// github.com/pigeon-net/pigeon with this checkout:
//
//	go run bleve_spike.go /tmp/spike-data
//
// It inserts 200,000 messages into Badger and into a bleve index (cjk
// analyzer, batches of 1,000), grows both to 1,000,000 and times a
// newest-first query (sorted on a numeric time field) against a History
// page, as BenchmarkIndex200k and BenchmarkQueryNewest1M do for FTS5.
package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/pigeon-net/pigeon/storage"
	"github.com/pigeon-net/pigeon/storage/badger"
)

var syll = []string{"ka", "lo", "mi", "ne", "ru", "ta", "vo", "shi", "el", "an", "or", "ip", "zu", "bé", "çe", "ño"}
var han = []rune("的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可里后")

type gen struct {
	r     *rand.Rand
	vocab []string
	zipf  *rand.Zipf
}

func newGen(seed uint64) *gen {
	r := rand.New(rand.NewPCG(seed, 1))
	g := &gen{r: r}
	for range 20000 {
		var b strings.Builder
		for range 2 + r.IntN(3) {
			b.WriteString(syll[r.IntN(len(syll))])
		}
		g.vocab = append(g.vocab, b.String())
	}
	g.zipf = rand.NewZipf(r, 1.1, 1, uint64(len(g.vocab)-1))
	return g
}

func (g *gen) text() string {
	var ws []string
	for range 5 + g.r.IntN(20) {
		ws = append(ws, g.vocab[g.zipf.Uint64()])
	}
	if g.r.IntN(10) == 0 {
		rs := make([]rune, 2+g.r.IntN(8))
		for i := range rs {
			rs[i] = han[g.r.IntN(len(han))]
		}
		ws = append(ws, string(rs))
	}
	return strings.Join(ws, " ")
}

type msg struct {
	m    storage.Message
	chat int
}

func corpus(n int) []msg {
	g := newGen(1)
	out := make([]msg, n)
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range out {
		at := t0.Add(time.Duration(i) * time.Second)
		c := g.r.IntN(200)
		var peer storage.Account
		peer[0], peer[1] = byte(c), 1
		out[i] = msg{chat: c, m: storage.Message{ID: storage.NewMessageID(at), Peer: peer, Sender: peer, Direction: storage.Incoming,
			State: storage.Received, Text: g.text(), SentAt: at, StoredAt: at}}
	}
	return out
}

func badgerInsert(dir string, ms []msg) (time.Duration, *badger.Store) {
	s, err := badger.Open(badger.Options{Dir: dir})
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	t := time.Now()
	for i := 0; i < len(ms); i += 1000 {
		err := s.Update(ctx, func(ctx context.Context) error {
			for _, m := range ms[i:min(i+1000, len(ms))] {
				if err := s.InsertMessage(ctx, m.m); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			panic(err)
		}
	}
	return time.Since(t), s
}

type doc struct {
	Chat string  `json:"chat"`
	At   float64 `json:"at"`
	Text string  `json:"text"`
}

func newIndex(dir string) bleve.Index {
	im := bleve.NewIndexMapping()
	dm := bleve.NewDocumentMapping()
	tf := bleve.NewTextFieldMapping()
	tf.Analyzer = cjk.AnalyzerName
	tf.Store = false
	tf.IncludeTermVectors = false
	dm.AddFieldMappingsAt("text", tf)
	kf := bleve.NewKeywordFieldMapping()
	dm.AddFieldMappingsAt("chat", kf)
	nf := bleve.NewNumericFieldMapping()
	dm.AddFieldMappingsAt("at", nf)
	im.DefaultMapping = dm
	_ = mapping.NewIndexMapping
	ix, err := bleve.New(dir, im)
	if err != nil {
		panic(err)
	}
	return ix
}

func bleveIndex(ix bleve.Index, ms []msg) time.Duration {
	t := time.Now()
	for i := 0; i < len(ms); i += 1000 {
		b := ix.NewBatch()
		for _, m := range ms[i:min(i+1000, len(ms))] {
			b.Index(m.m.ID.String(), doc{Chat: fmt.Sprint(m.chat), At: float64(m.m.SentAt.UnixMilli()), Text: m.m.Text})
		}
		if err := ix.Batch(b); err != nil {
			panic(err)
		}
	}
	return time.Since(t)
}

func p95(d []time.Duration) time.Duration {
	slices.Sort(d)
	return d[len(d)*95/100]
}

func main() {
	base := os.Args[1]
	os.RemoveAll(base)
	ms := corpus(1_000_000)
	g := newGen(1)
	for run := range 2 {
		dir := fmt.Sprintf("%s/r%d", base, run)
		bt, s := badgerInsert(dir+"/badger", ms[:200_000])
		ix := newIndex(dir + "/bleve")
		it := bleveIndex(ix, ms[:200_000])
		fmt.Printf("run %d: 200k badger %v bleve %v ratio %.2f\n", run, bt, it, float64(it)/float64(bt))
		if run == 1 {
			s.Close()
			ix.Close()
			break
		}
		// grow both to 1M
		ctx := context.Background()
		for i := 200_000; i < len(ms); i += 1000 {
			s.Update(ctx, func(ctx context.Context) error {
				for _, m := range ms[i:min(i+1000, len(ms))] {
					s.InsertMessage(ctx, m.m)
				}
				return nil
			})
		}
		t := time.Now()
		bleveIndex(ix, ms[200_000:])
		fmt.Printf("bleve 800k more: %v\n", time.Since(t))
		for rep := range 2 {
			var hist, qs []time.Duration
			for i := range 200 {
				peer := ms[g.r.IntN(len(ms))].m.Peer
				t := time.Now()
				if _, err := s.History(ctx, peer, storage.MessageID{}, 50); err != nil {
					panic(err)
				}
				hist = append(hist, time.Since(t))
				var q query.Query
				switch i % 3 {
				case 0:
					mq := bleve.NewMatchQuery(g.vocab[g.zipf.Uint64()])
					mq.SetField("text")
					q = mq
				case 1:
					w := g.vocab[g.zipf.Uint64()]
					pq := bleve.NewPrefixQuery(w[:3])
					pq.SetField("text")
					q = pq
				case 2:
					mq := bleve.NewMatchPhraseQuery(string(han[g.r.IntN(len(han))]) + string(han[g.r.IntN(len(han))]))
					mq.SetField("text")
					q = mq
				}
				req := bleve.NewSearchRequestOptions(q, 50, 0, false)
				req.SortBy([]string{"-at"})
				t = time.Now()
				if _, err := ix.Search(req); err != nil {
					panic(err)
				}
				qs = append(qs, time.Since(t))
			}
			ph, pq := p95(hist), p95(qs)
			fmt.Printf("1M rep %d: history page p95 %v, bleve newest-first p95 %v, ratio %.1f\n", rep, ph, pq, float64(pq)/float64(ph))
		}
		s.Close()
		ix.Close()
		os.RemoveAll(dir)
	}
}
