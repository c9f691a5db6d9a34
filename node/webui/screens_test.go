package webui_test

import (
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/accessibility"
	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/input"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/contacts"
	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/groups"
	"github.com/pigeon-net/pigeon/node/media"
	"github.com/pigeon-net/pigeon/node/nodetest"
	"github.com/pigeon-net/pigeon/node/presence"
	"github.com/pigeon-net/pigeon/node/relay"
)

// The screens a person uses besides the chats: contacts, the safety
// number, settings, the keyboard, and notifications with the tab hidden.
// Each test drives the web client of real nodes on loopback.

// contactOf returns n's contact account, if it has one.
func contactOf(t *testing.T, n *node.Node, account core.AccountID) (contacts.Contact, bool) {
	t.Helper()
	list, err := n.Contacts().List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range list {
		if c.Account == account {
			return c, true
		}
	}
	return contacts.Contact{}, false
}

// qrPNG writes text as a QR code in a PNG file, made with the library the
// daemon uses for GET /v1/qr.svg, and returns the file's path.
func qrPNG(t *testing.T, text string) string {
	t.Helper()
	m, err := qrcode.NewQRCodeWriter().Encode(text, gozxing.BarcodeFormat_QR_CODE, 400, 400, nil)
	if err != nil {
		t.Fatal(err)
	}
	img := image.NewGray(image.Rect(0, 0, m.GetWidth(), m.GetHeight()))
	for y := range m.GetHeight() {
		for x := range m.GetWidth() {
			c := color.Gray{Y: 255}
			if m.Get(x, y) {
				c = color.Gray{}
			}
			img.SetGray(x, y, c)
		}
	}
	path := filepath.Join(t.TempDir(), "code.png")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
	return path
}

// insertText puts text into the focused field as a paste does: one input
// event with all of it.
func insertText(text string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, input.InsertText, input.InsertTextParams{Text: text})
		return err
	})
}

// qrOfImage is a JavaScript expression: the text of the QR code the image
// sel shows, read by drawing it on a canvas and posting the PNG to the
// daemon's decoder, as the page's own scanner does.
func qrOfImage(sel string) string {
	return `(async () => {
		const img = document.querySelector(` + js(sel) + `);
		await img.decode();
		const c = document.createElement('canvas');
		c.width = c.height = 400;
		const g = c.getContext('2d');
		g.fillStyle = '#fff';
		g.fillRect(0, 0, 400, 400);
		g.drawImage(img, 0, 0, 400, 400);
		const png = await new Promise((ok) => c.toBlob(ok, 'image/png'));
		const res = await fetch('/v1/qr/decode', { method: 'POST', headers: { 'Content-Type': 'image/png' }, body: png });
		return res.ok ? (await res.json()).text : 'error ' + res.status + ': ' + (await res.text());
	})()`
}

