package node

import (
	"context"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/storage"
)

func TestTypingIndicatorExpires(t *testing.T) {
	old := typingTTL
	typingTTL = 200 * time.Millisecond
	defer func() { typingTTL = old }()
	a, b := pair(t)
	ctx := context.Background()
	var first storage.MessageID
	eventually(t, func() bool {
		var err error
		first, err = a.Send(ctx, b.self, "hi")
		return err == nil
	}, "send")
	eventually(t, func() bool { m, _ := a.store.Message(ctx, first); return m.State == storage.Delivered }, "delivered")

	sub := Subscribe[Typing](b)
	defer sub.Close()
	next := func() Typing {
		t.Helper()
		select {
		case ev := <-sub.Events():
			return ev
		case <-time.After(30 * time.Second):
			t.Fatal("no typing event")
		}
		return Typing{}
	}
	if err := a.SetTyping(ctx, b.self, true); err != nil {
		t.Fatal(err)
	}
	if ev := next(); !ev.Active || ev.From != a.self || ev.Until.IsZero() {
		t.Fatalf("first event %+v, want active from a", ev)
	}
	// Nobody repeats it: it expires on its own.
	if ev := next(); ev.Active || ev.From != a.self {
		t.Fatalf("second event %+v, want expiry", ev)
	}
	// An explicit stop, and a message ending an active indicator.
	if err := a.SetTyping(ctx, b.self, true); err != nil {
		t.Fatal(err)
	}
	if ev := next(); !ev.Active {
		t.Fatalf("got %+v, want active", ev)
	}
	if _, err := a.Send(ctx, b.self, "done typing"); err != nil {
		t.Fatal(err)
	}
	if ev := next(); ev.Active {
		t.Fatalf("got %+v, want the message to end the indicator", ev)
	}
	// Indicators are never stored: history holds the two messages only.
	h, err := b.store.History(ctx, storageAccount(a.self), storage.MessageID{}, 100)
	if err != nil || len(h) != 2 {
		t.Fatalf("history %d messages, %v; want 2", len(h), err)
	}
	out, err := a.store.Outbox(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range out {
		if c, err := decodeContent(it.Content); err != nil || c.GetTyping() != nil {
			t.Fatalf("outbox holds a typing indicator or garbage: %v", err)
		}
	}
}
