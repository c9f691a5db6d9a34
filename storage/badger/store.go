package badger

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"math/rand/v2"
	"os"
	"strings"
	"sync"
	"time"

	bdg "github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/options"
	"go.mau.fi/libsignal/keys/identity"

	"github.com/pigeon-net/pigeon/storage"
)

// Options configures Open.
type Options struct {
	// Dir is the database directory, created with mode 0700 if missing.
	// Required unless InMemory.
	Dir string
	// InMemory keeps everything in memory (tests); Dir is ignored.
	InMemory bool
	// SyncWrites fsyncs every commit. Without it a commit survives a crash
	// of the process (kill -9) but not of the machine.
	SyncWrites bool
	// Logger receives Badger's own logs; nil discards them.
	Logger *slog.Logger
	// BlocksDir, if set, holds the bytes of large blocks (media leaves) in
	// pack segments, indexed in the database; without it every block is a
	// database value (in memory, large ones are in a map). See blocks.go
	// and packs.go for why.
	BlocksDir string
	// MinFree is the free disk space, in bytes, that writes of new work
	// must leave besides the headroom the database's own flushes and
	// compactions need (DefaultMinFree when 0; a negative value turns the
	// guard off); below a quarter of it and the headroom every write
	// fails. See space.go and Space.
	MinFree int64
	// SpaceChanged, if set, is called when the store becomes short of
	// free space (new work is refused) and when it has room again, on a
	// goroutine of the store, one call at a time. It must not block.
	SpaceChanged func(Space)
	// SyncHook, if set, is called at the start of every sync WaitDurable
	// runs, before its fsyncs (also for an in-memory store, which has
	// nothing to sync): tests count and hold syncs with it.
	SyncHook func()
	// CompactIdle and CompactAfter schedule Compact after deletions: once
	// no message was deleted for CompactIdle (default a minute), or, once
	// CompactAfter deletions (default 1000) wait, when none was made for
	// two seconds (or CompactIdle if shorter); not while writes are heavy
	// unless a deletion has waited ten minutes. See compact.go.
	CompactIdle  time.Duration
	CompactAfter int
}

// Tuning for a personal node: far smaller memtables and caches than Badger's
// defaults (64 MiB × 5 memtables, 256 MiB block cache).
const (
	memTableSize   = 16 << 20 // transactions may carry up to 15% of this (2.4 MiB)
	numMemtables   = 2
	blockCacheSize = 8 << 20
	indexCacheSize = 4 << 20
	// Values of valueThreshold bytes or more go to the append-only value
	// log, the tree keeps a pointer: compactions then move pointers, not
	// long texts, which keeps the room they need (see headroom.go) small.
	// Session records (about 1 KiB) and most messages stay in the tree.
	valueThreshold   = 4 << 10
	valueLogFileSize = 64 << 20
	numCompactors    = 2

	gcInterval    = 5 * time.Minute
	gcDiscard     = 0.5
	maxTxnRetries = 64
)

// Store is the node's only store. It is safe for concurrent use.
type Store struct {
	db  *bdg.DB
	log *slog.Logger

	// mu guards closed and active; cond signals active reaching zero.
	mu     sync.Mutex
	cond   *sync.Cond
	closed bool
	active int

	gcStop chan struct{}
	gcDone chan struct{}

	compact       *compaction
	compactDone   chan struct{}
	compactCtx    context.Context // ends when Close starts
	compactCancel context.CancelFunc

	blocksDir  string     // "" keeps every block in Badger
	packs      *packs     // large blocks in BlocksDir; nil without one
	memBlocks  *memBlocks // large blocks of an in-memory store
	syncWrites bool

	space    *spaceGuard // nil: in memory, or turned off
	syncs    *syncer     // WaitDurable's; nil when every write is synced anyway
	logs     *badgerLogs // nil in memory or with SyncWrites
	syncHook func()

	// hooksMu guards hooks.
	hooksMu sync.RWMutex
	hooks   []InsertHook

	// idMu guards the cached local Signal identity.
	idMu    sync.RWMutex
	idPair  *identity.KeyPair
	idRegID uint32

	// The search index's queue (searchqueue.go): queued holds the open
	// transactions that queued a change (*bdg.Txn keys); indexQueued
	// (capacity one) hears of their commits.
	queued      sync.Map
	indexQueued chan struct{}
}