// Contacts: the page shows your own account ID and a QR code of your
// contact link; a contact is added by account ID, by a pasted contact link
// (its name comes along), and by an image of a QR code, which the page
// has the daemon decode.
func TestScreenContacts(t *testing.T) {
	br := browser(t)
	nw := nodetest.New(t, 4)
	alice, bob, carol, dave := nw.Nodes[0], nw.Nodes[1].Info().Account, nw.Nodes[2].Info().Account, nw.Nodes[3].Info().Account
	aliceID := alice.Info().Account

	p := serveUI(t, alice).open(t, br, "/contacts")
	p.wait(`document.querySelector('.my-account [data-account="`+aliceID.String()+`"]')`, "alice's own account ID")
	if got := eval[string](p, `document.querySelector('.my-account [data-account]').textContent`); got != aliceID.String() {
		t.Errorf("own account ID shown as %q, want %s", got, aliceID)
	}
	if got := eval[string](p, qrOfImage(".my-account img.qr")); got != "pigeon:"+aliceID.String() {
		t.Errorf("own QR code holds %q, want alice's contact link", got)
	}

	addContact := func(how string, fill func()) {
		t.Helper()
		p.click(`.page .bar button.primary`) // Add contact
		p.wait(`document.activeElement === document.querySelector('dialog input[name="account"]')`, "the add-contact dialog, its field focused")
		fill()
		p.click(`dialog button[type="submit"][form="add-contact"]`)
		p.wait(`!document.querySelector('dialog')`, "the dialog closed after adding by "+how)
	}

	// By account ID, with a name typed.
	addContact("account ID", func() {
		p.typeInto(`dialog input[name="account"]`, bob.String())
		p.typeInto(`dialog input[name="name"]`, "Bob")
	})
	p.wait(`location.pathname === '/chat/`+bob.String()+`'`, "bob's chat open")
	if c, ok := contactOf(t, alice, bob); !ok || c.Name != "Bob" {
		t.Errorf("bob in alice's contacts: %v, %+v", ok, c)
	}

	// By a pasted contact link: the link's name fills the name field.
	p.click(`a[aria-label="Contacts"]`)
	addContact("contact link", func() {
		p.do(insertText("pigeon:" + carol.String() + "?name=Carol%20C"))
		p.wait(`document.querySelector('dialog input[name="name"]').value === 'Carol C'`, "the name from the link")
	})
	p.wait(`location.pathname === '/chat/`+carol.String()+`'`, "carol's chat open")
	if c, ok := contactOf(t, alice, carol); !ok || c.Name != "Carol C" {
		t.Errorf("carol in alice's contacts: %v, %+v", ok, c)
	}

	// By an image of a QR code of a contact link.
	p.click(`a[aria-label="Contacts"]`)
	addContact("QR image", func() {
		p.do(chromedp.SetUploadFiles(chromedp.CSS(`dialog .scan input[type="file"]`), []string{qrPNG(t, "pigeon:"+dave.String()+"?name=Dave")}))
		p.wait(`document.querySelector('dialog input[name="account"]').value === 'pigeon:`+dave.String()+`?name=Dave'`, "the scanned link in the field")
		p.wait(`document.querySelector('dialog input[name="name"]').value === 'Dave'`, "the name from the scanned link")
	})
	p.wait(`location.pathname === '/chat/`+dave.String()+`'`, "dave's chat open")
	if c, ok := contactOf(t, alice, dave); !ok || c.Name != "Dave" {
		t.Errorf("dave in alice's contacts: %v, %+v", ok, c)
	}

	// An image without a code says so, and the dialog stays.
	p.click(`a[aria-label="Contacts"]`)
	p.click(`.page .bar button.primary`)
	p.do(chromedp.SetUploadFiles(chromedp.CSS(`dialog .scan input[type="file"]`), []string{blankPNG(t)}))
	p.wait(`(document.querySelector('dialog .scan [role="alert"]') || {}).textContent?.includes('no QR code')`, "the error for an image without a code")
	p.click(`dialog button[aria-label="Close"]`)

	// All three in the list, by name.
	for _, who := range []struct {
		id   core.AccountID
		name string
	}{{bob, "Bob"}, {carol, "Carol C"}, {dave, "Dave"}} {
		li := `document.querySelector('.page li[data-account="` + who.id.String() + `"]')`
		p.wait(li+` && `+li+`.querySelector('strong').textContent === `+js(who.name), who.name+" in the contact list")
	}
}

// blankPNG is a white image without a QR code.
func blankPNG(t *testing.T) string {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, 64, 64))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	path := filepath.Join(t.TempDir(), "blank.png")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
	return path
}

