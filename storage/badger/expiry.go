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

// Disappearing messages (node/expiry): each chat's timer, the deadline
// index the sweep reads, and the incoming disappearing messages whose
// countdown a read starts (see doc.go for the keys).

// Sub-kinds of the "f" prefix.
const (
	fTimer     = 't' // f t chat(32) → the chat's timer record
	fCountdown = 'c' // f c chat(32) id(16) → empty: an incoming disappearing message
	fRead      = 'r' // f r chat(32) → upTo(16) at(8): the chat's latest read
)

// maxTimerRecord bounds a timer record (the caller's encoding).
const maxTimerRecord = 256

func keyDeadline(at time.Time, id storage.MessageID) []byte {
	k := make([]byte, 0, 1+8+len(id))
	k = append(k, pDeadline)
	k = binary.BigEndian.AppendUint64(k, uint64(max(unixNanos(at), 0)))
	return append(k, id[:]...)
}

func keyExpiry(sub byte, chat storage.Account, id *storage.MessageID) []byte {
	k := make([]byte, 0, 2+len(chat)+16)
	k = append(k, pExpiry, sub)
	k = append(k, chat[:]...)
	if id != nil {
		k = append(k, id[:]...)
	}
	return k
}

// PutTimer stores chat's disappearing-messages timer record (its encoding
// is the caller's, at most 256 bytes).
func (s *Store) PutTimer(ctx context.Context, chat storage.Account, record []byte) error {
	if len(record) == 0 || len(record) > maxTimerRecord {
		return fmt.Errorf("put timer: %w: record of %d bytes", ErrInvalid, len(record))
	}
	return s.write(ctx, func(txn *bdg.Txn) error {
		return txn.Set(keyExpiry(fTimer, chat, nil), bytes.Clone(record))
	})
}

