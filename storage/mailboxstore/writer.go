package mailboxstore

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"runtime"
	"time"

	bdg "github.com/dgraph-io/badger/v4"

	"github.com/pigeon-net/pigeon/protocol/mailbox"
	"github.com/pigeon-net/pigeon/storage"
)

// The writer goroutine applies operations in groups, one Badger
// transaction per group, and overlaps applying one group with committing
// the one before it:
//
//	group n:    apply ─ commit ─ (fsync) ─ answer
//	group n+1:          apply ───────────── commit ─ (fsync) ─ answer
//
// At most one group is in flight (handed to Badger, not yet answered) and
// one is open (taking operations). The open group's transaction was
// created before the group in flight was committed, so it does not see
// that group's writes; what it must see of them, the writer keeps in
// memory:
//
//   - the registrations, quota counters and arrival sequence, as applied
//     (caches, filled from the database on a miss; a miss can only be for
//     something no group in flight has written);
//   - the deposits the group in flight queued or acked (overlay).
//
// An operation that needs more (a registration or prekey change, a quota
// recount, an oversized operation) waits for a quiet group: one opened
// when nothing was in flight, whose transaction sees everything.
//
// The group in flight is committed only after the one before it has been
// answered, and with durability on, its fsync (db.Sync) runs before the
// next group is handed to Badger. That keeps every deposit in the memtable
// whose log db.Sync flushes: a deposit is answered only after an fsync
// that covers it.
//
// If a commit or fsync fails, its operations and those of the open group
// (applied on top of it) fail, and the caches are cleared at the next
// quiet group.

// errNeedQuiet is returned by an operation that must be retried in a
// quiet group.
var errNeedQuiet = errors.New("needs a quiet transaction")

// op is one write operation handed to the writer.
type op struct {
	// apply checks, then writes through w. When it returns an error it
	// must not have written anything nor changed the caches; a failed
	// write marks the whole group failed.
	apply     func(w *wtx) error
	cost      int  // estimated bytes written
	sync      bool // needs an fsync before done when it writes
	exclusive bool // needs a quiet group
	err       error
	done      chan struct{}
}

// group is the operations applied in one transaction.
type group struct {
	txn      *bdg.Txn
	quiet    bool // txn sees every earlier group's writes
	alone    bool // holds one oversized operation
	sync     bool // an fsync is needed before answering
	ops      []*op
	cost     int
	writes   int
	seqLimit uint64                   // s.seqLimit when the group opened
	index    map[depositName]indexRec // deposits queued or acked
	err      error                    // set by the commit callback
}

func (g *group) full() bool {
	return g.alone || len(g.ops) >= maxGroupOps || g.cost >= maxGroupBytes
}

// wtx is what an operation sees of its group.
type wtx struct {
	s      *Store
	g      *group
	txn    *bdg.Txn // for reads; write through set and del
	wrote  bool
	broken error
}

// quiet reports whether txn sees every earlier write.
func (w *wtx) quiet() bool { return w.g.quiet }

func (w *wtx) set(e *bdg.Entry) error {
	if err := w.txn.SetEntry(e); err != nil {
		w.broken = err
		return err
	}
	w.wrote = true
	w.g.writes++
	return nil
}

func (w *wtx) del(k []byte) error {
	if err := w.txn.Delete(k); err != nil {
		w.broken = err
		return err
	}
	w.wrote = true
	w.g.writes++
	return nil
}

// counter returns an account's quota counters as applied. On a miss it
// counts the account's queue keys: no group in flight has written any (it
// would have cached the counters), so the transaction sees them all.
func (w *wtx) counter(account [32]byte) (counters, error) {
	if c, ok := w.s.counters[account]; ok {
		return c, nil
	}
	c, err := recount(w.txn, account)
	if err != nil {
		return counters{}, err
	}
	w.s.counters[account] = c
	return c, nil
}

func (w *wtx) setCounter(account [32]byte, c counters) { w.s.counters[account] = c }

