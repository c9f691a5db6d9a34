package webui_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/nodetest"
)

// Replies in the browser: Alice answers Bob's newest message with the
// reply button (the composer shows what she answers, her message shows the
// quote, her node holds it as a reply); Bob's reply to a message 260 back
// (not on the page) arrives with its quote, and clicking the quote loads
// older pages until the original is there, brings it into the window of
// rows, scrolls to it and highlights it.
func TestScreenReplies(t *testing.T) {
	br := browser(t)
	nw := nodetest.New(t, 2)
	alice, bob := nw.Nodes[0], nw.Nodes[1]
	befriend(t, nw.Nodes, []string{"Alice", "Bob"})
	ctx := context.Background()
	aliceID, bobID := alice.Info().Account, bob.Info().Account

	original := nodetest.Send(t, bob, aliceID, "the original question")
	for i := range 260 {
		nodetest.Send(t, bob, aliceID, fmt.Sprintf("filler %d", i))
	}
	nodetest.Eventually(t, 30*time.Second, func() bool {
		h, err := alice.Chats().History(ctx, bobID, core.MessageID{}, 300)
		return err == nil && len(h) == 261
	}, "alice has bob's messages")

	pa := serveUI(t, alice).open(t, br, "/chat/"+bobID.String())
	pa.wait(msg("filler 259"), "bob's newest message")
	pa.do(chromedp.Evaluate[chromedp.Void](msg("filler 259") + `.querySelector('.reply-btn').click()`))
	pa.wait(`document.querySelector('.reply-bar .quote-text')?.textContent === 'filler 259'`, "the composer shows what alice answers")
	pa.typeInto(".composer textarea", "answer to 259")
	pa.do(enter())
	pa.wait(msg("answer to 259")+`?.querySelector('.quote .quote-text')?.textContent === 'filler 259'`, "alice's reply shows its quote")
	pa.wait(`!document.querySelector('.reply-bar')`, "the reply bar gone after sending")
	nodetest.Eventually(t, 30*time.Second, func() bool {
		h, err := alice.Chats().History(ctx, bobID, core.MessageID{}, 1)
		return err == nil && len(h) == 1 && h[0].Text == "answer to 259" && !h[0].ReplyTo.IsZero()
	}, "alice's node holds her reply as one")

	if _, err := bob.Chats().SendWith(ctx, aliceID, "about that question", core.SendOptions{ReplyTo: original}); err != nil {
		t.Fatal(err)
	}
	quote := msg("about that question") + `?.querySelector('.quote')`
	pa.wait(quote+`?.dataset.quoteState === 'ok' && `+quote+`.querySelector('.quote-text').textContent === 'the original question'`, "bob's reply with its quote, live")
	origRow := `document.querySelector('.msg[data-id="` + original.String() + `"]')`
	// The page loads older pages by itself as it settles: the original is
	// then loaded but outside the window of rows in the DOM (at most 200),
	// or not loaded yet; either way not on the page.
	if eval[bool](pa, `!!`+origRow) {
		t.Fatal("the original is already on the page: the test wants it off the page")
	}

	pa.do(chromedp.Evaluate[chromedp.Void](quote + `.click()`))
	pa.wait(origRow+`?.classList.contains('highlight')`, "the original loaded, shown and highlighted")
}

// Chat preferences in the browser: Alice pins Bob's chat from its menu
// (a pin mark, first in the list), mutes it (a muted mark), archives it
// (it moves to the archived section); her node holds each change.
func TestScreenChatPrefs(t *testing.T) {
	br := browser(t)
	nw := nodetest.New(t, 3)
	alice, bob, carol := nw.Nodes[0], nw.Nodes[1], nw.Nodes[2]
	befriend(t, nw.Nodes, []string{"Alice", "Bob", "Carol"})
	ctx := context.Background()
	aliceID := alice.Info().Account
	bobChat := core.With(bob.Info().Account)
	nodetest.Send(t, bob, aliceID, "from bob")
	nodetest.Send(t, carol, aliceID, "from carol") // newer: first until bob's is pinned
	nodetest.Eventually(t, 30*time.Second, func() bool {
		cs, err := alice.Chats().Conversations(ctx)
		return err == nil && len(cs) == 2
	}, "alice has both chats")

	pa := serveUI(t, alice).open(t, br, "/")
	item := `document.querySelector('a.chat-item[data-key="p:` + bob.Info().Account.String() + `"]')`
	menu := func(label string) {
		t.Helper()
		pa.do(chromedp.Evaluate[chromedp.Void](item + `.parentElement.querySelector('.chat-menu > button').click()`))
		pa.wait(`[...document.querySelectorAll('.chat-menu .menu button')].some((b) => b.textContent === `+js(label)+`)`, "the menu open with "+label)
		pa.do(chromedp.Evaluate[chromedp.Void](`[...document.querySelectorAll('.chat-menu .menu button')].find((b) => b.textContent === ` + js(label) + `).click()`))
	}
	pa.wait(item+` && document.querySelectorAll('a.chat-item')[1] === `+item, "bob's chat second")

	menu("Pin")
	pa.wait(item+`?.querySelector('.i-pin') && document.querySelectorAll('a.chat-item')[0] === `+item, "bob's chat pinned on top")
	menu("Mute always")
	pa.wait(item+`?.querySelector('.i-mute')`, "bob's chat marked muted")
	nodetest.Eventually(t, 30*time.Second, func() bool {
		p, err := alice.Prefs().Get(ctx, bobChat)
		return err == nil && p.Pinned && alice.Prefs().Muted(ctx, bobChat)
	}, "alice's node holds the pin and the mute")

	menu("Archive")
	pa.wait(`document.querySelectorAll('.sidebar > .chats > li > a.chat-item').length === 1 && document.querySelector('.archived-toggle')?.textContent.includes('Archived (1)')`, "bob's chat in the archived section")
	pa.click(".archived-toggle")
	pa.wait(`!!document.querySelector('ul[aria-label="Archived chats"] a.chat-item[data-key="p:`+bob.Info().Account.String()+`"]')`, "bob's chat listed when the section opens")
	nodetest.Eventually(t, 30*time.Second, func() bool {
		p, err := alice.Prefs().Get(ctx, bobChat)
		return err == nil && p.Archived
	}, "alice's node holds the archive")
}