// Timer returns chat's timer record, nil when none was stored.
func (s *Store) Timer(ctx context.Context, chat storage.Account) ([]byte, error) {
	var v []byte
	err := s.read(ctx, func(txn *bdg.Txn) error {
		var err error
		v, _, err = get(txn, keyExpiry(fTimer, chat, nil))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("timer: %w", err)
	}
	return v, nil
}

// Timers calls fn with every chat's timer record, in chat order.
func (s *Store) Timers(ctx context.Context, fn func(chat storage.Account, record []byte)) error {
	return s.read(ctx, func(txn *bdg.Txn) error {
		return scan(txn, []byte{pExpiry, fTimer}, true, func(k, v []byte) (bool, error) {
			var chat storage.Account
			if len(k) != 2+len(chat) {
				return false, fmt.Errorf("timers: %w: key of %d bytes", ErrCorrupt, len(k))
			}
			copy(chat[:], k[2:])
			fn(chat, v)
			return true, nil
		})
	})
}

// PutDeadline adds message id of chat, due at at, to the deadline index.
func (s *Store) PutDeadline(ctx context.Context, d storage.Deadline) error {
	return s.write(ctx, func(txn *bdg.Txn) error {
		return txn.Set(keyDeadline(d.At, d.ID), bytes.Clone(d.Chat[:]))
	})
}

// DeleteDeadline removes an entry of the deadline index.
func (s *Store) DeleteDeadline(ctx context.Context, at time.Time, id storage.MessageID) error {
	return s.write(ctx, func(txn *bdg.Txn) error { return txn.Delete(keyDeadline(at, id)) })
}

// Deadlines returns up to limit entries of the deadline index after
// entry after (its time and ID; a zero ID: from that time on) and due by
// until, earliest first; with a zero until, whatever their time (limit 1:
// when the sweep next has work). Starting past entries already removed
// saves walking over their tombstones until compaction drops them.
func (s *Store) Deadlines(ctx context.Context, after storage.Deadline, until time.Time, limit int) ([]storage.Deadline, error) {
	var out []storage.Deadline
	err := s.read(ctx, func(txn *bdg.Txn) error {
		prefix := []byte{pDeadline}
		it := txn.NewIterator(bdg.IteratorOptions{Prefix: prefix, PrefetchValues: true, PrefetchSize: min(limit, 100)})
		defer it.Close()
		start := keyDeadline(after.At, after.ID)
		for it.Seek(start); it.ValidForPrefix(prefix) && len(out) < limit; it.Next() {
			item := it.Item()
			k := item.Key()
			if bytes.Equal(k, start) {
				continue
			}
			var d storage.Deadline
			if len(k) != 1+8+len(d.ID) || item.ValueSize() != int64(len(d.Chat)) {
				return fmt.Errorf("%w: deadline entry of %d+%d bytes", ErrCorrupt, len(k), item.ValueSize())
			}
			d.At = time.Unix(0, int64(binary.BigEndian.Uint64(k[1:])))
			if !until.IsZero() && d.At.After(until) {
				break
			}
			copy(d.ID[:], k[9:])
			if _, err := item.ValueCopy(d.Chat[:0]); err != nil {
				return err
			}
			out = append(out, d)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("deadlines: %w", err)
	}
	return out, nil
}

// PutCountdown marks an incoming disappearing message of chat: a read of
// the chat up to it starts its countdown, or moves its deadline earlier
// (a read on another device made before). Once the countdown started the
// mark lives until a minute past the deadline (Badger TTL): by then the
// sweep removed the message.
func (s *Store) PutCountdown(ctx context.Context, chat storage.Account, c storage.Countdown) error {
	v := binary.BigEndian.AppendUint64(make([]byte, 0, 16), uint64(max(c.ExpireAfter, 0)))
	v = binary.BigEndian.AppendUint64(v, uint64(max(unixNanos(c.ExpiresAt), 0)))
	return s.write(ctx, func(txn *bdg.Txn) error {
		e := bdg.NewEntry(keyExpiry(fCountdown, chat, &c.ID), v)
		if !c.ExpiresAt.IsZero() {
			ttl := time.Until(c.ExpiresAt) + time.Minute
			e = e.WithTTL(max(ttl, time.Minute))
		}
		return txn.SetEntry(e)
	})
}

// DeleteCountdown removes a PutCountdown mark.
func (s *Store) DeleteCountdown(ctx context.Context, chat storage.Account, id storage.MessageID) error {
	return s.write(ctx, func(txn *bdg.Txn) error { return txn.Delete(keyExpiry(fCountdown, chat, &id)) })
}

// Countdowns returns the marked messages of chat up to and including
// upTo, oldest first.
func (s *Store) Countdowns(ctx context.Context, chat storage.Account, upTo storage.MessageID) ([]storage.Countdown, error) {
	var out []storage.Countdown
	err := s.read(ctx, func(txn *bdg.Txn) error {
		return scan(txn, keyExpiry(fCountdown, chat, nil), true, func(k, v []byte) (bool, error) {
			var c storage.Countdown
			if len(k) != 2+len(chat)+len(c.ID) || len(v) != 16 {
				return false, fmt.Errorf("%w: countdown entry of %d+%d bytes", ErrCorrupt, len(k), len(v))
			}
			copy(c.ID[:], k[2+len(chat):])
			if bytes.Compare(c.ID[:], upTo[:]) > 0 {
				return false, nil
			}
			c.ExpireAfter = time.Duration(binary.BigEndian.Uint64(v))
			if at := int64(binary.BigEndian.Uint64(v[8:])); at != 0 {
				c.ExpiresAt = time.Unix(0, at)
			}
			out = append(out, c)
			return true, nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("countdowns: %w", err)
	}
	return out, nil
}

func unixNanos(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

// PutChatRead records that chat was read up to upTo at at (the read that
// starts the countdown of messages that arrive after it).
func (s *Store) PutChatRead(ctx context.Context, chat storage.Account, upTo storage.MessageID, at time.Time) error {
	v := binary.BigEndian.AppendUint64(bytes.Clone(upTo[:]), uint64(max(unixNanos(at), 0)))
	return s.write(ctx, func(txn *bdg.Txn) error { return txn.Set(keyExpiry(fRead, chat, nil), v) })
}

// ChatRead returns what PutChatRead stored (a zero upTo when nothing).
func (s *Store) ChatRead(ctx context.Context, chat storage.Account) (upTo storage.MessageID, at time.Time, err error) {
	err = s.read(ctx, func(txn *bdg.Txn) error {
		v, ok, err := get(txn, keyExpiry(fRead, chat, nil))
		if err != nil || !ok {
			return err
		}
		if len(v) != len(upTo)+8 {
			return fmt.Errorf("%w: chat read of %d bytes", ErrCorrupt, len(v))
		}
		copy(upTo[:], v)
		at = time.Unix(0, int64(binary.BigEndian.Uint64(v[len(upTo):])))
		return nil
	})
	if err != nil {
		return storage.MessageID{}, time.Time{}, fmt.Errorf("chat read: %w", err)
	}
	return upTo, at, nil
}
