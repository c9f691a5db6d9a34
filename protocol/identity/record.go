package identity

import (
	"errors"
	"fmt"

	record "github.com/libp2p/go-libp2p-record"
)

// Namespace is the DHT namespace of device-list records.
const Namespace = "pigeon-devices"

// DeviceListKey returns the DHT key of an account's device list:
// "/pigeon-devices/" followed by the 32 raw bytes of the account key.
func DeviceListKey(a AccountID) string {
	return "/" + Namespace + "/" + string(a[:])
}

// AccountFromKey is the inverse of DeviceListKey.
func AccountFromKey(key string) (AccountID, error) {
	ns, rest, err := record.SplitKey(key)
	if err != nil {
		return AccountID{}, fmt.Errorf("account from key: %w: %v", ErrBadKey, err)
	}
	if ns != Namespace {
		return AccountID{}, fmt.Errorf("account from key: %w: namespace %q", ErrBadKey, ns)
	}
	id, err := AccountIDFromBytes([]byte(rest))
	if err != nil {
		return AccountID{}, fmt.Errorf("account from key: %w: %w", ErrBadKey, err)
	}
	return id, nil
}

// Validator is the DHT record validator for the device-list namespace.
// Register it with dht.NamespacedValidator(Namespace, Validator{}).
type Validator struct{}

var _ record.Validator = Validator{}

// Validate checks that key is a device-list key and value a record that
// opens (signature, certificates, limits) and belongs to the account in key.
func (Validator) Validate(key string, value []byte) error {
	_, err := openForKey(key, value)
	return err
}

// Select returns the index of the valid record with the highest version;
// among equal versions the first wins. It fails when no record is valid.
func (Validator) Select(key string, values [][]byte) (int, error) {
	best, bestVersion := -1, uint64(0)
	var firstErr error
	for i, v := range values {
		l, err := openForKey(key, v)
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		if best < 0 || l.Version > bestVersion {
			best, bestVersion = i, l.Version
		}
	}
	if best < 0 {
		if firstErr == nil {
			firstErr = errors.New("no records")
		}
		return 0, fmt.Errorf("select device list: %w", firstErr)
	}
	return best, nil
}

func openForKey(key string, value []byte) (*DeviceList, error) {
	want, err := AccountFromKey(key)
	if err != nil {
		return nil, fmt.Errorf("validate device list: %w", err)
	}
	l, err := OpenDeviceList(value)
	if err != nil {
		return nil, fmt.Errorf("validate device list: %w", err)
	}
	if l.Account != want {
		return nil, fmt.Errorf("validate device list: %w: record of %s under key of %s", ErrWrongAccount, l.Account.Short(), want.Short())
	}
	return l, nil
}
