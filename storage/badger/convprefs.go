package badger

import (
	"bytes"
	"context"
	"fmt"

	bdg "github.com/dgraph-io/badger/v4"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

// Quotes of replies ("Q") and conversation preferences ("c") are opaque
// records of the node's replies and prefs features (marshaled pb.Quote and
// pb.ChatPrefs); the store bounds their size only.
const (
	// MaxQuoteRecord bounds a quote record: a 16 KiB preview, a snippet
	// of 200 characters, a file name and two identifiers.
	MaxQuoteRecord = 20 << 10
	// MaxChatPrefsRecord bounds a conversation's preferences record.
	MaxChatPrefsRecord = 256
)

// keyQuoteOf is "Q" original reply: the index of the replies that quote
// original (33 bytes; a quote's own key "Q" reply is 17).
func keyQuoteOf(original, reply storage.MessageID) []byte {
	return append(keyID(pQuote, original), reply[:]...)
}

// PutQuote stores the quote reply carries (raw: a marshaled pb.Quote),
// indexed by the message it quotes.
func (s *Store) PutQuote(ctx context.Context, reply storage.MessageID, raw []byte) error {
	var q pb.Quote
	if len(raw) == 0 || len(raw) > MaxQuoteRecord || proto.Unmarshal(raw, &q) != nil || len(q.MessageId) != len(storage.MessageID{}) {
		return fmt.Errorf("put quote: %w: not a quote (%d bytes)", ErrInvalid, len(raw))
	}
	if err := s.write(ctx, func(txn *bdg.Txn) error {
		if err := txn.Set(keyQuoteOf(storage.MessageID(q.MessageId), reply), nil); err != nil {
			return err
		}
		return txn.Set(keyID(pQuote, reply), bytes.Clone(raw))
	}); err != nil {
		return fmt.Errorf("put quote: %w", err)
	}
	return nil
}

// Quote returns the quote message reply carries, or an error wrapping
// storage.ErrNotFound.
func (s *Store) Quote(ctx context.Context, reply storage.MessageID) ([]byte, error) {
	var raw []byte
	err := s.read(ctx, func(txn *bdg.Txn) error {
		b, ok, err := get(txn, keyID(pQuote, reply))
		if err == nil && !ok {
			err = storage.ErrNotFound
		}
		raw = b
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("quote: %w", err)
	}
	return raw, nil
}

// ForEachQuote calls fn with every quote stored, in reply ID order.
func (s *Store) ForEachQuote(ctx context.Context, fn func(reply storage.MessageID, raw []byte) error) error {
	err := s.read(ctx, func(txn *bdg.Txn) error {
		return scan(txn, key1(pQuote), true, func(k, v []byte) (bool, error) {
			if len(k) == 1+2*len(storage.MessageID{}) {
				return true, nil // the index of a quoted message's replies
			}
			id, err := storage.MessageIDFromBytes(k[1:])
			if err != nil {
				return false, fmt.Errorf("%w: quote key of %d bytes", ErrCorrupt, len(k))
			}
			return true, fn(id, v)
		})
	})
	if err != nil {
		return fmt.Errorf("quotes: %w", err)
	}
	return nil
}

// forgetQuotes runs in DeleteMessage(id): it removes the quote message id
// carries with its index entry, and blanks what the quotes of replies to
// id show of it (text, preview, file name), so none of its content stays
// on disk; they still name it and its author.
func forgetQuotes(txn *bdg.Txn, id storage.MessageID) error {
	own, ok, err := get(txn, keyID(pQuote, id))
	if err != nil {
		return err
	}
	if ok {
		var q pb.Quote
		if proto.Unmarshal(own, &q) == nil && len(q.MessageId) == len(storage.MessageID{}) {
			if err := txn.Delete(keyQuoteOf(storage.MessageID(q.MessageId), id)); err != nil {
				return err
			}
		}
		if err := txn.Delete(keyID(pQuote, id)); err != nil {
			return err
		}
	}
	var replies []storage.MessageID
	if err := scan(txn, keyID(pQuote, id), false, func(k, _ []byte) (bool, error) {
		if len(k) == 1+2*len(storage.MessageID{}) {
			replies = append(replies, storage.MessageID(k[1+len(storage.MessageID{}):]))
		}
		return true, nil
	}); err != nil {
		return err
	}
	for _, reply := range replies {
		raw, ok, err := get(txn, keyID(pQuote, reply))
		if err != nil {
			return err
		}
		var q pb.Quote
		if !ok || proto.Unmarshal(raw, &q) != nil {
			continue
		}
		blank, err := proto.MarshalOptions{Deterministic: true}.Marshal(&pb.Quote{MessageId: q.MessageId, Author: q.Author})
		if err != nil {
			return err
		}
		if err := txn.Set(keyID(pQuote, reply), blank); err != nil {
			return err
		}
	}
	return nil
}

// PutChatPrefs stores the preferences of the conversation with chat (an
// account or a group ID); nil raw removes them.
func (s *Store) PutChatPrefs(ctx context.Context, chat storage.Account, raw []byte) error {
	if len(raw) > MaxChatPrefsRecord {
		return fmt.Errorf("put chat prefs: %w: %d bytes", ErrInvalid, len(raw))
	}
	err := s.write(ctx, func(txn *bdg.Txn) error {
		if raw == nil {
			return txn.Delete(keyAccount(pChatPrefs, chat))
		}
		return txn.Set(keyAccount(pChatPrefs, chat), append([]byte{}, raw...))
	})
	if err != nil {
		return fmt.Errorf("put chat prefs: %w", err)
	}
	return nil
}

// ChatPrefs returns the preferences of the conversation with chat, or an
// error wrapping storage.ErrNotFound.
func (s *Store) ChatPrefs(ctx context.Context, chat storage.Account) ([]byte, error) {
	var raw []byte
	err := s.read(ctx, func(txn *bdg.Txn) error {
		b, ok, err := get(txn, keyAccount(pChatPrefs, chat))
		if err == nil && !ok {
			err = storage.ErrNotFound
		}
		raw = b
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("chat prefs: %w", err)
	}
	return raw, nil
}

// ForEachChatPrefs calls fn with the preferences of every conversation
// that has some, in chat order.
func (s *Store) ForEachChatPrefs(ctx context.Context, fn func(chat storage.Account, raw []byte) error) error {
	err := s.read(ctx, func(txn *bdg.Txn) error {
		return scan(txn, key1(pChatPrefs), true, func(k, v []byte) (bool, error) {
			if len(k) != 1+len(storage.Account{}) {
				return false, fmt.Errorf("%w: chat prefs key of %d bytes", ErrCorrupt, len(k))
			}
			return true, fn(storage.Account(k[1:]), v)
		})
	})
	if err != nil {
		return fmt.Errorf("chat prefs: %w", err)
	}
	return nil
}

// Tombstoned reports whether message id was deleted for everyone: the
// actions feature keeps a tombstone under "t" id.
func (s *Store) Tombstoned(ctx context.Context, id storage.MessageID) (bool, error) {
	var found bool
	err := s.read(ctx, func(txn *bdg.Txn) (err error) {
		found, err = exists(txn, keyID(pTombstone, id))
		return err
	})
	if err != nil {
		return false, fmt.Errorf("tombstoned: %w", err)
	}
	return found, nil
}
