package badger

import (
	"context"
	"encoding/binary"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bdg "github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/options"

	"github.com/pigeon-net/pigeon/storage"
)

func testLimits(t *testing.T) lsmLimits {
	t.Helper()
	s, err := Open(Options{Dir: filepath.Join(t.TempDir(), "db")})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	return newLSMLimits(s.db.Opts())
}

// TestHeadroomGrowsWithShape: the headroom grows with every part of the
// LSM a compaction reads: level 0, the memtables still to flush, the base
// level, and the levels below.
func TestHeadroomGrowsWithShape(t *testing.T) {
	c := testLimits(t)
	const mib = 1 << 20
	empty := make([]uint64, 7)
	shape := func(sizes ...uint64) []uint64 { return append(sizes, empty[len(sizes):]...) }
	steps := []struct {
		name    string
		sizes   []uint64
		pending uint64
	}{
		{"empty, no memtable", shape(), 0},
		{"one memtable to flush", shape(), c.memTable},
		{"two memtables to flush", shape(), 2 * c.memTable},
		{"level 0 holds tables", shape(3 * c.memTable), 2 * c.memTable},
		{"a base level", shape(3*c.memTable, 0, 0, 0, 0, 0, 8*mib), 2 * c.memTable},
		{"a bigger base level", shape(3*c.memTable, 0, 0, 0, 0, 30*mib, 100*mib), 2 * c.memTable},
		{"a level below it", shape(3*c.memTable, 0, 0, 0, 0, 30*mib, 400*mib), 2 * c.memTable},
		{"a bigger database", shape(3*c.memTable, 0, 0, 0, 30*mib, 300*mib, 3000*mib), 2 * c.memTable},
		{"level 0 stalled", shape(15*c.memTable, 0, 0, 0, 30*mib, 300*mib, 3000*mib), 2 * c.memTable},
	}
	prev := uint64(0)
	for i, st := range steps {
		h := c.headroom(st.sizes, st.pending)
		t.Logf("%s: %d MiB", st.name, h/mib)
		if i > 0 && h <= prev {
			t.Errorf("%s: headroom %d MiB, not more than before (%d MiB)", st.name, h/mib, prev/mib)
		}
		prev = h
	}
	// What L0 and its base level need is at least what they hold, and a
	// flush besides.
	l0 := 5 * c.memTable
	if h := c.headroom(shape(l0, 0, 0, 0, 0, 50*mib, 200*mib), c.memTable); h < l0+c.memTable+50*mib+c.memTable {
		t.Errorf("headroom %d MiB for 5 full L0 tables, a memtable and a 50 MiB base level", h/mib)
	}
}

// TestHeadroomTargetsAreBadgers: the base level and target file sizes
// headroom computes from the level sizes are those Badger reports, for
// the shapes a database goes through as it fills: level 0 compacted into
// the last level while that is small, then into levels further up. The
// database has small memtables and levels, to go through them quickly.
func TestHeadroomTargetsAreBadgers(t *testing.T) {
	bo := bdg.DefaultOptions(t.TempDir()).
		WithLogger(nil).
		WithMemTableSize(1 << 20).
		WithBaseTableSize(64 << 10).
		WithBaseLevelSize(256 << 10).
		WithLevelSizeMultiplier(4).
		WithNumLevelZeroTables(2).
		WithNumLevelZeroTablesStall(8).
		WithNumCompactors(numCompactors).
		WithValueThreshold(64 << 10).
		WithCompression(options.None).
		WithMetricsEnabled(false)
	db, err := bdg.Open(bo)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	c := newLSMLimits(bo)
	checked, bases := 0, map[int]bool{}
	compare := func() {
		levels := db.Levels()
		sizes := make([]uint64, len(levels))
		for _, l := range levels {
			sizes[l.Level] = uint64(l.Size)
		}
		base, fileSize := c.targets(sizes)
		if !sameSizes(db.Levels(), sizes) {
			return // a compaction moved tables meanwhile
		}
		for _, l := range levels[1:] {
			if l.IsBaseLevel != (l.Level == base) || uint64(l.TargetFileSize) != fileSize[l.Level] {
				t.Fatalf("sizes %v: Badger's L%d is base %v with %d-byte files; computed base L%d, files %v",
					sizes, l.Level, l.IsBaseLevel, l.TargetFileSize, base, fileSize)
			}
		}
		checked++
		bases[base] = true
	}
	value := make([]byte, 1<<10)
	for i := 0; i < 24<<10; i += 64 {
		err := db.Update(func(txn *bdg.Txn) error {
			for j := i; j < i+64; j++ {
				key := binary.BigEndian.AppendUint32([]byte{byte(j % 7)}, uint32(j*2654435761))
				if err := txn.Set(key, value); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if i%512 == 0 {
			compare()
		}
	}
	if checked < 20 || len(bases) < 2 {
		t.Fatalf("compared %d shapes, with base levels %v", checked, bases)
	}
	if testing.Verbose() {
		t.Logf("compared %d shapes, with base levels %v", checked, bases)
	}
}

func sameSizes(levels []bdg.LevelInfo, sizes []uint64) bool {
	for _, l := range levels {
		if uint64(l.Size) != sizes[l.Level] {
			return false
		}
	}
	return true
}

// TestHeadroomGrowsWithStore: a store's headroom grows as its LSM tree
// does.
func TestHeadroomGrowsWithStore(t *testing.T) {
	s, err := Open(Options{Dir: filepath.Join(t.TempDir(), "db")})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	before := s.Space().Headroom
	if before < s.space.lsm.memTable {
		t.Fatalf("headroom %d bytes: not even a memtable's flush", before)
	}
	// 20 MiB kept in the tree: the 16 MiB memtable rotates, and is flushed.
	text := strings.Repeat("t", valueThreshold-512)
	ctx := context.Background()
	at := time.UnixMilli(1_700_000_000_000)
	for i := 0; i < 20<<20/len(text); i += 32 {
		err := s.Update(ctx, func(ctx context.Context) error {
			for j := i; j < i+32; j++ {
				m := storage.Message{Direction: storage.Incoming, State: storage.Received, Text: text, SentAt: at, StoredAt: at}
				binary.BigEndian.PutUint64(m.ID[8:], uint64(j+1))
				if err := s.InsertMessage(ctx, m); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(30 * time.Second)
	for s.Space().Headroom < before+16<<20 {
		if time.Now().After(deadline) {
			t.Fatalf("headroom %d bytes after 20 MiB, %d before", s.Space().Headroom, before)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
