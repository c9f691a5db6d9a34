package mailboxstore

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	bdg "github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/options"

	"github.com/pigeon-net/pigeon/protocol/mailbox"
	"github.com/pigeon-net/pigeon/storage"
)

var _ mailbox.Store = (*Store)(nil)

// DefaultTTL is how long deposits are kept when Options.TTL is zero.
const DefaultTTL = 30 * 24 * time.Hour

// Options configures Open.
type Options struct {
	// Dir is the database directory, created with mode 0700 if missing.
	// Required unless InMemory.
	Dir string
	// InMemory keeps everything in memory (tests); Dir is ignored.
	InMemory bool
	// TTL is how long a deposit is kept (default DefaultTTL).
	TTL time.Duration
	// NoSync skips the fsync before a deposit returns: deposits then
	// survive a crash of the process but not of the machine.
	NoSync bool
	// Logger receives Badger's own logs; nil discards them.
	Logger *slog.Logger
}

// Tuning. A group's writes must fit in one Badger transaction (15% of the
// memtable, 4.8 MiB here): maxGroupBytes plus one maximal operation does.
const (
	memTableSize     = 32 << 20
	numMemtables     = 3
	blockCacheSize   = 32 << 20
	indexCacheSize   = 16 << 20
	valueThreshold   = 64 << 10
	valueLogFileSize = 256 << 20

	maxGroupOps   = 512
	maxGroupBytes = 2 << 20
	entryCost     = 200 // estimated bytes per written entry, for group sizing

	gcInterval = 10 * time.Minute
	gcDiscard  = 0.5
)

// Store is a relay's mailbox store. It is safe for concurrent use.
type Store struct {
	db     *bdg.DB
	log    *slog.Logger
	ttl    time.Duration
	noSync bool

	// mu guards closed and active; cond signals active reaching zero.
	mu     sync.Mutex
	cond   *sync.Cond
	closed bool
	active int

	ops        chan *op
	stop       chan struct{}
	writerDone chan struct{}
	gcDone     chan struct{}

	// Owned by the writer goroutine: the last arrival sequence, and caches
	// of what is committed (registration expiries, quota counters), so
	// deposits need not read them back from Badger.
	lastSeq  uint64
	group    []*op
	regs     map[mailbox.Box]time.Time
	counters map[[32]byte]counters
}

// maxCached bounds each writer cache; a full cache is cleared.
const maxCached = 100000

// wtx is one group's transaction as the operations see it.
type wtx struct {
	*bdg.Txn
	s        *Store
	counters map[[32]byte]counters // counters changed by this group
	regs     map[mailbox.Box]time.Time
}

// counter returns an account's counters as of this group.
func (w *wtx) counter(account [32]byte) (counters, error) {
	if c, ok := w.counters[account]; ok {
		return c, nil
	}
	if c, ok := w.s.counters[account]; ok {
		return c, nil
	}
	return readCounters(w.Txn, account)
}

// setCounter records an account's counters; they are written once per
// group.
func (w *wtx) setCounter(account [32]byte, c counters) { w.counters[account] = c }

// registeredUntil returns when the box's registration expires, zero if
// there is none.
func (w *wtx) registeredUntil(box mailbox.Box) (time.Time, error) {
	if t, ok := w.regs[box]; ok {
		return t, nil
	}
	if t, ok := w.s.regs[box]; ok {
		return t, nil
	}
	v, ok, err := get(w.Txn, regKey(box))
	if err != nil || !ok {
		return time.Time{}, err
	}
	reg, err := decodeRegistration(box, v)
	if err != nil {
		return time.Time{}, err
	}
	w.regs[box] = reg.ExpiresAt
	return reg.ExpiresAt, nil
}

// op is one write operation handed to the writer.
type op struct {
	// apply checks, then writes into txn. It must not write anything when
	// it returns an error (except ErrTxnTooBig, after which the writer
	// retries it alone).
	apply func(w *wtx) error
	cost  int  // estimated bytes written
	sync  bool // needs an fsync before done
	err   error
	done  chan struct{}
}