// regInfo is what deposits need of a box's registration.
type regInfo struct {
	until  time.Time  // when it expires; zero without one
	list   uint64     // the device-list version it names
	keys   [][32]byte // deposit credential keys
	quiet  [][32]byte // credential keys of deposits that wake nobody
	closed bool       // no registration: the device closed the box
}

func infoOf(reg mailbox.Registration) regInfo {
	return regInfo{until: reg.ExpiresAt, list: reg.ListVersion, keys: reg.DepositKeys, quiet: reg.QuietKeys}
}

// registration returns what deposits need of the box's registration, as
// applied.
func (w *wtx) registration(box mailbox.Box) (regInfo, error) {
	if ri, ok := w.s.regs[box]; ok {
		return ri, nil
	}
	var ri regInfo
	v, ok, err := get(w.txn, regKey(box))
	if err != nil {
		return ri, err
	}
	if ok {
		reg, err := decodeRegistration(box, v)
		if err != nil {
			return ri, err
		}
		ri = infoOf(reg)
	} else {
		// Badger hides a marker past its expiry.
		if _, ri.closed, err = get(w.txn, closedKey(box)); err != nil {
			return ri, err
		}
	}
	w.s.regs[box] = ri
	return ri, nil
}

// nextSeq takes the next arrival sequence. Sequences are reserved in
// blocks: "S" holds the end of the block in use, written with the first
// deposit past the previous block, so a group rarely writes it.
func (w *wtx) nextSeq() uint64 {
	w.s.lastSeq++
	if w.s.lastSeq > w.s.seqLimit {
		w.s.seqLimit = w.s.lastSeq + seqBlock - 1
	}
	return w.s.lastSeq
}

// submit hands o to the writer and waits for it. Once handed over, an
// operation runs to completion even if ctx ends.
func (s *Store) submit(ctx context.Context, o *op) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	o.done = make(chan struct{})
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return storage.ErrClosed
	}
	s.active++ // the writer runs until Close sees active == 0
	s.queue = append(s.queue, o)
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
	<-o.done
	s.release()
	return o.err
}

// take appends the operations handed over since the last call to queue.
func (s *Store) take(queue []*op) []*op {
	s.mu.Lock()
	if len(queue) == 0 {
		queue, s.queue = s.queue, queue[:0]
	} else {
		queue = append(queue, s.queue...)
		clear(s.queue)
		s.queue = s.queue[:0]
	}
	s.mu.Unlock()
	return queue
}

func (s *Store) writer() {
	defer close(s.writerDone)
	var (
		cur    *group // open
		flight *group // committed, not yet answered
		queue  []*op  // taken, not yet applied
	)
	s.startFilterBuild()
	for {
		queue = s.take(queue)
		queue = s.fill(&cur, flight != nil, queue)
		s.maybeRebuildFilter(cur)
		if flight == nil && cur != nil && len(cur.ops) > 0 {
			flight, cur = s.commit(cur)
			continue
		}
		if flight == nil && cur != nil && len(queue) == 0 {
			cur.txn.Discard() // idle: hold no snapshot
			cur = nil
		}
		select {
		case <-s.wake:
		case g := <-s.completed:
			flight = nil
			if g.err != nil {
				s.stale = true
				if cur != nil {
					cur.txn.Discard()
					s.answer(cur, fmt.Errorf("earlier group failed: %w", g.err))
					cur = nil
				}
				s.answer(g, g.err)
				break
			}
			if s.noSync {
				if cur != nil && len(cur.ops) > 0 {
					flight, cur = s.commit(cur) // keep Badger busy, then answer
				}
				s.answer(g, nil)
				break
			}
			// With fsyncs, the fsync bounds the rate: let the depositors
			// just answered hand in their next deposits, so that the
			// next fsync covers them too.
			s.answer(g, nil)
			runtime.Gosched()
		case r := <-s.filterBuilt:
			s.filterDone(r)
		case <-s.stop:
			if cur != nil {
				cur.txn.Discard()
			}
			return
		}
	}
}

// mustQuiesce reports whether the caches need clearing, which only a
// quiet group may do.
func (s *Store) mustQuiesce() bool {
	return s.stale || len(s.regs) > maxCached || len(s.counters) > maxCached
}

