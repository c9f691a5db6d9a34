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

// Attachment and pin keys, all under pAttachment ('A'); doc.go lists them.
const (
	aRecord  = 'm' // A m id(16) → Attachment
	aChat    = 'c' // A c peer(32) id(16) → empty: the conversation's media in ID order
	aPin     = 'p' // A p account(32) device(4) root → Pin
	aDeposit = 'd' // A d account(32) device(4) depositID(16) → deposit pins
)

const (
	maxManifestLen = 64 << 10
	maxRootLen     = 64
	maxProviders   = 16
	maxPeerIDLen   = 128
	maxErrorLen    = 1024
	maxPinsPerDep  = 16
)

func attachmentKey(kind byte, parts ...[]byte) []byte {
	k := []byte{pAttachment, kind}
	for _, p := range parts {
		k = append(k, p...)
	}
	return k
}

func boxBytes(account storage.Account, device uint32) []byte {
	return binary.BigEndian.AppendUint32(append([]byte(nil), account[:]...), device)
}

func validAttachmentState(s storage.AttachmentState) bool {
	return s >= storage.AttachmentRemote && s <= storage.AttachmentRetrying
}

// attachmentV2 is the Attachment record with a retry deadline after
// createdAt; attachments without one are still written as version 1.
const attachmentV2 = 2

func encodeAttachment(a *storage.Attachment) []byte {
	e := encoder{b: make([]byte, 0, 128+len(a.Manifest))}
	if a.RetryUntil.IsZero() {
		e.byte(recordV1)
	} else {
		e.byte(attachmentV2)
	}
	e.raw(a.ID[:])
	e.raw(a.Peer[:])
	e.byte(byte(a.Direction))
	e.bytes(a.Manifest)
	e.bytes(a.Root)
	e.uvarint(a.Size)
	e.byte(byte(a.State))
	e.uvarint(uint64(len(a.Providers)))
	for _, p := range a.Providers {
		e.bytes(p)
	}
	e.string(a.Error)
	e.time(a.CreatedAt)
	if !a.RetryUntil.IsZero() {
		e.time(a.RetryUntil)
	}
	return e.b
}

func decodeAttachment(b []byte) (storage.Attachment, error) {
	var a storage.Attachment
	d := decoder{b: b}
	v := d.byte()
	if d.err == nil && v != recordV1 && v != attachmentV2 {
		d.fail("unknown record version %d", v)
	}
	d.raw(a.ID[:])
	d.raw(a.Peer[:])
	a.Direction = storage.Direction(d.byte())
	a.Manifest = d.bytes(maxManifestLen)
	a.Root = d.bytes(maxRootLen)
	a.Size = d.uvarint()
	a.State = storage.AttachmentState(d.byte())
	n := d.uvarint()
	if n > maxProviders {
		d.fail("%d providers", n)
	}
	for i := uint64(0); i < n && d.err == nil; i++ {
		a.Providers = append(a.Providers, d.bytes(maxPeerIDLen))
	}
	a.Error = d.string(maxErrorLen)
	a.CreatedAt = d.time()
	if v == attachmentV2 {
		a.RetryUntil = d.time()
	}
	if d.err == nil && (!validDirection(a.Direction) || !validAttachmentState(a.State)) {
		d.fail("direction or state")
	}
	if err := d.finish("attachment"); err != nil {
		return storage.Attachment{}, err
	}
	return a, nil
}

func checkAttachment(a *storage.Attachment) error {
	switch {
	case len(a.Manifest) > maxManifestLen, len(a.Root) == 0, len(a.Root) > maxRootLen,
		len(a.Providers) > maxProviders, !validDirection(a.Direction), !validAttachmentState(a.State):
		return ErrInvalid
	}
	for _, p := range a.Providers {
		if len(p) > maxPeerIDLen {
			return ErrInvalid
		}
	}
	if len(a.Error) > maxErrorLen {
		a.Error = a.Error[:maxErrorLen]
	}
	return nil
}

// PutAttachment inserts or replaces the attachment of message a.ID.
func (s *Store) PutAttachment(ctx context.Context, a storage.Attachment) error {
	if err := checkAttachment(&a); err != nil {
		return fmt.Errorf("put attachment: %w", err)
	}
	err := s.write(ctx, func(txn *bdg.Txn) error {
		// Search indexes the manifest's caption and file name: a new
		// manifest is a change for it, a new state or provider is not.
		if changed, err := s.manifestChanged(txn, &a); err != nil {
			return err
		} else if changed {
			if err := s.queueIndex(txn, a.ID); err != nil {
				return err
			}
		}
		if err := txn.Set(attachmentKey(aRecord, a.ID[:]), encodeAttachment(&a)); err != nil {
			return err
		}
		return txn.Set(attachmentKey(aChat, a.Peer[:], a.ID[:]), []byte{})
	})
	if err != nil {
		return fmt.Errorf("put attachment: %w", err)
	}
	return nil
}

