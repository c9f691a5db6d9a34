package webui_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/nodetest"
)

// msg is a JavaScript expression for the message row whose text is text.
func msg(text string) string {
	return `[...document.querySelectorAll('.msg')].find((e) => (e.querySelector('.text') || {}).textContent === ` + js(text) + `)`
}

// msgState is a JavaScript expression: the message row whose text is
// text is there and in state.
func msgState(text, state string) string {
	return `((e) => !!e && e.dataset.state === '` + state + `')(` + msg(text) + `)`
}

// befriend makes every node a contact of every other, named as given.
func befriend(t *testing.T, nodes []*node.Node, names []string) {
	t.Helper()
	ctx := context.Background()
	for i, a := range nodes {
		for j, b := range nodes {
			if i != j {
				if err := a.Contacts().Add(ctx, b.Info().Account, names[j]); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
}

// Two people chat: a message typed and sent with Enter goes from pending
// or sent to delivered, shows up live on the other side with an unread
// count in the chat list and the tab title, and turns read (blue ticks)
// when the other opens the chat; typing shows on the other side, and the
// reply arrives live.
func TestBrowserChatTicksToRead(t *testing.T) {
	br := browser(t)
	nw := nodetest.New(t, 2)
	alice, bob := nw.Nodes[0], nw.Nodes[1]
	befriend(t, nw.Nodes, []string{"Alice", "Bob"})
	aliceID, bobID := alice.Info().Account.String(), bob.Info().Account.String()

	pa := serveUI(t, alice).open(t, br, "/chat/"+bobID)
	pb := serveUI(t, bob).open(t, br, "/")

	pa.typeInto(".composer textarea", "hello bob")
	pa.do(enter())
	pa.wait(msg("hello bob"), "alice's message in her chat")
	if v := eval[string](pa, `document.querySelector('.composer textarea').value`); v != "" {
		t.Errorf("composer still holds %q after Enter", v)
	}
	pa.wait(msgState("hello bob", "delivered"), "alice's message delivered")
	if cls := eval[string](pa, msg("hello bob")+`.querySelector('.tick').className`); cls == "" {
		t.Error("no tick on the delivered message")
	}

	// Bob: the chat shows up at the top of his list, unread, and the tab
	// title counts it.
	item := `document.querySelector('a.chat-item[data-key="p:` + aliceID + `"]')`
	pb.wait(item+` && `+item+`.querySelector('.badge') && `+item+`.querySelector('.badge').textContent === '1'`, "bob's unread badge")
	pb.wait(item+`.querySelector('.preview').textContent === 'hello bob'`, "the message previewed in bob's list")
	pb.wait(`document.title === '(1) Pigeon'`, "the unread count in bob's title")

	pb.click(`a.chat-item[data-key="p:` + aliceID + `"]`)
	pb.wait(msg("hello bob"), "the message in bob's chat")
	pb.wait(`document.title === 'Pigeon'`, "bob's title without unread messages")
	pa.wait(msgState("hello bob", "read"), "alice's message read")
	if cls := eval[string](pa, msg("hello bob")+`.querySelector('.tick').className`); cls != "icon i-check2 tick tick-read" {
		t.Errorf("read tick classes %q", cls)
	}

	// Bob types: Alice sees it; then he sends with Shift+Enter making a
	// second line.
	pb.typeInto(".composer textarea", "hi alice")
	pa.wait(`document.querySelector('.typing-line').dataset.typing === 'yes'`, "alice sees bob typing")
	pa.wait(`document.querySelector('.conversation .subtitle.typing')`, "typing in alice's header")
	pb.do(shiftEnter(), typeText("second line"), enter())
	pa.wait(msg("hi alice\nsecond line"), "bob's two-line reply, live in alice's chat")
	pa.wait(`document.querySelector('.typing-line').dataset.typing === 'no'`, "typing over on alice's side")
	// First in Alice's node (her page marked it read), then at Bob (the
	// receipt came).
	nodetest.Eventually(t, 45*time.Second, func() bool {
		h, err := alice.Chats().History(context.Background(), bob.Info().Account, core.MessageID{}, 1)
		return err == nil && len(h) == 1 && h[0].Text == "hi alice\nsecond line" && h[0].State.String() == "read"
	}, "bob's reply read in alice's node (alice's page visible: %v)", eval[string](pa, `document.visibilityState`))
	nodetest.Eventually(t, 45*time.Second, func() bool {
		h, err := bob.Chats().History(context.Background(), alice.Info().Account, core.MessageID{}, 1)
		return err == nil && len(h) == 1 && h[0].State.String() == "read"
	}, "alice's read receipt in bob's node")
	pb.wait(msgState("hi alice\nsecond line", "read"), "bob's reply read by alice, whose chat is open")
}

// A group made in the browser: Alice creates it with Bob, makes an invite
// link in its details, Carol joins with the link; Carol's message reaches
// both with her name; Alice's message turns read once both read it, and
// its info lists each member's receipt.
func TestBrowserGroupInviteReceipts(t *testing.T) {
	br := browser(t)
	nw := nodetest.New(t, 3)
	befriend(t, nw.Nodes, []string{"Alice", "Bob", "Carol"})
	bobID := nw.Nodes[1].Info().Account.String()
	carolID := nw.Nodes[2].Info().Account.String()

	pa := serveUI(t, nw.Nodes[0]).open(t, br, "/")
	pb := serveUI(t, nw.Nodes[1]).open(t, br, "/")
	pc := serveUI(t, nw.Nodes[2]).open(t, br, "/")

	pa.click(`button[aria-label="New group"]`)
	pa.typeInto(`dialog input[name="name"]`, "climbing")
	pa.typeInto(`dialog textarea[name="description"]`, "Saturday trips")
	pa.wait(`[...document.querySelectorAll('dialog .pick label')].some((l) => l.textContent.trim() === 'Bob')`, "bob among the contacts to add")
	pa.do(chromedp.Evaluate[chromedp.Void](`[...document.querySelectorAll('dialog .pick label')].find((l) => l.textContent.trim() === 'Bob').querySelector('input').click()`))
	pa.click(`dialog button[type="submit"]`)
	pa.wait(`location.pathname.startsWith('/group/')`, "the new group open")
	gid := strings.TrimPrefix(eval[string](pa, `location.pathname`), "/group/")

	pa.click(`a[aria-label="Group details"]`)
	pa.wait(`document.querySelector('.drawer .members li[data-account="`+bobID+`"]')`, "bob in the members list")
	pa.click(`.invites button.primary`)
	pa.wait(`document.querySelector('[data-invite]')`, "the invite link")
	link := eval[string](pa, `document.querySelector('[data-invite]').dataset.invite`)
	pa.wait(`document.querySelector('.invites img.qr').complete && document.querySelector('.invites img.qr').naturalWidth > 0`, "the invite's QR code")

	pc.click(`button[aria-label="Join a group by link"]`)
	pc.typeInto(`dialog input[name="link"]`, link)
	pc.click(`dialog button[type="submit"]`)
	pc.wait(`location.pathname === '/group/`+gid+`'`, "carol in the group")
	pc.wait(`document.querySelector('.composer textarea')`, "carol may post")
	pc.typeInto(".composer textarea", "hi climbers")
	pc.do(enter())

	for _, p := range []*page{pa, pb} {
		if p == pb {
			p.wait(`document.querySelector('a.chat-item[data-key="g:`+gid+`"]')`, "the group in bob's list")
			p.click(`a.chat-item[data-key="g:` + gid + `"]`)
		}
		p.wait(msg("hi climbers"), "carol's message")
		p.wait(msg("hi climbers")+`.querySelector('.sender').textContent === 'Carol'`, "carol's name on her message")
	}

	pa.click(`a[aria-label="Group details"]`) // close the drawer
	pa.typeInto(".composer textarea", "welcome carol")
	pa.do(enter())
	pb.wait(msg("welcome carol"), "alice's message at bob")
	pc.wait(msg("welcome carol"), "alice's message at carol")
	pa.wait(msgState("welcome carol", "read"), "alice's group message read by all")

	pa.do(chromedp.Evaluate[chromedp.Void](msg("welcome carol") + `.querySelector('.meta button').click()`))
	for _, id := range []string{bobID, carolID} {
		pa.wait(`document.querySelector('dialog .receipts li[data-account="`+id+`"][data-receipt="read"]')`, "a read receipt in the message info")
	}
}

// A file sent from the browser: the upload shows its progress (the tab's
// uploads are throttled to 4 MB/s so that there is progress to see), the
// message carries the caption, the recipient (auto-download off) asks
// for it, sees it downloading, and saves it: the same bytes.
func TestBrowserFileProgressDownload(t *testing.T) {
	br := browser(t)
	nw := nodetest.New(t, 2)
	befriend(t, nw.Nodes, []string{"Alice", "Bob"})
	aliceID, bobID := nw.Nodes[0].Info().Account.String(), nw.Nodes[1].Info().Account.String()
	ua, ub := serveUI(t, nw.Nodes[0]), serveUI(t, nw.Nodes[1])
	ub.api(t, "PUT", "/v1/media-settings/auto-download", map[string]int64{"max_bytes": 0}, nil)

	data := make([]byte, 6<<20+123)
	rand.Read(data)
	src := filepath.Join(t.TempDir(), "plan.bin")
	if err := os.WriteFile(src, data, 0o644); err != nil {
		t.Fatal(err)
	}

	pa := ua.open(t, br, "/chat/"+bobID)
	pb := ub.open(t, br, "/chat/"+aliceID)
	pa.do(throttleUploads(4 << 20))
	const watch = `window.__seen = new Set(); new MutationObserver(() => {
		for (const p of document.querySelectorAll('progress')) if (p.hasAttribute('value')) __seen.add(+p.value);
		for (const f of document.querySelectorAll('[data-media-state]')) __seen.add(f.dataset.mediaState);
	}).observe(document.body, { subtree: true, childList: true, attributes: true });`
	pa.do(chromedp.Evaluate[chromedp.Void](watch))
	pb.do(chromedp.Evaluate[chromedp.Void](watch))

	pa.do(chromedp.SetUploadFiles(chromedp.CSS(`.composer input[type="file"]`), []string{src}))
	pa.wait(`document.querySelector('.staged-item')`, "the file in the tray")
	pa.typeInto(".composer textarea", "the plan")
	pa.do(enter())
	pa.wait(`document.querySelector('.msg.upload progress')`, "the upload's progress bar")
	pa.wait(msg("the plan")+` && `+msg("the plan")+`.querySelector('.file-card')`, "the sent file in alice's chat")
	pa.wait(`!document.querySelector('.msg.upload')`, "the upload row gone")
	if !eval[bool](pa, `[...__seen].some((v) => typeof v === 'number' && v > 0 && v < `+strconv.Itoa(len(data))+`)`) {
		t.Errorf("no upload progress between 0 and the size: saw %v", eval[[]any](pa, `[...__seen]`))
	}

	card := msg("the plan") + `.querySelector('.file-card')`
	pb.wait(msg("the plan")+` && `+card+` && `+card+`.dataset.mediaState === 'remote'`, "the file at bob, not downloaded")
	if name := eval[string](pb, card+`.querySelector('.file-name').textContent`); name != "plan.bin" {
		t.Errorf("file name %q", name)
	}
	pb.do(chromedp.Evaluate[chromedp.Void](card + `.querySelector('button[aria-label^="Download"]').click()`))
	pb.wait(card+`.dataset.mediaState === 'local'`, "the file downloaded into bob's node")
	if !eval[bool](pb, `__seen.has('fetching')`) {
		t.Errorf("the download never showed as downloading: saw %v", eval[[]any](pb, `[...__seen]`))
	}

	dir := t.TempDir()
	bctx := chromedp.FromContext(pb.ctx).BrowserContextID
	if _, err := chromedp.CallBrowser(pb.ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
		Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllow, BrowserContextID: bctx, DownloadPath: dir,
	}); err != nil {
		t.Fatal(err)
	}
	pb.do(chromedp.Evaluate[chromedp.Void](card + `.querySelector('button[aria-label^="Save"]').click()`))
	saved := filepath.Join(dir, "plan.bin")
	nodetest.Eventually(t, 30*time.Second, func() bool {
		st, err := os.Stat(saved)
		return err == nil && st.Size() == int64(len(data))
	}, "the browser saved plan.bin")
	got, err := os.ReadFile(saved)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("saved file: %d bytes, %v; want the %d bytes sent", len(got), err, len(data))
	}
}

// wsShim, run before the app, records every WebSocket the page opens and
// the frames it reads (window.__ws.sockets), and while window.__ws.block
// is set sends new ones to a path that refuses them, as if the daemon
// could not be reached.
const wsShim = `(() => {
	const Real = window.WebSocket;
	const rec = { sockets: [], block: false };
	window.__ws = rec;
	window.WebSocket = class extends Real {
		constructor(url, protocols) {
			const blocked = rec.block;
			super(blocked ? url.replace(/\/v1\/events.*$/, '/v1/no-events') : url, protocols);
			const s = { url, blocked, frames: [], sock: this };
			rec.sockets.push(s);
			this.addEventListener('message', (e) => s.frames.push(JSON.parse(e.data)));
		}
	};
})();`

// The event stream drops while things happen: Bob's messages, his read
// receipt for Alice's message, his typing. When the stream is back, the
// page resumes with its cursor: the daemon replays exactly the events
// after it (no reset, none before the cursor), and the chat shows each
// message once, Alice's message read.
func TestBrowserReconnectWithoutLoss(t *testing.T) {
	br := browser(t)
	nw := nodetest.New(t, 2)
	alice, bob := nw.Nodes[0], nw.Nodes[1]
	befriend(t, nw.Nodes, []string{"Alice", "Bob"})
	aliceID, bobID := alice.Info().Account, bob.Info().Account
	ctx := context.Background()

	pa := serveUI(t, alice).openWith(t, br, "/chat/"+bobID.String(), wsShim)
	pa.typeInto(".composer textarea", "before the drop")
	pa.do(enter())
	pa.wait(msgState("before the drop", "delivered"), "alice's message delivered")
	if _, err := bob.Chats().Send(ctx, aliceID, "live"); err != nil {
		t.Fatal(err)
	}
	pa.wait(msg("live"), "bob's live message")

	// Drop the stream and keep it down.
	pa.do(chromedp.Evaluate[chromedp.Void](`__ws.block = true; __ws.sockets.at(-1).sock.close()`))
	pa.wait(`document.body.dataset.conn === 'down'`, "the page seeing the stream down")
	cursor := eval[float64](pa, `Math.max(...__ws.sockets.flatMap((s) => s.frames.map((f) => f.seq || 0)))`)

	sent := []string{"one", "two\nlines", "three"}
	for _, text := range sent {
		if _, err := bob.Chats().Send(ctx, aliceID, text); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := bob.Chats().MarkRead(ctx, aliceID); err != nil {
		t.Fatal(err)
	}
	// Alice's node has them all (and the read receipt) before the page
	// may come back.
	nodetest.Eventually(t, 30*time.Second, func() bool {
		h, err := alice.Chats().History(ctx, bobID, core.MessageID{}, 10)
		if err != nil || len(h) < 5 {
			return false
		}
		for _, m := range h {
			if m.Text == "before the drop" && m.State.String() == "read" {
				return true
			}
		}
		return false
	}, "alice's node has bob's messages and his read receipt")
	if n := eval[int](pa, `__ws.sockets.filter((s) => s.blocked).length`); n == 0 {
		t.Log("the page had not retried yet while the stream was down")
	}

	pa.do(chromedp.Evaluate[chromedp.Void](`__ws.block = false`))
	pa.wait(`document.body.dataset.conn === 'live'`, "the stream back")
	for _, text := range sent {
		pa.wait(msg(text), "the message sent while the stream was down: "+text)
	}
	pa.wait(msgState("before the drop", "read"), "alice's message read while the stream was down")

	// The resumed stream named the cursor, got no reset and only events
	// after it.
	type frame struct {
		Type    string `json:"type"`
		Seq     int64  `json:"seq"`
		Message *struct {
			Text string `json:"text"`
		} `json:"message"`
	}
	type socket struct {
		URL     string  `json:"url"`
		Blocked bool    `json:"blocked"`
		Frames  []frame `json:"frames"`
	}
	socks := eval[[]socket](pa, `__ws.sockets.map((s) => ({ url: s.url, blocked: s.blocked, frames: s.frames }))`)
	last := socks[len(socks)-1]
	if last.Blocked || !strings.Contains(last.URL, "after="+strconv.FormatInt(int64(cursor), 10)) {
		t.Fatalf("resumed stream %q (blocked %v), want one after %d", last.URL, last.Blocked, int64(cursor))
	}
	got := map[string]int{}
	for i, f := range last.Frames {
		switch {
		case i == 0 && f.Type != "hello":
			t.Fatalf("first frame %+v, want hello", f)
		case f.Type == "reset":
			t.Fatalf("the daemon reset the resumed stream: %+v", last.Frames)
		case i > 0 && f.Seq <= int64(cursor):
			t.Errorf("frame %+v again (cursor %d)", f, int64(cursor))
		case f.Type == "message_received":
			got[f.Message.Text]++
		}
	}
	for _, text := range sent {
		if got[text] != 1 {
			t.Errorf("the resumed stream carried %q %d times, want once", text, got[text])
		}
	}
	for _, text := range append([]string{"before the drop", "live"}, sent...) {
		if n := eval[int](pa, `[...document.querySelectorAll('.msg')].filter((e) => (e.querySelector('.text') || {}).textContent === `+js(text)+`).length`); n != 1 {
			t.Errorf("%q shown %d times, want once", text, n)
		}
	}
}
