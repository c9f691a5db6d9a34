package badger

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	bdg "github.com/dgraph-io/badger/v4"

	"github.com/pigeon-net/pigeon/storage"
)

// Group storage limits.
const (
	// GroupArchiveTTL is how long group messages are kept for gap repair,
	// and envelopes waiting for a sender key or a membership.
	GroupArchiveTTL = 30 * 24 * time.Hour
	// maxGroupEnvelope bounds an archived or pending envelope.
	maxGroupEnvelope = 256 << 10
	// maxGroupOp bounds a stored op.
	maxGroupOp = 16 << 10
)

type groupID = [32]byte

func keyGroup(p byte, g groupID, extra int) []byte {
	k := make([]byte, 0, 1+len(g)+extra)
	k = append(k, p)
	return append(k, g[:]...)
}

func keyGroupDevice(p byte, g groupID, a storage.Account, device uint32, extra int) []byte {
	k := keyGroup(p, g, 36+extra)
	k = append(k, a[:]...)
	return binary.BigEndian.AppendUint32(k, device)
}

func keyArchive(g groupID, a storage.Account, device uint32, seq uint64) []byte {
	return binary.BigEndian.AppendUint64(keyGroupDevice(pGroupArchive, g, a, device, 8), seq)
}

// --- Group records

// groupV2 is the Group record with the retired sender keys after
// JoinedAt; version 1 records (without them) still decode.
const groupV2 = 2

func encodeGroup(g *storage.Group) []byte {
	e := encoder{b: make([]byte, 0, 64)}
	e.byte(groupV2)
	e.raw(g.ID[:])
	e.byte(byte(g.Status))
	e.uvarint(g.Seq)
	e.uvarint(g.Clock)
	e.uvarint(uint64(g.KeyID))
	e.bytes(g.KeySKDM)
	e.uvarint(g.KeySeq)
	e.uvarint(g.KeyClock)
	e.time(g.JoinedAt)
	e.uvarint(uint64(len(g.Retired)))
	for _, r := range g.Retired {
		e.uvarint(uint64(r.KeyID))
		e.bytes(r.SKDM)
		e.uvarint(r.FirstSeq)
		e.uvarint(r.LastSeq)
	}
	return e.b
}

func decodeGroup(b []byte) (storage.Group, error) {
	var g storage.Group
	d := decoder{b: b}
	v := d.byte()
	if d.err == nil && v != recordV1 && v != groupV2 {
		d.fail("unknown record version %d", v)
	}
	d.raw(g.ID[:])
	g.Status = storage.GroupStatus(d.byte())
	g.Seq = d.uvarint()
	g.Clock = d.uvarint()
	g.KeyID = d.uint32()
	g.KeySKDM = d.bytes(maxKeyMatLen)
	g.KeySeq = d.uvarint()
	g.KeyClock = d.uvarint()
	g.JoinedAt = d.time()
	if v == groupV2 {
		n := d.uvarint()
		if n > storage.MaxRetiredKeys {
			d.fail("%d retired keys", n)
			n = 0
		}
		for range n {
			r := storage.RetiredKey{KeyID: d.uint32()}
			r.SKDM = d.bytes(maxKeyMatLen)
			r.FirstSeq, r.LastSeq = d.uvarint(), d.uvarint()
			g.Retired = append(g.Retired, r)
		}
	}
	if d.err == nil && (g.Status < storage.GroupActive || g.Status > storage.GroupRemoved) {
		d.fail("bad group status %d", g.Status)
	}
	if err := d.finish("group"); err != nil {
		return storage.Group{}, err
	}
	return g, nil
}

// PutGroup inserts or replaces the group record with g.ID.
func (s *Store) PutGroup(ctx context.Context, g storage.Group) error {
	if g.Status < storage.GroupActive || g.Status > storage.GroupRemoved {
		return fmt.Errorf("put group: %w: status %d", ErrInvalid, g.Status)
	}
	if err := s.write(ctx, func(txn *bdg.Txn) error {
		return txn.Set(keyGroup(pGroup, g.ID, 0), encodeGroup(&g))
	}); err != nil {
		return fmt.Errorf("put group: %w", err)
	}
	return nil
}

