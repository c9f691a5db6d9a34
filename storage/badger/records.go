package badger

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"

	bdg "github.com/dgraph-io/badger/v4"

	"github.com/pigeon-net/pigeon/storage"
)

// --- Contacts

// PutContact inserts or replaces the contact with c.Account.
func (s *Store) PutContact(ctx context.Context, c storage.Contact) error {
	if len(c.Name) > maxTextLen {
		return fmt.Errorf("put contact: %w: name of %d bytes", ErrInvalid, len(c.Name))
	}
	if err := s.write(ctx, func(txn *bdg.Txn) error {
		return txn.Set(keyAccount(pContact, c.Account), encodeContact(&c))
	}); err != nil {
		return fmt.Errorf("put contact: %w", err)
	}
	return nil
}

// Contact returns the contact for a, or an error wrapping
// storage.ErrNotFound.
func (s *Store) Contact(ctx context.Context, a storage.Account) (storage.Contact, error) {
	var c storage.Contact
	err := s.read(ctx, func(txn *bdg.Txn) error {
		b, ok, err := get(txn, keyAccount(pContact, a))
		if err != nil {
			return err
		}
		if !ok {
			return storage.ErrNotFound
		}
		c, err = decodeContact(b)
		return err
	})
	if err != nil {
		return storage.Contact{}, fmt.Errorf("contact: %w", err)
	}
	return c, nil
}

