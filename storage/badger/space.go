package badger

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pigeon-net/pigeon/storage"
)

// Free space. Badger writes its memtable logs (NNNNN.mem) and value log
// files (NNNNNN.vlog) through shared memory maps of sparse files, and
// creates its tables (.sst) by copying into a memory map of a new file.
// When the filesystem has no block left for a page written that way, the
// kernel sends SIGBUS instead of returning an error, and the process dies;
// with a memtable log left to replay and flush, it dies again at the next
// start. (Pack segments are written with write(2), which fails with ENOSPC
// instead.) So the store keeps Badger away from a full disk:
//
//   - Writes of new work (InsertMessage, PutPendingGroup, Blocks.PutMany:
//     what new messages and downloads add) fail with storage.ErrStorageFull
//     when they would leave less than Options.MinFree free (DefaultMinFree:
//     room for the memtable log to fill, its flush into a table, and a
//     level-0 compaction of this store's small tables).
//   - Every write fails so below a quarter of MinFree (the floor), which
//     leaves Badger room for the work already handed to it.
//   - A reserve file of half MinFree (Dir/SPACE-RESERVE, allocated with
//     fallocate; by default room to flush two full memtable logs into
//     tables) is kept while there is room for it. When the disk
//     fills up from outside (another program, a download of the user's),
//     the store removes it once free space drops below the floor, and Open
//     removes it when the disk is too full to open the database: opening
//     replays what the memtable logs hold and flushes it into tables,
//     which needs about as much space as the logs hold. Without the room
//     even then, Open fails with an error wrapping storage.ErrStorageFull
//     instead of dying. The reserve comes back once there is room again.
//
// Free space is measured with statfs (what an unprivileged process may
// use) on the filesystems of Dir and BlocksDir, the smaller counting. A
// measurement is reused for spaceRefresh or until spaceRefreshBytes of
// blocks were written, whichever comes first; a goroutine of the store
// also measures every spacePoll, so that the store notices (and reports
// through Options.SpaceChanged) when space comes back without anything
// being written. The guard only works on Linux; elsewhere the free space
// counts as unlimited.

const (
	// DefaultMinFree is Options.MinFree's default.
	DefaultMinFree = 4 * memTableSize
	ballastName    = "SPACE-RESERVE"
	// openMargin is what Open needs besides flushing the memtable logs:
	// the first pages of a new memtable log and value log file, manifest
	// and discard-stats updates.
	openMargin = 1 << 20

	spaceRefresh      = 50 * time.Millisecond
	spaceRefreshBytes = 4 << 20
	spacePoll         = time.Second
)

// Space is the store's view of the free disk space.
type Space struct {
	// Free is how many bytes are available on the fullest filesystem
	// holding the store (math.MaxUint64 when it cannot be measured).
	Free uint64
	// MinFree is the free space below which new work is refused.
	MinFree uint64
	// Full reports Free < MinFree: new work is refused.
	Full bool
}

// spaceGuard measures the free space and refuses writes that would take
// it too low.
type spaceGuard struct {
	dirs    []string
	minFree uint64
	floor   uint64
	ballast string // path of the reserve file; "" without one
	reserve uint64 // its size
	log     *slog.Logger
	changed func(Space) // may be nil
	epoch   time.Time

	free     atomic.Uint64
	where    atomic.Pointer[string] // the directory whose filesystem has the least room
	checked  atomic.Int64           // when free was measured, in ns since epoch
	written  atomic.Int64           // block bytes written since
	fullSeen atomic.Bool            // free < minFree at the last measurement

	mu sync.Mutex // serialises measurements

	wake chan struct{} // cap 1: the loop should look now
	stop chan struct{}
	done chan struct{}

	// Owned by the loop (and Open, before it starts).
	reported    bool // Full as last reported
	haveBallast bool
}

func newSpaceGuard(dirs []string, minFree uint64, log *slog.Logger, changed func(Space)) *spaceGuard {
	g := &spaceGuard{
		dirs: dirs, minFree: minFree, floor: minFree / 4, reserve: minFree / 2, log: log, changed: changed, epoch: time.Now(),
		wake: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{}),
	}
	g.measure()
	return g
}

// measure runs statfs and records the result. It reports a change of
// fullness to the loop.
func (g *spaceGuard) measure() uint64 {
	free, where, err := freeSpace(g.dirs)
	if err != nil {
		g.log.Debug("measure free disk space", "err", err)
		free, where = math.MaxUint64, ""
	}
	g.free.Store(free)
	g.where.Store(&where)
	g.written.Store(0)
	g.checked.Store(int64(time.Since(g.epoch)))
	if full := free < g.minFree; g.fullSeen.Swap(full) != full {
		g.poke()
	}
	return free
}

func (g *spaceGuard) poke() {
	select {
	case g.wake <- struct{}{}:
	default:
	}
}

