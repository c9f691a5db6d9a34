// Package webui is Pigeon's web client: a chat application in the browser,
// served by the daemon on the local API's address (localapi mounts Handler
// behind its Host and origin checks; the app talks to the API of the same
// origin with the session cookie that `pigeon web` logs it in with).
//
// The app is plain ES modules built on Preact and htm, vendored in
// static/vendor (see the README there), and embedded with go:embed: go
// build needs neither Node.js nor the network. What the browser loads is
// static/app.js, those modules bundled and minified into one by esbuild's
// Go API (package internal/bundle; `go generate` writes it, and
// TestBundleCurrent fails when it is stale): one request instead of a
// chain of twenty, import by import.
//
// # Serving
//
// Handler answers GET and HEAD:
//
//   - /assets/VERSION/FILE: the files of static/ (index.html aside).
//     VERSION is a digest of every file, so a new build has new URLs; a
//     current URL may be cached for a year (immutable), and reloads
//     revalidate index.html, which names the current version. An old
//     version's URL gets the current file with Cache-Control: no-cache.
//     Text files go out gzipped to clients that accept it.
//   - /v1/..., /login and /assets/ paths that name no file: 404 (the API
//     and login are localapi's).
//   - any other path: index.html (the app's own routes: /chat/ACCOUNT,
//     /group/ID, /settings, ...), with ContentSecurityPolicy unless the
//     caller set a policy already, and Cache-Control: no-cache.
//
// Every response carries an ETag (If-None-Match gets 304) and
// X-Content-Type-Options: nosniff. The handler sets no authentication: the
// files hold no data.
package webui

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ContentSecurityPolicy is the policy of the app's HTML: scripts, styles
// and connections from its own origin only (no inline script or style
// element), images and media also from blob: URLs (previews of files
// being sent), and no framing.
const ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; " +
	"img-src 'self' blob: data:; media-src 'self' blob:; connect-src 'self'; object-src 'none'; " +
	"base-uri 'none'; frame-ancestors 'none'; form-action 'self'"

//go:generate go run gen.go

//go:embed static
var static embed.FS

// assetPrefix is where the files are served; the version follows it.
const assetPrefix = "/assets/"

// versionToken in index.html is replaced by the build's version.
const versionToken = "@VERSION@"

// file is one embedded file, ready to serve.
type file struct {
	body  []byte
	gz    []byte // gzipped body; nil when not worth it
	ctype string
	etag  string // quoted; the gzipped body's has a "-gz" suffix
}

type handler struct {
	version string
	index   file
	files   map[string]*file // by path under static/, e.g. "js/app.js"
}

// Handler returns the handler serving the embedded app. It is safe for
// concurrent use; the files are read and compressed once per process.
func Handler() http.Handler { return loadHandler() }

var loadHandler = sync.OnceValue(func() *handler {
	h, err := newHandler(Files())
	if err != nil {
		panic(fmt.Sprintf("webui: %v", err)) // the embedded files are part of the build
	}
	return h
})

func newHandler(root fs.FS) (*handler, error) {
	h := &handler{files: make(map[string]*file)}
	sum := sha256.New()
	err := fs.WalkDir(root, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(root, p)
		if err != nil {
			return err
		}
		fmt.Fprintf(sum, "%s %d\n", p, len(b))
		sum.Write(b)
		if p != "index.html" {
			h.files[p] = newFile(p, b)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load files: %w", err)
	}
	h.version = hex.EncodeToString(sum.Sum(nil))[:12]

	index, err := fs.ReadFile(root, "index.html")
	if err != nil {
		return nil, fmt.Errorf("load files: %w", err)
	}
	page := strings.ReplaceAll(string(index), versionToken, h.version)
	h.index = *newFile("index.html", []byte(page))
	return h, nil
}

var contentTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".svg":  "image/svg+xml",
	".png":  "image/png",
	".json": "application/json",
	".md":   "text/plain; charset=utf-8",
	".txt":  "text/plain; charset=utf-8",
}

func newFile(name string, b []byte) *file {
	ext := path.Ext(name)
	ctype, ok := contentTypes[ext]
	if !ok {
		ctype = "application/octet-stream"
	}
	d := sha256.Sum256(b)
	f := &file{body: b, ctype: ctype, etag: `"` + hex.EncodeToString(d[:8]) + `"`}
	if strings.HasPrefix(ctype, "text/") || ctype == "image/svg+xml" || ctype == "application/json" {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		zw.Write(b)
		zw.Close()
		if buf.Len() < len(b) {
			f.gz = buf.Bytes()
		}
	}
	return f
}

// Files returns the app's files (static/ in this package) as they are
// served under /assets/VERSION/; index.html is served at every route.
func Files() fs.FS {
	sub, err := fs.Sub(static, "static")
	if err != nil {
		panic(err) // "static" is a valid path
	}
	return sub
}

// Version is the build's asset version: the digest of the embedded files
// that names the current /assets/VERSION/ URLs.
func Version() string { return loadHandler().version }

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	p := r.URL.Path
	w.Header().Set("X-Content-Type-Options", "nosniff")
	switch {
	case strings.HasPrefix(p, "/v1/") || p == "/v1" || p == "/login":
		http.NotFound(w, r)
	case strings.HasPrefix(p, assetPrefix):
		version, name, _ := strings.Cut(strings.TrimPrefix(p, assetPrefix), "/")
		f, ok := h.files[name]
		if !ok {
			http.NotFound(w, r)
			return
		}
		if version == h.version {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			w.Header().Set("Cache-Control", "no-cache")
		}
		serve(w, r, f)
	default:
		hdr := w.Header()
		if hdr.Get("Content-Security-Policy") == "" {
			hdr.Set("Content-Security-Policy", ContentSecurityPolicy)
		}
		hdr.Set("Cache-Control", "no-cache")
		hdr.Set("Referrer-Policy", "no-referrer")
		hdr.Set("Cross-Origin-Opener-Policy", "same-origin")
		serve(w, r, &h.index)
	}
}

// serve writes f, gzipped when the client takes it, answering conditional
// and range requests like http.ServeContent.
func serve(w http.ResponseWriter, r *http.Request, f *file) {
	hdr := w.Header()
	hdr.Set("Content-Type", f.ctype)
	body, etag := f.body, f.etag
	if f.gz != nil {
		hdr.Add("Vary", "Accept-Encoding")
		if acceptsGzip(r.Header.Get("Accept-Encoding")) {
			body, etag = f.gz, strings.TrimSuffix(f.etag, `"`)+`-gz"`
			hdr.Set("Content-Encoding", "gzip")
		}
	}
	hdr.Set("ETag", etag)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body))
}

// acceptsGzip reports whether an Accept-Encoding header value lists gzip
// (or *) without q=0.
func acceptsGzip(v string) bool {
	for part := range strings.SplitSeq(v, ",") {
		name, params, _ := strings.Cut(part, ";")
		name = strings.ToLower(strings.TrimSpace(name))
		if name != "gzip" && name != "*" {
			continue
		}
		q, ok := strings.CutPrefix(strings.ReplaceAll(strings.ToLower(params), " ", ""), "q=")
		if !ok {
			return true
		}
		f, err := strconv.ParseFloat(q, 64)
		return err == nil && f > 0
	}
	return false
}