// newGroup opens a group. A quiet one also drops what its transaction
// sees anyway: the overlay, and caches that are stale or too big.
func (s *Store) newGroup(quiet bool) *group {
	if quiet {
		s.dropOverlay()
		if s.stale || len(s.regs) > maxCached {
			clear(s.regs)
		}
		if s.stale || len(s.counters) > maxCached {
			clear(s.counters)
		}
		if s.stale {
			s.seqLimit = s.lastSeq // the block may not have been written: write a new one
		}
		s.stale = false
	}
	idx := s.spare
	s.spare = nil
	if idx == nil {
		idx = make(map[depositName]indexRec, 64)
	}
	return &group{
		txn:      s.db.NewTransaction(true),
		quiet:    quiet,
		seqLimit: s.seqLimit,
		index:    idx,
	}
}

func (s *Store) dropOverlay() {
	if s.overlay != nil {
		clear(s.overlay)
		s.spare = s.overlay
		s.overlay = nil
	}
}

// fill applies queued operations to the open group (opening one if
// needed) for as long as they may join it, and returns the rest.
func (s *Store) fill(cur **group, busy bool, queue []*op) []*op {
	for len(queue) > 0 {
		o := queue[0]
		g := *cur
		if g != nil && g.full() {
			break
		}
		alone := o.cost > aloneCost
		if o.exclusive || alone || s.mustQuiesce() {
			if g == nil || !g.quiet || (alone && len(g.ops) > 0) {
				if busy || (g != nil && len(g.ops) > 0) {
					break // wait for a quiet moment
				}
				if g != nil {
					g.txn.Discard()
				}
				g = s.newGroup(true)
				*cur = g
			}
		} else if g == nil {
			if busy {
				break // cannot happen: a group is opened when one is committed
			}
			g = s.newGroup(true)
			*cur = g
		}
		w := wtx{s: s, g: g, txn: g.txn}
		err := o.apply(&w)
		if err == errNeedQuiet && !g.quiet {
			o.exclusive = true
			continue
		}
		queue[0] = nil
		queue = queue[1:]
		g.ops = append(g.ops, o)
		g.cost += o.cost
		if w.broken != nil {
			// The transaction holds part of this operation: give up the
			// group.
			g.txn.Discard()
			s.answer(g, w.broken)
			*cur = nil
			s.stale = true
			continue
		}
		o.err = err
		if err == nil && o.sync && w.wrote {
			g.sync = true
		}
		g.alone = g.alone || alone
	}
	return queue
}

// commit writes the group's sequence reservation (if it took a new block)
// and hands it to Badger, opening the next group first so that the next
// group's transaction does not wait for this commit. It returns the group
// in flight (nil when there was nothing to write) and the next open group.
func (s *Store) commit(g *group) (flight, next *group) {
	w := &wtx{s: s, g: g, txn: g.txn}
	if s.seqLimit != g.seqLimit {
		w.set(bdg.NewEntry([]byte{pSeq}, binary.BigEndian.AppendUint64(nil, s.seqLimit)))
	}
	if w.broken != nil {
		g.txn.Discard()
		s.answer(g, w.broken)
		s.stale = true
		return nil, nil
	}
	if g.writes == 0 {
		// Refusals and duplicates of answered deposits only.
		s.answer(g, nil)
		g.ops, g.cost, g.sync, g.alone = g.ops[:0], 0, false, false
		return nil, g
	}
	s.dropOverlay()
	next = s.newGroup(false)
	s.overlay = g.index
	g.txn.CommitWith(func(err error) {
		if err == nil && g.sync && !s.noSync {
			err = s.db.Sync()
		}
		g.err = err
		s.completed <- g
	})
	return g, next
}

// answer completes the group's operations; err, if set, fails them all.
func (s *Store) answer(g *group, err error) {
	for i, o := range g.ops {
		if err != nil {
			o.err = fmt.Errorf("commit: %w", err)
		}
		close(o.done)
		g.ops[i] = nil
	}
	g.ops = g.ops[:0]
}