// The safety number: both sides of a pair see the same 60 digits and a QR
// code of them; scanning the other side's code says they match; verifying
// marks the contact verified. When Bob reinstalls (same account, new
// device keys), Alice's chat warns that the number changed, the details
// show the new one, and verifying again clears the warning and lets her
// message through.
func TestScreenSafetyNumber(t *testing.T) {
	br := browser(t)
	nw := nodetest.New(t, 2)
	alice, bob := nw.Nodes[0], nw.Nodes[1]
	befriend(t, nw.Nodes, []string{"Alice", "Bob"})
	aliceID, bobID := alice.Info().Account, bob.Info().Account
	ctx := context.Background()
	first, err := alice.Chats().Send(ctx, bobID, "before")
	if err != nil {
		t.Fatal(err)
	}
	nodetest.Eventually(t, 30*time.Second, func() bool {
		m, err := alice.Chats().Message(ctx, first)
		return err == nil && m.State == core.Delivered
	}, "alice's first message delivered")

	ua := serveUI(t, alice)
	pa := ua.open(t, br, "/chat/"+bobID.String()+"/info")
	pb := serveUI(t, bob).open(t, br, "/chat/"+aliceID.String()+"/info")
	const number = `(document.querySelector('.safety-number .safety[data-safety]') || { dataset: {} }).dataset.safety`
	pa.wait(number, "the safety number at alice")
	pb.wait(number, "the safety number at bob")
	na, nb := eval[string](pa, number), eval[string](pb, number)
	if len(na) != 60 || na != nb {
		t.Fatalf("safety numbers %q at alice and %q at bob, want the same 60 digits", na, nb)
	}
	if want, err := alice.Contacts().SafetyNumber(ctx, bobID); err != nil || na != want {
		t.Fatalf("page shows %s, node says %s (%v)", na, want, err)
	}
	if got := eval[string](pa, `[...document.querySelectorAll('.safety-number .safety span')].map((s) => s.textContent).join('')`); got != na {
		t.Errorf("digits shown %q, want %s", got, na)
	}
	if got := eval[string](pb, qrOfImage(".safety-number img.qr")); got != nb {
		t.Errorf("bob's safety QR code holds %q, want %s", got, nb)
	}

	// Alice scans Bob's code (a picture of it): they match.
	pa.click(`.safety-number .row button.btn:not(.primary)`) // Scan their code
	pa.do(chromedp.SetUploadFiles(chromedp.CSS(`.safety-number .scan input[type="file"]`), []string{qrPNG(t, nb)}))
	pa.wait(`(document.querySelector('.safety-number [role="status"].verified') || {}).textContent === 'The numbers match.'`, "the numbers matching")

	pa.click(`.safety-number button.primary`) // Mark as verified
	pa.wait(`document.querySelector('.safety-number span.verified')`, "bob verified at alice")
	if c, _ := contactOf(t, alice, bobID); !c.Verified {
		t.Fatalf("bob not verified in alice's node: %+v", c)
	}
	pa.click(`a[aria-label="Close details"]`)
	pa.wait(`location.pathname === '/chat/`+bobID.String()+`' && document.querySelector('.composer textarea')`, "alice back in the chat")

	// Bob reinstalls: same account, new device keys. His tab goes first.
	pb.do(chromedp.Navigate("about:blank"))
	seed, err := bob.AccountSeed()
	if err != nil {
		t.Fatal(err)
	}
	nw.Stop(1)
	nw.Homes[1] = t.TempDir()
	bob = nw.Start(1, node.WithAccountSeed(seed))
	second, err := alice.Chats().Send(ctx, bobID, "after the reinstall")
	if err != nil {
		t.Fatal(err)
	}
	banner := `document.querySelector('.conversation .banner[role="alert"]')`
	pa.wait(banner+` && `+banner+`.textContent.includes('device keys changed')`, "the identity-change warning in alice's chat")
	pa.click(`.conversation .banner a.btn`) // Compare
	pa.wait(`location.pathname === '/chat/`+bobID.String()+`/info'`, "the contact's details")
	pa.wait(`(document.querySelector('.safety-number .banner[role="alert"]') || {}).textContent?.includes('changed since you verified it')`, "the warning in the safety number screen")
	// The safety number is over the account keys: the same as before,
	// and the same at bob's new install, which is what alice checks.
	pa.wait(number+` === `+js(na), "the safety number")
	if want, err := bob.Contacts().SafetyNumber(ctx, aliceID); err != nil || na != want {
		t.Fatalf("alice's page shows %s, bob's new install %s (%v)", na, want, err)
	}
	if m, err := alice.Chats().Message(ctx, second); err != nil || m.State != core.Pending {
		t.Fatalf("the message after the change is %v (%v), want pending until alice verifies", m.State, err)
	}
	pa.click(`a[aria-label="Contacts"]`)
	pa.wait(`(document.querySelector('.page li[data-account="`+bobID.String()+`"] .error-text') || {}).textContent === 'keys changed'`, "the change marked in the contact list")
	pa.do(chromedp.Navigate(ua.URL + "/chat/" + bobID.String() + "/info"))
	pa.wait(`document.querySelector('.safety-number button.primary')`, "verify offered again")
	pa.click(`.safety-number button.primary`)
	pa.wait(`document.querySelector('.safety-number span.verified') && !document.querySelector('.safety-number .banner')`, "verified again, the warning gone")
	pa.wait(`!document.querySelector('.conversation .banner')`, "the warning gone from the chat")
	nodetest.Eventually(t, 30*time.Second, func() bool {
		h, err := bob.Chats().History(ctx, aliceID, core.MessageID{}, 10)
		return err == nil && len(h) == 1 && h[0].Text == "after the reinstall"
	}, "the held message at bob's new install")
}