// Open opens or creates the database, checks the schema version and starts
// value-log GC. Close the store when done.
func Open(opts Options) (*Store, error) {
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	var bo bdg.Options
	if opts.InMemory {
		bo = bdg.DefaultOptions("").WithInMemory(true)
	} else {
		if opts.Dir == "" {
			return nil, fmt.Errorf("open store: %w: no directory", ErrInvalid)
		}
		if err := os.MkdirAll(opts.Dir, 0o700); err != nil {
			return nil, fmt.Errorf("open store: %w", err)
		}
		bo = bdg.DefaultOptions(opts.Dir)
	}
	bo = bo.
		WithSyncWrites(opts.SyncWrites).
		WithLogger(slogAdapter{log}).
		WithMemTableSize(memTableSize).
		WithNumMemtables(numMemtables).
		WithBlockCacheSize(blockCacheSize).
		WithIndexCacheSize(indexCacheSize).
		WithValueLogFileSize(valueLogFileSize).
		WithNumCompactors(numCompactors).
		WithNumGoroutines(2).
		WithMetricsEnabled(false).
		// Records are small and hot (a session record is rewritten on every
		// message): compressing blocks costs more CPU on flushes, compactions
		// and reads than the disk it saves.
		WithCompression(options.None)
	if !opts.InMemory {
		// In-memory mode has no value log: every value must stay in the
		// LSM tree, so it keeps Badger's default threshold.
		bo = bo.WithValueThreshold(valueThreshold)
	}
	var space *spaceGuard
	if !opts.InMemory && opts.MinFree >= 0 {
		minFree := uint64(opts.MinFree)
		if minFree == 0 {
			minFree = DefaultMinFree
		}
		dirs := []string{opts.Dir}
		if opts.BlocksDir != "" {
			dirs = append(dirs, opts.BlocksDir)
		}
		space = newSpaceGuard(dirs, minFree, newLSMLimits(bo), log, opts.SpaceChanged)
		if err := space.prepareOpen(opts.Dir, bo); err != nil {
			return nil, fmt.Errorf("open store: %w", err)
		}
	}
	db, err := bdg.Open(bo)
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	s := &Store{db: db, log: log, syncWrites: opts.SyncWrites, space: space, syncHook: opts.SyncHook,
		indexQueued: make(chan struct{}, 1), compact: newCompaction(opts.CompactIdle, opts.CompactAfter)}
	s.compactCtx, s.compactCancel = context.WithCancel(context.Background())
	if opts.InMemory {
		s.memBlocks = &memBlocks{m: make(map[string][]byte)}
	} else {
		s.blocksDir = opts.BlocksDir
	}
	s.cond = sync.NewCond(&s.mu)
	fail := func(err error) (*Store, error) {
		db.Close()
		return nil, fmt.Errorf("open store: %w", err)
	}
	if err := s.init(); err != nil {
		return fail(err)
	}
	if err := s.openBlocksDir(); err != nil {
		return fail(err)
	}
	if !opts.InMemory && !opts.SyncWrites {
		// What an earlier process left unsynced is made durable before
		// anything is acknowledged again.
		if s.logs, err = newBadgerLogs(opts.Dir); err != nil {
			return fail(err)
		}
		if err := s.logs.syncExisting(); err != nil {
			return fail(fmt.Errorf("sync logs: %w", err))
		}
	}
	if (!opts.InMemory && !opts.SyncWrites) || opts.SyncHook != nil {
		s.syncs = &syncer{sync: s.syncRoundNow}
	}
	if !opts.InMemory {
		s.gcStop = make(chan struct{})
		s.gcDone = make(chan struct{})
		s.compactDone = make(chan struct{})
		go s.gcLoop()
		go s.compactLoop()
	}
	if s.space != nil {
		s.space.watch(db, opts.Dir)
		s.space.keepReserve() // before new work may go in
		s.space.start()
	}
	return s, nil
}