// Contacts returns every contact sorted by name, then account.
func (s *Store) Contacts(ctx context.Context) ([]storage.Contact, error) {
	var out []storage.Contact
	err := s.read(ctx, func(txn *bdg.Txn) error {
		out = nil
		return scan(txn, key1(pContact), true, func(_, v []byte) (bool, error) {
			c, err := decodeContact(v)
			if err != nil {
				return false, err
			}
			out = append(out, c)
			return true, nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("contacts: %w", err)
	}
	slices.SortFunc(out, func(a, b storage.Contact) int {
		if c := strings.Compare(a.Name, b.Name); c != 0 {
			return c
		}
		return bytes.Compare(a.Account[:], b.Account[:])
	})
	return out, nil
}

// DeleteContact deletes the contact for a; a missing one is not an error.
func (s *Store) DeleteContact(ctx context.Context, a storage.Account) error {
	if err := s.write(ctx, func(txn *bdg.Txn) error {
		return txn.Delete(keyAccount(pContact, a))
	}); err != nil {
		return fmt.Errorf("delete contact: %w", err)
	}
	return nil
}

// --- Outbox

// PutOutbox inserts or replaces the outbox item with it.ID.
func (s *Store) PutOutbox(ctx context.Context, it storage.OutboxItem) error {
	if it.ID.IsZero() {
		return fmt.Errorf("put outbox: %w: zero id", ErrInvalid)
	}
	if len(it.Content) > maxTextLen || len(it.Done) > maxDoneDevice {
		return fmt.Errorf("put outbox: %w: content or done list too long", ErrInvalid)
	}
	if err := s.write(ctx, func(txn *bdg.Txn) error {
		return txn.Set(keyID(pOutbox, it.ID), encodeOutbox(&it))
	}); err != nil {
		return fmt.Errorf("put outbox: %w", err)
	}
	return nil
}

// OutboxItem returns the outbox item with id, or an error wrapping
// storage.ErrNotFound.
func (s *Store) OutboxItem(ctx context.Context, id storage.MessageID) (storage.OutboxItem, error) {
	var it storage.OutboxItem
	err := s.read(ctx, func(txn *bdg.Txn) error {
		b, ok, err := get(txn, keyID(pOutbox, id))
		if err != nil {
			return err
		}
		if !ok {
			return storage.ErrNotFound
		}
		it, err = decodeOutbox(b)
		return err
	})
	if err != nil {
		return storage.OutboxItem{}, fmt.Errorf("outbox item: %w", err)
	}
	return it, nil
}

// DeleteOutbox deletes the outbox item with id; a missing one is not an
// error.
func (s *Store) DeleteOutbox(ctx context.Context, id storage.MessageID) error {
	if err := s.write(ctx, func(txn *bdg.Txn) error {
		return txn.Delete(keyID(pOutbox, id))
	}); err != nil {
		return fmt.Errorf("delete outbox: %w", err)
	}
	return nil
}

// Outbox returns every outbox item ordered by ID (oldest first).
func (s *Store) Outbox(ctx context.Context) ([]storage.OutboxItem, error) {
	var out []storage.OutboxItem
	err := s.read(ctx, func(txn *bdg.Txn) error {
		out = nil
		return scan(txn, key1(pOutbox), true, func(_, v []byte) (bool, error) {
			it, err := decodeOutbox(v)
			if err != nil {
				return false, err
			}
			out = append(out, it)
			return true, nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("outbox: %w", err)
	}
	return out, nil
}

// --- Device list cache

// PutDeviceList keeps the raw signed device list of account a (a
// marshaled pb.Signed around a pb.DeviceList of a, verified by the
// caller) unless the store holds a newer version: compare and set in one
// transaction, so no caller can put an older list back. An older version
// fails with an error wrapping storage.ErrStale; the same version again
// changes nothing. A record that is not a list of a is refused (ErrInvalid).
func (s *Store) PutDeviceList(ctx context.Context, a storage.Account, raw []byte) error {
	const op = "put device list"
	owner, version, err := deviceListVersion(raw)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if owner != a {
		return fmt.Errorf("%s: %w: a list of another account", op, ErrInvalid)
	}
	v := bytes.Clone(raw)
	err = s.write(ctx, func(txn *bdg.Txn) error {
		k := keyAccount(pDeviceList, a)
		old, ok, err := get(txn, k)
		if err != nil {
			return err
		}
		if ok {
			// A stored record that no longer decodes counts as version 0.
			if _, have, err := deviceListVersion(old); err == nil {
				switch {
				case version < have:
					return fmt.Errorf("%w: version %d, stored %d", storage.ErrStale, version, have)
				case version == have:
					return nil
				}
			}
		}
		return txn.Set(k, v)
	})
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	return nil
}

// DeviceList returns the cached raw device list of a, or an error wrapping
// storage.ErrNotFound.
func (s *Store) DeviceList(ctx context.Context, a storage.Account) ([]byte, error) {
	var raw []byte
	err := s.read(ctx, func(txn *bdg.Txn) error {
		b, ok, err := get(txn, keyAccount(pDeviceList, a))
		if err != nil {
			return err
		}
		if !ok {
			return storage.ErrNotFound
		}
		raw = b
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("device list: %w", err)
	}
	return raw, nil
}

// maxSettingName bounds setting names.
const maxSettingName = 64

// PutSetting stores a node setting (opaque bytes) under name.
func (s *Store) PutSetting(ctx context.Context, name string, value []byte) error {
	if name == "" || len(name) > maxSettingName {
		return fmt.Errorf("put setting: %w: name %q", ErrInvalid, name)
	}
	v := bytes.Clone(value)
	if v == nil {
		v = []byte{}
	}
	if err := s.write(ctx, func(txn *bdg.Txn) error {
		return txn.Set(keyStr(pSetting, name), v)
	}); err != nil {
		return fmt.Errorf("put setting: %w", err)
	}
	return nil
}

// Setting returns the setting name, or an error wrapping storage.ErrNotFound.
func (s *Store) Setting(ctx context.Context, name string) ([]byte, error) {
	var v []byte
	err := s.read(ctx, func(txn *bdg.Txn) error {
		b, ok, err := get(txn, keyStr(pSetting, name))
		if err == nil && !ok {
			err = storage.ErrNotFound
		}
		v = b
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("setting %s: %w", name, err)
	}
	return v, nil
}
