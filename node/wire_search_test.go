package node_test

import (
	"context"
	"strings"
	"testing"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/nodetest"
	"github.com/pigeon-net/pigeon/node/search"
)

// TestSearchThroughNode: texts sent and received through real nodes are
// found by both sides, in their chat, with the match marked; the index
// survives a restart and a node that is not started refuses.
func TestSearchThroughNode(t *testing.T) {
	nw := nodetest.New(t, 3)
	a, b := nw.Nodes[1], nw.Nodes[2]
	ctx := context.Background()
	nodetest.Send(t, a, b.Info().Account, "Meet me at the Crème brûlée café")
	nodetest.Send(t, a, b.Info().Account, "東京都で会いましょう")
	nodetest.Eventually(t, wait, func() bool { return len(nodetest.History(t, b, a.Info().Account)) == 2 }, "texts on b")

	find := func(n *node.Node, q string, o search.Options) search.Result {
		t.Helper()
		res, err := n.Search().Query(ctx, q, o)
		if err != nil {
			t.Fatalf("search %q: %v", q, err)
		}
		return res
	}
	for _, n := range []*node.Node{a, b} {
		res := find(n, "creme", search.Options{})
		if len(res.Hits) != 1 {
			t.Fatalf("creme: %d hits", len(res.Hits))
		}
		h := res.Hits[0]
		if !strings.Contains(h.Message.Text, "Crème") || h.Message.Sender != a.Info().Account {
			t.Fatalf("hit %+v", h.Message)
		}
		if len(h.Snippet.Ranges) != 1 || h.Snippet.Field != "text" {
			t.Fatalf("snippet %+v", h.Snippet)
		}
		if r := h.Snippet.Ranges[0]; h.Snippet.Text[r[0]:r[1]] != "Crème" {
			t.Fatalf("marked %q, want Crème", h.Snippet.Text[r[0]:r[1]])
		}
		if got := len(find(n, "東京", search.Options{}).Hits); got != 1 {
			t.Fatalf("東京: %d hits", got)
		}
	}
	if got := len(find(b, "creme", search.Options{Chat: core.With(a.Info().Account)}).Hits); got != 1 {
		t.Fatalf("in a's chat: %d hits", got)
	}
	if got := len(find(b, "creme", search.Options{Chat: core.With(b.Info().Account)}).Hits); got != 0 {
		t.Fatalf("in another chat: %d hits", got)
	}

	b = nw.Restart(2)
	if got := len(find(b, "cafe meet", search.Options{Order: search.Relevance}).Hits); got != 1 {
		t.Fatalf("after restart: %d hits", got)
	}

	idle, err := node.New(node.WithInMemory())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := idle.Search().Query(ctx, "x", search.Options{}); err == nil {
		t.Fatal("search before Start succeeded")
	}
}
