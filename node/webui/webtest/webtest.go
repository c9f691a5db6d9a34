// Package webtest drives a headless Chromium against Pigeon nodes for
// browser tests: a node's local API on loopback (an in-process node, or a
// `pigeon daemon` process), a browser with one isolated profile per page,
// logging a page in through a one-time login link, and reading the page.
//
// A test starts a node and a browser and logs a page in:
//
//	api := webtest.StartNode(t)              // or webtest.Serve(t, n, home), webtest.StartDaemon(t, bin)
//	b := webtest.NewBrowser(t)               // skips when no Chromium is installed
//	p := b.Login(t, api)                     // a fresh profile, logged in, at api.URL + "/"
//	p.WaitJS(t, `document.title === "Pigeon"`, "the app")
//	n := webtest.Eval[int](t, p, `document.querySelectorAll("li").length`)
//	p.Do(t, chromedp.Click(chromedp.CSS("#send")))
//
// Every page op fails the test after OpTimeout. Pages and browsers are
// closed by tb.Cleanup; at a failure the page's console and uncaught
// exceptions are logged.
//
// Chromium is looked up as PIGEON_CHROMIUM, then chromium,
// chromium-headless-shell, chromium-browser, google-chrome on PATH. Without
// one, NewBrowser skips the test and says how to install it (`apt-get
// install chromium`); with PIGEON_REQUIRE_BROWSER=1 (CI) it fails instead.
//
// The package uses chromedp: it speaks the DevTools protocol over a pipe
// to the browser it starts, downloads nothing, and its calls take
// contexts, so every step has a deadline.
package webtest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	cdpruntime "github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/localapi"
)

const (
	// EnvChromium names the browser binary to use.
	EnvChromium = "PIGEON_CHROMIUM"
	// EnvRequireBrowser set to 1 makes a missing browser a failure.
	EnvRequireBrowser = "PIGEON_REQUIRE_BROWSER"
	// OpTimeout bounds each page op (navigation, evaluation, wait).
	OpTimeout = 60 * time.Second
)

// InstallHint is how to get a browser for these tests.
const InstallHint = "no Chromium found for the browser tests: install it with `apt-get install chromium` " +
	"(or chromium-headless-shell), or set " + EnvChromium + " to its path"

// ChromiumPath returns the browser to run, or skips tb (fails it under
// PIGEON_REQUIRE_BROWSER=1) when there is none.
func ChromiumPath(tb testing.TB) string {
	tb.Helper()
	if p := os.Getenv(EnvChromium); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-headless-shell", "chromium-browser", "google-chrome", "google-chrome-stable", "headless_shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv(EnvRequireBrowser) == "1" {
		tb.Fatal(InstallHint)
	}
	tb.Skip(InstallHint)
	return ""
}

// API is a node's local API on 127.0.0.1.
type API struct {
	URL   string // http://127.0.0.1:PORT
	Token string
	Home  string // the node's home directory
	// Node and Server are set for an in-process node (Serve, StartNode).
	Node   *node.Node
	Server *localapi.Server
}

// testToken is the API token of in-process nodes.
const testToken = "5eb63bbbe01eeed093cb22bb8f5acdc35eb63bbbe01eeed093cb22bb8f5acdc3"

// Serve serves n's local API on 127.0.0.1 (web sessions kept in home, as
// the daemon does) until the end of the test.
func Serve(tb testing.TB, n *node.Node, home string, opts ...localapi.Option) *API {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	if home != "" {
		opts = append([]localapi.Option{localapi.WithHome(home)}, opts...)
	}
	s := localapi.New(n, testToken, slog.New(slog.DiscardHandler), opts...)
	served := make(chan error, 1)
	go func() { served <- s.Serve(ln) }()
	tb.Cleanup(func() {
		s.Close()
		if err := <-served; err != nil {
			tb.Errorf("serve local API: %v", err)
		}
	})
	return &API{URL: "http://" + ln.Addr().String(), Token: testToken, Home: home, Node: n, Server: s}
}

