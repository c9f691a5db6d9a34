package badger

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"

	bdg "github.com/dgraph-io/badger/v4"

	"github.com/pigeon-net/pigeon/protocol/acctlog"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/storage"
)

// The account log of this device's account (protocol/acctlog): every
// signed op held, by (device, seq), and per authoring device a record
// kept up to date by every append, so the vector, the counts and the next
// local seq are read without a scan:
//
//	"a" "o" device(4) seq(8)   the signed op (acctlog.Op.Raw)
//	"a" "d" device(4)          prefix(8) highest(8) count(8) lamport(8), big endian: the
//	                           contiguous prefix held, the highest seq held, how many ops
//	                           are held and the highest Lamport clock among them
//	"a" "l"                    lamport(8): the highest Lamport clock of every op held (stores
//	                           written before it was kept lack it until the next append)
const (
	acctOps     = 'o'
	acctDevices = 'd'
	acctLamport = 'l'
	devRecSize  = 32
)

var keyAcctLamport = []byte{pAcctLog, acctLamport}

// maxLamport returns the highest Lamport clock held: the stored one, or
// when none is stored (a store from before it was kept), the highest of
// the device records.
func maxLamport(txn *bdg.Txn) (uint64, error) {
	b, ok, err := get(txn, keyAcctLamport)
	if err != nil {
		return 0, err
	}
	if ok {
		if len(b) != 8 {
			return 0, fmt.Errorf("%w: account log lamport of %d bytes", ErrCorrupt, len(b))
		}
		return binary.BigEndian.Uint64(b), nil
	}
	var l uint64
	err = scanDevRecs(txn, func(_ uint32, r devRec) { l = max(l, r.lamport) })
	return l, err
}

var _ acctlog.Store = (*Store)(nil)

func keyAcctOp(device uint32, seq uint64) []byte {
	k := make([]byte, 0, 14)
	k = append(k, pAcctLog, acctOps)
	k = binary.BigEndian.AppendUint32(k, device)
	return binary.BigEndian.AppendUint64(k, seq)
}

func keyAcctOps(device uint32) []byte {
	return binary.BigEndian.AppendUint32([]byte{pAcctLog, acctOps}, device)
}

func keyAcctDevice(device uint32) []byte {
	return binary.BigEndian.AppendUint32([]byte{pAcctLog, acctDevices}, device)
}

// devRec is the record of one authoring device.
type devRec struct {
	prefix, highest, count, lamport uint64
}

func (r devRec) encode() []byte {
	b := make([]byte, 0, devRecSize)
	for _, v := range []uint64{r.prefix, r.highest, r.count, r.lamport} {
		b = binary.BigEndian.AppendUint64(b, v)
	}
	return b
}

func decodeDevRec(b []byte) (devRec, error) {
	if len(b) != devRecSize {
		return devRec{}, fmt.Errorf("%w: account log device record of %d bytes", ErrCorrupt, len(b))
	}
	u := func(i int) uint64 { return binary.BigEndian.Uint64(b[8*i:]) }
	r := devRec{prefix: u(0), highest: u(1), count: u(2), lamport: u(3)}
	if r.prefix > r.highest || r.count < r.prefix || r.count > r.highest {
		return devRec{}, fmt.Errorf("%w: account log device record %+v", ErrCorrupt, r)
	}
	return r, nil
}

func getDevRec(txn *bdg.Txn, device uint32) (devRec, error) {
	b, ok, err := get(txn, keyAcctDevice(device))
	if err != nil || !ok {
		return devRec{}, err
	}
	return decodeDevRec(b)
}

// scanDevRecs calls fn for every device record, by device.
func scanDevRecs(txn *bdg.Txn, fn func(device uint32, r devRec)) error {
	return scan(txn, []byte{pAcctLog, acctDevices}, true, func(k, v []byte) (bool, error) {
		if len(k) != 6 {
			return false, fmt.Errorf("%w: account log device key of %d bytes", ErrCorrupt, len(k))
		}
		r, err := decodeDevRec(v)
		if err != nil {
			return false, err
		}
		fn(binary.BigEndian.Uint32(k[2:]), r)
		return true, nil
	})
}

// AppendResult is what AppendOps did with each op.
type AppendResult struct {
	// Added are the ops stored now, in the order given: fold these.
	Added []*acctlog.Op
	// Duplicates counts ops already held (the same signed bytes).
	Duplicates int
	// Conflicts are ops refused because a different op is held under
	// their (device, seq): their author signed two ops with one seq, so it
	// is broken or forged. The op held first is kept.
	Conflicts []*acctlog.Op
}

