package localapi_test

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/pigeon-net/pigeon/node/localapi"
	"github.com/pigeon-net/pigeon/node/webui/webtest"
)

// The browser tests run headless Chromium (node/webui/webtest) against an
// in-process node's API; they skip without Chromium.

// otherSite serves a page on another port of 127.0.0.1: another origin
// but the same site, so the browser sends it the daemon's SameSite=Strict
// cookie. It stands for any local web server, or a page a local program
// serves.
func otherSite(t *testing.T) string {
	t.Helper()
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!doctype html><html><head><title>other</title></head><body><p>another origin</p></body></html>`)
	}))
	t.Cleanup(s.Close)
	return s.URL
}

// The login link logs a browser in with an HttpOnly, SameSite=Strict
// cookie, works once, and no URL the browser uses holds the token or the
// session ID; logout ends the session.
func TestBrowserLoginLink(t *testing.T) {
	api := webtest.StartNode(t)
	b := webtest.NewBrowser(t)
	link := api.LoginURL(t)
	p := b.NewPage(t)
	p.OpenLoginURL(t, link)

	var session string
	for _, c := range p.Cookies(t, api.URL) {
		if c.Name != localapi.SessionCookie {
			continue
		}
		session = c.Value
		if !c.HTTPOnly || c.SameSite != "Strict" || c.Secure || c.Path != "/" || c.Domain != "127.0.0.1" {
			t.Fatalf("session cookie %+v", c)
		}
	}
	if got := webtest.Eval[string](t, p, `document.cookie`); strings.Contains(got, localapi.SessionCookie) {
		t.Fatalf("document.cookie %q shows the HttpOnly session", got)
	}
	info := webtest.Eval[localapi.Info](t, p, `fetch("/v1/info").then(r => r.json())`)
	if info.Account != api.Info(t).Account {
		t.Fatalf("page reads info %+v", info)
	}
	// The stream needs no token either.
	hello := webtest.Eval[localapi.Event](t, p, `new Promise((ok, fail) => {
		const ws = new WebSocket("ws://" + location.host + "/v1/events");
		ws.onmessage = m => { ok(JSON.parse(m.data)); ws.close(); };
		ws.onerror = () => fail(new Error("websocket refused"));
	})`)
	if hello.Type != localapi.EventHello || hello.Epoch == "" {
		t.Fatalf("first frame %+v", hello)
	}

	// The link was used: in another profile it shows how to get a new one.
	q := b.NewPage(t)
	if status := q.Navigate(t, link); status != http.StatusForbidden {
		t.Fatalf("used link: status %d", status)
	}
	if text := webtest.Eval[string](t, q, `document.body.innerText`); !strings.Contains(text, "pigeon web") {
		t.Fatalf("used link page: %q", text)
	}
	if n := len(q.Cookies(t, api.URL)); n != 0 {
		t.Fatalf("used link set %d cookies", n)
	}

	webtest.AssertNoSecretsInURLs(t, p, api)
	for _, u := range p.URLs() {
		if strings.Contains(u, session) {
			t.Fatalf("URL %s holds the session ID", u)
		}
	}

	if status := webtest.Eval[int](t, p, `fetch("/v1/web/logout", {method: "POST"}).then(r => r.status)`); status != http.StatusNoContent {
		t.Fatalf("logout: %d", status)
	}
	if status := webtest.Eval[int](t, p, `fetch("/v1/info").then(r => r.status)`); status != http.StatusUnauthorized {
		t.Fatalf("info after logout: %d", status)
	}
}

// A page of another origin on the same machine cannot change anything
// with the logged-in browser's cookie: not by fetch, not by a form.
func TestBrowserCrossOriginPostRefused(t *testing.T) {
	api := webtest.StartNode(t)
	b := webtest.NewBrowser(t)
	p := b.Login(t, api)
	other := otherSite(t)

	p.Navigate(t, other+"/")
	// fetch without CORS: the browser sends it, with the cookie (same
	// site), and hides the answer (here it even fails the fetch, for the
	// Cross-Origin-Resource-Policy); the daemon must refuse it.
	p.Exec(t, fmt.Sprintf(`Promise.all([
		fetch(%[1]q + "/v1/groups", {method: "POST", mode: "no-cors", credentials: "include",
			headers: {"Content-Type": "text/plain"}, body: JSON.stringify({name: "from another origin", members: []})}),
		fetch(%[1]q + "/v1/web/logout", {method: "POST", mode: "no-cors", credentials: "include"}),
	].map(f => f.catch(() => "blocked")))`, api.URL))
	// A form posts as a navigation (Sec-Fetch-Mode navigate), which carries
	// SameSite=Strict cookies within the site.
	p.Exec(t, fmt.Sprintf(`new Promise(ok => {
		const f = document.createElement("form");
		f.method = "POST"; f.enctype = "text/plain"; f.action = %q;
		const i = document.createElement("input");
		i.name = '{"name":"by a form","members":[],"x":"'; i.value = '"}';
		f.appendChild(i); document.body.appendChild(f); f.submit(); ok();
	})`, api.URL+"/v1/groups"))
	p.WaitJS(t, `location.href.endsWith("/v1/groups") && document.readyState === "complete"`, "the form's answer")
	if text := webtest.Eval[string](t, p, `document.body.innerText`); !strings.Contains(text, localapi.CodeCrossOrigin) {
		t.Fatalf("form post answered %q", text)
	}

	var groups []localapi.Group
	api.Do(t, "GET", "/v1/groups", nil, &groups)
	if len(groups) != 0 {
		t.Fatalf("groups made from another origin: %+v", groups)
	}
	// The session survived the logout attempt, and the same request from
	// the daemon's own page works (so the refusal above was the check's).
	p.Navigate(t, api.URL+"/")
	status := webtest.Eval[int](t, p, `fetch("/v1/groups", {method: "POST", body: JSON.stringify({name: "own", members: []})}).then(r => r.status)`)
	if status != http.StatusCreated {
		t.Fatalf("POST /v1/groups from the own origin: %d", status)
	}
	api.Do(t, "GET", "/v1/groups", nil, &groups)
	if len(groups) != 1 || groups[0].Name != "own" {
		t.Fatalf("groups %+v", groups)
	}
}

// A site whose name resolves to 127.0.0.1 (DNS rebinding) gets 421 for
// its pages and its requests: the Host header names it.
func TestBrowserForeignHostRefused(t *testing.T) {
	api := webtest.StartNode(t)
	b := webtest.NewBrowser(t, webtest.MapHost("rebind.test"))
	_, port, _ := net.SplitHostPort(api.Addr())
	p := b.NewPage(t)
	if status := p.Navigate(t, "http://rebind.test:"+port+"/"); status != http.StatusMisdirectedRequest {
		t.Fatalf("page at rebind.test: status %d, want 421", status)
	}
	got := webtest.Eval[localapi.Error](t, p, `fetch("/v1/info", {headers: {"Authorization": "Bearer `+api.Token+`"}}).then(r => r.json())`)
	if got.Code != localapi.CodeBadHost {
		t.Fatalf("fetch from rebind.test: %+v", got)
	}
	// The same server by a loopback name works.
	if status := p.Navigate(t, "http://localhost:"+port+"/"); status != http.StatusOK {
		t.Fatalf("page at localhost: status %d", status)
	}
}

// Another origin cannot open the event stream, although the browser sends
// it the session cookie.
func TestBrowserWebSocketOriginRefused(t *testing.T) {
	api := webtest.StartNode(t)
	b := webtest.NewBrowser(t)
	p := b.Login(t, api)
	const open = `new Promise(ok => {
		const ws = new WebSocket(%q);
		ws.onopen = () => { ok("open"); ws.close(); };
		ws.onerror = () => ok("refused");
	})`
	events := "ws://" + api.Addr() + "/v1/events"
	if got := webtest.Eval[string](t, p, fmt.Sprintf(open, events)); got != "open" {
		t.Fatalf("own origin: %s", got)
	}
	p.Navigate(t, otherSite(t)+"/")
	if got := webtest.Eval[string](t, p, fmt.Sprintf(open, events)); got != "refused" {
		t.Fatalf("other origin: %s", got)
	}
}