// choose picks value in the select inside the card whose heading is
// card, as a person picking from the list does (the change event).
func (p *page) choose(card, value string) {
	p.tb.Helper()
	p.do(chromedp.Evaluate[chromedp.Void](`(() => {
		const card = [...document.querySelectorAll('.page .card')].find((c) => c.querySelector('h3').textContent === ` + js(card) + `);
		const sel = card.querySelector('select');
		sel.focus();
		sel.value = ` + js(value) + `;
		sel.dispatchEvent(new Event('change', { bubbles: true }));
	})()`))
}

// acceptDialog runs the JavaScript click on css (a button that asks
// confirm()) and accepts the dialog the page opens, as a person does.
func (p *page) acceptDialog(css string) {
	p.tb.Helper()
	p.do(chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		click := chromedp.Evaluate[chromedp.Void](`setTimeout(() => document.querySelector(` + js(css) + `).click())`)
		if _, err := chromedp.WaitEvent(cdppage.JavascriptDialogOpening, nil, click)(ctx, t); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, t, cdppage.HandleJavaScriptDialog, cdppage.HandleJavaScriptDialogParams{Accept: true})
		return err
	}))
}

// startRelay starts a relay on loopback, closed at the test's end.
func startRelay(t *testing.T) *relay.Relay {
	t.Helper()
	r, err := relay.New(relay.WithListenAddrs("/ip4/127.0.0.1/tcp/0"), relay.WithHome(t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := r.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// Settings: a relay added by its address shows connected, with what the
// node knows of it, and is removed; presence privacy changes who sees
// Alice online (a contact, a stranger) through that relay; the automatic
// download size and the privacy shown are the daemon's (also when set
// elsewhere); the theme follows the system (emulated prefers-color-scheme)
// until one is picked, and the pick stays after a reload.
func TestScreenSettings(t *testing.T) {
	br := browser(t)
	nw := nodetest.New(t, 3)
	alice, bob, stranger := nw.Nodes[0], nw.Nodes[1], nw.Nodes[2]
	aliceID := alice.Info().Account
	ctx := context.Background()
	// Bob is Alice's contact; he and the stranger look her up only once
	// her relay is in her device list (what presence asks is the list
	// they cached).
	if err := alice.Contacts().Add(ctx, bob.Info().Account, "Bob"); err != nil {
		t.Fatal(err)
	}
	r := startRelay(t)
	raddr := r.Addrs()[0].String()
	rpeer := r.Host().ID().String()

	ua := serveUI(t, alice)
	p := ua.open(t, br, "/settings")

	// Relays: add one by its address.
	p.wait(`document.querySelector('.relays li.muted')`, "no relays yet")
	p.typeInto(`.relays input[name="relay"]`, raddr)
	p.click(`.relays button[type="submit"]`)
	li := `document.querySelector('.relays li[data-peer="` + rpeer + `"]')`
	p.wait(li+` && `+li+`.querySelector('.mono').textContent === `+js(raddr), "the relay in the list")
	p.wait(li+`.querySelector('.relay-stats').textContent.trim().startsWith('connected')`, "the relay connected")
	if got := eval[string](p, `document.querySelector('.relays input[name="relay"]').value`); got != "" {
		t.Errorf("the address field still holds %q", got)
	}
	if rs, err := alice.Relays().List(ctx); err != nil || len(rs) != 1 || rs[0].PeerID != rpeer {
		t.Fatalf("alice's relays: %+v, %v", rs, err)
	}

	// Presence privacy, seen from a contact and a stranger.
	sees := func(who *node.Node, want presence.State, what string) {
		t.Helper()
		nodetest.Eventually(t, 45*time.Second, func() bool {
			p, err := who.Presence().Get(ctx, aliceID)
			return err == nil && p.State == want
		}, "%s", what)
	}
	sees(bob, presence.Online, "bob, a contact, sees alice online (default privacy)")
	if got, err := stranger.Presence().Get(ctx, aliceID); err != nil || got.State != presence.Unknown {
		t.Fatalf("a stranger sees %+v, %v; want unknown", got, err)
	}
	const privacy = `[...document.querySelectorAll('.page .card')].find((c) => c.querySelector('h3').textContent === 'Privacy').querySelector('select').value`
	p.wait(privacy+` === 'contacts'`, "the daemon's default privacy shown")
	p.choose("Privacy", "everyone")
	sees(stranger, presence.Online, "a stranger sees alice with privacy everyone")
	p.choose("Privacy", "nobody")
	sees(bob, presence.Unknown, "bob no longer sees alice with privacy nobody")

	// Automatic downloads: the daemon's setting.
	type auto struct {
		MaxBytes int64 `json:"max_bytes"`
	}
	var before auto
	ua.api(t, "GET", "/v1/media-settings/auto-download", nil, &before)
	p.wait(`[...document.querySelectorAll('.page .card')].find((c) => c.querySelector('h3').textContent === 'Automatic downloads').querySelector('select').value === '`+strconv.FormatInt(before.MaxBytes, 10)+`'`, "the daemon's auto-download size shown")
	p.choose("Automatic downloads", strconv.Itoa(1<<20))
	nodetest.Eventually(t, 30*time.Second, func() bool {
		var a auto
		ua.api(t, "GET", "/v1/media-settings/auto-download", nil, &a)
		return a.MaxBytes == 1<<20
	}, "auto-download set to 1 MB in the daemon")

	// Theme: follows the system until one is picked.
	const bg = `getComputedStyle(document.documentElement).getPropertyValue('--bg').trim()`
	const light, dark = "#eef1f4", "#0d1216"
	theme := func(system, want, what string) {
		t.Helper()
		p.do(colorScheme(system))
		p.wait(bg+` === '`+want+`'`, what)
	}
	p.wait(`document.querySelector('input[name="theme"][value="system"]').checked`, "the theme following the system")
	theme("dark", dark, "dark, as the system")
	theme("light", light, "light, as the system")
	p.click(`input[name="theme"][value="dark"]`)
	theme("light", dark, "dark, picked, on a light system")
	p.click(`input[name="theme"][value="light"]`)
	theme("dark", light, "light, picked, on a dark system")

	// After a reload: the picks are still there, and the privacy shown is
	// the daemon's, even when set elsewhere (here through the API).
	ua.api(t, "PUT", "/v1/presence/privacy", map[string]string{"who": "contacts"}, nil)
	p.do(chromedp.Reload())
	p.wait(`document.querySelector('.app[data-boot="ready"]') && document.querySelector('input[name="theme"]')`, "settings again")
	theme("dark", light, "light, picked, after the reload")
	p.wait(`document.querySelector('input[name="theme"][value="light"]').checked`, "light checked after the reload")
	p.wait(`[...document.querySelectorAll('.page .card')].find((c) => c.querySelector('h3').textContent === 'Automatic downloads').querySelector('select').value === '`+strconv.Itoa(1<<20)+`'`, "1 MB after the reload")
	p.wait(privacy+` === 'contacts'`, "the privacy set through the API shown after the reload")
	p.click(`input[name="theme"][value="system"]`)
	theme("dark", dark, "the system's again")

	// Remove the relay (the page asks first).
	p.wait(li, "the relay still listed")
	p.acceptDialog(`.relays button[aria-label="Remove relay ` + raddr + `"]`)
	p.wait(`!`+li+` && document.querySelector('.relays li.muted')`, "the relay gone from the list")
	if rs, err := alice.Relays().List(ctx); err != nil || len(rs) != 0 {
		t.Fatalf("alice's relays after the removal: %+v, %v", rs, err)
	}
}

// tabReach presses Tab through the page from its start and returns the
// interactive elements shown (links, buttons, fields, selects, and
// anything with a tabindex) that focus never reached, described. A radio
// group counts as reached when one of its radios is (the arrows move
// within it).
func tabReach(p *page) []string {
	p.tb.Helper()
	n := eval[int](p, `(() => {
		for (const e of document.querySelectorAll('[data-ti]')) delete e.dataset.ti;
		const els = [...document.querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex], [contenteditable="true"]')]
			.filter((e) => !e.disabled && e.type !== 'hidden' && e.checkVisibility({ visibilityProperty: true }) && !e.closest('[inert]'));
		els.forEach((e, i) => (e.dataset.ti = i));
		window.__reached = new Set();
		document.addEventListener('focusin', (ev) => {
			const t = ev.target;
			if (t.dataset && t.dataset.ti) __reached.add(t.type === 'radio' ? 'radio:' + t.name : t.dataset.ti);
		});
		document.activeElement.blur();
		return els.length;
	})()`)
	// Tab stops the query does not count (a scrollable region without
	// controls of its own is one in Chromium) take presses too: a second
	// round lets the focus come round to what the first did not reach.
	var missed []string
	for range 2 {
		for range n + 3 {
			p.do(chromedp.KeyEvent("\t"))
		}
		missed = eval[[]string](p, `[...document.querySelectorAll('[data-ti]')]
			.filter((e) => !__reached.has(e.type === 'radio' ? 'radio:' + e.name : e.dataset.ti))
			.map((e) => e.outerHTML.slice(0, 160))`)
		if len(missed) == 0 {
			break
		}
	}
	return missed
}

// unnamed returns the controls in p's accessibility tree (buttons, links,
// fields, selects, radios, ...) that have no accessible name, described.
func unnamed(p *page) []string {
	p.tb.Helper()
	roles := map[string]bool{"button": true, "link": true, "textbox": true, "searchbox": true, "combobox": true, "checkbox": true,
		"radio": true, "slider": true, "spinbutton": true, "switch": true, "menuitem": true, "tab": true, "listbox": true, "option": true}
	ctx, cancel := context.WithTimeout(p.ctx, time.Minute)
	defer cancel()
	var out []string
	err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		if _, err := cdp.Call(ctx, t, accessibility.Enable, cdp.Empty{}); err != nil {
			return err
		}
		tree, err := cdp.Call(ctx, t, accessibility.GetFullAXTree, accessibility.GetFullAXTreeParams{})
		if err != nil {
			return err
		}
		str := func(v *accessibility.Value) string {
			var s string
			if v != nil {
				json.Unmarshal(v.Value, &s)
			}
			return s
		}
		for _, n := range tree.Nodes {
			role := str(n.Role)
			if n.Ignored || !roles[role] || strings.TrimSpace(str(n.Name)) != "" {
				continue
			}
			desc := role
			if n.BackendDOMNodeID != 0 {
				d, err := cdp.Call(ctx, t, dom.DescribeNode, dom.DescribeNodeParams{BackendNodeID: n.BackendDOMNodeID})
				if err == nil {
					desc += fmt.Sprintf(" <%s %v>", strings.ToLower(d.Node.NodeName), d.Node.Attributes)
				}
			}
			out = append(out, desc)
		}
		return nil
	}))
	if err != nil {
		p.fail("accessibility tree: %v", err)
	}
	return out
}

