package badger

import (
	"context"
	"fmt"

	bdg "github.com/dgraph-io/badger/v4"

	"github.com/pigeon-net/pigeon/storage"
)

// Custody records limits.
const (
	maxCustodyRelays = 16  // relays per device
	maxRelayIDLen    = 128 // a binary peer ID
)

// PutCustody stores c under its recipient and ID, replacing what was
// there; a record without devices is deleted.
func (s *Store) PutCustody(ctx context.Context, c storage.Custody) error {
	if c.ID.IsZero() {
		return fmt.Errorf("put custody: %w: zero id", ErrInvalid)
	}
	if len(c.Content) > maxTextLen || len(c.Devices) > maxDoneDevice {
		return fmt.Errorf("put custody: %w: content or device list too long", ErrInvalid)
	}
	for _, d := range c.Devices {
		if len(d.Relays) > maxCustodyRelays {
			return fmt.Errorf("put custody: %w: %d relays", ErrInvalid, len(d.Relays))
		}
		for _, r := range d.Relays {
			if len(r) == 0 || len(r) > maxRelayIDLen {
				return fmt.Errorf("put custody: %w: relay id of %d bytes", ErrInvalid, len(r))
			}
		}
	}
	k := keyAccountID(pCustody, c.Recipient, c.ID)
	if err := s.write(ctx, func(txn *bdg.Txn) error {
		if len(c.Devices) == 0 {
			return txn.Delete(k)
		}
		return txn.Set(k, encodeCustody(&c))
	}); err != nil {
		return fmt.Errorf("put custody: %w", err)
	}
	return nil
}

// Custody returns the custody record of message id to recipient, or an
// error wrapping storage.ErrNotFound.
func (s *Store) Custody(ctx context.Context, recipient storage.Account, id storage.MessageID) (storage.Custody, error) {
	var c storage.Custody
	err := s.read(ctx, func(txn *bdg.Txn) error {
		b, ok, err := get(txn, keyAccountID(pCustody, recipient, id))
		if err != nil {
			return err
		}
		if !ok {
			return storage.ErrNotFound
		}
		c, err = decodeCustody(b)
		return err
	})
	if err != nil {
		return storage.Custody{}, fmt.Errorf("custody: %w", err)
	}
	return c, nil
}

// CustodyOf returns the custody records of messages to recipient, oldest
// first.
func (s *Store) CustodyOf(ctx context.Context, recipient storage.Account) ([]storage.Custody, error) {
	var out []storage.Custody
	err := s.read(ctx, func(txn *bdg.Txn) error {
		out = nil
		return scan(txn, keyAccount(pCustody, recipient), true, func(_, v []byte) (bool, error) {
			c, err := decodeCustody(v)
			if err != nil {
				return false, err
			}
			out = append(out, c)
			return true, nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("custody of: %w", err)
	}
	return out, nil
}

// CustodyRecipients returns the accounts that custody records are kept for.
func (s *Store) CustodyRecipients(ctx context.Context) ([]storage.Account, error) {
	var out []storage.Account
	err := s.read(ctx, func(txn *bdg.Txn) error {
		out = nil
		return scan(txn, key1(pCustody), false, func(k, _ []byte) (bool, error) {
			if len(k) != 1+32+16 {
				return false, fmt.Errorf("%w: custody key", ErrCorrupt)
			}
			if a := storage.Account(k[1:33]); len(out) == 0 || out[len(out)-1] != a {
				out = append(out, a)
			}
			return true, nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("custody recipients: %w", err)
	}
	return out, nil
}

func encodeCustody(c *storage.Custody) []byte {
	e := encoder{b: make([]byte, 0, 64+len(c.Content)+64*len(c.Devices))}
	e.byte(recordV1)
	e.raw(c.ID[:])
	e.raw(c.Recipient[:])
	e.bytes(c.Content)
	e.bool(c.Receipt)
	e.uvarint(uint64(len(c.Devices)))
	for _, d := range c.Devices {
		e.uvarint(uint64(d.Device))
		e.uvarint(d.ListVersion)
		e.time(d.Until)
		e.uvarint(uint64(len(d.Relays)))
		for _, r := range d.Relays {
			e.string(r)
		}
	}
	return e.b
}

func decodeCustody(b []byte) (storage.Custody, error) {
	var c storage.Custody
	d := decoder{b: b}
	d.version()
	d.raw(c.ID[:])
	d.raw(c.Recipient[:])
	c.Content = d.bytes(maxTextLen)
	c.Receipt = d.bool()
	n := d.uvarint()
	if d.err == nil && (n > maxDoneDevice || n > uint64(len(d.b))) {
		d.fail("%d custody devices", n)
	}
	for i := uint64(0); d.err == nil && i < n; i++ {
		dev := storage.CustodyDevice{Device: d.uint32(), ListVersion: d.uvarint(), Until: d.time()}
		nr := d.uvarint()
		if d.err == nil && (nr > maxCustodyRelays || nr > uint64(len(d.b))) {
			d.fail("%d custody relays", nr)
		}
		for j := uint64(0); d.err == nil && j < nr; j++ {
			if r := d.string(maxRelayIDLen); r != "" {
				dev.Relays = append(dev.Relays, r)
			} else {
				d.fail("empty relay id")
			}
		}
		c.Devices = append(c.Devices, dev)
	}
	if err := d.finish("custody"); err != nil {
		return storage.Custody{}, err
	}
	return c, nil
}