// current returns the free space: the last measurement less the block
// bytes written since, or a new measurement when that one is stale.
func (g *spaceGuard) current() uint64 {
	written := g.written.Load()
	if int64(time.Since(g.epoch))-g.checked.Load() < int64(spaceRefresh) && written < spaceRefreshBytes {
		return g.free.Load() - min(g.free.Load(), uint64(written))
	}
	if !g.mu.TryLock() {
		return g.free.Load() - min(g.free.Load(), uint64(written)) // being measured
	}
	defer g.mu.Unlock()
	return g.measure()
}

// wrote counts block bytes written.
func (g *spaceGuard) wrote(n int) {
	if g != nil {
		g.written.Add(int64(n))
	}
}

// admit checks a write: one of new work (newWork) must leave MinFree free
// after its extra bytes, any other the floor. It returns an error wrapping
// storage.ErrStorageFull when it may not run.
func (g *spaceGuard) admit(extra uint64, newWork bool) error {
	if g == nil {
		return nil
	}
	limit := g.floor
	if newWork {
		limit = g.minFree
	}
	free := g.current()
	if free >= limit && free-limit >= extra {
		return nil
	}
	if !newWork {
		g.poke() // below the floor: the loop may release the reserve
	}
	where := *g.where.Load()
	if extra > 0 && free >= limit {
		return fmt.Errorf("%w: %s free on the disk of %s, and %s more would leave less than the %s this store keeps free; free some disk space",
			storage.ErrStorageFull, formatBytes(free), where, formatBytes(extra), formatBytes(g.minFree))
	}
	return fmt.Errorf("%w: %s free on the disk of %s, less than the %s this store keeps free; free some disk space",
		storage.ErrStorageFull, formatBytes(free), where, formatBytes(g.minFree))
}

func (g *spaceGuard) space() Space {
	free := g.current()
	return Space{Free: free, MinFree: g.minFree, Full: free < g.minFree}
}

// start runs the loop until close.
func (g *spaceGuard) start() {
	g.poke() // report a disk full at Open, make the reserve
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
			g.mu.Lock()
			g.measure()
			g.mu.Unlock()
		case <-g.wake:
		}
		g.settle()
	}
}

// settle releases or makes the reserve file and reports a change of
// fullness.
func (g *spaceGuard) settle() {
	free := g.free.Load()
	switch {
	case g.ballast == "":
	case g.haveBallast && free < g.floor:
		if err := os.Remove(g.ballast); err != nil && !errors.Is(err, fs.ErrNotExist) {
			g.log.Warn("removing the space reserve", "err", err)
			break
		}
		g.haveBallast = false
		g.log.Warn("disk nearly full: released the space reserve", "free", free, "reserve", g.reserve)
		free = g.remeasure()
	case !g.haveBallast && free != math.MaxUint64 && free >= g.minFree+g.reserve:
		if err := makeBallast(g.ballast, int64(g.reserve)); err != nil {
			g.log.Debug("making the space reserve", "err", err)
			g.ballast = "" // not supported here: do without
			break
		}
		g.haveBallast = true
		free = g.remeasure()
	}
	full := free < g.minFree
	if full == g.reported {
		return
	}
	g.reported = full
	if g.changed != nil {
		g.changed(Space{Free: free, MinFree: g.minFree, Full: full})
	}
}

func (g *spaceGuard) remeasure() uint64 {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.measure()
}

// prepareOpen checks that Badger has room to open the database in dir,
// releasing the reserve file if it must, and records whether the reserve
// is there.
func (g *spaceGuard) prepareOpen(dir string) error {
	g.ballast = filepath.Join(dir, ballastName)
	info, err := os.Stat(g.ballast)
	exists := err == nil
	g.haveBallast = exists && uint64(info.Size()) >= g.reserve
	need, err := openNeed(dir)
	if err != nil {
		return err
	}
	free := g.measure()
	if free >= need {
		return nil
	}
	if exists {
		if err := os.Remove(g.ballast); err != nil {
			return fmt.Errorf("remove space reserve: %w", err)
		}
		g.haveBallast = false
		g.log.Warn("disk full: released the space reserve to open the database", "free", free, "need", need)
		if free = g.measure(); free >= need {
			return nil
		}
	}
	return fmt.Errorf("%w: %s free on the disk of %s, and opening the database needs %s; free some disk space",
		storage.ErrStorageFull, formatBytes(free), dir, formatBytes(need))
}

// openNeed is the free space opening the database in dir needs: what its
// memtable logs hold (replayed and flushed into tables) and openMargin.
func openNeed(dir string) (uint64, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return openMargin, nil
	}
	if err != nil {
		return 0, err
	}
	need := uint64(openMargin)
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".mem") {
			continue
		}
		n, err := allocated(filepath.Join(dir, e.Name()))
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return 0, err
		}
		need += n
	}
	return need, nil
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
