package node_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/nodetest"
	"github.com/pigeon-net/pigeon/storage"
)

// The full-disk tests put the node's home on a small tmpfs of its own
// (they need root and skip elsewhere) and fill it from outside.

const testMinFree = 32 << 20

func start(t *testing.T, opts ...node.Option) *node.Node {
	t.Helper()
	n, err := node.New(append([]node.Option{node.WithListenAddrs("/ip4/127.0.0.1/tcp/0"), node.WithRetryBackoff(10*time.Millisecond, 200*time.Millisecond)}, opts...)...)
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

// fullPair starts a (in memory) and b (home on a 256 MiB tmpfs, keeping
// testMinFree free), with a session between them; it returns b's tmpfs.
func fullPair(t *testing.T) (a, b *node.Node, dir string) {
	t.Helper()
	dir = nodetest.Tmpfs(t, 256<<20)
	a = start(t, node.WithInMemory())
	b = start(t, node.WithHome(filepath.Join(dir, "home")), node.WithMinFreeSpace(testMinFree),
		node.WithBootstrap(a.Info().Addrs[0].String()))
	first := send(t, a, b.Info().Account, "before")
	nodetest.Eventually(t, wait, func() bool { return state(t, a, first) == storage.Delivered }, "first message delivered")
	return a, b, dir
}

func has(n *node.Node, id core.MessageID) bool {
	_, err := n.Chats().Message(context.Background(), id)
	return err == nil
}

// waitSpace waits for b to report a full disk (full) or room again.
func waitSpace(t *testing.T, sub *node.Subscription[node.StorageSpaceChanged], full bool) {
	t.Helper()
	timeout := time.After(30 * time.Second)
	for {
		select {
		case ev := <-sub.Events():
			if ev.Full == full {
				// The limit is what the node keeps free and the headroom
				// its database needs.
				if ev.MinFree < testMinFree {
					t.Fatalf("event %+v: MinFree", ev)
				}
				return
			}
		case <-timeout:
			t.Fatalf("no StorageSpaceChanged{Full: %v}", full)
		}
	}
}

// TestReceiveWhileFull: a node short of disk space refuses incoming
// messages (STORAGE_FULL): the sender keeps the message pending and
// retries, and it is delivered once space is back, without a restart.
// Sending fails with storage.ErrStorageFull meanwhile.
func TestReceiveWhileFull(t *testing.T) {
	a, b, dir := fullPair(t)
	ctx := context.Background()
	sub := node.Subscribe[node.StorageSpaceChanged](b)
	defer sub.Close()

	nodetest.Fill(t, dir, testMinFree-8<<20)
	waitSpace(t, sub, true)
	bID, aID := b.Info().Account, a.Info().Account
	id, err := a.Chats().Send(ctx, bID, "while b is full")
	if err != nil {
		t.Fatal(err)
	}
	// The outbox counts failed attempts: two mean b refused it twice.
	nodetest.Eventually(t, wait, func() bool { return a.OutboxAttempts(ctx, id) >= 2 }, "a retries the refused message")
	if st := state(t, a, id); st != storage.Pending {
		t.Fatalf("message refused for a full disk is %v at the sender, want pending", st)
	}
	if has(b, id) {
		t.Fatal("b stored the message on a full disk")
	}
	if _, err := b.Chats().Send(ctx, aID, "from a full disk"); !errors.Is(err, storage.ErrStorageFull) {
		t.Fatalf("send on a full disk: %v, want storage.ErrStorageFull", err)
	}

	nodetest.Unfill(t, dir)
	waitSpace(t, sub, false)
	nodetest.Eventually(t, wait, func() bool { return state(t, a, id) == storage.Delivered }, "delivered once b has room")
	if !has(b, id) {
		t.Fatal("b lacks the message a says is delivered")
	}
	if _, err := b.Chats().Send(ctx, aID, "room again"); err != nil {
		t.Fatalf("send once there is room: %v", err)
	}
}
