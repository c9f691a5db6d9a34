package chats_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/chats"
	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/nodetest"
)

const wait = 30 * time.Second

func TestSendReplyReceipts(t *testing.T) {
	nw := nodetest.New(t, 3)
	a, b := nw.Nodes[1], nw.Nodes[2]
	ctx := context.Background()
	subB := node.Subscribe[core.MessageReceived](b)
	defer subB.Close()
	subA := node.Subscribe[node.Event](a)
	defer subA.Close()

	id := nodetest.Send(t, a, b.Info().Account, "hello bob")
	select {
	case ev := <-subB.Events():
		if ev.Message.ID != id || ev.Message.Text != "hello bob" || ev.Message.Sender != a.Info().Account {
			t.Fatalf("unexpected event %+v", ev)
		}
	case <-time.After(wait):
		t.Fatal("no MessageReceived on b")
	}
	nodetest.Eventually(t, wait, func() bool { return nodetest.State(t, a, id) == core.Delivered }, "delivered on a")

	reply := nodetest.Send(t, b, a.Info().Account, "hi alice")
	nodetest.Eventually(t, wait, func() bool { return len(nodetest.History(t, a, b.Info().Account)) == 2 }, "reply on a")
	nodetest.Eventually(t, wait, func() bool { return nodetest.State(t, b, reply) == core.Delivered }, "reply delivered")

	marked, err := b.Chats().MarkRead(ctx, a.Info().Account)
	if err != nil || marked != 1 {
		t.Fatalf("MarkRead = %d, %v", marked, err)
	}
	nodetest.Eventually(t, wait, func() bool { return nodetest.State(t, a, id) == core.Read }, "read receipt on a")
	if got := nodetest.State(t, b, id); got != core.Read {
		t.Fatalf("b's copy is %v, want read", got)
	}

	// a saw state changes and a receipt as events.
	var sawRead, sawReceipt bool
	for !sawRead || !sawReceipt {
		select {
		case ev := <-subA.Events():
			switch ev := ev.(type) {
			case core.MessageStateChanged:
				if ev.ID == id && ev.State == core.Read {
					sawRead = true
				}
			case node.ReceiptReceived:
				if ev.Read && slices.Contains(ev.IDs, id) {
					sawReceipt = true
				}
			}
		case <-time.After(wait):
			t.Fatalf("events: read=%v receipt=%v", sawRead, sawReceipt)
		}
	}
	conv, err := a.Chats().Conversations(ctx)
	if err != nil || len(conv) != 1 || conv[0].Chat.Account != b.Info().Account || conv[0].Unread != 1 {
		t.Fatalf("conversations = %+v, %v", conv, err)
	}
}

// An outgoing message's sent_at is the same on the sender and the
// recipient: the sender used to store its own clock in nanoseconds while
// the recipient read milliseconds from the wire.
func TestSentAtSameOnBothSides(t *testing.T) {
	nw := nodetest.New(t, 2)
	a, b := nw.Nodes[0], nw.Nodes[1]
	ctx := context.Background()
	// Several messages: one sent at an exact millisecond would pass anyway.
	var ids []core.MessageID
	for _, text := range []string{"one", "two", "three"} {
		ids = append(ids, nodetest.Send(t, b, a.Info().Account, text))
	}
	nodetest.Eventually(t, wait, func() bool { return len(nodetest.History(t, a, b.Info().Account)) == len(ids) }, "messages on a")
	for _, id := range ids {
		out, err := b.Chats().Message(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		in, err := a.Chats().Message(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if !out.SentAt.Equal(in.SentAt) {
			t.Errorf("message %s: sent_at %v on the sender, %v on the recipient", id, out.SentAt, in.SentAt)
		}
	}
}

// TestSendRefuses: texts that cannot be sent are refused before anything
// is stored, each with its error.
func TestSendRefuses(t *testing.T) {
	nw := nodetest.New(t, 1)
	n := nw.Nodes[0]
	ctx := context.Background()
	someone := core.AccountID{7}
	for _, c := range []struct {
		name string
		to   core.AccountID
		text string
		want error
	}{
		{"empty", someone, "", core.ErrEmpty},
		{"too large", someone, strings.Repeat("x", chats.MaxTextSize+1), core.ErrTooLarge},
		{"not UTF-8", someone, "\xff\xfe", nil},
		{"to self", n.Info().Account, "hi me", core.ErrSelf},
		{"unknown account", someone, "hello?", core.ErrUnknownAccount},
	} {
		_, err := n.Chats().Send(ctx, c.to, c.text)
		if err == nil || (c.want != nil && !errors.Is(err, c.want)) {
			t.Errorf("%s: Send = %v, want %v", c.name, err, c.want)
		}
	}
	if cs, err := n.Chats().Conversations(ctx); err != nil || len(cs) != 0 {
		t.Fatalf("conversations after refused sends: %+v, %v", cs, err)
	}
	if _, err := n.Chats().Message(ctx, core.MessageID{1}); err == nil {
		t.Fatal("Message of an unknown ID succeeded")
	}
	nw.Stop(0)
	if _, err := n.Chats().Send(ctx, someone, "late"); !errors.Is(err, core.ErrClosed) {
		t.Fatalf("Send after Close = %v, want ErrClosed", err)
	}
}
