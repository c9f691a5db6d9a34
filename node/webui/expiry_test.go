package webui_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/expiry"
	"github.com/pigeon-net/pigeon/node/nodetest"
)

// Disappearing messages in the browser between two nodes whose expiry
// goes by a manual clock: Alice sets a custom timer of 30 seconds in the
// chat's header; both pages show the notice as a centred line and the
// timer in the header. A message she sends carries the timer mark on both
// pages. Its deadline passing while her page is open takes it off the
// page at once (the page's own timer: the nodes' clock stands still and
// still hold it). Another one leaves both pages when the nodes' clock
// passes its deadline (message_expired), and both nodes drop it. Bob
// then sets the default timer of new chats in Settings.
func TestBrowserDisappearingMessages(t *testing.T) {
	br := browser(t)
	clock := expiry.NewManualClock(time.Now())
	nw := nodetest.New(t, 2, node.WithClock(clock))
	alice, bob := nw.Nodes[0], nw.Nodes[1]
	befriend(t, nw.Nodes, []string{"Alice", "Bob"})
	aliceID, bobID := alice.Info().Account.String(), bob.Info().Account.String()
	ctx := context.Background()
	nodetest.Eventually(t, nodetest.Wait, func() bool {
		_, err := alice.Chats().Send(ctx, bob.Info().Account, "hello")
		return err == nil
	}, "send")
	q := func(css string) string { return `document.querySelector(` + js(css) + `)` }

	pa := serveUI(t, alice).open(t, br, "/chat/"+bobID)
	pb := serveUI(t, bob).open(t, br, "/chat/"+aliceID)
	pb.wait(msg("hello"), "the first message at bob")
	pa.wait(q(`.timer-btn[data-seconds="0"]`), "the timer off in alice's header")

	// A custom timer of 30 seconds from the header's picker.
	pa.click(`.timer-btn`)
	pa.wait(q(`dialog[open] .timer-custom`), "the timer picker")
	eval[bool](pa, `((s) => { s.value = '1'; s.dispatchEvent(new Event('change', { bubbles: true })); return true })(`+q(`.timer-custom select`)+`)`)
	pa.typeInto(`.timer-custom input[name="count"]`, "30")
	pa.click(`.timer-custom button[type="submit"]`)
	pa.wait(`!document.querySelector('dialog[open]')`, "the picker closed")
	notice := `[...document.querySelectorAll('.timer-notice')].find((e) => e.textContent.includes('set disappearing messages to 30 seconds'))`
	for _, p := range []*page{pa, pb} {
		p.wait(notice, "the timer notice")
		p.wait(q(`.timer-btn[data-seconds="30"]`), "the timer in the header")
	}
	if who := eval[string](pa, notice+`.textContent.trim()`); who != "You set disappearing messages to 30 seconds" {
		t.Errorf("alice's notice says %q", who)
	}
	if who := eval[string](pb, notice+`.textContent.trim()`); who != "Alice set disappearing messages to 30 seconds" {
		t.Errorf("bob's notice says %q", who)
	}
	if last := eval[string](pb, `document.querySelector('a.chat-item[data-key="p:`+aliceID+`"]').textContent`); !strings.Contains(last, "Alice set disappearing messages to 30 seconds") {
		t.Errorf("bob's chat list shows %q, not the notice", last)
	}
	if bubble := eval[bool](pb, `!!`+notice+`.querySelector('.bubble')`); bubble {
		t.Error("the notice is a bubble")
	}

	// The page's own timer: the nodes' clock stands still, so no
	// message_expired comes; the page removes the message at its deadline.
	send(pa, "gone soon")
	first := marked(t, pa, pb, "gone soon")
	waitLong(pa, `!`+msg("gone soon"), "the message gone from alice's page at its deadline")
	if _, err := alice.Chats().Message(ctx, first); err != nil {
		t.Fatalf("the node swept on the wall clock, not its own: %v", err)
	}

	// The nodes' deadline: both drop it and both pages follow. Their clock
	// first catches up with the pages' (it stood still while the page's
	// timer ran): a read's countdown starts at the nodes' time, and the
	// pages count down to it on the wall clock.
	clock.Advance(time.Since(clock.Now()))
	send(pa, "vanishing")
	id := marked(t, pa, pb, "vanishing")
	gone := func(n *node.Node) bool {
		_, err := n.Chats().Message(ctx, id)
		return err != nil
	}
	// Each poll moves the nodes' clock on until both swept it.
	nodetest.Eventually(t, 90*time.Second, func() bool {
		clock.Advance(10 * time.Second)
		return gone(alice) && gone(bob)
	}, "the message gone from both nodes after its deadline")
	pa.wait(`!`+msg("vanishing"), "the message gone from alice's page")
	pb.wait(`!`+msg("vanishing"), "the message gone from bob's page")

	// Settings: the default timer of new chats.
	pb.click(`a[href="/settings"]`)
	pb.wait(q(`.default-timer[data-seconds="0"] input[value="3600"]`), "the default timer, off, in settings")
	pb.click(`.default-timer input[value="3600"]`)
	pb.wait(q(`.default-timer[data-seconds="3600"] input[value="3600"]:checked`), "the default timer set to 1 hour")
	if d, err := bob.Expiry().Default(ctx); err != nil || d != time.Hour {
		t.Fatalf("bob's default timer = %v, %v; want 1h", d, err)
	}
}

