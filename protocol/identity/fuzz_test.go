package identity

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/pb"
)

func FuzzVerifyCertificate(f *testing.F) {
	a := testAccount(f, 1)
	for id := uint32(1); id <= 3; id++ {
		s, err := a.IssueCertificate(id, testPeer(f, byte(id)), testSignalKey(byte(id)), testTime)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(mustMarshal(f, s))
	}
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, raw []byte) {
		var s pb.Signed
		if proto.Unmarshal(raw, &s) != nil {
			return
		}
		c, err := VerifyCertificate(&s)
		if err != nil {
			return
		}
		// Whatever verifies must be a well-formed certificate of its account.
		if c.DeviceID < 1 || c.DeviceID > MaxDeviceID || len(c.SignalIdentityKey) != SignalKeySize || c.PeerID.Validate() != nil {
			t.Fatalf("verified a bad certificate: %+v", c)
		}
		if !bytes.Equal(c.Signed.Body, s.Body) || !verify(c.Account, certDomain, c.Signed.Body, c.Signed.Signature) {
			t.Fatal("Signed is not what was verified")
		}
	})
}

func FuzzOpenDeviceList(f *testing.F) {
	a := testAccount(f, 1)
	for n := range 3 {
		f.Add(signList(f, a, testList(f, a, 10, n, uint64(n))))
	}
	f.Add(signList(f, a, &DeviceList{}))
	f.Add(signList(f, a, withRevoked(f, a, testList(f, a, 10, 1, 5), 7)))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, raw []byte) {
		l, err := OpenDeviceList(raw)
		if err != nil {
			return
		}
		if len(l.Devices) > MaxDevices || len(l.Relays) > MaxRelays {
			t.Fatalf("limits exceeded: %d devices, %d relays", len(l.Devices), len(l.Relays))
		}
		for _, d := range l.Devices {
			if d.Cert == nil || d.Cert.Account != l.Account || len(d.Addrs) > MaxAddrsPerDevice {
				t.Fatalf("bad device in opened list: %+v", d)
			}
			if got, ok := l.Device(d.Cert.DeviceID); !ok || got.Cert != d.Cert {
				t.Fatal("Device lookup")
			}
		}
		if len(l.Revoked) > MaxRevoked {
			t.Fatalf("limits exceeded: %d revoked devices", len(l.Revoked))
		}
		for _, r := range l.Revoked {
			if r.Cert == nil || r.Cert.Account != l.Account {
				t.Fatalf("bad revoked device in opened list: %+v", r)
			}
			if _, ok := l.Device(r.Cert.DeviceID); ok {
				t.Fatalf("device %d both listed and revoked", r.Cert.DeviceID)
			}
		}
		// The key-bound validator agrees.
		if err := (Validator{}).Validate(DeviceListKey(l.Account), raw); err != nil {
			t.Fatalf("opens but does not validate: %v", err)
		}
	})
}

func FuzzParseAccountID(f *testing.F) {
	for seed := range byte(3) {
		s := testAccount(f, seed).ID().String()
		f.Add(s)
		f.Add(strings.ToUpper(s))
		f.Add(s[:len(s)-1] + "b")
	}
	f.Add("")
	f.Add("pg")
	f.Fuzz(func(t *testing.T, s string) {
		id, err := ParseAccountID(s)
		if err != nil {
			return
		}
		// Only the canonical form (up to case and surrounding space) parses.
		if id.String() != strings.ToLower(strings.TrimSpace(s)) {
			t.Fatalf("%q parsed to %s", s, id)
		}
		again, err := ParseAccountID(id.String())
		if err != nil || again != id {
			t.Fatalf("round trip of %q: %v", s, err)
		}
	})
}

// splitValues cuts b into up to maxSelectValues values, each a uvarint
// length then that many bytes (a short last one takes what is left).
func splitValues(b []byte) [][]byte {
	const maxSelectValues = 8
	var out [][]byte
	for len(b) > 0 && len(out) < maxSelectValues {
		n, k := binary.Uvarint(b)
		if k <= 0 {
			break
		}
		b = b[k:]
		n = min(n, uint64(len(b)))
		out = append(out, b[:n])
		b = b[n:]
	}
	return out
}

func joinValues(vs ...[]byte) []byte {
	var out []byte
	for _, v := range vs {
		out = binary.AppendUvarint(out, uint64(len(v)))
		out = append(out, v...)
	}
	return out
}

// FuzzSelect: the DHT validator's Select, given any records for a key,
// picks the first valid one of the highest version, or fails when none is
// valid; it never panics and ends (a hang fails the target).
func FuzzSelect(f *testing.F) {
	a, other := testAccount(f, 1), testAccount(f, 2)
	key := DeviceListKey(a.ID())
	v1, v2 := signList(f, a, &DeviceList{Version: 1}), signList(f, a, &DeviceList{Version: 2})
	f.Add(joinValues(v1, v2))
	f.Add(joinValues(v2, []byte{1, 2}, signList(f, other, &DeviceList{Version: 9}), v2))
	f.Add(joinValues())
	f.Fuzz(func(t *testing.T, in []byte) {
		values := splitValues(in)
		var (
			i   int
			err error
		)
		done := make(chan struct{})
		go func() {
			defer close(done)
			i, err = Validator{}.Select(key, values)
		}()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatal("hang")
		}
		best, bestVersion := -1, uint64(0)
		for j, v := range values {
			if l, err := OpenDeviceList(v); err == nil && l.Account == a.ID() && (best < 0 || l.Version > bestVersion) {
				best, bestVersion = j, l.Version
			}
		}
		switch {
		case best < 0 && err == nil:
			t.Fatalf("selected %d of %d records, none valid", i, len(values))
		case best >= 0 && (err != nil || i != best):
			t.Fatalf("selected %d (%v), want %d", i, err, best)
		}
	})
}