// init checks or writes the schema version and loads the cached identity.
func (s *Store) init() error {
	err := s.db.Update(func(txn *bdg.Txn) error {
		item, err := txn.Get(key1(pSchema))
		if errors.Is(err, bdg.ErrKeyNotFound) {
			return txn.Set(key1(pSchema), encodeUint32(schemaVersion))
		}
		if err != nil {
			return err
		}
		b, err := item.ValueCopy(nil)
		if err != nil {
			return err
		}
		v, err := decodeUint32(b, "schema version")
		if err != nil {
			return fmt.Errorf("%w: %w", storage.ErrSchema, err)
		}
		if v, err = migrate(txn, v); err != nil {
			return err
		}
		if v != schemaVersion {
			return fmt.Errorf("%w: database has version %d, want %d", storage.ErrSchema, v, schemaVersion)
		}
		return nil
	})
	if err != nil {
		return err
	}
	id, err := s.LocalIdentity(context.Background())
	if errors.Is(err, storage.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	return s.cacheIdentity(id)
}

func (s *Store) gcLoop() {
	defer close(s.gcDone)
	t := time.NewTicker(gcInterval)
	defer t.Stop()
	for {
		select {
		case <-s.gcStop:
			return
		case <-t.C:
		}
		if _, err := s.Blocks().Compact(context.Background()); err != nil && !errors.Is(err, storage.ErrClosed) {
			s.log.Warn("block compaction failed", "err", err)
		}
		for {
			// A rewrite copies what is live in one value log file (at
			// most half of it, with gcDiscard) into the head file before
			// it deletes the old one.
			if err := s.space.admit(valueLogFileSize/2, false); err != nil {
				s.log.Debug("value log gc skipped", "err", err)
				break
			}
			err := s.db.RunValueLogGC(gcDiscard)
			if err != nil {
				if !errors.Is(err, bdg.ErrNoRewrite) && !errors.Is(err, bdg.ErrRejected) {
					s.log.Warn("value log gc failed", "err", err)
				}
				break
			}
			select {
			case <-s.gcStop:
				return
			default:
			}
		}
	}
}

// Close waits for running operations, stops GC and closes the database. A
// second call returns storage.ErrClosed.
func (s *Store) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return fmt.Errorf("close store: %w", storage.ErrClosed)
	}
	s.closed = true
	s.compactCancel() // a running Compact stops at its next step
	for s.active > 0 {
		s.cond.Wait()
	}
	s.mu.Unlock()
	if s.space != nil {
		s.space.close()
	}
	if s.gcStop != nil {
		close(s.gcStop)
		<-s.gcDone
		<-s.compactDone
	}
	if s.packs != nil {
		s.packs.close()
	}
	if s.logs != nil {
		s.logs.close()
	}
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("close store: %w", err)
	}
	return nil
}

// acquire registers a running top-level operation; Close waits for it.
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

// --- Transactions carried in a context.

type txnKey struct{}

type txnCtx struct {
	txn   *bdg.Txn
	write bool
	after []func() // AfterCommit's
}

// InsertHook is called by InsertMessage inside the transaction that
// stores a new message (ctx carries it), before the message is written:
// it may change m's text and edits. An error wrapping storage.ErrExists
// refuses the message (InsertMessage returns it) but keeps what the hook
// wrote; another error aborts the insert.
type InsertHook func(ctx context.Context, m *storage.Message) error

// OnInsert adds a hook InsertMessage calls for every message it stores
// (node/actions applies the actions that waited for it). Add hooks before
// the store is used.
func (s *Store) OnInsert(h InsertHook) {
	s.hooksMu.Lock()
	defer s.hooksMu.Unlock()
	s.hooks = append(s.hooks, h)
}

func (s *Store) insertHooks() []InsertHook {
	s.hooksMu.RLock()
	defer s.hooksMu.RUnlock()
	return s.hooks
}

// AfterCommit runs fn once the read-write transaction ctx carries has
// committed (not at all when it fails; once when it is retried), or at
// once when ctx carries none: events of changes made inside a hook.
func (s *Store) AfterCommit(ctx context.Context, fn func()) {
	t := txnFrom(ctx)
	if t == nil || !t.write {
		fn()
		return
	}
	t.after = append(t.after, fn)
}

func txnFrom(ctx context.Context) *txnCtx {
	t, _ := ctx.Value(txnKey{}).(*txnCtx)
	return t
}

// Update runs fn in one read-write transaction: every Store call made with
// the ctx handed to fn is part of it. If fn returns an error nothing is
// written. If ctx already carries a read-write transaction fn joins it (and
// the outermost Update commits); a read-only one is an error wrapping
// ErrReadOnly. On a write conflict fn runs again, up to 64 times with backoff, so it must
// be safe to re-run.
func (s *Store) Update(ctx context.Context, fn func(ctx context.Context) error) error {
	if t := txnFrom(ctx); t != nil {
		if !t.write {
			return fmt.Errorf("update: %w", ErrReadOnly)
		}
		return fn(ctx)
	}
	if err := s.acquire(); err != nil {
		return fmt.Errorf("update: %w", err)
	}
	defer s.release()
	for attempt := 0; attempt < maxTxnRetries; {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("update: %w", err)
		}
		err := s.tryUpdate(ctx, fn)
		if errors.Is(err, bdg.ErrBlockedWrites) {
			// Compact is flushing the memtables: run again once it is
			// done.
			if err := s.compact.waitFlush(ctx); err != nil {
				return fmt.Errorf("update: %w", err)
			}
			continue
		}
		if !errors.Is(err, bdg.ErrConflict) {
			return err
		}
		attempt++
		// Jittered exponential backoff so writers of one hot key (say, a busy
		// conversation's summary) do not keep colliding.
		ceiling := min(int64(50*time.Microsecond)<<min(attempt, 7), int64(5*time.Millisecond))
		time.Sleep(time.Duration(rand.Int64N(ceiling) + 1))
	}
	return fmt.Errorf("update: %w", ErrTooManyConflicts)
}