// ctrlK presses Ctrl+K.
func ctrlK() chromedp.Action[chromedp.Void] {
	return chromedp.KeyEvent("k", chromedp.KeyModifiers(chromedp.ModifierCtrl))
}

// The keyboard: Ctrl+K opens "Go to chat" with the focus in its filter,
// typing narrows it and Enter opens the match; the sidebar's filter opens
// its match with Enter too. On every main screen each control shown is
// reached by Tab and has a name in the accessibility tree.
func TestScreenKeyboard(t *testing.T) {
	br := browser(t)
	nw := nodetest.New(t, 3)
	alice, bob, carol := nw.Nodes[0], nw.Nodes[1], nw.Nodes[2]
	befriend(t, nw.Nodes, []string{"Alice", "Bob", "Carol"})
	ctx := context.Background()
	aliceID, bobID, carolID := alice.Info().Account, bob.Info().Account, carol.Info().Account
	var gid core.GroupID
	nodetest.Eventually(t, 30*time.Second, func() bool {
		var err error
		gid, err = alice.Groups().Create(ctx, "Climbing", "Saturday trips", groups.Settings{}, bobID, carolID)
		return err == nil
	}, "the group created")
	for _, send := range []func() error{
		func() error { _, err := alice.Groups().Send(ctx, gid, "who is in?"); return err },
		func() error { _, err := bob.Chats().Send(ctx, aliceID, "hi alice"); return err },
		func() error {
			_, err := alice.Media().Send(ctx, bobID, strings.NewReader("route notes"), media.File{Name: "topo.txt", MIME: "text/plain"})
			return err
		},
	} {
		if err := send(); err != nil {
			t.Fatal(err)
		}
	}

	ua := serveUI(t, alice)
	p := ua.open(t, br, "/")
	p.wait(`document.querySelector('a.chat-item[data-key="p:`+bobID.String()+`"]') && document.querySelector('a.chat-item[data-key="g:`+gid.String()+`"]')`, "bob's chat and the group in the list")

	// Ctrl+K, a few letters, Enter: Carol has no chat yet, but is a contact.
	p.do(ctrlK())
	p.wait(`document.activeElement && document.activeElement.id === 'switcher-input' && document.activeElement.closest('dialog[open]')`, "Ctrl+K focusing the chat filter")
	p.do(typeText("caro"))
	p.wait(`document.querySelectorAll('#switcher-list [role="option"][data-key]').length === 1`, "one match for caro")
	p.do(enter())
	p.wait(`location.pathname === '/chat/`+carolID.String()+`' && !document.querySelector('dialog')`, "carol's chat open by Enter")
	// Arrows move the choice; Escape closes and gives the focus back.
	p.do(ctrlK())
	p.wait(`document.activeElement && document.activeElement.id === 'switcher-input'`, "Ctrl+K again")
	p.do(typeText("climb"), chromedp.KeyEvent("\u001b"))
	p.wait(`!document.querySelector('dialog') && location.pathname === '/chat/`+carolID.String()+`'`, "Escape closing Go to chat")

	// The sidebar's filter: Enter opens its first match.
	p.click(`#chat-filter`)
	p.do(typeText("bob"))
	p.wait(`document.querySelectorAll('.chats a.chat-item').length === 1`, "the list filtered to bob")
	p.do(enter())
	p.wait(`location.pathname === '/chat/`+bobID.String()+`'`, "bob's chat open by Enter in the filter")
	p.do(chromedp.Evaluate[chromedp.Void](`document.getElementById('chat-filter').select()`), chromedp.KeyEvent("\b"))
	p.wait(`document.querySelector('.chats a.chat-item[data-key="g:`+gid.String()+`"]')`, "the filter cleared")

	p.click(`.banner button[aria-label="Not now"]`) // the notification offer
	screens := []struct{ name, path, ready string }{
		{"chat", "/chat/" + bobID.String(), msg("hi alice") + ` && document.querySelector('.file-card button')`},
		{"contact details", "/chat/" + bobID.String() + "/info", `document.querySelector('.drawer .safety[data-safety]')`},
		{"group", "/group/" + gid.String(), msg("who is in?")},
		{"group details", "/group/" + gid.String() + "/info", `document.querySelector('.drawer .members li')`},
		{"contacts", "/contacts", `document.querySelector('.page li[data-account]')`},
		{"my account", "/me", `document.querySelector('.my-account img.qr')`},
		{"settings", "/settings", `document.querySelector('.relays li')`},
	}
	for _, s := range screens {
		p.do(chromedp.Navigate(ua.URL + s.path))
		p.wait(`document.querySelector('.app[data-boot="ready"]') && (`+s.ready+`)`, s.name+" screen")
		if missed := tabReach(p); len(missed) > 0 {
			t.Errorf("%s: not reached by Tab:\n%s", s.name, strings.Join(missed, "\n"))
		}
		if bad := unnamed(p); len(bad) > 0 {
			t.Errorf("%s: controls without an accessible name:\n%s", s.name, strings.Join(bad, "\n"))
		}
	}
}

