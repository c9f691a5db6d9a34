package badger

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	bdg "github.com/dgraph-io/badger/v4"

	"github.com/pigeon-net/pigeon/storage"
)

// History limits.
const (
	defaultHistoryLimit = 50
	maxHistoryLimit     = 1000
)

func isUnread(m *storage.Message) bool {
	return m.Direction == storage.Incoming && m.State == storage.Received
}

// InsertMessage adds m to its conversation with m.Peer. It fails with an
// error wrapping storage.ErrExists when a message with m.ID is stored in any
// conversation. A zero StoredAt is set to the current time. The
// conversation's summary (last message, unread count) is updated in the same
// transaction.
func (s *Store) InsertMessage(ctx context.Context, m storage.Message) error {
	if m.ID.IsZero() || !validDirection(m.Direction) || !validState(m.State) {
		return fmt.Errorf("insert message: %w: id, direction or state unset", ErrInvalid)
	}
	if m.StoredAt.IsZero() {
		m.StoredAt = time.Now()
	}
	if err := s.space.admit(uint64(len(m.Text)), true); err != nil {
		return fmt.Errorf("insert message: %w", err)
	}
	var refused error // a hook's refusal
	in := m
	err := s.Update(ctx, func(ctx context.Context) error {
		m = in // hooks change m; a retried transaction starts over
		txn, err := s.writeTxn(ctx)
		if err != nil {
			return err
		}
		idx := keyID(pMessageIndex, m.ID)
		dup, err := exists(txn, idx)
		if err != nil {
			return err
		}
		if dup {
			return storage.ErrExists
		}
		switch deleted, err := exists(txn, keyID(pTombstone, m.ID)); {
		case err != nil:
			return err
		case deleted:
			// Never again (actions.go). What this copy left already (the
			// account-log op that brought it, indexed before its fold)
			// goes as the message did.
			if _, err := purgeMessage(txn, m.ID, nil); err != nil {
				return err
			}
			refused = fmt.Errorf("%w: deleted", storage.ErrExists)
			return nil
		}
		refused = nil
		for _, h := range s.insertHooks() {
			switch err := h(ctx, &m); {
			case errors.Is(err, storage.ErrExists):
				refused = err // keep the hook's writes (a tombstone)
				if _, err := purgeMessage(txn, m.ID, nil); err != nil {
					return err
				}
				return nil
			case err != nil:
				return err
			}
		}
		if len(m.Text) > maxTextLen || m.Edits > maxEdits {
			return fmt.Errorf("%w: text or edits out of bounds", ErrInvalid)
		}
		if err := txn.Set(idx, bytes.Clone(m.Peer[:])); err != nil {
			return err
		}
		if err := txn.Set(keyAccountID(pHistory, m.Peer, m.ID), encodeMessage(&m)); err != nil {
			return err
		}
		if err := s.queueIndex(txn, m.ID); err != nil {
			return err
		}
		sum, _, err := loadSummary(txn, m.Peer)
		if err != nil {
			return err
		}
		if bytes.Compare(m.ID[:], sum.Last[:]) > 0 {
			sum.Last = m.ID
		}
		if isUnread(&m) {
			sum.Unread++
			if err := txn.Set(keyAccountID(pUnread, m.Peer, m.ID), nil); err != nil {
				return err
			}
		}
		return txn.Set(keyAccount(pSummary, m.Peer), encodeSummary(sum))
	})
	if err == nil {
		err = refused
	}
	if err != nil {
		return fmt.Errorf("insert message: %w", err)
	}
	return nil
}

func loadSummary(txn *bdg.Txn, peer storage.Account) (summary, bool, error) {
	b, ok, err := get(txn, keyAccount(pSummary, peer))
	if err != nil || !ok {
		return summary{}, false, err
	}
	sum, err := decodeSummary(b)
	return sum, err == nil, err
}

// loadMessage finds a message by ID through the global index.
func loadMessage(txn *bdg.Txn, id storage.MessageID) (storage.Message, error) {
	peer, ok, err := get(txn, keyID(pMessageIndex, id))
	if err != nil {
		return storage.Message{}, err
	}
	if !ok {
		return storage.Message{}, storage.ErrNotFound
	}
	if len(peer) != len(storage.Account{}) {
		return storage.Message{}, fmt.Errorf("%w: message index entry of %d bytes", ErrCorrupt, len(peer))
	}
	return loadHistory(txn, storage.Account(peer), id)
}

