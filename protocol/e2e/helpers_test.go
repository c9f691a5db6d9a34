package e2e_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/p2p/transport/tcp"

	"github.com/pigeon-net/pigeon/protocol/e2e"
	"github.com/pigeon-net/pigeon/protocol/e2e/e2etest"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/storage"
	"github.com/pigeon-net/pigeon/storage/badger"
)

// device is one test device: account, Signal keys, store, manager and,
// optionally, a libp2p host serving bundles.
type device struct {
	acct *identity.Account
	keys e2e.LocalKeys
	st   e2e.Store
	mgr  *e2e.Manager
	cert *identity.Certificate
	addr e2e.Address
	host host.Host // nil unless withHost
}

type storeKind int

const (
	badgerStore storeKind = iota
	memoryStore
)

type devOpts struct {
	host  bool
	store storeKind
}

func newBadgerStore(tb testing.TB, k e2e.LocalKeys, deviceID uint32) e2e.Store {
	tb.Helper()
	st, err := badger.Open(badger.Options{InMemory: true})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = st.Close() })
	priv := k.IdentityKeyPair.PrivateKey().Serialize()
	err = st.SaveLocalIdentity(context.Background(), &storage.LocalIdentity{
		DeviceID:       deviceID,
		SignalPublic:   k.IdentityKeyPair.PublicKey().Serialize(),
		SignalPrivate:  priv[:],
		RegistrationID: k.RegistrationID,
	})
	if err != nil {
		tb.Fatal(err)
	}
	return st
}

func newHost(tb testing.TB) host.Host {
	tb.Helper()
	h, err := libp2p.New(
		libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"),
		libp2p.DisableRelay(),
		libp2p.NoTransports, libp2p.Transport(tcp.NewTCPTransport),
	)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = h.Close() })
	return h
}

func randomPeer(tb testing.TB) peer.ID {
	tb.Helper()
	_, pub, err := crypto.GenerateEd25519Key(rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	id, err := peer.IDFromPublicKey(pub)
	if err != nil {
		tb.Fatal(err)
	}
	return id
}

// newDevice creates device deviceID of acct (a fresh account when nil).
func newDevice(tb testing.TB, acct *identity.Account, deviceID uint32, o devOpts) *device {
	tb.Helper()
	ctx := context.Background()
	if acct == nil {
		var err error
		if acct, err = identity.NewAccount(); err != nil {
			tb.Fatal(err)
		}
	}
	keys, err := e2e.GenerateLocalKeys()
	if err != nil {
		tb.Fatal(err)
	}
	d := &device{acct: acct, keys: keys, addr: e2e.Address{Account: acct.ID(), Device: deviceID}}
	pid := randomPeer(tb)
	if o.host {
		d.host = newHost(tb)
		pid = d.host.ID()
	}
	signed, err := acct.IssueCertificate(deviceID, pid, keys.IdentityKeyPair.PublicKey().Serialize(), time.Now())
	if err != nil {
		tb.Fatal(err)
	}
	if d.cert, err = identity.VerifyCertificate(signed); err != nil {
		tb.Fatal(err)
	}
	switch o.store {
	case memoryStore:
		d.st = e2etest.NewMemStore(keys)
	default:
		d.st = newBadgerStore(tb, keys, deviceID)
	}
	if d.mgr, err = e2e.NewManager(d.st, signed, nil); err != nil {
		tb.Fatal(err)
	}
	if err := d.mgr.Init(ctx); err != nil {
		tb.Fatal(err)
	}
	if d.host != nil {
		d.mgr.Serve(d.host)
		tb.Cleanup(d.mgr.Stop)
	}
	return d
}

// connect starts a session from a to b using a bundle b hands out directly.
func connect(tb testing.TB, a, b *device) *e2e.Bundle {
	tb.Helper()
	ctx := context.Background()
	raw, err := b.mgr.Bundle(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	vb, err := e2e.VerifyBundle(raw, b.addr)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := a.mgr.StartSession(ctx, vb); err != nil {
		tb.Fatal(err)
	}
	return vb
}

type sealed struct {
	typ uint32
	ct  []byte
}

func encrypt(tb testing.TB, from, to *device, msg string) sealed {
	tb.Helper()
	typ, ct, err := from.mgr.Encrypt(context.Background(), to.addr, []byte(msg), nil)
	if err != nil {
		tb.Fatalf("encrypt %q: %v", msg, err)
	}
	return sealed{typ, ct}
}

// decrypt decrypts at `to` a message from `from` and returns the plaintext
// fn saw.
func decrypt(to, from *device, m sealed) (string, *e2e.IdentityChange, error) {
	var got []byte
	change, err := to.mgr.Decrypt(context.Background(), from.addr, from.cert, m.typ, m.ct,
		func(ctx context.Context, pt []byte) error {
			got = bytes.Clone(pt)
			return nil
		})
	return string(got), change, err
}

func mustDecrypt(tb testing.TB, to, from *device, m sealed, want string) {
	tb.Helper()
	got, change, err := decrypt(to, from, m)
	if err != nil {
		tb.Fatalf("decrypt %q: %v", want, err)
	}
	if change != nil {
		tb.Fatalf("decrypt %q: unexpected identity change", want)
	}
	if got != want {
		tb.Fatalf("decrypt: got %q, want %q", got, want)
	}
}

func msgN(dir string, i int) string { return fmt.Sprintf("%s message %d", dir, i) }
