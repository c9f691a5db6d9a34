package backup_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/backup"
	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/media"
	"github.com/pigeon-net/pigeon/node/nodetest"
	"github.com/pigeon-net/pigeon/node/prefs"
	repo "github.com/pigeon-net/pigeon/storage/backup"
)

func texts(t *testing.T, n *node.Node, peer core.AccountID) []string {
	t.Helper()
	var out []string
	for _, m := range nodetest.History(t, n, peer) {
		if m.Kind == core.KindMessage {
			out = append(out, m.Text)
		}
	}
	return out
}

// TestBackupRestore: an account backed up to a folder and restored into
// an empty home is the same account on a new device: the same history,
// contacts and chat settings, the same account state hash as the source
// once both see the new device, and it writes to its contacts at once.
func TestBackupRestore(t *testing.T) {
	ctx := context.Background()
	nw := nodetest.New(t, 2)
	alice, bob := nw.Nodes[0], nw.Nodes[1]
	aliceID, bobID := alice.Info().Account, bob.Info().Account
	if err := alice.Contacts().Add(ctx, bobID, "bob"); err != nil {
		t.Fatal(err)
	}
	nodetest.Send(t, alice, bobID, "hello bob")
	nodetest.Send(t, bob, aliceID, "hi alice")
	nodetest.Eventually(t, nodetest.Wait, func() bool { return len(texts(t, alice, bobID)) == 2 }, "alice has both texts")
	pinned := true
	if _, err := alice.Prefs().Set(ctx, core.With(bobID), prefs.Change{Pinned: &pinned}); err != nil {
		t.Fatal(err)
	}

	dir := t.TempDir()
	b := alice.Backup()
	key, err := b.Setup(ctx, backup.SetupOptions{To: dir})
	if err != nil || len(key) == 0 {
		t.Fatalf("setup: %q %v", key, err)
	}
	if _, err := b.Now(ctx, nil); !errors.Is(err, backup.ErrNotConfirmed) {
		t.Fatalf("a backup before the key was typed back: %v", err)
	}
	other, _ := repo.NewRecoveryKey()
	if err := b.Confirm(ctx, other); !errors.Is(err, backup.ErrKeyMismatch) {
		t.Fatalf("confirm with another key: %v", err)
	}
	if err := b.Confirm(ctx, key); err != nil {
		t.Fatal(err)
	}
	res, err := b.Now(ctx, nil)
	if err != nil || res.Snapshot.ID == "" || res.Stats.Items < 3 {
		t.Fatalf("backup: %+v %v", res, err)
	}
	st, err := b.Status(ctx)
	if err != nil || !st.SetUp || !st.Confirmed || st.LastSnapshot != res.Snapshot.ID || st.KeyCheckDue {
		t.Fatalf("status: %+v %v", st, err)
	}
	if err := b.CheckKey(ctx, other); !errors.Is(err, repo.ErrWrongKey) {
		t.Fatalf("check with another key: %v", err)
	}
	if err := b.CheckKey(ctx, key); err != nil {
		t.Fatal(err)
	}
	if rep, err := b.Verify(ctx, true, nil); err != nil || rep.Snapshots != 1 {
		t.Fatalf("verify: %+v %v", rep, err)
	}

	if _, _, err := node.RestoreBackup(ctx, t.TempDir(), backup.RestoreOptions{From: dir, Key: other}); !errors.Is(err, repo.ErrWrongKey) {
		t.Fatalf("restore with another key: %v", err)
	}
	used := t.TempDir()
	if _, _, err := node.RestoreBackup(ctx, used, backup.RestoreOptions{From: dir, Key: key}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := node.RestoreBackup(ctx, used, backup.RestoreOptions{From: dir, Key: key}); !errors.Is(err, node.ErrHomeInUse) {
		t.Fatalf("restore into a home with an account: %v", err)
	}
	restored := nw.Nodes[nw.Restore(backup.RestoreOptions{From: dir, Key: key})]
	if restored.Info().Account != aliceID || restored.Info().Device == alice.Info().Device {
		t.Fatalf("restored as %s device %d; alice is device %d", restored.Info().Account, restored.Info().Device, alice.Info().Device)
	}
	if got := texts(t, restored, bobID); len(got) != 2 || got[0] != "hello bob" || got[1] != "hi alice" {
		t.Fatalf("restored history: %q", got)
	}
	cs, err := restored.Contacts().List(ctx)
	if err != nil || len(cs) != 1 || cs[0].Account != bobID || cs[0].Name != "bob" {
		t.Fatalf("restored contacts: %+v %v", cs, err)
	}
	if p, err := restored.Prefs().Get(ctx, core.With(bobID)); err != nil || !p.Pinned {
		t.Fatalf("restored prefs: %+v %v", p, err)
	}
	nodetest.Eventually(t, nodetest.Wait, func() bool {
		ds, err := alice.Devices().List(ctx)
		return err == nil && len(ds) == 2
	}, "alice lists the restored device")
	nodetest.SameState(t, alice, restored)
	// Bob's chat with alice says she has a new device (safety numbers,
	// over the account key, stay).
	nodetest.Eventually(t, nodetest.Wait, func() bool {
		for _, m := range nodetest.Notices(t, bob, aliceID) {
			if m.Text == "added a new device" && m.Sender == aliceID {
				return true
			}
		}
		return false
	}, "bob's chat with alice notes her new device")
	// A new device of the account: bob's messages reach it.
	nodetest.Send(t, bob, aliceID, "after the restore")
	nodetest.Eventually(t, nodetest.Wait, func() bool { return len(texts(t, restored, bobID)) == 3 }, "the restored device gets bob's new text")
}

// TestBackupRestoreGroups: a restored device is a member of the account's
// groups (their state comes with the backup) with their history, and
// gets what members send next.
func TestBackupRestoreGroups(t *testing.T) {
	ctx := context.Background()
	nw, gid := nodetest.NewGroup(t, 2)
	alice, bob := nw.Nodes[0], nw.Nodes[1]
	if _, err := bob.Groups().Send(ctx, gid, "before the backup"); err != nil {
		t.Fatal(err)
	}
	nodetest.Eventually(t, nodetest.Wait, func() bool { return len(nodetest.GroupHistory(t, alice, gid)) >= 1 }, "alice has bob's group text")
	dir := t.TempDir()
	if _, err := alice.Backup().Setup(ctx, backup.SetupOptions{To: dir, Passphrase: "a long enough passphrase"}); err != nil {
		t.Fatal(err)
	}
	if _, err := alice.Backup().Now(ctx, nil); err != nil {
		t.Fatal(err)
	}
	restored := nw.Nodes[nw.Restore(backup.RestoreOptions{From: dir, Key: "a long enough passphrase"})]
	info, err := restored.Groups().Info(ctx, gid)
	if err != nil || len(info.Members) != 2 {
		t.Fatalf("the group on the restored device: %+v %v", info, err)
	}
	has := func(n *node.Node, text string) bool {
		for _, m := range nodetest.GroupHistory(t, n, gid) {
			if m.Text == text {
				return true
			}
		}
		return false
	}
	if !has(restored, "before the backup") {
		t.Fatalf("the group's history on the restored device: %+v", nodetest.GroupHistory(t, restored, gid))
	}
	nodetest.Eventually(t, nodetest.Wait, func() bool {
		_, err := bob.Groups().Send(ctx, gid, "after the restore")
		return err == nil
	}, "bob sends")
	nodetest.Eventually(t, nodetest.Wait, func() bool { return has(restored, "after the restore") }, "the restored device gets bob's new group text")
	if _, err := restored.Groups().Send(ctx, gid, "from the restored device"); err != nil {
		t.Fatal(err)
	}
	nodetest.Eventually(t, nodetest.Wait, func() bool { return has(bob, "from the restored device") }, "bob gets the restored device's text")
}

// TestBackupRestoreMedia: backups carry the files the media choice
// takes (here: up to 200 kB), and a restored device has them without
// any holder online; a file left out is still in the history, to be
// fetched again.
func TestBackupRestoreMedia(t *testing.T) {
	ctx := context.Background()
	nw := nodetest.New(t, 2)
	alice, bob := nw.Nodes[0], nw.Nodes[1]
	aliceID, bobID := alice.Info().Account, bob.Info().Account
	small, large := randomBytes(150_000), randomBytes(300_000)
	var sent, got core.MessageID
	var err error
	nodetest.Eventually(t, nodetest.Wait, func() bool {
		sent, err = alice.Media().Send(ctx, bobID, bytes.NewReader(small), media.File{Name: "small.bin"})
		return err == nil
	}, "alice sends a file")
	nodetest.Eventually(t, nodetest.Wait, func() bool {
		got, err = bob.Media().Send(ctx, aliceID, bytes.NewReader(large), media.File{Name: "large.bin"})
		return err == nil
	}, "bob sends a file")
	nodetest.Eventually(t, nodetest.Wait, func() bool { return alice.Media().Fetch(ctx, got) == nil }, "alice downloads bob's file")
	// A disappearing file is never carried (snapshots are kept for months).
	if _, err := alice.Expiry().SetTimer(ctx, core.With(bobID), time.Hour); err != nil {
		t.Fatal(err)
	}
	brief, err := alice.Media().Send(ctx, bobID, bytes.NewReader(randomBytes(1000)), media.File{Name: "brief.bin"})
	if err != nil {
		t.Fatal(err)
	}

	dir := t.TempDir()
	b := alice.Backup()
	const pass = "a long enough passphrase"
	if _, err := b.Setup(ctx, backup.SetupOptions{To: dir, Passphrase: pass, Media: backup.Media{Include: true, MaxSize: 200_000}}); err != nil {
		t.Fatal(err)
	}
	if st, err := b.Status(ctx); err != nil || st.Media != (backup.Media{Include: true, MaxSize: 200_000}) {
		t.Fatalf("status: %+v %v", st, err)
	}
	res, err := b.Now(ctx, nil)
	if err != nil || !slices.ContainsFunc(res.Snapshot.Items, func(it repo.ItemInfo) bool { return it.Name == backup.ItemMedia }) {
		t.Fatalf("backup without the files: %+v %v", res, err)
	}
	// Nobody who holds the files is online when the device is restored.
	nw.Stop(0)
	nw.Stop(1)
	restored := nw.Nodes[nw.Restore(backup.RestoreOptions{From: dir, Key: pass})]
	nodetest.Eventually(t, nodetest.Wait, func() bool {
		info, err := restored.Media().Info(ctx, sent)
		return err == nil && info.State == media.Local
	}, "the backed-up file is on the restored device")
	var buf bytes.Buffer
	if err := restored.Media().WriteLocal(ctx, sent, &buf); err != nil || !bytes.Equal(buf.Bytes(), small) {
		t.Fatalf("the restored file: %d bytes, %v", buf.Len(), err)
	}
	if info, err := restored.Media().Info(ctx, got); err != nil || info.State == media.Local || info.Size != uint64(len(large)) {
		t.Fatalf("the file left out: %+v %v", info, err)
	}
	if err := restored.Media().WriteLocal(ctx, got, io.Discard); !errors.Is(err, media.ErrNotLocal) {
		t.Fatalf("the file left out, written: %v", err)
	}
	if info, err := restored.Media().Info(ctx, brief); err != nil || info.State == media.Local {
		t.Fatalf("the disappearing file: %+v %v", info, err)
	}
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}

func TestRestoreTwice(t *testing.T) {
	ctx := context.Background()
	nw := nodetest.New(t, 2)
	alice, bob := nw.Nodes[0], nw.Nodes[1]
	aliceID, bobID := alice.Info().Account, bob.Info().Account
	nodetest.Send(t, alice, bobID, "before the backup")
	dir := t.TempDir()
	const pass = "a long enough passphrase"
	if _, err := alice.Backup().Setup(ctx, backup.SetupOptions{To: dir, Passphrase: pass}); err != nil {
		t.Fatal(err)
	}
	if _, err := alice.Backup().Now(ctx, nil); err != nil {
		t.Fatal(err)
	}
	// Both restore from the snapshot alone, as machines offline would.
	first, second := t.TempDir(), t.TempDir()
	_, d1, err := node.RestoreBackup(ctx, first, backup.RestoreOptions{From: dir, Key: pass})
	if err != nil {
		t.Fatal(err)
	}
	_, d2, err := node.RestoreBackup(ctx, second, backup.RestoreOptions{From: dir, Key: pass})
	if err != nil {
		t.Fatal(err)
	}
	if d1 == d2 || d1 == alice.Info().Device || d2 == alice.Info().Device {
		t.Fatalf("restored devices %d and %d; alice is device %d", d1, d2, alice.Info().Device)
	}
	r1 := nw.Nodes[nw.Restore(backup.RestoreOptions{From: dir, Key: pass})]
	r2 := nw.Nodes[nw.Restore(backup.RestoreOptions{From: dir, Key: pass})]
	if r1.Info().Device == r2.Info().Device {
		t.Fatalf("both restored nodes are device %d", r1.Info().Device)
	}
	for _, r := range []*node.Node{r1, r2} {
		if got := texts(t, r, bobID); len(got) != 1 || got[0] != "before the backup" {
			t.Fatalf("device %d restored history %q", r.Info().Device, got)
		}
	}
	// Each signs the account's list with itself in it; the newer
	// signature wins (devlists: lists of several key holders are not
	// merged yet), so the second is the one bob's texts reach for sure.
	nodetest.Eventually(t, nodetest.Wait, func() bool {
		ds, err := alice.Devices().List(ctx)
		if err != nil {
			return false
		}
		for _, d := range ds {
			if d.ID == r2.Info().Device {
				return true
			}
		}
		return false
	}, "alice lists the second restored device")
	nodetest.Send(t, bob, aliceID, "to every device")
	for _, r := range []*node.Node{r2, alice} {
		nodetest.Eventually(t, nodetest.Wait, func() bool {
			got := texts(t, r, bobID)
			return len(got) == 2 && got[1] == "to every device"
		}, "device %d gets bob's text", r.Info().Device)
	}
}

func TestSlowProgressDoesNotStallBackup(t *testing.T) {
	ctx := context.Background()
	nw := nodetest.New(t, 2)
	alice, bobID := nw.Nodes[0], nw.Nodes[1].Info().Account
	nodetest.Send(t, alice, bobID, "a text to back up")
	dir := t.TempDir()
	if _, err := alice.Backup().Setup(ctx, backup.SetupOptions{To: dir, Passphrase: "a long enough passphrase"}); err != nil {
		t.Fatal(err)
	}
	snapshotThere := func() bool {
		es, err := os.ReadDir(filepath.Join(dir, "snapshots"))
		return err == nil && len(es) > 0
	}
	var (
		calls   int
		stalled bool
		last    backup.Progress
	)
	res, err := alice.Backup().Now(ctx, func(p backup.Progress) {
		calls++
		last = p
		if calls > 1 {
			return
		}
		deadline := time.Now().Add(nodetest.Wait)
		for !snapshotThere() {
			if time.Now().After(deadline) {
				stalled = true
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if stalled {
		t.Fatal("the snapshot was not written while the progress callback waited for it")
	}
	if last.ItemsDone != res.Stats.Items || last.Uploaded != res.Stats.Uploaded {
		t.Fatalf("last progress %+v, the backup's stats %+v", last, res.Stats)
	}
}

// TestRestoreFromMissingFolder: a mistyped folder is named as such, and
// no empty folder is made there.
func TestRestoreFromMissingFolder(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "no-such-backups")
	home := t.TempDir()
	_, _, err := node.RestoreBackup(context.Background(), home, backup.RestoreOptions{From: missing, Key: "a long enough passphrase"})
	if !errors.Is(err, repo.ErrNotFound) || !strings.Contains(err.Error(), "check the path") {
		t.Fatalf("restore from a missing folder: %v", err)
	}
	if _, err := os.Stat(missing); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the missing folder was made: %v", err)
	}
	for _, name := range []string{"restored-acctlog", "restored-groups", "restored-media"} {
		if _, err := os.Stat(filepath.Join(home, name)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s left in the home: %v", name, err)
		}
	}
}

// TestChangeKey: a lost key is replaced from the device that holds the
// current one: the snapshots made so far open with the new key, the old
// one opens nothing, and a new recovery key must be typed back before
// backups run again.
func TestChangeKey(t *testing.T) {
	ctx := context.Background()
	nw := nodetest.New(t, 1)
	alice := nw.Nodes[0]
	dir := t.TempDir()
	b := alice.Backup()
	const old = "the passphrase I forgot"
	if _, err := b.Setup(ctx, backup.SetupOptions{To: dir, Passphrase: old}); err != nil {
		t.Fatal(err)
	}
	first, err := b.Now(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	key, err := b.ChangeKey(ctx, "")
	if err != nil || len(key) < 64 {
		t.Fatalf("change to a recovery key: %q %v", key, err)
	}
	if _, err := b.Now(ctx, nil); !errors.Is(err, backup.ErrNotConfirmed) {
		t.Fatalf("a backup before the new key was typed back: %v", err)
	}
	if err := b.Confirm(ctx, key); err != nil {
		t.Fatal(err)
	}
	if err := b.CheckKey(ctx, key); err != nil {
		t.Fatalf("check the new key: %v", err)
	}
	if snaps, err := b.Snapshots(ctx); err != nil || len(snaps) != 1 || snaps[0].ID != first.Snapshot.ID {
		t.Fatalf("the snapshot made under the old key: %+v %v", snaps, err)
	}
	if _, err := b.Now(ctx, nil); err != nil {
		t.Fatal(err)
	}
	// The repository asks for a recovery key now: the old passphrase is
	// not even one.
	if _, _, err := node.RestoreBackup(ctx, t.TempDir(), backup.RestoreOptions{From: dir, Key: old}); !errors.Is(err, repo.ErrBadRecoveryKey) {
		t.Fatalf("restore with the old key: %v", err)
	}
	if _, _, err := node.RestoreBackup(ctx, t.TempDir(), backup.RestoreOptions{From: dir, Key: key}); err != nil {
		t.Fatalf("restore with the new key: %v", err)
	}
	// And back to a passphrase: no confirmation needed (typed twice).
	if k, err := b.ChangeKey(ctx, "a brand new passphrase"); err != nil || k != "" {
		t.Fatalf("change to a passphrase: %q %v", k, err)
	}
	if st, err := b.Status(ctx); err != nil || st.RecoveryKey || !st.Confirmed {
		t.Fatalf("status after the change: %+v %v", st, err)
	}
	if _, _, err := node.RestoreBackup(ctx, t.TempDir(), backup.RestoreOptions{From: dir, Key: key}); !errors.Is(err, repo.ErrWrongKey) {
		t.Fatalf("restore with the replaced recovery key: %v", err)
	}
}