func loadHistory(txn *bdg.Txn, peer storage.Account, id storage.MessageID) (storage.Message, error) {
	b, ok, err := get(txn, keyAccountID(pHistory, peer, id))
	if err != nil {
		return storage.Message{}, err
	}
	if !ok {
		return storage.Message{}, storage.ErrNotFound
	}
	return decodeMessage(b)
}

// Message returns the message with id, or an error wrapping
// storage.ErrNotFound.
func (s *Store) Message(ctx context.Context, id storage.MessageID) (storage.Message, error) {
	var m storage.Message
	err := s.read(ctx, func(txn *bdg.Txn) (err error) {
		m, err = loadMessage(txn, id)
		return err
	})
	if err != nil {
		return storage.Message{}, fmt.Errorf("message: %w", err)
	}
	return m, nil
}

// SetMessageState moves message id to state st if st ranks higher than its
// current state (see storage.State.Rank) and returns the message as stored
// afterwards; changed reports whether it was updated. The conversation's
// unread count follows.
func (s *Store) SetMessageState(ctx context.Context, id storage.MessageID, st storage.State) (m storage.Message, changed bool, err error) {
	if !validState(st) {
		return storage.Message{}, false, fmt.Errorf("set message state: %w: state %d", ErrInvalid, st)
	}
	err = s.write(ctx, func(txn *bdg.Txn) error {
		changed = false
		var err error
		if m, err = loadMessage(txn, id); err != nil {
			return err
		}
		// Failed is only for a message still pending (the outbox gave
		// up); any other state only moves forward.
		if st == storage.Failed && m.State != storage.Pending || st != storage.Failed && st.Rank() <= m.State.Rank() {
			return nil
		}
		was := isUnread(&m)
		m.State = st
		changed = true
		if err := txn.Set(keyAccountID(pHistory, m.Peer, m.ID), encodeMessage(&m)); err != nil {
			return err
		}
		now := isUnread(&m)
		if was == now {
			return nil
		}
		sum, _, err := loadSummary(txn, m.Peer)
		if err != nil {
			return err
		}
		uk := keyAccountID(pUnread, m.Peer, m.ID)
		if now {
			sum.Unread++
			err = txn.Set(uk, nil)
		} else {
			if sum.Unread > 0 {
				sum.Unread--
			}
			err = txn.Delete(uk)
		}
		if err != nil {
			return err
		}
		return txn.Set(keyAccount(pSummary, m.Peer), encodeSummary(sum))
	})
	if err != nil {
		return storage.Message{}, false, fmt.Errorf("set message state: %w", err)
	}
	return m, changed, nil
}

// UpdateMessage applies change to message id and stores the result,
// returning it. change may set the text and the fields of edits, replies
// and expiry; it must leave the ID, conversation, sender, direction and
// state alone (SetMessageState moves states), else nothing is stored and
// the error wraps ErrInvalid. An error from change is returned as is,
// nothing stored. A missing message fails with storage.ErrNotFound.
func (s *Store) UpdateMessage(ctx context.Context, id storage.MessageID, change func(*storage.Message) error) (storage.Message, error) {
	var m storage.Message
	err := s.write(ctx, func(txn *bdg.Txn) error {
		old, err := loadMessage(txn, id)
		if err != nil {
			return err
		}
		m = old
		if err := change(&m); err != nil {
			return err
		}
		if m.ID != old.ID || m.Peer != old.Peer || m.Group != old.Group || m.Sender != old.Sender ||
			m.SenderDevice != old.SenderDevice || m.Direction != old.Direction || m.State != old.State {
			return fmt.Errorf("%w: only the text, edits, reply and expiry may change", ErrInvalid)
		}
		if len(m.Text) > maxTextLen || m.Edits > maxEdits || m.ExpireAfter < 0 || m.ExpireAfter > maxExpireAfter {
			return fmt.Errorf("%w: text, edits or expiry out of bounds", ErrInvalid)
		}
		if grow := len(m.Text) - len(old.Text); grow > 0 {
			if err := s.space.admit(uint64(grow), true); err != nil {
				return err
			}
		}
		if m.Text != old.Text {
			if err := s.queueIndex(txn, m.ID); err != nil {
				return err
			}
		}
		return txn.Set(keyAccountID(pHistory, m.Peer, m.ID), encodeMessage(&m))
	})
	if err != nil {
		return storage.Message{}, fmt.Errorf("update message: %w", err)
	}
	return m, nil
}

