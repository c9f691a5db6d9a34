package identity

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	ma "github.com/multiformats/go-multiaddr"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/pb"
)

func TestDeviceListRoundTrip(t *testing.T) {
	a := testAccount(t, 1)
	in := testList(t, a, 10, 3, 7)
	raw := signList(t, a, in)
	l, err := OpenDeviceList(raw)
	if err != nil {
		t.Fatal(err)
	}
	if l.Account != a.ID() || l.Version != 7 || !l.IssuedAt.Equal(in.IssuedAt) || len(l.Devices) != 3 {
		t.Fatalf("list: %+v", l)
	}
	if fmt.Sprint(l.Relays) != fmt.Sprint(in.Relays) {
		t.Fatalf("relays %v, want %v", l.Relays, in.Relays)
	}
	for i, d := range l.Devices {
		want := in.Devices[i]
		if d.Cert.DeviceID != want.Cert.DeviceID || d.Cert.PeerID != want.Cert.PeerID || !proto.Equal(d.Cert.Signed, want.Cert.Signed) {
			t.Fatalf("device %d: %+v", i, d.Cert)
		}
		if len(d.Addrs) != len(want.Addrs) || !d.Addrs[0].Equal(want.Addrs[0]) || !d.Addrs[1].Equal(want.Addrs[1]) {
			t.Fatalf("device %d addrs %v", i, d.Addrs)
		}
	}
	d, ok := l.Device(2)
	if !ok || d.Cert.DeviceID != 2 {
		t.Fatal("Device(2)")
	}
	if _, ok := l.Device(9); ok {
		t.Fatal("Device(9) found")
	}
	d, ok = l.ByPeer(in.Devices[2].Cert.PeerID)
	if !ok || d.Cert.DeviceID != 3 {
		t.Fatal("ByPeer")
	}
	if _, ok := l.ByPeer(testPeer(t, 99)); ok {
		t.Fatal("ByPeer of a stranger found")
	}

	// Account may be left zero; an empty list is fine.
	raw, err = a.SignDeviceList(&DeviceList{Version: 1})
	if err != nil {
		t.Fatal(err)
	}
	if l, err = OpenDeviceList(raw); err != nil || l.Account != a.ID() || len(l.Devices) != 0 || !l.IssuedAt.IsZero() {
		t.Fatalf("empty list: %+v, %v", l, err)
	}
}

func TestDeviceListTamper(t *testing.T) {
	a := testAccount(t, 1)
	raw := signList(t, a, testList(t, a, 10, 2, 5))
	var s pb.Signed
	if err := proto.Unmarshal(raw, &s); err != nil {
		t.Fatal(err)
	}
	var body pb.DeviceList
	if err := proto.Unmarshal(s.Body, &body); err != nil {
		t.Fatal(err)
	}
	resign := func(f func(*pb.DeviceList)) []byte { // keeps the old signature
		b := proto.Clone(&body).(*pb.DeviceList)
		f(b)
		return mustMarshal(t, &pb.Signed{Body: mustMarshal(t, b), Signature: s.Signature})
	}
	flipped := proto.Clone(&s).(*pb.Signed)
	flipped.Signature[0] ^= 0x80
	crossDomain := mustMarshal(t, &pb.Signed{Body: s.Body, Signature: a.sign(certDomain, s.Body)})

	for name, tc := range map[string]struct {
		raw  []byte
		want error
	}{
		"flipped sig":    {mustMarshal(t, flipped), ErrBadSignature},
		"version bumped": {resign(func(b *pb.DeviceList) { b.Version = 6 }), ErrBadSignature},
		"device dropped": {resign(func(b *pb.DeviceList) { b.Devices = b.Devices[:1] }), ErrBadSignature},
		"relay added":    {resign(func(b *pb.DeviceList) { b.Relays = append(b.Relays, "/ip4/10.0.0.1/tcp/1") }), ErrBadSignature},
		"cross domain":   {crossDomain, ErrBadSignature},
		"garbage":        {[]byte("not a record"), ErrMalformed},
		"no signature":   {mustMarshal(t, &pb.Signed{Body: s.Body}), ErrMalformed},
		"oversized":      {make([]byte, MaxDeviceListSize+1), ErrTooLarge},
	} {
		if _, err := OpenDeviceList(tc.raw); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", name, err, tc.want)
		}
	}
}

