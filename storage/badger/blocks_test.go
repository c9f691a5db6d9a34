package badger_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"

	blocks "github.com/ipfs/go-block-format"
	"github.com/ipfs/go-cid"
	ipld "github.com/ipfs/go-ipld-format"

	"github.com/pigeon-net/pigeon/storage/badger"
)

const mib = 1 << 20

func openBlocks(t testing.TB, dir string) *badger.Store {
	t.Helper()
	s, err := badger.Open(badger.Options{Dir: filepath.Join(dir, "db"), BlocksDir: filepath.Join(dir, "blocks")})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// testBlock is a block of n pseudo-random bytes, different for each seed.
func testBlock(seed uint64, n int) blocks.Block {
	data := make([]byte, n)
	r := rand.NewChaCha8([32]byte{})
	binary.LittleEndian.PutUint64(data, seed) // distinct even when tiny
	r.Read(data[min(8, n):])
	return blocks.NewBlock(data)
}

// segmentFiles lists the pack segments in dir's BlocksDir and their total
// size.
func segmentFiles(t testing.TB, dir string) (names []string, size int64) {
	t.Helper()
	es, err := os.ReadDir(filepath.Join(dir, "blocks"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		if strings.HasPrefix(e.Name(), "pack-") {
			info, err := e.Info()
			if err != nil {
				t.Fatal(err)
			}
			names = append(names, e.Name())
			size += info.Size()
		}
	}
	return names, size
}

func checkBlock(t testing.TB, s *badger.Store, want blocks.Block) {
	t.Helper()
	got, err := s.Blocks().Get(context.Background(), want.Cid())
	if err != nil {
		t.Fatalf("get %s: %v", want.Cid(), err)
	}
	if !bytes.Equal(got.RawData(), want.RawData()) {
		t.Fatalf("block %s differs", want.Cid())
	}
	if n, err := s.Blocks().GetSize(context.Background(), want.Cid()); err != nil || n != len(want.RawData()) {
		t.Fatalf("size of %s: %d, %v", want.Cid(), n, err)
	}
}

func checkGone(t testing.TB, s *badger.Store, c cid.Cid) {
	t.Helper()
	if _, err := s.Blocks().Get(context.Background(), c); !ipld.IsNotFound(err) {
		t.Fatalf("deleted block %s: %v", c, err)
	}
}

// checkSpace compares the store's count of live bytes with the blocks its
// index lists, and its segment bytes with the files.
func checkSpace(t testing.TB, s *badger.Store, dir string) {
	t.Helper()
	var indexed int64
	err := s.Blocks().ForEachBlock(context.Background(), func(_ cid.Cid, size int) error {
		if size >= 64<<10 {
			indexed += int64(size)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	size, live := badger.BlockSpace(s)
	if live != indexed {
		t.Fatalf("live bytes counted %d, index holds %d", live, indexed)
	}
	if _, files := segmentFiles(t, dir); files != size {
		t.Fatalf("segments counted %d bytes, files hold %d", size, files)
	}
}

func TestPackedBlocks(t *testing.T) {
	dir := t.TempDir()
	s := openBlocks(t, dir)
	badger.SetSegmentSize(s, 3*mib)
	ctx := context.Background()
	var bs []blocks.Block
	for i, n := range []int{10, 64<<10 - 1, 64 << 10, mib, mib, mib + 5, mib, 200 << 10, mib} {
		bs = append(bs, testBlock(uint64(i), n))
	}
	if err := s.Blocks().PutMany(ctx, bs[:4]); err != nil {
		t.Fatal(err)
	}
	for _, b := range bs[4:] {
		if err := s.Blocks().Put(ctx, b); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Blocks().Put(ctx, bs[3]); err != nil { // again: a no-op
		t.Fatal(err)
	}
	for _, b := range bs {
		checkBlock(t, s, b)
	}
	if names, _ := segmentFiles(t, dir); len(names) < 2 {
		t.Fatalf("segments %v: the 3 MiB limit did not start new ones", names)
	}
	checkSpace(t, s, dir)
	s.Close()

	s = openBlocks(t, dir)
	defer s.Close()
	for _, b := range bs {
		checkBlock(t, s, b)
	}
	checkSpace(t, s, dir)
	if err := s.Blocks().DeleteBlocks(ctx, []cid.Cid{bs[0].Cid(), bs[3].Cid(), bs[4].Cid()}); err != nil {
		t.Fatal(err)
	}
	checkGone(t, s, bs[3].Cid())
	checkSpace(t, s, dir)
	var all []cid.Cid
	for _, b := range bs {
		all = append(all, b.Cid())
	}
	if err := s.Blocks().DeleteBlocks(ctx, all); err != nil {
		t.Fatal(err)
	}
	if names, _ := segmentFiles(t, dir); len(names) != 0 {
		t.Fatalf("segments left after deleting every block: %v", names)
	}
	checkSpace(t, s, dir)
}

// TestCompactBlocks deletes every other block, so that no segment empties,
// and checks that Compact gives the space back and keeps the rest.
func TestCompactBlocks(t *testing.T) {
	dir := t.TempDir()
	s := openBlocks(t, dir)
	defer s.Close()
	badger.SetSegmentSize(s, 4*mib)
	ctx := context.Background()
	var bs []blocks.Block
	for i := range 16 {
		b := testBlock(uint64(i), mib)
		bs = append(bs, b)
		if err := s.Blocks().Put(ctx, b); err != nil {
			t.Fatal(err)
		}
	}
	var drop []cid.Cid
	for i := 0; i < len(bs); i += 2 {
		drop = append(drop, bs[i].Cid())
	}
	if err := s.Blocks().DeleteBlocks(ctx, drop); err != nil {
		t.Fatal(err)
	}
	names, before := segmentFiles(t, dir)
	if before < 16*mib {
		t.Fatalf("segments hold %d bytes before compaction (%v): deleting half emptied some", before, names)
	}
	moved, err := s.Blocks().Compact(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if moved != 8 {
		t.Fatalf("moved %d blocks, want 8", moved)
	}
	if _, after := segmentFiles(t, dir); after != 8*mib {
		t.Fatalf("segments hold %d bytes after compaction, want %d", after, 8*mib)
	}
	for i, b := range bs {
		if i%2 == 0 {
			checkGone(t, s, b.Cid())
		} else {
			checkBlock(t, s, b)
		}
	}
	checkSpace(t, s, dir)
	if moved, err := s.Blocks().Compact(ctx); err != nil || moved != 0 {
		t.Fatalf("second compaction moved %d, %v", moved, err)
	}
}

// TestPackedBlocksTornTail reopens a store whose last segment ends in a
// torn block and that holds a segment nothing was indexed in, as a crash
// during appends leaves them.
func TestPackedBlocksTornTail(t *testing.T) {
	dir := t.TempDir()
	s := openBlocks(t, dir)
	ctx := context.Background()
	var bs []blocks.Block
	for i := range 3 {
		b := testBlock(uint64(i), mib)
		bs = append(bs, b)
		if err := s.Blocks().Put(ctx, b); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	names, _ := segmentFiles(t, dir)
	if len(names) != 1 {
		t.Fatalf("segments %v", names)
	}
	last := filepath.Join(dir, "blocks", names[0])
	f, err := os.OpenFile(last, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.Write(make([]byte, 1000)) // half a block
	f.Close()
	orphan := filepath.Join(dir, "blocks", "pack-00000000000000ff")
	if err := os.WriteFile(orphan, make([]byte, mib), 0o600); err != nil {
		t.Fatal(err)
	}

	s = openBlocks(t, dir)
	defer s.Close()
	if _, err := os.Stat(orphan); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a segment no block is indexed in survived Open: %v", err)
	}
	for _, b := range bs {
		checkBlock(t, s, b)
	}
	// New blocks go to a new segment; the torn one is left as it is.
	b := testBlock(99, mib)
	if err := s.Blocks().Put(ctx, b); err != nil {
		t.Fatal(err)
	}
	checkBlock(t, s, b)
	if info, err := os.Stat(last); err != nil || info.Size() != 3*mib+1000 {
		t.Fatalf("torn segment: %v, %v", info, err)
	}
	checkSpace(t, s, dir)
}

// TestPackedBlocksConcurrent races puts of the same and of different
// blocks, deletes, reads and compactions, then checks the space
// accounting against the index and the files.
func TestPackedBlocksConcurrent(t *testing.T) {
	dir := t.TempDir()
	s := openBlocks(t, dir)
	badger.SetSegmentSize(s, 2*mib)
	ctx := context.Background()
	const n = 24
	var bs []blocks.Block
	for i := range n {
		bs = append(bs, testBlock(uint64(i), 128<<10))
	}
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for round := range 6 {
				for i, b := range bs {
					if (i+w+round)%3 == 0 {
						errs <- s.Blocks().DeleteBlock(ctx, b.Cid())
						continue
					}
					if err := s.Blocks().Put(ctx, b); err != nil {
						errs <- err
						continue
					}
					got, err := s.Blocks().Get(ctx, b.Cid())
					switch {
					case ipld.IsNotFound(err): // deleted meanwhile
					case err != nil:
						errs <- err
					case !bytes.Equal(got.RawData(), b.RawData()):
						errs <- fmt.Errorf("block %d differs", i)
					}
				}
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for range 20 {
			if _, err := s.Blocks().Compact(ctx); err != nil {
				errs <- err
			}
		}
	}()
	go func() {
		wg.Wait()
		close(errs)
	}()
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	checkSpace(t, s, dir)
	for _, b := range bs { // whatever is indexed reads back whole
		if got, err := s.Blocks().Get(ctx, b.Cid()); err == nil && !bytes.Equal(got.RawData(), b.RawData()) {
			t.Fatalf("block %s differs", b.Cid())
		} else if err != nil && !ipld.IsNotFound(err) {
			t.Fatal(err)
		}
	}
	s.Close()
	s = openBlocks(t, dir)
	defer s.Close()
	checkSpace(t, s, dir)
}

// TestLegacyBlockFiles reads and deletes blocks that stores written before
// packs kept in files of their own, and checks that Open removes such a
// file without an index entry.
func TestLegacyBlockFiles(t *testing.T) {
	dir := t.TempDir()
	s := openBlocks(t, dir)
	ctx := context.Background()
	kept, dropped, orphan := testBlock(1, mib), testBlock(2, mib), testBlock(3, mib)
	for _, b := range []blocks.Block{kept, dropped} {
		if err := badger.PutLegacyBlock(s, b.Cid().Hash(), b.RawData()); err != nil {
			t.Fatal(err)
		}
	}
	orphanPath := badger.LegacyBlockPath(s, orphan.Cid().Hash())
	if err := os.MkdirAll(filepath.Dir(orphanPath), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(orphanPath, orphan.RawData(), 0o600); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = openBlocks(t, dir)
	defer s.Close()
	if _, err := os.Stat(orphanPath); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("unindexed block file survived Open: %v", err)
	}
	checkBlock(t, s, kept)
	checkBlock(t, s, dropped)
	if err := s.Blocks().DeleteBlock(ctx, dropped.Cid()); err != nil {
		t.Fatal(err)
	}
	checkGone(t, s, dropped.Cid())
	if _, err := os.Stat(badger.LegacyBlockPath(s, dropped.Cid().Hash())); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("deleted block's file: %v", err)
	}
	checkBlock(t, s, kept)
}

const blocksCrashEnv = "PIGEON_BADGER_BLOCKS_CRASH_DIR"

// TestBlocksCrashChild is the child half of TestBlocksCrash: two writers
// put 1 MiB blocks, each reported on stdout once Put returned, and the
// process SIGKILLs itself while they are still writing.
func TestBlocksCrashChild(t *testing.T) {
	dir := os.Getenv(blocksCrashEnv)
	if dir == "" {
		t.Skip("only runs as the child of TestBlocksCrash")
	}
	s := openBlocks(t, dir)
	badger.SetSegmentSize(s, 4*mib)
	var mu sync.Mutex // one report per line
	var done int
	reached := make(chan struct{})
	for w := range 2 {
		go func() {
			for i := w; ; i += 2 {
				if err := s.Blocks().Put(context.Background(), testBlock(uint64(i), mib)); err != nil {
					fmt.Println("put:", err)
					os.Exit(2)
				}
				mu.Lock()
				os.Stdout.WriteString(strconv.Itoa(i) + "\n")
				if done++; done == 40 {
					close(reached)
				}
				mu.Unlock()
			}
		}()
	}
	<-reached
	syscall.Kill(os.Getpid(), syscall.SIGKILL)
	select {}
}

// TestBlocksCrash proves that every block Put returned for survives kill -9
// with appends in flight, that the torn remains are ignored, and that the
// store keeps working and gives all space back.
func TestBlocksCrash(t *testing.T) {
	if os.Getenv(blocksCrashEnv) != "" {
		t.Skip("in the child")
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestBlocksCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), blocksCrashEnv+"="+dir)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	var exit *exec.ExitError
	if !errors.As(err, &exit) {
		t.Fatalf("child did not die: %v\nstdout: %s\nstderr: %s", err, out, stderr.Bytes())
	}
	if ws, ok := exit.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("child exited with %v, want SIGKILL\nstdout: %s\nstderr: %s", err, out, stderr.Bytes())
	}
	var stored []int
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		if i, err := strconv.Atoi(sc.Text()); err == nil {
			stored = append(stored, i)
		}
	}
	if len(stored) < 40 {
		t.Fatalf("child reported %d blocks\nstderr: %s", len(stored), stderr.Bytes())
	}
	s := openBlocks(t, dir)
	defer s.Close()
	ctx := context.Background()
	for _, i := range stored {
		checkBlock(t, s, testBlock(uint64(i), mib))
	}
	checkSpace(t, s, dir)
	size, live := badger.BlockSpace(s)
	t.Logf("after the crash: %d bytes in segments, %d of them live", size, live)
	var all []cid.Cid
	err = s.Blocks().ForEachBlock(ctx, func(c cid.Cid, _ int) error {
		all = append(all, c)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	b := testBlock(1<<40, mib)
	if err := s.Blocks().Put(ctx, b); err != nil {
		t.Fatal(err)
	}
	checkBlock(t, s, b)
	if err := s.Blocks().DeleteBlocks(ctx, append(all, b.Cid())); err != nil {
		t.Fatal(err)
	}
	if names, _ := segmentFiles(t, dir); len(names) != 0 {
		t.Fatalf("segments left after deleting every block: %v", names)
	}
	t.Logf("child stored %d blocks before SIGKILL; %d were indexed", len(stored), len(all))
}

// FuzzParseBlockIndex feeds "B" values to the index decoder.
func FuzzParseBlockIndex(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3})
	f.Add(binary.AppendUvarint([]byte{1}, mib))
	f.Add(badger.PackedIndex(3, 5*mib, mib))
	f.Add(badger.PackedIndex(1<<40, 1<<50, 64<<10))
	f.Fuzz(func(t *testing.T, v []byte) {
		_ = badger.ParseBlockIndex(v)
	})
}
