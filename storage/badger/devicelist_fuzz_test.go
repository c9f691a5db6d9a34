package badger

import (
	"bytes"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/pb"
)

// FuzzDeviceListVersion: the version reader of stored device lists takes
// any bytes without panicking, and what it reads is what the record says.
func FuzzDeviceListVersion(f *testing.F) {
	a, err := identity.AccountFromSeed(bytes.Repeat([]byte{1}, 32))
	if err != nil {
		f.Fatal(err)
	}
	raw, err := a.SignDeviceList(&identity.DeviceList{Version: 7})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(raw)
	f.Add([]byte{})
	f.Add([]byte{0x0a, 0x02, 0x10, 0x05})
	f.Fuzz(func(t *testing.T, raw []byte) {
		acct, v, err := deviceListVersion(raw)
		if err != nil {
			return
		}
		var s pb.Signed
		var l pb.DeviceList
		if proto.Unmarshal(raw, &s) != nil || proto.Unmarshal(s.GetBody(), &l) != nil {
			t.Fatal("read a version from bytes that do not decode")
		}
		if v != l.GetVersion() || !bytes.Equal(acct[:], l.GetAccountKey()) || len(raw) > maxDeviceList {
			t.Fatalf("read %x v%d from a record of %x v%d", acct, v, l.GetAccountKey(), l.GetVersion())
		}
	})
}
