package badger

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	bdg "github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/table"
)

// Headroom: the free space Badger's own work needs. Badger flushes
// memtables into tables and compacts tables into the next level by
// writing the new tables (through memory maps, see space.go) before it
// deletes the ones they replace, so each of these steps needs about as
// much free space as it reads. The space guard keeps that much free on
// top of Options.MinFree, estimated from the LSM's shape as it is now;
// the bound, from Badger v4.9.6's levels.go and db.go, with this store's
// settings:
//
//   - A flush turns one memtable into one level-0 table and deletes its
//     log afterwards. A memtable is full once its log or its skiplist
//     reaches memTableSize, and the transaction that makes it full still
//     goes in (at most 15% of memTableSize), so a log, and the table made
//     from it, is at most lsmLimits.memTable. Flushes run one at a time.
//   - A compaction from L0 (fillTablesL0ToLbase) takes every L0 table
//     whose key range chains onto the oldest one's (with this store's keys,
//     all of them) and every table of the base level overlapping them,
//     which we count as the whole base level. By the time it starts, the
//     memtables there are now (their logs in Dir: the active one, assumed
//     to fill up, and those waiting) may have joined L0. A compaction
//     within L0 (fillTablesL0ToL0) takes L0 tables only, so it is smaller.
//   - A compaction from Ln, n ≥ 1 (fillTables), takes one table of Ln and
//     the tables of Ln+1 overlapping it. A table of Ln is cut at Ln's
//     target file size when written, but the target changes as the base
//     level moves, so we count twice the target (never more than the
//     level). subcompact also cuts a table when its key range overlaps ten
//     tables of the level below, so the overlap is counted as ten target
//     files of Ln+1 (never more than the level). That check runs every
//     5,000 keys, so a table of big values can overlap more: this is an
//     estimate, not a proof (see the package doc). A compaction within the
//     last level (fillMaxLevelTables) takes one table and neighbours up to
//     one target file more.
//   - Two compactors run at once (numCompactors), each on its own key
//     ranges: two compactions of one level can run together, one from L0
//     at a time. So the two largest candidates count, with an eighth more
//     for the index and bloom filter of the tables they write, plus one
//     flush beside them.
//
// A compaction frees its inputs before the next one on the same ranges
// starts, so what the steps after these need is at most what these
// needed, measured again then. Opening replays every memtable log into
// a memtable and flushes it, then starts compacting: the same estimate
// with the logs' bytes as the memtables to flush (see prepareOpen).

// lsmLimits are the Badger settings the estimate depends on.
type lsmLimits struct {
	memTable        uint64 // a full memtable's log, or the level-0 table flushed from it
	baseTableSize   uint64 // Options.BaseTableSize
	baseLevelSize   uint64 // Options.BaseLevelSize
	levelMultiplier uint64 // Options.LevelSizeMultiplier
	tableMultiplier uint64 // Options.TableSizeMultiplier
	compactors      int    // compactions that may run at once
}

func newLSMLimits(bo bdg.Options) lsmLimits {
	return lsmLimits{
		memTable:        uint64(bo.MemTableSize + bo.MemTableSize*15/100),
		baseTableSize:   uint64(bo.BaseTableSize),
		baseLevelSize:   uint64(bo.BaseLevelSize),
		levelMultiplier: uint64(max(bo.LevelSizeMultiplier, 1)),
		tableMultiplier: uint64(max(bo.TableSizeMultiplier, 1)),
		compactors:      max(bo.NumCompactors, 1),
	}
}

// overlapTables is how many tables of the next level subcompact lets a
// new table's key range overlap before it cuts the table.
const overlapTables = 10

// headroom returns the free space the next flushes and compactions of an
// LSM whose levels hold sizes bytes (sizes[0] is L0) may take before they
// free anything, when pending bytes of memtables are still to be flushed
// into level 0. It depends on the sizes alone, whether they come from the
// open database or from its files (diskLevels), so that what opening
// needs is never more than what the running store kept free.
func (c lsmLimits) headroom(sizes []uint64, pending uint64) uint64 {
	size := func(n int) uint64 {
		if n < len(sizes) {
			return sizes[n]
		}
		return 0
	}
	base, fileSize := c.targets(sizes)
	var candidates []uint64
	if l0 := size(0) + pending; l0 > 0 {
		candidates = append(candidates, l0+size(base))
	}
	for n := 1; n < len(sizes); n++ {
		if size(n) == 0 {
			continue
		}
		top := min(size(n), 2*fileSize[n])
		var bottom uint64
		if n+1 < len(sizes) {
			bottom = min(size(n+1), overlapTables*fileSize[n+1])
		} else {
			bottom = min(size(n)-top, fileSize[n])
		}
		// Two compactors may work on level n at once.
		candidates = append(candidates, top+bottom, top+bottom)
	}
	slices.Sort(candidates)
	slices.Reverse(candidates)
	var compact uint64
	for _, n := range candidates[:min(len(candidates), c.compactors)] {
		compact += n
	}
	return min(pending, c.memTable) + compact + compact/8
}

