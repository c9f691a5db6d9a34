package node_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/nodetest"
	"github.com/pigeon-net/pigeon/node/relay"
	"github.com/pigeon-net/pigeon/storage"
)

// A message to a recipient that is away and names no relay says why it
// waits: in PendingReason, in Status and as a MessagePending event; once
// delivered, it has no reason any more.
func TestPendingReasonNoRelay(t *testing.T) {
	nw := nodetest.New(t, 2)
	a, bID := nw.Nodes[0], nw.Nodes[1].Info().Account
	ctx := context.Background()
	if err := a.Contacts().Add(ctx, bID, "bob"); err != nil {
		t.Fatal(err)
	}
	nodetest.Eventually(t, wait, func() bool {
		_, err := a.Contacts().SafetyNumber(ctx, bID)
		return err == nil
	}, "a resolves b's device list")
	nw.Stop(1)
	events := node.Subscribe[node.MessagePending](a)
	defer events.Close()

	id := send(t, a, bID, "while you were away")
	var reason node.PendingReason
	nodetest.Eventually(t, wait, func() bool {
		r, ok, err := a.PendingReason(ctx, id)
		if err != nil || !ok {
			t.Fatalf("PendingReason = %+v, %v, %v", r, ok, err)
		}
		reason = r
		return r.Code == node.PendingNoRelay
	}, "reason no_relay (last %+v)", &reason)
	if reason.Text != "recipient not reachable; no relay known for them" || reason.Attempts < 1 || reason.NextAttempt.IsZero() {
		t.Fatalf("reason %+v", reason)
	}
	select {
	case ev := <-events.Events():
		for ev.Reason.Code != node.PendingNoRelay {
			ev = <-events.Events()
		}
		if ev.Peer != bID || !slices.Contains(ev.IDs, id) {
			t.Fatalf("event %+v", ev)
		}
	case <-time.After(wait):
		t.Fatal("no MessagePending event")
	}
	st, err := a.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.PendingTotal != 1 || len(st.Pending) != 1 || st.Pending[0].ID != id || st.Pending[0].To != bID || st.Pending[0].Reason.Code != node.PendingNoRelay {
		t.Fatalf("status pending %d: %+v", st.PendingTotal, st.Pending)
	}

	nw.Start(1)
	nodetest.Eventually(t, wait, func() bool { return state(t, a, id) == storage.Delivered }, "delivered after b returned")
	if r, ok, err := a.PendingReason(ctx, id); ok || err != nil {
		t.Fatalf("delivered message still pending: %+v, %v", r, err)
	}
	if st, err := a.Status(ctx); err != nil || st.PendingTotal != 0 {
		t.Fatalf("status after delivery: %+v, %v", st.Pending, err)
	}
}

// Status reports the DHT, peers and relays, and a bootstrap peer that
// cannot be reached is a warning there and (once) in the log.
func TestStatusBootstrapUnreachable(t *testing.T) {
	// A bootstrap address where nothing listens: a port just closed, with
	// a peer ID nobody has.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	_, pub, err := crypto.GenerateEd25519Key(nil)
	if err != nil {
		t.Fatal(err)
	}
	pid, err := peer.IDFromPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	dead := "/ip4/127.0.0.1/tcp/" + strconv.Itoa(port) + "/p2p/" + pid.String()

	logs := &lockedBuffer{}
	n, err := node.New(node.WithInMemory(), node.WithBootstrap(dead),
		node.WithLogger(slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelInfo}))))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := n.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })

	var st node.Status
	nodetest.Eventually(t, wait, func() bool {
		if st, err = n.Status(ctx); err != nil {
			t.Fatal(err)
		}
		return len(st.Bootstrap) == 1 && st.Bootstrap[0].LastError != ""
	}, "the bootstrap peer's dial error in status")
	if b := st.Bootstrap[0]; b.Addr != dead || b.PeerID != pid || b.Connected {
		t.Fatalf("bootstrap status %+v", b)
	}
	if !slices.ContainsFunc(st.Warnings, func(w string) bool { return strings.HasPrefix(w, "bootstrap peer "+dead+" unreachable: ") }) {
		t.Fatalf("warnings %q", st.Warnings)
	}
	if st.DHT.Mode != "server" || st.DHT.RoutingTable != 0 || st.Reachability == "" || st.Account != n.Info().Account || st.PendingTotal != 0 {
		t.Fatalf("status %+v", st)
	}
	nodetest.Eventually(t, wait, func() bool { return strings.Contains(logs.String(), "bootstrap peer unreachable") }, "a warning in the log")
	if got := strings.Count(logs.String(), "bootstrap peer unreachable"); got != 1 {
		t.Fatalf("%d warnings for one outage:\n%s", got, logs)
	}
	if !strings.Contains(logs.String(), "level=WARN msg=\"bootstrap peer unreachable\"") {
		t.Fatalf("log:\n%s", logs)
	}
}

// Two islands join through a relay a contact uses: A and B share a DHT; B
// (behind relay R, so a DHT client) and C (behind R only) share R's. A
// cannot find C until it looks B up, whose device list names R: A then
// connects to R as a DHT peer and finds C through it.
func TestIslandsJoinThroughContactsRelay(t *testing.T) {
	r, err := relay.New(relay.WithListenAddrs("/ip4/127.0.0.1/tcp/0"), relay.WithHome(t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := r.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	raddr := r.Addrs()[0].String()

	start := func(opts ...node.Option) *node.Node {
		n, err := node.New(append([]node.Option{node.WithInMemory(), node.WithRetryBackoff(20*time.Millisecond, 500*time.Millisecond)}, opts...)...)
		if err != nil {
			t.Fatal(err)
		}
		if err := n.Start(ctx); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { n.Close() })
		return n
	}
	a := start()
	var aAddrs []string
	for _, m := range a.Info().Addrs {
		aAddrs = append(aAddrs, m.String())
	}
	b := start(node.WithBootstrap(aAddrs...), node.WithRelays(raddr))
	c := start(node.WithRelays(raddr))
	bID, cID := b.Info().Account, c.Info().Account

	// B's device list names R once B registered there.
	nodetest.Eventually(t, wait, func() bool {
		rs, _ := b.Relays().List(ctx)
		return len(rs) == 1 && rs[0].Mailbox && rs[0].Reserved
	}, "b holds a reservation at r")
	if _, err := a.Chats().Send(ctx, cID, "hello c"); !errors.Is(err, node.ErrUnknownAccount) {
		t.Fatalf("a found c before it knew of r: %v", err)
	}
	// A looks B up (and learns of R) by writing to it.
	send(t, a, bID, "hello b")
	nodetest.Eventually(t, wait, func() bool {
		_, err := a.Chats().Send(ctx, cID, "hello c")
		return err == nil
	}, "a finds c through b's relay")
	nodetest.Eventually(t, wait, func() bool { return len(history(t, c, a.Info().Account)) == 1 }, "c receives a's message")
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
