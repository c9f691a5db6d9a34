package mailboxstore

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"time"

	bdg "github.com/dgraph-io/badger/v4"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/pigeon-net/pigeon/protocol/mailbox"
)

// entry is a Badger entry that expires at until.
func entry(k, v []byte, until time.Time) *bdg.Entry {
	e := bdg.NewEntry(k, v)
	e.ExpiresAt = expiry(until)
	return e
}

// expiry is a Badger expiry time: Unix seconds, rounded up.
func expiry(until time.Time) uint64 { return uint64((until.UnixMilli() + 999) / 1000) }

// Register implements mailbox.Store.
func (s *Store) Register(ctx context.Context, reg mailbox.Registration) error {
	const what = "register"
	if reg.Sequence == 0 || reg.ExpiresAt.UnixMilli() <= 0 || reg.PeerID == "" {
		return fmt.Errorf("%s: %w: unset fields", what, mailbox.ErrMalformed)
	}
	v := make([]byte, 0, regHeader+len(reg.PeerID))
	v = append(v, recordVersion)
	v = binary.BigEndian.AppendUint64(v, reg.Sequence)
	v = binary.BigEndian.AppendUint64(v, uint64(reg.ExpiresAt.UnixMilli()))
	v = append(v, reg.PeerID...)
	k := regKey(reg.Box)
	err := s.submit(ctx, &op{cost: entryCost, exclusive: true, apply: func(w *wtx) error {
		old, ok, err := get(w.txn, k)
		if err != nil {
			return err
		}
		if ok {
			prev, err := decodeRegistration(reg.Box, old)
			if err != nil {
				return err
			}
			if reg.Sequence <= prev.Sequence {
				return fmt.Errorf("%w: sequence %d not above %d", mailbox.ErrReplay, reg.Sequence, prev.Sequence)
			}
		}
		if len(reg.Push) > 0 {
			if err := w.set(entry(pushKey(reg.Box), bytes.Clone(reg.Push), reg.ExpiresAt)); err != nil {
				return err
			}
		} else if err := w.del(pushKey(reg.Box)); err != nil {
			return err
		}
		if err := w.set(entry(k, v, reg.ExpiresAt)); err != nil {
			return err
		}
		w.s.regs[reg.Box] = reg.ExpiresAt
		return nil
	}})
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

func decodeRegistration(box mailbox.Box, v []byte) (mailbox.Registration, error) {
	if len(v) <= regHeader || v[0] != recordVersion {
		return mailbox.Registration{}, fmt.Errorf("%w: registration", ErrCorrupt)
	}
	p, err := peer.IDFromBytes(v[regHeader:])
	if err != nil {
		return mailbox.Registration{}, fmt.Errorf("%w: registration peer: %v", ErrCorrupt, err)
	}
	return mailbox.Registration{
		Box:       box,
		PeerID:    p,
		Sequence:  binary.BigEndian.Uint64(v[1:9]),
		ExpiresAt: time.UnixMilli(int64(binary.BigEndian.Uint64(v[9:17]))),
	}, nil
}

// Registration implements mailbox.Store.
func (s *Store) Registration(ctx context.Context, box mailbox.Box) (mailbox.Registration, error) {
	var reg mailbox.Registration
	err := s.view(func(txn *bdg.Txn) error {
		v, ok, err := get(txn, regKey(box))
		if err != nil {
			return err
		}
		if !ok {
			return mailbox.ErrNotRegistered
		}
		if reg, err = decodeRegistration(box, v); err != nil {
			return err
		}
		reg.Push, _, err = get(txn, pushKey(box))
		return err
	})
	if err != nil {
		return mailbox.Registration{}, fmt.Errorf("registration: %w", err)
	}
	return reg, nil
}

// counters are an account's quota counters, kept in memory by the writer
// and computed from the queue keys on first use.
type counters struct {
	count, bytes int64
	// recheck is the earliest Badger expiry (Unix seconds) of what is
	// counted: only from then on can a recount find less.
	recheck uint64
}

// recount computes an account's counters from its queue keys, which
// carry the envelopes' lengths.
func recount(txn *bdg.Txn, account [32]byte) (counters, error) {
	c := counters{recheck: math.MaxUint64}
	prefix := accountQueuePrefix(account)
	it := txn.NewIterator(bdg.IteratorOptions{Prefix: prefix})
	defer it.Close()
	for it.Rewind(); it.ValidForPrefix(prefix); it.Next() {
		item := it.Item()
		_, _, size, ok := parseQueueKey(item.Key())
		if !ok {
			return c, fmt.Errorf("%w: queue key", ErrCorrupt)
		}
		c.count++
		c.bytes += int64(size)
		if e := item.ExpiresAt(); e != 0 {
			c.recheck = min(c.recheck, e)
		}
	}
	return c, nil
}

// Deposit implements mailbox.Store.
func (s *Store) Deposit(ctx context.Context, box mailbox.Box, id mailbox.DepositID, env []byte, q mailbox.Quota) (mailbox.Stored, error) {
	const what = "deposit"
	if len(env) == 0 || len(env) > mailbox.MaxEnvelopeSize {
		return mailbox.Stored{}, fmt.Errorf("%s: %w: envelope of %d bytes", what, mailbox.ErrTooLarge, len(env))
	}
	d := newDeposit(s, box, id, env, q)
	if err := s.submit(ctx, &d.op); err != nil {
		return mailbox.Stored{}, fmt.Errorf("%s: %w", what, err)
	}
	return d.st, nil
}

// deposit is one Deposit's operation. Its record is built before it is
// handed to the writer, in one allocation; the writer only fills in the
// sequence and the time.
type deposit struct {
	op
	s    *Store
	box  mailbox.Box
	id   mailbox.DepositID
	size int
	q    mailbox.Quota
	qk   []byte         // queue key, without the sequence
	qv   []byte         // queue value, without the time
	e    bdg.Entry      // the queue entry
	st   mailbox.Stored // the result
}

func newDeposit(s *Store, box mailbox.Box, id mailbox.DepositID, env []byte, q mailbox.Quota) *deposit {
	d := &deposit{s: s, box: box, id: id, size: len(env), q: q}
	buf := make([]byte, queueKeySize+queueHeader+len(env))
	d.qk, d.qv = buf[:queueKeySize:queueKeySize], buf[queueKeySize:]
	d.qk[0] = pQueue
	copy(d.qk[1:33], box.Account[:])
	binary.BigEndian.PutUint32(d.qk[33:37], box.Device)
	copy(d.qk[boxKeySize+8:], id[:])
	binary.BigEndian.PutUint32(d.qk[boxKeySize+24:], uint32(len(env)))
	d.qv[0] = recordVersion
	copy(d.qv[1:17], id[:])
	copy(d.qv[queueHeader:], env)
	d.op = op{cost: len(d.qv) + 2*entryCost, sync: true, apply: d.apply}
	return d
}

func (d *deposit) apply(w *wtx) error {
	now := time.Now()
	until, err := w.registeredUntil(d.box)
	if err != nil {
		return err
	}
	if !until.After(now) {
		return mailbox.ErrNotRegistered
	}
	rec, ok, err := w.queued(d.box, d.id, now)
	if err != nil {
		return err
	}
	if ok {
		if !bytes.Equal(rec.env, d.qv[queueHeader:]) {
			return fmt.Errorf("%w: deposit id reused with another envelope", mailbox.ErrReplay)
		}
		d.st = mailbox.Stored{
			Seq:         rec.seq,
			DepositedAt: time.UnixMilli(int64(rec.depositedAt)),
			StoredUntil: time.Unix(int64(rec.expiresAt), 0),
			Duplicate:   true,
		}
		return nil
	}
	account, size, q := d.box.Account, int64(d.size), d.q
	c, err := w.counter(account)
	if err != nil {
		return err
	}
	if c.count+1 > int64(q.MaxCount) || c.bytes+size > q.MaxBytes {
		// Only expiries make room that the counters do not know of.
		if uint64(now.Unix()) >= c.recheck {
			if !w.quiet() {
				return errNeedQuiet // the recount must see the group in flight
			}
			if c, err = recount(w.txn, account); err != nil {
				return err
			}
			w.setCounter(account, c) // a correction, kept even if this deposit fails
		}
		switch {
		case c.count+1 > int64(q.MaxCount):
			return mailbox.ErrQuotaCount
		case c.bytes+size > q.MaxBytes:
			return mailbox.ErrQuotaBytes
		}
	}
	expiresAt := expiry(now.Add(d.s.ttl))
	seq := w.nextSeq()
	ms := uint64(now.UnixMilli())
	binary.BigEndian.PutUint64(d.qk[boxKeySize:], seq)
	binary.BigEndian.PutUint64(d.qv[17:25], ms)
	d.e = bdg.Entry{Key: d.qk, Value: d.qv, ExpiresAt: expiresAt}
	if err := w.set(&d.e); err != nil {
		return err
	}
	w.noteQueued(nameOf(d.box, d.id), indexRec{seq: seq, depositedAt: ms, expiresAt: expiresAt, size: uint32(d.size), env: d.qv[queueHeader:]})
	w.setCounter(account, counters{c.count + 1, c.bytes + size, min(c.recheck, expiresAt)})
	d.st = mailbox.Stored{Seq: seq, DepositedAt: time.UnixMilli(int64(ms)), StoredUntil: time.Unix(int64(expiresAt), 0)}
	return nil
}

// Ack implements mailbox.Store.
func (s *Store) Ack(ctx context.Context, box mailbox.Box, ids []mailbox.DepositID) (int, error) {
	var removed int
	err := s.submit(ctx, &op{cost: len(ids) * entryCost, apply: func(w *wtx) error {
		removed = 0
		now := time.Now()
		type victim struct {
			name depositName
			key  []byte
			size uint32
		}
		var victims []victim
		seen := make(map[depositName]bool, len(ids))
		var want map[depositName]bool // maybe queued before the transaction
		for _, id := range ids {
			n := nameOf(box, id)
			if seen[n] {
				continue
			}
			seen[n] = true
			if rec, ok := w.pending(n); ok {
				if rec.live(now) {
					victims = append(victims, victim{n, queueKey(box, rec.seq, id, rec.size), rec.size})
				}
				continue
			}
			if w.s.fs.mayHave(w.s.fs.hash(n)) {
				if want == nil {
					want = make(map[depositName]bool)
				}
				want[n] = true
			}
		}
		if len(want) > 0 {
			err := scanQueue(w.txn, box, func(item *bdg.Item, seq uint64, name depositName, size uint32) (bool, error) {
				if want[name] {
					delete(want, name)
					if _, ok := w.pending(name); !ok {
						victims = append(victims, victim{name, item.KeyCopy(nil), size})
					}
				}
				return len(want) > 0, nil
			})
			if err != nil {
				return err
			}
		}
		if len(victims) == 0 {
			return nil
		}
		c, err := w.counter(box.Account)
		if err != nil {
			return err
		}
		var freed counters
		for _, v := range victims {
			if err := w.del(v.key); err != nil {
				return err
			}
			w.noteAcked(v.name)
			freed.count++
			freed.bytes += int64(v.size)
		}
		removed = len(victims)
		w.setCounter(box.Account, counters{max(c.count-freed.count, 0), max(c.bytes-freed.bytes, 0), c.recheck})
		return nil
	}})
	if err != nil {
		return 0, fmt.Errorf("ack: %w", err)
	}
	return removed, nil
}

// Fetch implements mailbox.Store.
func (s *Store) Fetch(ctx context.Context, box mailbox.Box, after uint64, limit, maxBytes int) ([]mailbox.Item, bool, error) {
	if limit <= 0 {
		return nil, false, fmt.Errorf("fetch: %w: limit %d", mailbox.ErrMalformed, limit)
	}
	var items []mailbox.Item
	more := false
	err := s.view(func(txn *bdg.Txn) error {
		prefix := boxKey(pQueue, box, 0)
		it := txn.NewIterator(bdg.IteratorOptions{Prefix: prefix, PrefetchValues: true, PrefetchSize: min(limit, 100)})
		defer it.Close()
		size := 0
		for it.Seek(queueSeek(box, after+1)); it.ValidForPrefix(prefix); it.Next() {
			if len(items) >= limit || (len(items) > 0 && size >= maxBytes) {
				more = true
				return nil
			}
			item := it.Item()
			k := item.Key()
			if len(k) != queueKeySize {
				return fmt.Errorf("%w: queue key", ErrCorrupt)
			}
			v, err := item.ValueCopy(nil)
			if err != nil {
				return err
			}
			if len(v) <= queueHeader || v[0] != recordVersion {
				return fmt.Errorf("%w: queued envelope", ErrCorrupt)
			}
			if len(items) > 0 && size+len(v)-queueHeader > maxBytes {
				more = true
				return nil
			}
			it := mailbox.Item{
				Seq:         binary.BigEndian.Uint64(k[boxKeySize:]),
				Envelope:    v[queueHeader:],
				DepositedAt: time.UnixMilli(int64(binary.BigEndian.Uint64(v[17:25]))),
				StoredUntil: time.Unix(int64(item.ExpiresAt()), 0),
			}
			copy(it.ID[:], v[1:17])
			size += len(it.Envelope)
			if items == nil {
				items = make([]mailbox.Item, 0, min(limit, 256))
			}
			items = append(items, it)
		}
		return nil
	})
	if err != nil {
		return nil, false, fmt.Errorf("fetch: %w", err)
	}
	return items, more, nil
}

// ForgetPush deletes the box's push endpoint if it is still push (a gateway
// said it no longer exists), leaving the registration in place; a device
// that registered another endpoint since keeps it. It reports whether it
// deleted anything.
func (s *Store) ForgetPush(ctx context.Context, box mailbox.Box, push []byte) (bool, error) {
	var forgot bool
	k := pushKey(box)
	err := s.submit(ctx, &op{cost: entryCost, exclusive: true, apply: func(w *wtx) error {
		cur, ok, err := get(w.txn, k)
		if err != nil || !ok || !bytes.Equal(cur, push) {
			return err
		}
		forgot = true
		return w.del(k)
	}})
	if err != nil {
		return false, fmt.Errorf("forget push: %w", err)
	}
	return forgot, nil
}
