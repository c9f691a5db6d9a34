package badger

import (
	"fmt"

	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

// maxDeviceList bounds a stored device-list record (identity's limit).
const maxDeviceList = 64 << 10

// deviceListVersion reads the account and version of a signed device-list
// record (a pb.Signed around a pb.DeviceList) without checking the
// signature: the store keeps only lists its callers verified, and compares
// versions (PutDeviceList).
func deviceListVersion(raw []byte) (storage.Account, uint64, error) {
	if len(raw) == 0 || len(raw) > maxDeviceList {
		return storage.Account{}, 0, fmt.Errorf("%w: device list of %d bytes", ErrInvalid, len(raw))
	}
	var s pb.Signed
	if err := proto.Unmarshal(raw, &s); err != nil {
		return storage.Account{}, 0, fmt.Errorf("%w: device list: %v", ErrInvalid, err)
	}
	var l pb.DeviceList
	if err := proto.Unmarshal(s.GetBody(), &l); err != nil {
		return storage.Account{}, 0, fmt.Errorf("%w: device list body: %v", ErrInvalid, err)
	}
	var a storage.Account
	if len(l.GetAccountKey()) != len(a) {
		return storage.Account{}, 0, fmt.Errorf("%w: device list account of %d bytes", ErrInvalid, len(l.GetAccountKey()))
	}
	copy(a[:], l.GetAccountKey())
	return a, l.GetVersion(), nil
}
