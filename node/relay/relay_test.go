package relay_test

import (
	"context"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/nodetest"
	"github.com/pigeon-net/pigeon/node/relay"
	"github.com/pigeon-net/pigeon/storage"
)

func startRelay(t *testing.T) *relay.Relay {
	t.Helper()
	r, err := relay.New(relay.WithListenAddrs("/ip4/127.0.0.1/tcp/0"), relay.WithHome(t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := r.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

func startNode(t *testing.T, opts ...node.Option) *node.Node {
	t.Helper()
	n, err := node.New(append([]node.Option{node.WithInMemory(), node.WithRetryBackoff(20*time.Millisecond, 500*time.Millisecond)}, opts...)...)
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

// A and B listen on no address at all: the only way between them is a
// circuit through the relay each keeps a reservation with.
func TestDeliveryThroughRelayOnly(t *testing.T) {
	r := startRelay(t)
	raddr := r.Addrs()[0].String()
	a := startNode(t, node.WithListenAddrs(), node.WithRelays(raddr))
	b := startNode(t, node.WithListenAddrs(), node.WithRelays(raddr))
	if len(a.Host().Addrs())+len(b.Host().Addrs()) != 0 {
		t.Fatalf("nodes listen on %v and %v, want nothing", a.Host().Addrs(), b.Host().Addrs())
	}
	ctx := context.Background()
	received := node.Subscribe[node.MessageReceived](b)
	defer received.Close()
	var id storage.MessageID
	nodetest.Eventually(t, 30*time.Second, func() bool {
		var err error
		id, err = a.Send(ctx, b.Info().Account, "through the relay")
		return err == nil
	}, "a resolves b")
	select {
	case ev := <-received.Events():
		if ev.Message.ID != id {
			t.Fatalf("received %+v", ev.Message)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("b never received the message")
	}
	nodetest.Eventually(t, 30*time.Second, func() bool {
		m, err := a.Message(ctx, id)
		return err == nil && m.State == storage.Delivered
	}, "delivered on a")
	conns := a.Host().Network().ConnsToPeer(b.Host().ID())
	if len(conns) == 0 {
		t.Fatal("a has no connection to b")
	}
	for _, c := range conns {
		if !c.Stat().Limited {
			t.Fatalf("a has a direct connection to b: %v", c.RemoteMultiaddr())
		}
	}
	// And back.
	back, err := b.Send(ctx, a.Info().Account, "and back")
	if err != nil {
		t.Fatal(err)
	}
	nodetest.Eventually(t, 30*time.Second, func() bool {
		m, err := b.Message(ctx, back)
		return err == nil && m.State == storage.Delivered
	}, "reply delivered")
}
