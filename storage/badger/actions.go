package badger

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"time"

	bdg "github.com/dgraph-io/badger/v4"

	"github.com/pigeon-net/pigeon/storage"
)

// The records of message actions (node/actions): previous versions of
// edited messages, reactions, tombstones of deleted messages, and actions
// waiting for the message they change. Values are the feature's own
// encoded records (protocol/pb ops_actions.proto); the store keys them and
// keeps the rules that must hold whatever writes: a tombstoned message is
// never stored again, and removing a message removes its versions and
// reactions.

// Bounds of the actions waiting for their message.
const (
	// MaxWaitingActions bounds how many messages have actions waiting
	// for them; MaxWaitingPerMessage how many wait for one message. More
	// are refused with storage.ErrWaitingFull.
	MaxWaitingActions    = 4096
	MaxWaitingPerMessage = 64
	// maxWaitingBytes bounds the record of one message's waiting actions
	// (a transaction carries at most 2.4 MiB).
	maxWaitingBytes = 1 << 20
	// WaitingActionTTL is how long an action waits for its message.
	WaitingActionTTL = 7 * 24 * time.Hour
)

func keyIDSub(p byte, id storage.MessageID, sub []byte) []byte {
	k := make([]byte, 0, 1+len(id)+len(sub))
	k = append(k, p)
	k = append(k, id[:]...)
	return append(k, sub...)
}

// PutEditVersion keeps version of message id's text (rec: the feature's
// record), replacing one held under the same version.
func (s *Store) PutEditVersion(ctx context.Context, id storage.MessageID, version uint8, rec []byte) error {
	err := s.write(ctx, func(txn *bdg.Txn) error {
		return txn.Set(keyIDSub(pEditVersion, id, []byte{version}), bytes.Clone(rec))
	})
	if err != nil {
		return fmt.Errorf("put edit version: %w", err)
	}
	return nil
}

// EditVersion returns version of message id's text (storage.ErrNotFound:
// none held).
func (s *Store) EditVersion(ctx context.Context, id storage.MessageID, version uint8) ([]byte, error) {
	return s.getRecord(ctx, "edit version", keyIDSub(pEditVersion, id, []byte{version}))
}

// EditVersions returns the versions held of message id's text, oldest
// version first.
func (s *Store) EditVersions(ctx context.Context, id storage.MessageID) ([][]byte, error) {
	return s.scanRecords(ctx, "edit versions", keyID(pEditVersion, id))
}

// PutReaction keeps account reactor's reaction record to message id.
func (s *Store) PutReaction(ctx context.Context, id storage.MessageID, reactor storage.Account, rec []byte) error {
	err := s.write(ctx, func(txn *bdg.Txn) error {
		return txn.Set(keyIDSub(pReaction, id, reactor[:]), bytes.Clone(rec))
	})
	if err != nil {
		return fmt.Errorf("put reaction: %w", err)
	}
	return nil
}

// Reaction returns reactor's reaction record to message id
// (storage.ErrNotFound: none).
func (s *Store) Reaction(ctx context.Context, id storage.MessageID, reactor storage.Account) ([]byte, error) {
	return s.getRecord(ctx, "reaction", keyIDSub(pReaction, id, reactor[:]))
}

// Reactions returns the reaction records to message id, by reactor.
func (s *Store) Reactions(ctx context.Context, id storage.MessageID) ([][]byte, error) {
	return s.scanRecords(ctx, "reactions", keyID(pReaction, id))
}

// PutTombstone marks message id deleted (rec: the feature's record): it
// is never stored again (InsertMessage answers storage.ErrExists).
func (s *Store) PutTombstone(ctx context.Context, id storage.MessageID, rec []byte) error {
	err := s.write(ctx, func(txn *bdg.Txn) error { return txn.Set(keyID(pTombstone, id), bytes.Clone(rec)) })
	if err != nil {
		return fmt.Errorf("put tombstone: %w", err)
	}
	return nil
}

// Tombstone returns message id's tombstone (storage.ErrNotFound: it was
// not deleted).
func (s *Store) Tombstone(ctx context.Context, id storage.MessageID) ([]byte, error) {
	return s.getRecord(ctx, "tombstone", keyID(pTombstone, id))
}

// Tombstones calls fn for every tombstone, by message ID.
func (s *Store) Tombstones(ctx context.Context, fn func(id storage.MessageID, rec []byte) error) error {
	err := s.read(ctx, func(txn *bdg.Txn) error {
		return scan(txn, key1(pTombstone), true, func(k, v []byte) (bool, error) {
			id, err := storage.MessageIDFromBytes(k[1:])
			if err != nil {
				return false, fmt.Errorf("%w: tombstone key", ErrCorrupt)
			}
			return true, fn(id, v)
		})
	})
	if err != nil {
		return fmt.Errorf("tombstones: %w", err)
	}
	return nil
}