// notificationShim, run before the app, records every Notification the
// page makes (window.__notes: title, body, tag, the tab hidden then, and
// the notification) and still makes the real one.
const notificationShim = `(() => {
	window.__notes = [];
	const Real = window.Notification;
	if (!Real) return;
	window.Notification = class extends Real {
		constructor(title, opts = {}) {
			const rec = { title, body: opts.body, tag: opts.tag, hidden: document.hidden };
			window.__notes.push(rec);
			super(title, opts);
			rec.n = this;
		}
	};
})();`

// showTab minimizes the window of p's tab (hidden) or brings it back
// (visible): the page sees a real visibilitychange.
func (p *page) showTab(visible bool) {
	p.tb.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, time.Minute)
	defer cancel()
	w, err := chromedp.CallBrowser(ctx, cdpbrowser.GetWindowForTarget, cdpbrowser.GetWindowForTargetParams{TargetID: chromedp.FromContext(p.ctx).Target.TargetID})
	if err != nil {
		p.fail("window of the tab: %v", err)
	}
	state := cdpbrowser.WindowStateMinimized
	if visible {
		state = cdpbrowser.WindowStateNormal
	}
	if _, err := chromedp.CallBrowser(ctx, cdpbrowser.SetWindowBounds, cdpbrowser.SetWindowBoundsParams{WindowID: w.WindowID, Bounds: &cdpbrowser.Bounds{WindowState: state}}); err != nil {
		p.fail("window state %s: %v", state, err)
	}
	want := "hidden"
	if visible {
		want = "visible"
	}
	p.wait(`document.visibilityState === '`+want+`'`, "the tab "+want)
}

