package media_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/ipfs/go-cid"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/media"
	"github.com/pigeon-net/pigeon/protocol/pb"
)

func TestImportExtract(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	for _, n := range []int{0, 1, media.LeafSize - 16, media.LeafSize, 3*media.LeafSize + 12345} {
		plain := randomBytes(n)
		m := importFile(t, st, plain)
		if err := media.CheckManifest(m); err != nil {
			t.Fatalf("size %d: manifest: %v", n, err)
		}
		var out bytes.Buffer
		if err := media.Extract(ctx, media.LocalGet(st.Blocks()), m, &out); err != nil {
			t.Fatalf("size %d: extract: %v", n, err)
		}
		if !bytes.Equal(out.Bytes(), plain) {
			t.Fatalf("size %d: extracted bytes differ", n)
		}
	}
}

func TestExtractRejectsLies(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	plain := randomBytes(2*media.LeafSize + 5)
	m := importFile(t, st, plain)
	other := importFile(t, st, randomBytes(1000))
	cases := map[string]struct {
		change func(m *pb.Media)
		want   error
	}{
		"size too small":      {func(m *pb.Media) { m.Size -= 1 }, media.ErrSize},
		"size too large":      {func(m *pb.Media) { m.Size += 100 }, media.ErrSize},
		"wrong key":           {func(m *pb.Media) { m.Key[0] ^= 1 }, media.ErrDecrypt},
		"ciphertext digest":   {func(m *pb.Media) { m.CiphertextSha256[0] ^= 1 }, media.ErrDigest},
		"plaintext digest":    {func(m *pb.Media) { m.PlaintextSha256[0] ^= 1 }, media.ErrDigest},
		"root of another DAG": {func(m *pb.Media) { m.Root = other.Root }, media.ErrDecrypt},
	}
	for name, c := range cases {
		bad := proto.Clone(m).(*pb.Media)
		c.change(bad)
		err := media.Extract(ctx, media.LocalGet(st.Blocks()), bad, &bytes.Buffer{})
		if !errors.Is(err, c.want) {
			t.Errorf("%s: err %v, want %v", name, err, c.want)
		}
	}
}

func TestSaveFileNeverLeavesCorruptFile(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	plain := randomBytes(media.LeafSize + 77)
	m := importFile(t, st, plain)
	dir := t.TempDir()
	dst := media.Target{Dir: dir, Name: "out.bin"}

	bad := proto.Clone(m).(*pb.Media)
	bad.PlaintextSha256[3] ^= 1
	if _, err := media.SaveFile(ctx, media.LocalGet(st.Blocks()), bad, dst, nil); !errors.Is(err, media.ErrDigest) {
		t.Fatalf("save with a wrong digest: %v", err)
	}
	assertDirEmpty(t, dir)

	// Disk full halfway through: a clean error that does not name the
	// temporary file, nothing left behind.
	full := func(dir, pattern string) (media.File, error) {
		f, err := os.CreateTemp(dir, pattern)
		if err != nil {
			return nil, err
		}
		return &limitedFile{File: f, left: 300 << 10}, nil
	}
	_, err := media.SaveFile(ctx, media.LocalGet(st.Blocks()), m, dst, full)
	if !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("save on a full disk: %v", err)
	}
	if strings.Contains(err.Error(), ".part") || strings.Contains(err.Error(), ".pigeon-") {
		t.Errorf("error names the temporary file: %v", err)
	}
	assertDirEmpty(t, dir)

	path, err := media.SaveFile(ctx, media.LocalGet(st.Blocks()), m, dst, nil)
	if err != nil || path != dst.Path() {
		t.Fatalf("saved at %q: %v", path, err)
	}
	got, _ := os.ReadFile(path)
	if !bytes.Equal(got, plain) {
		t.Fatal("saved file differs")
	}
}

func assertDirEmpty(t *testing.T, dir string) {
	t.Helper()
	es, _ := os.ReadDir(dir)
	for _, e := range es {
		t.Errorf("left behind: %s", e.Name())
	}
}

// limitedFile fails writes with ENOSPC once left bytes are written.
type limitedFile struct {
	*os.File
	left int
}

func (f *limitedFile) Write(p []byte) (int, error) {
	if len(p) > f.left {
		n, _ := f.File.Write(p[:f.left])
		f.left = 0
		return n, &os.PathError{Op: "write", Path: f.Name(), Err: syscall.ENOSPC}
	}
	f.left -= len(p)
	return f.File.Write(p)
}

