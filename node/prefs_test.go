package node_test

import (
	"context"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/nodetest"
	"github.com/pigeon-net/pigeon/node/prefs"
)

func ptr[T any](v T) *T { return &v }

// chatsOn lists n's conversations (archived: the archived ones) by chat.
func chatsOn(t *testing.T, n *node.Node, archived bool) []core.Chat {
	t.Helper()
	cs, err := n.Prefs().Conversations(context.Background(), archived)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]core.Chat, len(cs))
	for i, c := range cs {
		out[i] = c.Chat
	}
	return out
}

// Pin, mute and archive on two devices of one account: each change
// reaches the other device, changes made while one was away too, both end
// in one state; pinned chats lead the list, archived ones leave it and stay
// archived when a message arrives.
func TestChatPrefsTwoDevices(t *testing.T) {
	ctx := context.Background()
	nw, gid := nodetest.NewGroup(t, 3)
	alice, bob, carol := nw.Nodes[0], nw.Nodes[1], nw.Nodes[2]
	bobID, carolID := bob.Info().Account, carol.Info().Account
	withBob, withCarol, group := core.With(bobID), core.With(carolID), core.InGroup(gid)
	nodetest.Send(t, alice, bobID, "to bob")
	nodetest.Send(t, alice, carolID, "to carol") // newest 1:1 chat
	if _, err := alice.Groups().Send(ctx, gid, "to the group"); err != nil {
		t.Fatal(err)
	}
	li := nw.Link(0, "laptop")
	laptop := nw.Nodes[li]
	nodetest.SameState(t, alice, laptop)

	if _, err := alice.Prefs().Set(ctx, withBob, prefs.Change{Pinned: ptr(true)}); err != nil {
		t.Fatal(err)
	}
	if _, err := laptop.Prefs().Set(ctx, group, prefs.Change{Archived: ptr(true), MutedUntil: ptr(prefs.Forever)}); err != nil {
		t.Fatal(err)
	}
	until := time.Now().Add(8 * time.Hour).Truncate(time.Millisecond)
	if _, err := laptop.Prefs().Set(ctx, withCarol, prefs.Change{MutedUntil: ptr(until)}); err != nil {
		t.Fatal(err)
	}
	// While the laptop is away, alice unmutes carol and pins her too.
	nodetest.SameState(t, alice, laptop)
	nw.Stop(li)
	if _, err := alice.Prefs().Set(ctx, withCarol, prefs.Change{MutedUntil: ptr(time.Time{}), Pinned: ptr(true)}); err != nil {
		t.Fatal(err)
	}
	laptop = nw.Restart(li)
	nodetest.SameState(t, alice, laptop)

	for _, n := range []*node.Node{alice, laptop} {
		if got, want := chatsOn(t, n, false), []core.Chat{withCarol, withBob}; !equalChats(got, want) {
			t.Errorf("list %v, want carol then bob (pinned, latest pin first), no group", got)
		}
		if got := chatsOn(t, n, true); !equalChats(got, []core.Chat{group}) {
			t.Errorf("archived %v, want the group", got)
		}
		g, err := n.Prefs().Get(ctx, group)
		if err != nil || !g.Archived || !g.MutedUntil.Equal(prefs.Forever) || !n.Prefs().Muted(ctx, group) {
			t.Errorf("group prefs %+v (%v), want archived and muted for ever", g, err)
		}
		if n.Prefs().Muted(ctx, withCarol) {
			t.Error("carol still muted")
		}
	}

	// A new message in the archived group leaves it archived.
	m, err := bob.Groups().Send(ctx, gid, "anyone?")
	if err != nil {
		t.Fatal(err)
	}
	messageOn(t, alice, m)
	if got := chatsOn(t, alice, true); !equalChats(got, []core.Chat{group}) {
		t.Errorf("archived after a new message %v, want the group still", got)
	}
}

func equalChats(a, b []core.Chat) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
