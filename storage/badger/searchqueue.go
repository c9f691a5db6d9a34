package badger

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"

	bdg "github.com/dgraph-io/badger/v4"

	"github.com/pigeon-net/pigeon/storage"
)

// The search index's change queue (see storage/search, "Keeping up with
// the store"). Every write that changes what search shows of a message —
// insert, delete, edit, a new attachment — calls queueIndex in its
// transaction, which sets "i" id. The change sequence is the key's Badger
// version: the commit timestamp of the transaction that queued it, which
// grows with every commit and needs no counter key that every message
// write would contend on. A reader's snapshot holds every commit at or
// below its read timestamp, so an indexer that applies the queue it read
// in a snapshot and sets its mark to that snapshot's timestamp has seen
// every change up to the mark; later changes carry higher versions.
//
// "i" alone holds the highest mark the queue was trimmed to: an index whose
// mark is below it missed changes the queue no longer has.

// Bounds of IndexQueue.
const (
	defaultIndexQueueLimit = 1000
	maxIndexQueueLimit     = 100000
	trimChunk              = 1000
)

// queueIndex records, in txn, that message id changed for search. Every
// write path that changes a message's text, caption or file name, or
// removes it, calls it once.
func (s *Store) queueIndex(txn *bdg.Txn, id storage.MessageID) error {
	if err := txn.Set(keyID(pIndexQueue, id), nil); err != nil {
		return err
	}
	s.queued.Store(txn, struct{}{})
	return nil
}

// committed is called after txn committed (ok) or was discarded; it tells
// IndexQueued's reader when txn queued a change.
func (s *Store) committed(txn *bdg.Txn, ok bool) {
	if _, queued := s.queued.LoadAndDelete(txn); queued && ok {
		select {
		case s.indexQueued <- struct{}{}:
		default:
		}
	}
}

// IndexQueued returns a channel that receives (coalesced, capacity one)
// after a commit that queued a change for the search index.
func (s *Store) IndexQueued() <-chan struct{} { return s.indexQueued }

// IndexQueue returns up to limit queued changes with a sequence above
// after, in sequence order, and the sequence of the snapshot it read:
// every change at or below it is in the snapshot (so in the messages ctx's
// transaction reads, when the caller reads them in the same View).
// limit <= 0 means 1000; it is capped at 100000. Each call reads the
// whole queue (it is kept by message ID), so read it in large pages. When more changes are
// queued than limit, seq is that of the last one returned.
func (s *Store) IndexQueue(ctx context.Context, after uint64, limit int) (changes []storage.IndexChange, seq uint64, err error) {
	if limit <= 0 {
		limit = defaultIndexQueueLimit
	}
	limit = min(limit, maxIndexQueueLimit)
	err = s.read(ctx, func(txn *bdg.Txn) error {
		changes = changes[:0]
		seq = txn.ReadTs()
		prefix := key1(pIndexQueue)
		it := txn.NewIterator(bdg.IteratorOptions{Prefix: prefix})
		defer it.Close()
		for it.Rewind(); it.ValidForPrefix(prefix); it.Next() {
			item := it.Item()
			k := item.Key()
			if len(k) == 1 {
				continue // the trim mark
			}
			if len(k) != 1+len(storage.MessageID{}) {
				return fmt.Errorf("%w: index queue key of %d bytes", ErrCorrupt, len(k))
			}
			if v := item.Version(); v > after {
				changes = append(changes, storage.IndexChange{ID: storage.MessageID(k[1:]), Seq: v})
			}
		}
		return nil
	})
	if err != nil {
		return nil, 0, fmt.Errorf("index queue: %w", err)
	}
	slices.SortFunc(changes, func(a, b storage.IndexChange) int {
		switch {
		case a.Seq < b.Seq:
			return -1
		case a.Seq > b.Seq:
			return 1
		}
		return 0
	})
	if len(changes) > limit {
		// Never split one sequence (one transaction) across pages.
		n := limit
		for n > 0 && changes[n-1].Seq == changes[n].Seq {
			n--
		}
		if n == 0 {
			n = limit
			for n < len(changes) && changes[n].Seq == changes[limit-1].Seq {
				n++
			}
		}
		changes = changes[:n]
		seq = changes[n-1].Seq
	}
	return changes, seq, nil
}

