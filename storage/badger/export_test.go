package badger

import (
	"context"
	"encoding/binary"
	"os"
	"path/filepath"

	bdg "github.com/dgraph-io/badger/v4"
	"go.mau.fi/libsignal/protocol"
	"go.mau.fi/libsignal/state/record"
)

// Hooks for the external tests.

// ValueThreshold is the size from which values go to the value log.
const ValueThreshold = valueThreshold

func EncodeSessionStructure(s *record.SessionStructure) []byte { return sessionCodec{}.Serialize(s) }

func DecodeSessionStructure(b []byte) (*record.SessionStructure, error) {
	return sessionCodec{}.Deserialize(b)
}

// RawSession returns the stored bytes of addr's session.
func (s *Store) RawSession(addr *protocol.SignalAddress) (b []byte, err error) {
	err = s.read(context.Background(), func(txn *bdg.Txn) error {
		b, _, err = get(txn, addrKey(pSession, addr))
		return err
	})
	return b, err
}

// PutRawSession stores b as addr's session, as an older version would have.
func (s *Store) PutRawSession(addr *protocol.SignalAddress, b []byte) error {
	return s.write(context.Background(), func(txn *bdg.Txn) error {
		return txn.Set(addrKey(pSession, addr), b)
	})
}

// SetSegmentSize makes s start a new pack segment once the active one
// would grow past n bytes.
func SetSegmentSize(s *Store, n int64) {
	s.packs.mu.Lock()
	defer s.packs.mu.Unlock()
	s.packs.segSize = n
}

// BlockSpace returns the bytes in s's pack segments and the bytes of the
// blocks its index points to there, as s counts them.
func BlockSpace(s *Store) (size, live int64) { return s.packs.usage() }

// ParseBlockIndex decodes a "B" value (for the fuzz test).
func ParseBlockIndex(v []byte) error {
	_, err := parseIndex(v)
	return err
}

// PackedIndex encodes the index value of a packed block.
func PackedIndex(seg uint64, off int64, size int) []byte {
	return packedIndex(loc{seg: seg, off: off, size: size})
}

// PutLegacyBlock stores a large block as stores written before packs did:
// a file of its own, indexed with kind 1.
func PutLegacyBlock(s *Store, mh, data []byte) error {
	path := s.blockPath(mh)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		return err
	}
	return s.db.Update(func(txn *bdg.Txn) error {
		return txn.Set(append([]byte{pBlock}, mh...), binary.AppendUvarint([]byte{blockFile}, uint64(len(data))))
	})
}

// LegacyBlockPath is where stores written before packs kept a block.
func LegacyBlockPath(s *Store, mh []byte) string { return s.blockPath(mh) }

// SyncWaiters returns how many WaitDurable calls wait for the sync that
// has not started yet.
func SyncWaiters(s *Store) int {
	s.syncs.mu.Lock()
	defer s.syncs.mu.Unlock()
	if s.syncs.next == nil {
		return 0
	}
	return s.syncs.next.waiters
}

// NewestLogs returns the numbers of the newest memtable log and value log
// file the last sync saw.
func NewestLogs(s *Store) (mem, vlog uint64) { return s.logs.mem.last, s.logs.vlog.last }

// DirtySegments returns how many pack segments wait for a sync.
func DirtySegments(s *Store) int {
	s.packs.mu.Lock()
	defer s.packs.mu.Unlock()
	return len(s.packs.dirty)
}

// LogSyncs returns how many fsyncs of memtable logs and of value log
// files WaitDurable made.
func LogSyncs(s *Store) (mem, vlog int) { return s.logs.mem.synced, s.logs.vlog.synced }

// PutRaw writes key → value as it is (keys of other features' prefixes).
func (s *Store) PutRaw(key, value []byte) error {
	return s.write(context.Background(), func(txn *bdg.Txn) error { return txn.Set(key, value) })
}

// ForEachRaw calls fn with every key and value the store holds.
func (s *Store) ForEachRaw(fn func(k, v []byte)) error {
	return s.read(context.Background(), func(txn *bdg.Txn) error {
		return scan(txn, nil, true, func(k, v []byte) (bool, error) {
			fn(k, v)
			return true, nil
		})
	})
}
