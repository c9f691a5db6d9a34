package main

import (
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/node/localapi"
)

// pigeon web prints a one-time login link to the daemon's web client: it
// sets the session cookie once, and the browser it opens ($BROWSER) gets a
// private page that forwards to the link, never the link on its command
// line.
func TestWebLoginLink(t *testing.T) {
	bin := pigeonBinary(t)
	d := startDaemon(t, bin, "alice")
	addr := strings.TrimSpace(d.waitFile(t, "api.addr"))

	link := strings.TrimSpace(pigeon(t, bin, d.home, "web", "--no-open"))
	u, err := url.Parse(link)
	if err != nil || u.Scheme != "http" || u.Host != addr || u.Path != "/login" || len(u.Query().Get("code")) < 20 {
		t.Fatalf("login link %q (api at %s)", link, addr)
	}
	noRedirect := &http.Client{Timeout: e2eTimeout, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := noRedirect.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	var session *http.Cookie
	for _, c := range res.Cookies() {
		if c.Name == localapi.SessionCookie {
			session = c
		}
	}
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/" || session == nil ||
		!session.HttpOnly || session.SameSite != http.SameSiteStrictMode {
		t.Fatalf("login: %d, Location %q, cookie %+v", res.StatusCode, res.Header.Get("Location"), session)
	}
	req, _ := http.NewRequest("GET", "http://"+addr+"/v1/info", nil)
	req.AddCookie(session)
	if res, err := noRedirect.Do(req); err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("info with the session: %v %v", res, err)
	} else {
		res.Body.Close()
	}
	if res, err := noRedirect.Get(link); err != nil || res.StatusCode != http.StatusForbidden {
		t.Fatalf("the link used again: %v %v", res, err)
	} else {
		res.Body.Close()
	}

	lc := decode[localapi.LoginCode](t, pigeon(t, bin, d.home, "web", "--no-open", "--json"))
	if !strings.HasPrefix(lc.URL, "http://"+addr+"/login?code=") || lc.Code == "" || !lc.ExpiresAt.After(time.Now()) {
		t.Fatalf("web --json: %+v", lc)
	}

	// A browser: a script that keeps what it was asked to open.
	dir := t.TempDir()
	opened := filepath.Join(dir, "opened")
	script := filepath.Join(dir, "browser")
	if err := os.WriteFile(script, []byte("#!/bin/sh\necho \"$@\" > "+opened+".args\ncp \"$1\" "+opened+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "--home", d.home, "web")
	cmd.Env = append(os.Environ(), "BROWSER="+script)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pigeon web: %v", err)
	}
	link = strings.TrimSpace(string(out))
	var page []byte
	deadline := time.Now().Add(e2eTimeout)
	for {
		page, err = os.ReadFile(opened)
		if err == nil && len(page) > 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	args, _ := os.ReadFile(opened + ".args")
	if !strings.Contains(string(page), strings.ReplaceAll(link, "&", "&amp;")) || strings.Contains(string(args), "code=") {
		t.Fatalf("the browser got %q with the page %q; want a page forwarding to %s", args, page, link)
	}
	if st, err := os.Stat(filepath.Join(d.home, loginPageFile)); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("login page: %v, %v", st, err)
	}
}
