package badger

import (
	"bytes"
	"context"
	"fmt"

	bdg "github.com/dgraph-io/badger/v4"

	"github.com/pigeon-net/pigeon/storage"
)

// maxProfileRecord bounds a stored profile record (a marshaled pb.Profile:
// a name of at most 64 characters and an avatar of at most 64 KiB).
const maxProfileRecord = 70 << 10

// PutProfile stores the profile record of account a (opaque bytes: node's
// profiles feature encodes it), replacing the one held.
func (s *Store) PutProfile(ctx context.Context, a storage.Account, rec []byte) error {
	if len(rec) > maxProfileRecord {
		return fmt.Errorf("put profile: %w: record of %d bytes", ErrInvalid, len(rec))
	}
	if err := s.write(ctx, func(txn *bdg.Txn) error {
		return txn.Set(keyAccount(pProfile, a), bytes.Clone(rec))
	}); err != nil {
		return fmt.Errorf("put profile: %w", err)
	}
	return nil
}

// Profile returns the profile record of a, or an error wrapping
// storage.ErrNotFound.
func (s *Store) Profile(ctx context.Context, a storage.Account) ([]byte, error) {
	var v []byte
	err := s.read(ctx, func(txn *bdg.Txn) error {
		b, ok, err := get(txn, keyAccount(pProfile, a))
		if err == nil && !ok {
			err = storage.ErrNotFound
		}
		v = b
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("profile: %w", err)
	}
	return v, nil
}

// Profiles calls fn with every stored profile record, by account.
func (s *Store) Profiles(ctx context.Context, fn func(a storage.Account, rec []byte) error) error {
	err := s.read(ctx, func(txn *bdg.Txn) error {
		return scan(txn, key1(pProfile), true, func(k, v []byte) (bool, error) {
			a, err := accountKey(k)
			if err != nil {
				return false, err
			}
			return true, fn(a, v)
		})
	})
	if err != nil {
		return fmt.Errorf("profiles: %w", err)
	}
	return nil
}

// SetBlocked marks account a blocked (on) or not.
func (s *Store) SetBlocked(ctx context.Context, a storage.Account, on bool) error {
	return s.setFlag(ctx, "set blocked", pBlocked, a, on)
}

// Blocked reports whether account a is blocked.
func (s *Store) Blocked(ctx context.Context, a storage.Account) (bool, error) {
	return s.flag(ctx, "blocked", pBlocked, a)
}

// BlockedAccounts lists the blocked accounts, by account.
func (s *Store) BlockedAccounts(ctx context.Context) ([]storage.Account, error) {
	return s.flags(ctx, "blocked accounts", pBlocked)
}

// SetRequest marks the conversation with account a a message request (on)
// or not.
func (s *Store) SetRequest(ctx context.Context, a storage.Account, on bool) error {
	return s.setFlag(ctx, "set request", pRequest, a, on)
}

// Request reports whether the conversation with a is a message request.
func (s *Store) Request(ctx context.Context, a storage.Account) (bool, error) {
	return s.flag(ctx, "request", pRequest, a)
}

// Requests lists the accounts whose conversations are message requests,
// by account.
func (s *Store) Requests(ctx context.Context) ([]storage.Account, error) {
	return s.flags(ctx, "requests", pRequest)
}

func (s *Store) setFlag(ctx context.Context, op string, p byte, a storage.Account, on bool) error {
	err := s.write(ctx, func(txn *bdg.Txn) error {
		if on {
			return txn.Set(keyAccount(p, a), []byte{})
		}
		return txn.Delete(keyAccount(p, a))
	})
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	return nil
}

func (s *Store) flag(ctx context.Context, op string, p byte, a storage.Account) (bool, error) {
	var on bool
	err := s.read(ctx, func(txn *bdg.Txn) error {
		_, ok, err := get(txn, keyAccount(p, a))
		on = ok
		return err
	})
	if err != nil {
		return false, fmt.Errorf("%s: %w", op, err)
	}
	return on, nil
}

func (s *Store) flags(ctx context.Context, op string, p byte) ([]storage.Account, error) {
	var out []storage.Account
	err := s.read(ctx, func(txn *bdg.Txn) error {
		out = nil
		return scan(txn, key1(p), false, func(k, _ []byte) (bool, error) {
			a, err := accountKey(k)
			out = append(out, a)
			return err == nil, err
		})
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return out, nil
}

// accountKey returns the account of a key made by keyAccount.
func accountKey(k []byte) (storage.Account, error) {
	var a storage.Account
	if len(k) != 1+len(a) {
		return a, fmt.Errorf("%w: account key of %d bytes", ErrCorrupt, len(k))
	}
	copy(a[:], k[1:])
	return a, nil
}