// StartNode starts an in-process node on 127.0.0.1 with its home in a
// temporary directory, and serves its local API.
func StartNode(tb testing.TB, opts ...node.Option) *API {
	tb.Helper()
	home := tb.TempDir()
	opts = append([]node.Option{node.WithHome(home), node.WithListenAddrs("/ip4/127.0.0.1/tcp/0")}, opts...)
	n, err := node.New(opts...)
	if err != nil {
		tb.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), OpTimeout)
	defer cancel()
	if err := n.Start(ctx); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { n.Close() })
	return Serve(tb, n, home)
}

// Addr is the API's host:port.
func (a *API) Addr() string { return strings.TrimPrefix(a.URL, "http://") }

// Do sends an API request with the bearer token, the body in as JSON (if
// not nil), and decodes a 2xx JSON response into out (if not nil); any
// other status fails the test.
func (a *API) Do(tb testing.TB, method, path string, in, out any) {
	tb.Helper()
	status, body := a.Request(tb, method, path, in)
	if status/100 != 2 {
		tb.Fatalf("%s %s: %d %s", method, path, status, body)
	}
	if out != nil {
		if err := json.Unmarshal(body, out); err != nil {
			tb.Fatalf("%s %s: decode %s: %v", method, path, body, err)
		}
	}
}

// Request sends an API request with the bearer token and returns the
// status and body, whatever they are.
func (a *API) Request(tb testing.TB, method, path string, in any) (int, []byte) {
	tb.Helper()
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			tb.Fatal(err)
		}
		body = bytes.NewReader(b)
	}
	ctx, cancel := context.WithTimeout(context.Background(), OpTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, a.URL+path, body)
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+a.Token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatalf("%s %s: %v", method, path, err)
	}
	return resp.StatusCode, b
}

// LoginURL makes a one-time login link (POST /v1/web/login-codes).
func (a *API) LoginURL(tb testing.TB) string {
	tb.Helper()
	var lc localapi.LoginCode
	a.Do(tb, "POST", "/v1/web/login-codes", nil, &lc)
	return lc.URL
}

// Info is GET /v1/info.
func (a *API) Info(tb testing.TB) localapi.Info {
	tb.Helper()
	var info localapi.Info
	a.Do(tb, "GET", "/v1/info", nil, &info)
	return info
}

// Browser is a headless Chromium started for one test (or a group of
// subtests); each Page gets a profile of its own.
type Browser struct {
	ctx context.Context // the browser's chromedp context
}

// BrowserOption configures NewBrowser.
type BrowserOption func(*browserConfig)

type browserConfig struct {
	hostRules     []string
	width, height int
}

// MapHost makes the browser resolve name to 127.0.0.1, as a site does
// that points its name at the victim's machine (DNS rebinding).
func MapHost(name string) BrowserOption {
	return func(c *browserConfig) { c.hostRules = append(c.hostRules, "MAP "+name+" 127.0.0.1") }
}

// WindowSize sets the size of the browser's window (default 1280×800).
func WindowSize(width, height int) BrowserOption {
	return func(c *browserConfig) { c.width, c.height = width, height }
}

// NewBrowser starts a headless Chromium with a fresh profile directory,
// closed at the end of the test. It skips the test without a browser.
func NewBrowser(tb testing.TB, opts ...BrowserOption) *Browser {
	tb.Helper()
	path := ChromiumPath(tb)
	cfg := browserConfig{width: 1280, height: 800}
	for _, o := range opts {
		o(&cfg)
	}
	flags := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.UserDataDir(tb.TempDir()),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.WindowSize(cfg.width, cfg.height),
		// The machine's network is closed: nothing but the test's servers.
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("no-proxy-server", true),
	)
	if len(cfg.hostRules) > 0 {
		flags = append(flags, chromedp.Flag("host-resolver-rules", strings.Join(cfg.hostRules, ", ")))
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), flags...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	tb.Cleanup(func() {
		cancel()
		cancelAlloc() // waits for the browser process to exit
	})
	// The first Do starts the browser and ties it to ctx, which has no
	// deadline; startup itself is bounded by the watchdog.
	if err := within(OpTimeout, func() error { return chromedp.Do(ctx) }, cancel); err != nil {
		tb.Fatalf("start %s: %v", path, err)
	}
	return &Browser{ctx: ctx}
}

