package badger

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
)

// Durability. A commit is in the operating system's page cache when it
// returns: it survives a crash of the process (kill -9) but not of the
// machine (a power loss, a phone whose battery dies). Options.SyncWrites
// fsyncs every commit; the node instead calls WaitDurable before it tells
// anyone else it has something (an ack, a receipt, a 201), which makes
// everything committed before the call durable with one fsync shared by
// every caller waiting at the time (group commit, as storage/mailboxstore
// does for a relay's deposits):
//
//	waiter A:  commit ─ wait ─────────── sync 1 ─ done
//	waiter B:        commit ─ wait ───── (sync 1 started before B's
//	                                       commit may have landed: B waits)
//	                                     ─────────── sync 2 ─ done
//	waiter C:               commit ─ wait (joins B's sync 2)
//
// A round of syncs starts only after every waiter in it arrived, so it
// covers their commits. The first waiter of a round runs it; those that
// arrive while it runs wait for the next round, which starts when it ends
// and covers all of them. A single writer thus pays one fsync, and many
// concurrent writers share one per round.
//
// What a round syncs: the pack segments appended to since the last round
// (with their directory when a segment was created), then Badger's logs:
// the active memtable's log, and the active value log file if it was
// written. A commit may also sit in a log Badger stopped writing since (a
// full memtable becomes immutable and gets a new log; a value log file
// that reached its size is followed by a new one): Badger syncs such a
// file only with SyncWrites on, and the memtable's data reaches a synced
// table only when its flush ends. So a round also fsyncs the logs rotated
// out since the last round. (Badger's db.Sync syncs only the active ones.)
// On Linux an fsync of a file flushes the pages written through a shared
// memory map of it too, which is how Badger writes its logs.
//
// Open fsyncs the logs there are once, so that what an earlier process
// left in the page cache is durable before anything is acknowledged again
// (a retransmission of a message it stored is acked as a duplicate).

// syncer runs group-committed syncs.
type syncer struct {
	sync func() error

	mu      sync.Mutex    // guards running and next
	running chan struct{} // closed when the round in progress ends; nil when none runs
	next    *syncRound    // the round that waiters arriving now join; it starts after the running one
}

// syncRound is one sync and the waiters it answers.
type syncRound struct {
	done    chan struct{} // closed when the sync ended; err is set then
	err     error
	started bool // guarded by syncer.mu
	waiters int  // guarded by syncer.mu: how many joined it (tests look)
}

