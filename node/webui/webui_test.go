package webui_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"path"
	"regexp"
	"strings"
	"testing"

	"github.com/pigeon-net/pigeon/node/webui"
	"github.com/pigeon-net/pigeon/node/webui/internal/bundle"
)

func get(t *testing.T, h http.Handler, target string, hdr ...string) *http.Response {
	t.Helper()
	r := httptest.NewRequest(http.MethodGet, target, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		r.Header.Set(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Result()
}

func body(t *testing.T, res *http.Response) string {
	t.Helper()
	rd := res.Body
	if res.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(res.Body)
		if err != nil {
			t.Fatal(err)
		}
		rd = zr
	}
	b, err := io.ReadAll(rd)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The app's routes all get index.html with the policy; the API and the
// login path are not the app's.
func TestIndexOnClientRoutes(t *testing.T) {
	h := webui.Handler()
	for _, p := range []string{"/", "/chat/pgabc", "/group/0123/info", "/settings", "/favicon.ico"} {
		res := get(t, h, p)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d", p, res.StatusCode)
		}
		if ct := res.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
			t.Errorf("GET %s: Content-Type %q", p, ct)
		}
		if csp := res.Header.Get("Content-Security-Policy"); csp != webui.ContentSecurityPolicy {
			t.Errorf("GET %s: CSP %q", p, csp)
		}
		if cc := res.Header.Get("Cache-Control"); cc != "no-cache" {
			t.Errorf("GET %s: Cache-Control %q, want no-cache (reloads revalidate)", p, cc)
		}
		if b := body(t, res); !strings.Contains(b, "/assets/"+webui.Version()+"/app.js") {
			t.Errorf("GET %s: index does not load the current version's app.js:\n%s", p, b)
		}
	}
	for _, p := range []string{"/v1/info", "/v1", "/login", "/assets/" + webui.Version() + "/nope.js", "/assets/x"} {
		if res := get(t, h, p); res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", p, res.StatusCode)
		}
	}
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader("x"))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST /: %d, want 405", w.Code)
	}
}

// A policy set by the caller (localapi) is kept.
func TestIndexKeepsCallersPolicy(t *testing.T) {
	const mine = "default-src 'none'"
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", mine)
		webui.Handler().ServeHTTP(w, r)
	})
	if got := get(t, h, "/").Header.Get("Content-Security-Policy"); got != mine {
		t.Errorf("CSP %q, want the caller's %q", got, mine)
	}
}

func TestAssets(t *testing.T) {
	h := webui.Handler()
	cur := "/assets/" + webui.Version() + "/app.js"

	res := get(t, h, cur, "Accept-Encoding", "gzip, br")
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("GET %s with gzip: %d, encoding %q", cur, res.StatusCode, res.Header.Get("Content-Encoding"))
	}
	if ct := res.Header.Get("Content-Type"); ct != "text/javascript; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if cc := res.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
		t.Errorf("current version: Cache-Control %q, want immutable", cc)
	}
	if v := res.Header.Get("Vary"); v != "Accept-Encoding" {
		t.Errorf("Vary %q", v)
	}
	zipped := body(t, res)
	etag := res.Header.Get("ETag")

	plain := get(t, h, cur)
	if plain.Header.Get("Content-Encoding") != "" {
		t.Fatal("gzip without Accept-Encoding")
	}
	if body(t, plain) != zipped {
		t.Fatal("gzipped and plain bodies differ")
	}
	if plain.Header.Get("ETag") == etag {
		t.Error("gzipped and plain representations share an ETag")
	}
	if res := get(t, h, cur, "Accept-Encoding", "gzip;q=0"); res.Header.Get("Content-Encoding") != "" {
		t.Error("gzip sent although refused with q=0")
	}

	if res := get(t, h, cur, "Accept-Encoding", "gzip", "If-None-Match", etag); res.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match: %d, want 304", res.StatusCode)
	}

	old := get(t, h, "/assets/0123456789ab/app.js")
	if old.StatusCode != http.StatusOK || old.Header.Get("Cache-Control") != "no-cache" {
		t.Errorf("old version: %d, Cache-Control %q, want 200 no-cache", old.StatusCode, old.Header.Get("Cache-Control"))
	}
	if res := get(t, h, "/assets/"+webui.Version()+"/icons/check.svg"); res.Header.Get("Content-Type") != "image/svg+xml" {
		t.Errorf("svg Content-Type %q", res.Header.Get("Content-Type"))
	}
}

// The CSP forbids inline script and style: index.html has none, and no
// module sets an attribute style or writes HTML.
func TestNoInlineScriptOrStyle(t *testing.T) {
	page := body(t, get(t, webui.Handler(), "/"))
	for _, re := range []*regexp.Regexp{
		regexp.MustCompile(`<style`),
		regexp.MustCompile(`\sstyle=`),
		regexp.MustCompile(`\son[a-z]+=`),
	} {
		if m := re.FindString(page); m != "" {
			t.Errorf("index.html has %q", m)
		}
	}
	scripts := regexp.MustCompile(`<script[^>]*>`).FindAllString(page, -1)
	if len(scripts) != 1 || !strings.Contains(scripts[0], `type="module"`) || !strings.Contains(scripts[0], "src=") {
		t.Errorf("index.html scripts: %q, want one module script with src", scripts)
	}
	for name, src := range appModules(t) {
		if strings.HasPrefix(name, "vendor/") {
			continue // Preact supports these; the app's own code must not use them
		}
		for _, bad := range []string{"innerHTML", "dangerouslySetInnerHTML", "setAttribute('style'", "eval(", "new Function"} {
			if strings.Contains(src, bad) {
				t.Errorf("%s uses %s", name, bad)
			}
		}
	}
}

