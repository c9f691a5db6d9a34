package badger

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	bdg "github.com/dgraph-io/badger/v4"

	"github.com/pigeon-net/pigeon/storage"
)

// Free space. Badger writes its memtable logs (NNNNN.mem) and value log
// files (NNNNNN.vlog) through shared memory maps of sparse files, and
// creates its tables (.sst) by copying into a memory map of a new file.
// When the filesystem has no block left for a page written that way, the
// kernel sends SIGBUS instead of returning an error, and the process dies;
// with a memtable log to replay and tables to compact, it dies again at
// the next start. (Pack segments are written with write(2), which fails
// with ENOSPC instead.) So the store keeps Badger away from a full disk.
// Besides what the store writes, Badger's own flushes and compactions
// write new tables before they delete the ones they replace; the space
// they may need next, the headroom, is estimated from the LSM's shape
// (see headroom.go) and kept free on top of the limits below:
//
//   - Writes of new work (InsertMessage, PutPendingGroup, Blocks.PutMany:
//     what new messages and downloads add) fail with storage.ErrStorageFull
//     when they would leave less than Options.MinFree (DefaultMinFree),
//     the headroom and the room the reserve below still lacks free.
//   - Every write fails so below the floor, a quarter of MinFree plus the
//     headroom: what is already in Badger's memtables can still be flushed
//     and compacted, and the quarter covers what is written between two
//     measurements, new log files and manifest updates.
//   - A reserve file (Dir/SPACE-RESERVE, allocated with fallocate) holds
//     half of MinFree plus the headroom: what opening the database would
//     need if the process died now (see prepareOpen), and room above the
//     floor once it is released. The store makes it before it takes new
//     work, and grows it as the headroom grows. When the disk fills up
//     from outside (another program, a download of the user's), the store
//     removes it once free space drops below the floor, which gives
//     Badger's pending work its room back; new work stays refused until it
//     is back. Open removes it when the disk is too full to open the
//     database. Without the room even then, Open fails with an error
//     wrapping storage.ErrStorageFull instead of dying.
//
// Free space is measured with statfs (what an unprivileged process may
// use) on the filesystems of Dir and BlocksDir, the smaller counting. A
// measurement is reused for spaceRefresh or until spaceRefreshBytes were
// admitted, whichever comes first, and not at all within spaceNear of
// the floor; the headroom is estimated again every spaceRefresh. A
// goroutine of the store also measures every spacePoll, so that the store
// notices (and reports through Options.SpaceChanged) when space comes back
// without anything being written. The guard only works on Linux;
// elsewhere the free space counts as unlimited.

const (
	// DefaultMinFree is Options.MinFree's default: the free space kept
	// for everything else on the disk, besides the headroom.
	DefaultMinFree = 4 * memTableSize
	ballastName    = "SPACE-RESERVE"
	// openMargin is what Open needs besides flushing the memtable logs
	// and compacting: the first pages of a new memtable log and value log
	// file, manifest and discard-stats updates.
	openMargin = 1 << 20

	spaceRefresh      = 50 * time.Millisecond
	spaceRefreshBytes = 4 << 20
	spaceNear         = 64 << 20
	spacePoll         = time.Second
)

// Space is the store's view of the free disk space.
type Space struct {
	// Free is how many bytes are available on the fullest filesystem
	// holding the store (math.MaxUint64 when it cannot be measured).
	Free uint64
	// MinFree is the free space below which new work is refused:
	// Options.MinFree plus Headroom.
	MinFree uint64
	// Headroom is the part of MinFree kept for the database itself: the
	// flushes and compactions its current shape may run next, and the
	// room its space reserve still lacks. It changes as the database
	// does.
	Headroom uint64
	// Full reports Free < MinFree: new work is refused.
	Full bool
}

// spaceGuard measures the free space and refuses writes that would take
// it too low.
type spaceGuard struct {
	dirs    []string
	minFree uint64 // Options.MinFree
	floor   uint64 // the floor less the headroom: a quarter of minFree, at least openMargin
	lsm     lsmLimits
	log     *slog.Logger
	changed func(Space) // may be nil
	epoch   time.Time

	// shape returns the sizes of the LSM's levels and how many memtable
	// logs there are; nil until the database is open (the headroom is
	// then prepareOpen's).
	shape func() ([]uint64, int, error)

	free     atomic.Uint64
	headroom atomic.Uint64          // the flushes' and compactions'
	reserve  atomic.Int64           // the reserve file's size; -1 without one (not supported)
	where    atomic.Pointer[string] // the directory whose filesystem has the least room
	checked  atomic.Int64           // when free was measured, in ns since epoch
	shaped   atomic.Int64           // when the headroom was estimated, in ns since epoch
	written  atomic.Int64           // bytes admitted since free was measured
	fullSeen atomic.Bool            // free < limit for new work at the last measurement

	mu sync.Mutex // serialises measurements

	wake chan struct{} // cap 1: the loop should look now
	stop chan struct{}
	done chan struct{}

	// Owned by the loop (and Open, before it starts).
	ballast  string // path of the reserve file
	reported bool   // Full as last reported
}

