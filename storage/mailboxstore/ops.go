package mailboxstore

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
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
	if len(reg.DepositKeys) > mailbox.MaxDepositKeys {
		return fmt.Errorf("%s: %w: %d deposit keys", what, mailbox.ErrTooLarge, len(reg.DepositKeys))
	}
	v := encodeRegistration(reg)
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
		cv, closed, err := get(w.txn, closedKey(reg.Box))
		if err != nil {
			return err
		}
		if closed {
			seq, _, err := decodeClosed(cv)
			if err != nil {
				return err
			}
			if reg.Sequence <= seq {
				return fmt.Errorf("%w: sequence %d not above the closing's %d", mailbox.ErrReplay, reg.Sequence, seq)
			}
			if err := w.del(closedKey(reg.Box)); err != nil { // reopened
				return err
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
		w.s.regs[reg.Box] = infoOf(reg)
		return nil
	}})
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// encodeRegistration is a registration record (version 2).
func encodeRegistration(reg mailbox.Registration) []byte {
	v := make([]byte, 0, reg2Header+32*(len(reg.DepositKeys)+len(reg.QuietKeys))+len(reg.PeerID))
	v = append(v, regVersion2)
	v = binary.BigEndian.AppendUint64(v, reg.Sequence)
	v = binary.BigEndian.AppendUint64(v, uint64(reg.ExpiresAt.UnixMilli()))
	v = binary.BigEndian.AppendUint64(v, reg.ListVersion)
	// The counts share a byte: deposit keys in the low four bits, quiet
	// keys in the high four (records written before have none).
	v = append(v, byte(len(reg.DepositKeys))|byte(len(reg.QuietKeys))<<4)
	for _, k := range append(slices.Clone(reg.DepositKeys), reg.QuietKeys...) {
		v = append(v, k[:]...)
	}
	return append(v, reg.PeerID...)
}

func decodeRegistration(box mailbox.Box, v []byte) (mailbox.Registration, error) {
	if len(v) <= regHeader || (v[0] != recordVersion && v[0] != regVersion2) {
		return mailbox.Registration{}, fmt.Errorf("%w: registration", ErrCorrupt)
	}
	reg := mailbox.Registration{
		Box:       box,
		Sequence:  binary.BigEndian.Uint64(v[1:9]),
		ExpiresAt: time.UnixMilli(int64(binary.BigEndian.Uint64(v[9:17]))),
	}
	rest := v[regHeader:]
	if v[0] == regVersion2 {
		if len(v) <= reg2Header {
			return mailbox.Registration{}, fmt.Errorf("%w: registration", ErrCorrupt)
		}
		reg.ListVersion = binary.BigEndian.Uint64(v[regHeader:])
		n, q := int(v[reg2Header-1]&0x0F), int(v[reg2Header-1]>>4)
		rest = v[reg2Header:]
		if n > mailbox.MaxDepositKeys || q > mailbox.MaxDepositKeys || len(rest) <= 32*(n+q) {
			return mailbox.Registration{}, fmt.Errorf("%w: registration deposit keys", ErrCorrupt)
		}
		for range n {
			reg.DepositKeys = append(reg.DepositKeys, [32]byte(rest[:32]))
			rest = rest[32:]
		}
		for range q {
			reg.QuietKeys = append(reg.QuietKeys, [32]byte(rest[:32]))
			rest = rest[32:]
		}
	}
	p, err := peer.IDFromBytes(rest)
	if err != nil {
		return mailbox.Registration{}, fmt.Errorf("%w: registration peer: %v", ErrCorrupt, err)
	}
	reg.PeerID = p
	return reg, nil
}

// encodeClosed is a closed-box marker: the closing's sequence and time.
func encodeClosed(seq uint64, at time.Time) []byte {
	v := make([]byte, 0, closedSize)
	v = append(v, recordVersion)
	v = binary.BigEndian.AppendUint64(v, seq)
	return binary.BigEndian.AppendUint64(v, uint64(max(at.UnixMilli(), 0)))
}

func decodeClosed(v []byte) (seq uint64, at time.Time, err error) {
	if len(v) != closedSize || v[0] != recordVersion {
		return 0, time.Time{}, fmt.Errorf("%w: closed marker", ErrCorrupt)
	}
	return binary.BigEndian.Uint64(v[1:9]), time.UnixMilli(int64(binary.BigEndian.Uint64(v[9:17]))), nil
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
	// strangers and strangerBytes count the deposits taken without a valid
	// credential (a part of count and bytes).
	strangers, strangerBytes int64
	// recheck is the earliest Badger expiry (Unix seconds) of what is
	// counted: only from then on can a recount find less.
	recheck uint64
}

