package badger_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
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

// TestSpaceGuard: below MinFree new messages are refused while other
// writes go on; below the floor every write is refused and the reserve is
// released; when space comes back both work again without a reopen, and
// the changes are reported.
func TestSpaceGuard(t *testing.T) {
	dir := tmpfs(t, 256*mib)
	changes := make(chan badger.Space, 16)
	s, err := openGuarded(t, dir, func(sp badger.Space) { changes <- sp })
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	waitFor(t, func() bool { return reserveSize(dir) == testMinFree/2 }, "space reserve made")

	fill(t, dir, testMinFree+8*mib)
	if err := s.InsertMessage(ctx, crashMessage(1)); err != nil {
		t.Fatalf("insert with room: %v", err)
	}

	fill(t, dir, testMinFree-4*mib)
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

	// Below the floor (a quarter of MinFree) nothing is written, and the
	// reserve goes, which puts the store back above the floor.
	fill(t, dir, testMinFree/4-2*mib)
	waitFor(t, func() bool { return reserveSize(dir) < 0 }, "space reserve released below the floor")
	// The guard measures again right after removing the reserve; the
	// file may be seen gone a moment before that measurement lands.
	var upkeepErr error
	waitFor(t, func() bool {
		upkeepErr = s.PutContact(ctx, storage.Contact{Account: acct(2), Name: "after release"})
		return upkeepErr == nil
	}, "a write after the reserve was released")
	fill(t, dir, testMinFree/4-2*mib)
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
	waitFor(t, func() bool { return reserveSize(dir) == testMinFree/2 }, "space reserve made again")
	if sp := s.Space(); sp.Full || sp.MinFree != testMinFree {
		t.Fatalf("Space() = %+v", sp)
	}
}

// TestSpaceBlocks: a download stops before it takes the disk below
// MinFree.
func TestSpaceBlocks(t *testing.T) {
	dir := tmpfs(t, 128*mib)
	s, err := openGuarded(t, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	var putErr error
	for i := range 200 { // more than the tmpfs holds
		if putErr = s.Blocks().PutMany(ctx, []blocks.Block{testBlock(uint64(i), mib)}); putErr != nil {
			break
		}
	}
	if !errors.Is(putErr, storage.ErrStorageFull) {
		t.Fatalf("put blocks on a filling disk: %v, want storage.ErrStorageFull", putErr)
	}
	if free := freeBytes(t, dir); free < testMinFree-mib {
		t.Fatalf("%d MiB left free, want about %d", free/mib, testMinFree/mib)
	}
	if err := s.CheckSpace(mib); !errors.Is(err, storage.ErrStorageFull) {
		t.Fatalf("CheckSpace(1 MiB): %v", err)
	}
}

const spaceChildEnv = "PIGEON_BADGER_SPACE_DIR"

// TestSpaceChild is the child half of the tests below: with mode "fill"
// it inserts 32 KiB messages until the store refuses one, with "crash" it
// inserts 64 messages and kills itself (leaving a memtable log to replay).
// It reports each insert that returned on stdout.
func TestSpaceChild(t *testing.T) {
	dir := os.Getenv(spaceChildEnv)
	if dir == "" {
		t.Skip("only runs as the child of the full-disk tests")
	}
	opts := badger.Options{Dir: filepath.Join(dir, "db"), BlocksDir: filepath.Join(dir, "blocks")}
	if os.Getenv("PIGEON_BADGER_SPACE_MODE") == "crash" {
		opts.MinFree = testMinFree
	}
	s, err := badger.Open(opts)
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(2)
	}
	text := strings.Repeat("y", 32<<10)
	for i := range 100000 {
		m := crashMessage(i)
		m.Text = text
		err := s.InsertMessage(context.Background(), m)
		if errors.Is(err, storage.ErrStorageFull) {
			fmt.Println("full:", err)
			if err := s.Close(); err != nil {
				fmt.Println("close:", err)
				os.Exit(2)
			}
			os.Exit(0)
		}
		if err != nil {
			fmt.Println("insert:", err)
			os.Exit(2)
		}
		os.Stdout.WriteString(strconv.Itoa(i+1) + "\n")
		if os.Getenv("PIGEON_BADGER_SPACE_MODE") == "crash" && i == 63 {
			for reserveSize(dir) != testMinFree/2 { // the parent needs it
				time.Sleep(time.Millisecond)
			}
			syscall.Kill(os.Getpid(), syscall.SIGKILL)
		}
	}
	os.Exit(3)
}

// runSpaceChild runs TestSpaceChild on dir and returns its output and
// how many inserts it reported.
func runSpaceChild(t *testing.T, dir, mode string) (string, int, error) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestSpaceChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), spaceChildEnv+"="+dir, "PIGEON_BADGER_SPACE_MODE="+mode)
	out, err := cmd.Output()
	if ee, ok := err.(*exec.ExitError); ok {
		err = fmt.Errorf("%w: %s", err, tail(string(ee.Stderr)))
	}
	n := 0
	for _, line := range strings.Split(string(out), "\n") {
		if k, err := strconv.Atoi(line); err == nil {
			n = k
		}
	}
	return string(out), n, err
}

// TestFullDiskRefusedNotKilled: a store filling its disk with messages
// gets storage.ErrStorageFull, where it used to die of SIGBUS (Badger's
// memory-mapped logs), and every message it stored is there after.
func TestFullDiskRefusedNotKilled(t *testing.T) {
	if os.Getenv(spaceChildEnv) != "" {
		t.Skip("in the child")
	}
	dir := tmpfs(t, 160*mib)
	out, n, err := runSpaceChild(t, dir, "fill")
	if err != nil || !strings.Contains(out, "full:") {
		t.Fatalf("child filling the disk: %v; its last output: %q", err, tail(out))
	}
	s, err := openGuarded(t, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for i := range n {
		if _, err := s.Message(context.Background(), crashMessage(i).ID); err != nil {
			t.Fatalf("message %d of %d: %v", i, n, err)
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
	if _, n, _ := runSpaceChild(t, dir, "crash"); n != 64 {
		t.Fatalf("child stored %d messages, want 64", n)
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

func tail(s string) string {
	if len(s) > 300 {
		return s[len(s)-300:]
	}
	return s
}
