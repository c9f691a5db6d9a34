package relay_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/host"

	"github.com/pigeon-net/pigeon/node/relay"
)

// The idle-connection benchmark runs the host it measures in a child
// process: this test binary, started again with benchServerEnv set to
// "relay" or "bare". The child serves on benchListenEnv, prints one
// benchHello line on stdout and then answers commands, one per line on
// stdin, with one JSON line each:
//
//	stats            benchStats now
//	gc               benchStats after a few GCs and returning freed memory to the OS
//	heap PATH        write a heap profile (after a GC) to PATH
//	goroutines PATH  write the goroutine profile (debug=1) to PATH
//	quit             close the host and exit
//
// End of input means quit, so the child never outlives the benchmark.
const (
	benchServerEnv = "PIGEON_BENCH_SERVER"
	benchListenEnv = "PIGEON_BENCH_LISTEN"
	benchHomeEnv   = "PIGEON_BENCH_HOME"
	// benchProfileEnv names a directory for profiles (see the benchmark).
	benchProfileEnv = "PIGEON_BENCH_PROFILE"
)

// benchHello is the child's first line: where it listens.
type benchHello struct {
	Addrs []string `json:"addrs"` // full, with /p2p/<id>
	Err   string   `json:"err,omitempty"`
}

// benchStats is what the child says about itself.
type benchStats struct {
	Conns      int            `json:"conns"`
	Identified int            `json:"identified"` // peers whose identify finished
	Streams    map[string]int `json:"streams"`    // open streams by protocol
	Goroutines int            `json:"goroutines"`
	HeapAlloc  uint64         `json:"heap_alloc"` // live heap (after gc) in bytes
	HeapInuse  uint64         `json:"heap_inuse"`
	StackInuse uint64         `json:"stack_inuse"`
	OtherSys   uint64         `json:"other_sys"` // GC metadata, spans, buckets, other runtime memory
	Err        string         `json:"err,omitempty"`
}

func TestMain(m *testing.M) {
	if role := os.Getenv(benchServerEnv); role != "" {
		os.Exit(runBenchServer(role))
	}
	os.Exit(m.Run())
}

// runBenchServer is the child's main.
func runBenchServer(role string) int {
	if os.Getenv(benchProfileEnv) != "" {
		runtime.MemProfileRate = 256 // a profile of small per-connection objects
	}
	out := json.NewEncoder(os.Stdout)
	fail := func(err error) int {
		_ = out.Encode(benchHello{Err: err.Error()})
		return 1
	}
	if err := raiseNoFile(2*maxBenchConns + 1024); err != nil {
		return fail(err)
	}
	listen := os.Getenv(benchListenEnv)
	var h host.Host
	var closeServer func() error
	switch role {
	case "relay":
		// Every client comes from 127.0.0.1: lift the per-IP and per-ASN
		// reservation limits, and make room for every client.
		res := relay.DefaultResources()
		res.MaxReservations = maxBenchConns
		res.MaxReservationsPerIP = maxBenchConns
		res.MaxReservationsPerASN = maxBenchConns
		r, err := relay.New(relay.WithListenAddrs(listen), relay.WithHome(os.Getenv(benchHomeEnv)), relay.WithResources(res))
		if err != nil {
			return fail(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		err = r.Start(ctx)
		cancel()
		if err != nil {
			return fail(err)
		}
		h, closeServer = r.Host(), r.Close
	case "bare":
		key, _, err := crypto.GenerateEd25519Key(nil)
		if err != nil {
			return fail(err)
		}
		opts, err := relay.BaseHostOptions(key, []string{listen})
		if err != nil {
			return fail(err)
		}
		if h, err = libp2p.New(opts...); err != nil {
			return fail(err)
		}
		closeServer = h.Close
	default:
		return fail(fmt.Errorf("unknown role %q", role))
	}
	defer closeServer()
	var hello benchHello
	for _, a := range h.Addrs() {
		hello.Addrs = append(hello.Addrs, fmt.Sprintf("%s/p2p/%s", a, h.ID()))
	}
	if err := out.Encode(hello); err != nil {
		return 1
	}

	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		cmd, arg, _ := strings.Cut(in.Text(), " ")
		var err error
		switch cmd {
		case "stats":
		case "gc":
			// A collection halves the stack of a goroutine using less than a
			// quarter of it: a few, as an idle relay runs over minutes (at
			// least one every two minutes), let the stacks of idle streams
			// shrink back from the depth their handshakes needed.
			for range 3 {
				runtime.GC()
			}
			debug.FreeOSMemory()
		case "heap":
			runtime.GC()
			err = writeProfile("heap", arg, 0)
		case "goroutines":
			err = writeProfile("goroutine", arg, 1)
		case "quit":
			return 0
		default:
			err = fmt.Errorf("unknown command %q", cmd)
		}
		st := serverStats(h)
		if err != nil {
			st.Err = err.Error()
		}
		if out.Encode(st) != nil {
			return 1
		}
	}
	return 0
}

func serverStats(h host.Host) benchStats {
	st := benchStats{Streams: make(map[string]int)}
	for _, c := range h.Network().Conns() {
		st.Conns++
		for _, s := range c.GetStreams() {
			p := string(s.Protocol())
			if p == "" {
				p = "(negotiating)"
			}
			st.Streams[p]++
		}
	}
	for _, p := range h.Network().Peers() {
		if _, err := h.Peerstore().Get(p, "AgentVersion"); err == nil {
			st.Identified++
		}
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	st.Goroutines = runtime.NumGoroutine()
	st.HeapAlloc, st.HeapInuse, st.StackInuse = ms.HeapAlloc, ms.HeapInuse, ms.StackInuse
	st.OtherSys = ms.GCSys + ms.MSpanInuse + ms.MCacheInuse + ms.BuckHashSys + ms.OtherSys
	return st
}

func writeProfile(name, path string, debug int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := pprof.Lookup(name).WriteTo(f, debug); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// raiseNoFile raises the soft open-file limit to at least want (capped by
// the hard limit): every connection takes a descriptor on each end.
func raiseNoFile(want uint64) error {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return err
	}
	if lim.Cur >= want {
		return nil
	}
	lim.Cur = min(want, lim.Max)
	return syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim)
}
