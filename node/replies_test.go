package node_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/png"
	"testing"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/media"
	"github.com/pigeon-net/pigeon/node/nodetest"
	"github.com/pigeon-net/pigeon/node/replies"
)

// pngImage returns a w×h PNG with a gradient (the media feature makes a
// preview of it).
func pngImage(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := range w {
		for y := range h {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), uint8(x ^ y), 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// replyOn waits until n holds message id as a reply, and returns what it
// replies to.
func replyOn(t *testing.T, n *node.Node, id core.MessageID) replies.Reply {
	t.Helper()
	var r replies.Reply
	nodetest.Eventually(t, wait, func() bool {
		var ok bool
		var err error
		r, ok, err = n.Replies().Of(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}, "reply %s", id)
	return r
}

// messageOn waits until n holds message id.
func messageOn(t *testing.T, n *node.Node, id core.MessageID) core.Message {
	t.Helper()
	var m core.Message
	nodetest.Eventually(t, wait, func() bool {
		var err error
		m, err = n.Chats().Message(context.Background(), id)
		return err == nil
	}, "message %s", id)
	return m
}

// Replies to texts and files, 1:1 and in a group: the recipient and the
// replier's linked device hold the quote (author, snippet, a file's name
// and preview) and the reply's ReplyTo; the devices of each account end
// in one state.
func TestReplies(t *testing.T) {
	ctx := context.Background()
	nw, gid := nodetest.NewGroup(t, 2)
	alice, bob := nw.Nodes[0], nw.Nodes[1]
	aliceID, bobID := alice.Info().Account, bob.Info().Account
	laptop := nw.Nodes[nw.Link(1, "laptop")] // bob's

	hello := nodetest.Send(t, alice, bobID, "hello bob, how are you?")
	messageOn(t, bob, hello)
	text, err := bob.Chats().SendWith(ctx, aliceID, "fine", core.SendOptions{ReplyTo: hello})
	if err != nil {
		t.Fatal(err)
	}

	groupHello, err := alice.Groups().Send(ctx, gid, "hello group")
	if err != nil {
		t.Fatal(err)
	}
	messageOn(t, bob, groupHello)
	groupText, err := bob.Groups().SendWith(ctx, gid, "hello alice", core.SendOptions{ReplyTo: groupHello})
	if err != nil {
		t.Fatal(err)
	}

	photo := sendFile(t, alice, bobID, pngImage(t, 400, 300), "photo.png")
	hasFile(t, bob, photo)
	toPhoto, err := bob.Chats().SendWith(ctx, aliceID, "nice photo", core.SendOptions{ReplyTo: photo})
	if err != nil {
		t.Fatal(err)
	}
	fileReply, err := bob.Media().Send(ctx, aliceID, bytes.NewReader([]byte("notes")), media.File{Name: "notes.txt", ReplyTo: hello})
	if err != nil {
		t.Fatal(err)
	}
	groupFileReply, err := bob.Media().SendToGroup(ctx, gid, bytes.NewReader([]byte("more")), media.File{Name: "more.txt", ReplyTo: groupHello})
	if err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		name    string
		reply   core.MessageID
		to      core.MessageID
		snippet string
		file    string
	}{
		{"text", text, hello, "hello bob, how are you?", ""},
		{"group text", groupText, groupHello, "hello group", ""},
		{"to a file", toPhoto, photo, "caption of photo.png", "photo.png"},
		{"file", fileReply, hello, "hello bob, how are you?", ""},
		{"group file", groupFileReply, groupHello, "hello group", ""},
	}
	for _, n := range []struct {
		name string
		n    *node.Node
	}{{"alice", alice}, {"bob", bob}, {"bob's laptop", laptop}} {
		for _, c := range cases {
			r := replyOn(t, n.n, c.reply)
			want := replies.Reply{ID: c.to, Author: aliceID, Snippet: c.snippet, HasThumbnail: c.file != "", FileName: c.file, State: replies.StateOK}
			if r != want {
				t.Errorf("%s: %s replies to %+v, want %+v", n.name, c.name, r, want)
			}
			if m := messageOn(t, n.n, c.reply); m.ReplyTo != c.to {
				t.Errorf("%s: %s has ReplyTo %s, want %s", n.name, c.name, m.ReplyTo, c.to)
			}
		}
		thumb, err := n.n.Replies().Thumbnail(ctx, toPhoto)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := image.Decode(bytes.NewReader(thumb)); err != nil || len(thumb) > replies.MaxThumbnail {
			t.Errorf("%s: quote preview of %d bytes does not decode (%v)", n.name, len(thumb), err)
		}
	}
	nodetest.SameState(t, bob, laptop)

	// The original removed here: the quote still names it and its author,
	// as unknown, and keeps nothing of its text.
	if err := alice.DeleteStoredMessage(ctx, hello); err != nil {
		t.Fatal(err)
	}
	r, _, err := alice.Replies().Of(ctx, text)
	if want := (replies.Reply{ID: hello, Author: aliceID, State: replies.StateUnknown}); err != nil || r != want {
		t.Fatalf("reply to a removed message: %+v, %v; want %+v", r, err, want)
	}
}

// A reply names a message of its own chat held here: anything else is
// refused before anything is stored or sent.
func TestReplyToUnknownMessage(t *testing.T) {
	ctx := context.Background()
	nw, gid := nodetest.NewGroup(t, 2)
	alice, bob := nw.Nodes[0], nw.Nodes[1]
	bobID := bob.Info().Account
	inGroup, err := alice.Groups().Send(ctx, gid, "in the group")
	if err != nil {
		t.Fatal(err)
	}
	nodetest.Send(t, alice, bobID, "first") // bob resolvable
	for _, c := range []struct {
		name string
		send func() error
	}{
		{"unknown", func() error {
			_, err := alice.Chats().SendWith(ctx, bobID, "?", core.SendOptions{ReplyTo: core.MessageID{1, 2, 3}})
			return err
		}},
		{"other chat", func() error {
			_, err := alice.Chats().SendWith(ctx, bobID, "?", core.SendOptions{ReplyTo: inGroup})
			return err
		}},
		{"group, unknown", func() error {
			_, err := alice.Groups().SendWith(ctx, gid, "?", core.SendOptions{ReplyTo: core.MessageID{9}})
			return err
		}},
		{"file, unknown", func() error {
			_, err := alice.Media().Send(ctx, bobID, bytes.NewReader([]byte("x")), media.File{Name: "x", ReplyTo: core.MessageID{9}})
			return err
		}},
	} {
		if err := c.send(); !errors.Is(err, replies.ErrNotInChat) {
			t.Errorf("%s: %v, want ErrNotInChat", c.name, err)
		}
	}
	if h := nodetest.History(t, alice, bobID); len(h) != 1 {
		t.Fatalf("alice's chat holds %d messages, want only the first", len(h))
	}
}