// add counts one deposit more (n = 1) or less (n = -1).
func (c counters) add(n int64, size uint32, stranger bool) counters {
	c.count = max(c.count+n, 0)
	c.bytes = max(c.bytes+n*int64(size), 0)
	if stranger {
		c.strangers = max(c.strangers+n, 0)
		c.strangerBytes = max(c.strangerBytes+n*int64(size), 0)
	}
	return c
}

// over reports whether one more deposit of size bytes would take c over
// q: the whole quota, or (for a stranger's) the strangers' share.
func (c counters) over(q mailbox.Quota, size int64, stranger bool) error {
	switch {
	case stranger && (c.strangers+1 > int64(q.StrangerCount) || c.strangerBytes+size > q.StrangerBytes):
		return mailbox.ErrNoCredential
	case c.count+1 > int64(q.MaxCount):
		return mailbox.ErrQuotaCount
	case c.bytes+size > q.MaxBytes:
		return mailbox.ErrQuotaBytes
	}
	return nil
}

// recount computes an account's counters from its queue keys, which
// carry the envelopes' lengths and whether each was a stranger's.
func recount(txn *bdg.Txn, account [32]byte) (counters, error) {
	c := counters{recheck: math.MaxUint64}
	prefix := accountQueuePrefix(account)
	it := txn.NewIterator(bdg.IteratorOptions{Prefix: prefix})
	defer it.Close()
	for it.Rewind(); it.ValidForPrefix(prefix); it.Next() {
		item := it.Item()
		e, ok := parseQueueKey(item.Key())
		if !ok {
			return c, fmt.Errorf("%w: queue key", ErrCorrupt)
		}
		c = c.add(1, e.size, e.stranger)
		if e := item.ExpiresAt(); e != 0 {
			c.recheck = min(c.recheck, e)
		}
	}
	return c, nil
}

// Deposit implements mailbox.Store.
func (s *Store) Deposit(ctx context.Context, nd mailbox.NewDeposit, q mailbox.Quota) (mailbox.Stored, error) {
	const what = "deposit"
	if len(nd.Envelope) == 0 || len(nd.Envelope) > mailbox.MaxEnvelopeSize {
		return mailbox.Stored{}, fmt.Errorf("%s: %w: envelope of %d bytes", what, mailbox.ErrTooLarge, len(nd.Envelope))
	}
	d := newDeposit(s, nd, q)
	if err := s.submit(ctx, &d.op); err != nil {
		return mailbox.Stored{}, fmt.Errorf("%s: %w", what, err)
	}
	return d.st, nil
}

// deposit is one Deposit's operation. Its record is built before it is
// handed to the writer, in one allocation; the writer only fills in the
// sequence, the time and whether it is a stranger's.
type deposit struct {
	op
	s    *Store
	nd   mailbox.NewDeposit // Envelope is not kept: the record holds it
	size int
	q    mailbox.Quota
	qk   []byte         // queue key, without the sequence
	qv   []byte         // queue value, without the time
	e    bdg.Entry      // the queue entry
	st   mailbox.Stored // the result
}

func newDeposit(s *Store, nd mailbox.NewDeposit, q mailbox.Quota) *deposit {
	env := nd.Envelope
	nd.Envelope = nil
	d := &deposit{s: s, nd: nd, size: len(env), q: q}
	buf := make([]byte, queueKeySize+queueHeader+len(env))
	d.qk, d.qv = buf[:queueKeySize:queueKeySize], buf[queueKeySize:]
	d.qk[0] = pQueue
	copy(d.qk[1:33], nd.Box.Account[:])
	binary.BigEndian.PutUint32(d.qk[33:37], nd.Box.Device)
	copy(d.qk[boxKeySize+8:], nd.ID[:])
	d.qv[0] = recordVersion
	copy(d.qv[1:17], nd.ID[:])
	copy(d.qv[queueHeader:], env)
	d.op = op{cost: len(d.qv) + 2*entryCost, sync: true, apply: d.apply}
	return d
}

// stranger reports whether the deposit lacks a credential the box
// accepts.
func (d *deposit) stranger(ri regInfo) bool {
	if d.nd.Kept || len(ri.keys) == 0 {
		return false
	}
	return !d.presents(ri.keys) && !d.presents(ri.quiet)
}

