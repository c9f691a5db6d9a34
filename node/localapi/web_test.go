package localapi

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"crypto/sha256"

	"github.com/coder/websocket"
)

// noRedirect is a client that returns redirects instead of following them.
var noRedirect = &http.Client{
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	Timeout:       30 * time.Second,
}

// webReq describes one request of the web tests.
type webReq struct {
	method, path string
	host         string // the Host header; the server's address if empty
	token        string // bearer token, if any
	cookie       string // session cookie, if any
	header       http.Header
	body         string
}

// send makes the request and returns the response with its body read.
func (s *testServer) send(t *testing.T, q webReq) (*http.Response, []byte) {
	t.Helper()
	if q.method == "" {
		q.method = "GET"
	}
	req, err := http.NewRequest(q.method, s.url+q.path, strings.NewReader(q.body))
	if err != nil {
		t.Fatal(err)
	}
	if q.host != "" {
		req.Host = q.host
	}
	if q.token != "" {
		req.Header.Set("Authorization", "Bearer "+q.token)
	}
	if q.cookie != "" {
		req.AddCookie(&http.Cookie{Name: SessionCookie, Value: q.cookie})
	}
	for k, v := range q.header {
		req.Header[k] = v
	}
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

func (s *testServer) port() string {
	_, p, _ := net.SplitHostPort(s.addr)
	return p
}

// login gets a login code with the token, opens the link and returns the
// session cookie's value.
func (s *testServer) login(t *testing.T) string {
	t.Helper()
	lc := s.loginCode(t)
	resp, body := s.send(t, webReq{path: strings.TrimPrefix(lc.URL, s.url)})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/" {
		t.Fatalf("login link: %d %q %s", resp.StatusCode, resp.Header.Get("Location"), body)
	}
	for _, c := range resp.Cookies() {
		if c.Name == SessionCookie {
			return c.Value
		}
	}
	t.Fatalf("login link set no %s cookie: %q", SessionCookie, resp.Header.Values("Set-Cookie"))
	return ""
}

func (s *testServer) loginCode(t *testing.T) LoginCode {
	t.Helper()
	resp, body := s.send(t, webReq{method: "POST", path: "/v1/web/login-codes", token: testToken})
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("login code: %d %s", resp.StatusCode, body)
	}
	var lc LoginCode
	if err := json.Unmarshal(body, &lc); err != nil {
		t.Fatal(err)
	}
	return lc
}

// A foreign Host header (a site whose name resolves to 127.0.0.1: DNS
// rebinding) is refused with 421 before anything else, token or not; the
// loopback names with the server's port pass.
func TestHostCheck(t *testing.T) {
	s := startServer(t, nil)
	port := s.port()
	for _, host := range []string{"127.0.0.1:" + port, "localhost:" + port, "LocalHost:" + port, "[::1]:" + port} {
		if resp, body := s.send(t, webReq{path: "/", host: host}); resp.StatusCode != http.StatusOK {
			t.Errorf("Host %s: %d %s", host, resp.StatusCode, body)
		}
		if resp, body := s.send(t, webReq{method: "POST", path: "/v1/web/login-codes", host: host, token: testToken}); resp.StatusCode != http.StatusCreated {
			t.Errorf("Host %s: login code: %d %s", host, resp.StatusCode, body)
		}
	}
	other, _ := strconv.Atoi(port)
	for _, host := range []string{
		"evil.test:" + port, "evil.test", "127.0.0.1", "127.0.0.1:" + strconv.Itoa(other+1), "localhost.:" + port,
		"127.0.0.2:" + port, "localhost:" + port + ":1", "[::1]:" + port + "x", "pigeon.localhost:" + port,
	} {
		for _, q := range []webReq{
			{path: "/", host: host},
			{path: "/v1/info", host: host, token: testToken},
			{method: "POST", path: "/v1/web/login-codes", host: host, token: testToken},
			{path: "/login?code=" + strings.Repeat("0", 32), host: host},
		} {
			resp, body := s.send(t, q)
			if resp.StatusCode != http.StatusMisdirectedRequest {
				t.Errorf("Host %q %s %s: %d %s, want 421", host, q.method, q.path, resp.StatusCode, body)
				continue
			}
			if e := (response{resp.StatusCode, body}).apiError(t); e.Code != CodeBadHost {
				t.Errorf("Host %q: code %q", host, e.Code)
			}
		}
	}
}