// TrimIndexQueue removes the queued changes at or below upTo (the index
// has them) and raises the trim mark IndexTrimmed reports. A change queued
// again above upTo stays. It deletes in transactions of trimChunk keys, so
// a queue of any length fits; the mark is raised with the last.
func (s *Store) TrimIndexQueue(ctx context.Context, upTo uint64) error {
	var done [][]byte
	err := s.read(ctx, func(txn *bdg.Txn) error {
		done = done[:0]
		prefix := key1(pIndexQueue)
		it := txn.NewIterator(bdg.IteratorOptions{Prefix: prefix})
		defer it.Close()
		for it.Rewind(); it.ValidForPrefix(prefix); it.Next() {
			if item := it.Item(); len(item.Key()) != 1 && item.Version() <= upTo {
				done = append(done, item.KeyCopy(nil))
			}
		}
		return nil
	})
	for err == nil {
		chunk := done[:min(trimChunk, len(done))]
		done = done[len(chunk):]
		err = s.write(ctx, func(txn *bdg.Txn) error {
			for _, k := range chunk {
				// Reading the key in this transaction makes a concurrent
				// re-queue of it a conflict, so the retry keeps the new one.
				item, err := txn.Get(k)
				if errors.Is(err, bdg.ErrKeyNotFound) {
					continue
				}
				if err != nil {
					return err
				}
				if item.Version() > upTo {
					continue
				}
				if err := txn.Delete(k); err != nil {
					return err
				}
			}
			if len(done) > 0 {
				return nil
			}
			was, err := trimMark(txn)
			if err != nil || upTo <= was {
				return err
			}
			return txn.Set(key1(pIndexQueue), binary.BigEndian.AppendUint64(nil, upTo))
		})
		if len(done) == 0 {
			break
		}
	}
	if err != nil {
		return fmt.Errorf("trim index queue: %w", err)
	}
	return nil
}

func trimMark(txn *bdg.Txn) (uint64, error) {
	b, ok, err := get(txn, key1(pIndexQueue))
	if err != nil || !ok {
		return 0, err
	}
	if len(b) != 8 {
		return 0, fmt.Errorf("%w: index trim mark of %d bytes", ErrCorrupt, len(b))
	}
	return binary.BigEndian.Uint64(b), nil
}

// IndexTrimmed returns the highest sequence the queue was trimmed to, and
// the store's current sequence (a fresh snapshot's): an index whose mark is
// below the first missed changes the queue dropped, one whose mark is above
// the second belongs to another store; either must be rebuilt.
func (s *Store) IndexTrimmed(ctx context.Context) (trimmed, current uint64, err error) {
	err = s.read(ctx, func(txn *bdg.Txn) error {
		current = txn.ReadTs()
		trimmed, err = trimMark(txn)
		return err
	})
	if err != nil {
		return 0, 0, fmt.Errorf("index trimmed: %w", err)
	}
	return trimmed, current, nil
}

// ForEachMessage calls fn for every message of every conversation, by
// conversation then ID, in one snapshot (ctx's transaction if it carries
// one); fn returning an error stops the walk with it.
func (s *Store) ForEachMessage(ctx context.Context, fn func(storage.Message) error) error {
	err := s.read(ctx, func(txn *bdg.Txn) error {
		prefix := key1(pHistory)
		it := txn.NewIterator(bdg.IteratorOptions{Prefix: prefix, PrefetchValues: true, PrefetchSize: 100})
		defer it.Close()
		for it.Rewind(); it.ValidForPrefix(prefix); it.Next() {
			b, err := it.Item().ValueCopy(nil)
			if err != nil {
				return err
			}
			m, err := decodeMessage(b)
			if err != nil {
				return err
			}
			if err := fn(m); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("for each message: %w", err)
	}
	return nil
}