func TestDeviceListRejectsForeignAndDuplicates(t *testing.T) {
	a, b := testAccount(t, 1), testAccount(t, 2)
	l := testList(t, a, 10, 2, 1)
	foreign := testCert(t, b, 3, 30)

	// SignDeviceList refuses them.
	withForeign := *l
	withForeign.Devices = append(append([]Device(nil), l.Devices...), Device{Cert: foreign})
	if _, err := a.SignDeviceList(&withForeign); !errors.Is(err, ErrForeignCertificate) {
		t.Errorf("sign with foreign cert: %v", err)
	}
	dupID := *l
	dupID.Devices = append(append([]Device(nil), l.Devices...), Device{Cert: testCert(t, a, 1, 40)})
	if _, err := a.SignDeviceList(&dupID); !errors.Is(err, ErrDuplicateDevice) {
		t.Errorf("sign with duplicate device id: %v", err)
	}
	dupPeer := *l
	dupPeer.Devices = append(append([]Device(nil), l.Devices...), Device{Cert: testCert(t, a, 9, 10)})
	if _, err := a.SignDeviceList(&dupPeer); !errors.Is(err, ErrDuplicateDevice) {
		t.Errorf("sign with duplicate peer id: %v", err)
	}
	if _, err := a.SignDeviceList(&DeviceList{Account: b.ID()}); !errors.Is(err, ErrWrongAccount) {
		t.Errorf("sign b's list with a: %v", err)
	}

	// OpenDeviceList refuses records built by hand with the same faults.
	aID := a.ID()
	entry := func(c *Certificate) *pb.DeviceEntry { return &pb.DeviceEntry{Certificate: c.Signed} }
	base := func(extra ...*pb.DeviceEntry) *pb.DeviceList {
		return &pb.DeviceList{AccountKey: aID[:], Version: 1, Devices: append([]*pb.DeviceEntry{entry(l.Devices[0].Cert), entry(l.Devices[1].Cert)}, extra...)}
	}
	badCert := proto.Clone(l.Devices[0].Cert.Signed).(*pb.Signed)
	badCert.Signature[1] ^= 1
	tooManyAddrs := entry(testCert(t, a, 5, 50))
	for range MaxAddrsPerDevice + 1 {
		tooManyAddrs.Addrs = append(tooManyAddrs.Addrs, testAddr(t, "/ip4/127.0.0.1/tcp/1").Bytes())
	}
	var many []*pb.DeviceEntry
	for i := range MaxDevices - 1 {
		many = append(many, entry(testCert(t, a, uint32(10+i), byte(100+i))))
	}
	for name, tc := range map[string]struct {
		body *pb.DeviceList
		want error
	}{
		"foreign cert":   {base(entry(foreign)), ErrForeignCertificate},
		"duplicate id":   {base(entry(testCert(t, a, 2, 41))), ErrDuplicateDevice},
		"duplicate peer": {base(entry(testCert(t, a, 7, 11))), ErrDuplicateDevice},
		"same cert":      {base(entry(l.Devices[0].Cert)), ErrDuplicateDevice},
		"bad cert sig":   {base(&pb.DeviceEntry{Certificate: badCert}), ErrBadSignature},
		"missing cert":   {base(&pb.DeviceEntry{}), ErrMalformed},
		"bad addr":       {base(&pb.DeviceEntry{Certificate: testCert(t, a, 5, 50).Signed, Addrs: [][]byte{{0xff, 0xff}}}), ErrMalformed},
		"empty addr":     {base(&pb.DeviceEntry{Certificate: testCert(t, a, 5, 50).Signed, Addrs: [][]byte{{}}}), ErrMalformed},
		"too many addrs": {base(tooManyAddrs), ErrTooLarge},
		"too many devs":  {base(many...), ErrTooLarge},
		"too many relay": {&pb.DeviceList{AccountKey: aID[:], Relays: repeat("/ip4/127.0.0.1/tcp/1", MaxRelays+1)}, ErrTooLarge},
		"bad relay":      {&pb.DeviceList{AccountKey: aID[:], Relays: []string{"not a multiaddr"}}, ErrMalformed},
		"long relay":     {&pb.DeviceList{AccountKey: aID[:], Relays: []string{"/dns/" + strings.Repeat("a", maxAddrSize) + "/tcp/1"}}, ErrTooLarge},
		"no account":     {&pb.DeviceList{Version: 1}, ErrMalformed},
		"negative time":  {&pb.DeviceList{AccountKey: aID[:], IssuedAtMs: -1}, ErrMalformed},
	} {
		if _, err := OpenDeviceList(signRawList(t, a, tc.body)); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", name, err, tc.want)
		}
	}
	// A list at the limits opens.
	full := base(many[:MaxDevices-2]...)
	if _, err := OpenDeviceList(signRawList(t, a, full)); err != nil {
		t.Errorf("list of %d devices: %v", len(full.Devices), err)
	}
}

