// Package nodetest builds in-process networks of real Pigeon nodes on
// loopback for tests and benchmarks.
package nodetest

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/pigeon-net/pigeon/node"
)

// Network is a set of nodes, each with its own home directory, all
// bootstrapping from node 0.
type Network struct {
	tb    testing.TB
	Nodes []*node.Node
	Homes []string
	extra [][]node.Option
}

// New starts n nodes on 127.0.0.1. Node 0 is the bootstrap peer of the
// others. opts apply to every node. Everything is closed by tb.Cleanup.
func New(tb testing.TB, n int, opts ...node.Option) *Network {
	tb.Helper()
	nw := &Network{tb: tb, Nodes: make([]*node.Node, n), Homes: make([]string, n), extra: make([][]node.Option, n)}
	for i := range n {
		nw.Homes[i] = tb.TempDir()
		nw.extra[i] = opts
		nw.Start(i)
	}
	tb.Cleanup(func() {
		for i := range nw.Nodes {
			nw.Stop(i)
		}
	})
	return nw
}

// Start starts node i (again) on its home directory.
func (nw *Network) Start(i int, opts ...node.Option) *node.Node {
	nw.tb.Helper()
	all := []node.Option{
		node.WithHome(nw.Homes[i]),
		node.WithListenAddrs("/ip4/127.0.0.1/tcp/0"),
		node.WithRetryBackoff(20*time.Millisecond, 500*time.Millisecond),
	}
	if os.Getenv("PIGEON_TEST_LOG") != "" {
		// Debug logs of every node on stderr, tagged with its index.
		h := slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug})
		all = append(all, node.WithLogger(slog.New(h).With("node", i)))
	}
	if i > 0 && nw.Nodes[0] != nil {
		var boot []string
		for _, a := range nw.Nodes[0].Info().Addrs {
			boot = append(boot, a.String())
		}
		all = append(all, node.WithBootstrap(boot...))
	}
	all = append(all, nw.extra[i]...)
	all = append(all, opts...)
	n, err := node.New(all...)
	if err != nil {
		nw.tb.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := n.Start(ctx); err != nil {
		nw.tb.Fatal(err)
	}
	nw.Nodes[i] = n
	return n
}

// Stop closes node i if it runs.
func (nw *Network) Stop(i int) {
	if n := nw.Nodes[i]; n != nil {
		if err := n.Close(); err != nil {
			nw.tb.Errorf("close node %d: %v", i, err)
		}
		nw.Nodes[i] = nil
	}
}

// Restart closes and starts node i.
func (nw *Network) Restart(i int) *node.Node {
	nw.Stop(i)
	return nw.Start(i)
}

// Eventually polls cond every few milliseconds until it holds or timeout
// passes, then fails the test with msg.
func Eventually(tb testing.TB, timeout time.Duration, cond func() bool, msg string, args ...any) {
	tb.Helper()
	deadline := time.Now().Add(timeout)
	for wait := time.Millisecond; ; wait = min(2*wait, 50*time.Millisecond) {
		if cond() {
			return
		}
		if time.Now().After(deadline) {
			tb.Fatalf("timed out after %v: %s", timeout, fmt.Sprintf(msg, args...))
		}
		time.Sleep(wait)
	}
}

// AssertNoPlaintext fails tb if any file under dir contains marker. Badger
// preallocates sparse value logs of hundreds of megabytes, so only the
// data regions of each file are read.
func AssertNoPlaintext(tb testing.TB, dir string, marker []byte) {
	tb.Helper()
	files := 0
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		files++
		found, err := FileContains(path, marker)
		if err != nil {
			return err
		}
		if found {
			tb.Errorf("%s holds plaintext", path)
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	if files == 0 {
		tb.Fatalf("nothing to search in %s", dir)
	}
}

// FileContains reports whether the file at path contains marker, reading
// only its data regions (SEEK_DATA/SEEK_HOLE).
func FileContains(path string, marker []byte) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	fd := int(f.Fd())
	buf := make([]byte, 1<<20)
	for off := int64(0); ; {
		start, err := unix.Seek(fd, off, unix.SEEK_DATA)
		if err != nil {
			return false, nil // ENXIO: no data past off
		}
		end, err := unix.Seek(fd, start, unix.SEEK_HOLE)
		if err != nil {
			return false, err
		}
		for pos := start; pos < end; {
			n, err := f.ReadAt(buf[:min(int64(len(buf)), end-pos)], pos)
			if bytes.Contains(buf[:n], marker) {
				return true, nil
			}
			if err != nil || n == 0 {
				break
			}
			pos += int64(max(n-len(marker)+1, 1)) // overlap: a marker across two reads
		}
		off = end
	}
}

// Tmpfs mounts a tmpfs of size bytes on a fresh directory, unmounted at
// cleanup, for tests of a full disk. Mounting needs root (CI runs as
// root): where it is not allowed the test is skipped.
func Tmpfs(tb testing.TB, size int64) string {
	tb.Helper()
	dir := tb.TempDir()
	if err := unix.Mount("tmpfs", dir, "tmpfs", 0, fmt.Sprintf("size=%d", size)); err != nil {
		tb.Skipf("cannot mount a tmpfs (%v): the full-disk tests need root", err)
	}
	tb.Cleanup(func() { unix.Unmount(dir, unix.MNT_DETACH) })
	return dir
}

// FreeBytes returns the bytes an unprivileged process may still write on
// dir's filesystem.
func FreeBytes(tb testing.TB, dir string) uint64 {
	tb.Helper()
	var st unix.Statfs_t
	if err := unix.Statfs(dir, &st); err != nil {
		tb.Fatal(err)
	}
	return st.Bavail * uint64(st.Bsize)
}

// Fill grows (or shrinks) the file dir/filler so that about free bytes
// stay free on dir's filesystem; Unfill removes it.
func Fill(tb testing.TB, dir string, free uint64) {
	tb.Helper()
	path := filepath.Join(dir, "filler")
	var cur int64
	if info, err := os.Stat(path); err == nil {
		cur = info.Size()
	}
	target := cur + int64(FreeBytes(tb, dir)) - int64(free)
	if target < cur {
		if err := os.Truncate(path, max(target, 0)); err != nil {
			tb.Fatal(err)
		}
		return
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	for size := target; size > cur; size -= 4096 { // a tmpfs refuses past its last page
		err := unix.Fallocate(int(f.Fd()), 0, 0, size)
		if err == nil {
			return
		}
		if err != unix.ENOSPC {
			tb.Fatal(err)
		}
	}
}

// Unfill removes the file Fill made.
func Unfill(tb testing.TB, dir string) {
	tb.Helper()
	if err := os.Remove(filepath.Join(dir, "filler")); err != nil && !os.IsNotExist(err) {
		tb.Fatal(err)
	}
}
