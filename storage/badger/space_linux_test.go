package badger_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	blocks "github.com/ipfs/go-block-format"
	"golang.org/x/sys/unix"

	"github.com/pigeon-net/pigeon/storage"
	"github.com/pigeon-net/pigeon/storage/badger"
)

// The full-disk tests run on a small tmpfs of their own: they need root
// (CI runs as root) and skip where mounting is not allowed.

// tmpfs mounts a tmpfs of size bytes on a fresh directory, unmounted at
// cleanup.
func tmpfs(t *testing.T, size int64) string {
	t.Helper()
	dir := t.TempDir()
	if err := unix.Mount("tmpfs", dir, "tmpfs", 0, fmt.Sprintf("size=%d", size)); err != nil {
		t.Skipf("cannot mount a tmpfs (%v): the full-disk tests need root", err)
	}
	t.Cleanup(func() { unix.Unmount(dir, unix.MNT_DETACH) })
	return dir
}

func freeBytes(t testing.TB, dir string) uint64 {
	t.Helper()
	var st unix.Statfs_t
	if err := unix.Statfs(dir, &st); err != nil {
		t.Fatal(err)
	}
	return st.Bavail * uint64(st.Bsize)
}

// fill grows or shrinks the file dir/filler so that free bytes are left
// free on dir's filesystem (as close as pages allow).
func fill(t testing.TB, dir string, free uint64) {
	t.Helper()
	path := filepath.Join(dir, "filler")
	var cur int64
	if info, err := os.Stat(path); err == nil {
		cur = info.Size()
	}
	target := cur + int64(freeBytes(t, dir)) - int64(free)
	if target < cur {
		if err := os.Truncate(path, max(target, 0)); err != nil {
			t.Fatal(err)
		}
		return
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// A tmpfs reports ENOSPC past its last page: fill what fits.
	for size := target; size > cur; size -= 4096 {
		if err := unix.Fallocate(int(f.Fd()), 0, 0, size); err == nil {
			return
		} else if !errors.Is(err, unix.ENOSPC) {
			t.Fatal(err)
		}
	}
}

func unfill(t testing.TB, dir string) {
	t.Helper()
	if err := os.Remove(filepath.Join(dir, "filler")); err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
}

const testMinFree = 32 * mib

func openGuarded(t testing.TB, dir string, changed func(badger.Space)) (*badger.Store, error) {
	t.Helper()
	return badger.Open(badger.Options{
		Dir: filepath.Join(dir, "db"), BlocksDir: filepath.Join(dir, "blocks"),
		MinFree: testMinFree, SpaceChanged: changed,
	})
}

func reserveSize(dir string) int64 {
	info, err := os.Stat(filepath.Join(dir, "db", "SPACE-RESERVE"))
	if err != nil {
		return -1
	}
	return info.Size()
}

// TestSpaceGuard: below MinFree and the headroom new messages are
// refused while other writes go on; below the floor every write is
// refused and the reserve is released; when space comes back both work
// again without a reopen, and the changes are reported.
func TestSpaceGuard(t *testing.T) {
	dir := tmpfs(t, 256*mib)
	changes := make(chan badger.Space, 16)
	s, err := openGuarded(t, dir, func(sp badger.Space) { changes <- sp })
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	waitFor(t, func() bool { return reserveSize(dir) > 0 }, "space reserve made")
	// What the database's compactions need stays the same while this
	// store's few small writes sit in its first memtable.
	sp := s.Space()
	if sp.Headroom == 0 || sp.MinFree != testMinFree+sp.Headroom || reserveSize(dir) < int64(sp.Headroom) {
		t.Fatalf("Space() = %+v with a reserve of %d bytes: want a headroom, MinFree above it, and a reserve as big", sp, reserveSize(dir))
	}
	minFree, floor := sp.MinFree, testMinFree/4+sp.Headroom

	fill(t, dir, minFree+8*mib)
	if err := s.InsertMessage(ctx, crashMessage(1)); err != nil {
		t.Fatalf("insert with room: %v", err)
	}

	fill(t, dir, minFree-4*mib)
	// The guard reuses a measurement for a moment: new messages may still
	// go in until it measures again.
	var insertErr error
	next := 100
	waitFor(t, func() bool {
		next++
		insertErr = s.InsertMessage(ctx, crashMessage(next))
		return insertErr != nil
	}, "insert refused below MinFree")
	if !errors.Is(insertErr, storage.ErrStorageFull) || !strings.Contains(insertErr.Error(), "free some disk space") {
		t.Fatalf("insert below MinFree: %v, want storage.ErrStorageFull saying what to do", insertErr)
	}
	if sp := <-changes; !sp.Full {
		t.Fatalf("reported %+v, want Full", sp)
	}
	if err := s.PutContact(ctx, storage.Contact{Account: acct(1), Name: "upkeep"}); err != nil {
		t.Fatalf("a write that is not new work, above the floor: %v", err)
	}
	if _, err := s.Message(ctx, crashMessage(1).ID); err != nil {
		t.Fatalf("read while full: %v", err)
	}

	// Below the floor (a quarter of MinFree and the headroom) nothing is
	// written, and the reserve goes, which puts the store back above the
	// floor.
	fill(t, dir, floor-2*mib)
	waitFor(t, func() bool { return reserveSize(dir) < 0 }, "space reserve released below the floor")
	// The guard measures again right after removing the reserve; the
	// file may be seen gone a moment before that measurement lands.
	var upkeepErr error
	waitFor(t, func() bool {
		upkeepErr = s.PutContact(ctx, storage.Contact{Account: acct(2), Name: "after release"})
		return upkeepErr == nil
	}, "a write after the reserve was released")
	fill(t, dir, floor-2*mib)
	waitFor(t, func() bool {
		err := s.PutContact(ctx, storage.Contact{Account: acct(3)})
		return errors.Is(err, storage.ErrStorageFull)
	}, "every write refused below the floor")
	if err := s.InsertMessage(ctx, crashMessage(3)); !errors.Is(err, storage.ErrStorageFull) {
		t.Fatalf("insert below the floor: %v", err)
	}

	unfill(t, dir)
	waitFor(t, func() bool { return s.InsertMessage(ctx, crashMessage(4)) == nil }, "insert once space is back")
	if sp := <-changes; sp.Full {
		t.Fatalf("reported %+v, want not Full", sp)
	}
	waitFor(t, func() bool { return reserveSize(dir) >= int64(s.Space().Headroom) }, "space reserve made again")
	if sp := s.Space(); sp.Full || sp.MinFree != testMinFree+sp.Headroom {
		t.Fatalf("Space() = %+v", sp)
	}
}

// TestSpaceBlocks: a download stops before it takes the disk below
// MinFree and the headroom.
func TestSpaceBlocks(t *testing.T) {
	dir := tmpfs(t, 256*mib)
	s, err := openGuarded(t, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	var putErr error
	for i := range 300 { // more than the tmpfs holds
		if putErr = s.Blocks().PutMany(ctx, []blocks.Block{testBlock(uint64(i), mib)}); putErr != nil {
			break
		}
	}
	if !errors.Is(putErr, storage.ErrStorageFull) {
		t.Fatalf("put blocks on a filling disk: %v, want storage.ErrStorageFull", putErr)
	}
	sp := s.Space()
	if free := freeBytes(t, dir); free < sp.MinFree-mib {
		t.Fatalf("%d MiB left free, want about %d", free/mib, sp.MinFree/mib)
	}
	if err := s.CheckSpace(mib); !errors.Is(err, storage.ErrStorageFull) {
		t.Fatalf("CheckSpace(1 MiB): %v", err)
	}
}

const (
	spaceChildEnv  = "PIGEON_BADGER_SPACE_DIR"
	spaceModeEnv   = "PIGEON_BADGER_SPACE_MODE"
	spaceFromEnv   = "PIGEON_BADGER_SPACE_FROM"
	spaceValueSize = 3584 // with a message's other fields, below ValueThreshold: in the LSM tree, which compactions rewrite
)

func spaceSetting(i int) (string, []byte) {
	return "upkeep-" + strconv.Itoa(i), bytes.Repeat([]byte{byte(i)}, spaceValueSize)
}

func spaceMessage(i int) storage.Message {
	m := crashMessage(i)
	m.Text = strings.Repeat(string(rune('a'+i%26)), spaceValueSize)
	return m
}

// spaceBatch is how many writes a child commits together.
const spaceBatch = 64

// TestSpaceChild is the child half of the tests below. With mode "fill"
// it inserts 3.5 KiB messages until the store refuses them; with "cycle" it
// does so, then writes 3.5 KiB settings (writes that are not new work) until
// the store refuses them too; either closes the store then. It commits
// spaceBatch writes at a time. With "crash" it inserts 64 messages one by
// one and kills itself (leaving a memtable log to replay). Messages and
// settings are numbered from the two numbers in PIGEON_BADGER_SPACE_FROM;
// it reports each write committed on stdout ("m N", "s N"), and the least
// free space it saw ("low N").
func TestSpaceChild(t *testing.T) {
	dir := os.Getenv(spaceChildEnv)
	if dir == "" {
		t.Skip("only runs as the child of the full-disk tests")
	}
	mode := os.Getenv(spaceModeEnv)
	var from spaceWrites
	fmt.Sscan(os.Getenv(spaceFromEnv), &from.messages, &from.settings)
	low := lowFree(t, dir)
	defer func() { fmt.Println("low", low()) }()
	s, err := badger.Open(badger.Options{Dir: filepath.Join(dir, "db"), BlocksDir: filepath.Join(dir, "blocks"), MinFree: testMinFree})
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(2)
	}
	ctx := context.Background()
	// batches commits n writes from i on with write and reports them, as
	// kind, until the store refuses one.
	batches := func(kind string, i, n int, write func(ctx context.Context, i int) error) {
		for ; ; i += n {
			err := s.Update(ctx, func(ctx context.Context) error {
				for j := range n {
					if err := write(ctx, i+j); err != nil {
						return err
					}
				}
				return nil
			})
			if errors.Is(err, storage.ErrStorageFull) {
				fmt.Println("full:", err)
				return
			}
			if err != nil {
				fmt.Println("write:", err)
				os.Exit(2)
			}
			for j := range n {
				fmt.Println(kind, i+j)
			}
			if mode == "crash" && i == from.messages+63 {
				for reserveSize(dir) <= 0 { // the parent needs it
					time.Sleep(time.Millisecond)
				}
				syscall.Kill(os.Getpid(), syscall.SIGKILL)
			}
		}
	}
	if mode == "crash" {
		batches("m", from.messages, 1, func(ctx context.Context, i int) error { return s.InsertMessage(ctx, crashMessage(i)) })
		os.Exit(3) // not reached: killed or full
	}
	batches("m", from.messages, spaceBatch, func(ctx context.Context, i int) error { return s.InsertMessage(ctx, spaceMessage(i)) })
	if mode == "cycle" {
		batches("s", from.settings, spaceBatch, func(ctx context.Context, i int) error {
			name, value := spaceSetting(i)
			return s.PutSetting(ctx, name, value)
		})
	}
	if err := s.Close(); err != nil {
		fmt.Println("close:", err)
		os.Exit(2)
	}
}

// lowFree samples the free space on dir's filesystem every millisecond
// until the returned function is called, which returns the least seen.
func lowFree(t *testing.T, dir string) func() uint64 {
	var low atomic.Uint64
	low.Store(freeBytes(t, dir))
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
			}
			var st unix.Statfs_t
			if unix.Statfs(dir, &st) == nil && st.Bavail*uint64(st.Bsize) < low.Load() {
				low.Store(st.Bavail * uint64(st.Bsize))
			}
		}
	}()
	return func() uint64 {
		close(stop)
		<-done
		return low.Load()
	}
}

