package badger

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
)

// Pack segments hold the large blocks of a store with a BlocksDir: each
// block is appended to the active segment, a file named "pack-" and 16 hex
// digits of its ID, and its "B" index entry records segment, offset and
// size. Appending to one file costs a fraction of creating a file per
// block (ext4 inode allocation, and fresh page-cache pages that the
// hypervisor faults in): a 64 MiB fetch between two loopback nodes took
// 1.50-1.55 times the CPU of a raw libp2p stream with a file per block,
// 1.29-1.40 with packs.
//
// Crash safety rests on the index as before: a block is written (and
// synced when the store syncs its writes) before its index entry, which is
// what makes it exist. Bytes no index entry points to, such as a block torn
// by a crash or one stored twice by racing writers, are dead space. A
// segment is only ever appended to by the process that created it (a new
// one is started after Open), so a torn tail is never written over.
//
// Space comes back in two ways. A segment that no index entry points to any
// more is removed at once (by DeleteBlocks, or at Open). A segment that is
// at least half dead space is compacted by Blocks.Compact, which the store
// runs with value-log GC: its live blocks are copied to the active segment
// and their index entries moved in transactions that only apply if the
// entry still points to the old copy; the emptied segment is then removed.
//
// The live bytes of every segment are counted in memory: from the index at
// Open, then by every change to an index entry after it commits. Appends in
// progress are counted too, so a segment is never removed between a block's
// write and its index entry.
type packs struct {
	dir  string
	sync bool
	log  *slog.Logger

	mu      sync.Mutex // guards everything below
	segs    map[uint64]*segment
	active  *segment // appended to; nil until the next append
	next    uint64   // ID of the next segment
	open    int      // segments with an open file
	segSize int64    // an append that would grow the active segment past this starts a new one
	// Without sync: the segments appended to, and whether one was
	// created, since the last syncDirty (see durable.go).
	dirty    []*segment
	dirtyDir bool
}

// segment is one pack file.
type segment struct {
	id      uint64
	f       *os.File // nil while closed
	size    int64    // bytes written or reserved
	live    int64    // bytes of blocks the index points to
	pending int      // appends whose index entry is not settled yet
	refs    int      // reads and writes using f now
	gone    bool     // removed: f is closed when refs drops to zero
	dirty   bool     // in packs.dirty
}

// loc is where a packed block lives.
type loc struct {
	seg  uint64
	off  int64
	size int
}

const (
	// defaultSegmentSize is the size a segment grows to before the next
	// append starts a new one.
	defaultSegmentSize = 64 << 20
	// maxOpenSegments bounds the segment files kept open for reading.
	maxOpenSegments = 64
	segmentPrefix   = "pack-"
)

// errSegmentGone is a read of a segment that was removed after its index
// entry was read: compaction moved the block meanwhile.
var errSegmentGone = errors.New("segment removed")

// openPacks lists the segments in dir; the caller accounts their live
// blocks from the index, then calls dropEmpty.
func openPacks(dir string, syncWrites bool, log *slog.Logger) (*packs, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	p := &packs{dir: dir, sync: syncWrites, log: log, segs: make(map[uint64]*segment), segSize: defaultSegmentSize}
	for _, e := range entries {
		id, ok := parseSegmentName(e.Name())
		if !ok || !e.Type().IsRegular() {
			continue
		}
		info, err := e.Info()
		if err != nil {
			return nil, err
		}
		p.segs[id] = &segment{id: id, size: info.Size()}
		p.next = max(p.next, id+1)
	}
	return p, nil
}

func parseSegmentName(name string) (uint64, bool) {
	hex, ok := strings.CutPrefix(name, segmentPrefix)
	if !ok || len(hex) != 16 {
		return 0, false
	}
	id, err := strconv.ParseUint(hex, 16, 64)
	return id, err == nil
}

func (p *packs) path(id uint64) string {
	return filepath.Join(p.dir, fmt.Sprintf("%s%016x", segmentPrefix, id))
}