// Group returns the record of group id, or an error wrapping
// storage.ErrNotFound.
func (s *Store) Group(ctx context.Context, id groupID) (storage.Group, error) {
	var g storage.Group
	err := s.read(ctx, func(txn *bdg.Txn) error {
		b, ok, err := get(txn, keyGroup(pGroup, id, 0))
		if err != nil {
			return err
		}
		if !ok {
			return storage.ErrNotFound
		}
		g, err = decodeGroup(b)
		return err
	})
	if err != nil {
		return storage.Group{}, fmt.Errorf("group: %w", err)
	}
	return g, nil
}

// Groups returns every group record, ordered by ID.
func (s *Store) Groups(ctx context.Context) ([]storage.Group, error) {
	var out []storage.Group
	err := s.read(ctx, func(txn *bdg.Txn) error {
		out = nil
		return scan(txn, key1(pGroup), true, func(_, v []byte) (bool, error) {
			g, err := decodeGroup(v)
			if err != nil {
				return false, err
			}
			out = append(out, g)
			return true, nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("groups: %w", err)
	}
	return out, nil
}

// --- Op log

// PutGroupOp stores one signed op (raw, a marshaled pb.GroupOp) of group
// under its hash; storing it again is a no-op.
func (s *Store) PutGroupOp(ctx context.Context, group groupID, hash [32]byte, raw []byte) error {
	if len(raw) == 0 || len(raw) > maxGroupOp {
		return fmt.Errorf("put group op: %w: %d bytes", ErrInvalid, len(raw))
	}
	k := append(keyGroup(pGroupOp, group, 32), hash[:]...)
	if err := s.write(ctx, func(txn *bdg.Txn) error { return txn.Set(k, bytes.Clone(raw)) }); err != nil {
		return fmt.Errorf("put group op: %w", err)
	}
	return nil
}

// GroupOps returns every stored op of group, ordered by hash.
func (s *Store) GroupOps(ctx context.Context, group groupID) ([][]byte, error) {
	var out [][]byte
	err := s.read(ctx, func(txn *bdg.Txn) error {
		out = nil
		return scan(txn, keyGroup(pGroupOp, group, 0), true, func(_, v []byte) (bool, error) {
			out = append(out, v)
			return true, nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("group ops: %w", err)
	}
	return out, nil
}

// PruneGroupOps deletes the ops of groups that have no group record (ops
// older versions kept of groups this node was never let into) and returns
// how many it deleted.
func (s *Store) PruneGroupOps(ctx context.Context) (int, error) {
	const op = "prune group ops"
	var orphans [][]byte
	err := s.read(ctx, func(txn *bdg.Txn) error {
		orphans = nil
		var cur groupID
		known, first := false, true
		return scan(txn, key1(pGroupOp), false, func(k, _ []byte) (bool, error) {
			if len(k) != 1+32+32 {
				return false, fmt.Errorf("%w: group op key of %d bytes", ErrCorrupt, len(k))
			}
			if g := groupID(k[1:33]); first || g != cur {
				cur, first = g, false
				ok, err := exists(txn, keyGroup(pGroup, g, 0))
				if err != nil {
					return false, err
				}
				known = ok
			}
			if !known {
				orphans = append(orphans, k)
			}
			return true, nil
		})
	})
	if err != nil {
		return 0, fmt.Errorf("%s: %w", op, err)
	}
	// In batches: one transaction holds a bounded number of writes.
	const batch = 4096
	for i := 0; i < len(orphans); i += batch {
		err := s.write(ctx, func(txn *bdg.Txn) error {
			for _, k := range orphans[i:min(i+batch, len(orphans))] {
				if err := txn.Delete(k); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return i, fmt.Errorf("%s: %w", op, err)
		}
	}
	return len(orphans), nil
}

// --- Message archive and sequence numbers

// ArchiveGroupEnvelope keeps a group message for gap repair (it expires
// after GroupArchiveTTL) and advances the sender device's contiguous
// sequence number, which it returns. fresh is false when that (sender,
// device, seq) was archived before; nothing changes then.
func (s *Store) ArchiveGroupEnvelope(ctx context.Context, group groupID, e storage.ArchivedEnvelope) (fresh bool, contig uint64, err error) {
	if e.Seq == 0 || len(e.Raw) == 0 || len(e.Raw) > maxGroupEnvelope {
		return false, 0, fmt.Errorf("archive group envelope: %w: seq %d, %d bytes", ErrInvalid, e.Seq, len(e.Raw))
	}
	err = s.write(ctx, func(txn *bdg.Txn) error {
		fresh, contig = false, 0
		sk := keyGroupDevice(pGroupSeq, group, e.Account, e.Device, 0)
		b, _, err := get(txn, sk)
		if err != nil {
			return err
		}
		if len(b) == 8 {
			contig = binary.BigEndian.Uint64(b)
		}
		k := keyArchive(group, e.Account, e.Device, e.Seq)
		dup, err := exists(txn, k)
		if err != nil || dup {
			return err
		}
		v := make([]byte, 0, 16+len(e.Raw))
		v = append(v, e.ID[:]...)
		v = append(v, e.Raw...)
		if err := txn.SetEntry(bdg.NewEntry(k, v).WithTTL(GroupArchiveTTL)); err != nil {
			return err
		}
		fresh = true
		if e.Seq != contig+1 {
			return nil
		}
		for contig = e.Seq; ; contig++ {
			next, err := exists(txn, keyArchive(group, e.Account, e.Device, contig+1))
			if err != nil {
				return err
			}
			if !next {
				break
			}
		}
		return txn.Set(sk, binary.BigEndian.AppendUint64(nil, contig))
	})
	if err != nil {
		return false, 0, fmt.Errorf("archive group envelope: %w", err)
	}
	return fresh, contig, nil
}

func decodeArchived(k, v []byte, e *storage.ArchivedEnvelope) error {
	if len(k) != 1+32+32+4+8 || len(v) < 16 {
		return fmt.Errorf("%w: archive entry of %d/%d bytes", ErrCorrupt, len(k), len(v))
	}
	copy(e.Account[:], k[33:65])
	e.Device = binary.BigEndian.Uint32(k[65:69])
	e.Seq = binary.BigEndian.Uint64(k[69:77])
	copy(e.ID[:], v[:16])
	e.Raw = v[16:]
	return nil
}

// ArchivedAfter returns up to limit archived messages of one sender device
// with sequence numbers above after, in order, of at most maxBytes in all
// (but at least one).
func (s *Store) ArchivedAfter(ctx context.Context, group groupID, a storage.Account, device uint32, after uint64, limit, maxBytes int) ([]storage.ArchivedEnvelope, error) {
	prefix := keyGroupDevice(pGroupArchive, group, a, device, 0)
	var out []storage.ArchivedEnvelope
	err := s.read(ctx, func(txn *bdg.Txn) error {
		out = nil
		size := 0
		it := txn.NewIterator(bdg.IteratorOptions{Prefix: prefix, PrefetchValues: true, PrefetchSize: 16})
		defer it.Close()
		for it.Seek(keyArchive(group, a, device, after+1)); it.ValidForPrefix(prefix) && len(out) < limit; it.Next() {
			item := it.Item()
			v, err := item.ValueCopy(nil)
			if err != nil {
				return err
			}
			if len(out) > 0 && size+len(v) > maxBytes {
				break
			}
			var e storage.ArchivedEnvelope
			if err := decodeArchived(item.KeyCopy(nil), v, &e); err != nil {
				return err
			}
			size += len(v)
			out = append(out, e)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("archived after: %w", err)
	}
	return out, nil
}

// SetGroupSeqFloor records, for a sender device nothing was held from yet,
// that its messages up to floor are not for us (they predate our copy of
// its sender key), so gap repair does not ask for them. It does nothing
// when the device already has a sequence number.
func (s *Store) SetGroupSeqFloor(ctx context.Context, group groupID, a storage.Account, device uint32, floor uint64) error {
	sk := keyGroupDevice(pGroupSeq, group, a, device, 0)
	err := s.write(ctx, func(txn *bdg.Txn) error {
		ok, err := exists(txn, sk)
		if err != nil || ok {
			return err
		}
		for next := floor + 1; ; next++ { // messages above the floor may be here already
			held, err := exists(txn, keyArchive(group, a, device, next))
			if err != nil {
				return err
			}
			if !held {
				break
			}
			floor = next
		}
		return txn.Set(sk, binary.BigEndian.AppendUint64(nil, floor))
	})
	if err != nil {
		return fmt.Errorf("set group seq floor: %w", err)
	}
	return nil
}

// GroupSenders returns every device that has sent messages in group with
// the highest sequence number held from it with none missing below,
// ordered by account and device.
func (s *Store) GroupSenders(ctx context.Context, group groupID) ([]storage.GroupSender, error) {
	var out []storage.GroupSender
	err := s.read(ctx, func(txn *bdg.Txn) error {
		out = nil
		return scan(txn, keyGroup(pGroupSeq, group, 0), true, func(k, v []byte) (bool, error) {
			if len(k) != 1+32+32+4 || len(v) != 8 {
				return false, fmt.Errorf("%w: sequence entry of %d/%d bytes", ErrCorrupt, len(k), len(v))
			}
			var gs storage.GroupSender
			copy(gs.Account[:], k[33:65])
			gs.Device = binary.BigEndian.Uint32(k[65:69])
			gs.Seq = binary.BigEndian.Uint64(v)
			out = append(out, gs)
			return true, nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("group senders: %w", err)
	}
	return out, nil
}

// --- Envelopes waiting for a key or a membership

// PutPendingGroup keeps an envelope of group that could not be taken yet
// (no sender key, or its sender not known as a member); it expires after
// GroupArchiveTTL.
func (s *Store) PutPendingGroup(ctx context.Context, group groupID, id storage.MessageID, raw []byte) error {
	if len(raw) == 0 || len(raw) > maxGroupEnvelope {
		return fmt.Errorf("put pending group envelope: %w: %d bytes", ErrInvalid, len(raw))
	}
	if err := s.space.admit(uint64(len(raw)), true); err != nil {
		return fmt.Errorf("put pending group envelope: %w", err)
	}
	k := append(keyGroup(pGroupPending, group, 16), id[:]...)
	if err := s.write(ctx, func(txn *bdg.Txn) error {
		return txn.SetEntry(bdg.NewEntry(k, bytes.Clone(raw)).WithTTL(GroupArchiveTTL))
	}); err != nil {
		return fmt.Errorf("put pending group envelope: %w", err)
	}
	return nil
}

// PendingGroup returns up to limit waiting envelopes of group, in message
// ID order.
func (s *Store) PendingGroup(ctx context.Context, group groupID, limit int) ([][]byte, error) {
	var out [][]byte
	err := s.read(ctx, func(txn *bdg.Txn) error {
		out = nil
		return scan(txn, keyGroup(pGroupPending, group, 0), true, func(_, v []byte) (bool, error) {
			out = append(out, v)
			return len(out) < limit, nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("pending group envelopes: %w", err)
	}
	return out, nil
}

// DeletePendingGroup forgets a waiting envelope; a missing one is not an
// error.
func (s *Store) DeletePendingGroup(ctx context.Context, group groupID, id storage.MessageID) error {
	k := append(keyGroup(pGroupPending, group, 16), id[:]...)
	if err := s.write(ctx, func(txn *bdg.Txn) error { return txn.Delete(k) }); err != nil {
		return fmt.Errorf("delete pending group envelope: %w", err)
	}
	return nil
}

// --- Sender keys handed out

// SetGroupKeySent records that our sender key keyID was sent to a device.
func (s *Store) SetGroupKeySent(ctx context.Context, group groupID, a storage.Account, device, keyID uint32) error {
	k := keyGroupDevice(pGroupKeySent, group, a, device, 0)
	if err := s.write(ctx, func(txn *bdg.Txn) error {
		return txn.Set(k, encodeUint32(keyID))
	}); err != nil {
		return fmt.Errorf("set group key sent: %w", err)
	}
	return nil
}

// GroupKeysSent returns, per device (account and device number), the key
// ID of our sender key last sent to it.
func (s *Store) GroupKeysSent(ctx context.Context, group groupID) (map[storage.GroupSender]uint32, error) {
	out := make(map[storage.GroupSender]uint32)
	err := s.read(ctx, func(txn *bdg.Txn) error {
		clear(out)
		return scan(txn, keyGroup(pGroupKeySent, group, 0), true, func(k, v []byte) (bool, error) {
			if len(k) != 1+32+32+4 {
				return false, fmt.Errorf("%w: key-sent entry of %d bytes", ErrCorrupt, len(k))
			}
			id, err := decodeUint32(v, "key id")
			if err != nil {
				return false, err
			}
			var d storage.GroupSender
			copy(d.Account[:], k[33:65])
			d.Device = binary.BigEndian.Uint32(k[65:69])
			out[d] = id
			return true, nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("group keys sent: %w", err)
	}
	return out, nil
}

// --- Per-member receipts of our group messages

// SetGroupReceipt moves member's state of our group message id forward
// (see storage.State.Rank) and reports whether it changed.
func (s *Store) SetGroupReceipt(ctx context.Context, id storage.MessageID, member storage.Account, st storage.State) (changed bool, err error) {
	if st != storage.Delivered && st != storage.Read {
		return false, fmt.Errorf("set group receipt: %w: state %s", ErrInvalid, st)
	}
	k := make([]byte, 0, 1+16+32)
	k = append(k, pGroupReceipt)
	k = append(k, id[:]...)
	k = append(k, member[:]...)
	err = s.write(ctx, func(txn *bdg.Txn) error {
		changed = false
		b, ok, err := get(txn, k)
		if err != nil {
			return err
		}
		if ok && len(b) == 1 && storage.State(b[0]).Rank() >= st.Rank() {
			return nil
		}
		changed = true
		if err := txn.Set(k, []byte{byte(st)}); err != nil {
			return err
		}
		// Every receipt of the message reads and writes one version key,
		// so two receipts committed at once conflict and one is run again:
		// whoever aggregates the members' states sees them all.
		vk := keyID(pGroupReceipt, id)
		var v uint64
		if b, ok, err := get(txn, vk); err != nil {
			return err
		} else if ok && len(b) == 8 {
			v = binary.BigEndian.Uint64(b)
		}
		return txn.Set(vk, binary.BigEndian.AppendUint64(nil, v+1))
	})
	if err != nil {
		return false, fmt.Errorf("set group receipt: %w", err)
	}
	return changed, nil
}

// GroupReceipts returns each member's state of our group message id
// (members that sent no receipt are absent).
func (s *Store) GroupReceipts(ctx context.Context, id storage.MessageID) (map[storage.Account]storage.State, error) {
	prefix := keyID(pGroupReceipt, id)
	out := make(map[storage.Account]storage.State)
	err := s.read(ctx, func(txn *bdg.Txn) error {
		clear(out)
		return scan(txn, prefix, true, func(k, v []byte) (bool, error) {
			if len(k) == len(prefix) {
				return true, nil // the version key
			}
			if len(k) != len(prefix)+32 || len(v) != 1 || !validState(storage.State(v[0])) {
				return false, fmt.Errorf("%w: receipt entry", ErrCorrupt)
			}
			out[storage.Account(k[len(prefix):])] = storage.State(v[0])
			return true, nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("group receipts: %w", err)
	}
	return out, nil
}

// --- Removing messages

// DeleteMessage removes message id from history (and its unread mark,
// receipts, previous versions, reactions and quote; the quotes of replies
// to it keep no text, preview or file name of it), fixing the
// conversation's summary, queues its removal from the search index, and
// removes everything else that carries its text or its file (see
// purge.go: account-log ops redacted, outbox items, custody records, file
// records, a waiting group envelope), even when the message itself is not
// held; a missing one is not an error. Every removal of a message goes
// through it (delete for me or for everyone, expiry; groups when a late op
// shows a message's sender had already left). The store compacts its
// files after deletions (Compact).
func (s *Store) DeleteMessage(ctx context.Context, id storage.MessageID) error {
	err := s.write(ctx, func(txn *bdg.Txn) error {
		m, err := loadMessage(txn, id)
		if errors.Is(err, storage.ErrNotFound) {
			// What else it left (an op, a file) goes all the same.
			_, err = purgeMessage(txn, id, nil)
			return err
		}
		if err != nil {
			return err
		}
		if _, err := purgeMessage(txn, id, &m); err != nil {
			return err
		}
		for _, k := range [][]byte{keyID(pMessageIndex, id), keyAccountID(pHistory, m.Peer, id)} {
			if err := txn.Delete(k); err != nil {
				return err
			}
		}
		if err := deleteActionRecords(txn, id); err != nil {
			return err
		}
		if err := forgetQuotes(txn, id); err != nil {
			return err
		}
		if err := s.queueIndex(txn, id); err != nil {
			return err
		}
		var receipts [][]byte
		if err := scan(txn, keyID(pGroupReceipt, id), false, func(k, _ []byte) (bool, error) {
			receipts = append(receipts, k)
			return true, nil
		}); err != nil {
			return err
		}
		for _, k := range receipts {
			if err := txn.Delete(k); err != nil {
				return err
			}
		}
		sum, ok, err := loadSummary(txn, m.Peer)
		if err != nil || !ok {
			return err
		}
		if isUnread(&m) {
			if err := txn.Delete(keyAccountID(pUnread, m.Peer, id)); err != nil {
				return err
			}
			if sum.Unread > 0 {
				sum.Unread--
			}
		}
		if sum.Last == id {
			last, found, err := newestIn(txn, m.Peer)
			if err != nil {
				return err
			}
			if !found {
				return txn.Delete(keyAccount(pSummary, m.Peer))
			}
			sum.Last = last
		}
		return txn.Set(keyAccount(pSummary, m.Peer), encodeSummary(sum))
	})
	if err != nil {
		return fmt.Errorf("delete message: %w", err)
	}
	s.compact.deleted()
	return nil
}

// newestIn returns the ID of the newest message of a conversation.
func newestIn(txn *bdg.Txn, conv storage.Account) (storage.MessageID, bool, error) {
	prefix := keyAccount(pHistory, conv)
	it := txn.NewIterator(bdg.IteratorOptions{Prefix: prefix, Reverse: true})
	defer it.Close()
	it.Seek(append(bytes.Clone(prefix), bytes.Repeat([]byte{0xFF}, 16)...))
	if !it.ValidForPrefix(prefix) {
		return storage.MessageID{}, false, nil
	}
	k := it.Item().Key()
	if len(k) != len(prefix)+16 {
		return storage.MessageID{}, false, fmt.Errorf("%w: history key of %d bytes", ErrCorrupt, len(k))
	}
	return storage.MessageID(k[len(prefix):]), true, nil
}
