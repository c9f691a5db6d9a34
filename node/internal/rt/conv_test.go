package rt_test

import (
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/storage"
)

// TestStatesAndDirections: core's states and directions are the store's,
// value for value, so converting is a cast.
func TestStatesAndDirections(t *testing.T) {
	for s := storage.Pending; s <= storage.Failed; s++ {
		if core.State(s).String() != s.String() {
			t.Errorf("state %d: core %q, storage %q", s, core.State(s), s)
		}
	}
	for _, d := range []storage.Direction{storage.Incoming, storage.Outgoing} {
		if core.Direction(d).String() != d.String() {
			t.Errorf("direction %d: core %q, storage %q", d, core.Direction(d), d)
		}
	}
}

func TestMessage(t *testing.T) {
	now := time.UnixMilli(1_700_000_000_000)
	g := storage.Account{1, 2, 3}
	m := rt.Message(storage.Message{ID: storage.NewMessageID(now), Peer: g, Group: true, Sender: storage.Account{9},
		SenderDevice: 2, Direction: storage.Incoming, Text: "hi", SentAt: now, StoredAt: now, State: storage.Received})
	if !m.Chat.IsGroup() || m.Chat.Group != core.GroupID(g) || m.Sender != (core.AccountID{9}) || m.State != core.Received || m.Text != "hi" {
		t.Fatalf("converted %+v", m)
	}
	if rt.Peer(m.Chat) != g {
		t.Fatal("the chat does not convert back to the store's key")
	}
	if m.ID.Time() != now {
		t.Fatalf("ID time %v, want %v", m.ID.Time(), now)
	}
}

// TestIDConversions: the conversions keep the bytes, and nil stays nil.
func TestIDConversions(t *testing.T) {
	a := core.AccountID{7}
	if rt.CoreAccount(rt.Account(a)) != a {
		t.Error("account round trip")
	}
	g := core.GroupID{8}
	if rt.CoreGroup(rt.Group(g)) != g {
		t.Error("group round trip")
	}
	ids := []core.MessageID{{1}, {2}}
	back := rt.CoreIDs(rt.IDs(ids))
	if len(back) != 2 || back[0] != ids[0] || back[1] != ids[1] {
		t.Errorf("message IDs round trip: %v", back)
	}
	if rt.Accounts(nil) != nil || rt.CoreAccounts(nil) != nil || rt.IDs(nil) != nil {
		t.Error("nil converted to non-nil")
	}
	if got := rt.CoreAccounts(rt.Accounts([]core.AccountID{a})); len(got) != 1 || got[0] != a {
		t.Errorf("accounts round trip: %v", got)
	}
	now := time.UnixMilli(1_700_000_000_000)
	if id := rt.NewID(now); !id.Time().Equal(now) {
		t.Errorf("NewID at %v, want %v", id.Time(), now)
	}
}
