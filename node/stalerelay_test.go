package node_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/nodetest"
	"github.com/pigeon-net/pigeon/node/relay"
	"github.com/pigeon-net/pigeon/node/relays"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/mailbox"
	"github.com/pigeon-net/pigeon/storage"
)

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

// waitState waits until message id is in state want on n.
func waitState(t *testing.T, n *node.Node, id core.MessageID, want storage.State, what string) {
	t.Helper()
	nodetest.Eventually(t, wait, func() bool {
		m, err := n.Chats().Message(context.Background(), id)
		return err == nil && storage.State(m.State) == want
	}, "%s: %v", what, want)
}

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

// waitPublished waits until the DHT, asked by observer, has a device list
// of account naming exactly the relay want among its mailboxes.
func waitPublished(t *testing.T, observer *node.Node, account core.AccountID, want *relay.Relay) *identity.DeviceList {
	t.Helper()
	var got *identity.DeviceList
	nodetest.Eventually(t, wait, func() bool {
		l, err := observer.FetchDeviceList(context.Background(), account)
		if err != nil || len(l.Relays) != 1 || !strings.HasSuffix(l.Relays[0], want.Host().ID().String()) {
			return false
		}
		got = l
		return true
	}, "a list naming only %s in the DHT", want.Host().ID())
	return got
}

// The report: B removes relay R1 and adds R2; A, with B's device
// list from before the move in its cache, sends while B is away. R1
// refuses the deposit (B closed its box there), A fetches B's list again,
// deposits at R2, and the message ends delivered once B is back, instead
// of sitting at R1 as sent forever.
func TestSenderWithStaleListReachesMovedRecipient(t *testing.T) {
	r1, r2 := startTestRelay(t, t.TempDir()), startTestRelay(t, t.TempDir())
	boot := relayAddr(r2)
	ctx := context.Background()
	a := launchNode(t, nodeOpts(t.TempDir(), boot)...)
	observer := launchNode(t, nodeOpts(t.TempDir(), boot)...)
	bOpts := nodeOpts(t.TempDir(), boot)
	b := launchNode(t, bOpts...)
	bID := b.Info().Account
	if err := b.Relays().Add(ctx, relayAddr(r1), ""); err != nil {
		t.Fatal(err)
	}
	waitRegistered(t, a, b, r1)
	old := waitPublished(t, observer, bID, r1)

	var hello core.MessageID
	nodetest.Eventually(t, wait, func() bool {
		var err error
		hello, err = a.Chats().Send(ctx, bID, "hello")
		return err == nil
	}, "a resolves b")
	waitState(t, a, hello, storage.Delivered, "hello")
	stale, err := a.CachedDeviceList(ctx, bID)
	if err != nil || stale.Version < old.Version || len(stale.Relays) != 1 {
		t.Fatalf("a's copy of b's list: %+v, %v", stale, err)
	}

	// B moves from R1 to R2.
	if err := b.Relays().Add(ctx, relayAddr(r2), ""); err != nil {
		t.Fatal(err)
	}
	if err := b.Relays().Remove(ctx, r1.Host().ID().String()); err != nil {
		t.Fatal(err)
	}
	nodetest.Eventually(t, wait, func() bool {
		rs, err := b.Relays().List(ctx)
		return err == nil && len(rs) == 1 && rs[0].PeerID == r2.Host().ID().String() && !rs[0].Closing
	}, "b uses r2 only, its box at r1 closed")
	moved := waitPublished(t, observer, bID, r2)
	waitRegistered(t, observer, b, r2)
	// B tells its relays the new version once its own put of it returned
	// (the observer may see it in the DHT a moment before).
	nodetest.Eventually(t, wait, func() bool {
		v := b.MailboxListVersion()
		return v > stale.Version && v <= moved.Version
	}, "b registers a list version newer than a's (%d) and no newer than the DHT's (%d)", stale.Version, moved.Version)
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	// A still has the list naming R1.
	if l, err := a.CachedDeviceList(ctx, bID); err != nil || l.Version >= moved.Version {
		t.Fatalf("a's copy of b's list is not the old one: %+v, %v", l, err)
	}

	id, err := a.Chats().Send(ctx, bID, "after the move")
	if err != nil {
		t.Fatal(err)
	}
	waitState(t, a, id, storage.Sent, "deposited at r2")
	recs, err := a.CustodyOf(ctx, bID)
	if err != nil || len(recs) != 1 || recs[0].ID != storage.MessageID(id) || !slices.Equal(recs[0].Devices[0].Relays, []string{string(r2.Host().ID())}) {
		t.Fatalf("custody of the message: %+v, %v", recs, err)
	}

	b = launchNode(t, bOpts...)
	nodetest.Eventually(t, wait, func() bool {
		h, err := b.Chats().History(ctx, a.Info().Account, core.MessageID{}, 10)
		return err == nil && len(h) == 2 && h[1].ID == id
	}, "b gets the message from r2")
	waitState(t, a, id, storage.Delivered, "b's receipt")
	nodetest.Eventually(t, wait, func() bool {
		recs, err := a.CustodyOf(ctx, bID)
		return err == nil && len(recs) == 0
	}, "the receipt ends the custody record")
}

