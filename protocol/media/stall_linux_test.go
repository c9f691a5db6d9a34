package media_test

import (
	"bufio"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sync"
	"syscall"
	"testing"
	"time"

	blocks "github.com/ipfs/go-block-format"
	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	rcmgr "github.com/libp2p/go-libp2p/p2p/host/resource-manager"
	ma "github.com/multiformats/go-multiaddr"
	mh "github.com/multiformats/go-multihash"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/media"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage/badger"
)

// The stalled-stream benchmark runs the block server it measures in a
// child process (this test binary, started again with blocksServerEnv
// set), so that the attacker's own buffers are not counted. The child
// stores stallBlocks blocks of 1 MiB, serves them like a node (libp2p's
// default resource manager with media.AddLimits), prints one line of JSON
// (stallHello) and answers each line on stdin ("gc" or "stats") with one
// line of JSON (stallStats); end of input makes it exit.
const (
	blocksServerEnv = "PIGEON_BLOCKS_SERVER"
	stallBlocks     = 8
	stallStreams    = 300
)

type stallHello struct {
	Addr string   `json:"addr"` // full, with /p2p/<id>
	CIDs []string `json:"cids"`
	Err  string   `json:"err,omitempty"`
}

type stallStats struct {
	HeapAlloc  uint64 `json:"heap_alloc"`
	Goroutines int    `json:"goroutines"`
	Streams    int    `json:"streams"` // open /pigeon/blocks/1 streams
}

func TestMain(m *testing.M) {
	if os.Getenv(blocksServerEnv) != "" {
		os.Exit(runBlocksServer())
	}
	os.Exit(m.Run())
}

func runBlocksServer() int {
	out := json.NewEncoder(os.Stdout)
	fail := func(err error) int {
		_ = out.Encode(stallHello{Err: err.Error()})
		return 1
	}
	dir := os.Getenv(blocksServerEnv)
	st, err := badger.Open(badger.Options{Dir: filepath.Join(dir, "db"), BlocksDir: filepath.Join(dir, "blocks")})
	if err != nil {
		return fail(err)
	}
	defer st.Close()
	var hello stallHello
	for i := range stallBlocks {
		data := make([]byte, media.LeafSize)
		binary.BigEndian.PutUint32(data, uint32(i))
		h, _ := mh.Sum(data, mh.SHA2_256, -1)
		blk, _ := blocks.NewBlockWithCid(data, cid.NewCidV1(cid.Raw, h))
		if err := st.Blocks().Put(context.Background(), blk); err != nil {
			return fail(err)
		}
		hello.CIDs = append(hello.CIDs, blk.Cid().String())
	}
	limits := rcmgr.DefaultLimits
	libp2p.SetDefaultServiceLimits(&limits)
	media.AddLimits(&limits)
	rm, err := rcmgr.NewResourceManager(rcmgr.NewFixedLimiter(limits.AutoScale()))
	if err != nil {
		return fail(err)
	}
	h, err := libp2p.New(libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"), libp2p.ResourceManager(rm))
	if err != nil {
		return fail(err)
	}
	defer h.Close()
	srv := media.NewServer(h, st.Blocks())
	defer srv.Close()
	hello.Addr = fmt.Sprintf("%s/p2p/%s", h.Addrs()[0], h.ID())
	if err := out.Encode(hello); err != nil {
		return 1
	}
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		if in.Text() == "gc" {
			for range 3 {
				runtime.GC()
			}
			debug.FreeOSMemory()
		}
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		s := stallStats{HeapAlloc: ms.HeapAlloc, Goroutines: runtime.NumGoroutine()}
		for _, c := range h.Network().Conns() {
			for _, st := range c.GetStreams() {
				if st.Protocol() == media.BlocksProtocol {
					s.Streams++
				}
			}
		}
		if out.Encode(s) != nil {
			return 1
		}
	}
	return 0
}

// blocksServer is the child as the benchmark sees it.
type blocksServer struct {
	cmd   *exec.Cmd
	in    io.WriteCloser
	out   *bufio.Scanner
	hello stallHello
}