func newSpaceGuard(dirs []string, minFree uint64, lsm lsmLimits, log *slog.Logger, changed func(Space)) *spaceGuard {
	g := &spaceGuard{
		dirs: dirs, minFree: minFree, floor: max(minFree/4, openMargin), lsm: lsm, log: log, changed: changed, epoch: time.Now(),
		wake: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{}),
	}
	g.shaped.Store(-int64(spaceRefresh)) // stale
	return g
}

// watch makes the guard estimate the headroom from db's shape from now
// on; dir is the database directory.
func (g *spaceGuard) watch(db *bdg.DB, dir string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.shape = func() ([]uint64, int, error) {
		if db.IsClosed() { // Space and CheckSpace may run while the store closes
			return nil, 0, bdg.ErrDBClosed
		}
		n, err := countMemtableLogs(dir)
		return levelSizes(db), n, err
	}
	g.shaped.Store(-int64(spaceRefresh)) // stale
	g.measure()
}

func (g *spaceGuard) now() int64 { return int64(time.Since(g.epoch)) }

// measure runs statfs, estimates the headroom again if it is stale, and
// records the result. It reports a change of fullness to the loop. Hold
// mu.
func (g *spaceGuard) measure() uint64 {
	free, where, err := freeSpace(g.dirs)
	if err != nil {
		g.log.Debug("measure free disk space", "err", err)
		free, where = math.MaxUint64, ""
	}
	if g.shape != nil && g.now()-g.shaped.Load() >= int64(spaceRefresh) {
		if sizes, logs, err := g.shape(); err != nil {
			g.log.Debug("estimate the database's headroom", "err", err) // keep the last one
		} else {
			// The active memtable's log is always there, and may fill up.
			g.headroom.Store(g.lsm.headroom(sizes, uint64(max(logs, 1))*g.lsm.memTable))
		}
		g.shaped.Store(g.now())
	}
	g.free.Store(free)
	g.where.Store(&where)
	g.written.Store(0)
	g.checked.Store(g.now())
	if full := free < g.limits().minFree; g.fullSeen.Swap(full) != full {
		g.poke()
	}
	return free
}

// spaceLimits are the guard's limits at a moment.
type spaceLimits struct {
	headroom uint64 // for flushes and compactions
	lacking  uint64 // the room the reserve file still lacks
	minFree  uint64 // new work needs this much free
	floor    uint64 // every write needs this much free
}

func (g *spaceGuard) limits() spaceLimits {
	l := spaceLimits{headroom: g.headroom.Load()}
	if have := g.reserve.Load(); have >= 0 {
		l.lacking = g.reserveWant(l.headroom) - min(g.reserveWant(l.headroom), uint64(have))
	}
	l.minFree = g.minFree + l.headroom + l.lacking
	l.floor = g.floor + l.headroom
	return l
}

// reserveWant is the size the reserve file should have: what opening
// the database would need if the process died now (the memtables,
// replayed and flushed, and the compactions: the headroom, and
// openMargin), and room for a quarter of MinFree beyond the floor once
// it is released.
func (g *spaceGuard) reserveWant(headroom uint64) uint64 {
	return headroom + max(g.minFree/2, g.floor+openMargin)
}

func (g *spaceGuard) poke() {
	select {
	case g.wake <- struct{}{}:
	default:
	}
}

// current returns the free space: the last measurement less the bytes
// admitted since, or a new measurement when that one is stale or the
// disk is near the floor.
func (g *spaceGuard) current() uint64 {
	written := uint64(g.written.Load())
	free := g.free.Load()
	left := free - min(free, written)
	if g.now()-g.checked.Load() < int64(spaceRefresh) && written < spaceRefreshBytes &&
		left >= g.limits().floor+spaceNear {
		return left
	}
	if !g.mu.TryLock() {
		return left // being measured
	}
	defer g.mu.Unlock()
	return g.measure()
}

// admit checks a write: one of new work (newWork) must leave the limit
// for new work free after its extra bytes, any other the floor. It
// returns an error wrapping storage.ErrStorageFull when it may not run,
// and otherwise counts extra as written.
func (g *spaceGuard) admit(extra uint64, newWork bool) error {
	if g == nil {
		return nil
	}
	free := g.current()
	l := g.limits()
	limit := l.floor
	if newWork {
		limit = l.minFree
	}
	if free >= limit && free-limit >= extra {
		g.written.Add(int64(extra))
		return nil
	}
	if !newWork {
		g.poke() // below the floor: the loop may release the reserve
	}
	where := *g.where.Load()
	keep := fmt.Sprintf("the %s this store keeps free (%s of it for the database's compactions)",
		formatBytes(limit), formatBytes(l.headroom))
	if extra > 0 && free >= limit {
		return fmt.Errorf("%w: %s free on the disk of %s, and %s more would leave less than %s; free some disk space",
			storage.ErrStorageFull, formatBytes(free), where, formatBytes(extra), keep)
	}
	return fmt.Errorf("%w: %s free on the disk of %s, less than %s; free some disk space",
		storage.ErrStorageFull, formatBytes(free), where, keep)
}

