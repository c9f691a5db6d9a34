package node_test

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/expiry"
	"github.com/pigeon-net/pigeon/node/media"
	"github.com/pigeon-net/pigeon/node/nodetest"
	"github.com/pigeon-net/pigeon/storage"
)

// fileGone reports whether file message id left n: no read returns the
// message, it is not in the chat's history (hist), and media knows no file.
func fileGone(t *testing.T, n *node.Node, id core.MessageID, hist []core.Message) bool {
	t.Helper()
	if _, err := n.Chats().Message(context.Background(), id); !errors.Is(err, storage.ErrNotFound) {
		return false
	}
	if slices.ContainsFunc(hist, func(m core.Message) bool { return m.ID == id }) {
		return false
	}
	_, err := n.Media().Info(context.Background(), id)
	return errors.Is(err, media.ErrNoMedia)
}

// noBlocks compacts n and checks that it holds no media block.
func noBlocks(t *testing.T, n *node.Node, who string) {
	t.Helper()
	ctx := context.Background()
	if err := n.Compact(ctx); err != nil {
		t.Fatal(err)
	}
	if c, err := n.BlockCount(ctx); err != nil || c != 0 {
		t.Fatalf("%s holds %d blocks after compaction (%v)", who, c, err)
	}
}

// waitTimer sets chat's timer on n once the other side is findable.
func waitTimer(t *testing.T, n *node.Node, chat core.Chat, d time.Duration) {
	t.Helper()
	nodetest.Eventually(t, wait, func() bool {
		_, err := n.Expiry().SetTimer(context.Background(), chat, d)
		if errors.Is(err, core.ErrUnknownAccount) {
			return false
		}
		if err != nil {
			t.Fatal(err)
		}
		return true
	}, "set the timer")
}

// TestMediaExpiresInDisappearingChat: files sent in a 1:1 chat with a
// timer disappear like texts: from the sender (and its other device,
// which folds the account-log operation) their timer after the send, from
// the recipient their timer after its first read (an unread one stays);
// then neither history nor media knows them, and compaction removes their
// blocks.
func TestMediaExpiresInDisappearingChat(t *testing.T) {
	ctx := context.Background()
	clk := expiry.NewManualClock(time.Now())
	nw := nodetest.New(t, 2, node.WithClock(clk))
	alice, bob := nw.Nodes[0], nw.Nodes[1]
	aliceID, bobID := alice.Info().Account, bob.Info().Account
	laptop := nw.Nodes[nw.Link(0, "alice laptop")]

	waitTimer(t, alice, core.With(bobID), time.Hour)
	nodetest.Eventually(t, wait, func() bool {
		tm, err := bob.Expiry().Timer(ctx, core.With(aliceID))
		return err == nil && tm.After == time.Hour
	}, "bob has the timer")

	// send sends a file to bob and checks its countdown on every device:
	// from the send on alice's, not started on bob's.
	send := func(name string) core.Message {
		t.Helper()
		data := bytes.Repeat([]byte("disappearing "+name+" "), 300)
		var id core.MessageID
		nodetest.Eventually(t, wait, func() bool {
			var err error
			id, err = alice.Media().Send(ctx, bobID, bytes.NewReader(data), media.File{Name: name, Caption: "gone in an hour"})
			return err == nil
		}, "send the file")
		sent, err := alice.Chats().Message(ctx, id)
		if err != nil || sent.ExpireAfter != time.Hour || !sent.ExpiresAt.Equal(sent.SentAt.Add(time.Hour)) {
			t.Fatalf("sent file: %+v (%v), want a deadline 1h after its send", sent, err)
		}
		nodetest.Eventually(t, wait, func() bool {
			m, err := laptop.Chats().Message(ctx, id)
			return err == nil && m.ExpireAfter == time.Hour && m.ExpiresAt.Equal(sent.ExpiresAt)
		}, "alice's laptop has the file with the same deadline")
		var got core.Message
		nodetest.Eventually(t, wait, func() bool {
			got, err = bob.Chats().Message(ctx, id)
			return err == nil
		}, "bob has the file")
		if got.ExpireAfter != time.Hour || !got.ExpiresAt.IsZero() {
			t.Fatalf("received file expires after %v at %v, want 1h, not started", got.ExpireAfter, got.ExpiresAt)
		}
		if err := bob.Media().Fetch(ctx, id); err != nil {
			t.Fatal(err)
		}
		return sent
	}

	// Bob reads the first file: it counts down from the read (the read's
	// time is its account-log operation's, by the node's clock).
	first := send("first.txt")
	at := clk.Now().Truncate(time.Millisecond)
	if _, err := bob.Chats().MarkRead(ctx, aliceID); err != nil {
		t.Fatal(err)
	}
	read, err := bob.Chats().Message(ctx, first.ID)
	if err != nil || !read.ExpiresAt.Equal(at.Add(time.Hour)) {
		t.Fatalf("read file: %+v (%v), want a deadline 1h after the read at %v", read, err, at)
	}
	second := send("second.txt") // left unread

	deadline := read.ExpiresAt
	if second.ExpiresAt.After(deadline) {
		deadline = second.ExpiresAt
	}
	clk.Advance(deadline.Sub(clk.Now()) + time.Minute)
	for _, n := range []*node.Node{alice, laptop} {
		for _, id := range []core.MessageID{first.ID, second.ID} {
			nodetest.Eventually(t, wait, func() bool {
				return fileGone(t, n, id, nodetest.History(t, n, bobID))
			}, "gone from alice's devices")
		}
	}
	nodetest.Eventually(t, wait, func() bool {
		return fileGone(t, bob, first.ID, nodetest.History(t, bob, aliceID))
	}, "the read file gone from bob")
	if _, err := bob.Media().Info(ctx, second.ID); err != nil {
		t.Fatalf("unread file gone from bob: %v", err)
	}

	// Bob reads the second: an hour later (already past) it goes too.
	if _, err := bob.Chats().MarkRead(ctx, aliceID); err != nil {
		t.Fatal(err)
	}
	clk.Advance(time.Hour)
	nodetest.Eventually(t, wait, func() bool {
		return fileGone(t, bob, second.ID, nodetest.History(t, bob, aliceID))
	}, "the second file gone from bob")
	noBlocks(t, alice, "alice")
	noBlocks(t, laptop, "alice's laptop")
	noBlocks(t, bob, "bob")
}

