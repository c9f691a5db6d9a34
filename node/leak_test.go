package node

import (
	"context"
	"testing"

	"go.uber.org/goleak"
)

// TestCloseLeavesNoGoroutines starts two nodes, exchanges a message and
// closes them: every goroutine the nodes started must be gone.
func TestCloseLeavesNoGoroutines(t *testing.T) {
	opts := []goleak.Option{
		goleak.IgnoreCurrent(),
		// Process-wide workers of dependencies, started once and kept.
		goleak.IgnoreAnyFunction("github.com/ipfs/go-log/v2/writer.(*MirrorWriter).logRoutine"),
		goleak.IgnoreAnyFunction("go.opencensus.io/stats/view.(*worker).start"),
		goleak.IgnoreAnyFunction("github.com/libp2p/go-libp2p/p2p/net/swarm.(*dialWorker).loop"),
	}
	a, b := pair(t)
	ctx := context.Background()
	eventually(t, func() bool { _, err := a.Chats().Send(ctx, account(b), "hello"); return err == nil }, "send")
	eventually(t, func() bool { c, _ := b.store.Conversations(ctx); return len(c) == 1 }, "received")
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	goleak.VerifyNone(t, opts...)
}
