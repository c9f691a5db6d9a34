package node_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"os"
	"path/filepath"
	"testing"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/media"
	"github.com/pigeon-net/pigeon/node/nodetest"
)

func randomFile(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}

// sendFile sends data to account to as soon as from can resolve it.
func sendFile(t *testing.T, from *node.Node, to core.AccountID, data []byte, name string) core.MessageID {
	t.Helper()
	var id core.MessageID
	nodetest.Eventually(t, wait, func() bool {
		var err error
		id, err = from.Media().Send(context.Background(), to, bytes.NewReader(data), media.File{Name: name, Caption: "caption of " + name})
		return err == nil
	}, "send %s", name)
	return id
}

// opens fetches file id on n and checks its bytes.
func opens(t *testing.T, n *node.Node, id core.MessageID, want []byte) {
	t.Helper()
	ctx := context.Background()
	if err := n.Media().Fetch(ctx, id); err != nil {
		t.Fatalf("fetch %s: %v", id, err)
	}
	path := filepath.Join(t.TempDir(), "file")
	if err := n.Media().Save(ctx, id, path); err != nil {
		t.Fatal(err)
	}
	if got, err := os.ReadFile(path); err != nil || !bytes.Equal(got, want) {
		t.Fatalf("file %s opened with %d bytes (%v), want the %d sent", id, len(got), err, len(want))
	}
}

// hasFile waits until n holds file message id.
func hasFile(t *testing.T, n *node.Node, id core.MessageID) media.Info {
	t.Helper()
	var mi media.Info
	nodetest.Eventually(t, wait, func() bool {
		var err error
		mi, err = n.Media().Info(context.Background(), id)
		return err == nil
	}, "file %s", id)
	return mi
}

// The test: an account with 10,000 texts and files (sent and
// received, 1:1 and in a group) links a new device; its history transfer
// brings everything, the two devices show one state, and the files open
// on the new device from the devices and members that hold them.
func TestLinkHistoryWithFiles(t *testing.T) {
	texts := 10000
	if raceEnabled {
		texts = 3000 // the race detector slows the transfer several times over: 10,000 take about a minute
	}
	ctx := context.Background()
	nw, gid := nodetest.NewGroup(t, 3)
	alice, bob, carol := nw.Nodes[0], nw.Nodes[1], nw.Nodes[2]
	aliceID, bobID := alice.Info().Account, bob.Info().Account
	if err := alice.InsertTexts(ctx, bobID, texts); err != nil {
		t.Fatal(err)
	}

	sent, got, groupSent, groupGot := randomFile(200<<10), randomFile(50<<10), randomFile(70<<10), randomFile(30<<10)
	sentID := sendFile(t, alice, bobID, sent, "sent.bin")
	gotID := sendFile(t, bob, aliceID, got, "received.bin")
	groupSentID, err := alice.Media().SendToGroup(ctx, gid, bytes.NewReader(groupSent), media.File{Name: "mine.bin"})
	if err != nil {
		t.Fatal(err)
	}
	groupGotID, err := carol.Media().SendToGroup(ctx, gid, bytes.NewReader(groupGot), media.File{Name: "theirs.bin", Caption: "from carol"})
	if err != nil {
		t.Fatal(err)
	}
	hasFile(t, alice, gotID)
	hasFile(t, alice, groupGotID)

	i := nw.Link(0, "laptop")
	laptop := nw.Nodes[i]
	nodetest.SameState(t, nw.Nodes[0], nw.Nodes[i])
	if h := nodetest.History(t, laptop, bobID); len(h) != min(texts+2, 1000) || h[len(h)-1].ID != gotID {
		t.Fatalf("the laptop's newest messages end with %v, want the file received", h[len(h)-1])
	}
	for _, f := range []struct {
		id   core.MessageID
		data []byte
		chat core.Chat
		dir  core.Direction
	}{
		{sentID, sent, core.With(bobID), core.Outgoing},
		{gotID, got, core.With(bobID), core.Incoming},
		{groupSentID, groupSent, core.InGroup(gid), core.Outgoing},
		{groupGotID, groupGot, core.InGroup(gid), core.Incoming},
	} {
		mi := hasFile(t, laptop, f.id)
		if mi.Chat != f.chat || mi.Direction != f.dir || mi.Size != uint64(len(f.data)) {
			t.Fatalf("file on the laptop %+v, want chat %v, direction %v", mi, f.chat, f.dir)
		}
		opens(t, laptop, f.id, f.data)
	}
}

// A home whose files predate the account log's files (stored without an
// operation) records them once, by backfill: a device linked afterwards
// gets them as files, not as texts, and opens them.
func TestBackfillFiles(t *testing.T) {
	ctx := context.Background()
	nw := nodetest.New(t, 2)
	alice, bob := nw.Nodes[0], nw.Nodes[1]
	aliceID, bobID := alice.Info().Account, bob.Info().Account
	sent, got := randomFile(40<<10), randomFile(20<<10)
	sentID := sendFile(t, alice, bobID, sent, "sent.bin")
	gotID := sendFile(t, bob, aliceID, got, "received.bin")
	hasFile(t, alice, gotID)
	nodetest.Eventually(t, wait, func() bool {
		mi, err := alice.Media().Info(ctx, gotID)
		return err == nil && mi.State == media.Local
	}, "alice fetched the file received")
	oldSent, err := alice.CopyAsLegacyFile(ctx, sentID)
	if err != nil {
		t.Fatal(err)
	}
	oldGot, err := alice.CopyAsLegacyFile(ctx, gotID)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := alice.BackfillMedia(ctx); err != nil || n != 4 {
		t.Fatalf("backfill recorded %d files (%v), want 4", n, err)
	}

	i := nw.Link(0, "laptop")
	laptop := nw.Nodes[i]
	nodetest.SameState(t, nw.Nodes[0], nw.Nodes[i])
	for id, data := range map[core.MessageID][]byte{oldSent: sent, oldGot: got} {
		mi := hasFile(t, laptop, id)
		if mi.Caption == "" || mi.Chat != core.With(bobID) {
			t.Fatalf("backfilled file on the laptop %+v", mi)
		}
		opens(t, laptop, id, data)
	}
}

// TestEditedCaption: editing a file's caption (its message's text) shows
// in the file's info on both sides, as in history.
func TestEditedCaption(t *testing.T) {
	nw := nodetest.New(t, 2)
	a, b := nw.Nodes[0], nw.Nodes[1]
	ctx := context.Background()
	id := sendFile(t, a, b.Info().Account, randomFile(2000), "plan.txt")
	hasFile(t, b, id)
	if err := a.Actions().Edit(ctx, id, "the new plan"); err != nil {
		t.Fatal(err)
	}
	for _, n := range []*node.Node{a, b} {
		nodetest.Eventually(t, wait, func() bool {
			mi, err := n.Media().Info(ctx, id)
			list, lerr := n.Media().List(ctx, mi.Chat, core.MessageID{}, 10)
			return err == nil && mi.Caption == "the new plan" && lerr == nil && len(list) == 1 && list[0].Caption == "the new plan"
		}, "the edited caption")
	}
}
