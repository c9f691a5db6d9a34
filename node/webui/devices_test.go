package webui_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/nodetest"
	"github.com/pigeon-net/pigeon/protocol/link"
)

// TestScreenLinkDevice links a new device from the web UI: Settings shows
// a link code with its QR code and countdown, the new device uses it
// (node.LinkDevice, as `pigeon init --link` does), the dialog shows the
// same six digits the new device shows, and confirming links it: the list
// shows two devices; rename and revoke work from the list.
func TestScreenLinkDevice(t *testing.T) {
	br := browser(t)
	nw := nodetest.New(t, 1)
	alice := nw.Nodes[0]
	u := serveUI(t, alice)
	p := u.open(t, br, "/settings")

	const row = `document.querySelector('.devices li[data-device="1"]')`
	p.wait(row+` && `+row+`.textContent.includes('this device')`, "this device in the list")
	p.click(`.devices button.link-device`)
	p.wait(`(document.querySelector('.link-offer .link-code') || {}).value?.startsWith('pigeon-link:')`, "the link code")
	p.wait(`((i) => i && i.complete && i.naturalWidth > 0)(document.querySelector('.link-offer img.qr'))`, "the QR code")
	p.wait(`/Expires in (10:00|9:[0-5]\d)/.test(document.querySelector('.link-offer').textContent)`, "the countdown")
	withdrawn := eval[string](p, `document.querySelector('.link-offer .link-code').value`)

	// Cancel closes the code: a device that tries it later hears so.
	p.click(`.link-offer button.withdraw-link`)
	p.wait(`document.querySelector('.devices button.link-device')`, "the link button again")
	wctx, wcancel := context.WithTimeout(context.Background(), time.Minute)
	defer wcancel()
	if _, _, err := node.LinkDevice(wctx, t.TempDir(), withdrawn, node.LinkOptions{Name: "late"}); !errors.Is(err, link.ErrUnknownCode) {
		t.Fatalf("LinkDevice with the cancelled code: %v, want link.ErrUnknownCode", err)
	}
	p.click(`.devices button.link-device`)
	p.wait(`((v) => v && v.startsWith('pigeon-link:') && v !== `+js(withdrawn)+`)((document.querySelector('.link-offer .link-code') || {}).value)`, "a new link code")
	code := eval[string](p, `document.querySelector('.link-offer .link-code').value`)

	type result struct {
		device uint32
		err    error
	}
	shown := make(chan string, 1)
	done := make(chan result, 1)
	home := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	go func() {
		_, dev, err := node.LinkDevice(ctx, home, code, node.LinkOptions{
			Name: "laptop", Platform: "linux", ShowCode: func(sas string) { shown <- sas },
		})
		done <- result{dev, err}
	}()
	var sas string
	select {
	case sas = <-shown:
	case r := <-done:
		t.Fatalf("LinkDevice returned before showing a code: %v", r.err)
	case <-ctx.Done():
		t.Fatal("the new device showed no confirmation code")
	}
	const dialog = `document.querySelector('dialog.link-request')`
	p.wait(dialog+` && `+dialog+`.open && `+dialog+`.querySelector('[data-sas]').dataset.sas === `+js(sas), "the dialog with the same six digits")
	if name := eval[string](p, dialog+`.querySelector('.device-name').textContent`); name != "laptop" {
		t.Fatalf("the dialog names the device %q, want laptop", name)
	}
	if got := eval[string](p, dialog+`.querySelector('.sas').textContent`); got != sas[:3]+" "+sas[3:] {
		t.Fatalf("the dialog shows %q, want %q", got, sas[:3]+" "+sas[3:])
	}
	p.click(`dialog.link-request button.confirm-link`)
	var r result
	select {
	case r = <-done:
	case <-ctx.Done():
		t.Fatal("LinkDevice did not return after the confirmation")
	}
	if r.err != nil || r.device != 2 {
		t.Fatalf("LinkDevice: device %d, %v", r.device, r.err)
	}
	const laptop = `document.querySelector('.devices li[data-device="2"]')`
	p.wait(laptop+` && (`+laptop+`.querySelector('.device-name') || {}).textContent === 'laptop'`, "the new device in the list")
	p.wait(`document.querySelectorAll('.devices li[data-device]').length === 2`, "two devices")
	p.wait(`[...document.querySelectorAll('.toast')].some((e) => e.textContent.includes('Linked laptop'))`, "the toast")
	p.wait(`!document.querySelector('dialog.link-request') && !document.querySelector('.link-offer')`, "the dialog and the used code gone")

	// Rename it from the list.
	p.click(`.devices li[data-device="2"] button[aria-label="Rename laptop"]`)
	p.do(chromedp.Evaluate[chromedp.Void](`((e) => { e.focus(); e.select(); })(document.querySelector('.devices li[data-device="2"] input'))`))
	p.typeInto(`.devices li[data-device="2"] input`, "work laptop")
	p.click(`.devices li[data-device="2"] button[type="submit"]`)
	p.wait(laptop+` && (`+laptop+`.querySelector('.device-name') || {}).textContent === 'work laptop'`, "the new name")

	// Revoke it, after the confirmation the page asks.
	p.acceptDialog(`.devices li[data-device="2"] button[aria-label="Revoke work laptop"]`)
	p.wait(`document.querySelectorAll('.devices li[data-device]').length === 1`, "the device revoked")
	ds, err := alice.Devices().List(ctx)
	if err != nil || len(ds) != 1 {
		t.Fatalf("alice's devices after the revocation: %+v, %v", ds, err)
	}
}
