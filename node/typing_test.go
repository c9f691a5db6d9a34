package node

import (
	"context"
	"testing"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/storage"
)

// TestTypingNeverQueued: a typing indicator goes to connected devices
// only; the outbox never holds one.
func TestTypingNeverQueued(t *testing.T) {
	a, b := pair(t)
	ctx := context.Background()
	var first core.MessageID
	eventually(t, func() bool {
		var err error
		first, err = a.Chats().Send(ctx, account(b), "hi")
		return err == nil
	}, "send")
	eventually(t, func() bool { m, _ := a.store.Message(ctx, rt.ID(first)); return m.State == storage.Delivered }, "delivered")
	if err := a.Presence().SetTyping(ctx, account(b), true); err != nil {
		t.Fatal(err)
	}
	b.Close() // away: an indicator now would have to be queued
	if err := a.Presence().SetTyping(ctx, account(b), false); err != nil {
		t.Fatal(err)
	}
	out, err := a.store.Outbox(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range out {
		if c, err := decodeContentForTest(it.Content); err != nil || c.GetTyping() != nil {
			t.Fatalf("outbox holds a typing indicator or garbage: %v", err)
		}
	}
}
