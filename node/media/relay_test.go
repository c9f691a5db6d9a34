package media_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/media"
	"github.com/pigeon-net/pigeon/node/nodetest"
)

// startNodeWith starts a node with exactly opts, closed at cleanup.
func startNodeWith(t *testing.T, opts ...node.Option) *node.Node {
	t.Helper()
	n, err := node.New(opts...)
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

// A and B listen on no address: the only way between them is a circuit
// through their relay, which delivery uses for texts. A file goes the
// same way, though it is larger than what the relay lets through one
// circuit (16 MiB): the download goes on over a new circuit where the
// last one ended.
func TestMediaThroughRelayOnly(t *testing.T) {
	r := nodetest.Relay(t)
	raddr := r.Addrs()[0].String()
	fast := node.WithRetryBackoff(20*time.Millisecond, 500*time.Millisecond)
	a := startNodeWith(t, node.WithInMemory(), fast, node.WithListenAddrs(), node.WithRelays(raddr))
	b := startNodeWith(t, node.WithInMemory(), fast, node.WithListenAddrs(), node.WithRelays(raddr))
	ctx := context.Background()
	if err := b.Media().SetAutoDownload(ctx, core.Chat{}, 0); err != nil {
		t.Fatal(err)
	}
	data := testFile(20 << 20)
	id := sendMedia(t, a, b.Info().Account, data, media.File{Name: "far.bin"})
	nodetest.Eventually(t, wait, func() bool { return mediaState(t, b, id) == media.Remote }, "b received the message")
	fctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	if err := b.Media().Fetch(fctx, id); err != nil {
		t.Fatal(err)
	}
	if got := readSaved(t, b, id); !bytes.Equal(got, data) {
		t.Fatal("file differs")
	}
	for _, c := range b.Host().Network().ConnsToPeer(a.Host().ID()) {
		if !c.Stat().Limited {
			t.Fatalf("b has a direct connection to a: %v", c.RemoteMultiaddr())
		}
	}
}