func (g *spaceGuard) space() Space {
	return g.spaceAt(g.current())
}

func (g *spaceGuard) spaceAt(free uint64) Space {
	l := g.limits()
	return Space{Free: free, MinFree: l.minFree, Headroom: l.minFree - g.minFree, Full: free < l.minFree}
}

// start runs the loop until close.
func (g *spaceGuard) start() {
	g.poke() // report a disk full at Open
	go g.run()
}

func (g *spaceGuard) close() {
	close(g.stop)
	<-g.done
}

func (g *spaceGuard) run() {
	defer close(g.done)
	t := time.NewTicker(spacePoll)
	defer t.Stop()
	for {
		select {
		case <-g.stop:
			return
		case <-t.C:
			g.remeasure()
		case <-g.wake:
		}
		g.settle()
	}
}

// settle keeps the reserve file and reports a change of fullness.
func (g *spaceGuard) settle() {
	free := g.keepReserve()
	sp := g.spaceAt(free)
	if sp.Full == g.reported {
		return
	}
	g.reported = sp.Full
	if g.changed != nil {
		g.changed(sp)
	}
}

// keepReserve releases, makes or resizes the reserve file, and returns
// the free space after.
func (g *spaceGuard) keepReserve() uint64 {
	free, have := g.free.Load(), g.reserve.Load()
	l := g.limits()
	want := g.reserveWant(l.headroom)
	switch {
	case have < 0:
	case have > 0 && free < l.floor:
		if err := os.Remove(g.ballast); err != nil && !errors.Is(err, fs.ErrNotExist) {
			g.log.Warn("removing the space reserve", "err", err)
			break
		}
		g.reserve.Store(0)
		g.log.Warn("disk nearly full: released the space reserve", "free", free, "reserve", have)
		return g.remeasure()
	case free == math.MaxUint64:
	case uint64(have) < want:
		// An eighth beyond the need, so that the file is not resized for
		// every table the database gains.
		size := roundUp(want+want/8, 1<<20)
		if free < g.minFree+l.headroom+(size-uint64(have)) {
			break // no room
		}
		if err := makeBallast(g.ballast, int64(size)); errors.Is(err, syscall.ENOSPC) {
			g.log.Debug("making the space reserve", "err", err)
			break // another program took the room meanwhile: later
		} else if err != nil {
			g.log.Debug("making the space reserve", "err", err)
			g.reserve.Store(-1) // not supported here: do without
			if have > 0 {
				os.Remove(g.ballast)
			}
			break
		}
		g.reserve.Store(int64(size))
		return g.remeasure()
	case uint64(have) > 2*want:
		size := roundUp(want+want/8, 1<<20)
		if err := os.Truncate(g.ballast, int64(size)); err != nil {
			g.log.Debug("shrinking the space reserve", "err", err)
			break
		}
		g.reserve.Store(int64(size))
		return g.remeasure()
	}
	return free
}

func roundUp(n, to uint64) uint64 { return (n + to - 1) / to * to }

func (g *spaceGuard) remeasure() uint64 {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.measure()
}

// prepareOpen checks that Badger has room to open the database in dir:
// to replay its memtable logs and flush them into tables, and to run the
// compactions its shape then calls for (the headroom with the logs as
// the memtables to flush), and openMargin. It releases the reserve file
// if it must, and records the reserve's size.
func (g *spaceGuard) prepareOpen(dir string, bo bdg.Options) error {
	g.ballast = filepath.Join(dir, ballastName)
	info, err := os.Stat(g.ballast)
	exists := err == nil
	if exists {
		g.reserve.Store(info.Size())
	}
	sizes, orphans, err := diskLevels(dir, bo)
	if err != nil {
		return err
	}
	_, logs, err := memtableLogs(dir)
	if err != nil {
		return err
	}
	need := g.lsm.headroom(sizes, logs) + openMargin
	g.mu.Lock()
	defer g.mu.Unlock()
	// Until the database is open, the headroom is what opening needs.
	g.headroom.Store(need)
	// Badger deletes the tables its manifest does not list before it
	// does anything else.
	free := g.measure()
	if free+orphans >= need {
		return nil
	}
	if exists {
		if err := os.Remove(g.ballast); err != nil {
			return fmt.Errorf("remove space reserve: %w", err)
		}
		g.reserve.Store(0)
		g.log.Warn("disk full: released the space reserve to open the database", "free", free, "need", need)
		if free = g.measure(); free+orphans >= need {
			return nil
		}
	}
	return fmt.Errorf("%w: %s free on the disk of %s, and opening the database needs %s; free some disk space",
		storage.ErrStorageFull, formatBytes(free), dir, formatBytes(need))
}

// formatBytes writes n in MiB (or KiB below one MiB).
func formatBytes(n uint64) string {
	if n == math.MaxUint64 {
		return "unlimited"
	}
	if n < 1<<20 {
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
}