func startBlocksServer(b *testing.B) *blocksServer {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), blocksServerEnv+"="+b.TempDir())
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	cmd.Stderr = os.Stderr
	srv := &blocksServer{cmd: cmd}
	var err error
	if srv.in, err = cmd.StdinPipe(); err != nil {
		b.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	srv.out = bufio.NewScanner(stdout)
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(srv.stop)
	if !srv.out.Scan() {
		b.Fatalf("blocks server: %v", srv.out.Err())
	}
	if err := json.Unmarshal(srv.out.Bytes(), &srv.hello); err != nil || srv.hello.Err != "" {
		b.Fatalf("blocks server: %v %s", err, srv.hello.Err)
	}
	return srv
}

func (srv *blocksServer) command(b *testing.B, cmd string) stallStats {
	var s stallStats
	if _, err := fmt.Fprintln(srv.in, cmd); err != nil {
		b.Fatal(err)
	}
	if !srv.out.Scan() {
		b.Fatalf("blocks server: %v", srv.out.Err())
	}
	if err := json.Unmarshal(srv.out.Bytes(), &s); err != nil {
		b.Fatal(err)
	}
	return s
}

func (srv *blocksServer) stop() {
	srv.in.Close()
	done := make(chan struct{})
	go func() { _ = srv.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		_ = srv.cmd.Process.Kill()
		<-done
	}
}

// BenchmarkStalledStreams reproduces the report of issue 10: streams that
// each want a 1 MiB block and never read. It reports how much the serving
// process's live heap (after garbage collection) grew over its baseline,
// measured in the same run with the attackers connected and no stream
// open, and how many streams the server kept:
//
//	go test -run '^$' -bench StalledStreams -benchtime 1x ./protocol/media/
func BenchmarkStalledStreams(b *testing.B) {
	for _, peers := range []int{1, 30} {
		b.Run(fmt.Sprintf("%d-peers", peers), func(b *testing.B) {
			var grew, kept float64
			for b.Loop() {
				g, k := stallGrowth(b, peers)
				grew += g
				kept += float64(k)
			}
			b.ReportMetric(grew/float64(b.N)/1e6, "heap-growth-MB")
			b.ReportMetric(kept/float64(b.N), "streams-kept")
		})
	}
}

func stallGrowth(b *testing.B, peers int) (float64, int) {
	srv := startBlocksServer(b)
	info, err := peer.AddrInfoFromP2pAddr(ma.StringCast(srv.hello.Addr))
	if err != nil {
		b.Fatal(err)
	}
	hosts := make([]host.Host, peers)
	for i := range hosts {
		h, err := libp2p.New(libp2p.NoListenAddrs, libp2p.ResourceManager(&network.NullResourceManager{}))
		if err != nil {
			b.Fatal(err)
		}
		defer h.Close()
		if err := h.Connect(context.Background(), *info); err != nil {
			b.Fatal(err)
		}
		hosts[i] = h
	}
	base := srv.command(b, "gc")
	var wg sync.WaitGroup
	for i := range stallStreams {
		wg.Go(func() {
			st, err := hosts[i%peers].NewStream(context.Background(), info.ID, media.BlocksProtocol)
			if err != nil {
				return // refused
			}
			c, _ := cid.Decode(srv.hello.CIDs[i%len(srv.hello.CIDs)])
			want, _ := proto.Marshal(&pb.BlockWant{Cids: [][]byte{c.Bytes()}})
			_, _ = st.Write(append(binary.AppendUvarint(nil, uint64(len(want))), want...))
			// ... and never read.
		})
	}
	wg.Wait()
	// Let the server get as far as it can: its goroutines stop moving.
	prev := -1
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(500 * time.Millisecond) {
		st := srv.command(b, "stats")
		if st.Goroutines == prev {
			break
		}
		prev = st.Goroutines
	}
	after := srv.command(b, "gc")
	b.Logf("%d peers: heap %.1f -> %.1f MB, %d of %d streams kept, goroutines %d -> %d", peers,
		float64(base.HeapAlloc)/1e6, float64(after.HeapAlloc)/1e6, after.Streams, stallStreams, base.Goroutines, after.Goroutines)
	return float64(after.HeapAlloc) - float64(base.HeapAlloc), after.Streams
}
