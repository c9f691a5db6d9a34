package webui_test

import (
	"context"
	"testing"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/nodetest"
)

// Edit, react and delete in the browser between two nodes: Alice edits
// her message from its menu and Bob's page shows the new text, "edited"
// and the earlier version; Bob reacts and Alice sees the count and who;
// Alice deletes for everyone and the message leaves Bob's page; Bob
// deletes one of his for himself only.
func TestBrowserEditReactDelete(t *testing.T) {
	br := browser(t)
	nw := nodetest.New(t, 2)
	alice, bob := nw.Nodes[0], nw.Nodes[1]
	befriend(t, nw.Nodes, []string{"Alice", "Bob"})
	aliceID, bobID := alice.Info().Account.String(), bob.Info().Account.String()
	ctx := context.Background()
	var id core.MessageID
	nodetest.Eventually(t, nodetest.Wait, func() bool {
		var err error
		id, err = alice.Chats().Send(ctx, bob.Info().Account, "lunch at 12?")
		return err == nil
	}, "send")
	row := func(id core.MessageID) string { return `.msg[data-id="` + id.String() + `"]` }
	q := func(css string) string { return `document.querySelector(` + js(css) + `)` }

	pa := serveUI(t, alice).open(t, br, "/chat/"+bobID)
	pb := serveUI(t, bob).open(t, br, "/chat/"+aliceID)
	pb.wait(msg("lunch at 12?"), "the message at bob")

	// Alice edits from the message's menu.
	pa.click(row(id) + " .msg-menu-btn")
	pa.wait(q(row(id)+" .msg-menu"), "the menu")
	if eval[bool](pa, `!!`+q(row(id)+" .msg-menu .danger")) != true {
		t.Error("no Delete for everyone on alice's own message")
	}
	pa.click(row(id) + ` .msg-menu .menu-item`) // Edit comes first
	pa.wait(q(".edit-form textarea"), "the edit dialog")
	eval[bool](pa, `((t) => { t.value = 'lunch at 1?'; t.dispatchEvent(new Event('input', { bubbles: true })); return true })(`+q(".edit-form textarea")+`)`)
	pa.click(`.edit-form button[type="submit"]`)
	pa.wait(msg("lunch at 1?"), "the edit on alice's page")
	pb.wait(msg("lunch at 1?")+` && `+msg("lunch at 1?")+`.querySelector('.edited')`, "the edit, marked edited, on bob's page")
	pb.click(row(id) + " .edited")
	pb.wait(`document.querySelectorAll('.versions li').length === 2 && document.querySelector('.versions li[data-version="0"] .text').textContent === 'lunch at 12?'`, "the earlier version")
	pb.click(`dialog[open] button[aria-label="Close"]`)

	// Bob reacts from the menu; Bob's menu has no Edit nor Delete for
	// everyone on Alice's message.
	pb.click(row(id) + " .msg-menu-btn")
	pb.wait(q(row(id)+" .msg-menu"), "bob's menu")
	if n := eval[int](pb, `document.querySelectorAll(`+js(row(id)+" .msg-menu .menu-item")+`).length`); n != 1 {
		t.Errorf("bob's menu on alice's message has %d items, want Delete for me only", n)
	}
	pb.click(row(id) + ` .msg-menu .emoji-btn[aria-label="React 👍"]`)
	pa.wait(q(row(id)+` .reaction[data-emoji="👍"][data-count="1"]`)+` && `+q(row(id)+` .reaction[data-emoji="👍"]`)+`.title === 'Bob'`, "bob's reaction with his name at alice")

	// Alice deletes for everyone: gone on both pages and nodes.
	pa.click(row(id) + " .msg-menu-btn")
	pa.click(row(id) + " .msg-menu .danger")
	pa.wait(`!`+q(row(id)), "the message gone from alice's page")
	pb.wait(`!`+q(row(id)), "the message gone from bob's page")

	// Bob deletes his own message for himself: Alice keeps it.
	var mine core.MessageID
	nodetest.Eventually(t, nodetest.Wait, func() bool {
		var err error
		mine, err = bob.Chats().Send(ctx, alice.Info().Account, "oops")
		return err == nil
	}, "send")
	pb.wait(q(row(mine)), "bob's message on his page")
	pa.wait(q(row(mine)), "bob's message on alice's page")
	pb.click(row(mine) + " .msg-menu-btn")
	items := row(mine) + " .msg-menu .menu-item"
	pb.wait(`[...document.querySelectorAll(`+js(items)+`)].some((b) => b.textContent === 'Delete for me')`, "Delete for me")
	eval[bool](pb, `([...document.querySelectorAll(`+js(items)+`)].find((b) => b.textContent === 'Delete for me').click(), true)`)
	pb.wait(`!`+q(row(mine)), "the message gone from bob's page")
	if _, err := alice.Chats().Message(ctx, mine); err != nil {
		t.Fatalf("a delete for me removed alice's copy: %v", err)
	}
}
