package identity

import (
	"bytes"
	"crypto/ed25519"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/pb"
)

var testTime = time.UnixMilli(1_760_000_000_000)

// testAccount returns a deterministic account.
func testAccount(tb testing.TB, seed byte) *Account {
	tb.Helper()
	a, err := AccountFromSeed(bytes.Repeat([]byte{seed}, ed25519.SeedSize))
	if err != nil {
		tb.Fatal(err)
	}
	return a
}

// testPeer returns a deterministic Ed25519 peer ID.
func testPeer(tb testing.TB, seed byte) peer.ID {
	tb.Helper()
	priv, err := crypto.UnmarshalEd25519PrivateKey(ed25519.NewKeyFromSeed(bytes.Repeat([]byte{seed, 0xee}, ed25519.SeedSize/2)))
	if err != nil {
		tb.Fatal(err)
	}
	p, err := peer.IDFromPrivateKey(priv)
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

// testSignalKey returns a well-formed (type 0x05) 33-byte Signal identity key.
func testSignalKey(seed byte) []byte {
	return append([]byte{signalKeyType}, bytes.Repeat([]byte{seed}, 32)...)
}

// testCert issues and verifies a certificate for device id of a.
func testCert(tb testing.TB, a *Account, id uint32, peerSeed byte) *Certificate {
	tb.Helper()
	s, err := a.IssueCertificate(id, testPeer(tb, peerSeed), testSignalKey(peerSeed), testTime)
	if err != nil {
		tb.Fatal(err)
	}
	c, err := VerifyCertificate(s)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

func testAddr(tb testing.TB, s string) ma.Multiaddr {
	tb.Helper()
	m, err := ma.NewMultiaddr(s)
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

// testList returns a list of n devices (IDs 1..n) of a.
func testList(tb testing.TB, a *Account, seed byte, n int, version uint64) *DeviceList {
	tb.Helper()
	l := &DeviceList{
		Account:  a.ID(),
		Version:  version,
		Relays:   []string{"/ip4/127.0.0.1/tcp/4001/p2p/" + testPeer(tb, 200).String()},
		IssuedAt: testTime,
	}
	for i := range n {
		c := testCert(tb, a, uint32(i+1), seed+byte(i))
		l.Devices = append(l.Devices, Device{Cert: c, Addrs: []ma.Multiaddr{
			testAddr(tb, "/ip4/127.0.0.1/tcp/4001"),
			testAddr(tb, "/ip4/127.0.0.1/udp/4001/quic-v1"),
		}})
	}
	return l
}

// withRevoked adds to l a revoked device with ID 100 that authored up to
// seq upto.
func withRevoked(tb testing.TB, a *Account, l *DeviceList, upto uint64) *DeviceList {
	tb.Helper()
	l.Revoked = append(l.Revoked, RevokedDevice{Cert: testCert(tb, a, 100, 100), OpsUpto: upto})
	return l
}

func signList(tb testing.TB, a *Account, l *DeviceList) []byte {
	tb.Helper()
	raw, err := a.SignDeviceList(l)
	if err != nil {
		tb.Fatal(err)
	}
	return raw
}

// signRawList signs an arbitrary body, bypassing SignDeviceList's checks, to
// build records a hostile peer could publish.
func signRawList(tb testing.TB, a *Account, body *pb.DeviceList) []byte {
	tb.Helper()
	b, err := proto.Marshal(body)
	if err != nil {
		tb.Fatal(err)
	}
	raw, err := proto.Marshal(&pb.Signed{Body: b, Signature: a.sign(listDomain, b)})
	if err != nil {
		tb.Fatal(err)
	}
	return raw
}

func mustMarshal(tb testing.TB, m proto.Message) []byte {
	tb.Helper()
	b, err := proto.Marshal(m)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}