// Open opens or creates the store and starts its writer. Close it when done.
func Open(opts Options) (*Store, error) {
	var bo bdg.Options
	if opts.InMemory {
		bo = bdg.DefaultOptions("").WithInMemory(true)
	} else {
		if opts.Dir == "" {
			return nil, fmt.Errorf("open mailbox store: %w: no directory", ErrInvalid)
		}
		if err := os.MkdirAll(opts.Dir, 0o700); err != nil {
			return nil, fmt.Errorf("open mailbox store: %w", err)
		}
		bo = bdg.DefaultOptions(opts.Dir).WithValueThreshold(valueThreshold)
	}
	if opts.TTL < 0 {
		return nil, fmt.Errorf("open mailbox store: %w: negative ttl", ErrInvalid)
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	bo = bo.
		WithSyncWrites(false). // the writer syncs once per group
		WithDetectConflicts(false).
		WithLogger(slogAdapter{log}).
		WithMemTableSize(memTableSize).
		WithNumMemtables(numMemtables).
		WithBlockCacheSize(blockCacheSize).
		WithIndexCacheSize(indexCacheSize).
		WithValueLogFileSize(valueLogFileSize).
		WithNumCompactors(2).
		WithNumGoroutines(2).
		WithMetricsEnabled(false).
		WithCompression(options.None) // envelopes are ciphertext
	db, err := bdg.Open(bo)
	if err != nil {
		return nil, fmt.Errorf("open mailbox store: %w", err)
	}
	s := &Store{
		db: db, log: log, ttl: opts.TTL, noSync: opts.NoSync,
		ops: make(chan *op), stop: make(chan struct{}), writerDone: make(chan struct{}),
		regs: make(map[mailbox.Box]time.Time), counters: make(map[[32]byte]counters),
	}
	if s.ttl == 0 {
		s.ttl = DefaultTTL
	}
	s.cond = sync.NewCond(&s.mu)
	if err := s.init(); err != nil {
		db.Close()
		return nil, fmt.Errorf("open mailbox store: %w", err)
	}
	go s.writer()
	if !opts.InMemory {
		s.gcDone = make(chan struct{})
		go s.gcLoop()
	}
	return s, nil
}

// init checks or writes the schema version and loads the sequence.
func (s *Store) init() error {
	return s.db.Update(func(txn *bdg.Txn) error {
		v, ok, err := get(txn, []byte{pSchema})
		if err != nil {
			return err
		}
		if !ok {
			return txn.Set([]byte{pSchema}, binary.BigEndian.AppendUint32(nil, schemaVersion))
		}
		if len(v) != 4 || binary.BigEndian.Uint32(v) != schemaVersion {
			return fmt.Errorf("%w: schema version %x", storage.ErrSchema, v)
		}
		v, ok, err = get(txn, []byte{pSeq})
		if err != nil || !ok {
			return err
		}
		if len(v) != 8 {
			return fmt.Errorf("%w: sequence", ErrCorrupt)
		}
		s.lastSeq = binary.BigEndian.Uint64(v)
		return nil
	})
}

// Close waits for running operations, stops the writer and GC and closes
// the database. A second call returns an error wrapping storage.ErrClosed.
func (s *Store) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return fmt.Errorf("close mailbox store: %w", storage.ErrClosed)
	}
	s.closed = true
	for s.active > 0 {
		s.cond.Wait()
	}
	s.mu.Unlock()
	close(s.stop)
	<-s.writerDone
	if s.gcDone != nil {
		<-s.gcDone
	}
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("close mailbox store: %w", err)
	}
	return nil
}

func (s *Store) acquire() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return storage.ErrClosed
	}
	s.active++
	return nil
}

func (s *Store) release() {
	s.mu.Lock()
	s.active--
	if s.active == 0 && s.closed {
		s.cond.Broadcast()
	}
	s.mu.Unlock()
}

// submit hands o to the writer and waits for it. Once handed over, an
// operation runs to completion even if ctx ends.
func (s *Store) submit(ctx context.Context, o *op) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := s.acquire(); err != nil {
		return err
	}
	defer s.release()
	o.done = make(chan struct{})
	s.ops <- o // the writer runs until Close sees active == 0
	<-o.done
	return o.err
}

// view runs fn in a read-only snapshot.
func (s *Store) view(fn func(txn *bdg.Txn) error) error {
	if err := s.acquire(); err != nil {
		return err
	}
	defer s.release()
	return s.db.View(fn)
}