// AppendOps stores verified ops of the account log (see acctlog.Open)
// under their (device, seq), in one transaction (the one ctx carries, or
// its own), and brings the devices' records up to date. Ops may come in
// any order and more than once. An op with a device, seq or size out of
// range fails the whole call with ErrInvalid, and nothing is written.
// Without a transaction in ctx, a batch too big for one transaction (see
// ErrTxnTooBig; 1,000 ops of a few KiB fit) is written in halves.
func (s *Store) AppendOps(ctx context.Context, ops []*acctlog.Op) (AppendResult, error) {
	const what = "append account ops"
	size := 0
	for _, op := range ops {
		if op.Device < 1 || op.Device > identity.MaxDeviceID || op.Seq == 0 || len(op.Raw) == 0 || len(op.Raw) > acctlog.MaxOpSize {
			return AppendResult{}, fmt.Errorf("%s: %w: op %d/%d of %d bytes", what, ErrInvalid, op.Device, op.Seq, len(op.Raw))
		}
		size += len(op.Raw)
	}
	if err := s.space.admit(uint64(size), true); err != nil {
		return AppendResult{}, fmt.Errorf("%s: %w", what, err)
	}
	res, err := s.appendOps(ctx, ops)
	if err != nil {
		return AppendResult{}, fmt.Errorf("%s: %w", what, err)
	}
	return res, nil
}

func (s *Store) appendOps(ctx context.Context, ops []*acctlog.Op) (AppendResult, error) {
	var res AppendResult
	err := s.write(ctx, func(txn *bdg.Txn) error {
		res = AppendResult{Added: make([]*acctlog.Op, 0, len(ops))}
		return appendOpsTxn(txn, ops, &res)
	})
	if errors.Is(err, ErrTxnTooBig) && txnFrom(ctx) == nil && len(ops) > 1 {
		first, err := s.appendOps(ctx, ops[:len(ops)/2])
		if err != nil {
			return AppendResult{}, err
		}
		second, err := s.appendOps(ctx, ops[len(ops)/2:])
		if err != nil {
			return first, err
		}
		first.Added = append(first.Added, second.Added...)
		first.Duplicates += second.Duplicates
		first.Conflicts = append(first.Conflicts, second.Conflicts...)
		return first, nil
	}
	return res, err
}

func appendOpsTxn(txn *bdg.Txn, ops []*acctlog.Op, res *AppendResult) error {
	recs := make(map[uint32]*devRec)
	var lamport uint64 // the highest of the ops added
	for _, op := range ops {
		r := recs[op.Device]
		if r == nil {
			rec, err := getDevRec(txn, op.Device)
			if err != nil {
				return err
			}
			r = &rec
			recs[op.Device] = r
		}
		k := keyAcctOp(op.Device, op.Seq)
		if op.Seq <= r.highest { // may be held
			held, ok, err := get(txn, k)
			if err != nil {
				return err
			}
			if ok {
				// The same op, or the same op redacted on one side
				// (the redacted form stays).
				if acctlog.SameOp(held, op.Raw) {
					res.Duplicates++
				} else {
					res.Conflicts = append(res.Conflicts, op)
				}
				continue
			}
		}
		// Not copied: ops are not changed once signed or opened, and
		// Badger copies the value into its log and memtable at commit.
		if err := txn.Set(k, op.Raw); err != nil {
			return err
		}
		res.Added = append(res.Added, op)
		r.count++
		r.lamport = max(r.lamport, op.Lamport)
		lamport = max(lamport, op.Lamport)
		grows := op.Seq > r.highest
		r.highest = max(r.highest, op.Seq)
		if op.Seq != r.prefix+1 {
			continue
		}
		r.prefix = op.Seq
		if grows {
			continue // nothing is held above it
		}
		for r.prefix < r.highest { // it closed a gap: ops held above it count now
			ok, err := exists(txn, keyAcctOp(op.Device, r.prefix+1))
			if err != nil {
				return err
			}
			if !ok {
				break
			}
			r.prefix++
		}
	}
	for d, r := range recs {
		if r.count == 0 {
			continue
		}
		if err := txn.Set(keyAcctDevice(d), r.encode()); err != nil {
			return err
		}
	}
	if len(res.Added) == 0 {
		return nil
	}
	held, err := maxLamport(txn)
	if err != nil {
		return err
	}
	return txn.Set(keyAcctLamport, binary.BigEndian.AppendUint64(nil, max(held, lamport)))
}