func TestSignDeviceListLimits(t *testing.T) {
	a := testAccount(t, 1)
	l := testList(t, a, 10, 1, 1)
	l.Relays = repeat("/ip4/127.0.0.1/tcp/1", MaxRelays+1)
	if _, err := a.SignDeviceList(l); !errors.Is(err, ErrTooLarge) {
		t.Errorf("too many relays: %v", err)
	}
	l = testList(t, a, 10, 1, 1)
	l.Relays = []string{"nope"}
	if _, err := a.SignDeviceList(l); !errors.Is(err, ErrMalformed) {
		t.Errorf("bad relay: %v", err)
	}
	l = testList(t, a, 10, 1, 1)
	for range MaxAddrsPerDevice {
		l.Devices[0].Addrs = append(l.Devices[0].Addrs, testAddr(t, "/ip4/127.0.0.1/tcp/2"))
	}
	if _, err := a.SignDeviceList(l); !errors.Is(err, ErrTooLarge) {
		t.Errorf("too many addrs: %v", err)
	}
	l = testList(t, a, 10, 1, 1)
	l.Devices[0].Addrs = []ma.Multiaddr{nil}
	if _, err := a.SignDeviceList(l); !errors.Is(err, ErrMalformed) {
		t.Errorf("nil addr: %v", err)
	}
	l = testList(t, a, 10, 1, 1)
	l.Devices = append(l.Devices, Device{})
	if _, err := a.SignDeviceList(l); !errors.Is(err, ErrMalformed) {
		t.Errorf("device without certificate: %v", err)
	}
	l = testList(t, a, 10, 1, 1)
	l.IssuedAt = time.UnixMilli(-5)
	if _, err := a.SignDeviceList(l); !errors.Is(err, ErrMalformed) {
		t.Errorf("issue time before 1970: %v", err)
	}
	l = testList(t, a, 10, MaxDevices+1, 1)
	if _, err := a.SignDeviceList(l); !errors.Is(err, ErrTooLarge) {
		t.Errorf("too many devices: %v", err)
	}
	// The largest list the limits allow still fits the record limit.
	l = testList(t, a, 10, MaxDevices, 1)
	l.Relays = nil
	for i := range l.Devices {
		l.Devices[i].Addrs = nil
		for range MaxAddrsPerDevice {
			l.Devices[i].Addrs = append(l.Devices[i].Addrs, testAddr(t, "/ip6/2001:db8::1/udp/65535/quic-v1/webtransport"))
		}
	}
	for range MaxRelays {
		l.Relays = append(l.Relays, "/ip6/2001:db8::1/udp/4001/quic-v1/p2p/"+testPeer(t, 1).String())
	}
	for i := range MaxRevoked {
		l.Revoked = append(l.Revoked, RevokedDevice{Cert: testCert(t, a, uint32(100+i), byte(i)), OpsUpto: ^uint64(0)})
	}
	raw := signList(t, a, l)
	if _, err := OpenDeviceList(raw); err != nil {
		t.Fatalf("full list (%d bytes): %v", len(raw), err)
	}
}

