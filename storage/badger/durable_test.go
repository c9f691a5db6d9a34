package badger_test

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	blocks "github.com/ipfs/go-block-format"
	"go.mau.fi/libsignal/protocol"

	"github.com/pigeon-net/pigeon/storage/badger"
)

// syncGate is a SyncHook that counts syncs and holds each one until the
// test lets it go.
type syncGate struct {
	count   atomic.Int32
	entered chan int32
	release chan struct{}
}

func newSyncGate() *syncGate {
	return &syncGate{entered: make(chan int32, 16), release: make(chan struct{})}
}

func (g *syncGate) hook() {
	g.entered <- g.count.Add(1)
	<-g.release
}

// next waits for the next sync to start and returns its number.
func (g *syncGate) next(t *testing.T) int32 {
	t.Helper()
	select {
	case n := <-g.entered:
		return n
	case <-time.After(30 * time.Second):
		t.Fatal("no sync started")
		return 0
	}
}

func waitFor(t *testing.T, cond func() bool, msg string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for wait := time.Millisecond; !cond(); wait = min(2*wait, 50*time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("timed out: " + msg)
		}
		time.Sleep(wait)
	}
}

// TestWaitDurableGroupCommit: a waiter that arrives while a sync runs is
// not answered by it (its commit may have landed after the sync began),
// and every waiter that arrived meanwhile shares the next sync.
func TestWaitDurableGroupCommit(t *testing.T) {
	gate := newSyncGate()
	s, err := badger.Open(badger.Options{InMemory: true, SyncHook: gate.hook})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()

	first := make(chan error, 1)
	go func() { first <- s.WaitDurable(ctx) }()
	if n := gate.next(t); n != 1 {
		t.Fatalf("sync %d started, want 1", n)
	}
	const late = 8
	done := make(chan error, late)
	for range late {
		go func() { done <- s.WaitDurable(ctx) }()
	}
	waitFor(t, func() bool { return badger.SyncWaiters(s) == late }, "waiters queued for the next sync")
	if len(done) > 0 {
		t.Fatal("a waiter that arrived during sync 1 returned before sync 1 ended")
	}
	gate.release <- struct{}{}
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	if n := gate.next(t); n != 2 {
		t.Fatalf("sync %d started, want 2", n)
	}
	if len(done) > 0 {
		t.Fatal("a late waiter returned before the sync that covers it ended")
	}
	gate.release <- struct{}{}
	for range late {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	if n := gate.count.Load(); n != 2 {
		t.Fatalf("%d syncs for %d waiters, want 2", n, late+1)
	}
}

// TestWaitDurableCancel: a waiter whose context ends stops waiting; the
// sync it waited for still runs for the others.
func TestWaitDurableCancel(t *testing.T) {
	gate := newSyncGate()
	s, err := badger.Open(badger.Options{InMemory: true, SyncHook: gate.hook})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	first := make(chan error, 1)
	go func() { first <- s.WaitDurable(context.Background()) }()
	gate.next(t)
	ctx, cancel := context.WithCancel(context.Background())
	second := make(chan error, 1)
	go func() { second <- s.WaitDurable(ctx) }()
	waitFor(t, func() bool { return badger.SyncWaiters(s) == 1 }, "second waiter queued")
	cancel()
	if err := <-second; err == nil {
		t.Fatal("cancelled waiter returned no error")
	}
	gate.release <- struct{}{}
	if err := <-first; err != nil {
		t.Fatal(err)
	}
}

// TestWaitDurableRotatedLogs: a commit that Badger's memtable rotation
// left in a log it no longer writes is synced too: the sync after the
// rotation covers the log rotated out.
func TestWaitDurableRotatedLogs(t *testing.T) {
	s := openDir(t, filepath.Join(t.TempDir(), "db"))
	defer s.Close()
	ctx := context.Background()
	mem0, _ := badger.NewestLogs(s)
	// 24 MiB of settings kept in the LSM tree (below ValueThreshold)
	// fill the 16 MiB memtable at least once.
	value := bytes.Repeat([]byte("x"), badger.ValueThreshold-512)
	for i := 0; i < 24<<20/len(value); i += 64 {
		err := s.Update(ctx, func(ctx context.Context) error {
			for j := range 64 {
				if err := s.PutSetting(ctx, fmt.Sprintf("rotate-%d", i+j), value); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := s.WaitDurable(ctx); err != nil {
		t.Fatal(err)
	}
	if mem, _ := badger.NewestLogs(s); mem <= mem0 {
		t.Fatalf("newest memtable log still %d after 24 MiB of writes: no rotation seen", mem)
	}
}

// TestWaitDurableValueLog: a sync covers the value log file when values
// went there (big ones), and skips it otherwise.
func TestWaitDurableValueLog(t *testing.T) {
	s := openDir(t, filepath.Join(t.TempDir(), "db"))
	defer s.Close()
	ctx := context.Background()
	sync := func() {
		t.Helper()
		if err := s.WaitDurable(ctx); err != nil {
			t.Fatal(err)
		}
	}
	small := func(i int) {
		t.Helper()
		if err := s.InsertMessage(ctx, crashMessage(i)); err != nil {
			t.Fatal(err)
		}
	}
	small(1)
	sync()
	mem0, vlog0 := badger.LogSyncs(s)
	for i := range 3 {
		small(2 + i)
		sync()
	}
	mem1, vlog1 := badger.LogSyncs(s)
	if mem1 != mem0+3 || vlog1 != vlog0 {
		t.Fatalf("3 syncs of small writes: %d memtable log and %d value log fsyncs, want 3 and 0", mem1-mem0, vlog1-vlog0)
	}
	addr := protocol.NewSignalAddress("big", 1)
	if err := s.PutRawSession(addr, bytes.Repeat([]byte{7}, 200<<10)); err != nil { // above valueThreshold
		t.Fatal(err)
	}
	sync()
	if _, vlog2 := badger.LogSyncs(s); vlog2 != vlog1+1 {
		t.Fatalf("a value in the value log: %d value log fsyncs, want 1", vlog2-vlog1)
	}
}

// TestWaitDurableBlocks: blocks appended to pack segments are synced by
// the next WaitDurable, including a segment removed meanwhile.
func TestWaitDurableBlocks(t *testing.T) {
	dir := t.TempDir()
	s := openBlocks(t, dir)
	defer s.Close()
	ctx := context.Background()
	big := []blocks.Block{testBlock(1, mib), testBlock(2, mib)}
	if err := s.Blocks().PutMany(ctx, big); err != nil {
		t.Fatal(err)
	}
	if n := badger.DirtySegments(s); n != 1 {
		t.Fatalf("%d dirty segments after a put, want 1", n)
	}
	if err := s.WaitDurable(ctx); err != nil {
		t.Fatal(err)
	}
	if n := badger.DirtySegments(s); n != 0 {
		t.Fatalf("%d dirty segments after WaitDurable, want 0", n)
	}
	badger.SetSegmentSize(s, mib)
	if err := s.Blocks().PutMany(ctx, []blocks.Block{testBlock(3, mib)}); err != nil {
		t.Fatal(err)
	}
	if err := s.Blocks().DeleteBlock(ctx, testBlock(3, mib).Cid()); err != nil {
		t.Fatal(err)
	}
	if err := s.WaitDurable(ctx); err != nil {
		t.Fatalf("sync with a removed segment: %v", err)
	}
}

// TestWaitDurableSyncWrites: a store that syncs every commit has nothing
// to wait for.
func TestWaitDurableSyncWrites(t *testing.T) {
	s, err := badger.Open(badger.Options{Dir: t.TempDir(), SyncWrites: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.InsertMessage(context.Background(), crashMessage(1)); err != nil {
		t.Fatal(err)
	}
	if err := s.WaitDurable(context.Background()); err != nil {
		t.Fatal(err)
	}
}
