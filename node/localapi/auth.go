package localapi

import (
	"crypto/subtle"
	"net/http"
	"strings"
)

// authKind is how a request proved it may use the API.
type authKind int

const (
	authNone    authKind = iota
	authBearer           // Authorization: Bearer TOKEN (the CLI, scripts)
	authSession          // the pigeon_session cookie (the web UI)
)

// authenticate checks r's bearer token in constant time or, when r has no
// Authorization header, its session cookie. A session in use has its
// cookie renewed now and then (sessions.touch), so that it expires 30 days
// after its last use in the browser too. A token in the URL is never
// accepted: URLs end up in histories and logs.
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request) authKind {
	if h := r.Header.Get("Authorization"); h != "" {
		got, ok := strings.CutPrefix(h, "Bearer ")
		if ok && len(s.token) > 0 && subtle.ConstantTimeCompare([]byte(got), s.token) == 1 {
			return authBearer
		}
		return authNone
	}
	c, err := r.Cookie(SessionCookie)
	if err != nil {
		return authNone
	}
	// An unknown cookie is left alone, not cleared: cookies are shared by
	// every port of a host, so it may be another daemon's session.
	ok, renew := s.sessions.touch(c.Value)
	if !ok {
		return authNone
	}
	if renew {
		s.setSessionCookie(w, c.Value)
	}
	return authSession
}
