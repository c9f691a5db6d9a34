package main

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/internal/miniotest"
)

// uploadGate is a reverse proxy in front of MinIO that, once armed, lets
// a number of chunk uploads through and holds the next ones until the
// test ends: a backup through it is mid-upload for as long as the test
// needs, with no timing involved.
type uploadGate struct {
	mu     sync.Mutex // guards the counters and armed
	armed  bool
	allow  int // chunk uploads still let through while armed
	passed int // chunk uploads through while armed
	held   int // chunk uploads held
	stop   chan struct{}
	proxy  *httputil.ReverseProxy
}

func startUploadGate(t *testing.T, target string) (*uploadGate, string) {
	t.Helper()
	u, err := url.Parse("http://" + target)
	if err != nil {
		t.Fatal(err)
	}
	g := &uploadGate{stop: make(chan struct{}), proxy: httputil.NewSingleHostReverseProxy(u)}
	// The request keeps its Host header: the S3 signature covers it.
	srv := httptest.NewServer(g)
	t.Cleanup(func() { close(g.stop); srv.Close() })
	return g, strings.TrimPrefix(srv.URL, "http://")
}

func (g *uploadGate) arm(allow int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.armed, g.allow, g.passed, g.held = true, allow, 0, 0
}

func (g *uploadGate) disarm() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.armed = false
}

func (g *uploadGate) counts() (passed, held int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.passed, g.held
}

func (g *uploadGate) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPut && strings.Contains(r.URL.Path, "/data/") {
		g.mu.Lock()
		hold := g.armed && g.allow == 0
		switch {
		case hold:
			g.held++
		case g.armed:
			g.allow--
			defer func() { g.mu.Lock(); g.passed++; g.mu.Unlock() }()
		}
		g.mu.Unlock()
		if hold {
			select {
			case <-r.Context().Done(): // the daemon died
			case <-g.stop:
			}
			http.Error(w, "held", http.StatusServiceUnavailable)
			return
		}
	}
	g.proxy.ServeHTTP(w, r)
}

// restoredHistory restores the newest snapshot in the bucket into a fresh
// home, starts its daemon (reaching no one: what it shows came from the
// backup) and returns its history with peer once it shows want.
func restoredHistory(t *testing.T, e *s3Env, name, key, to, peer, want string) string {
	t.Helper()
	home := filepath.Join(t.TempDir(), name)
	if _, stderr, code := e.run(home, key+"\n", append([]string{"init", "--restore", to}, e.s3Flags()...)...); code != 0 {
		t.Fatalf("restore %s: exit %d, %q", name, code, stderr)
	}
	d := launchDaemon(t, e.bin, home, name, "info")
	d.waitFile(t, addrFile)
	return pollOut(t, e.bin, home, "the restored history", func(s string) bool { return strings.Contains(s, want) }, "history", peer)
}

// Through the binary: a daemon killed with SIGKILL while `pigeon backup
// now` uploads leaves the previous snapshot restorable (the restore does
// not have what was added since); restarted, its next backup completes
// and restores with the new messages.
func TestBackupKill9E2E(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs daemons and MinIO")
	}
	srv := miniotest.Start(t, "pigeon-backups")
	gate, gateAddr := startUploadGate(t, srv.Addr)
	bin := pigeonBinary(t)
	creds := []string{"PIGEON_S3_ACCESS_KEY=" + srv.AccessKey, "PIGEON_S3_SECRET_KEY=" + srv.SecretKey}
	viaGate := &s3Env{t: t, bin: bin, endpoint: gateAddr, creds: creds}
	direct := &s3Env{t: t, bin: bin, endpoint: srv.Addr, creds: creds}
	a, b, _, idB := startPair(t, bin)
	pigeon(t, bin, a.home, "send", idB, "in the first snapshot")

	const to = "s3://pigeon-backups/alice"
	key := strings.TrimSpace(viaGate.must(a.home, "", append([]string{"backup", "init", "--to", to}, viaGate.s3Flags()...)...))
	viaGate.must(a.home, key+"\n", "backup", "confirm")
	// The schedule backs up once the key is confirmed: that is the first
	// snapshot, and the schedule is then idle for a day.
	pollOut(t, bin, a.home, "the scheduled first backup", func(s string) bool {
		return strings.Contains(s, `"last_snapshot"`)
	}, "backup", "status", "--json")

	pigeon(t, bin, a.home, "send", idB, "after the first snapshot")
	// The next backup uploads the grown account log and the account item:
	// one chunk goes through, the next is held.
	gate.arm(1)
	cmd := exec.Command(bin, "--home", a.home, "backup", "now")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(e2eTimeout)
	for passed, held := gate.counts(); passed < 1 || held < 1; passed, held = gate.counts() {
		if time.Now().After(deadline) {
			t.Fatalf("the backup never got mid-upload: %d chunks through, %d held", passed, held)
		}
		time.Sleep(20 * time.Millisecond)
	}
	a.kill(t)
	if err := cmd.Wait(); err == nil {
		t.Fatalf("backup now succeeded though its daemon was killed: %s", out.String())
	}

	hist := restoredHistory(t, direct, "first", key, to, idB, "in the first snapshot")
	if strings.Contains(hist, "after the first snapshot") {
		t.Fatalf("the restore after the kill holds the unfinished backup's text:\n%s", hist)
	}

	gate.disarm()
	a = startDaemonAt(t, bin, a.home, "a-restarted", bootstrapArgs(t, b)...)
	viaGate.must(a.home, "", "backup", "now")
	restoredHistory(t, direct, "second", key, to, idB, "after the first snapshot")
}
