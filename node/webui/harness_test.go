package webui_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/network"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/localapi"
	"github.com/pigeon-net/pigeon/node/webui/webtest"
)

// chromium finds a Chromium to drive (webtest.ChromiumPath): tests skip
// without one, and fail under PIGEON_REQUIRE_BROWSER=1 (CI).
func chromium(tb testing.TB) string {
	tb.Helper()
	return webtest.ChromiumPath(tb)
}

// browser starts a headless Chromium with a fresh profile and returns a
// context for its first tab; everything stops at the test's end.
func browser(tb testing.TB) context.Context {
	tb.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium(tb)),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("mute-audio", true),
		chromedp.UserDataDir(tb.TempDir()),
		chromedp.WindowSize(1280, 800),
	}
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	tb.Cleanup(cancel)
	ctx, cancelTab := chromedp.NewContext(actx)
	tb.Cleanup(cancelTab)
	if err := chromedp.Do(ctx); err != nil {
		tb.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// ui is a node's local API with the web client, served on loopback the
// way `pigeon daemon` serves it.
type ui struct {
	URL   string
	Token string
	Node  *node.Node
}

const testToken = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

func serveUI(tb testing.TB, n *node.Node) *ui {
	tb.Helper()
	srv := localapi.New(n, testToken, nil, localapi.WithHome(tb.TempDir()))
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
	return &ui{URL: "http://" + ln.Addr().String(), Token: testToken, Node: n}
}

// api calls the local API with the token, as the CLI does.
func (u *ui) api(tb testing.TB, method, path string, in, out any) {
	tb.Helper()
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			tb.Fatal(err)
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, u.URL+path, body)
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+u.Token)
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode/100 != 2 {
		tb.Fatalf("%s %s: %d %s", method, path, res.StatusCode, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			tb.Fatalf("%s %s: %v", method, path, err)
		}
	}
}

// loginURL is a one-time login link, as `pigeon web` prints it.
func (u *ui) loginURL(tb testing.TB) string {
	tb.Helper()
	var code localapi.LoginCode
	u.api(tb, "POST", "/v1/web/login-codes", nil, &code)
	return code.URL
}

// page is one person's tab, in a browser context of its own (its own
// cookies), on their daemon's web client.
type page struct {
	tb  testing.TB
	ctx context.Context
	ui  *ui
}

// open logs a new tab in to u and shows path. An uncaught exception in
// the page fails the test.
func (u *ui) open(tb testing.TB, browserCtx context.Context, path string) *page {
	tb.Helper()
	return u.openWith(tb, browserCtx, path, "")
}

// openWith is open with a script that runs in the page before the app's
// own (when not empty).
func (u *ui) openWith(tb testing.TB, browserCtx context.Context, path, initScript string) *page {
	tb.Helper()
	p := u.tab(tb, browserCtx, path, initScript)
	p.wait(`document.querySelector('.app[data-boot="ready"]') && document.body.dataset.conn === 'live'`, "the app to load and follow events")
	return p
}

// tab is open without waiting for the app to load.
func (u *ui) tab(tb testing.TB, browserCtx context.Context, path, initScript string) *page {
	tb.Helper()
	ctx, cancel := chromedp.NewContext(browserCtx, chromedp.WithNewBrowserContext())
	if err := chromedp.Do(ctx); err != nil {
		cancel()
		tb.Fatalf("open tab: %v", err)
	}
	if initScript != "" {
		err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := cdp.Call(ctx, t, cdppage.AddScriptToEvaluateOnNewDocument, cdppage.AddScriptToEvaluateOnNewDocumentParams{Source: initScript})
			return err
		}))
		if err != nil {
			cancel()
			tb.Fatalf("add the page's init script: %v", err)
		}
	}
	msgs := chromedp.Console(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for m, err := range msgs {
			if err != nil {
				return
			}
			if m.IsException() {
				tb.Errorf("page %s: %s:%d: %s", u.URL, m.URL, m.Line+1, m)
			}
		}
	}()
	tb.Cleanup(func() {
		cancel()
		<-done
	})
	p := &page{tb: tb, ctx: ctx, ui: u}
	p.do(chromedp.Navigate(u.loginURL(tb)))
	if path != "/" {
		p.do(chromedp.Navigate(u.URL + path))
	}
	return p
}

