package node

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/storage"
)

// The tests of durable acks check the contract a power loss would test:
// nothing is acknowledged while the sync that covers it is held. A kill -9
// cannot show it (the page cache survives the process), so the store's
// sync hook holds syncs instead.

// syncGate is a store sync hook that, once closed, holds every sync
// until opened, and counts the syncs it held.
type syncGate struct {
	mu      sync.Mutex // guards shut and open
	shut    bool
	open    chan struct{}
	entered chan struct{} // cap 1: a sync is held
	held    atomic.Int32
}

func newSyncGate() *syncGate {
	return &syncGate{open: make(chan struct{}), entered: make(chan struct{}, 1)}
}

func (g *syncGate) hook() {
	g.mu.Lock()
	shut, open := g.shut, g.open
	g.mu.Unlock()
	if !shut {
		return
	}
	g.held.Add(1)
	select {
	case g.entered <- struct{}{}:
	default:
	}
	<-open
}

// close makes the next syncs wait.
func (g *syncGate) close() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.shut, g.open = true, make(chan struct{})
}

// release lets every held sync and the next ones pass.
func (g *syncGate) release() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.shut {
		g.shut = false
		close(g.open)
	}
}

// wait returns once a sync is held.
func (g *syncGate) wait(t *testing.T) {
	t.Helper()
	select {
	case <-g.entered:
	case <-time.After(30 * time.Second):
		t.Fatal("no sync started: nothing waited for durability")
	}
}

func withSyncHook(f func()) Option {
	return func(c *config) error {
		c.syncHook = f
		return nil
	}
}

// startTestNode starts an in-memory node on loopback with fast retries.
func startTestNode(t testing.TB, opts ...Option) *Node {
	t.Helper()
	n, err := New(append([]Option{WithListenAddrs("/ip4/127.0.0.1/tcp/0"), WithRetryBackoff(10*time.Millisecond, 200*time.Millisecond)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := n.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	return n
}

func messageState(t testing.TB, n *Node, id core.MessageID) storage.State {
	t.Helper()
	m, err := n.store.Message(context.Background(), rt.ID(id))
	if err != nil {
		t.Fatal(err)
	}
	return m.State
}

// TestEnvelopeAckAfterSync: the recipient acks an envelope (the sender's
// message becomes delivered) only after the sync that covers storing it.
func TestEnvelopeAckAfterSync(t *testing.T) {
	gate := newSyncGate()
	a := startTestNode(t, WithInMemory())
	b := startTestNode(t, WithInMemory(), withSyncHook(gate.hook), WithBootstrap(a.Info().Addrs[0].String()))
	ctx := context.Background()
	var first core.MessageID
	eventually(t, func() bool {
		var err error
		first, err = a.Chats().Send(ctx, account(b), "session")
		return err == nil
	}, "a resolves b")
	eventually(t, func() bool { return messageState(t, a, first) == storage.Delivered }, "first message delivered")

	gate.close()
	defer gate.release()
	id, err := a.Chats().Send(ctx, account(b), "held")
	if err != nil {
		t.Fatal(err)
	}
	gate.wait(t)
	// b stored the message and holds its ack until the sync ends.
	if _, err := b.store.Message(ctx, rt.ID(id)); err != nil {
		t.Fatalf("b has not stored the message its sync covers: %v", err)
	}
	if st := messageState(t, a, id); st == storage.Delivered {
		t.Fatal("a heard the message was delivered while b's sync was held")
	}
	if !a.InOutbox(ctx, id) {
		t.Fatal("a dropped the message from its outbox while b's sync was held")
	}
	gate.release()
	eventually(t, func() bool { return messageState(t, a, id) == storage.Delivered }, "delivered once b synced")
}

// TestSendReturnsAfterSync: Send (the local API's 201) returns only after
// the sync that covers the message in history and outbox.
func TestSendReturnsAfterSync(t *testing.T) {
	gate := newSyncGate()
	a := startTestNode(t, WithInMemory(), withSyncHook(gate.hook))
	b := startTestNode(t, WithInMemory(), WithBootstrap(a.Info().Addrs[0].String()))
	ctx := context.Background()
	eventually(t, func() bool { _, err := a.Chats().Send(ctx, account(b), "resolve"); return err == nil }, "a resolves b")

	gate.close()
	defer gate.release()
	type result struct {
		id  core.MessageID
		err error
	}
	sent := make(chan result, 1)
	go func() {
		id, err := a.Chats().Send(ctx, account(b), "held")
		sent <- result{id, err}
	}()
	gate.wait(t)
	select {
	case r := <-sent:
		t.Fatalf("Send returned (%v, %v) while its sync was held", r.id, r.err)
	default:
	}
	gate.release()
	if r := <-sent; r.err != nil {
		t.Fatal(r.err)
	}
}

// TestWithSyncWrites: the option reaches the store (it used to be
// accepted and dropped).
func TestWithSyncWrites(t *testing.T) {
	n := startTestNode(t, WithHome(t.TempDir()), WithSyncWrites())
	if !n.store.SyncWrites() {
		t.Fatal("WithSyncWrites: the store does not sync its writes")
	}
	m := startTestNode(t, WithHome(t.TempDir()))
	if m.store.SyncWrites() {
		t.Fatal("without WithSyncWrites the store syncs every write")
	}
}
