package mailboxstore

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"time"

	bdg "github.com/dgraph-io/badger/v4"

	"github.com/pigeon-net/pigeon/protocol/mailbox"
)

// The deposit index (which deposit IDs a box holds, at which sequence) is
// the queue keys themselves: a queue key carries the deposit ID and the
// envelope's length after the sequence. A deposit therefore writes one
// Badger entry. Finding a deposit by ID means scanning its box's queue
// keys (keys only, from the oldest); the writer's filter (filter.go) spares
// that scan for almost every new ID, and acks, which name the deposits a
// device just drained, find them at the front of the queue.

// indexRec is what the writer knows of a deposit.
type indexRec struct {
	seq         uint64
	depositedAt uint64 // Unix ms
	expiresAt   uint64 // Badger expiry, Unix seconds
	size        uint32
	stranger    bool   // taken without a valid credential
	env         []byte // the envelope
	deleted     bool   // acked
}

func (r indexRec) live(now time.Time) bool {
	return !r.deleted && (r.expiresAt == 0 || r.expiresAt > uint64(now.Unix()))
}

// pending returns what this group or the group in flight did to a
// deposit: the writes the transaction may not see.
func (w *wtx) pending(n depositName) (indexRec, bool) {
	if rec, ok := w.g.index[n]; ok {
		return rec, true
	}
	rec, ok := w.s.overlay[n]
	return rec, ok
}

// queued returns the deposit if the box holds it.
func (w *wtx) queued(box mailbox.Box, id mailbox.DepositID, now time.Time) (indexRec, bool, error) {
	n := nameOf(box, id)
	if rec, ok := w.pending(n); ok {
		return rec, rec.live(now), nil
	}
	if !w.s.fs.mayHave(w.s.fs.hash(n)) {
		return indexRec{}, false, nil
	}
	var rec indexRec
	found := false
	err := scanQueue(w.txn, box, func(item *bdg.Item, e queueEntry) (bool, error) {
		if e.name != n {
			return true, nil
		}
		rec = indexRec{seq: e.seq, size: e.size, stranger: e.stranger, expiresAt: item.ExpiresAt()}
		found = true
		return false, item.Value(func(v []byte) error {
			q, err := decodeQueued(v)
			if err != nil {
				return err
			}
			rec.depositedAt = q.depositedAt
			rec.env = bytes.Clone(q.env)
			return nil
		})
	})
	return rec, found, err
}

// noteQueued records a deposit this group queued.
func (w *wtx) noteQueued(n depositName, rec indexRec) {
	w.g.index[n] = rec
	w.s.fs.note(w.s.fs.hash(n))
}

// noteAcked records a deposit this group deleted.
func (w *wtx) noteAcked(n depositName) { w.g.index[n] = indexRec{deleted: true} }

// scanQueue calls fn for the box's queue keys, oldest first, until it
// returns false. Values are not prefetched.
func scanQueue(txn *bdg.Txn, box mailbox.Box, fn func(item *bdg.Item, e queueEntry) (bool, error)) error {
	prefix := boxKey(pQueue, box, 0)
	it := txn.NewIterator(bdg.IteratorOptions{Prefix: prefix})
	defer it.Close()
	for it.Rewind(); it.ValidForPrefix(prefix); it.Next() {
		item := it.Item()
		e, ok := parseQueueKey(item.Key())
		if !ok {
			return fmt.Errorf("%w: queue key", ErrCorrupt)
		}
		more, err := fn(item, e)
		if err != nil || !more {
			return err
		}
	}
	return nil
}

// queued is a queue value: the deposit ID, the arrival time and the
// envelope.
type queued struct {
	id          mailbox.DepositID
	depositedAt uint64 // Unix ms
	env         []byte // aliases the value
}

// decodeQueued decodes a queue value.
func decodeQueued(v []byte) (queued, error) {
	if len(v) <= queueHeader || v[0] != recordVersion || len(v)-queueHeader > mailbox.MaxEnvelopeSize {
		return queued{}, fmt.Errorf("%w: queued envelope", ErrCorrupt)
	}
	q := queued{depositedAt: binary.BigEndian.Uint64(v[17:25]), env: v[queueHeader:]}
	copy(q.id[:], v[1:17])
	return q, nil
}

// migrateV1 rewrites a schema-1 store: queue keys gain the deposit ID and
// the envelope length, and the deposit index ("I") and stored counters
// ("C") go. Each new key is written before its old one is deleted, and
// Badger keeps commits in order, so a crash midway loses nothing and the
// next open carries on (keys already rewritten are skipped).
func (s *Store) migrateV1() error {
	wb := s.db.NewWriteBatch()
	defer wb.Cancel()
	err := s.db.View(func(txn *bdg.Txn) error {
		prefix := []byte{pQueue}
		it := txn.NewIterator(bdg.IteratorOptions{Prefix: prefix, PrefetchValues: true, PrefetchSize: 100})
		defer it.Close()
		for it.Rewind(); it.ValidForPrefix(prefix); it.Next() {
			item := it.Item()
			k := item.Key()
			if len(k) == queueKeySize {
				continue
			}
			if len(k) != v1QueueKey {
				return fmt.Errorf("%w: schema 1 queue key", ErrCorrupt)
			}
			v, err := item.ValueCopy(nil)
			if err != nil {
				return err
			}
			if len(v) <= queueHeader || v[0] != recordVersion {
				return fmt.Errorf("%w: queued envelope", ErrCorrupt)
			}
			nk := bytes.Clone(k)
			nk = append(nk, v[1:17]...)
			nk = binary.BigEndian.AppendUint32(nk, uint32(len(v)-queueHeader))
			e := bdg.NewEntry(nk, v)
			e.ExpiresAt = item.ExpiresAt()
			if err := wb.SetEntry(e); err != nil {
				return err
			}
			if err := wb.Delete(bytes.Clone(k)); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil {
		err = wb.Flush()
	}
	if err == nil {
		err = s.db.DropPrefix([]byte{pIndex}, []byte{pCounter})
	}
	if err != nil {
		return fmt.Errorf("migrate schema 1: %w", err)
	}
	return nil
}
