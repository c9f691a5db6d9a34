package groups_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/groups"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/node/nodetest"
	"github.com/pigeon-net/pigeon/storage"
	"github.com/pigeon-net/pigeon/storage/badger"
)

// ids lists the IDs of ms.
func ids(ms []core.Message) []core.MessageID {
	out := make([]core.MessageID, len(ms))
	for i, m := range ms {
		out[i] = m.ID
	}
	return out
}

// sameHistory reports whether n holds group id's history as want does,
// message for message.
func sameHistory(t *testing.T, n *node.Node, id core.GroupID, want []core.Message) func() bool {
	return func() bool {
		got := groupHistory(t, n, id)
		return slices.Equal(ids(got), ids(want)) && slices.Equal(texts(got), texts(want))
	}
}

// A device linked to an account in a group gets the group's history from
// before the link through the account log, even the texts of a member
// away meanwhile (the group's gap repair brings their ciphertexts, but only
// the away member can hand the new device its sender key), and what the
// group sends afterwards once.
func TestGroupHistoryToLinkedDevice(t *testing.T) {
	ctx := context.Background()
	nw, ns := nodes(t, 3)
	a := ns[0]
	id := makeGroup(t, ns)
	const rounds = 17 // 51 messages, from all three
	for i := range rounds {
		for j, n := range ns {
			if _, err := n.Groups().Send(ctx, id, fmt.Sprintf("%d from %d", i, j)); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, n := range ns {
		eventually(t, func() bool { return len(groupHistory(t, n, id)) == rounds*len(ns) }, "every member has every message")
	}
	before := groupHistory(t, a, id)

	nw.Stop(2)
	laptop := nw.Nodes[nw.Link(0, "laptop")]
	got := node.Subscribe[core.MessageReceived](laptop)
	defer got.Close()
	eventually(t, sameHistory(t, laptop, id, before), "the laptop has the group's history")
	eventually(t, func() bool { return isMember(t, laptop, id, self(a)) }, "the laptop is in the group")
	nodetest.SameState(t, a, laptop)
	ns[2] = nw.Start(2)

	hashBefore, err := a.Devices().StateHash(ctx)
	if err != nil {
		t.Fatal(err)
	}

	// Sent after the link, by every member and both devices of a.
	after := make(map[core.MessageID]string)
	var own core.MessageID // the laptop's
	for j, n := range append(slices.Clone(ns), laptop) {
		text := fmt.Sprintf("after, from %d", j)
		mid, err := n.Groups().Send(ctx, id, text)
		if err != nil {
			t.Fatal(err)
		}
		after[mid], own = text, mid
	}
	want := len(before) + len(after)
	for _, n := range []*node.Node{a, laptop} {
		eventually(t, func() bool { return len(groupHistory(t, n, id)) == want }, "a's devices have what was sent after the link")
	}
	// Each message the laptop received was announced once, however many
	// ways it came (the topic, a repair, a's account log).
	seen := make(map[core.MessageID]int)
	drain := func() {
		for len(got.Events()) > 0 {
			if ev := <-got.Events(); after[ev.Message.ID] != "" {
				seen[ev.Message.ID]++
			}
		}
	}
	eventually(t, func() bool { drain(); return len(seen) == len(after)-1 }, "the laptop announces what it received")
	nodetest.SameState(t, a, laptop)
	if h, err := a.Devices().StateHash(ctx); err != nil || h == hashBefore {
		t.Fatalf("the state hash %s (%v) does not cover the group's history", h, err)
	}
	drain()
	for mid, text := range after {
		if n := seen[mid]; mid != own && n != 1 {
			t.Errorf("%q reached the laptop %d times, want once", text, n)
		}
	}
	if got.Dropped() > 0 {
		t.Fatalf("%d events dropped", got.Dropped())
	}
	h := groupHistory(t, laptop, id)
	if len(h) != want {
		t.Fatalf("the laptop holds %d messages, want %d", len(h), want)
	}
	for _, m := range h[len(before):] {
		if after[m.ID] != m.Text {
			t.Fatalf("the laptop holds %q as %s, sent as %q", m.Text, m.ID, after[m.ID])
		}
	}
	// Both devices show what either sent as sent by us, as for 1:1 texts
	// (no unread count, no receipt to ourselves).
	for _, n := range []*node.Node{a, laptop} {
		for _, m := range groupHistory(t, n, id) {
			if ours := m.Sender == self(a); ours != (m.Direction == core.Outgoing) {
				t.Fatalf("%q from %s is %v on device %d", m.Text, m.Sender.Short(), m.Direction, n.Info().Device)
			}
		}
	}
}

// A group text that a device of ours folds before it knows the group
// (the group's state comes pairwise, not through the account log) is
// kept: the group shows with it once its state arrives.
func TestGroupHistoryBeforeGroupState(t *testing.T) {
	ctx := context.Background()
	_, ns := nodes(t, 3)
	a, b, d := ns[0], ns[1], ns[2]
	id := makeGroup(t, ns[:2])
	if _, err := a.Groups().Send(ctx, id, "before d"); err != nil {
		t.Fatal(err)
	}
	eventually(t, func() bool { return hasText(t, b, id, "before d") }, "b has the first message")
	first := groupHistory(t, a, id)[0]

	body := groups.OpMessageBody(first)
	for range 2 { // the second time it is held already
		if err := hooks(d).FoldMessage(ctx, body); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := d.Groups().Info(ctx, id); !errors.Is(err, groups.ErrUnknownGroup) {
		t.Fatalf("d knows the group before its state came (%v)", err)
	}
	if h := groupHistory(t, d, id); len(h) != 1 || h[0].ID != first.ID || h[0].Text != "before d" || h[0].Sender != self(a) {
		t.Fatalf("d holds %+v, want the folded message", h)
	}

	if err := a.Groups().AddMembers(ctx, id, groups.RoleMember, self(d)); err != nil {
		t.Fatal(err)
	}
	eventually(t, func() bool { return isMember(t, d, id, self(d)) }, "d joins")
	if _, err := b.Groups().Send(ctx, id, "after d"); err != nil {
		t.Fatal(err)
	}
	eventually(t, func() bool { return slices.Equal(texts(groupHistory(t, d, id)), []string{"before d", "after d"}) },
		"d shows the group with what came before its state")
}

// A home from before group texts were in the account log records them
// once, at its next start, and a device linked afterwards gets them.
func TestGroupHistoryBackfill(t *testing.T) {
	ctx := context.Background()
	nw, ns := nodes(t, 2)
	b, a := ns[0], ns[1]
	id := makeGroup(t, ns)
	if _, err := a.Groups().Send(ctx, id, "live"); err != nil {
		t.Fatal(err)
	}
	eventually(t, func() bool { return hasText(t, b, id, "live") }, "b has the live message")
	aID, aDevice := self(a), a.Info().Device

	// What an older version stored: texts not in the log, and the mark of
	// a home whose other history is (backfill step 1).
	nw.Stop(1)
	home := nw.Homes[1]
	st, err := badger.Open(badger.Options{Dir: filepath.Join(home, "db"), BlocksDir: filepath.Join(home, "blocks")})
	if err != nil {
		t.Fatal(err)
	}
	const old = 20
	start := time.Now().Add(-time.Hour)
	for i := range old {
		at := start.Add(time.Duration(i) * time.Minute)
		m := storage.Message{
			ID: storage.NewMessageID(at), Peer: storage.Account(id), Group: true,
			Sender: storage.Account(self(b)), SenderDevice: 1, Direction: storage.Incoming,
			Text: fmt.Sprintf("old %d", i), SentAt: at, StoredAt: at, State: storage.Read,
		}
		if i%2 == 0 {
			m.Sender, m.SenderDevice, m.Direction, m.State = storage.Account(aID), aDevice, storage.Outgoing, storage.Sent
		}
		if err := st.InsertMessage(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.PutSetting(ctx, "accountlog.backfilled", []byte{1}); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	a = nw.Start(1)
	full := groupHistory(t, a, id)
	if len(full) != old+1 {
		t.Fatalf("a holds %d group messages, want %d", len(full), old+1)
	}

	laptop := nw.Nodes[nw.Link(1, "laptop")]
	eventually(t, sameHistory(t, laptop, id, full), "the laptop has the group's history from before the log")
	nodetest.SameState(t, a, laptop)
}

// FuzzDecodeOpMessage: any body decodes to a group text or fails with
// rt.ErrBadContent; the size limit bounds the work.
func FuzzDecodeOpMessage(f *testing.F) {
	valid := groups.OpMessageBody(core.Message{
		ID: core.MessageID(storage.NewMessageID(time.UnixMilli(1700000000000))), Chat: core.InGroup(core.GroupID{1}),
		Sender: core.AccountID{2}, SenderDevice: 1, SentAt: time.UnixMilli(1700000000000), Text: "hi",
	})
	f.Add(valid)
	f.Add(valid[:len(valid)-1])
	f.Add([]byte{})
	f.Add([]byte{0x0a, 0x01, 0x00})
	f.Fuzz(func(t *testing.T, body []byte) {
		m, err := groups.DecodeOpMessage(body)
		if err != nil {
			if !errors.Is(err, rt.ErrBadContent) {
				t.Fatalf("error %v is not rt.ErrBadContent", err)
			}
			return
		}
		if !m.Group || m.Text == "" || m.ID.IsZero() {
			t.Fatalf("decoded %+v", m)
		}
	})
}
