package node_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/nodetest"
	"github.com/pigeon-net/pigeon/storage"
)

const wait = 30 * time.Second

func history(t *testing.T, n *node.Node, peer core.AccountID) []core.Message {
	t.Helper()
	h, err := n.Chats().History(context.Background(), peer, core.MessageID{}, 1000)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func state(t *testing.T, n *node.Node, id core.MessageID) storage.State {
	t.Helper()
	m, err := n.Chats().Message(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return storage.State(m.State)
}

// waitPublished waits until every node can resolve every other node's
// device list (sending to an unknown account fails fast).
func send(t *testing.T, from *node.Node, to core.AccountID, text string) core.MessageID {
	t.Helper()
	var id core.MessageID
	nodetest.Eventually(t, wait, func() bool {
		var err error
		id, err = from.Chats().Send(context.Background(), to, text)
		return err == nil
	}, "send %q", text)
	return id
}

func TestRecipientOfflineDeliveredOnce(t *testing.T) {
	nw := nodetest.New(t, 3)
	a, bID := nw.Nodes[1], nw.Nodes[2].Info().Account
	// a learns b's device list while b is up, then b goes offline.
	if err := a.Contacts().Add(context.Background(), bID, "bob"); err != nil {
		t.Fatal(err)
	}
	nodetest.Eventually(t, wait, func() bool {
		_, err := a.Contacts().SafetyNumber(context.Background(), bID)
		return err == nil
	}, "a resolves b's device list")
	nw.Stop(2)
	id := send(t, a, bID, "while you were away")
	if got := state(t, a, id); got != storage.Pending {
		t.Fatalf("state %v, want pending", got)
	}
	b := nw.Start(2)
	nodetest.Eventually(t, wait, func() bool { return state(t, a, id) == storage.Delivered }, "delivered after b returned")
	h := history(t, b, a.Info().Account)
	if len(h) != 1 || h[0].ID != id {
		t.Fatalf("b history = %+v, want exactly the one message", h)
	}
}

func TestSenderRestartWithOutbox(t *testing.T) {
	nw := nodetest.New(t, 3)
	a, bID := nw.Nodes[1], nw.Nodes[2].Info().Account
	aID := a.Info().Account
	if err := a.Contacts().Add(context.Background(), bID, "bob"); err != nil {
		t.Fatal(err)
	}
	nodetest.Eventually(t, wait, func() bool {
		_, err := a.Contacts().SafetyNumber(context.Background(), bID)
		return err == nil
	}, "a resolves b's device list")
	nw.Stop(2)
	var ids []core.MessageID
	for i := range 5 {
		ids = append(ids, send(t, a, bID, fmt.Sprintf("queued %d", i)))
	}
	nw.Stop(1) // the outbox is only on disk now
	b := nw.Start(2)
	a = nw.Start(1)
	for _, id := range ids {
		nodetest.Eventually(t, wait, func() bool { return state(t, a, id) == storage.Delivered }, "delivered after restart")
	}
	h := history(t, b, aID)
	if len(h) != len(ids) {
		t.Fatalf("b has %d messages, want %d", len(h), len(ids))
	}
	for i, m := range h {
		if m.ID != ids[i] || m.Text != fmt.Sprintf("queued %d", i) {
			t.Fatalf("b history[%d] = %q, want in order", i, m.Text)
		}
	}
}

func TestConcurrentSendsBothWays(t *testing.T) {
	nw := nodetest.New(t, 3)
	a, b := nw.Nodes[1], nw.Nodes[2]
	const perSide = 40
	send(t, a, b.Info().Account, "warm up a")
	send(t, b, a.Info().Account, "warm up b")
	var wg sync.WaitGroup
	errs := make(chan error, 2*perSide)
	for _, pair := range [][2]*node.Node{{a, b}, {b, a}} {
		from, to := pair[0], pair[1].Info().Account
		for i := range perSide {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := from.Chats().Send(context.Background(), to, fmt.Sprintf("msg %d", i)); err != nil {
					errs <- err
				}
			}()
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	for _, pair := range [][2]*node.Node{{a, b}, {b, a}} {
		from, to := pair[0], pair[1]
		nodetest.Eventually(t, wait, func() bool {
			return len(history(t, to, from.Info().Account)) == 2*(perSide+1)
		}, "all messages in history")
		nodetest.Eventually(t, wait, func() bool {
			for _, m := range history(t, from, to.Info().Account) {
				if m.Direction == core.Outgoing && storage.State(m.State).Rank() < storage.Delivered.Rank() {
					return false
				}
			}
			return true
		}, "all delivered")
	}
}

// TestUndeliverableMessageFails: a message that neither the recipient nor
// a relay took within the give-up time is marked failed and leaves the
// outbox; a message that was delivered in time is not touched.
func TestUndeliverableMessageFails(t *testing.T) {
	nw := nodetest.New(t, 3)
	bID := nw.Nodes[2].Info().Account
	nw.Stop(1)
	a := nw.Start(1, node.WithGiveUpAfter(2*time.Second))
	nodetest.Eventually(t, wait, func() bool {
		_, err := a.Contacts().SafetyNumber(context.Background(), bID)
		return err == nil
	}, "a resolves b's device list")
	sub := node.Subscribe[core.MessageStateChanged](a)
	defer sub.Close()
	delivered := send(t, a, bID, "in time")
	nodetest.Eventually(t, wait, func() bool { return state(t, a, delivered) == storage.Delivered }, "delivered")
	nw.Stop(2)
	id := send(t, a, bID, "never read")
	nodetest.Eventually(t, wait, func() bool { return state(t, a, id) == storage.Failed }, "failed after the give-up time")
	if got := state(t, a, delivered); got != storage.Delivered {
		t.Fatalf("the delivered message became %v", got)
	}
	failedEvent := false
	for len(sub.Events()) > 0 {
		ev := <-sub.Events()
		failedEvent = failedEvent || (ev.ID == id && ev.State == core.Failed)
	}
	if !failedEvent {
		t.Error("no failed event")
	}
	if a.InOutbox(context.Background(), id) {
		t.Fatal("the failed message is still in the outbox")
	}
}
