package e2etest

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/pigeon-net/pigeon/protocol/e2e"
	"github.com/pigeon-net/pigeon/protocol/identity"
)

// Device is an e2e endpoint over a MemStore, with no network.
type Device struct {
	Addr e2e.Address
	Cert *identity.Certificate
	Mgr  *e2e.Manager
}

// NewDevice creates device 1 of a fresh account.
func NewDevice(tb testing.TB) *Device {
	tb.Helper()
	acct, err := identity.NewAccount()
	if err != nil {
		tb.Fatal(err)
	}
	keys, err := e2e.GenerateLocalKeys()
	if err != nil {
		tb.Fatal(err)
	}
	_, pub, err := crypto.GenerateEd25519Key(nil)
	if err != nil {
		tb.Fatal(err)
	}
	pid, err := peer.IDFromPublicKey(pub)
	if err != nil {
		tb.Fatal(err)
	}
	signed, err := acct.IssueCertificate(1, pid, keys.IdentityKeyPair.PublicKey().Serialize(), time.Now())
	if err != nil {
		tb.Fatal(err)
	}
	cert, err := identity.VerifyCertificate(signed)
	if err != nil {
		tb.Fatal(err)
	}
	mgr, err := e2e.NewManager(NewMemStore(keys), signed, nil)
	if err != nil {
		tb.Fatal(err)
	}
	if err := mgr.Init(context.Background()); err != nil {
		tb.Fatal(err)
	}
	return &Device{Addr: e2e.Address{Account: acct.ID(), Device: 1}, Cert: cert, Mgr: mgr}
}

// Connect starts a session from a to b and exchanges one message each way,
// so the session is established as in a running conversation.
func Connect(tb testing.TB, a, b *Device) {
	tb.Helper()
	ctx := context.Background()
	raw, err := b.Mgr.Bundle(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	vb, err := e2e.VerifyBundle(raw, b.Addr)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := a.Mgr.StartSession(ctx, vb); err != nil {
		tb.Fatal(err)
	}
	for _, p := range [][2]*Device{{a, b}, {b, a}} {
		typ, ct, err := p[0].Mgr.Encrypt(ctx, p[1].Addr, []byte("hello"), nil)
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := p[1].Mgr.Decrypt(ctx, p[0].Addr, p[0].Cert, typ, ct, nil); err != nil {
			tb.Fatal(err)
		}
	}
}

// EncryptDecryptRate is the baseline that node throughput is compared
// with: n messages of size bytes encrypted by one device and decrypted by
// another on one goroutine, over serializing in-memory stores. It returns
// messages per second.
func EncryptDecryptRate(tb testing.TB, n, size int) float64 {
	tb.Helper()
	a, b := NewDevice(tb), NewDevice(tb)
	Connect(tb, a, b)
	ctx := context.Background()
	msg := bytes.Repeat([]byte("p"), size)
	start := time.Now()
	for range n {
		typ, ct, err := a.Mgr.Encrypt(ctx, b.Addr, msg, nil)
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := b.Mgr.Decrypt(ctx, a.Addr, a.Cert, typ, ct, nil); err != nil {
			tb.Fatal(err)
		}
	}
	return float64(n) / time.Since(start).Seconds()
}
