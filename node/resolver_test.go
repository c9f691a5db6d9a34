package node

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/storage"
)

// forgetCached drops a's list from n's memory, as a restart does.
func forgetCached(n *Node, a identity.AccountID) {
	n.resolver.Forget(rt.CoreAccount(a))
}

func storedVersion(t *testing.T, n *Node, a identity.AccountID) uint64 {
	t.Helper()
	raw, err := n.store.DeviceList(context.Background(), storage.Account(a))
	if errors.Is(err, storage.ErrNotFound) {
		return 0
	}
	if err != nil {
		t.Fatal(err)
	}
	l, err := identity.OpenDeviceList(raw)
	if err != nil {
		t.Fatal(err)
	}
	return l.Version
}

// TestDeviceListOlderFromDHT: a list the DHT hands back that is older than
// the stored one (a DHT node that missed the last put) does not replace
// it, even with nothing in memory.
func TestDeviceListOlderFromDHT(t *testing.T) {
	a, b := pair(t)
	ctx := context.Background()
	acct, err := identity.NewAccount()
	if err != nil {
		t.Fatal(err)
	}
	v1, err := acct.SignDeviceList(&identity.DeviceList{Version: 1})
	if err != nil {
		t.Fatal(err)
	}
	v2, err := acct.SignDeviceList(&identity.DeviceList{Version: 2})
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, func() bool {
		pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		return a.dht.PutValue(pctx, identity.DeviceListKey(acct.ID()), v1) == nil
	}, "put v1 in the DHT")
	// b had v2 from the account itself (as a group member hands it over),
	// then restarted.
	l2, err := identity.OpenDeviceList(v2)
	if err != nil {
		t.Fatal(err)
	}
	if cur, err := b.resolver.Accept(ctx, l2, v2); err != nil || cur != l2 {
		t.Fatalf("v2 not kept: %v", err)
	}
	forgetCached(b, acct.ID())
	l, err := b.resolver.Get(ctx, rt.CoreAccount(acct.ID()), true)
	if err != nil || l.Version != 2 {
		t.Fatalf("resolved %v, %v; want version 2", l, err)
	}
	if v := storedVersion(t, b, acct.ID()); v != 2 {
		t.Fatalf("stored version %d after the DHT gave version 1", v)
	}
	looked := !b.resolver.LastLookup(rt.CoreAccount(acct.ID())).IsZero()
	if !looked {
		t.Fatal("the DHT was not asked")
	}
	// get loads the stored list into memory before it asks the DHT; the
	// lookup itself must not depend on that.
	forgetCached(b, acct.ID())
	if l, err := b.resolver.Fetch(ctx, rt.CoreAccount(acct.ID())); err != nil || l.Version != 2 {
		t.Fatalf("looked up %v, %v; want version 2", l, err)
	}
	if v := storedVersion(t, b, acct.ID()); v != 2 {
		t.Fatalf("a lookup stored version %d over version 2", v)
	}
}

// TestResolverFallsBackToCertificates: with no device list in the DHT or
// the cache, an account whose device certificate this node verified (it
// wrote to us) still resolves to that device; an unknown one does not.
func TestResolverFallsBackToCertificates(t *testing.T) {
	a, _ := pair(t)
	ctx := context.Background()
	acct, err := identity.NewAccount()
	if err != nil {
		t.Fatal(err)
	}
	signed, err := acct.IssueCertificate(3, a.host.ID(), append([]byte{5}, make([]byte, 32)...), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	cert, err := identity.VerifyCertificate(signed)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.resolver.Get(ctx, rt.CoreAccount(acct.ID()), false); !errors.Is(err, ErrUnknownAccount) {
		t.Fatalf("an account nobody published: %v", err)
	}
	a.resolver.RememberCert(cert)
	l, err := a.resolver.Get(ctx, rt.CoreAccount(acct.ID()), true)
	if err != nil {
		t.Fatal(err)
	}
	if d, ok := l.Device(3); !ok || d.Cert.PeerID != a.host.ID() || len(l.Devices) != 1 {
		t.Fatalf("list from certificates: %+v", l)
	}
	if a.resolver.Known(ctx, rt.CoreAccount(acct.ID())) != nil {
		t.Fatal("a list made from certificates was cached")
	}
}
