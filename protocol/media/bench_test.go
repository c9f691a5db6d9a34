package media_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ipfs/boxo/bitswap"
	"github.com/ipfs/boxo/bitswap/network/bsnet"
	"github.com/ipfs/boxo/blockservice"
	"github.com/ipfs/boxo/ipld/merkledag"
	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"

	"github.com/pigeon-net/pigeon/protocol/media"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage/badger"
)

// The benchmarks in this file report ratios to baselines measured in the
// same run, since absolute rates drift on a shared machine:
//
//	go test -run '^$' -bench 'Transfer|ManyBlocks' -benchtime 3x ./protocol/media/
//	go test -run '^$' -bench Memory -benchtime 1x ./protocol/media/

// pseudoFile is size bytes of fast pseudo-random data, generated as read.
type pseudoFile struct {
	r    *rand.ChaCha8
	left int64
}

func newPseudoFile(size int64, seed byte) *pseudoFile {
	return &pseudoFile{r: rand.NewChaCha8([32]byte{seed}), left: size}
}

func (p *pseudoFile) Read(b []byte) (int, error) {
	if p.left == 0 {
		return 0, io.EOF
	}
	b = b[:min(int64(len(b)), p.left)]
	p.r.Read(b)
	p.left -= int64(len(b))
	return len(b), nil
}

func importPseudo(b testing.TB, st *badger.Store, size int64, seed byte) *pb.Media {
	b.Helper()
	key, _ := media.NewKey()
	im, err := media.Import(context.Background(), st.Blocks(), newPseudoFile(size, seed), key, nil)
	if err != nil {
		b.Fatal(err)
	}
	return media.NewManifest(im, key)
}

const rawProtocol protocol.ID = "/bench/raw/1"

// rawTransfer sends size bytes over one stream from server to client and
// returns how long the client took to read them.
func rawTransfer(b testing.TB, server, client host.Host, size int64) time.Duration {
	b.Helper()
	server.SetStreamHandler(rawProtocol, func(s network.Stream) {
		defer s.Close()
		buf := make([]byte, 1<<20)
		for left := size; left > 0; left -= int64(len(buf)) {
			if _, err := s.Write(buf[:min(int64(len(buf)), left)]); err != nil {
				s.Reset()
				return
			}
		}
	})
	start := time.Now()
	s, err := client.NewStream(context.Background(), server.ID(), rawProtocol)
	if err != nil {
		b.Fatal(err)
	}
	n, err := io.Copy(io.Discard, bufio.NewReaderSize(s, 1<<20))
	if err != nil || n != size {
		b.Fatalf("raw: %d bytes, %v", n, err)
	}
	s.Close()
	return time.Since(start)
}

// emptyStore deletes every block, so the next fetch starts from nothing.
func emptyStore(b testing.TB, st *badger.Store) {
	b.Helper()
	if _, _, err := media.NewCollector().Collect(context.Background(), st.Blocks(), nil); err != nil {
		b.Fatal(err)
	}
}

func fetchTime(b testing.TB, from, to *peerNode, m *pb.Media) time.Duration {
	b.Helper()
	emptyStore(b, to.st)
	start := time.Now()
	err := media.Fetch(context.Background(), to.h, to.st.Blocks(), root(b, m), media.CiphertextSize(m.Size),
		media.FetchOptions{Providers: []peer.ID{from.h.ID()}, Window: envInt("PIGEON_BENCH_WINDOW"), Streams: envInt("PIGEON_BENCH_STREAMS")})
	if err != nil {
		b.Fatal(err)
	}
	return time.Since(start)
}

func bitswapTime(b testing.TB, from, to *peerNode, m *pb.Media) time.Duration {
	b.Helper()
	emptyStore(b, to.st)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	server := bitswap.New(ctx, bsnet.NewFromIpfsHost(from.h, bsnet.Prefix("/bench")), nil, from.st.Blocks())
	defer server.Close()
	client := bitswap.New(ctx, bsnet.NewFromIpfsHost(to.h, bsnet.Prefix("/bench")), nil, to.st.Blocks(), bitswap.WithServerEnabled(false))
	bserv := blockservice.New(to.st.Blocks(), client)
	defer bserv.Close()
	start := time.Now()
	if err := merkledag.FetchGraph(ctx, root(b, m), merkledag.NewDAGService(bserv)); err != nil {
		b.Fatal(err)
	}
	return time.Since(start)
}

// envInt reads a tuning knob for experiments (0 when unset).
func envInt(name string) int {
	n, _ := strconv.Atoi(os.Getenv(name))
	return n
}

func mbps(size int64, d time.Duration) float64 { return float64(size) / d.Seconds() / 1e6 }

