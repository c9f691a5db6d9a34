package core_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/protocol/group"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/storage"
)

// TestIDText: core's IDs print and parse exactly as the protocol's and
// the store's (the CLI, the local API and logs show the same text), and
// JSON carries them as that text.
func TestIDText(t *testing.T) {
	acct, err := identity.NewAccount()
	if err != nil {
		t.Fatal(err)
	}
	a := core.AccountID(acct.ID())
	g := core.GroupID(group.ID{1, 2, 3})
	m := core.MessageID(storage.NewMessageID(time.UnixMilli(1_700_000_000_123)))

	if a.String() != acct.ID().String() || a.Short() != acct.ID().Short() {
		t.Errorf("account %q/%q, protocol's %q/%q", a, a.Short(), acct.ID(), acct.ID().Short())
	}
	if g.String() != group.ID(g).String() || g.Short() != group.ID(g).Short() {
		t.Errorf("group %q, protocol's %q", g, group.ID(g))
	}
	if m.String() != storage.MessageID(m).String() || !m.Time().Equal(storage.MessageID(m).Time()) {
		t.Errorf("message %q at %v, store's %q at %v", m, m.Time(), storage.MessageID(m), storage.MessageID(m).Time())
	}

	if back, err := core.ParseAccountID(a.String()); err != nil || back != a {
		t.Errorf("parse account: %v, %v", back, err)
	}
	if back, err := core.ParseGroupID(g.String()); err != nil || back != g {
		t.Errorf("parse group: %v, %v", back, err)
	}
	if back, err := core.ParseMessageID(m.String()); err != nil || back != m {
		t.Errorf("parse message: %v, %v", back, err)
	}
	// Errors stay the protocol's, so callers (the local API) classify them.
	if _, err := core.ParseAccountID("pgnotanaccount"); !errors.Is(err, identity.ErrMalformedID) && !errors.Is(err, identity.ErrBadChecksum) {
		t.Errorf("bad account ID: %v", err)
	}
	if _, err := core.ParseGroupID("zz"); !errors.Is(err, group.ErrMalformed) {
		t.Errorf("bad group ID: %v", err)
	}
	if _, err := core.ParseMessageID(strings.Repeat("0", 31)); err == nil {
		t.Error("a 31-character message ID parsed")
	}

	type ids struct {
		A core.AccountID
		G core.GroupID
		M core.MessageID
	}
	b, err := json.Marshal(ids{a, g, m})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"A":"` + a.String() + `","G":"` + g.String() + `","M":"` + m.String() + `"}`
	if string(b) != want {
		t.Errorf("JSON %s, want %s", b, want)
	}
	var back ids
	if err := json.Unmarshal(b, &back); err != nil || back != (ids{a, g, m}) {
		t.Errorf("JSON back: %+v, %v", back, err)
	}
	if !(core.AccountID{}).IsZero() || a.IsZero() || !(core.GroupID{}).IsZero() || g.IsZero() || !(core.MessageID{}).IsZero() || m.IsZero() {
		t.Error("IsZero")
	}
}

// TestMessageIDOrder: IDs compare in the order they were made.
func TestMessageIDOrder(t *testing.T) {
	now := time.Now()
	earlier := core.MessageID(storage.NewMessageID(now))
	later := core.MessageID(storage.NewMessageID(now)) // same millisecond: counts up
	if earlier.Compare(later) != -1 || later.Compare(earlier) != 1 || later.Compare(later) != 0 {
		t.Fatalf("compare %s and %s: %d, %d", earlier, later, earlier.Compare(later), later.Compare(earlier))
	}
}