// A state-changing request that a browser says comes from another origin
// is refused (http.CrossOriginProtection), token or session alike; one from
// the daemon's own origin, or from a program (no Sec-Fetch-Site, no
// Origin), passes.
func TestCrossOriginRefused(t *testing.T) {
	s := startServer(t, startNode(t))
	cookie := s.login(t)
	own := "http://" + s.addr
	other := "http://127.0.0.1:1" // same site (cookies go there), another origin
	refused := []http.Header{
		{"Sec-Fetch-Site": {"cross-site"}},
		{"Sec-Fetch-Site": {"same-site"}, "Origin": {other}},
		{"Sec-Fetch-Site": {"same-site"}},
		{"Origin": {other}},
		{"Origin": {"http://evil.test"}},
		{"Origin": {"null"}},
	}
	allowed := []http.Header{
		{},
		{"Sec-Fetch-Site": {"same-origin"}, "Origin": {own}},
		{"Origin": {own}},
		{"Sec-Fetch-Site": {"none"}},
	}
	for _, auth := range []webReq{{token: testToken}, {cookie: cookie}} {
		for _, h := range refused {
			q := auth
			q.method, q.path, q.header = "POST", "/v1/web/login-codes", h
			resp, body := s.send(t, q)
			if resp.StatusCode != http.StatusForbidden {
				t.Errorf("POST with %v (cookie %v): %d %s, want 403", h, q.cookie != "", resp.StatusCode, body)
				continue
			}
			if e := (response{resp.StatusCode, body}).apiError(t); e.Code != CodeCrossOrigin {
				t.Errorf("POST with %v: code %q", h, e.Code)
			}
		}
		for _, h := range allowed {
			q := auth
			q.method, q.path, q.header = "POST", "/v1/web/login-codes", h
			if resp, body := s.send(t, q); resp.StatusCode != http.StatusCreated {
				t.Errorf("POST with %v (cookie %v): %d %s, want 201", h, q.cookie != "", resp.StatusCode, body)
			}
		}
	}
	// The session cookie reaches the API from the daemon's own pages only,
	// reads included: a page on another port of 127.0.0.1 is the same site.
	for _, h := range refused {
		if resp, body := s.send(t, webReq{path: "/v1/info", cookie: cookie, header: h}); resp.StatusCode != http.StatusForbidden {
			t.Errorf("GET with session and %v: %d %s, want 403", h, resp.StatusCode, body)
		}
	}
	if resp, body := s.send(t, webReq{path: "/v1/info", cookie: cookie, header: http.Header{"Sec-Fetch-Site": {"same-origin"}}}); resp.StatusCode != http.StatusOK {
		t.Errorf("GET with session from the own origin: %d %s", resp.StatusCode, body)
	}
}

// The event stream refuses a WebSocket whose Origin is not the daemon's,
// with a token or a session alike.
func TestWebSocketOriginRefused(t *testing.T) {
	s := startServer(t, startNode(t))
	cookie := s.login(t)
	dial := func(h http.Header) (*websocket.Conn, *http.Response, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		return websocket.Dial(ctx, "ws://"+s.addr+"/v1/events", &websocket.DialOptions{HTTPHeader: h})
	}
	withSession := func(h http.Header) http.Header {
		h = h.Clone()
		h.Set("Cookie", SessionCookie+"="+cookie)
		return h
	}
	withToken := func(h http.Header) http.Header {
		h = h.Clone()
		h.Set("Authorization", "Bearer "+testToken)
		return h
	}
	for _, origin := range []string{"http://evil.test", "http://127.0.0.1:1", "http://localhost:" + s.port(), "https://" + s.addr, "null"} {
		for _, h := range []http.Header{withToken(http.Header{"Origin": {origin}}), withSession(http.Header{"Origin": {origin}})} {
			c, resp, err := dial(h)
			if err == nil {
				c.CloseNow()
				t.Errorf("WebSocket from %s accepted", origin)
				continue
			}
			if resp == nil || resp.StatusCode != http.StatusForbidden {
				t.Errorf("WebSocket from %s: %v, want 403", origin, err)
			}
		}
	}
	for _, h := range []http.Header{
		withSession(http.Header{"Origin": {"http://" + s.addr}}),
		withToken(http.Header{"Origin": {"http://" + s.addr}}),
		withToken(http.Header{}),
	} {
		c, _, err := dial(h)
		if err != nil {
			t.Fatalf("WebSocket with %v: %v", h, err)
		}
		nextEvent(t, c, EventHello)
		c.CloseNow()
	}
}