func (s *Store) writer() {
	defer close(s.writerDone)
	for {
		var first *op
		select {
		case first = <-s.ops:
		case <-s.stop:
			return
		}
		group := append(s.group[:0], first)
		cost := first.cost
	collect:
		for len(group) < maxGroupOps && cost < maxGroupBytes {
			select {
			case o := <-s.ops:
				group = append(group, o)
				cost += o.cost
			default:
				break collect
			}
		}
		if err := s.commit(group); err != nil { // too big for one transaction
			for _, o := range group {
				if len(group) == 1 || s.commit([]*op{o}) != nil {
					o.err = fmt.Errorf("commit: %w", err)
				}
			}
		}
		for _, o := range group {
			close(o.done)
		}
		clear(group)
		s.group = group[:0]
	}
}

// commit applies group in one transaction, commits it, syncs if needed and
// sets each op's err. It returns ErrTxnTooBig, having written nothing, if
// the group does not fit in one transaction.
func (s *Store) commit(group []*op) error {
	txn := s.db.NewTransaction(true)
	defer txn.Discard()
	w := &wtx{Txn: txn, s: s, counters: make(map[[32]byte]counters), regs: make(map[mailbox.Box]time.Time)}
	seq := s.lastSeq
	applied, needSync := false, false
	for _, o := range group {
		o.err = o.apply(w)
		if errors.Is(o.err, bdg.ErrTxnTooBig) {
			s.lastSeq = seq
			return o.err
		}
		if o.err == nil {
			applied = true
			needSync = needSync || o.sync
		}
	}
	if !applied {
		return nil
	}
	var err error
	if s.lastSeq != seq {
		err = txn.Set([]byte{pSeq}, binary.BigEndian.AppendUint64(nil, s.lastSeq))
	}
	now := time.Now()
	for account, c := range w.counters {
		if err == nil {
			err = s.writeCounters(txn, account, c, now)
		}
	}
	if err == nil {
		err = txn.Commit()
	}
	if errors.Is(err, bdg.ErrTxnTooBig) {
		s.lastSeq = seq
		return err
	}
	if err == nil && needSync && !s.noSync {
		err = s.db.Sync()
	}
	if err != nil {
		err = fmt.Errorf("commit: %w", err)
		for _, o := range group {
			if o.err == nil {
				o.err = err
			}
		}
		return nil
	}
	// Committed: the caches may now say so.
	if len(s.counters)+len(w.counters) > maxCached {
		clear(s.counters)
	}
	for account, c := range w.counters {
		s.counters[account] = c
	}
	if len(s.regs)+len(w.regs) > maxCached {
		clear(s.regs)
	}
	for box, t := range w.regs {
		s.regs[box] = t
	}
	return nil
}

func (s *Store) gcLoop() {
	defer close(s.gcDone)
	t := time.NewTicker(gcInterval)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
		}
		for {
			err := s.db.RunValueLogGC(gcDiscard)
			if err != nil {
				if !errors.Is(err, bdg.ErrNoRewrite) && !errors.Is(err, bdg.ErrRejected) {
					s.log.Warn("value log gc failed", "err", err)
				}
				break
			}
			select {
			case <-s.stop:
				return
			default:
			}
		}
	}
}

// get returns a copy of the value at k, or (nil, false, nil) on a miss.
func get(txn *bdg.Txn, k []byte) ([]byte, bool, error) {
	item, err := txn.Get(k)
	if errors.Is(err, bdg.ErrKeyNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	v, err := item.ValueCopy(nil)
	if err != nil {
		return nil, false, err
	}
	return v, true, nil
}

// slogAdapter routes Badger's printf-style logs to slog.
type slogAdapter struct{ l *slog.Logger }

func (a slogAdapter) logf(level slog.Level, format string, args []any) {
	ctx := context.Background()
	if !a.l.Enabled(ctx, level) {
		return
	}
	a.l.Log(ctx, level, "badger", "detail", strings.TrimSpace(fmt.Sprintf(format, args...)))
}

func (a slogAdapter) Errorf(f string, v ...any)   { a.logf(slog.LevelError, f, v) }
func (a slogAdapter) Warningf(f string, v ...any) { a.logf(slog.LevelWarn, f, v) }
func (a slogAdapter) Infof(f string, v ...any)    { a.logf(slog.LevelDebug, f, v) }
func (a slogAdapter) Debugf(f string, v ...any)   { a.logf(slog.LevelDebug, f, v) }