// Notifications and the title: with the tab hidden (its window
// minimized), a message raises a browser notification (permission granted
// to the daemon's origin) named after the sender, and the title counts it;
// clicking the notification opens the chat. While hidden, an open chat is
// not marked read: the title counts, and the sender sees delivered until
// the tab shows again. A message while the tab shows raises none.
func TestScreenNotifications(t *testing.T) {
	br := browser(t)
	nw := nodetest.New(t, 2)
	alice, bob := nw.Nodes[0], nw.Nodes[1]
	befriend(t, nw.Nodes, []string{"Alice", "Bob"})
	aliceID, bobID := alice.Info().Account, bob.Info().Account
	ctx := context.Background()

	ua := serveUI(t, alice)
	p := ua.openWith(t, br, "/", notificationShim)
	// Browser.setPermission (Browser.grantPermissions is gone from the
	// protocol): as if Alice had allowed the daemon's notifications.
	if _, err := chromedp.CallBrowser(p.ctx, cdpbrowser.SetPermission, cdpbrowser.SetPermissionParams{
		Permission: &cdpbrowser.PermissionDescriptor{Name: "notifications"}, Setting: cdpbrowser.PermissionSettingGranted,
		Origin: ua.URL, BrowserContextID: chromedp.FromContext(p.ctx).BrowserContextID,
	}); err != nil {
		t.Fatal(err)
	}
	p.do(chromedp.Reload())
	p.wait(`document.querySelector('.app[data-boot="ready"]') && document.body.dataset.conn === 'live'`, "the app again")
	if perm := eval[string](p, `Notification.permission`); perm != "granted" {
		t.Fatalf("notification permission %q", perm)
	}
	p.wait(`!document.querySelector('.sidebar .banner')`, "no offer to turn notifications on")
	p.wait(`document.title === 'Pigeon'`, "the title without unread messages")

	type note struct {
		Title, Body, Tag string
		Hidden           bool
	}
	notes := func() []note {
		return eval[[]note](p, `__notes.map(({ title, body, tag, hidden }) => ({ title, body, tag, hidden }))`)
	}
	send := func(text string) core.MessageID {
		t.Helper()
		id, err := bob.Chats().Send(ctx, aliceID, text)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	state := func(n *node.Node, id core.MessageID) core.State {
		t.Helper()
		m, err := n.Chats().Message(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return m.State
	}

	// Hidden, no chat open: a notification, and the title counts.
	p.showTab(false)
	first := send("are you there?")
	p.wait(`__notes.length === 1`, "a notification for bob's message")
	if got := notes()[0]; got != (note{"Bob", "are you there?", "p:" + bobID.String(), true}) {
		t.Errorf("notification %+v", got)
	}
	p.wait(`document.title === '(1) Pigeon'`, "the unread count in the title")
	send("hello?")
	p.wait(`__notes.length === 2 && document.title === '(2) Pigeon'`, "a second notification, two unread")
	if s := state(bob, first); s == core.Read {
		t.Fatalf("bob's message read while alice's tab was hidden")
	}

	// Clicking the notification opens the chat; the chat is read once the
	// tab shows.
	p.do(chromedp.Evaluate[chromedp.Void](`__notes[1].n.onclick()`))
	p.wait(`location.pathname === '/chat/`+bobID.String()+`' && `+msg("hello?"), "the chat open from the notification")
	p.showTab(true)
	p.wait(`document.title === 'Pigeon'`, "the title without unread messages once the chat shows")
	nodetest.Eventually(t, 30*time.Second, func() bool { return state(bob, first) == core.Read }, "bob's first message read")

	// Hidden with the chat open: counted and not read until it shows.
	p.showTab(false)
	third := send("still there?")
	p.wait(`__notes.length === 3 && document.title === '(1) Pigeon'`, "a notification and the count, the chat open but hidden")
	p.wait(msg("still there?"), "the message in the open chat")
	nodetest.Eventually(t, 30*time.Second, func() bool { return state(bob, third) == core.Delivered }, "bob's third message delivered")
	if s := state(alice, third); s == core.Read {
		t.Fatalf("alice's node marked the message read while her tab was hidden")
	}
	p.showTab(true)
	p.wait(`document.title === 'Pigeon'`, "read once the tab shows")
	nodetest.Eventually(t, 30*time.Second, func() bool { return state(bob, third) == core.Read }, "bob's third message read")

	// Visible: no notification.
	send("ok, see you")
	p.wait(msg("ok, see you"), "the message in the open chat")
	if n := len(notes()); n != 3 {
		t.Errorf("%d notifications after a message to a visible tab, want still 3", n)
	}
	p.wait(`document.title === 'Pigeon'`, "no unread count for a chat read on screen")
}
