package webui_test

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/node/nodetest"
)

// A stranger's message shows under "Message requests", not in the chat
// list; accepting it moves the chat there, named by the stranger's
// profile and with its avatar. The user's own name is set in settings.
func TestScreenMessageRequestAccept(t *testing.T) {
	br := browser(t)
	nw := nodetest.New(t, 2)
	alice, bob := nw.Nodes[0], nw.Nodes[1]
	ctx := context.Background()
	aID, bID := alice.Info().Account, bob.Info().Account
	var img bytes.Buffer
	if err := png.Encode(&img, image.NewGray(image.Rect(0, 0, 8, 8))); err != nil {
		t.Fatal(err)
	}
	if err := alice.Profiles().SetName(ctx, "Alice Liddell"); err != nil {
		t.Fatal(err)
	}
	if err := alice.Profiles().SetAvatar(ctx, img.Bytes()); err != nil {
		t.Fatal(err)
	}
	nodetest.Eventually(t, 30*time.Second, func() bool {
		_, err := alice.Chats().Send(ctx, bID, "hello, we met at the station")
		return err == nil
	}, "alice writes to bob")

	pb := serveUI(t, bob).open(t, br, "/")
	pb.wait(`document.querySelector('#requests-entry')?.textContent.includes('1')`, "the requests entry")
	pb.wait(`!document.querySelector('a.chat-item[data-key="p:`+aID.String()+`"]')`, "no request in the chat list")
	pb.click(`#requests-entry`)
	pb.wait(`document.querySelector('li.request[data-account="`+aID.String()+`"]')?.textContent.includes('Alice Liddell')`, "the request, by profile name")
	pb.click(`li.request[data-account="` + aID.String() + `"] .btn.primary`)
	pb.wait(`document.querySelector('a.chat-item[data-key="p:`+aID.String()+`"]')?.textContent.includes('Alice Liddell')`, "the accepted chat in the list")
	pb.wait(`!!document.querySelector('a.chat-item[data-key="p:`+aID.String()+`"] img.avatar-img')`, "the avatar in the chat list")
	pb.wait(`!document.querySelector('#requests-entry')`, "no requests left")
	if rs, err := bob.Contacts().Requests(ctx); err != nil || len(rs) != 0 {
		t.Fatalf("requests at bob's node: %v %v", rs, err)
	}

	// Bob sets his own name in settings; alice's node gets it.
	pb.click(`a[href="/settings"]`)
	pb.wait(`!!document.querySelector('#profile-name')`, "the profile card")
	pb.typeInto(`#profile-name`, "Bob Builder")
	pb.click(`.profile-card form button[type="submit"]`)
	nodetest.Eventually(t, 30*time.Second, func() bool {
		p, err := alice.Profiles().Get(ctx, bID)
		return err == nil && p.Name == "Bob Builder"
	}, "alice has bob's new name")
}
