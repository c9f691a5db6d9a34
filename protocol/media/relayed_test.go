package media_test

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/p2p/protocol/circuitv2/client"
	relayv2 "github.com/libp2p/go-libp2p/p2p/protocol/circuitv2/relay"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/pigeon-net/pigeon/protocol/media"
)

// A provider that listens nowhere is reached through a circuit relay
// only, as delivery reaches it: the fetch runs over the relayed (limited)
// connection instead of waiting for a direct one that never comes.
func TestFetchOverRelayedConnection(t *testing.T) {
	relayHost, err := libp2p.New(libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { relayHost.Close() })
	res := relayv2.DefaultResources()
	res.Limit = &relayv2.RelayLimit{Duration: time.Minute, Data: 16 << 20}
	rs, err := relayv2.New(relayHost, relayv2.WithResources(res))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rs.Close() })
	relayInfo := peer.AddrInfo{ID: relayHost.ID(), Addrs: relayHost.Addrs()}

	// a listens nowhere: only the relay reaches it.
	ah, err := libp2p.New(libp2p.NoListenAddrs, libp2p.EnableRelay())
	if err != nil {
		t.Fatal(err)
	}
	a := &peerNode{h: ah, st: openStore(t)}
	a.srv = media.NewServer(ah, a.st.Blocks(), media.WithServed(func(_ peer.ID, n int) { a.served.Add(int64(n)) }))
	t.Cleanup(a.close)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := ah.Connect(ctx, relayInfo); err != nil {
		t.Fatal(err)
	}
	if _, err := client.Reserve(ctx, ah, relayInfo); err != nil {
		t.Fatal(err)
	}
	b := newPeer(t)
	circuit := relayHost.Addrs()[0].Encapsulate(ma.StringCast("/p2p/" + relayHost.ID().String() + "/p2p-circuit"))
	b.h.Peerstore().AddAddrs(ah.ID(), []ma.Multiaddr{circuit}, time.Hour)

	plain := randomBytes(3*media.LeafSize + 5)
	m := importFile(t, a.st, plain)
	if err := media.Fetch(ctx, b.h, b.st.Blocks(), root(t, m), media.CiphertextSize(m.Size), media.FetchOptions{Providers: []peer.ID{ah.ID()}}); err != nil {
		t.Fatal(err)
	}
	if got := extract(t, b.st, m); !bytes.Equal(got, plain) {
		t.Fatal("fetched file differs")
	}
	if b.h.Network().Connectedness(ah.ID()) != network.Limited {
		t.Fatalf("b reached a some other way than through the relay: %v", b.h.Network().Connectedness(ah.ID()))
	}
}

// A provider that cannot be reached is an ErrUnavailable, which a caller
// retries; one that answers without the blocks is not.
func TestFetchUnavailable(t *testing.T) {
	a, b := newPeer(t), newPeer(t)
	connect(t, b, a)
	m := importFile(t, a.st, randomBytes(2*media.LeafSize))
	a.close()
	err := media.Fetch(context.Background(), b.h, b.st.Blocks(), root(t, m), media.CiphertextSize(m.Size), media.FetchOptions{Providers: []peer.ID{a.h.ID()}})
	if !errors.Is(err, media.ErrUnavailable) {
		t.Fatalf("fetch from a provider that is gone: %v, want ErrUnavailable", err)
	}
	c := newPeer(t)
	connect(t, b, c)
	err = media.Fetch(context.Background(), b.h, b.st.Blocks(), root(t, m), media.CiphertextSize(m.Size), media.FetchOptions{Providers: []peer.ID{c.h.ID()}})
	if !errors.Is(err, media.ErrNotFound) || errors.Is(err, media.ErrUnavailable) {
		t.Fatalf("fetch from a provider without the DAG: %v, want ErrNotFound only", err)
	}
}