// TestMediaExpiresInDisappearingGroup: a file sent to a group with a
// timer disappears from the sender its timer after the send and from a
// member its timer after the member read it; a member who did not read
// it keeps it.
func TestMediaExpiresInDisappearingGroup(t *testing.T) {
	ctx := context.Background()
	clk := expiry.NewManualClock(time.Now())
	nw, gid := nodetest.NewGroup(t, 3, node.WithClock(clk))
	owner, reader, idle := nw.Nodes[0], nw.Nodes[1], nw.Nodes[2]
	chat := core.InGroup(gid)

	if _, err := owner.Expiry().SetTimer(ctx, chat, time.Hour); err != nil {
		t.Fatal(err)
	}
	for _, n := range nw.Nodes {
		nodetest.Eventually(t, wait, func() bool {
			tm, err := n.Expiry().Timer(ctx, chat)
			return err == nil && tm.After == time.Hour
		}, "every member has the group's timer")
	}
	data := bytes.Repeat([]byte("disappearing group photo "), 300)
	id, err := owner.Media().SendToGroup(ctx, gid, bytes.NewReader(data), media.File{Name: "group.txt"})
	if err != nil {
		t.Fatal(err)
	}
	sent, err := owner.Chats().Message(ctx, id)
	if err != nil || sent.ExpireAfter != time.Hour || !sent.ExpiresAt.Equal(sent.SentAt.Add(time.Hour)) {
		t.Fatalf("sent file: %+v (%v), want a deadline 1h after its send", sent, err)
	}
	for _, n := range []*node.Node{reader, idle} {
		nodetest.Eventually(t, wait, func() bool {
			m, err := n.Chats().Message(ctx, id)
			return err == nil && m.ExpireAfter == time.Hour && m.ExpiresAt.IsZero()
		}, "members have the file, countdown not started")
	}
	if err := reader.Media().Fetch(ctx, id); err != nil {
		t.Fatal(err)
	}

	// A group read starts the countdown at the read (the node's clock):
	// read, then move the clock past the reader's deadline.
	at := clk.Now().Truncate(time.Millisecond)
	if _, err := reader.Groups().MarkRead(ctx, gid); err != nil {
		t.Fatal(err)
	}
	got, err := reader.Chats().Message(ctx, id)
	if err != nil || !got.ExpiresAt.Equal(at.Add(time.Hour)) {
		t.Fatalf("read file: %+v (%v), want its countdown started at the read, %v", got, err, at)
	}
	if d := got.ExpiresAt.Sub(clk.Now()) + time.Minute; d > 0 {
		clk.Advance(d)
	}
	nodetest.Eventually(t, wait, func() bool {
		return fileGone(t, owner, id, nodetest.GroupHistory(t, owner, gid))
	}, "gone from the sender")
	nodetest.Eventually(t, wait, func() bool {
		return fileGone(t, reader, id, nodetest.GroupHistory(t, reader, gid))
	}, "gone from the reader")
	if _, err := idle.Media().Info(ctx, id); err != nil {
		t.Fatalf("gone from a member who did not read it: %v", err)
	}
	noBlocks(t, owner, "the sender")
	noBlocks(t, reader, "the reader")
}