// account counts an index entry found at Open; it reports false for an
// entry past the end of its segment or in no segment.
func (p *packs) account(l loc) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := p.segs[l.seg]
	if s == nil || l.off+int64(l.size) > s.size {
		return false
	}
	s.live += int64(l.size)
	return true
}

// dropEmpty removes the segments no index entry points to.
func (p *packs) dropEmpty() {
	p.mu.Lock()
	var doomed []string
	for _, s := range p.segs {
		doomed = p.removeIfEmpty(s, doomed)
	}
	p.mu.Unlock()
	p.unlink(doomed)
}

// append writes data to the active segment and returns where. The caller
// must settle the returned location once its index entry is written or
// abandoned.
func (p *packs) append(data []byte) (loc, error) {
	p.mu.Lock()
	s := p.active
	if s == nil || (s.size > 0 && s.size+int64(len(data)) > p.segSize) {
		var err error
		if s, err = p.create(); err != nil {
			p.mu.Unlock()
			return loc{}, err
		}
		p.active = s
	}
	l := loc{seg: s.id, off: s.size, size: len(data)}
	s.size += int64(len(data))
	s.pending++
	s.refs++
	f := s.f
	p.mu.Unlock()

	_, err := f.WriteAt(data, l.off)
	if err == nil && p.sync {
		err = f.Sync()
	}
	p.mu.Lock()
	p.unref(s)
	if err != nil && p.active == s {
		p.active = nil // start afresh rather than after a short write
	}
	if err == nil && !p.sync && !s.dirty {
		s.dirty = true
		p.dirty = append(p.dirty, s)
	}
	p.mu.Unlock()
	if err != nil {
		p.settle(l, false)
		return loc{}, err
	}
	return l, nil
}

// create starts a new segment. p.mu is held.
func (p *packs) create() (*segment, error) {
	id := p.next
	f, err := os.OpenFile(p.path(id), os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, err
	}
	if p.sync {
		if err := syncDir(p.dir); err != nil {
			f.Close()
			os.Remove(f.Name())
			return nil, err
		}
	}
	p.dirtyDir = p.dirtyDir || !p.sync
	p.next++
	s := &segment{id: id, f: f}
	p.segs[id] = s
	p.open++
	return s, nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

// syncDirty fsyncs the segments appended to since the last call, and the
// directory when one was created. A segment removed meanwhile is skipped:
// nothing points into it.
func (p *packs) syncDirty() error {
	p.mu.Lock()
	segs := p.dirty
	p.dirty = nil
	dir := p.dirtyDir
	p.dirtyDir = false
	files := make([]*os.File, len(segs)) // nil: open the segment's path, or skip it if removed
	skip := make([]bool, len(segs))
	for i, s := range segs {
		s.dirty = false
		switch {
		case s.gone:
			skip[i] = true
		case s.f != nil:
			s.refs++
			files[i] = s.f
		}
	}
	p.mu.Unlock()

	var errs []error
	var failed []*segment
	for i, s := range segs {
		var err error
		switch {
		case skip[i]:
		case files[i] != nil:
			err = files[i].Sync()
			p.mu.Lock()
			p.unref(s)
			p.mu.Unlock()
		default:
			if err = syncFile(p.path(s.id)); errors.Is(err, os.ErrNotExist) {
				err = nil // removed meanwhile
			}
		}
		if err != nil {
			errs = append(errs, err)
			failed = append(failed, s)
		}
	}
	if dir {
		if err := syncDir(p.dir); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 { // try again next time
		p.mu.Lock()
		for _, s := range failed {
			if !s.dirty {
				s.dirty = true
				p.dirty = append(p.dirty, s)
			}
		}
		p.dirtyDir = p.dirtyDir || dir
		p.mu.Unlock()
	}
	return errors.Join(errs...)
}

// settle ends an append: indexed tells whether its index entry was
// written (the bytes are live) or not (they are dead space).
func (p *packs) settle(l loc, indexed bool) {
	p.mu.Lock()
	s := p.segs[l.seg]
	var doomed []string
	if s != nil {
		s.pending--
		if indexed {
			s.live += int64(l.size)
		}
		doomed = p.removeIfEmpty(s, nil)
	}
	p.mu.Unlock()
	p.unlink(doomed)
}

// release accounts for index entries that no longer point to their
// locations (deleted, or moved by compaction) and removes the segments
// left empty.
func (p *packs) release(ls []loc) {
	p.mu.Lock()
	var doomed []string
	for _, l := range ls {
		if s := p.segs[l.seg]; s != nil {
			s.live -= int64(l.size)
			doomed = p.removeIfEmpty(s, doomed)
		}
	}
	p.mu.Unlock()
	p.unlink(doomed)
}

// removeIfEmpty forgets s if nothing points into it and appends its path
// to doomed, for unlink after p.mu is released (IDs are never reused, so
// the path names s alone). p.mu is held.
func (p *packs) removeIfEmpty(s *segment, doomed []string) []string {
	if s.gone || s.live > 0 || s.pending > 0 {
		return doomed
	}
	if p.active == s {
		p.active = nil
	}
	s.gone = true
	delete(p.segs, s.id)
	if s.refs == 0 {
		p.closeFile(s)
	}
	return append(doomed, p.path(s.id))
}

func (p *packs) unlink(paths []string) {
	for _, path := range paths {
		if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
			p.log.Warn("removing empty block segment", "file", filepath.Base(path), "err", err)
		}
	}
}

// read copies the block at l into buf (reusing its capacity).
func (p *packs) read(l loc, buf []byte) ([]byte, error) {
	p.mu.Lock()
	s := p.segs[l.seg]
	if s == nil {
		p.mu.Unlock()
		return nil, errSegmentGone
	}
	if s.f == nil {
		f, err := os.Open(p.path(s.id))
		if err != nil {
			p.mu.Unlock()
			return nil, err
		}
		s.f = f
		p.open++
		p.evict()
	}
	s.refs++
	f := s.f
	p.mu.Unlock()

	if cap(buf) < l.size {
		buf = make([]byte, l.size)
	}
	buf = buf[:l.size]
	_, err := f.ReadAt(buf, l.off)
	p.mu.Lock()
	p.unref(s)
	p.mu.Unlock()
	if errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%w: segment %d ends before the block at %d", ErrCorrupt, l.seg, l.off)
	}
	if err != nil {
		return nil, err
	}
	return buf, nil
}

