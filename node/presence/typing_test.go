package presence_test

import (
	"context"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/nodetest"
	"github.com/pigeon-net/pigeon/node/presence"
)

const wait = 30 * time.Second

func TestTypingIndicatorExpires(t *testing.T) {
	t.Cleanup(presence.SetTypingTTL(200 * time.Millisecond)) // restored after the nodes closed
	nw := nodetest.New(t, 2)
	a, b := nw.Nodes[0], nw.Nodes[1]
	aID, bID := a.Info().Account, b.Info().Account
	ctx := context.Background()
	var first core.MessageID
	nodetest.Eventually(t, wait, func() bool {
		var err error
		first, err = a.Chats().Send(ctx, bID, "hi")
		return err == nil
	}, "send")
	nodetest.Eventually(t, wait, func() bool { m, _ := a.Chats().Message(ctx, first); return m.State == core.Delivered }, "delivered")

	sub := node.Subscribe[presence.Typing](b)
	defer sub.Close()
	next := func() presence.Typing {
		t.Helper()
		select {
		case ev := <-sub.Events():
			return ev
		case <-time.After(wait):
			t.Fatal("no typing event")
		}
		return presence.Typing{}
	}
	if err := a.Presence().SetTyping(ctx, bID, true); err != nil {
		t.Fatal(err)
	}
	if ev := next(); !ev.Active || ev.From != aID || ev.Until.IsZero() {
		t.Fatalf("first event %+v, want active from a", ev)
	}
	// Nobody repeats it: it expires on its own.
	if ev := next(); ev.Active || ev.From != aID {
		t.Fatalf("second event %+v, want expiry", ev)
	}
	// An explicit stop, and a message ending an active indicator.
	if err := a.Presence().SetTyping(ctx, bID, true); err != nil {
		t.Fatal(err)
	}
	if ev := next(); !ev.Active {
		t.Fatalf("got %+v, want active", ev)
	}
	if _, err := a.Chats().Send(ctx, bID, "done typing"); err != nil {
		t.Fatal(err)
	}
	if ev := next(); ev.Active {
		t.Fatalf("got %+v, want the message to end the indicator", ev)
	}
	// Indicators are never stored: history holds the two messages only.
	h, err := b.Chats().History(ctx, aID, core.MessageID{}, 100)
	if err != nil || len(h) != 2 {
		t.Fatalf("history %d messages, %v; want 2", len(h), err)
	}
	if err := a.Presence().SetTyping(ctx, aID, true); err == nil {
		t.Fatal("typing to oneself was taken")
	}
}