// The login link: a one-time code from POST /v1/web/login-codes, consumed
// by GET /login, sets an HttpOnly, SameSite=Strict session cookie that the
// API takes in place of the token; a used, unknown or expired code gets a
// page saying to run `pigeon web` again; logout ends the session.
func TestLoginLink(t *testing.T) {
	clock := newTestClock()
	s := startServer(t, startNode(t), withClock(clock.now))
	lc := s.loginCode(t)
	if lc.URL != s.url+"/login?code="+lc.Code || len(lc.Code) != 32 {
		t.Fatalf("login code %+v", lc)
	}
	if want := clock.now().Add(10 * time.Minute); !lc.ExpiresAt.Equal(want) {
		t.Fatalf("expires %v, want %v", lc.ExpiresAt, want)
	}
	if strings.Contains(lc.URL, testToken) {
		t.Fatal("login URL holds the token")
	}

	// No session yet: the API says how to get one; the UI itself loads.
	resp, body := s.send(t, webReq{path: "/v1/info"})
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(string(body), "pigeon web") {
		t.Fatalf("without session: %d %s", resp.StatusCode, body)
	}
	if resp, _ := s.send(t, webReq{path: "/"}); resp.StatusCode != http.StatusOK {
		t.Fatalf("GET / without session: %d", resp.StatusCode)
	}

	resp, body = s.send(t, webReq{path: "/login?code=" + lc.Code})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/" {
		t.Fatalf("login: %d %q %s", resp.StatusCode, resp.Header.Get("Location"), body)
	}
	var cookie *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == SessionCookie {
			cookie = c
		}
	}
	if cookie == nil || !cookie.HttpOnly || cookie.SameSite != http.SameSiteStrictMode || cookie.Path != "/" || cookie.Secure ||
		cookie.MaxAge != 30*24*3600 || len(cookie.Value) != 43 {
		t.Fatalf("session cookie %+v", cookie)
	}
	if resp, body := s.send(t, webReq{path: "/v1/info", cookie: cookie.Value}); resp.StatusCode != http.StatusOK {
		t.Fatalf("info with session: %d %s", resp.StatusCode, body)
	}
	// A session may make login links too (another browser, a phone).
	if resp, body := s.send(t, webReq{method: "POST", path: "/v1/web/login-codes", cookie: cookie.Value}); resp.StatusCode != http.StatusCreated {
		t.Fatalf("login code with session: %d %s", resp.StatusCode, body)
	}

	used := lc.Code
	expired := s.loginCode(t).Code
	clock.advance(10*time.Minute + time.Second)
	for name, code := range map[string]string{"used": used, "expired": expired, "unknown": strings.Repeat("ab", 16), "short": "abc", "none": ""} {
		resp, body := s.send(t, webReq{path: "/login?code=" + code})
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(string(body), "pigeon web") ||
			!strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") || resp.Header.Get("Content-Security-Policy") != ContentSecurityPolicy {
			t.Errorf("%s code: %d %q %s", name, resp.StatusCode, resp.Header, body)
		}
		if len(resp.Cookies()) != 0 {
			t.Errorf("%s code set a cookie", name)
		}
	}
	if resp, _ := s.send(t, webReq{method: "POST", path: "/login?code=" + s.loginCode(t).Code}); resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /login: %d", resp.StatusCode)
	}

	resp, body = s.send(t, webReq{method: "POST", path: "/v1/web/logout", cookie: cookie.Value})
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("logout: %d %s", resp.StatusCode, body)
	}
	if cs := resp.Cookies(); len(cs) != 1 || cs[0].Name != SessionCookie || cs[0].MaxAge >= 0 {
		t.Fatalf("logout cookies %+v", cs)
	}
	if resp, _ := s.send(t, webReq{path: "/v1/info", cookie: cookie.Value}); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("info after logout: %d", resp.StatusCode)
	}
	// The token is not a session: it keeps working.
	if resp, _ := s.send(t, webReq{path: "/v1/info", token: testToken}); resp.StatusCode != http.StatusOK {
		t.Fatalf("info with token after logout: %d", resp.StatusCode)
	}
}