// unref ends a use of s.f. p.mu is held.
func (p *packs) unref(s *segment) {
	if s.refs--; s.refs == 0 && s.gone {
		p.closeFile(s)
	}
}

// evict closes idle segment files while more than maxOpenSegments are
// open: half of them at once, so the scan is rare. p.mu is held.
func (p *packs) evict() {
	if p.open <= maxOpenSegments {
		return
	}
	for _, s := range p.segs {
		if p.open <= maxOpenSegments/2 {
			return
		}
		if s.f != nil && s.refs == 0 && s.pending == 0 && s != p.active {
			p.closeFile(s)
		}
	}
}

// closeFile closes s's file. p.mu is held and nothing uses the file.
func (p *packs) closeFile(s *segment) {
	if s.f == nil {
		return
	}
	if err := s.f.Close(); err != nil {
		p.log.Warn("closing block segment", "segment", s.id, "err", err)
	}
	s.f = nil
	p.open--
}

// sparse returns the segments that are at least half dead space and have
// no appends in progress; an active one among them is retired, so that
// nothing is appended to a segment being compacted.
func (p *packs) sparse() map[uint64]bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make(map[uint64]bool)
	for id, s := range p.segs {
		if s.pending == 0 && s.size > 0 && 2*(s.size-s.live) >= s.size {
			out[id] = true
			if p.active == s {
				p.active = nil
			}
		}
	}
	return out
}

// usage returns the bytes in segments and the bytes of live blocks.
func (p *packs) usage() (size, live int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, s := range p.segs {
		size += s.size
		live += s.live
	}
	return size, live
}

// close closes every segment file; the store is closed and nothing uses
// them.
func (p *packs) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, s := range p.segs {
		p.closeFile(s)
	}
	p.active = nil
}