// A list keeps revoked devices apart from its devices: their certificates
// and bounds round-trip, Device and ByPeer do not find them, and a record
// that lists a device both ways, too many revoked devices, or a revoked
// certificate that does not verify or is of another account is refused.
func TestDeviceListRevoked(t *testing.T) {
	a, b := testAccount(t, 1), testAccount(t, 2)
	in := withRevoked(t, a, testList(t, a, 10, 2, 3), 42)
	l, err := OpenDeviceList(signList(t, a, in))
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Devices) != 2 || len(l.Revoked) != 1 {
		t.Fatalf("%d devices, %d revoked", len(l.Devices), len(l.Revoked))
	}
	r, ok := l.RevokedDevice(100)
	if !ok || r.OpsUpto != 42 || !proto.Equal(r.Cert.Signed, in.Revoked[0].Cert.Signed) {
		t.Fatalf("revoked device 100: %+v, %v", r, ok)
	}
	if _, ok := l.Device(100); ok {
		t.Fatal("Device finds a revoked device")
	}
	if _, ok := l.ByPeer(r.Cert.PeerID); ok {
		t.Fatal("ByPeer finds a revoked device")
	}
	if _, ok := l.RevokedDevice(1); ok {
		t.Fatal("RevokedDevice finds a listed device")
	}

	// SignDeviceList refuses what OpenDeviceList would.
	both := testList(t, a, 10, 2, 3)
	both.Revoked = []RevokedDevice{{Cert: both.Devices[0].Cert}}
	if _, err := a.SignDeviceList(both); !errors.Is(err, ErrDuplicateDevice) {
		t.Errorf("sign with a device listed and revoked: %v", err)
	}
	foreign := testList(t, a, 10, 1, 3)
	foreign.Revoked = []RevokedDevice{{Cert: testCert(t, b, 5, 50)}}
	if _, err := a.SignDeviceList(foreign); !errors.Is(err, ErrForeignCertificate) {
		t.Errorf("sign with a foreign revoked device: %v", err)
	}
	many := testList(t, a, 10, 1, 3)
	for i := range MaxRevoked + 1 {
		many.Revoked = append(many.Revoked, RevokedDevice{Cert: testCert(t, a, uint32(100+i), byte(i))})
	}
	if _, err := a.SignDeviceList(many); !errors.Is(err, ErrTooLarge) {
		t.Errorf("sign with %d revoked devices: %v", len(many.Revoked), err)
	}
	if _, err := a.SignDeviceList(&DeviceList{Revoked: []RevokedDevice{{}}}); !errors.Is(err, ErrMalformed) {
		t.Errorf("sign a revoked device without certificate: %v", err)
	}

	aID := a.ID()
	body := func(revoked ...*pb.RevokedDevice) *pb.DeviceList {
		return &pb.DeviceList{AccountKey: aID[:], Version: 1, Devices: []*pb.DeviceEntry{{Certificate: in.Devices[0].Cert.Signed}}, Revoked: revoked}
	}
	badCert := proto.Clone(in.Revoked[0].Cert.Signed).(*pb.Signed)
	badCert.Signature[1] ^= 1
	var tooMany []*pb.RevokedDevice
	for _, r := range many.Revoked {
		tooMany = append(tooMany, &pb.RevokedDevice{Certificate: r.Cert.Signed})
	}
	for name, tc := range map[string]struct {
		body *pb.DeviceList
		want error
	}{
		"listed and revoked": {body(&pb.RevokedDevice{Certificate: in.Devices[0].Cert.Signed}), ErrDuplicateDevice},
		"bad cert sig":       {body(&pb.RevokedDevice{Certificate: badCert}), ErrBadSignature},
		"foreign":            {body(&pb.RevokedDevice{Certificate: foreign.Revoked[0].Cert.Signed}), ErrForeignCertificate},
		"missing cert":       {body(&pb.RevokedDevice{OpsUpto: 1}), ErrMalformed},
		"too many":           {body(tooMany...), ErrTooLarge},
		"same revoked twice": {body(&pb.RevokedDevice{Certificate: in.Revoked[0].Cert.Signed}, &pb.RevokedDevice{Certificate: in.Revoked[0].Cert.Signed}), ErrDuplicateDevice},
	} {
		if _, err := OpenDeviceList(signRawList(t, a, tc.body)); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", name, err, tc.want)
		}
	}
	if _, err := OpenDeviceList(signRawList(t, a, body(tooMany[:MaxRevoked]...))); err != nil {
		t.Errorf("list of %d revoked devices: %v", MaxRevoked, err)
	}
}

func repeat(s string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = s
	}
	return out
}
