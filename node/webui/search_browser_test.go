package webui_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/protocol/identity"
)

// The search box over the chat list: typing searches every chat's
// history, results show chat and snippet with the matches marked (and
// message text as text, never markup), and clicking a result opens its
// chat at the message, paging back through older messages to reach it.
func TestBrowserSearch(t *testing.T) {
	const messages = 300
	const target = 20 // six pages back from the newest
	home := t.TempDir()
	n := startStandalone(t, home)
	me := n.Info().Account
	peerAcct, err := identity.NewAccount()
	if err != nil {
		t.Fatal(err)
	}
	peer := peerAcct.ID()
	n.Close()
	seedChat(t, home, identity.AccountID(me), peer, messages, func(i int) string {
		switch i {
		case target:
			return `Grüße aus Zürich <img src=x onerror="document.body.dataset.xss=1">`
		case messages - 2:
			return "zurück nach Hause"
		}
		return fmt.Sprintf("message %d: a line of text of about the length people write", i)
	})
	n = startStandalone(t, home)
	if err := n.Contacts().Add(context.Background(), core.AccountID(peer), "Bob"); err != nil {
		t.Fatal(err)
	}
	u := serveUI(t, n)
	p := u.open(t, browser(t), "/")
	p.click("#message-search")
	p.typeInto("#message-search", "zur")
	p.wait(`document.querySelectorAll('.search-results .search-hit').length === 2`, "two results")
	got := eval[[]string](p, `[...document.querySelectorAll('.search-results .search-hit')].map((a) =>
		a.querySelector('.name').textContent + '|' + [...a.querySelectorAll('mark')].map((m) => m.textContent).join(',') + '|' + a.querySelector('.snippet').textContent.trim())`)
	want := []string{
		"Bob|zur|zurück nach Hause",
		`Bob|Zür|Grüße aus Zürich <img src=x onerror="document.body.dataset.xss=1">`,
	}
	if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("results:\n%q\nwant\n%q", got, want)
	}
	if eval[bool](p, `!!document.querySelector('.search-results img') || !!document.body.dataset.xss`) {
		t.Fatal("a message's text became markup")
	}

	// The older hit: its chat opens at it, pages back loaded.
	p.click(`.search-results li:last-child .search-hit`)
	p.wait(`location.pathname === '/chat/`+peer.String()+`'`, "the chat to open")
	p.wait(`(() => {
		const row = document.querySelector('.messages .msg.found');
		if (!row || !row.textContent.includes('Grüße aus Zürich')) return false;
		const box = document.querySelector('.messages').getBoundingClientRect();
		const r = row.getBoundingClientRect();
		return r.top >= box.top && r.bottom <= box.bottom;
	})()`, "the message on screen, marked")

	// A query the index refuses says why.
	eval[bool](p, `(() => {
		const i = document.querySelector('#message-search');
		i.value = '';
		return i.dispatchEvent(new Event('input', { bubbles: true }));
	})()`)
	p.typeInto("#message-search", "?!")
	p.wait(`(document.querySelector('.search-results [role="alert"]') || {}).textContent?.includes('empty query')`, "the empty-query advice")
}
