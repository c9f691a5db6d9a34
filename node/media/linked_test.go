package media_test

import (
	"bytes"
	"context"
	"sync"
	"testing"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/media"
	"github.com/pigeon-net/pigeon/node/nodetest"
)

// A file sent from one device of an account shows on its other device at
// once, by reference, and opens there: the blocks come from the device
// that sent it (the recipient, which does not fetch it, holds none).
// A file received reaches both devices once.
func TestMediaOnSiblingDevice(t *testing.T) {
	ctx := context.Background()
	nw := nodetest.New(t, 2)
	alice, bob := nw.Nodes[0], nw.Nodes[1]
	aliceID, bobID := alice.Info().Account, bob.Info().Account
	if err := bob.Media().SetAutoDownload(ctx, core.Chat{}, 0); err != nil {
		t.Fatal(err)
	}
	i := nw.Link(0, "laptop")
	laptop := nw.Nodes[i]
	if err := laptop.Media().SetAutoDownload(ctx, core.Chat{}, 0); err != nil {
		t.Fatal(err)
	}
	nodetest.Eventually(t, wait, func() bool {
		ds, err := bob.Contacts().Devices(ctx, aliceID, false)
		return err == nil && len(ds) == 2
	}, "bob learns of alice's second device")

	data := testFile(300 << 10)
	id := sendMedia(t, alice, bobID, data, media.File{Name: "notes.bin", Caption: "from the phone"})
	nodetest.Eventually(t, wait, func() bool { return mediaState(t, laptop, id) == media.Remote }, "the laptop shows the file")
	mi, err := laptop.Media().Info(ctx, id)
	if err != nil || mi.Direction != core.Outgoing || mi.Name != "notes.bin" || mi.Caption != "from the phone" ||
		mi.Size != uint64(len(data)) || mi.Chat != core.With(bobID) {
		t.Fatalf("the laptop's file %+v (%v)", mi, err)
	}
	if h := nodetest.History(t, laptop, bobID); len(h) != 1 || h[0].ID != id || h[0].Text != "from the phone" || h[0].Direction != core.Outgoing {
		t.Fatalf("the laptop's history %+v", h)
	}
	if err := laptop.Media().Fetch(ctx, id); err != nil {
		t.Fatal(err)
	}
	if got := readSaved(t, laptop, id); !bytes.Equal(got, data) {
		t.Fatal("the file opened on the laptop differs")
	}
	if st := mediaState(t, bob, id); st != media.Remote {
		t.Fatalf("bob's copy is %s: the laptop may have fetched from bob", st)
	}

	// Received: both devices have it from bob, once.
	back := testFile(10 << 10)
	rid := sendMedia(t, bob, aliceID, back, media.File{Name: "reply.bin"})
	for _, n := range []*node.Node{alice, laptop} {
		nodetest.Eventually(t, wait, func() bool { return mediaState(t, n, rid) != 0 }, "the reply reached a device of alice")
	}
	if err := laptop.Media().Fetch(ctx, rid); err != nil {
		t.Fatal(err)
	}
	if got := readSaved(t, laptop, rid); !bytes.Equal(got, back) {
		t.Fatal("the reply opened on the laptop differs")
	}
	for _, n := range []*node.Node{alice, laptop} {
		list, err := n.Media().List(ctx, core.With(bobID), core.MessageID{}, 10)
		if err != nil || len(list) != 2 || list[0].ID != id || list[1].ID != rid {
			t.Fatalf("files %+v (%v), want the file sent and the reply", list, err)
		}
	}
	nodetest.SameState(t, nw.Nodes[0], nw.Nodes[i])
}

// The auto-download limit is a setting of the account: set on one device
// it holds on the other; set on both at once, both end with one value.
func TestAutoDownloadOnEveryDevice(t *testing.T) {
	ctx := context.Background()
	nw := nodetest.New(t, 1)
	phone := nw.Nodes[0]
	i := nw.Link(0, "laptop")
	laptop := nw.Nodes[i]
	peer := core.With(core.AccountID{7})
	limits := func(n *node.Node) (def, chat int64) {
		def, err := n.Media().AutoDownload(ctx, core.Chat{})
		if err != nil {
			t.Fatal(err)
		}
		chat, err = n.Media().AutoDownload(ctx, peer)
		if err != nil {
			t.Fatal(err)
		}
		return def, chat
	}

	if err := phone.Media().SetAutoDownload(ctx, core.Chat{}, 1234); err != nil {
		t.Fatal(err)
	}
	if err := laptop.Media().SetAutoDownload(ctx, peer, 99); err != nil {
		t.Fatal(err)
	}
	for _, n := range []*node.Node{phone, laptop} {
		nodetest.Eventually(t, wait, func() bool {
			def, chat := limits(n)
			return def == 1234 && chat == 99
		}, "the limits set on either device hold on both")
	}
	if err := phone.Media().SetAutoDownload(ctx, peer, -1); err != nil {
		t.Fatal(err)
	}
	nodetest.Eventually(t, wait, func() bool { _, chat := limits(laptop); return chat == 1234 }, "the chat's override is removed on the laptop")

	// Concurrent changes, many on each side: one value wins everywhere.
	var wg sync.WaitGroup
	for k, n := range []*node.Node{phone, laptop} {
		wg.Go(func() {
			for v := range 20 {
				if err := n.Media().SetAutoDownload(ctx, core.Chat{}, int64(1000*(k+1)+v)); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	nodetest.SameState(t, nw.Nodes[0], nw.Nodes[i])
	a, _ := limits(phone)
	b, _ := limits(laptop)
	if a != b || (a != 1019 && a != 2019) {
		t.Fatalf("the devices ended with limits %d and %d, want one of the last values set", a, b)
	}
}

// A group file sent from one device of an account reaches its other
// device through the group as a file the account sent, as the account
// log records it (a linked device folds it so).
func TestGroupMediaFromSiblingDevice(t *testing.T) {
	ctx := context.Background()
	nw, gid := nodetest.NewGroup(t, 2)
	alice := nw.Nodes[0]
	aliceID := alice.Info().Account
	i := nw.Link(0, "laptop")
	laptop := nw.Nodes[i]
	nodetest.Eventually(t, wait, func() bool { return nodetest.IsMember(laptop, gid, aliceID) }, "the laptop joins the group")
	data := testFile(20 << 10)
	id, err := alice.Media().SendToGroup(ctx, gid, bytes.NewReader(data), media.File{Name: "trip.bin"})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []*node.Node{laptop, nw.Nodes[1]} {
		nodetest.Eventually(t, wait, func() bool { return mediaState(t, n, id) == media.Local }, "the file reached a member")
	}
	mi, err := laptop.Media().Info(ctx, id)
	if err != nil || mi.Direction != core.Outgoing || mi.Chat != core.InGroup(gid) {
		t.Fatalf("the laptop's file %+v (%v), want one alice sent to the group", mi, err)
	}
	if got := readSaved(t, laptop, id); !bytes.Equal(got, data) {
		t.Fatal("the file opened on the laptop differs")
	}
	if mi, err := nw.Nodes[1].Media().Info(ctx, id); err != nil || mi.Direction != core.Incoming {
		t.Fatalf("bob's file %+v (%v), want one received", mi, err)
	}
	nodetest.SameState(t, nw.Nodes[0], nw.Nodes[i])
}