// wait returns once a sync that started after the call has ended, with its
// error. ctx only bounds the waiting: a sync in progress runs to its end.
func (s *syncer) wait(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	r := s.next
	if r == nil {
		r = &syncRound{done: make(chan struct{})}
		s.next = r
	}
	r.waiters++
	for {
		if r.started {
			s.mu.Unlock()
			select {
			case <-r.done:
				return r.err
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		if s.running == nil { // run r
			r.started = true
			s.next = nil
			s.running = r.done
			s.mu.Unlock()
			r.err = s.sync()
			s.mu.Lock()
			s.running = nil
			s.mu.Unlock()
			close(r.done)
			return r.err
		}
		prev := s.running
		s.mu.Unlock()
		select {
		case <-prev:
		case <-ctx.Done():
			return ctx.Err()
		}
		s.mu.Lock()
	}
}

// WaitDurable returns once everything committed before the call is durable
// (fsynced, with the blocks written before it): call it after a commit and
// before acknowledging what it stored. Concurrent callers share fsyncs. It
// returns at once for an in-memory store or one that syncs every write.
// ctx bounds only the waiting; an error means the sync failed (or ctx
// ended) and the commits may not be durable.
func (s *Store) WaitDurable(ctx context.Context) error {
	if s.syncs == nil {
		return nil
	}
	if err := s.acquire(); err != nil {
		return fmt.Errorf("wait durable: %w", err)
	}
	defer s.release()
	if err := s.syncs.wait(ctx); err != nil {
		return fmt.Errorf("wait durable: %w", err)
	}
	return nil
}

// syncRoundNow is one round: the hook, the pack segments, then Badger's
// logs.
func (s *Store) syncRoundNow() error {
	if s.syncHook != nil {
		s.syncHook()
	}
	if s.logs == nil { // in memory, or every write synced
		return nil
	}
	if s.packs != nil {
		if err := s.packs.syncDirty(); err != nil {
			return fmt.Errorf("sync blocks: %w", err)
		}
	}
	if err := s.logs.sync(); err != nil {
		return fmt.Errorf("sync log: %w", err)
	}
	return nil
}

// badgerLogs fsyncs Badger's memtable logs (NNNNN.mem) and value log
// files (NNNNNN.vlog) itself rather than through db.Sync, which syncs the
// active value log file every time: that file is only written for values
// of valueThreshold bytes or more (long messages, larger blocks: most
// commits have none), and an fsync of a file with
// nothing to write still costs a disk cache flush, which doubled the cost
// of a round. A file is found by number (Badger numbers them in order);
// only the round running touches a badgerLogs.
type badgerLogs struct {
	dir   string
	mem   logSeries
	vlog  logSeries
	found []string // the log files there were at Open
}

// logSeries is one kind of numbered log file; Badger writes the newest.
type logSeries struct {
	format string   // fmt verb of a file name from its number
	last   uint64   // number of the newest file seen
	f      *os.File // the newest file, once opened
	// onlyGrown (value log) syncs the newest file only when it takes more
	// disk blocks than at its last sync: Badger writes it through a memory
	// map of a sparse file, appending entries of at least valueThreshold
	// bytes, so every write allocates blocks. A file that is not sparse
	// (a filesystem without holes) is synced every round.
	onlyGrown bool
	blocks    int64 // allocated 512-byte blocks of the newest file at its last sync; -1: none yet
	synced    int   // fsyncs made (tests look)
}

func newBadgerLogs(dir string) (*badgerLogs, error) {
	l := &badgerLogs{
		dir: dir,
		mem: logSeries{format: "%05d.mem", blocks: -1}, vlog: logSeries{format: "%06d.vlog", onlyGrown: true, blocks: -1},
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		name := e.Name()
		if id, ok := logNumber(name, ".mem"); ok {
			l.mem.last = max(l.mem.last, id)
			l.found = append(l.found, name)
		}
		if id, ok := logNumber(name, ".vlog"); ok {
			l.vlog.last = max(l.vlog.last, id)
			l.found = append(l.found, name)
		}
	}
	return l, nil
}

// syncExisting fsyncs the memtable logs and value log files that were
// there at Open.
func (l *badgerLogs) syncExisting() error {
	for _, name := range l.found {
		if err := syncFile(filepath.Join(l.dir, name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}

func logNumber(name, ext string) (uint64, bool) {
	num, ok := strings.CutSuffix(name, ext)
	if !ok {
		return 0, false
	}
	id, err := strconv.ParseUint(num, 10, 32)
	return id, err == nil
}

func (l *badgerLogs) sync() error {
	return errors.Join(l.syncSeries(&l.mem), l.syncSeries(&l.vlog))
}

// syncSeries fsyncs the files Badger moved on from since the last round
// (from the last newest on), then the newest. A file that is gone was
// flushed into a table (a memtable log) or collected (a value log): Badger
// synced what it holds.
func (l *badgerLogs) syncSeries(s *logSeries) error {
	for {
		_, err := os.Stat(l.path(s, s.last+1))
		if errors.Is(err, fs.ErrNotExist) {
			break
		}
		if err != nil {
			return err
		}
		if err := l.syncNewest(s, true); err != nil {
			return err
		}
		if s.f != nil {
			s.f.Close()
		}
		s.f, s.blocks = nil, -1
		s.last++
	}
	return l.syncNewest(s, false)
}

// syncNewest fsyncs the newest file of s (with s.onlyGrown and not all,
// only when it grew).
func (l *badgerLogs) syncNewest(s *logSeries, all bool) error {
	if s.f == nil {
		f, err := os.Open(l.path(s, s.last))
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		s.f = f
	}
	blocks := int64(-1)
	if s.onlyGrown {
		size, allocated, err := fileBlocks(s.f)
		if err != nil {
			return err
		}
		if allocated*512 < size { // sparse: growth shows
			blocks = allocated
		}
		if !all && blocks >= 0 && blocks == s.blocks {
			return nil
		}
	}
	if err := s.f.Sync(); err != nil {
		return err
	}
	s.blocks = blocks
	s.synced++
	return nil
}

func (l *badgerLogs) path(s *logSeries, id uint64) string {
	return filepath.Join(l.dir, fmt.Sprintf(s.format, id))
}

// close closes the files kept open.
func (l *badgerLogs) close() {
	for _, s := range []*logSeries{&l.mem, &l.vlog} {
		if s.f != nil {
			s.f.Close()
			s.f = nil
		}
	}
}

func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