// manifestChanged reports whether a is new or carries another manifest
// than the attachment stored for its message.
func (s *Store) manifestChanged(txn *bdg.Txn, a *storage.Attachment) (bool, error) {
	b, ok, err := get(txn, attachmentKey(aRecord, a.ID[:]))
	if err != nil || !ok {
		return !ok, err
	}
	old, err := decodeAttachment(b)
	if err != nil {
		return true, nil // replaced by a good record
	}
	return !bytes.Equal(old.Manifest, a.Manifest), nil
}

// Attachment returns the attachment of message id, or an error wrapping
// storage.ErrNotFound.
func (s *Store) Attachment(ctx context.Context, id storage.MessageID) (storage.Attachment, error) {
	var a storage.Attachment
	err := s.read(ctx, func(txn *bdg.Txn) error {
		b, ok, err := get(txn, attachmentKey(aRecord, id[:]))
		if err != nil {
			return err
		}
		if !ok {
			return storage.ErrNotFound
		}
		a, err = decodeAttachment(b)
		return err
	})
	if err != nil {
		return storage.Attachment{}, fmt.Errorf("attachment %s: %w", id, err)
	}
	return a, nil
}

// UpdateAttachment reads, changes and writes back one attachment in one
// transaction.
func (s *Store) UpdateAttachment(ctx context.Context, id storage.MessageID, change func(*storage.Attachment)) (storage.Attachment, error) {
	var a storage.Attachment
	err := s.Update(ctx, func(ctx context.Context) error {
		var err error
		if a, err = s.Attachment(ctx, id); err != nil {
			return err
		}
		change(&a)
		return s.PutAttachment(ctx, a)
	})
	return a, err
}