func TestCollect(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	keep := importFile(t, st, randomBytes(3*media.LeafSize))
	drop := importFile(t, st, randomBytes(2*media.LeafSize))
	c := media.NewCollector()
	g := c.Guard()
	key, _ := media.NewKey()
	guarded, err := media.Import(ctx, g.Blocks(st.Blocks()), bytes.NewReader(randomBytes(media.LeafSize+1)), key, nil)
	if err != nil {
		t.Fatal(err)
	}
	keepRoot, _ := media.CheckRoot(keep.Root)
	removed, _, err := c.Collect(ctx, st.Blocks(), []cid.Cid{keepRoot})
	if err != nil {
		t.Fatal(err)
	}
	if removed != 4 { // drop: 2 MiB of plaintext is three leaves of ciphertext, and a root
		t.Fatalf("removed %d blocks, want 4", removed)
	}
	var out bytes.Buffer
	if err := media.Extract(ctx, media.LocalGet(st.Blocks()), keep, &out); err != nil {
		t.Fatalf("kept file: %v", err)
	}
	if err := media.Extract(ctx, media.LocalGet(st.Blocks()), drop, &out); !errors.Is(err, media.ErrNotFound) {
		t.Fatalf("dropped file: %v", err)
	}
	if ok, _ := st.Blocks().Has(ctx, guarded.Root); !ok {
		t.Fatal("a guarded block was collected")
	}
	g.Release()
	if removed, _, _ = c.Collect(ctx, st.Blocks(), []cid.Cid{keepRoot}); removed != 3 {
		t.Fatalf("after release removed %d blocks, want 3", removed)
	}
}

// TestExtractRange: any byte range of a file decrypts to the same bytes
// as the whole file has there, reading only the blocks that hold it,
// across segment and leaf boundaries and in a two-level DAG.
func TestExtractRange(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	get := media.LocalGet(st.Blocks())
	for _, size := range []int{1, media.SegmentSize, 3*media.LeafSize + 12345, 176 * media.LeafSize} {
		plain := randomBytes(size)
		m := importFile(t, st, plain)
		n := uint64(size)
		ranges := [][2]uint64{{0, 1}, {n - 1, 1}}
		switch {
		case n > 4*media.LeafSize: // two levels: cross from one subtree to the next
			ranges = append(ranges, [2]uint64{n / 2, 1000}, [2]uint64{174*media.LeafSize - 70000, 140000})
		case n > media.SegmentSize:
			ranges = append(ranges,
				[2]uint64{0, n},
				[2]uint64{media.SegmentSize - 3, 10}, // across a segment boundary
				[2]uint64{n / 2, n/2 - 7},            // a tail
				[2]uint64{uint64(media.LeafSize) - 100, media.SegmentSize * 2}, // across a leaf boundary
			)
		}
		for _, r := range ranges {
			var out bytes.Buffer
			if err := media.ExtractRange(ctx, get, m, r[0], r[1], &out); err != nil {
				t.Fatalf("size %d, range %v: %v", size, r, err)
			}
			if !bytes.Equal(out.Bytes(), plain[r[0]:r[0]+r[1]]) {
				t.Fatalf("size %d, range %v: bytes differ", size, r)
			}
		}
		if err := media.ExtractRange(ctx, get, m, n, 1, &bytes.Buffer{}); !errors.Is(err, media.ErrSize) {
			t.Fatalf("size %d: a range past the end: %v", size, err)
		}
	}
	// A wrong key or a lying manifest is refused, not served.
	m := importFile(t, st, randomBytes(media.LeafSize+5))
	bad := proto.Clone(m).(*pb.Media)
	bad.Key[0] ^= 1
	if err := media.ExtractRange(ctx, get, bad, 10, 100, &bytes.Buffer{}); !errors.Is(err, media.ErrDecrypt) {
		t.Fatalf("wrong key: %v", err)
	}
	bad = proto.Clone(m).(*pb.Media)
	bad.Size += media.SegmentSize
	if err := media.ExtractRange(ctx, get, bad, bad.Size-10, 10, &bytes.Buffer{}); err == nil {
		t.Fatal("a size past the DAG's end was served")
	}
}