// History returns up to limit messages of the conversation with peer whose
// IDs are below before (the newest when before is zero), oldest first.
// limit <= 0 means 50; it is capped at 1000.
func (s *Store) History(ctx context.Context, peer storage.Account, before storage.MessageID, limit int) ([]storage.Message, error) {
	if limit <= 0 {
		limit = defaultHistoryLimit
	}
	limit = min(limit, maxHistoryLimit)
	prefix := keyAccount(pHistory, peer)
	seek := make([]byte, 0, len(prefix)+len(before))
	seek = append(seek, prefix...)
	if before.IsZero() {
		seek = append(seek, bytes.Repeat([]byte{0xFF}, len(before))...)
	} else {
		seek = append(seek, before[:]...)
	}
	var out []storage.Message
	err := s.read(ctx, func(txn *bdg.Txn) error {
		out = out[:0]
		it := txn.NewIterator(bdg.IteratorOptions{
			Prefix: prefix, Reverse: true, PrefetchValues: true, PrefetchSize: min(limit, 100),
		})
		defer it.Close()
		for it.Seek(seek); it.ValidForPrefix(prefix) && len(out) < limit; it.Next() {
			item := it.Item()
			if !before.IsZero() && bytes.Equal(item.Key(), seek) {
				continue
			}
			var m storage.Message
			err := item.Value(func(v []byte) (err error) {
				m, err = decodeMessage(v)
				return err
			})
			if err != nil {
				return err
			}
			out = append(out, m)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	slices.Reverse(out)
	return out, nil
}

// Conversations returns every conversation, the one with the most recent
// last message first.
func (s *Store) Conversations(ctx context.Context) ([]storage.Conversation, error) {
	var out []storage.Conversation
	err := s.read(ctx, func(txn *bdg.Txn) error {
		out = nil
		return scan(txn, key1(pSummary), true, func(k, v []byte) (bool, error) {
			if len(k) != 1+len(storage.Account{}) {
				return false, fmt.Errorf("%w: summary key of %d bytes", ErrCorrupt, len(k))
			}
			sum, err := decodeSummary(v)
			if err != nil {
				return false, err
			}
			peer := storage.Account(k[1:])
			last, err := loadHistory(txn, peer, sum.Last)
			if err != nil {
				return false, fmt.Errorf("last message: %w", err)
			}
			out = append(out, storage.Conversation{Peer: peer, Last: last, Unread: int(min(sum.Unread, 1<<31-1))})
			return true, nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("conversations: %w", err)
	}
	slices.SortFunc(out, func(a, b storage.Conversation) int {
		if c := bytes.Compare(b.Last.ID[:], a.Last.ID[:]); c != 0 {
			return c
		}
		return bytes.Compare(a.Peer[:], b.Peer[:])
	})
	return out, nil
}

// UnreadIncoming returns peer's incoming messages still in state Received,
// oldest first.
func (s *Store) UnreadIncoming(ctx context.Context, peer storage.Account) ([]storage.Message, error) {
	prefix := keyAccount(pUnread, peer)
	var out []storage.Message
	err := s.read(ctx, func(txn *bdg.Txn) error {
		out = nil
		var ids []storage.MessageID
		if err := scan(txn, prefix, false, func(k, _ []byte) (bool, error) {
			if len(k) != len(prefix)+len(storage.MessageID{}) {
				return false, fmt.Errorf("%w: unread key of %d bytes", ErrCorrupt, len(k))
			}
			ids = append(ids, storage.MessageID(k[len(prefix):]))
			return true, nil
		}); err != nil {
			return err
		}
		for _, id := range ids {
			m, err := loadHistory(txn, peer, id)
			if err != nil {
				return err
			}
			out = append(out, m)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("unread incoming: %w", err)
	}
	return out, nil
}