// PutWaitingAction keeps an action (rec) that changes message target,
// carried by message carry, until target arrives (TakeWaitingActions) or
// WaitingActionTTL passes. The actions waiting for one message are one
// record (InsertMessage looks for them with a point read): at most
// MaxWaitingPerMessage; at most MaxWaitingActions messages have actions
// waiting. Past either bound it fails with storage.ErrWaitingFull.
func (s *Store) PutWaitingAction(ctx context.Context, target, carry storage.MessageID, rec []byte) error {
	err := s.write(ctx, func(txn *bdg.Txn) error {
		k := keyID(pWaiting, target)
		old, held, err := get(txn, k)
		if err != nil {
			return err
		}
		entries, err := decodeWaiting(old)
		if err != nil {
			return err
		}
		for _, e := range entries {
			if e.carry == carry {
				return nil // held
			}
		}
		if len(entries) >= MaxWaitingPerMessage || len(old)+len(rec) > maxWaitingBytes {
			return storage.ErrWaitingFull
		}
		if !held {
			n := 0
			if err := scan(txn, key1(pWaiting), false, func([]byte, []byte) (bool, error) {
				n++
				return n < MaxWaitingActions, nil
			}); err != nil {
				return err
			}
			if n >= MaxWaitingActions {
				return storage.ErrWaitingFull
			}
		}
		v := append(bytes.Clone(old), carry[:]...)
		v = binary.AppendUvarint(v, uint64(len(rec)))
		v = append(v, rec...)
		return txn.SetEntry(bdg.NewEntry(k, v).WithTTL(WaitingActionTTL))
	})
	if err != nil {
		return fmt.Errorf("put waiting action: %w", err)
	}
	return nil
}

// TakeWaitingActions removes and returns the actions waiting for message
// target, in the order they came.
func (s *Store) TakeWaitingActions(ctx context.Context, target storage.MessageID) ([][]byte, error) {
	var out [][]byte
	err := s.write(ctx, func(txn *bdg.Txn) error {
		out = out[:0]
		k := keyID(pWaiting, target)
		v, held, err := get(txn, k)
		if err != nil || !held {
			return err
		}
		entries, err := decodeWaiting(v)
		if err != nil {
			return err
		}
		for _, e := range entries {
			out = append(out, e.rec)
		}
		return txn.Delete(k)
	})
	if err != nil {
		return nil, fmt.Errorf("take waiting actions: %w", err)
	}
	return out, nil
}

type waitingEntry struct {
	carry storage.MessageID
	rec   []byte
}

// decodeWaiting decodes the actions waiting for one message: each the
// carrying ID (16 bytes), a uvarint length and the record.
func decodeWaiting(v []byte) ([]waitingEntry, error) {
	var out []waitingEntry
	for len(v) > 0 {
		var e waitingEntry
		if len(v) < len(e.carry) {
			return nil, fmt.Errorf("%w: waiting action", ErrCorrupt)
		}
		copy(e.carry[:], v)
		v = v[len(e.carry):]
		n, w := binary.Uvarint(v)
		if w <= 0 || n > uint64(len(v)-w) {
			return nil, fmt.Errorf("%w: waiting action", ErrCorrupt)
		}
		e.rec = v[w : w+int(n)]
		v = v[w+int(n):]
		out = append(out, e)
	}
	return out, nil
}

// deleteActionRecords removes message id's edit versions and reactions
// (DeleteMessage: they hold its text and who reacted).
func deleteActionRecords(txn *bdg.Txn, id storage.MessageID) error {
	for _, p := range []byte{pEditVersion, pReaction} {
		var keys [][]byte
		if err := scan(txn, keyID(p, id), false, func(k, _ []byte) (bool, error) {
			keys = append(keys, k)
			return true, nil
		}); err != nil {
			return err
		}
		for _, k := range keys {
			if err := txn.Delete(k); err != nil {
				return err
			}
		}
	}
	return nil
}

func (s *Store) getRecord(ctx context.Context, what string, k []byte) ([]byte, error) {
	var out []byte
	err := s.read(ctx, func(txn *bdg.Txn) error {
		v, ok, err := get(txn, k)
		if err != nil {
			return err
		}
		if !ok {
			return storage.ErrNotFound
		}
		out = v
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}

func (s *Store) scanRecords(ctx context.Context, what string, prefix []byte) ([][]byte, error) {
	var out [][]byte
	err := s.read(ctx, func(txn *bdg.Txn) error {
		out = out[:0]
		return scan(txn, prefix, true, func(_, v []byte) (bool, error) {
			out = append(out, v)
			return true, nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}
