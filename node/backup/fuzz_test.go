package backup

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/pb"
)

// FuzzDecodeAccount: any input is refused or decoded into an account
// whose device list is its own; nothing panics or hangs.
func FuzzDecodeAccount(f *testing.F) {
	acct, err := identity.NewAccount()
	if err != nil {
		f.Fatal(err)
	}
	list, err := acct.SignDeviceList(&identity.DeviceList{Account: acct.ID(), Version: 1, IssuedAt: time.Unix(1_700_000_000, 0)})
	if err != nil {
		f.Fatal(err)
	}
	good, err := encodeAccount(&pb.BackupAccount{AccountSeed: acct.Seed(), DeviceList: list, Device: 1})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add([]byte{})
	f.Add(good[:len(good)/2])
	f.Fuzz(func(t *testing.T, b []byte) {
		done := make(chan struct{})
		go func() {
			defer close(done)
			a, err := DecodeAccount(b)
			if err != nil {
				return
			}
			if owner, err := identity.AccountFromSeed(a.Seed); err != nil || a.List.Account != owner.ID() {
				t.Errorf("decoded a list of another account (%v)", err)
			}
		}()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatal("DecodeAccount hangs")
		}
	})
}

// FuzzOpsReader: the ops item reader returns operations within the size
// limit, then io.EOF or an error; it never reads past its input for ever.
func FuzzOpsReader(f *testing.F) {
	var buf bytes.Buffer
	for _, op := range [][]byte{[]byte("first op"), bytes.Repeat([]byte{7}, 300)} {
		if err := writeOp(&buf, op); err != nil {
			f.Fatal(err)
		}
	}
	f.Add(buf.Bytes())
	f.Add([]byte{0})
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0x0f})
	f.Fuzz(func(t *testing.T, b []byte) {
		done := make(chan struct{})
		go func() {
			defer close(done)
			r := NewOpsReader(bytes.NewReader(b))
			for range len(b) + 1 {
				op, err := r.Next()
				if errors.Is(err, io.EOF) || err != nil {
					return
				}
				if len(op) == 0 {
					t.Errorf("an empty operation")
				}
			}
			t.Errorf("more operations than input bytes")
		}()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatal("the ops reader hangs")
		}
	})
}
