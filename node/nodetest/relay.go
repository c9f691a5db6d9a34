package nodetest

import (
	"context"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/relay"
)

// Relay starts a relay on 127.0.0.1 with a home directory of its own,
// closed by tb.Cleanup.
func Relay(tb testing.TB, opts ...relay.Option) *relay.Relay {
	tb.Helper()
	return RelayAt(tb, tb.TempDir(), opts...)
}

// RelayAt starts a relay on 127.0.0.1 with home as its home directory
// (start it again on the same home to restart it), closed by tb.Cleanup.
func RelayAt(tb testing.TB, home string, opts ...relay.Option) *relay.Relay {
	tb.Helper()
	r, err := relay.New(append([]relay.Option{relay.WithListenAddrs("/ip4/127.0.0.1/tcp/0"), relay.WithHome(home)}, opts...)...)
	if err != nil {
		tb.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), Wait)
	defer cancel()
	if err := r.Start(ctx); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { r.Close() })
	return r
}

// Standalone starts one in-memory node with fast retries (20 ms to
// 500 ms) and opts, closed by tb.Cleanup if still running.
func Standalone(tb testing.TB, opts ...node.Option) *node.Node {
	tb.Helper()
	n, err := node.New(append([]node.Option{node.WithInMemory(), node.WithRetryBackoff(20*time.Millisecond, 500*time.Millisecond)}, opts...)...)
	if err != nil {
		tb.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), Wait)
	defer cancel()
	if err := n.Start(ctx); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { n.Close() })
	return n
}
