package localapi

import (
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// ContentSecurityPolicy is sent with every response: scripts, styles and
// connections only from the daemon's own origin, no inline script or style
// element, no plugins, no framing.
const ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; " +
	"img-src 'self' blob: data:; media-src 'self' blob:; connect-src 'self'; object-src 'none'; " +
	"base-uri 'none'; frame-ancestors 'none'; form-action 'self'"

// Option configures a Server.
type Option func(*config)

type config struct {
	home         string
	now          func() time.Time
	replayEvents int
	replayBytes  int
}

// WithHome keeps the web sessions in dir (the node's home directory), so
// that browsers stay logged in across daemon restarts. Without it sessions
// last as long as the Server.
func WithHome(dir string) Option { return func(c *config) { c.home = dir } }

// withClock replaces time.Now for session and login code expiry (tests).
func withClock(now func() time.Time) Option { return func(c *config) { c.now = now } }

// withReplay bounds the event replay buffer (tests).
func withReplay(events, bytes int) Option {
	return func(c *config) { c.replayEvents, c.replayBytes = events, bytes }
}

// secure wraps next in the checks every request passes, before
// authentication: the Host header names this server on loopback (DNS
// rebinding), a state-changing request comes from the daemon's own origin
// (http.CrossOriginProtection), and every response carries the security
// headers.
func (s *Server) secure(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusForbidden, CodeCrossOrigin,
			"cross-origin request refused: the local API takes state-changing requests only from its own pages or from programs")
	}))
	inner := cop.Handler(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", ContentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		if !hostAllowed(r) {
			writeError(w, http.StatusMisdirectedRequest, CodeBadHost,
				"wrong Host header: the local API answers only to 127.0.0.1, localhost or [::1] with its own port")
			return
		}
		inner.ServeHTTP(w, r)
	})
}

// hostAllowed reports whether r's Host header is a loopback name with the
// port r came in on. A page of another site that made its name resolve to
// 127.0.0.1 (DNS rebinding) sends its own name and is refused. Requests
// over a Unix socket pass: no browser reaches one by a name.
func hostAllowed(r *http.Request) bool {
	local := localAddr(r)
	if _, unix := local.(*net.UnixAddr); unix {
		return true
	}
	name, port, err := net.SplitHostPort(r.Host)
	if err != nil { // no port: the scheme's default
		name, port = strings.TrimSuffix(strings.TrimPrefix(r.Host, "["), "]"), "80"
	}
	switch strings.ToLower(name) {
	case "127.0.0.1", "localhost", "::1":
	default:
		return false
	}
	if tcp, ok := local.(*net.TCPAddr); ok {
		return port == strconv.Itoa(tcp.Port)
	}
	return true // no connection to compare with (a handler called directly)
}

func localAddr(r *http.Request) net.Addr {
	a, _ := r.Context().Value(http.LocalAddrContextKey).(net.Addr)
	return a
}

// route sends /v1/ to the API (authenticated), /login to the login link and
// everything else to the web UI, which holds no data.
func (s *Server) route(w http.ResponseWriter, r *http.Request) {
	switch p := r.URL.Path; {
	case p == "/v1" || strings.HasPrefix(p, "/v1/"):
		s.serveAPI(w, r)
	case p == "/login":
		s.handleLogin(w, r)
	default:
		s.ui.ServeHTTP(w, r)
	}
}

// serveAPI authenticates r (auth.go) and serves it from the API's routes.
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	switch s.authenticate(w, r) {
	case authNone:
		w.Header().Set("WWW-Authenticate", `Bearer realm="pigeon"`)
		writeError(w, http.StatusUnauthorized, CodeUnauthorized,
			"missing or wrong API token, or no web session: run `pigeon web` to log in")
		return
	case authSession:
		// The session cookie is sent by the browser from any page of the
		// same site, which includes every other port of 127.0.0.1: data is
		// only for the daemon's own pages (and for links opened directly).
		if crossSiteFetch(r) {
			writeError(w, http.StatusForbidden, CodeCrossOrigin,
				"cross-origin request refused: the web session works only on the daemon's own pages")
			return
		}
	}
	if !s.ready.Load() && !setupOpen(r.URL.Path) {
		writeError(w, http.StatusServiceUnavailable, CodeNotSetUp,
			"this device is not set up yet: create an account or link this device to one (in the web UI: `pigeon web`; or `pigeon init`, `pigeon init --link CODE`)")
		return
	}
	s.mux.ServeHTTP(w, r)
}

// crossSiteFetch reports whether a browser says r comes from a page of
// another origin.
func crossSiteFetch(r *http.Request) bool {
	switch r.Header.Get("Sec-Fetch-Site") {
	case "", "same-origin", "none":
	default:
		return true
	}
	origin := r.Header.Get("Origin")
	return origin != "" && !sameOrigin(origin, r.Host)
}

// sameOrigin reports whether origin is http://host (host as in the Host
// header, which hostAllowed checked).
func sameOrigin(origin, host string) bool {
	rest, ok := strings.CutPrefix(strings.ToLower(origin), "http://")
	return ok && rest == strings.ToLower(host)
}

// handleLogin consumes a one-time login code (GET /login?code=CODE), sets
// the session cookie and sends the browser to the app.
func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", "GET")
		writeError(w, http.StatusMethodNotAllowed, CodeBadRequest, "use GET /login?code=CODE (from `pigeon web`)")
		return
	}
	id, err := s.sessions.redeem(r.URL.Query().Get("code"))
	if err != nil {
		s.logger.Info("login link refused", "err", err)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusForbidden)
		w.Write([]byte(loginFailedPage))
		return
	}
	s.setSessionCookie(w, id)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

const loginFailedPage = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Pigeon: login link not valid</title></head>
<body><main>
<h1>This login link does not work</h1>
<p>A login link works once, for 10 minutes, on the daemon that made it.
Run <code>pigeon web</code> again for a new one.</p>
</main></body>
</html>
`

func (s *Server) setSessionCookie(w http.ResponseWriter, id string) {
	http.SetCookie(w, &http.Cookie{
		Name:     SessionCookie,
		Value:    id,
		Path:     "/",
		MaxAge:   int(sessionIdle / time.Second),
		HttpOnly: true,
		SameSite: http.SameSiteStrictMode,
	})
}

// handleLoginCode makes a one-time login link (POST /v1/web/login-codes).
func (s *Server) handleLoginCode(w http.ResponseWriter, r *http.Request) {
	code, expires, err := s.sessions.newCode()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, &LoginCode{
		URL:       "http://" + r.Host + "/login?code=" + code,
		Code:      code,
		ExpiresAt: utc(expires),
	})
}

// handleLogout ends the request's web session, if it has one, and clears
// the cookie (POST /v1/web/logout).
func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(SessionCookie); err == nil {
		if err := s.sessions.end(c.Value); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteStrictMode})
	w.WriteHeader(http.StatusNoContent)
}

// Error codes of the local security checks.
const (
	// CodeBadHost: the Host header is not a loopback name with the API's
	// port (421), as when another site's name resolves to 127.0.0.1.
	CodeBadHost = "bad_host"
	// CodeCrossOrigin: a state-changing request, a WebSocket or a request
	// with the session cookie from a page of another origin (403).
	CodeCrossOrigin = "cross_origin"
)

// LoginCode is the response of POST /v1/web/login-codes: a one-time login
// link (URL, with Code in it) that works until ExpiresAt.
type LoginCode struct {
	URL       string    `json:"url"`
	Code      string    `json:"code"`
	ExpiresAt time.Time `json:"expires_at"`
}