// Sessions survive a restart of the server (only a hash of each is kept,
// in a 0600 file) and expire after 30 days without use, however long they
// were used before.
func TestSessionPersistenceAndExpiry(t *testing.T) {
	home := t.TempDir()
	clock := newTestClock()
	n := startNode(t)
	s := startServer(t, n, WithHome(home), withClock(clock.now))
	cookie := s.login(t)
	s.Close()

	path := filepath.Join(home, SessionFile)
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Fatalf("%s has mode %v", SessionFile, st.Mode())
	}
	b, _ := os.ReadFile(path)
	sum := sha256.Sum256([]byte(cookie))
	if strings.Contains(string(b), cookie) || !strings.Contains(string(b), hex.EncodeToString(sum[:])) {
		t.Fatalf("%s: %s", SessionFile, b)
	}

	s = startServer(t, n, WithHome(home), withClock(clock.now))
	if resp, body := s.send(t, webReq{path: "/v1/info", cookie: cookie}); resp.StatusCode != http.StatusOK {
		t.Fatalf("session after restart: %d %s", resp.StatusCode, body)
	}
	// Used every 29 days, it lasts; the cookie is renewed with each use
	// that is recorded.
	for range 3 {
		clock.advance(29 * 24 * time.Hour)
		resp, body := s.send(t, webReq{path: "/v1/info", cookie: cookie})
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("session used after 29 days: %d %s", resp.StatusCode, body)
		}
		if cs := resp.Cookies(); len(cs) != 1 || cs[0].Value != cookie || cs[0].MaxAge != 30*24*3600 {
			t.Fatalf("renewed cookie %+v", cs)
		}
	}
	clock.advance(30*24*time.Hour + time.Second)
	if resp, _ := s.send(t, webReq{path: "/v1/info", cookie: cookie}); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("session unused for 30 days: %d", resp.StatusCode)
	}
	s.Close()
	s = startServer(t, n, WithHome(home), withClock(clock.now))
	if resp, _ := s.send(t, webReq{path: "/v1/info", cookie: cookie}); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("expired session after restart: %d", resp.StatusCode)
	}
}

// A sessions file that cannot be read costs its sessions, not the server.
func TestSessionFileCorrupt(t *testing.T) {
	home := t.TempDir()
	if err := os.WriteFile(filepath.Join(home, SessionFile), []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	s := startServer(t, startNode(t), WithHome(home))
	cookie := s.login(t)
	if resp, _ := s.send(t, webReq{path: "/v1/info", cookie: cookie}); resp.StatusCode != http.StatusOK {
		t.Fatalf("new session over a corrupt file: %d", resp.StatusCode)
	}
	b, _ := os.ReadFile(filepath.Join(home, SessionFile))
	if _, err := parseSessionFile(b); err != nil {
		t.Fatalf("rewritten file: %v", err)
	}
}

// Every response, the web UI's pages and the API's alike, carries the
// Content-Security-Policy and the other security headers; the UI needs no
// session and serves its client-side routes.
func TestSecurityHeaders(t *testing.T) {
	s := startServer(t, nil)
	for _, q := range []webReq{
		{path: "/"},
		{path: "/chats/pg123"},
		{path: "/v1/info"},
		{path: "/login?code=x"},
		{path: "/", host: "evil.test"},
	} {
		resp, _ := s.send(t, q)
		for k, v := range map[string]string{
			"Content-Security-Policy":      ContentSecurityPolicy,
			"X-Content-Type-Options":       "nosniff",
			"X-Frame-Options":              "DENY",
			"Referrer-Policy":              "no-referrer",
			"Cross-Origin-Resource-Policy": "same-origin",
		} {
			if got := resp.Header.Get(k); got != v {
				t.Errorf("%s %s: %s %q, want %q", q.host, q.path, k, got, v)
			}
		}
	}
	for _, p := range []string{"/", "/chats/pg123", "/settings"} {
		resp, body := s.send(t, webReq{path: p})
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") ||
			strings.Contains(strings.ToLower(string(body)), "<script>") {
			t.Errorf("GET %s: %d %q", p, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
	}
}

// testClock is a settable clock for expiry.
type testClock struct {
	mu sync.Mutex // guards t
	t  time.Time
}

func newTestClock() *testClock {
	return &testClock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
}

func (c *testClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}
