package mailboxstore

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/maphash"
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
// memtable, 4.8 MiB here): maxGroupBytes plus one operation of aloneCost
// does; a bigger operation is committed alone.
//
// Values above valueThreshold (queued envelopes, except tiny ones) live in
// Badger's value log, and the LSM tree holds pointers to them: an
// envelope is written once, not to the memtable's log, then to a table
// and again at every compaction. That took a quarter off the CPU of an
// ingest of 200-byte envelopes. An acked or expired envelope's space
// comes back when value-log GC rewrites its file, every gcInterval.
const (
	memTableSize     = 32 << 20
	numMemtables     = 3
	blockCacheSize   = 32 << 20
	indexCacheSize   = 16 << 20
	valueThreshold   = 128
	valueLogFileSize = 256 << 20

	maxGroupOps   = 512
	maxGroupBytes = 2 << 20
	aloneCost     = maxGroupBytes / 4 // an operation this big gets a group of its own
	seqBlock      = 1 << 16           // arrival sequences reserved at a time
	entryCost     = 200               // estimated bytes per written entry, for group sizing

	gcInterval = time.Minute
	gcDiscard  = 0.5
)

// Store is a relay's mailbox store. It is safe for concurrent use.
type Store struct {
	db     *bdg.DB
	log    *slog.Logger
	ttl    time.Duration
	noSync bool

	// mu guards closed, active and queue; cond signals active reaching
	// zero.
	mu     sync.Mutex
	cond   *sync.Cond
	closed bool
	active int
	queue  []*op // handed to the writer, not yet taken

	wake       chan struct{} // one token: the queue may not be empty
	completed  chan *group   // the group in flight, once committed (and synced)
	stop       chan struct{}
	writerDone chan struct{}
	gcDone     chan struct{}

	// Owned by the writer goroutine: the last arrival sequence and what
	// the applied operations have made of registrations, quota counters
	// and the deposit index (see writer.go).
	lastSeq  uint64
	seqLimit uint64 // the last sequence reserved in "S"
	regs     map[mailbox.Box]regInfo
	counters map[[32]byte]counters
	overlay  map[depositName]indexRec
	spare    map[depositName]indexRec
	stale    bool
	fs       filterState

	filterBuilt chan filterResult // one build at a time
	filterWG    sync.WaitGroup    // the filter build
}

// maxCached bounds each writer cache; a full cache is cleared.
const maxCached = 100000

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
		wake: make(chan struct{}, 1), completed: make(chan *group, 1), filterBuilt: make(chan filterResult, 1),
		fs:   filterState{seed: maphash.MakeSeed()},
		stop: make(chan struct{}), writerDone: make(chan struct{}),
		regs: make(map[mailbox.Box]regInfo), counters: make(map[[32]byte]counters),
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

// init checks or writes the schema version (migrating a schema-1 store)
// and loads the sequence.
func (s *Store) init() error {
	var version uint32
	err := s.db.View(func(txn *bdg.Txn) error {
		v, ok, err := get(txn, []byte{pSchema})
		if err != nil || !ok {
			return err
		}
		if len(v) != 4 {
			return fmt.Errorf("%w: schema version %x", storage.ErrSchema, v)
		}
		version = binary.BigEndian.Uint32(v)
		v, ok, err = get(txn, []byte{pSeq})
		if err != nil || !ok {
			return err
		}
		if len(v) != 8 {
			return fmt.Errorf("%w: sequence", ErrCorrupt)
		}
		s.lastSeq = binary.BigEndian.Uint64(v) // sequences up to it may have been used
		s.seqLimit = s.lastSeq
		return nil
	})
	if err != nil {
		return err
	}
	switch version {
	case schemaVersion:
		return nil
	case 0, 1:
		if version == 1 {
			if err := s.migrateV1(); err != nil {
				return err
			}
		}
		err := s.db.Update(func(txn *bdg.Txn) error {
			return txn.Set([]byte{pSchema}, binary.BigEndian.AppendUint32(nil, schemaVersion))
		})
		if err == nil {
			err = s.db.Sync()
		}
		return err
	default:
		return fmt.Errorf("%w: schema version %d", storage.ErrSchema, version)
	}
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
	s.filterWG.Wait()
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

// view runs fn in a read-only snapshot.
func (s *Store) view(fn func(txn *bdg.Txn) error) error {
	if err := s.acquire(); err != nil {
		return err
	}
	defer s.release()
	return s.db.View(fn)
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