// AccountOp returns the signed op (device, seq), or an error wrapping
// storage.ErrNotFound.
func (s *Store) AccountOp(ctx context.Context, device uint32, seq uint64) ([]byte, error) {
	var raw []byte
	err := s.read(ctx, func(txn *bdg.Txn) error {
		var ok bool
		var err error
		raw, ok, err = get(txn, keyAcctOp(device, seq))
		if err == nil && !ok {
			err = storage.ErrNotFound
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("account op %d/%d: %w", device, seq, err)
	}
	return raw, nil
}

// Vector returns, per authoring device, the highest seq below which every
// op is held (devices with none held from 1 on are left out).
func (s *Store) Vector(ctx context.Context) (acctlog.Vector, error) {
	var v acctlog.Vector
	err := s.read(ctx, func(txn *bdg.Txn) error {
		v = acctlog.Vector{}
		return scanDevRecs(txn, func(d uint32, r devRec) {
			if r.prefix > 0 {
				v[d] = r.prefix
			}
		})
	})
	if err != nil {
		return nil, fmt.Errorf("account log vector: %w", err)
	}
	return v, nil
}

// Devices returns the authoring devices ops are held of, ascending.
func (s *Store) Devices(ctx context.Context) ([]uint32, error) {
	var ds []uint32
	err := s.read(ctx, func(txn *bdg.Txn) error {
		ds = nil
		return scanDevRecs(txn, func(d uint32, r devRec) {
			if r.count > 0 {
				ds = append(ds, d)
			}
		})
	})
	if err != nil {
		return nil, fmt.Errorf("account log devices: %w", err)
	}
	return ds, nil
}

// OpCount returns how many ops of the account log are held.
func (s *Store) OpCount(ctx context.Context) (uint64, error) {
	var n uint64
	err := s.read(ctx, func(txn *bdg.Txn) error {
		n = 0
		return scanDevRecs(txn, func(_ uint32, r devRec) { n += r.count })
	})
	if err != nil {
		return 0, fmt.Errorf("account op count: %w", err)
	}
	return n, nil
}

// CountAfter returns how many ops of device are held with a seq above
// after. It reads only the device's record when after is within the
// contiguous prefix, and the keys of the ops held above it otherwise.
func (s *Store) CountAfter(ctx context.Context, device uint32, after uint64) (int, error) {
	var n uint64
	err := s.read(ctx, func(txn *bdg.Txn) error {
		r, err := getDevRec(txn, device)
		if err != nil {
			return err
		}
		if after <= r.prefix {
			n = r.count - after
			return nil
		}
		n = 0
		if after >= r.highest {
			return nil
		}
		prefix := keyAcctOps(device)
		it := txn.NewIterator(bdg.IteratorOptions{Prefix: prefix})
		defer it.Close()
		for it.Seek(keyAcctOp(device, after+1)); it.ValidForPrefix(prefix); it.Next() {
			n++
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("count account ops: %w", err)
	}
	return int(n), nil
}

// Range returns up to limit ops of device with a seq above after, in seq
// order, at most maxBytes of them in all (but at least one).
func (s *Store) Range(ctx context.Context, device uint32, after uint64, limit, maxBytes int) ([]acctlog.StoredOp, error) {
	var out []acctlog.StoredOp
	err := s.read(ctx, func(txn *bdg.Txn) error {
		out = make([]acctlog.StoredOp, 0, min(max(limit, 0), acctlog.MaxBatchOps))
		size := 0
		prefix := keyAcctOps(device)
		// No prefetching: most ops are below valueThreshold, in the LSM
		// tree, and a prefetch copies each once more, which made Range
		// about twice as slow (BenchmarkRangeAccountOps).
		it := txn.NewIterator(bdg.IteratorOptions{Prefix: prefix})
		defer it.Close()
		for it.Seek(keyAcctOp(device, after+1)); it.ValidForPrefix(prefix) && len(out) < limit; it.Next() {
			item := it.Item()
			if len(item.Key()) != 14 {
				return fmt.Errorf("%w: account op key of %d bytes", ErrCorrupt, len(item.Key()))
			}
			if len(out) > 0 && size+int(item.ValueSize()) > maxBytes {
				break
			}
			v, err := item.ValueCopy(nil)
			if err != nil {
				return err
			}
			size += len(v)
			out = append(out, acctlog.StoredOp{Seq: binary.BigEndian.Uint64(item.Key()[6:]), Raw: v})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("account ops of device %d: %w", device, err)
	}
	return out, nil
}

// NextOp returns the seq, Lamport clock and Prev of the next op device
// authors: one above the highest seq held of it, one above the highest
// Lamport clock held, and the hash of its op with the highest seq
// (acctlog.Hash; nil when none is held). Call it in the Update that signs
// and appends that op, so that two ops never get one seq (a concurrent
// append makes the Update run again) and a restart never reuses one. It
// reads three keys, whatever the transaction holds.
func (s *Store) NextOp(ctx context.Context, device uint32) (seq, lamport uint64, prev []byte, err error) {
	err = s.read(ctx, func(txn *bdg.Txn) error {
		prev = nil
		r, err := getDevRec(txn, device)
		if err != nil {
			return err
		}
		seq = r.highest
		if lamport, err = maxLamport(txn); err != nil {
			return err
		}
		if seq == 0 {
			return nil
		}
		raw, ok, err := get(txn, keyAcctOp(device, seq))
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("%w: account op %d/%d counted but not held", ErrCorrupt, device, seq)
		}
		prev = acctlog.Hash(raw)
		return nil
	})
	if err != nil {
		return 0, 0, nil, fmt.Errorf("next account op: %w", err)
	}
	return seq + 1, lamport + 1, prev, nil
}