// within runs f, cancelling with stop if it takes longer than d.
func within(d time.Duration, f func() error, stop context.CancelFunc) error {
	t := time.AfterFunc(d, stop)
	defer t.Stop()
	return f()
}

// Page is one tab with a profile of its own (cookies included), so two
// pages of one browser can be two users.
type Page struct {
	// Ctx is the tab's chromedp context, for chromedp actions the helpers
	// do not cover; derive a deadline from it for each call.
	Ctx context.Context

	mu      sync.Mutex // guards urls and console
	urls    []string   // every request and WebSocket URL the page made
	console []string   // console messages and uncaught exceptions
}

// NewPage opens a tab in a new, empty profile.
func (b *Browser) NewPage(tb testing.TB) *Page {
	tb.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	tb.Cleanup(cancel)
	p := &Page{Ctx: ctx}
	// Listen opens the tab (on ctx, which has no deadline: it is the tab's
	// life) and calls back on chromedp's reading goroutine.
	err := within(OpTimeout, func() error {
		return chromedp.Listen(ctx, func(ev any) {
			p.mu.Lock()
			defer p.mu.Unlock()
			switch ev := ev.(type) {
			case *network.EventRequestWillBeSent:
				p.urls = append(p.urls, ev.Request.URL)
			case *network.EventWebSocketCreated:
				p.urls = append(p.urls, ev.URL)
			case *cdpruntime.EventConsoleAPICalled:
				var args []string
				for _, a := range ev.Args {
					if a.Value != nil {
						args = append(args, string(a.Value))
					} else {
						args = append(args, a.Description)
					}
				}
				p.console = append(p.console, fmt.Sprintf("console.%s: %s", ev.Type, strings.Join(args, " ")))
			case *cdpruntime.EventExceptionThrown:
				d := ev.ExceptionDetails
				msg := d.Text
				if d.Exception != nil {
					msg += " " + d.Exception.Description
				}
				p.console = append(p.console, fmt.Sprintf("exception at %s:%d: %s", d.URL, d.LineNumber, msg))
			}
		})
	}, cancel)
	if err != nil {
		tb.Fatalf("open tab: %v", err)
	}
	tb.Cleanup(func() {
		if tb.Failed() {
			if c := p.Console(); len(c) > 0 {
				tb.Logf("page console:\n%s", strings.Join(c, "\n"))
			}
		}
	})
	return p
}

// Login opens a new page and logs it in to a through a one-time login
// link, as a person does who runs `pigeon web` and follows the link.
func (b *Browser) Login(tb testing.TB, a *API) *Page {
	tb.Helper()
	p := b.NewPage(tb)
	p.OpenLoginURL(tb, a.LoginURL(tb))
	return p
}

// OpenLoginURL follows a login link and checks that it lands on the app
// ("/" of the link's origin) with a session cookie.
func (p *Page) OpenLoginURL(tb testing.TB, url string) {
	tb.Helper()
	status := p.Navigate(tb, url)
	if status != http.StatusOK {
		tb.Fatalf("login link %s: landed with status %d", url, status)
	}
	if path := Eval[string](tb, p, `location.pathname + location.search`); path != "/" {
		tb.Fatalf("login link %s: landed at %q, want /", url, path)
	}
	origin := url[:strings.Index(url, "/login")]
	for _, c := range p.Cookies(tb, origin) {
		if c.Name == localapi.SessionCookie {
			return
		}
	}
	tb.Fatalf("login link %s: no %s cookie", url, localapi.SessionCookie)
}

// op runs f with OpTimeout.
func (p *Page) op(tb testing.TB, what string, f func(ctx context.Context) error) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(p.Ctx, OpTimeout)
	defer cancel()
	if err := f(ctx); err != nil {
		tb.Fatalf("%s: %v", what, err)
	}
}

