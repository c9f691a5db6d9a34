package node_test

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/media"
	"github.com/pigeon-net/pigeon/node/nodetest"
	"github.com/pigeon-net/pigeon/storage"
)

// TestDeletedMessagesLeaveEveryDevice: two accounts with two devices each
// exchange a 1:1 text, a group text and a 1:1 file with a caption; each is
// deleted on every device (through Store.DeleteMessage, the path of delete
// for everyone and expiry). No read returns them, the file's blocks are
// gone, and once each device compacted, no file of any home (Badger's
// memtable logs, tables, value logs, manifest; the media packs) holds
// their text, the file's caption or its bytes; the nodes' debug logs never
// held them. A text kept is still found, so the search works.
func TestDeletedMessagesLeaveEveryDevice(t *testing.T) {
	ctx := context.Background()
	logs := &lockedBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	nw, gid := nodetest.NewGroup(t, 2, node.WithLogger(logger))
	alice, bob := nw.Nodes[0], nw.Nodes[1]
	aliceID, bobID := alice.Info().Account, bob.Info().Account
	aliceLaptop := nw.Nodes[nw.Link(0, "alice laptop")]
	bobLaptop := nw.Nodes[nw.Link(1, "bob laptop")]
	all := []*node.Node{alice, bob, aliceLaptop, bobLaptop}
	for _, n := range []*node.Node{aliceLaptop, bobLaptop} {
		nodetest.Eventually(t, wait, func() bool { return nodetest.IsMember(n, gid, n.Info().Account) }, "a laptop joins the group")
	}

	secrets := [][]byte{
		[]byte("purge-direct-text-4e1f"), []byte("purge-group-text-9a7c"),
		[]byte("purge-caption-31d0"), []byte("purge-file-bytes-c55b"),
	}
	direct := nodetest.Send(t, alice, bobID, string(secrets[0]))
	group, err := alice.Groups().Send(ctx, gid, string(secrets[1]))
	if err != nil {
		t.Fatal(err)
	}
	data := append(bytes.Repeat([]byte{'x'}, 3000), secrets[3]...)
	var file core.MessageID
	nodetest.Eventually(t, wait, func() bool {
		file, err = alice.Media().Send(ctx, bobID, bytes.NewReader(data), media.File{Name: "notes.txt", Caption: string(secrets[2])})
		return err == nil
	}, "send the file")
	kept := nodetest.Send(t, bob, aliceID, "kept-text-0b9e")

	has := func(n *node.Node, id core.MessageID) bool {
		_, err := n.Chats().Message(ctx, id)
		return err == nil
	}
	for _, n := range all {
		for _, id := range []core.MessageID{direct, group, file, kept} {
			nodetest.Eventually(t, wait, func() bool { return has(n, id) }, "message %s on every device", id)
		}
	}
	for _, n := range all {
		if err := n.Media().Fetch(ctx, file); err != nil {
			t.Fatalf("fetch the file: %v", err)
		}
	}

	for _, n := range all {
		for _, id := range []core.MessageID{direct, group, file} {
			if err := n.DeleteMessage(ctx, id); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, n := range all {
		if err := n.Compact(ctx); err != nil {
			t.Fatal(err)
		}
	}
	for i, n := range all {
		for _, id := range []core.MessageID{direct, group, file} {
			if _, err := n.Chats().Message(ctx, id); !errors.Is(err, storage.ErrNotFound) {
				t.Fatalf("device %d still reads message %s: %v", i, id, err)
			}
		}
		if h := nodetest.GroupHistory(t, n, gid); slices.ContainsFunc(h, func(m core.Message) bool { return m.ID == group }) {
			t.Fatalf("device %d: the group text is in the group's history", i)
		}
		if _, err := n.Media().Info(ctx, file); !errors.Is(err, media.ErrNoMedia) {
			t.Fatalf("device %d: the file is still known: %v", i, err)
		}
		if c, err := n.BlockCount(ctx); err != nil || c != 0 {
			t.Fatalf("device %d holds %d blocks (%v)", i, c, err)
		}
	}
	for i, home := range nw.Homes {
		for _, s := range secrets {
			nodetest.AssertNoPlaintext(t, home, s)
		}
		if i < 2 {
			if found := findIn(t, home, []byte("kept-text-0b9e")); !found {
				t.Errorf("home %d: the text kept is in no file: the search is broken", i)
			}
		}
	}
	for _, s := range secrets {
		if strings.Contains(logs.String(), string(s)) {
			t.Errorf("the logs hold %q", s)
		}
	}
}

// findIn reports whether a file under dir holds marker.
func findIn(t *testing.T, dir string, marker []byte) bool {
	t.Helper()
	found := false
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || found {
			return err
		}
		found, err = nodetest.FileContains(path, marker)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}

// TestRedactedLegacyOpsTransfer: a text whose operation was signed with
// its body inline (before detached bodies), deleted, leaves its op
// redacted without a signature; a device linked afterwards still pulls
// and verifies the whole log (the ops after it link to it), folds the
// rest, and reaches the same state; no home holds the text once
// compacted.
func TestRedactedLegacyOpsTransfer(t *testing.T) {
	ctx := context.Background()
	nw := nodetest.New(t, 2)
	alice, bob := nw.Nodes[0], nw.Nodes[1]
	bobID := bob.Info().Account
	const secret = "purge-legacy-text-62aa"
	before, err := alice.InsertLegacyText(ctx, bobID, "legacy kept text")
	if err != nil {
		t.Fatal(err)
	}
	gone, err := alice.InsertLegacyText(ctx, bobID, secret)
	if err != nil {
		t.Fatal(err)
	}
	after := nodetest.Send(t, alice, bobID, "sent after the legacy ones")
	if err := alice.DeleteMessage(ctx, gone); err != nil {
		t.Fatal(err)
	}
	laptop := nw.Nodes[nw.Link(0, "laptop")]
	for _, id := range []core.MessageID{before, after} {
		nodetest.Eventually(t, wait, func() bool {
			_, err := laptop.Chats().Message(ctx, id)
			return err == nil
		}, "message %s reaches the new device", id)
	}
	nodetest.SameState(t, alice, laptop)
	if _, err := laptop.Chats().Message(ctx, gone); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("the deleted text reached the new device: %v", err)
	}
	for i, n := range []*node.Node{alice, laptop} {
		if err := n.Compact(ctx); err != nil {
			t.Fatal(err)
		}
		nodetest.AssertNoPlaintext(t, nw.Homes[[]int{0, 2}[i]], []byte(secret))
	}
}