func (s *Store) tryUpdate(ctx context.Context, fn func(ctx context.Context) error) error {
	txn := s.db.NewTransaction(true)
	defer txn.Discard()
	ok := false
	defer func() { s.committed(txn, ok) }()
	t := &txnCtx{txn: txn, write: true}
	if err := fn(context.WithValue(ctx, txnKey{}, t)); err != nil {
		return err
	}
	if err := txn.Commit(); err != nil {
		return fmt.Errorf("update: commit: %w", err)
	}
	ok = true
	s.compact.writes.Add(1)
	for _, f := range t.after {
		f()
	}
	return nil
}

// View runs fn in one read-only snapshot; Store calls made with the ctx
// handed to fn read from it and writes fail with ErrReadOnly. If ctx already
// carries a transaction fn joins it.
func (s *Store) View(ctx context.Context, fn func(ctx context.Context) error) error {
	if txnFrom(ctx) != nil {
		return fn(ctx)
	}
	if err := s.acquire(); err != nil {
		return fmt.Errorf("view: %w", err)
	}
	defer s.release()
	txn := s.db.NewTransaction(false)
	defer txn.Discard()
	return fn(context.WithValue(ctx, txnKey{}, &txnCtx{txn: txn}))
}

// read runs fn in the transaction carried by ctx, or in a fresh read-only
// one.
func (s *Store) read(ctx context.Context, fn func(txn *bdg.Txn) error) error {
	if t := txnFrom(ctx); t != nil {
		return fn(t.txn)
	}
	if err := s.acquire(); err != nil {
		return err
	}
	defer s.release()
	return s.db.View(fn)
}

// write runs fn in the read-write transaction carried by ctx, or in a fresh
// one that is committed (and retried on conflict).
func (s *Store) write(ctx context.Context, fn func(txn *bdg.Txn) error) error {
	if err := s.space.admit(0, false); err != nil {
		return err
	}
	if t := txnFrom(ctx); t != nil {
		if !t.write {
			return ErrReadOnly
		}
		return fn(t.txn)
	}
	return s.Update(ctx, func(ctx context.Context) error { return fn(txnFrom(ctx).txn) })
}

// writeTxn returns the read-write transaction ctx carries, once the space
// guard allows a write.
func (s *Store) writeTxn(ctx context.Context) (*bdg.Txn, error) {
	if err := s.space.admit(0, false); err != nil {
		return nil, err
	}
	return txnFrom(ctx).txn, nil
}

// SyncWrites reports whether every commit is fsynced before it returns
// (Options.SyncWrites).
func (s *Store) SyncWrites() bool { return s.syncWrites }

// Space returns the free disk space as the store sees it; an in-memory
// store has unlimited space.
func (s *Store) Space() Space {
	if s.space == nil {
		return Space{Free: math.MaxUint64}
	}
	return s.space.space()
}

// CheckSpace returns an error wrapping storage.ErrStorageFull when new work
// of extra bytes would leave less free space than Space().MinFree; the
// store's own writes of new work check that too, this tells a caller
// before it starts (an envelope before it is decrypted, a download before
// it is fetched).
func (s *Store) CheckSpace(extra uint64) error {
	return s.space.admit(extra, true)
}

// --- Small helpers over a transaction.

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

func exists(txn *bdg.Txn, k []byte) (bool, error) {
	_, err := txn.Get(k)
	if errors.Is(err, bdg.ErrKeyNotFound) {
		return false, nil
	}
	return err == nil, err
}

// scan calls fn for every key with prefix, in key order (reverse order when
// reverse is set). Key and value are copies. values=false skips loading
// values (fn gets nil).
func scan(txn *bdg.Txn, prefix []byte, values bool, fn func(k, v []byte) (more bool, err error)) error {
	it := txn.NewIterator(bdg.IteratorOptions{Prefix: prefix, PrefetchValues: values, PrefetchSize: 16})
	defer it.Close()
	for it.Rewind(); it.ValidForPrefix(prefix); it.Next() {
		item := it.Item()
		var v []byte
		if values {
			var err error
			if v, err = item.ValueCopy(nil); err != nil {
				return err
			}
		}
		more, err := fn(item.KeyCopy(nil), v)
		if err != nil || !more {
			return err
		}
	}
	return nil
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
func (a slogAdapter) Infof(f string, v ...any)    { a.logf(slog.LevelDebug, f, v) } // routine table and compaction news
func (a slogAdapter) Debugf(f string, v ...any)   { a.logf(slog.LevelDebug, f, v) }