// targets returns the base level (where L0 is compacted to) and the
// target file size of each level, by Badger's rule (levelTargets,
// restated): going up from the last level, each level's target size is
// the one below's divided by LevelSizeMultiplier, at least BaseLevelSize;
// the base level is the deepest one whose target is within
// BaseLevelSize (L1 if none), moved down through empty levels to the one
// above the first non-empty level, one further if that level is small,
// and never below a non-empty level. Levels down to the base have
// BaseTableSize files, each level below TableSizeMultiplier times the
// one above. TestHeadroomTargetsAreBadgers checks this against Badger.
func (c lsmLimits) targets(sizes []uint64) (base int, fileSize []uint64) {
	last := len(sizes) - 1
	target := make([]uint64, len(sizes))
	fileSize = make([]uint64, len(sizes))
	if last < 1 {
		return 0, fileSize
	}
	for n, t := last, sizes[last]; n > 0; n, t = n-1, t/c.levelMultiplier {
		target[n] = max(t, c.baseLevelSize)
		if base == 0 && target[n] <= c.baseLevelSize {
			base = n
		}
	}
	base = max(base, 1)
	for base < last-1 && sizes[base] == 0 && sizes[base+1] == 0 {
		base++
	}
	if base < last && sizes[base] == 0 && sizes[base+1] < target[base+1] && sizes[base+1] < c.baseLevelSize {
		base++
	}
	for n := 1; n < base; n++ {
		if sizes[n] > 0 {
			base = n
			break
		}
	}
	fileSize[0] = c.memTable
	for n, f := 1, c.baseTableSize; n <= last; n++ {
		if n > base {
			f *= c.tableMultiplier
		}
		fileSize[n] = f
	}
	return base, fileSize
}

// levelSizes returns the sizes of db's levels.
func levelSizes(db *bdg.DB) []uint64 {
	levels := db.Levels()
	sizes := make([]uint64, len(levels))
	for _, l := range levels {
		if l.Level >= 0 && l.Level < len(sizes) {
			sizes[l.Level] = uint64(max(l.Size, 0))
		}
	}
	return sizes
}

// memtableLogs returns how many memtable logs (NNNNN.mem) dir holds and
// the bytes they take on disk.
func memtableLogs(dir string) (n int, bytes uint64, err error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, 0, nil
	}
	if err != nil {
		return 0, 0, err
	}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".mem") {
			continue
		}
		size, err := allocated(filepath.Join(dir, e.Name()))
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return 0, 0, err
		}
		n++
		bytes += size
	}
	return n, bytes, nil
}

// countMemtableLogs returns how many memtable logs dir holds.
func countMemtableLogs(dir string) (int, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".mem") {
			n++
		}
	}
	return n, nil
}

// diskLevels reads the sizes of the levels of the closed database in dir
// from its manifest and table files, for the estimate at open, and the
// bytes of the table files the manifest does not list (left by a
// compaction a crash cut short), which Badger deletes when it opens.
func diskLevels(dir string, bo bdg.Options) (sizes []uint64, orphans uint64, err error) {
	f, err := os.Open(filepath.Join(dir, bdg.ManifestFilename))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, 0, nil // a new database
	}
	if err != nil {
		return nil, 0, fmt.Errorf("read manifest: %w", err)
	}
	defer f.Close()
	m, _, err := bdg.ReplayManifestFile(f, bo.ExternalMagicVersion, bo)
	if err != nil {
		return nil, 0, fmt.Errorf("read manifest: %w", err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, 0, err
	}
	sizes = make([]uint64, bo.MaxLevels)
	for _, e := range entries {
		id, ok := table.ParseFileID(e.Name())
		if !ok {
			continue
		}
		info, err := e.Info()
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, 0, err
		}
		t, listed := m.Tables[id]
		switch {
		case !listed:
			orphans += uint64(info.Size())
		case int(t.Level) < len(sizes):
			sizes[t.Level] += uint64(info.Size())
		}
	}
	return sizes, orphans, nil
}