// spaceWrites counts messages and settings; low is the least free space
// a child saw.
type spaceWrites struct {
	messages, settings int
	low                uint64
}

// runSpaceChild runs TestSpaceChild on dir, numbering from from, and
// returns its output and what it reported stored.
func runSpaceChild(t *testing.T, dir, mode string, from spaceWrites) (string, spaceWrites, error) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestSpaceChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), spaceChildEnv+"="+dir, spaceModeEnv+"="+mode,
		fmt.Sprintf("%s=%d %d", spaceFromEnv, from.messages, from.settings))
	out, err := cmd.Output()
	if ee, ok := err.(*exec.ExitError); ok {
		err = fmt.Errorf("%w: %s", err, head(string(ee.Stderr), 16))
	}
	var w spaceWrites
	for _, line := range strings.Split(string(out), "\n") {
		kind, n, _ := strings.Cut(line, " ")
		k, err := strconv.ParseUint(n, 10, 64)
		if err != nil {
			continue
		}
		switch kind {
		case "low":
			w.low = k
		case "m":
			w.messages++
		case "s":
			w.settings++
		}
	}
	return string(out), w, err
}

// TestFullDiskRefusedNotKilled: a store filling its disk with messages
// kept in the LSM tree gets storage.ErrStorageFull, and so do writes
// that are not new work further down, where it used to die of SIGBUS:
// Badger's flushes and compactions write their tables through memory
// maps before they free anything, and they had no room left (at the
// next start, the compaction of what the last run flushed). Over several
// runs, each filling what the one before left, no process dies, and
// everything stored is there after.
func TestFullDiskRefusedNotKilled(t *testing.T) {
	if os.Getenv(spaceChildEnv) != "" {
		t.Skip("in the child")
	}
	if spaceValueSize+512 > badger.ValueThreshold {
		t.Fatalf("messages of %d-byte texts go to the value log, not the LSM tree", spaceValueSize)
	}
	dir := tmpfs(t, 320*mib)
	var stored spaceWrites
	for run := range 3 {
		mode := "cycle"
		if run == 0 {
			mode = "fill"
		}
		out, w, err := runSpaceChild(t, dir, mode, stored)
		if err != nil || !strings.Contains(out, "full:") {
			t.Fatalf("run %d (%s) after %d messages and %d settings: %v; its last output: %q", run, mode, stored.messages, stored.settings, err, tail(out))
		}
		if run == 0 && w.messages*spaceValueSize < 32*mib {
			t.Fatalf("the first run stored %d messages of %d bytes on a 320 MiB disk", w.messages, spaceValueSize)
		}
		stored.messages += w.messages
		stored.settings += w.settings
		t.Logf("run %d: %d messages, %d settings; at least %.1f MiB free while it ran, %d MiB after", run, w.messages, w.settings, float64(w.low)/mib, freeBytes(t, dir)/mib)
	}
	s, err := openGuarded(t, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	for i := range stored.messages {
		m, err := s.Message(ctx, spaceMessage(i).ID)
		if err != nil || m.Text != spaceMessage(i).Text {
			t.Fatalf("message %d of %d: %v", i, stored.messages, err)
		}
	}
	for i := range stored.settings {
		name, value := spaceSetting(i)
		if b, err := s.Setting(ctx, name); err != nil || !bytes.Equal(b, value) {
			t.Fatalf("setting %d of %d: %d bytes, %v", i, stored.settings, len(b), err)
		}
	}
}

// TestOpenOnFullDisk: a store whose process died with a memtable log to
// replay opens on a full disk (the space reserve makes room for the
// replay's flush), serves reads, refuses new work, and takes it again
// once space is back. Without the reserve, Open fails with
// storage.ErrStorageFull instead of SIGBUS.
func TestOpenOnFullDisk(t *testing.T) {
	if os.Getenv(spaceChildEnv) != "" {
		t.Skip("in the child")
	}
	dir := tmpfs(t, 256*mib)
	if _, w, _ := runSpaceChild(t, dir, "crash", spaceWrites{}); w.messages != 64 {
		t.Fatalf("child stored %d messages, want 64", w.messages)
	}
	ctx := context.Background()

	// Without the reserve: a clear error.
	reserve := filepath.Join(dir, "db", "SPACE-RESERVE")
	if err := os.Rename(reserve, filepath.Join(dir, "reserve-aside")); err != nil {
		t.Fatal(err)
	}
	fill(t, dir, 0)
	_, err := openGuarded(t, dir, nil)
	if !errors.Is(err, storage.ErrStorageFull) || !strings.Contains(err.Error(), "free some disk space") {
		t.Fatalf("open on a full disk without the reserve: %v, want storage.ErrStorageFull", err)
	}

	// With it.
	unfill(t, dir)
	if err := os.Rename(filepath.Join(dir, "reserve-aside"), reserve); err != nil {
		t.Fatal(err)
	}
	fill(t, dir, 0)
	changes := make(chan badger.Space, 16)
	s, err := openGuarded(t, dir, func(sp badger.Space) { changes <- sp })
	if err != nil {
		t.Fatalf("open on a full disk: %v", err)
	}
	defer s.Close()
	for i := range 64 {
		if _, err := s.Message(ctx, crashMessage(i).ID); err != nil {
			t.Fatalf("read message %d on a full disk: %v", i, err)
		}
	}
	if sp := <-changes; !sp.Full {
		t.Fatalf("reported %+v, want Full", sp)
	}
	if err := s.InsertMessage(ctx, crashMessage(100)); !errors.Is(err, storage.ErrStorageFull) {
		t.Fatalf("insert on a full disk: %v", err)
	}
	unfill(t, dir)
	waitFor(t, func() bool { return s.InsertMessage(ctx, crashMessage(101)) == nil }, "insert once space is back")
	if sp := <-changes; sp.Full {
		t.Fatalf("reported %+v, want not Full", sp)
	}
}

// head returns the first n lines of s: of a crash, the signal and the
// top of the faulting goroutine's stack.
func head(s string, n int) string {
	lines := strings.SplitAfterN(s, "\n", n+1)
	return strings.Join(lines[:min(n, len(lines))], "")
}

// TestOpenNeedsRoomForCompactions: Open checks that the disk has room
// for the compactions that start once the database is open, not only for
// replaying its memtable logs: a store closed cleanly (no log to replay)
// with tables in its LSM tree does not open on a nearly full disk
// without its reserve, and says why.
func TestOpenNeedsRoomForCompactions(t *testing.T) {
	dir := tmpfs(t, 256*mib)
	s, err := openGuarded(t, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for i := 0; i < 20*mib/spaceValueSize; i += spaceBatch {
		err := s.Update(ctx, func(ctx context.Context) error {
			for j := i; j < i+spaceBatch; j++ {
				if err := s.InsertMessage(ctx, spaceMessage(j)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(dir, "db", "SPACE-RESERVE"), filepath.Join(dir, "reserve-aside")); err != nil {
		t.Fatal(err)
	}
	fill(t, dir, 4*mib)
	_, err = openGuarded(t, dir, nil)
	if !errors.Is(err, storage.ErrStorageFull) || !strings.Contains(err.Error(), "opening the database needs") {
		t.Fatalf("open with 4 MiB free and 20 MiB of tables: %v, want storage.ErrStorageFull", err)
	}
	unfill(t, dir)
	s, err = openGuarded(t, dir, nil)
	if err != nil {
		t.Fatalf("open once there is room: %v", err)
	}
	defer s.Close()
	if _, err := s.Message(ctx, spaceMessage(0).ID); err != nil {
		t.Fatal(err)
	}
}

func tail(s string) string {
	if len(s) > 300 {
		return s[len(s)-300:]
	}
	return s
}