// send types text into the composer and sends it with Enter.
func send(p *page, text string) {
	p.tb.Helper()
	p.click(`.composer textarea`)
	p.do(typeText(text), enter())
}

// marked waits for text's message on both pages with the timer mark, and
// for bob's node to have started its countdown (his page read it); it
// returns the message's ID.
func marked(t *testing.T, pa, pb *page, text string) core.MessageID {
	t.Helper()
	for _, p := range []*page{pa, pb} {
		p.wait(msg(text)+` && `+msg(text)+`.closest('.msg').querySelector('.expiry-mark[data-expires]:not([data-expires=""])')`, "the timer mark on "+text)
	}
	raw := eval[string](pa, msg(text)+`.closest('.msg').dataset.id`)
	id, err := core.ParseMessageID(raw)
	if err != nil {
		t.Fatalf("message id %q: %v", raw, err)
	}
	return id
}

// waitLong is page.wait with a deadline past a 30 s timer.
func waitLong(p *page, expr, what string) {
	p.tb.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 90*time.Second)
	defer cancel()
	_, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(80*time.Second)))
	if err != nil {
		p.fail("waiting for %s (%s): %v", what, expr, err)
	}
}

// A group's timer from its header: a timer under the minimum is refused
// with an error toast and changes nothing; a preset reaches the other
// member's page as a notice and in the header.
func TestBrowserGroupTimer(t *testing.T) {
	br := browser(t)
	nw, gid := nodetest.NewGroup(t, 2)
	owner, member := nw.Nodes[0], nw.Nodes[1]
	befriend(t, nw.Nodes, []string{"Olga", "Max"})
	po := serveUI(t, owner).open(t, br, "/group/"+gid.String())
	pm := serveUI(t, member).open(t, br, "/group/"+gid.String())
	q := func(css string) string { return `document.querySelector(` + js(css) + `)` }
	po.wait(q(`.timer-btn[data-seconds="0"]`), "the group's timer off in the header")

	po.click(`.timer-btn`)
	po.wait(q(`dialog[open] .timer-custom`), "the timer picker")
	eval[bool](po, `((s) => { s.value = '1'; s.dispatchEvent(new Event('change', { bubbles: true })); return true })(`+q(`.timer-custom select`)+`)`)
	po.typeInto(`.timer-custom input[name="count"]`, "10")
	po.click(`.timer-custom button[type="submit"]`)
	po.wait(`[...document.querySelectorAll('.toast.error')].some((e) => e.textContent.includes('30 seconds to 365 days'))`, "the error toast")
	if tm, err := owner.Expiry().Timer(context.Background(), core.InGroup(gid)); err != nil || tm.After != 0 {
		t.Fatalf("the group's timer after a refused one = %+v, %v; want off", tm, err)
	}

	po.click(`dialog[open] input[type="radio"][value="86400"]`)
	po.wait(`!document.querySelector('dialog[open]')`, "the picker closed")
	notice := `[...document.querySelectorAll('.timer-notice')].find((e) => e.textContent.includes('set disappearing messages to 1 day'))`
	for _, p := range []*page{po, pm} {
		p.wait(notice, "the group's timer notice")
		p.wait(q(`.timer-btn[data-seconds="86400"]`), "the group's timer in the header")
	}
}