// Navigate loads url and returns the HTTP status of the document (after
// redirects).
func (p *Page) Navigate(tb testing.TB, url string) int {
	tb.Helper()
	var status int
	p.op(tb, "navigate to "+url, func(ctx context.Context) error {
		resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(url))
		if resp != nil {
			status = int(resp.Status)
		}
		return err
	})
	return status
}

// Do runs chromedp actions in order.
func (p *Page) Do(tb testing.TB, actions ...chromedp.Action[chromedp.Void]) {
	tb.Helper()
	p.op(tb, "page actions", func(ctx context.Context) error { return chromedp.Do(ctx, actions...) })
}

// Eval evaluates a JavaScript expression in p (awaiting a promise) and
// decodes its value into T.
func Eval[T any](tb testing.TB, p *Page, js string) T {
	tb.Helper()
	var v T
	p.op(tb, "evaluate "+abbrev(js), func(ctx context.Context) error {
		var err error
		v, err = chromedp.Run(ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
		return err
	})
	return v
}

// Exec evaluates JavaScript for its effect (awaiting a promise).
func (p *Page) Exec(tb testing.TB, js string) {
	tb.Helper()
	Eval[chromedp.Void](tb, p, js)
}

// WaitJS polls the JavaScript expression cond until it is true (truthy),
// failing the test after OpTimeout with what it waited for.
func (p *Page) WaitJS(tb testing.TB, cond, what string) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(p.Ctx, OpTimeout)
	defer cancel()
	expr := "!!(" + cond + ")"
	for wait := 5 * time.Millisecond; ; wait = min(2*wait, 100*time.Millisecond) {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr, chromedp.EvalAwaitPromise))
		if err == nil && ok {
			return
		}
		select {
		case <-ctx.Done():
			tb.Fatalf("timed out after %v waiting for %s (%s): last error %v", OpTimeout, what, abbrev(cond), err)
		case <-time.After(wait):
		}
	}
}

// Screenshot saves a PNG of the whole page at path.
func (p *Page) Screenshot(tb testing.TB, path string) {
	tb.Helper()
	var png []byte
	p.op(tb, "screenshot", func(ctx context.Context) error {
		var err error
		png, err = chromedp.Run(ctx, chromedp.FullScreenshot(100))
		return err
	})
	if err := os.WriteFile(path, png, 0o644); err != nil {
		tb.Fatal(err)
	}
}

// Cookies returns the page's cookies for url.
func (p *Page) Cookies(tb testing.TB, url string) []*network.Cookie {
	tb.Helper()
	var cs []*network.Cookie
	p.op(tb, "get cookies", func(ctx context.Context) error {
		res, err := chromedp.Call(ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{url}})
		cs = res.Cookies
		return err
	})
	return cs
}

// URLs returns every URL the page requested so far: documents, scripts,
// fetches, WebSockets.
func (p *Page) URLs() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.urls...)
}

// Console returns the page's console messages and uncaught exceptions.
func (p *Page) Console() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.console...)
}

// AssertNoSecretsInURLs fails tb if a URL the page requested holds the
// API token or the page's session cookie for a.
func AssertNoSecretsInURLs(tb testing.TB, p *Page, a *API) {
	tb.Helper()
	secrets := []string{a.Token}
	for _, c := range p.Cookies(tb, a.URL) {
		if c.Name == localapi.SessionCookie {
			secrets = append(secrets, c.Value)
		}
	}
	urls := p.URLs()
	if len(urls) == 0 {
		tb.Fatal("the page requested nothing")
	}
	for _, u := range urls {
		for _, s := range secrets {
			if strings.Contains(u, s) {
				tb.Errorf("URL %s holds a secret (token or session ID)", u)
			}
		}
	}
}

func abbrev(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 80 {
		s = s[:77] + "..."
	}
	return s
}

// Daemon is a `pigeon daemon` process with its API.
type Daemon struct {
	*API
	bin  string
	args []string
	port string // the API port of the last start, kept across Restart

	mu      sync.Mutex // guards log
	log     bytes.Buffer
	cmd     *exec.Cmd
	exited  chan struct{}
	waitErr error // set before exited is closed
}

// buildDir holds the binary BuildPigeon made; Main removes it.
var buildDir string

