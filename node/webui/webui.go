// Package webui serves Pigeon's web client, which the daemon mounts at / of
// the local API (node/localapi adds authentication, the Host check and the
// Content-Security-Policy).
//
// This is a placeholder until the app lands: Handler answers every GET with
// one static page saying so. The contract the app keeps: GET / and every
// path that is not /v1/, /login or /assets/ (client-side routes) return
// index.html; /assets/... the static files.
package webui

import (
	"net/http"
	"strings"
)

const placeholder = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Pigeon</title></head>
<body><main><h1>Pigeon</h1><p>The web client is not part of this build yet.</p></main></body>
</html>
`

// Handler serves the embedded web client. It sets no authentication.
func Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		if strings.HasPrefix(r.URL.Path, "/assets/") {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
		w.Write([]byte(placeholder))
	})
}
