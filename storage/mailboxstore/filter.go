package mailboxstore

import (
	"errors"
	"fmt"
	"hash/maphash"

	bdg "github.com/dgraph-io/badger/v4"
)

// A new deposit ID must be looked up in the deposit index before it is
// stored, and a lookup of a missing key is the costliest kind (in Badger it
// searches every memtable and level; here it scans the box's queue keys).
// So the writer keeps a Bloom filter over the deposits queued (account,
// device, ID). It answers "certainly not there" for almost every new ID;
// only a filter hit (a duplicate, or a false positive) costs a lookup.
// Acked and expired deposits stay in the filter until it is rebuilt, which
// happens when it has taken as many keys as it was sized for: a goroutine
// collects the hashes of the queue keys in a snapshot while the writer
// notes the deposits it queues meanwhile.
//
// The filter is a split-block Bloom filter (the Parquet one): each key
// sets one bit in each of the eight 32-bit words of one 256-bit block,
// so a lookup touches one cache line.

const (
	filterBitsPerKey = 16      // at the capacity; twice that just after a build
	minFilterKeys    = 1 << 20 // smallest capacity: 2 MiB
)

var filterSalt = [8]uint32{0x47b6137b, 0x44974d91, 0x8824ad5b, 0xa2b7289d, 0x705495c7, 0x2df1424b, 0x9efc4947, 0x5c6bfb31}

type idFilter struct {
	blocks [][8]uint32
}

func newIDFilter(keys int) *idFilter {
	return &idFilter{blocks: make([][8]uint32, max(keys*filterBitsPerKey/256, 1))}
}

func (f *idFilter) block(h uint64) *[8]uint32 {
	return &f.blocks[(h>>32)*uint64(len(f.blocks))>>32]
}

func (f *idFilter) add(h uint64) {
	b, k := f.block(h), uint32(h)
	for i, salt := range filterSalt {
		b[i] |= 1 << ((k * salt) >> 27)
	}
}

func (f *idFilter) has(h uint64) bool {
	b, k := f.block(h), uint32(h)
	for i, salt := range filterSalt {
		if b[i]&(1<<((k*salt)>>27)) == 0 {
			return false
		}
	}
	return true
}

// filterState is the writer's filter and its rebuilding.
type filterState struct {
	seed     maphash.Seed
	f        *idFilter // nil until the first build
	keys     int       // keys added to f (and to be added, while building)
	capacity int
	building bool
	pending  []uint64 // hashes noted while building
}

func (fs *filterState) hash(n depositName) uint64 { return maphash.Bytes(fs.seed, n[:]) }

// note records a deposit the writer queued.
func (fs *filterState) note(h uint64) {
	if fs.f != nil {
		fs.f.add(h)
	}
	if fs.building {
		fs.pending = append(fs.pending, h)
	}
	fs.keys++
}

// mayHave reports whether the index may hold the key: false is certain.
func (fs *filterState) mayHave(h uint64) bool { return fs.f == nil || fs.f.has(h) }

// full reports whether a rebuild is due.
func (fs *filterState) full() bool { return !fs.building && fs.keys > fs.capacity }

// built installs a filter sized for, and holding, the hashes a build
// collected plus those noted meanwhile.
func (fs *filterState) built(hashes []uint64) {
	n := len(hashes) + len(fs.pending)
	f := newIDFilter(max(2*n, minFilterKeys))
	for _, h := range hashes {
		f.add(h)
	}
	for _, h := range fs.pending {
		f.add(h)
	}
	fs.f, fs.keys, fs.capacity = f, n, max(2*n, minFilterKeys)
	fs.building, fs.pending = false, nil
}

// startFilterBuild starts collecting the hashes of the queued deposits. The
// writer calls it; keys it has applied but not yet handed to Badger must
// be noted by the caller. The snapshot waits for the group in flight.
func (s *Store) startFilterBuild() {
	s.fs.building = true
	s.fs.pending = s.fs.pending[:0]
	s.filterWG.Add(1)
	go func() {
		defer s.filterWG.Done()
		var hashes []uint64
		err := s.db.View(func(txn *bdg.Txn) error {
			prefix := []byte{pQueue}
			it := txn.NewIterator(bdg.IteratorOptions{Prefix: prefix})
			defer it.Close()
			for it.Rewind(); it.ValidForPrefix(prefix); it.Next() {
				if len(hashes)%4096 == 0 {
					select {
					case <-s.stop:
						return errStopped
					default:
					}
				}
				e, ok := parseQueueKey(it.Item().Key())
				if !ok {
					return fmt.Errorf("%w: queue key", ErrCorrupt)
				}
				hashes = append(hashes, s.fs.hash(e.name))
			}
			return nil
		})
		if err != nil {
			if err != errStopped {
				s.log.Warn("deposit index filter build failed", "err", err)
			}
			hashes = nil
		}
		s.filterBuilt <- filterResult{hashes, err} // buffered: one build at a time
	}()
}

// errStopped ends a filter build when the store closes.
var errStopped = errors.New("stopped")

type filterResult struct {
	hashes []uint64
	err    error
}

// filterDone takes a build's result.
func (s *Store) filterDone(r filterResult) {
	if r.err != nil {
		// Keep what there is; try again after as many more keys.
		s.fs.building, s.fs.pending = false, nil
		s.fs.capacity = max(2*s.fs.keys, minFilterKeys)
		return
	}
	s.fs.built(r.hashes)
}

// maybeRebuildFilter starts a rebuild when the filter is full, noting the
// deposits of the open group and of the group in flight.
func (s *Store) maybeRebuildFilter(cur *group) {
	if !s.fs.full() {
		return
	}
	s.startFilterBuild()
	if cur != nil {
		for k := range cur.index {
			s.fs.pending = append(s.fs.pending, s.fs.hash(k))
		}
	}
	for k := range s.overlay {
		s.fs.pending = append(s.fs.pending, s.fs.hash(k))
	}
}
