package backup_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/backup"
	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/expiry"
	"github.com/pigeon-net/pigeon/node/nodetest"
	"github.com/pigeon-net/pigeon/node/search"
	"github.com/pigeon-net/pigeon/storage"
)

// TestRestoreDisappearing: a disappearing message whose deadline passed
// between the backup and the restore is not on the restored device (nor
// found by search); one not yet due is, and disappears there on time; a
// message deleted for everyone before the backup stays deleted.
func TestRestoreDisappearing(t *testing.T) {
	ctx := context.Background()
	clk := expiry.NewManualClock(time.Now())
	nw := nodetest.New(t, 2, node.WithClock(clk))
	alice, bob := nw.Nodes[0], nw.Nodes[1]
	bobID := bob.Info().Account
	setTimer := func(d time.Duration) {
		nodetest.Eventually(t, nodetest.Wait, func() bool {
			_, err := alice.Expiry().SetTimer(ctx, core.With(bobID), d)
			if err != nil && !errors.Is(err, core.ErrUnknownAccount) {
				t.Fatal(err)
			}
			return err == nil
		}, "alice sets a timer of %v", d)
	}

	// Outgoing messages count down from their send (stamped with the
	// wall clock; the timers run on clk, which starts there).
	setTimer(time.Hour)
	early := nodetest.Send(t, alice, bobID, "pelican sent first")
	setTimer(3 * time.Hour)
	late := nodetest.Send(t, alice, bobID, "albatross sent later")
	deleted := nodetest.Send(t, alice, bobID, "cormorant deleted for everyone")
	if err := alice.Actions().Delete(ctx, deleted, true); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	const pass = "a long enough passphrase"
	if _, err := alice.Backup().Setup(ctx, backup.SetupOptions{To: dir, Passphrase: pass}); err != nil {
		t.Fatal(err)
	}
	res, err := alice.Backup().Now(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Stats.Items < 3 {
		t.Fatalf("backup: %+v", res.Stats)
	}
	clk.Advance(2 * time.Hour) // past the first deadline, not the second

	r := nw.Nodes[nw.Restore(backup.RestoreOptions{From: dir, Key: pass})]
	has := func(id core.MessageID) bool {
		_, err := r.Chats().Message(ctx, id)
		if err != nil && !errors.Is(err, storage.ErrNotFound) {
			t.Fatal(err)
		}
		return err == nil
	}
	found := func(word string) bool {
		res, err := r.Search().Query(ctx, word, search.Options{})
		if err != nil {
			t.Fatal(err)
		}
		return len(res.Hits) > 0
	}
	if !has(late) {
		t.Fatalf("the message not yet due is not restored; history: %+v", nodetest.History(t, r, bobID))
	}
	m, err := r.Chats().Message(ctx, late)
	if err != nil || m.ExpireAfter != 3*time.Hour || !m.ExpiresAt.Equal(m.SentAt.Add(3*time.Hour)) {
		t.Fatalf("the restored disappearing message: %+v (%v), want its deadline", m, err)
	}
	if !found("albatross") {
		t.Fatal("search does not find the restored message not yet due")
	}
	nodetest.Eventually(t, nodetest.Wait, func() bool { return !has(early) && !found("pelican") }, "the message due before the restore is gone")
	if has(deleted) || found("cormorant") {
		t.Fatal("the message deleted for everyone came back with the restore")
	}
	for _, m := range nodetest.History(t, r, bobID) {
		if m.ID == early || m.ID == deleted {
			t.Fatalf("restored history holds %+v", m)
		}
	}

	clk.Advance(time.Hour + time.Minute) // past the second deadline
	nodetest.Eventually(t, nodetest.Wait, func() bool { return !has(late) && !found("albatross") }, "the restored message disappears on time")
}