// Attachments returns up to limit attachments of the conversation with
// peer older than before (zero: the newest), oldest first.
func (s *Store) Attachments(ctx context.Context, peer storage.Account, before storage.MessageID, limit int) ([]storage.Attachment, error) {
	var out []storage.Attachment
	err := s.read(ctx, func(txn *bdg.Txn) error {
		prefix := attachmentKey(aChat, peer[:])
		it := txn.NewIterator(bdg.IteratorOptions{Prefix: prefix, Reverse: true})
		defer it.Close()
		seek := append(bytes.Clone(prefix), 0xff)
		if !before.IsZero() {
			seek = append(bytes.Clone(prefix), before[:]...)
		}
		for it.Seek(seek); it.ValidForPrefix(prefix) && len(out) < limit; it.Next() {
			var id storage.MessageID
			copy(id[:], it.Item().Key()[len(prefix):])
			if id == before {
				continue
			}
			b, ok, err := get(txn, attachmentKey(aRecord, id[:]))
			if err != nil {
				return err
			}
			if !ok {
				continue
			}
			a, err := decodeAttachment(b)
			if err != nil {
				return err
			}
			out = append(out, a)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("attachments: %w", err)
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, nil
}

// ForEachAttachment calls fn with every attachment, in message ID order.
func (s *Store) ForEachAttachment(ctx context.Context, fn func(storage.Attachment) error) error {
	return s.read(ctx, func(txn *bdg.Txn) error {
		return scan(txn, attachmentKey(aRecord), true, func(_, v []byte) (bool, error) {
			a, err := decodeAttachment(v)
			if err != nil {
				return false, err
			}
			return true, fn(a)
		})
	})
}

// --- Relay pins.

func encodePin(p *storage.Pin) []byte {
	e := encoder{b: make([]byte, 0, 96)}
	e.byte(recordV1)
	e.raw(p.Account[:])
	e.uvarint(uint64(p.Device))
	e.bytes(p.Root)
	e.uvarint(p.Size)
	e.time(p.Until)
	return e.b
}

func decodePin(b []byte) (storage.Pin, error) {
	var p storage.Pin
	d := decoder{b: b}
	d.version()
	d.raw(p.Account[:])
	p.Device = d.uint32()
	p.Root = d.bytes(maxRootLen)
	p.Size = d.uvarint()
	p.Until = d.time()
	if err := d.finish("pin"); err != nil {
		return storage.Pin{}, err
	}
	return p, nil
}

func pinKey(account storage.Account, device uint32, root []byte) []byte {
	return attachmentKey(aPin, boxBytes(account, device), root)
}

// PutPin records a pin; an existing pin of the same device and root keeps
// the later expiry.
func (s *Store) PutPin(ctx context.Context, p storage.Pin) error {
	if len(p.Root) == 0 || len(p.Root) > maxRootLen {
		return fmt.Errorf("put pin: %w: root", ErrInvalid)
	}
	err := s.write(ctx, func(txn *bdg.Txn) error {
		k := pinKey(p.Account, p.Device, p.Root)
		if b, ok, err := get(txn, k); err != nil {
			return err
		} else if ok {
			if old, err := decodePin(b); err == nil && old.Until.After(p.Until) {
				p.Until = old.Until
			}
		}
		return txn.Set(k, encodePin(&p))
	})
	if err != nil {
		return fmt.Errorf("put pin: %w", err)
	}
	return nil
}

// PinnedBytes sums the sizes of an account's pins that are live at now.
func (s *Store) PinnedBytes(ctx context.Context, account storage.Account, now time.Time) (uint64, error) {
	var total uint64
	err := s.read(ctx, func(txn *bdg.Txn) error {
		return scan(txn, attachmentKey(aPin, account[:]), true, func(_, v []byte) (bool, error) {
			p, err := decodePin(v)
			if err != nil {
				return false, err
			}
			if p.Until.After(now) {
				total += p.Size
			}
			return true, nil
		})
	})
	if err != nil {
		return 0, fmt.Errorf("pinned bytes: %w", err)
	}
	return total, nil
}

// BindDeposit records that a deposit kept until until names roots: their
// pins for the device last at least as long, and AckDeposits releases
// them.
func (s *Store) BindDeposit(ctx context.Context, account storage.Account, device uint32, id [16]byte, roots [][]byte, until time.Time) error {
	if len(roots) > maxPinsPerDep {
		return fmt.Errorf("bind deposit: %w: %d roots", ErrInvalid, len(roots))
	}
	err := s.Update(ctx, func(ctx context.Context) error {
		txn, err := s.writeTxn(ctx)
		if err != nil {
			return err
		}
		e := encoder{}
		e.byte(recordV1)
		e.time(until)
		e.uvarint(uint64(len(roots)))
		for _, r := range roots {
			if len(r) == 0 || len(r) > maxRootLen {
				return ErrInvalid
			}
			e.bytes(r)
			k := pinKey(account, device, r)
			b, ok, err := get(txn, k)
			if err != nil {
				return err
			}
			if !ok {
				continue // not pinned here: nothing to keep
			}
			p, err := decodePin(b)
			if err != nil {
				return err
			}
			if until.After(p.Until) {
				p.Until = until
				if err := txn.Set(k, encodePin(&p)); err != nil {
					return err
				}
			}
		}
		return txn.Set(attachmentKey(aDeposit, boxBytes(account, device), id[:]), e.b)
	})
	if err != nil {
		return fmt.Errorf("bind deposit: %w", err)
	}
	return nil
}

func decodeDepositPins(b []byte) (until time.Time, roots [][]byte, err error) {
	d := decoder{b: b}
	d.version()
	until = d.time()
	n := d.uvarint()
	if n > maxPinsPerDep {
		d.fail("%d roots", n)
	}
	for i := uint64(0); i < n && d.err == nil; i++ {
		roots = append(roots, d.bytes(maxRootLen))
	}
	return until, roots, d.finish("deposit pins")
}

// AckDeposits releases the pins of acked deposits: a root no other deposit
// of the device names is unpinned for it.
func (s *Store) AckDeposits(ctx context.Context, account storage.Account, device uint32, ids [][16]byte) error {
	err := s.Update(ctx, func(ctx context.Context) error {
		txn := txnFrom(ctx).txn
		box := boxBytes(account, device)
		released := map[string]bool{}
		for _, id := range ids {
			k := attachmentKey(aDeposit, box, id[:])
			b, ok, err := get(txn, k)
			if err != nil {
				return err
			}
			if !ok {
				continue
			}
			_, roots, err := decodeDepositPins(b)
			if err != nil {
				return err
			}
			for _, r := range roots {
				released[string(r)] = true
			}
			if err := txn.Delete(k); err != nil {
				return err
			}
		}
		if len(released) == 0 {
			return nil
		}
		// Roots other deposits of the device still name stay pinned.
		err := scan(txn, attachmentKey(aDeposit, box), true, func(_, v []byte) (bool, error) {
			_, roots, err := decodeDepositPins(v)
			if err != nil {
				return false, err
			}
			for _, r := range roots {
				delete(released, string(r))
			}
			return true, nil
		})
		if err != nil {
			return err
		}
		for r := range released {
			if err := txn.Delete(pinKey(account, device, []byte(r))); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("ack deposits: %w", err)
	}
	return nil
}

// LivePins returns the roots of every pin live at now, and deletes pins
// and deposit records that expired.
func (s *Store) LivePins(ctx context.Context, now time.Time) ([][]byte, error) {
	var live [][]byte
	var dead [][]byte
	err := s.read(ctx, func(txn *bdg.Txn) error {
		err := scan(txn, attachmentKey(aPin), true, func(k, v []byte) (bool, error) {
			p, err := decodePin(v)
			if err != nil {
				return false, err
			}
			if p.Until.After(now) {
				live = append(live, p.Root)
			} else {
				dead = append(dead, k)
			}
			return true, nil
		})
		if err != nil {
			return err
		}
		return scan(txn, attachmentKey(aDeposit), true, func(k, v []byte) (bool, error) {
			until, _, err := decodeDepositPins(v)
			if err != nil {
				return false, err
			}
			if !until.After(now) {
				dead = append(dead, k)
			}
			return true, nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("live pins: %w", err)
	}
	for len(dead) > 0 {
		k := min(len(dead), 1000)
		err := s.Update(ctx, func(ctx context.Context) error {
			for _, key := range dead[:k] {
				if err := txnFrom(ctx).txn.Delete(key); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil && !errors.Is(err, context.Canceled) {
			return live, fmt.Errorf("live pins: expire: %w", err)
		}
		dead = dead[k:]
	}
	return live, nil
}
