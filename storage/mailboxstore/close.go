package mailboxstore

import (
	"context"
	"fmt"
	"time"

	bdg "github.com/dgraph-io/badger/v4"

	"github.com/pigeon-net/pigeon/protocol/mailbox"
)

// closeBatch bounds the queue entries one operation of CloseBox deletes,
// so that each fits in a Badger transaction whatever the quota.
const closeBatch = 4096

// CloseBox implements mailbox.Store. The first operation ends the
// registration, writes the closed marker and deletes the prekeys and the
// first batch of the queue; further ones delete the rest of the queue
// while the box stays closed (nothing can be deposited meanwhile).
func (s *Store) CloseBox(ctx context.Context, c mailbox.Closing) ([]mailbox.DepositID, error) {
	const what = "close box"
	if c.Sequence == 0 || c.PeerID == "" {
		return nil, fmt.Errorf("%s: %w: unset fields", what, mailbox.ErrMalformed)
	}
	box := c.Box
	var dropped []mailbox.DepositID
	var batch queueBatch
	err := s.submit(ctx, &op{cost: aloneCost + 1, sync: true, exclusive: true, apply: func(w *wtx) error {
		now := time.Now()
		until := c.Until
		v, ok, err := get(w.txn, regKey(box))
		if err != nil {
			return err
		}
		if ok {
			reg, err := decodeRegistration(box, v)
			if err != nil {
				return err
			}
			if c.Sequence <= reg.Sequence {
				return fmt.Errorf("%w: sequence %d not above the registration's %d", mailbox.ErrReplay, c.Sequence, reg.Sequence)
			}
			if reg.ExpiresAt.After(now) {
				until = reg.ExpiresAt
			}
		}
		cv, closed, err := get(w.txn, closedKey(box))
		if err != nil {
			return err
		}
		if closed {
			seq, _, err := decodeClosed(cv)
			if err != nil {
				return err
			}
			if c.Sequence <= seq {
				return fmt.Errorf("%w: sequence %d not above the last closing's %d", mailbox.ErrReplay, c.Sequence, seq)
			}
		}
		if !until.After(now) {
			until = now.Add(mailbox.DefaultClosedTTL)
		}
		// Read everything before writing anything.
		if batch, err = nextBatch(w, box); err != nil {
			return err
		}
		_, prekeys := countPreKeys(w.txn, box, true)
		for _, k := range append(prekeys, regKey(box), pushKey(box), boxKey(pSignedPK, box, 0)) {
			if err := w.del(k); err != nil {
				return err
			}
		}
		if err := w.set(entry(closedKey(box), encodeClosed(c.Sequence, c.ClosedAt), until)); err != nil {
			return err
		}
		w.s.regs[box] = regInfo{closed: true}
		return batch.drop(w, box)
	}})
	if err == nil {
		dropped = batch.ids(dropped)
	}
	for err == nil && batch.more {
		batch = queueBatch{}
		err = s.submit(ctx, &op{cost: aloneCost + 1, exclusive: true, apply: func(w *wtx) error {
			ri, err := w.registration(box)
			if err != nil || !ri.closed {
				return err // reopened meanwhile: what is queued now stays
			}
			if batch, err = nextBatch(w, box); err != nil {
				return err
			}
			return batch.drop(w, box)
		}})
		if err == nil {
			dropped = batch.ids(dropped)
		}
	}
	if err != nil {
		return dropped, fmt.Errorf("%s: %w", what, err)
	}
	return dropped, nil
}

// queueBatch is up to closeBatch queued deposits of a box to delete.
type queueBatch struct {
	keys    [][]byte
	entries []queueEntry
	more    bool     // more are queued after them
	c       counters // the account's, before the batch goes
}

// nextBatch reads the oldest closeBatch deposits of the box. It runs in a
// quiet group (it reads the queue from the transaction).
func nextBatch(w *wtx, box mailbox.Box) (queueBatch, error) {
	var b queueBatch
	var err error
	if b.c, err = w.counter(box.Account); err != nil {
		return b, err
	}
	err = scanQueue(w.txn, box, func(item *bdg.Item, e queueEntry) (bool, error) {
		if len(b.keys) == closeBatch {
			b.more = true
			return false, nil
		}
		b.keys = append(b.keys, item.KeyCopy(nil))
		b.entries = append(b.entries, e)
		return true, nil
	})
	return b, err
}

// drop deletes the batch and takes it off the account's counters.
func (b queueBatch) drop(w *wtx, box mailbox.Box) error {
	if len(b.keys) == 0 {
		return nil
	}
	c := b.c
	for i, k := range b.keys {
		if err := w.del(k); err != nil {
			return err
		}
		e := b.entries[i]
		w.noteAcked(e.name)
		c = c.add(-1, e.size, e.stranger)
	}
	w.setCounter(box.Account, c)
	return nil
}

// ids appends the batch's deposit IDs to ids.
func (b queueBatch) ids(ids []mailbox.DepositID) []mailbox.DepositID {
	for _, e := range b.entries {
		ids = append(ids, mailbox.DepositID(e.name[36:]))
	}
	return ids
}