// Every relative import of a module names a file that is served.
func TestModuleGraph(t *testing.T) {
	h := webui.Handler()
	imp := regexp.MustCompile(`(?:from|import)\s*["']([^"']+)["']`)
	for name, src := range appModules(t) {
		for _, m := range imp.FindAllStringSubmatch(src, -1) {
			spec := m[1]
			if !strings.HasPrefix(spec, "./") && !strings.HasPrefix(spec, "../") {
				t.Errorf("%s imports %q: only relative imports work without an import map", name, spec)
				continue
			}
			target := path.Join(path.Dir(name), spec)
			if res := get(t, h, "/assets/"+webui.Version()+"/"+target); res.StatusCode != http.StatusOK {
				t.Errorf("%s imports %s: GET gives %d", name, target, res.StatusCode)
			}
		}
	}
}

// appModules returns the app's modules and the vendored ones, by path
// under static/ (not the bundle made of them, bundle.Output).
func appModules(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := fs.WalkDir(webui.Files(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".js") || p == bundle.Output {
			return err
		}
		b, err := fs.ReadFile(webui.Files(), p)
		out[p] = string(b)
		return err
	})
	if err != nil || len(out) < 5 {
		t.Fatalf("modules: %v (%d found)", err, len(out))
	}
	return out
}

func TestAcceptsGzipParsing(t *testing.T) {
	h := webui.Handler()
	cur := "/assets/" + webui.Version() + "/app.css"
	for _, c := range []struct {
		ae   string
		want bool
	}{
		{"", false}, {"gzip", true}, {"GZIP", true}, {"br, gzip;q=0.5", true}, {"gzip;q=0", false},
		{"gzip; q=0.000", false}, {"*", true}, {"identity", false}, {"deflate, br", false},
	} {
		res := get(t, h, cur, "Accept-Encoding", c.ae)
		if got := res.Header.Get("Content-Encoding") == "gzip"; got != c.want {
			t.Errorf("Accept-Encoding %q: gzip %v, want %v", c.ae, got, c.want)
		}
		if !bytes.Contains([]byte(body(t, res)), []byte("--accent")) {
			t.Errorf("Accept-Encoding %q: body is not the stylesheet", c.ae)
		}
	}
}

// The committed bundle is the modules as they are: go generate was run
// after the last change to static/js or static/vendor.
func TestBundleCurrent(t *testing.T) {
	want, err := bundle.Build("static")
	if err != nil {
		t.Fatal(err)
	}
	got, err := fs.ReadFile(webui.Files(), bundle.Output)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("static/%s is not the bundle of static/js: run `go generate ./node/webui`", bundle.Output)
	}
}

// index.html loads the bundle only: one script, no module fetched import
// by import before the app runs.
func TestIndexLoadsTheBundle(t *testing.T) {
	page := body(t, get(t, webui.Handler(), "/"))
	scripts := regexp.MustCompile(`<script[^>]*src="([^"]+)"`).FindAllStringSubmatch(page, -1)
	if len(scripts) != 1 || scripts[0][1] != "/assets/"+webui.Version()+"/"+bundle.Output {
		t.Fatalf("index.html scripts %q, want the bundle alone", scripts)
	}
	if strings.Contains(page, "modulepreload") {
		t.Error("index.html preloads modules the bundle holds")
	}
}

// TestStylesheetBlocksClosed: every rule of app.css is closed before the
// next top-level one starts. A missing "}" does not fail in the browser:
// CSS nesting turns every rule after it into one nested in the unclosed
// rule, which then matches nothing (the backup card, profiles and timers
// went unstyled that way).
func TestStylesheetBlocksClosed(t *testing.T) {
	raw, err := fs.ReadFile(webui.Files(), "app.css")
	if err != nil {
		t.Fatal(err)
	}
	css := regexp.MustCompile(`(?s)/\*.*?\*/`).ReplaceAllString(string(raw), "")
	depth, outer := 0, 0 // outer: the depth a rule may open at (inside @media and @supports)
	var atRule []int     // depths of the open at-rules
	for i, line := range strings.Split(css, "\n") {
		for _, c := range line {
			switch c {
			case '{':
				if depth > outer {
					t.Fatalf("app.css line %d: %q opens a rule inside another one (a missing \"}\" before it?)", i+1, strings.TrimSpace(line))
				}
				if strings.HasPrefix(strings.TrimSpace(line), "@") {
					atRule = append(atRule, depth)
					outer = depth + 1
				}
				depth++
			case '}':
				depth--
				if depth < 0 {
					t.Fatalf("app.css line %d: a \"}\" closes nothing", i+1)
				}
				if n := len(atRule); n > 0 && atRule[n-1] == depth {
					atRule = atRule[:n-1]
					outer = depth
				}
			}
		}
	}
	if depth != 0 {
		t.Fatalf("app.css ends with %d rules open", depth)
	}
}
