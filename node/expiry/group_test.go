package expiry_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/expiry"
	"github.com/pigeon-net/pigeon/node/groups"
	"github.com/pigeon-net/pigeon/node/nodetest"
)

func groupNotices(t *testing.T, n *node.Node, g core.GroupID) int {
	t.Helper()
	c := 0
	for _, m := range nodetest.GroupHistory(t, n, g) {
		if m.Kind == core.KindTimerNotice {
			c++
		}
	}
	return c
}

// A group's timer: set by a member who may edit its info, it reaches
// every member with a notice; texts then carry it, and disappear after
// they were sent (the sender) or read (the others). When only admins may
// edit the info, a plain member cannot change it.
func TestGroupTimer(t *testing.T) {
	ctx := context.Background()
	clk := expiry.NewManualClock(time.Now())
	nw, gid := nodetest.NewGroup(t, 3, node.WithClock(clk))
	owner, m1, m2 := nw.Nodes[0], nw.Nodes[1], nw.Nodes[2]
	chat := core.InGroup(gid)

	tm, err := m1.Expiry().SetTimer(ctx, chat, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range nw.Nodes {
		nodetest.Eventually(t, nodetest.Wait, func() bool {
			got, err := n.Expiry().Timer(ctx, chat)
			return err == nil && got == tm && groupNotices(t, n, gid) == 1
		}, "the group's timer and its notice on every member")
	}

	id, err := owner.Groups().Send(ctx, gid, "gone an hour after reading")
	if err != nil {
		t.Fatal(err)
	}
	sent, err := message(owner, id)
	if err != nil || sent.ExpireAfter != time.Hour || !sent.ExpiresAt.Equal(sent.SentAt.Add(time.Hour)) {
		t.Fatalf("sent: %+v (%v)", sent, err)
	}
	for _, n := range []*node.Node{m1, m2} {
		nodetest.Eventually(t, nodetest.Wait, func() bool {
			m, err := message(n, id)
			return err == nil && m.ExpireAfter == time.Hour && m.ExpiresAt.IsZero()
		}, "members have the text, countdown not started")
	}
	if _, err := m1.Groups().MarkRead(ctx, gid); err != nil {
		t.Fatal(err)
	}
	clk.Advance(2 * time.Hour)
	groupGone := func(n *node.Node) bool {
		if _, err := message(n, id); err == nil {
			return false
		}
		for _, m := range nodetest.GroupHistory(t, n, gid) {
			if m.ID == id {
				return false
			}
		}
		return true
	}
	for _, n := range []*node.Node{owner, m1} {
		nodetest.Eventually(t, nodetest.Wait, func() bool { return groupGone(n) }, "gone from the sender and the reader")
	}
	if _, err := message(m2, id); err != nil {
		t.Fatalf("gone from a member who did not read it: %v", err)
	}

	if err := owner.Groups().SetSettings(ctx, gid, groups.Settings{EditInfo: groups.Admins}); err != nil {
		t.Fatal(err)
	}
	nodetest.Eventually(t, nodetest.Wait, func() bool {
		_, err := m2.Expiry().SetTimer(ctx, chat, 5*time.Minute)
		return errors.Is(err, expiry.ErrNotAllowed)
	}, "a plain member refused once only admins edit the info")
	if got, _ := owner.Expiry().Timer(ctx, chat); got != tm {
		t.Fatalf("timer %+v after a refused change, want %+v", got, tm)
	}
}

// A group read on one device of an account is a read on all of them: the
// other marks the text read, and both count down from the same moment
// (the groups.read operation's time).
func TestGroupReadOnSibling(t *testing.T) {
	ctx := context.Background()
	clk := expiry.NewManualClock(time.Now())
	nw, gid := nodetest.NewGroup(t, 2, node.WithClock(clk))
	owner, phone := nw.Nodes[0], nw.Nodes[1]
	laptop := nw.Nodes[nw.Link(1, "laptop")]
	chat := core.InGroup(gid)
	if _, err := owner.Expiry().SetTimer(ctx, chat, time.Hour); err != nil {
		t.Fatal(err)
	}
	for _, n := range []*node.Node{phone, laptop} {
		nodetest.Eventually(t, nodetest.Wait, func() bool {
			got, err := n.Expiry().Timer(ctx, chat)
			return err == nil && got.After == time.Hour
		}, "the timer on both devices")
	}
	id, err := owner.Groups().Send(ctx, gid, "read on the laptop")
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []*node.Node{phone, laptop} {
		nodetest.Eventually(t, nodetest.Wait, func() bool {
			m, err := message(n, id)
			return err == nil && m.ExpireAfter == time.Hour && m.ExpiresAt.IsZero()
		}, "both devices have the text")
	}
	if _, err := laptop.Groups().MarkRead(ctx, gid); err != nil {
		t.Fatal(err)
	}
	read, err := message(laptop, id)
	if err != nil || read.ExpiresAt.IsZero() || read.State != core.Read {
		t.Fatalf("read on the laptop: %+v (%v)", read, err)
	}
	nodetest.Eventually(t, nodetest.Wait, func() bool {
		m, err := message(phone, id)
		return err == nil && m.State == core.Read && m.ExpiresAt.Equal(read.ExpiresAt)
	}, "read on the phone with the laptop's deadline")
	clk.Advance(2 * time.Hour)
	for _, n := range []*node.Node{phone, laptop} {
		nodetest.Eventually(t, nodetest.Wait, func() bool {
			_, err := message(n, id)
			return err != nil
		}, "gone from both devices")
	}
}