// A deposited a message for B at R1 (sent). R1 goes down, and B, unable
// to take what R1 holds, moves to R2. Once A learns B's new list (here: a
// later message fails on the old one and A looks B up again), it hands
// the first message over again, also after a restart of its own in
// between: it ends delivered.
func TestCustodyAtDroppedRelayHandedOverAgain(t *testing.T) {
	r1, r2 := startTestRelay(t, t.TempDir()), startTestRelay(t, t.TempDir())
	boot := relayAddr(r2)
	ctx := context.Background()
	aOpts := nodeOpts(t.TempDir(), boot)
	a := launchNode(t, aOpts...)
	bOpts := nodeOpts(t.TempDir(), boot)
	b := launchNode(t, bOpts...)
	bID := b.Info().Account
	if err := b.Relays().Add(ctx, relayAddr(r1), ""); err != nil {
		t.Fatal(err)
	}
	waitRegistered(t, a, b, r1)
	waitPublished(t, a, bID, r1)
	var hello core.MessageID
	nodetest.Eventually(t, wait, func() bool {
		var err error
		hello, err = a.Chats().Send(ctx, bID, "hello")
		return err == nil
	}, "a resolves b")
	waitState(t, a, hello, storage.Delivered, "hello")
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}

	first, err := a.Chats().Send(ctx, bID, "left at r1")
	if err != nil {
		t.Fatal(err)
	}
	waitState(t, a, first, storage.Sent, "deposited at r1")
	r1.Close() // down for good, holding the message

	// A restarts: the custody record is all it has of the message.
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	a = launchNode(t, aOpts...)

	b = launchNode(t, bOpts...)
	if err := b.Relays().Add(ctx, relayAddr(r2), ""); err != nil {
		t.Fatal(err)
	}
	if err := b.Relays().Remove(ctx, r1.Host().ID().String()); err != nil {
		t.Fatal(err)
	}
	rs, err := b.Relays().List(ctx)
	if err != nil || !slices.ContainsFunc(rs, func(r relays.Status) bool { return r.PeerID == r1.Host().ID().String() && r.Closing }) {
		t.Fatalf("r1 is not listed as closing: %+v, %v", rs, err)
	}
	waitPublished(t, b, bID, r2)

	second, err := a.Chats().Send(ctx, bID, "after the move")
	if err != nil {
		t.Fatal(err)
	}
	waitState(t, a, second, storage.Delivered, "the later message")
	waitState(t, a, first, storage.Delivered, "the message left at r1, handed over again")
	h, err := b.Chats().History(ctx, a.Info().Account, core.MessageID{}, 10)
	if err != nil || len(h) != 3 {
		t.Fatalf("b's history: %d messages, %v", len(h), err)
	}
	if recs, err := a.CustodyOf(ctx, bID); err != nil || len(recs) != 0 {
		t.Fatalf("custody records left: %+v, %v", recs, err)
	}
}

// B moves to another relay while online. A's next message still reaches
// B directly, and B's ack says A's copy of its device list is out of date:
// A fetches the list again at once.
func TestAckWithNewerListRefreshesSender(t *testing.T) {
	r1, r2 := startTestRelay(t, t.TempDir()), startTestRelay(t, t.TempDir())
	boot := relayAddr(r2)
	ctx := context.Background()
	a := launchNode(t, nodeOpts(t.TempDir(), boot)...)
	observer := launchNode(t, nodeOpts(t.TempDir(), boot)...)
	b := launchNode(t, nodeOpts(t.TempDir(), boot)...)
	bID := b.Info().Account
	if err := b.Relays().Add(ctx, relayAddr(r1), ""); err != nil {
		t.Fatal(err)
	}
	waitPublished(t, observer, bID, r1)
	sendDelivered(t, a, b, "hello")
	if l, err := a.CachedDeviceList(ctx, bID); err != nil || len(l.Relays) != 1 || !strings.HasSuffix(l.Relays[0], r1.Host().ID().String()) {
		t.Fatalf("a's copy of b's list: %+v, %v", l, err)
	}
	if err := b.Relays().Add(ctx, relayAddr(r2), ""); err != nil {
		t.Fatal(err)
	}
	if err := b.Relays().Remove(ctx, r1.Host().ID().String()); err != nil {
		t.Fatal(err)
	}
	moved := waitPublished(t, observer, bID, r2)
	nodetest.Eventually(t, wait, func() bool { return b.MailboxListVersion() > 0 && b.MailboxListVersion() <= moved.Version },
		"b's own list names r2")
	sendDelivered(t, a, b, "still direct")
	nodetest.Eventually(t, wait, func() bool {
		l, err := a.CachedDeviceList(ctx, bID)
		return err == nil && l.Version >= b.MailboxListVersion()
	}, "a fetches b's list again after the ack")
}