var build = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "pigeon-webtest-")
	if err != nil {
		return "", err
	}
	buildDir = dir
	bin := filepath.Join(dir, "pigeon")
	goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(goTool); err != nil {
		goTool = "go"
	}
	out, err := exec.Command(goTool, "build", "-o", bin, "github.com/pigeon-net/pigeon/cmd/pigeon").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
})

// BuildPigeon builds cmd/pigeon once per test binary and returns its path.
// Call Main from TestMain to remove it at the end.
func BuildPigeon(tb testing.TB) string {
	tb.Helper()
	bin, err := build()
	if err != nil {
		tb.Fatal(err)
	}
	return bin
}

// Main runs the tests and removes what BuildPigeon built:
//
//	func TestMain(m *testing.M) { webtest.Main(m) }
func Main(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// StartDaemon runs `bin daemon` on a new home, listening on 127.0.0.1 for
// peers and for its API, with extra daemon flags args, and waits until its
// API answers. It is stopped at the end of the test (its log is printed if
// the test failed).
func StartDaemon(tb testing.TB, bin string, args ...string) *Daemon {
	tb.Helper()
	d := &Daemon{API: &API{Home: tb.TempDir()}, bin: bin, args: args, port: "0"}
	tb.Cleanup(func() {
		d.Stop(tb)
		if tb.Failed() {
			tb.Logf("daemon log:\n%s", d.Log())
		}
	})
	d.start(tb)
	return d
}

func (d *Daemon) start(tb testing.TB) {
	tb.Helper()
	os.Remove(filepath.Join(d.Home, "api.addr"))
	args := append([]string{"--home", d.Home, "daemon", "--api", "127.0.0.1:" + d.port,
		"--listen", "/ip4/127.0.0.1/tcp/0", "--log-level", "debug"}, d.args...)
	d.cmd = exec.Command(d.bin, args...)
	d.cmd.Stdout = d
	d.cmd.Stderr = d
	d.exited = make(chan struct{})
	if err := d.cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	cmd, exited := d.cmd, d.exited
	go func() { // owned by the daemon: Stop waits for exited
		d.waitErr = cmd.Wait()
		close(exited)
	}()
	deadline := time.Now().Add(OpTimeout)
	for {
		b, err := os.ReadFile(filepath.Join(d.Home, "api.addr"))
		if addr := strings.TrimSpace(string(b)); err == nil && addr != "" {
			tok, err := localapi.ReadToken(d.Home)
			if err != nil {
				tb.Fatal(err)
			}
			d.URL, d.Token = "http://"+addr, tok
			_, d.port, _ = net.SplitHostPort(addr)
			return
		}
		select {
		case <-exited:
			tb.Fatalf("daemon exited (%v) before serving its API:\n%s", d.waitErr, d.Log())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			tb.Fatalf("daemon did not serve its API within %v:\n%s", OpTimeout, d.Log())
		}
	}
}

// Write collects the daemon's output.
func (d *Daemon) Write(b []byte) (int, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.log.Write(b)
}

// Log returns the daemon's output so far.
func (d *Daemon) Log() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.log.String()
}

// Stop stops the daemon with SIGTERM (SIGKILL after OpTimeout) and waits
// for it. It does nothing when the daemon is not running.
func (d *Daemon) Stop(tb testing.TB) {
	tb.Helper()
	if d.cmd == nil {
		return
	}
	select {
	case <-d.exited:
		return
	default:
	}
	d.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-d.exited:
	case <-time.After(OpTimeout):
		d.cmd.Process.Kill()
		<-d.exited
		tb.Errorf("daemon did not stop within %v of SIGTERM", OpTimeout)
	}
	var exit *exec.ExitError
	if d.waitErr != nil && !errors.As(d.waitErr, &exit) {
		tb.Errorf("daemon: %v", d.waitErr)
	}
}

// Restart stops the daemon and starts it again on the same home and the
// same API port, so the browser's pages keep their origin.
func (d *Daemon) Restart(tb testing.TB) {
	tb.Helper()
	d.Stop(tb)
	d.start(tb)
}
