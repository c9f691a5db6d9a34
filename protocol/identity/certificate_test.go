package identity

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/pb"
)

func TestCertificateRoundTrip(t *testing.T) {
	a := testAccount(t, 1)
	p := testPeer(t, 7)
	key := testSignalKey(7)
	s, err := a.IssueCertificate(3, p, key, testTime)
	if err != nil {
		t.Fatal(err)
	}
	c, err := VerifyCertificate(s)
	if err != nil {
		t.Fatal(err)
	}
	if c.Account != a.ID() || c.DeviceID != 3 || c.PeerID != p || !bytes.Equal(c.SignalIdentityKey, key) || !c.IssuedAt.Equal(testTime) {
		t.Fatalf("certificate fields: %+v", c)
	}
	if !proto.Equal(c.Signed, s) {
		t.Fatal("Signed is not the verified wire form")
	}
	// Deterministic: the same inputs give the same bytes.
	s2, _ := a.IssueCertificate(3, p, key, testTime)
	if !proto.Equal(s, s2) {
		t.Fatal("issuing is not deterministic")
	}
}

func TestIssueCertificateRejectsBadInput(t *testing.T) {
	a := testAccount(t, 1)
	p := testPeer(t, 7)
	key := testSignalKey(7)
	badType := bytes.Clone(key)
	badType[0] = 0x06
	for name, tc := range map[string]struct {
		id  uint32
		p   peer.ID
		key []byte
		at  time.Time
	}{
		"device 0":      {0, p, key, testTime},
		"device 2^31+1": {MaxDeviceID + 1, p, key, testTime},
		"key 32 bytes":  {1, p, key[1:], testTime},
		"key type":      {1, p, badType, testTime},
		"no peer":       {1, "", key, testTime},
		"bad peer":      {1, peer.ID("not a multihash"), key, testTime},
		"zero time":     {1, p, key, time.Time{}},
	} {
		if _, err := a.IssueCertificate(tc.id, tc.p, tc.key, tc.at); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: %v, want ErrMalformed", name, err)
		}
	}
	if _, err := a.IssueCertificate(MaxDeviceID, p, key, testTime); err != nil {
		t.Errorf("device 2^31: %v", err)
	}
}

func TestVerifyCertificateTamper(t *testing.T) {
	a, b := testAccount(t, 1), testAccount(t, 2)
	s, err := a.IssueCertificate(1, testPeer(t, 7), testSignalKey(7), testTime)
	if err != nil {
		t.Fatal(err)
	}
	var dc pb.DeviceCertificate
	if err := proto.Unmarshal(s.Body, &dc); err != nil {
		t.Fatal(err)
	}
	// withBody re-encodes the body after f, keeping the original signature.
	withBody := func(f func(*pb.DeviceCertificate)) *pb.Signed {
		c := proto.Clone(&dc).(*pb.DeviceCertificate)
		f(c)
		return &pb.Signed{Body: mustMarshal(t, c), Signature: s.Signature}
	}
	flipSig := proto.Clone(s).(*pb.Signed)
	flipSig.Signature[5] ^= 1
	bID := b.ID()
	crossDomain := &pb.Signed{Body: s.Body, Signature: a.sign(listDomain, s.Body)}

	for name, tc := range map[string]struct {
		s    *pb.Signed
		want error
	}{
		"nil":            {nil, ErrMalformed},
		"flipped sig":    {flipSig, ErrBadSignature},
		"short sig":      {&pb.Signed{Body: s.Body, Signature: s.Signature[:63]}, ErrMalformed},
		"device id":      {withBody(func(c *pb.DeviceCertificate) { c.DeviceId = 2 }), ErrBadSignature},
		"signal key":     {withBody(func(c *pb.DeviceCertificate) { c.SignalIdentityKey = testSignalKey(8) }), ErrBadSignature},
		"peer id":        {withBody(func(c *pb.DeviceCertificate) { c.PeerId = []byte(testPeer(t, 8)) }), ErrBadSignature},
		"other account":  {withBody(func(c *pb.DeviceCertificate) { c.AccountKey = bID[:] }), ErrBadSignature},
		"cross domain":   {crossDomain, ErrBadSignature},
		"account short":  {withBody(func(c *pb.DeviceCertificate) { c.AccountKey = c.AccountKey[:31] }), ErrMalformed},
		"device 0":       {withBody(func(c *pb.DeviceCertificate) { c.DeviceId = 0 }), ErrMalformed},
		"key type":       {withBody(func(c *pb.DeviceCertificate) { c.SignalIdentityKey = append([]byte{1}, c.SignalIdentityKey[1:]...) }), ErrMalformed},
		"bad peer":       {withBody(func(c *pb.DeviceCertificate) { c.PeerId = []byte{1, 2, 3} }), ErrMalformed},
		"no time":        {withBody(func(c *pb.DeviceCertificate) { c.IssuedAtMs = 0 }), ErrMalformed},
		"garbage body":   {&pb.Signed{Body: []byte{0xff, 0xff}, Signature: s.Signature}, ErrMalformed},
		"oversized body": {&pb.Signed{Body: make([]byte, MaxCertificateSize+1), Signature: s.Signature}, ErrTooLarge},
	} {
		if _, err := VerifyCertificate(tc.s); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", name, err, tc.want)
		}
	}
	// A certificate b signs over a's key does not verify either.
	forged := &pb.Signed{Body: s.Body, Signature: b.sign(certDomain, s.Body)}
	if _, err := VerifyCertificate(forged); !errors.Is(err, ErrBadSignature) {
		t.Errorf("forged: %v", err)
	}
}