func (p *page) do(actions ...chromedp.Action[chromedp.Void]) {
	p.tb.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, time.Minute)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		p.fail("%v", err)
	}
}

// fail ends the test with a screenshot of the page in the test's log
// directory, to see what the page showed.
func (p *page) fail(format string, args ...any) {
	p.tb.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 10*time.Second)
	defer cancel()
	if png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
		f, err := os.CreateTemp("", "pigeon-webui-*.png")
		if err == nil {
			f.Write(png)
			f.Close()
			p.tb.Logf("screenshot: %s", f.Name())
		}
	}
	if html, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText`)); err == nil {
		p.tb.Logf("page text:\n%s", html)
	}
	p.tb.Fatalf(format, args...)
}

// eval evaluates a JavaScript expression in p (awaiting a promise).
func eval[T any](p *page, js string) T {
	p.tb.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, time.Minute)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		p.fail("eval %s: %v", js, err)
	}
	return v
}

// wait polls a JavaScript expression until it is truthy.
func (p *page) wait(js, what string) {
	p.tb.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 45*time.Second)
	defer cancel()
	deadline := time.Now().Add(40 * time.Second)
	for {
		_, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](js, chromedp.WithPollingInterval(25*time.Millisecond), chromedp.WithPollingTimeout(time.Until(deadline))))
		if err == nil {
			return
		}
		// A navigation (the login link's redirect, a route change) ends
		// the page's JavaScript context under a poll: poll again in the
		// new one until the deadline.
		if contextGone(err) && time.Now().Before(deadline) {
			continue
		}
		p.fail("waiting for %s (%s): %v", what, js, err)
		return
	}
}

// contextGone reports whether err says the page's JavaScript execution
// context went away (the page navigated) while Chromium evaluated in it.
func contextGone(err error) bool {
	s := err.Error()
	return strings.Contains(s, "Cannot find context with specified id") ||
		strings.Contains(s, "Execution context was destroyed") ||
		strings.Contains(s, "Inspected target navigated or closed")
}

// click clicks the first element css matches once it is enabled, as a
// person waits for a button the page still disables (the app loading its
// data after a navigation) before clicking it.
func (p *page) click(css string) {
	p.tb.Helper()
	p.wait(`((e) => e && !e.disabled)(document.querySelector(`+js(css)+`))`, "an enabled "+css)
	p.do(chromedp.Click(chromedp.CSS(css), chromedp.NodeVisible))
}

func (p *page) typeInto(css, text string) {
	p.tb.Helper()
	p.do(chromedp.SendKeys(chromedp.CSS(css), text, chromedp.NodeVisible))
}

// js quotes s as a JavaScript string literal.
func js(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// Keys typed into the focused element.
func typeText(s string) chromedp.Action[chromedp.Void] { return chromedp.KeyEvent(s) }

// enter presses Enter as a person does: a key down the page may cancel
// (the composer sends), and no separate character event (which
// chromedp.KeyEvent("\r") adds, and which would type a newline even
// after the page cancelled the key down).
func enter() chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		for _, typ := range []input.DispatchKeyEventType{input.DispatchKeyEventTypeRawKeyDown, input.DispatchKeyEventTypeKeyUp} {
			_, err := cdp.Call(ctx, t, input.DispatchKeyEvent, input.DispatchKeyEventParams{
				Type: typ, Key: "Enter", Code: "Enter", WindowsVirtualKeyCode: 13, NativeVirtualKeyCode: 13,
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
}
func shiftEnter() chromedp.Action[chromedp.Void] {
	return chromedp.KeyEvent("\r", chromedp.KeyModifiers(chromedp.ModifierShift))
}

// throttleUploads limits what the tab sends to bytesPerSec.
func throttleUploads(bytesPerSec float64) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		if _, err := cdp.Call(ctx, t, network.Enable, network.EnableParams{}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, t, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
			MatchedNetworkConditions: []*network.Conditions{{DownloadThroughput: -1, UploadThroughput: bytesPerSec}},
		})
		return err
	})
}