// BenchmarkTransfer64MiB fetches a 64 MiB file between two connected hosts
// (TCP, TLS, yamux, Badger on both sides) with /pigeon/blocks/1 and with
// stock bitswap, and reports each rate as a ratio to a raw libp2p stream
// between the same hosts in the same iteration.
func BenchmarkTransfer64MiB(b *testing.B) {
	a, c := newPeer(b), newPeer(b)
	connect(b, c, a)
	m := importPseudo(b, a.st, 64<<20, 1)
	size := int64(media.CiphertextSize(m.Size))
	var raw, blk, bs time.Duration
	for b.Loop() {
		raw += rawTransfer(b, a.h, c.h, size)
		blk += fetchTime(b, a, c, m)
		if os.Getenv("PIGEON_BENCH_BITSWAP") != "" {
			bs += bitswapTime(b, a, c, m)
		}
	}
	b.ReportMetric(mbps(size*int64(b.N), raw), "raw_MB/s")
	b.ReportMetric(mbps(size*int64(b.N), blk), "blocks_MB/s")
	b.ReportMetric(raw.Seconds()/blk.Seconds(), "blocks/raw")
	if bs > 0 {
		b.ReportMetric(mbps(size*int64(b.N), bs), "bitswap_MB/s")
		b.ReportMetric(raw.Seconds()/bs.Seconds(), "bitswap/raw")
	}
}

// BenchmarkManyBlocks fetches DAGs of 256 and 4096 leaves (1 MiB each) and
// reports the 4096-block throughput as a ratio to the 256-block one.
// Setting PIGEON_BENCH_BITSWAP also measures stock bitswap (slow).
func BenchmarkManyBlocks(b *testing.B) {
	small, large := int64(256), int64(4096)
	if v := os.Getenv("PIGEON_BENCH_LARGE_BLOCKS"); v != "" {
		large, _ = strconv.ParseInt(v, 10, 64)
	}
	a, c := newPeer(b), newPeer(b)
	connect(b, c, a)
	leafPlain := int64(media.LeafSize - media.LeafSize/media.SegmentSize*media.TagSize) // a leaf of ciphertext
	ms := importPseudo(b, a.st, small*leafPlain, 1)
	ml := importPseudo(b, a.st, large*leafPlain, 2)
	fetch := fetchTime
	if os.Getenv("PIGEON_BENCH_BITSWAP") != "" {
		fetch = bitswapTime
	}
	var ts, tl time.Duration
	for b.Loop() {
		ts += fetch(b, a, c, ms)
		tl += fetch(b, a, c, ml)
	}
	rs := mbps(int64(media.CiphertextSize(ms.Size))*int64(b.N), ts)
	rl := mbps(int64(media.CiphertextSize(ml.Size))*int64(b.N), tl)
	b.ReportMetric(rs, fmt.Sprintf("%d_blocks_MB/s", small))
	b.ReportMetric(rl, fmt.Sprintf("%d_blocks_MB/s", large))
	b.ReportMetric(rl/rs, "many/few")
}

// peakSampler records the peak Go heap in use and the process's peak
// resident set while it runs.
type peakSampler struct {
	stop chan struct{}
	wg   sync.WaitGroup
	heap atomic.Uint64
}

func startSampler() *peakSampler {
	runtime.GC()
	p := &peakSampler{stop: make(chan struct{})}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > p.heap.Load() {
				p.heap.Store(ms.HeapInuse)
			}
			select {
			case <-p.stop:
				return
			case <-t.C:
			}
		}
	}()
	return p
}

func (p *peakSampler) done() uint64 {
	close(p.stop)
	p.wg.Wait()
	return p.heap.Load()
}

// vmHWM is the process's peak resident set (kB in /proc/self/status).
func vmHWM() float64 {
	b, _ := os.ReadFile("/proc/self/status")
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "VmHWM:" {
			v, _ := strconv.ParseFloat(f[1], 64)
			return v / 1024
		}
	}
	return 0
}

// BenchmarkMemory sends (imports) and receives (fetches and decrypts) a
// 256 MiB and a 1 GiB file and reports the peak Go heap of each phase and
// the ratio between the two sizes: near 1 means memory does not grow with
// the file. PIGEON_BENCH_MEMORY_SIZE (bytes) replaces 1 GiB.
func BenchmarkMemory(b *testing.B) {
	large := int64(1 << 30)
	if v := os.Getenv("PIGEON_BENCH_MEMORY_SIZE"); v != "" {
		large, _ = strconv.ParseInt(v, 10, 64)
	}
	for b.Loop() {
		var peaks [2][3]uint64
		for i, size := range []int64{256 << 20, large} {
			a, c := newPeer(b), newPeer(b)
			connect(b, c, a)
			s := startSampler()
			m := importPseudo(b, a.st, size, byte(i))
			peaks[i][0] = s.done()
			s = startSampler()
			if err := media.Fetch(context.Background(), c.h, c.st.Blocks(), root(b, m), media.CiphertextSize(m.Size),
				media.FetchOptions{Providers: []peer.ID{a.h.ID()}}); err != nil {
				b.Fatal(err)
			}
			peaks[i][1] = s.done()
			s = startSampler()
			if err := media.Extract(context.Background(), media.LocalGet(c.st.Blocks()), m, io.Discard); err != nil {
				b.Fatal(err)
			}
			peaks[i][2] = s.done()
			a.close() // the next size starts without these stores' memory
			c.close()
		}
		for k, phase := range []string{"send", "fetch", "decrypt"} {
			b.ReportMetric(float64(peaks[1][k])/(1<<20), phase+"_peak_heap_MiB")
			b.ReportMetric(float64(peaks[1][k])/float64(peaks[0][k]), phase+"_large/256MiB")
		}
		b.ReportMetric(vmHWM(), "peak_RSS_MiB")
	}
}

var _ = cid.Undef
