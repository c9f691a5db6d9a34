package relays_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/nodetest"
	"github.com/pigeon-net/pigeon/node/relay"
	"github.com/pigeon-net/pigeon/node/relays"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/mailbox"
)

// wait bounds every wait of these tests.
const wait = 30 * time.Second

// startTestRelay starts a relay on loopback with its home in dir.
func startTestRelay(t *testing.T, dir string) *relay.Relay {
	t.Helper()
	r, err := relay.New(relay.WithListenAddrs("/ip4/127.0.0.1/tcp/0"), relay.WithHome(dir))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	if err := r.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// launchNode starts a node with exactly opts; it is closed at cleanup if
// it still runs.
func launchNode(t *testing.T, opts ...node.Option) *node.Node {
	t.Helper()
	n, err := node.New(opts...)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	if err := n.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	return n
}

func nodeOpts(home, boot string) []node.Option {
	return []node.Option{node.WithHome(home), node.WithListenAddrs("/ip4/127.0.0.1/tcp/0"), node.WithBootstrap(boot),
		node.WithRetryBackoff(20*time.Millisecond, 500*time.Millisecond)}
}

func relayAddr(r *relay.Relay) string { return r.Addrs()[0].String() }

// waitRegistered waits until b's box at r takes deposits from n.
func waitRegistered(t *testing.T, n, b *node.Node, r *relay.Relay) {
	t.Helper()
	ctx := context.Background()
	n.Host().Peerstore().AddAddrs(r.Host().ID(), r.Host().Addrs(), time.Hour)
	box := mailbox.Box{Account: identity.AccountID(b.Info().Account), Device: b.Info().Device}
	nodetest.Eventually(t, wait, func() bool {
		_, err := mailbox.Deposit(ctx, n.Host(), r.Host().ID(), box, mailbox.DepositID{0xaa}, []byte("probe"))
		return err == nil
	}, "registered at %s", r.Host().ID())
}

// Add, Remove and List: bad input is refused with the error saying what,
// relays added at run time are remembered across restarts, and the
// service refuses calls before Start and after Close.
func TestAddRemoveList(t *testing.T) {
	ctx := context.Background()
	home := t.TempDir()
	opts := []node.Option{node.WithHome(home), node.WithListenAddrs("/ip4/127.0.0.1/tcp/0")}
	n, err := node.New(opts...)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := n.Relays().List(ctx); !errors.Is(err, node.ErrNotStarted) {
		t.Fatalf("List before Start: %v, want ErrNotStarted", err)
	}
	n = launchNode(t, opts...)
	key, _, err := crypto.GenerateEd25519Key(nil)
	if err != nil {
		t.Fatal(err)
	}
	id, err := peer.IDFromPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	// A relay that does not answer: the node keeps it, without a
	// reservation.
	addr := "/ip4/127.0.0.1/tcp/9/p2p/" + id.String()
	for _, tc := range []struct {
		addr, invite string
		want         error
	}{
		{"/ip4/127.0.0.1/tcp/9", "", relays.ErrBadAddress},
		{"not an address", "", relays.ErrBadAddress},
		{addr, "a,b", relays.ErrBadAddress},
		{n.Info().Addrs[0].String(), "", node.ErrSelf},
	} {
		if err := n.Relays().Add(ctx, tc.addr, tc.invite); !errors.Is(err, tc.want) {
			t.Errorf("Add(%q, %q): %v, want %v", tc.addr, tc.invite, err, tc.want)
		}
	}
	if err := n.Relays().Remove(ctx, "nonsense"); !errors.Is(err, relays.ErrBadAddress) {
		t.Errorf("Remove of a malformed peer ID: %v, want ErrBadAddress", err)
	}
	if err := n.Relays().Remove(ctx, id.String()); !errors.Is(err, relays.ErrUnknownRelay) {
		t.Errorf("Remove of a relay not in use: %v, want ErrUnknownRelay", err)
	}
	if err := n.Relays().Add(ctx, addr, ""); err != nil {
		t.Fatal(err)
	}
	if err := n.Relays().Add(ctx, addr, ""); err != nil {
		t.Fatalf("adding a relay twice: %v", err)
	}
	rs, err := n.Relays().List(ctx)
	if err != nil || len(rs) != 1 || rs[0].Addr != addr || rs[0].PeerID != id.String() || rs[0].Reserved || rs[0].Closing {
		t.Fatalf("List after Add: %+v, %v", rs, err)
	}

	if err := n.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := n.Relays().List(ctx); !errors.Is(err, node.ErrClosed) {
		t.Fatalf("List after Close: %v, want ErrClosed", err)
	}
	n = launchNode(t, opts...)
	rs, err = n.Relays().List(ctx)
	if err != nil || len(rs) != 1 || rs[0].PeerID != id.String() {
		t.Fatalf("List after a restart: %+v, %v", rs, err)
	}
	// Removed while it cannot be reached: closing, also across a restart.
	if err := n.Relays().Remove(ctx, id.String()); err != nil {
		t.Fatal(err)
	}
	if err := n.Close(); err != nil {
		t.Fatal(err)
	}
	n = launchNode(t, opts...)
	rs, err = n.Relays().List(ctx)
	if err != nil || len(rs) != 1 || !rs[0].Closing {
		t.Fatalf("List after removing and a restart: %+v, %v", rs, err)
	}
}

// Removing a relay that cannot be reached leaves it closing; once it is
// back, the node closes its box there and forgets it, and the relay
// refuses deposits as closed. Adding it again reopens the box.
func TestRemovedRelayClosedWhenBack(t *testing.T) {
	dir := t.TempDir()
	r := startTestRelay(t, dir)
	listen := r.Host().Addrs()[0].String()
	ctx := context.Background()
	n := launchNode(t, nodeOpts(t.TempDir(), relayAddr(r))...)
	addr := relayAddr(r)
	if err := n.Relays().Add(ctx, addr, ""); err != nil {
		t.Fatal(err)
	}
	sender := launchNode(t, nodeOpts(t.TempDir(), relayAddr(r))...)
	waitRegistered(t, sender, n, r)
	r.Close()
	if err := n.Relays().Remove(ctx, r.Host().ID().String()); err != nil {
		t.Fatal(err)
	}
	rs, err := n.Relays().List(ctx)
	if err != nil || len(rs) != 1 || !rs[0].Closing {
		t.Fatalf("relays after removing an unreachable one: %+v, %v", rs, err)
	}

	// The relay comes back on the same home and port.
	r, err = relay.New(relay.WithListenAddrs(listen), relay.WithHome(dir))
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	nodetest.Eventually(t, 2*wait, func() bool {
		rs, err := n.Relays().List(ctx)
		return err == nil && len(rs) == 0
	}, "the box at the relay closed")
	box := mailbox.Box{Account: identity.AccountID(n.Info().Account), Device: n.Info().Device}
	sender.Host().Peerstore().AddAddrs(r.Host().ID(), r.Host().Addrs(), time.Hour)
	if _, err := mailbox.Deposit(ctx, sender.Host(), r.Host().ID(), box, mailbox.DepositID{1}, []byte("x")); !errors.Is(err, mailbox.ErrBoxClosed) {
		t.Fatalf("deposit into the closed box: %v", err)
	}

	// Added again: the registration reopens the box.
	if err := n.Relays().Add(ctx, addr, ""); err != nil {
		t.Fatal(err)
	}
	waitRegistered(t, sender, n, r)
}
