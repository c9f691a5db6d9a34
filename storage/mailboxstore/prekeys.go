package mailboxstore

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"

	bdg "github.com/dgraph-io/badger/v4"

	"github.com/pigeon-net/pigeon/protocol/mailbox"
)

// countPreKeys counts (and, with keys set, collects) a box's one-time
// prekey keys.
func countPreKeys(txn *bdg.Txn, box mailbox.Box, keys bool) (int, [][]byte) {
	prefix := boxKey(pPreKey, box, 0)
	it := txn.NewIterator(bdg.IteratorOptions{Prefix: prefix})
	defer it.Close()
	n := 0
	var ks [][]byte
	for it.Rewind(); it.ValidForPrefix(prefix); it.Next() {
		n++
		if keys {
			ks = append(ks, it.Item().KeyCopy(nil))
		}
	}
	return n, ks
}

// PutPreKeys implements mailbox.Store. Prekeys expire with the box's
// registration.
func (s *Store) PutPreKeys(ctx context.Context, box mailbox.Box, oneTime []mailbox.PreKey, signed []byte, replace bool, limit int) (int, error) {
	const what = "put prekeys"
	for _, pk := range oneTime {
		if pk.ID == 0 || len(pk.Bundle) == 0 || len(pk.Bundle) > mailbox.MaxPreKeyBundleSize {
			return 0, fmt.Errorf("%s: %w: prekey %d", what, mailbox.ErrMalformed, pk.ID)
		}
	}
	if len(signed) > mailbox.MaxPreKeyBundleSize {
		return 0, fmt.Errorf("%s: %w: signed bundle", what, mailbox.ErrTooLarge)
	}
	cost := (len(oneTime)+1)*(entryCost+mailbox.MaxPreKeyBundleSize) + limit*entryCost
	var left int
	err := s.submit(ctx, &op{cost: cost, exclusive: true, apply: func(w *wtx) error {
		txn := w.txn
		rv, ok, err := get(txn, regKey(box))
		if err != nil {
			return err
		}
		if !ok {
			return mailbox.ErrNotRegistered
		}
		reg, err := decodeRegistration(box, rv)
		if err != nil {
			return err
		}
		n, old := countPreKeys(txn, box, replace)
		present := make(map[uint32]bool)
		if replace {
			n = 0
		}
		for _, pk := range oneTime {
			if present[pk.ID] {
				continue
			}
			present[pk.ID] = true
			if !replace {
				if _, err := txn.Get(preKeyKeyOf(box, pk.ID)); err == nil {
					continue // replaces a stored one
				} else if err != bdg.ErrKeyNotFound {
					return err
				}
			}
			n++
		}
		if n > limit {
			return fmt.Errorf("%w: %d prekeys, at most %d", mailbox.ErrPreKeyPoolFull, n, limit)
		}
		for _, k := range old {
			id := binary.BigEndian.Uint32(k[boxKeySize:])
			if !present[id] {
				if err := w.del(k); err != nil {
					return err
				}
			}
		}
		for _, pk := range oneTime {
			if err := w.set(entry(preKeyKeyOf(box, pk.ID), bytes.Clone(pk.Bundle), reg.ExpiresAt)); err != nil {
				return err
			}
		}
		if len(signed) > 0 {
			if err := w.set(entry(boxKey(pSignedPK, box, 0), bytes.Clone(signed), reg.ExpiresAt)); err != nil {
				return err
			}
		}
		left = n
		return nil
	}})
	if err != nil {
		return 0, fmt.Errorf("%s: %w", what, err)
	}
	return left, nil
}

// TakePreKey implements mailbox.Store. A handed-out one-time prekey is
// deleted durably (fsynced) before it is returned, so it is never handed
// out twice.
func (s *Store) TakePreKey(ctx context.Context, box mailbox.Box) (mailbox.PreKey, bool, error) {
	var pk mailbox.PreKey
	var oneTime bool
	err := s.submit(ctx, &op{cost: entryCost, sync: true, exclusive: true, apply: func(w *wtx) error {
		txn := w.txn
		pk, oneTime = mailbox.PreKey{}, false
		prefix := boxKey(pPreKey, box, 0)
		it := txn.NewIterator(bdg.IteratorOptions{Prefix: prefix, PrefetchSize: 1})
		it.Rewind()
		if it.ValidForPrefix(prefix) {
			item := it.Item()
			k := item.KeyCopy(nil)
			v, err := item.ValueCopy(nil)
			it.Close()
			if err != nil {
				return err
			}
			if len(k) != preKeyKey {
				return fmt.Errorf("%w: prekey key", ErrCorrupt)
			}
			pk, oneTime = mailbox.PreKey{ID: binary.BigEndian.Uint32(k[boxKeySize:]), Bundle: v}, true
			return w.del(k)
		}
		it.Close()
		v, ok, err := get(txn, boxKey(pSignedPK, box, 0))
		if err != nil {
			return err
		}
		if !ok {
			return mailbox.ErrNoPreKeys
		}
		pk = mailbox.PreKey{Bundle: v}
		return nil
	}})
	if err != nil {
		return mailbox.PreKey{}, false, fmt.Errorf("take prekey: %w", err)
	}
	return pk, oneTime, nil
}

// PreKeysLeft implements mailbox.Store.
func (s *Store) PreKeysLeft(ctx context.Context, box mailbox.Box) (int, error) {
	var n int
	err := s.view(func(txn *bdg.Txn) error {
		n, _ = countPreKeys(txn, box, false)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("prekeys left: %w", err)
	}
	return n, nil
}
