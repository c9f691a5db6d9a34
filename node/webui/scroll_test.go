package webui_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/protocol/identity"
)

// Scrolling up through a long chat keeps what is on screen where the
// scroll puts it: older pages put before it, the window of rows moving,
// and rows the browser lays out only once they come near the screen
// (content-visibility) never make it jump. Messages of one to six lines,
// so that no row is the height the list guesses for rows not laid out yet.
func TestBrowserScrollUpKeepsPlace(t *testing.T) {
	const messages = 400
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
		lines := make([]string, 1+i*7%6)
		for j := range lines {
			lines[j] = fmt.Sprintf("message %d, line %d", i, j)
		}
		return strings.Join(lines, "\n")
	})
	n = startStandalone(t, home)
	if err := n.Contacts().Add(context.Background(), core.AccountID(peer), "Bob"); err != nil {
		t.Fatal(err)
	}
	u := serveUI(t, n)
	p := u.open(t, browser(t), "/chat/"+peer.String())
	p.wait(`document.querySelectorAll('.messages .msg').length > 0`, "the chat's newest messages")
	// The chat opens at its newest message, however tall the rows turn out.
	below := eval[float64](p, `(async () => {
		const el = document.querySelector('.messages');
		for (let i = 0; i < 3; i++) await new Promise((ok) => requestAnimationFrame(ok));
		return el.scrollHeight - el.scrollTop - el.clientHeight;
	})()`)
	if below > 1 {
		t.Fatalf("the chat opened %.0f px above its newest message", below)
	}

	// step scrolls up by 150 px once the list is at rest (no page
	// loading, a frame after the last change) and returns how far the row
	// at the middle of the list's box moved on screen and how far the
	// list scrolled, or null at the top of the chat.
	const step = `(async () => {
		const el = document.querySelector('.messages');
		const frame = () => new Promise((ok) => requestAnimationFrame(ok));
		const rest = async () => {
			for (let i = 0; i < 1000; i++) {
				const sig = el.dataset.start + ' ' + el.dataset.total;
				await frame();
				await frame();
				if (!el.querySelector('.older[role="status"]') && sig === el.dataset.start + ' ' + el.dataset.total) return;
			}
			throw new Error('the list never came to rest');
		};
		await rest();
		if (el.scrollTop < 150) return null;
		const box = el.getBoundingClientRect();
		const mid = box.top + box.height / 2;
		const row = [...el.querySelectorAll('.msg[data-id]')].find((r) => r.getBoundingClientRect().bottom > mid);
		const y0 = row.getBoundingClientRect().top;
		el.scrollTop -= 150;
		await frame();
		await rest();
		return { id: row.dataset.id, moved: row.getBoundingClientRect().top - y0, connected: row.isConnected };
	})()`
	type moved struct {
		ID        string  `json:"id"`
		Moved     float64 `json:"moved"`
		Connected bool    `json:"connected"`
	}
	steps := 0
	for ; steps < 400; steps++ {
		m := eval[*moved](p, step)
		if m == nil {
			break
		}
		if !m.Connected {
			continue // the window moved past it
		}
		if m.Moved < 149 || m.Moved > 151 {
			t.Fatalf("step %d: scrolled up 150 px, message %s moved %.1f px on screen", steps, m.ID, m.Moved)
		}
	}
	total := eval[int](p, `+document.querySelector('.messages').dataset.total`)
	if total != messages {
		t.Fatalf("after %d steps up, %d messages of %d loaded: the older pages did not come", steps, total, messages)
	}
	t.Logf("%d steps of 150 px up, %d messages loaded", steps, total)
}