// presents reports whether the deposit's credential is one of keys.
func (d *deposit) presents(keys [][32]byte) bool {
	if d.nd.CredentialKey == nil {
		return false
	}
	for _, k := range keys {
		if subtle.ConstantTimeCompare(k[:], d.nd.CredentialKey[:]) == 1 {
			return true
		}
	}
	return false
}

func (d *deposit) apply(w *wtx) error {
	now := time.Now()
	box := d.nd.Box
	ri, err := w.registration(box)
	if err != nil {
		return err
	}
	if !ri.until.After(now) {
		if ri.closed {
			return mailbox.ErrBoxClosed
		}
		return mailbox.ErrNotRegistered
	}
	rec, ok, err := w.queued(box, d.nd.ID, now)
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
	if !d.nd.Kept && d.nd.ListVersion != 0 && d.nd.ListVersion < ri.list {
		return fmt.Errorf("%w: version %d, the box registered %d", mailbox.ErrStaleList, d.nd.ListVersion, ri.list)
	}
	stranger := d.stranger(ri)
	if stranger && !d.nd.StrangerAllowed {
		return fmt.Errorf("%w: the sender's stranger quota is used up", mailbox.ErrNoCredential)
	}
	account, size, q := box.Account, int64(d.size), d.q
	c, err := w.counter(account)
	if err != nil {
		return err
	}
	if c.over(q, size, stranger) != nil {
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
		if err := c.over(q, size, stranger); err != nil {
			return err
		}
	}
	ttl := d.s.ttl
	if d.nd.TTL > 0 {
		ttl = min(ttl, d.nd.TTL) // a disappearing message's copy
	}
	expiresAt := expiry(now.Add(ttl))
	seq := w.nextSeq()
	ms := uint64(now.UnixMilli())
	binary.BigEndian.PutUint64(d.qk[boxKeySize:], seq)
	binary.BigEndian.PutUint32(d.qk[boxKeySize+24:], sizeField(uint32(d.size), stranger))
	binary.BigEndian.PutUint64(d.qv[17:25], ms)
	d.e = bdg.Entry{Key: d.qk, Value: d.qv, ExpiresAt: expiresAt}
	if err := w.set(&d.e); err != nil {
		return err
	}
	w.noteQueued(nameOf(box, d.nd.ID), indexRec{seq: seq, depositedAt: ms, expiresAt: expiresAt, size: uint32(d.size), stranger: stranger, env: d.qv[queueHeader:]})
	c = c.add(1, uint32(d.size), stranger)
	c.recheck = min(c.recheck, expiresAt)
	w.setCounter(account, c)
	d.st = mailbox.Stored{Seq: seq, DepositedAt: time.UnixMilli(int64(ms)), StoredUntil: time.Unix(int64(expiresAt), 0), Stranger: stranger,
		Quiet: !stranger && d.presents(ri.quiet)}
	return nil
}

// Ack implements mailbox.Store.
func (s *Store) Ack(ctx context.Context, box mailbox.Box, ids []mailbox.DepositID) (int, error) {
	var removed int
	err := s.submit(ctx, &op{cost: len(ids) * entryCost, apply: func(w *wtx) error {
		removed = 0
		now := time.Now()
		type victim struct {
			name     depositName
			key      []byte
			size     uint32
			stranger bool
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
					victims = append(victims, victim{n, queueKey(box, rec.seq, id, rec.size, rec.stranger), rec.size, rec.stranger})
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
			err := scanQueue(w.txn, box, func(item *bdg.Item, e queueEntry) (bool, error) {
				if want[e.name] {
					delete(want, e.name)
					if _, ok := w.pending(e.name); !ok {
						victims = append(victims, victim{e.name, item.KeyCopy(nil), e.size, e.stranger})
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
		for _, v := range victims {
			if err := w.del(v.key); err != nil {
				return err
			}
			w.noteAcked(v.name)
			c = c.add(-1, v.size, v.stranger)
		}
		removed = len(victims)
		w.setCounter(box.Account, c)
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
			q, err := decodeQueued(v)
			if err != nil {
				return err
			}
			if len(items) > 0 && size+len(q.env) > maxBytes {
				more = true
				return nil
			}
			it := mailbox.Item{
				Seq:         binary.BigEndian.Uint64(k[boxKeySize:]),
				ID:          q.id,
				Envelope:    q.env,
				DepositedAt: time.UnixMilli(int64(q.depositedAt)),
				StoredUntil: time.Unix(int64(item.ExpiresAt()), 0),
			}
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
