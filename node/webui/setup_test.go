package webui_test

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/devices"
	"github.com/pigeon-net/pigeon/node/localapi"
	"github.com/pigeon-net/pigeon/node/nodetest"
)

// serveSetup serves a local API in setup mode on a fresh home, as
// `pigeon daemon --setup` does, bootstrapping from boot. The node the
// setup makes is closed after the server.
func serveSetup(tb testing.TB, boot []string) (*ui, *localapi.Server) {
	tb.Helper()
	srv := localapi.NewSetup(localapi.Setup{
		Home:      tb.TempDir(),
		Options:   []node.Option{node.WithListenAddrs("/ip4/127.0.0.1/tcp/0"), node.WithRetryBackoff(20*time.Millisecond, 500*time.Millisecond)},
		Bootstrap: boot,
	}, testToken, nil, localapi.WithHome(tb.TempDir()))
	tb.Cleanup(func() { // runs after the server's Close below
		if n := srv.Node(); n != nil {
			n.Close()
		}
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	tb.Cleanup(func() {
		srv.Close()
		if err := <-done; err != nil {
			tb.Errorf("serve: %v", err)
		}
	})
	return &ui{URL: "http://" + ln.Addr().String(), Token: testToken}, srv
}

// TestScreenSetupLink links a new device from its first-run screen: a
// daemon in setup mode shows "create or link", the person pastes the link
// code from their existing device and sees the six digits that device
// shows. Declined there, the screen says so and what to do; with a new
// code, confirmed there, the new device's app opens with the history
// (the chat with bob), and a message bob sends then reaches it.
func TestScreenSetupLink(t *testing.T) {
	br := browser(t)
	nw := nodetest.New(t, 2)
	alice, bob := nw.Nodes[0], nw.Nodes[1]
	aliceID, bobID := alice.Info().Account, bob.Info().Account
	nodetest.Send(t, alice, bobID, "before the link")

	var boot []string
	for _, a := range alice.Info().Addrs {
		boot = append(boot, a.String())
	}
	u, srv := serveSetup(t, boot)
	p := u.tab(t, br, "/", "")
	p.wait(`document.querySelector('main.setup[data-state="needs_setup"] button.link-account')`, "the first-run screen")
	p.click(`main.setup button.link-account`)

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	reqs := node.Subscribe[devices.LinkRequest](alice)
	defer reqs.Close()
	// try pastes a new code from alice's device, waits until the screen
	// shows the digits alice's device shows, and answers there.
	try := func(accept bool) {
		t.Helper()
		offer, err := alice.Devices().Link(ctx)
		if err != nil {
			t.Fatal(err)
		}
		p.do(chromedp.Evaluate[chromedp.Void](`((e) => { e.focus(); e.select(); })(document.querySelector('main.setup textarea.link-code-input'))`))
		p.typeInto(`main.setup textarea.link-code-input`, offer.Code)
		p.click(`main.setup form.setup-link button[type="submit"]`)
		var req devices.LinkRequest
		select {
		case req = <-reqs.Events():
		case <-ctx.Done():
			t.Fatal("alice's device got no link request")
		}
		if req.Name != "laptop" {
			t.Fatalf("the link request names the device %q, want laptop", req.Name)
		}
		p.wait(`(document.querySelector('main.setup [data-sas]') || {dataset: {}}).dataset.sas === `+js(req.SAS), "the confirmation code alice's device shows")
		if got := eval[string](p, `document.querySelector('main.setup .sas').textContent`); got != req.SAS[:3]+" "+req.SAS[3:] {
			t.Fatalf("the setup screen shows %q, want %q", got, req.SAS[:3]+" "+req.SAS[3:])
		}
		select {
		case <-srv.Ready():
			t.Fatal("the node started before the link was confirmed")
		default:
		}
		if err := alice.Devices().Answer(req.ID, accept); err != nil {
			t.Fatal(err)
		}
	}
	p.typeInto(`main.setup input.device-name-input`, "laptop")
	try(false)
	const refused = `document.querySelector('main.setup[data-state="needs_setup"] .setup-error[data-code="link_declined"]')`
	p.wait(refused+` && `+refused+`.textContent.includes('make a new code')`, "the refusal and what to do")
	try(true)

	// The app opens on its own once the history arrived, with bob's chat.
	p.wait(`document.querySelector('.app[data-boot="ready"]') && document.body.dataset.conn === 'live'`, "the app")
	if got := srv.Node().Info().Account; got != aliceID {
		t.Fatalf("the new device is in account %s, want %s", got, aliceID)
	}
	chat := `document.querySelector('.chats a.chat-item[data-key="p:` + bobID.String() + `"]')`
	p.wait(chat+` && `+chat+`.textContent.includes('before the link')`, "bob's chat from the history")

	if _, err := bob.Chats().Send(ctx, aliceID, "hello, new device"); err != nil {
		t.Fatal(err)
	}
	p.wait(chat+` && `+chat+`.textContent.includes('hello, new device')`, "bob's new message in the list")
	p.click(`.chats a.chat-item[data-key="p:` + bobID.String() + `"]`)
	p.wait(`document.querySelector('#main') && document.querySelector('#main').textContent.includes('hello, new device')`, "bob's message in the chat")
}

// TestScreenSetupCreate: "Create a new account" on the first-run screen
// makes the account and opens the app, with no restart.
func TestScreenSetupCreate(t *testing.T) {
	br := browser(t)
	u, srv := serveSetup(t, nil)
	p := u.tab(t, br, "/", "")
	p.click(`main.setup button.create-account`)
	p.wait(`document.querySelector('.app[data-boot="ready"]') && document.body.dataset.conn === 'live'`, "the app")
	<-srv.Ready()
	if got := eval[string](p, `fetch('/v1/info').then((r) => r.json()).then((i) => i.account)`); got != srv.Node().Info().Account.String() {
		t.Fatalf("the app's account %q, the node's %s", got, srv.Node().Info().Account)
	}
}
