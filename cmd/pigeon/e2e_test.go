package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/node/localapi"
)

const e2eTimeout = 60 * time.Second

// binDir holds the binary built by buildPigeon; TestMain removes it.
var binDir string

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// buildPigeon builds the binary once per test binary run.
var buildPigeon = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "pigeon-e2e-bin-")
	if err != nil {
		return "", err
	}
	binDir = dir
	bin := filepath.Join(dir, "pigeon")
	goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(goTool); err != nil {
		goTool = "go"
	}
	out, err := exec.Command(goTool, "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		return "", errors.New("go build: " + err.Error() + "\n" + string(out))
	}
	return bin, nil
})

func pigeonBinary(t *testing.T) string {
	t.Helper()
	bin, err := buildPigeon()
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

// daemon is a running `pigeon daemon` process.
type daemon struct {
	home   string
	cmd    *exec.Cmd
	log    *syncBuffer
	exited chan struct{}
	err    error // set before exited is closed
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func startDaemon(t *testing.T, bin, name string, args ...string) *daemon {
	t.Helper()
	return launchDaemon(t, bin, filepath.Join(t.TempDir(), name), name, "info", args...)
}

// launchDaemon starts `pigeon daemon` on home, on loopback, and stops it
// (printing its log if the test failed) at cleanup. It does not wait for
// the daemon to be ready.
func launchDaemon(t *testing.T, bin, home, name, level string, args ...string) *daemon {
	t.Helper()
	d := &daemon{home: home, log: new(syncBuffer), exited: make(chan struct{})}
	d.cmd = exec.Command(bin, append([]string{"--home", d.home, "daemon", "--api", "127.0.0.1:0",
		"--listen", "/ip4/127.0.0.1/tcp/0", "--listen", "/ip4/127.0.0.1/udp/0/quic-v1", "--log-level", level}, args...)...)
	d.cmd.Stderr = d.log
	d.cmd.Stdout = d.log
	if err := d.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		d.err = d.cmd.Wait()
		close(d.exited)
	}()
	t.Cleanup(func() {
		d.stop(t)
		if t.Failed() {
			t.Logf("daemon %s log:\n%s", name, d.log.String())
		}
	})
	return d
}

// stop sends SIGTERM and waits, killing the process if it does not exit.
func (d *daemon) stop(t *testing.T) error {
	select {
	case <-d.exited:
		return d.err
	default:
	}
	d.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-d.exited:
		return d.err
	case <-time.After(e2eTimeout):
		d.cmd.Process.Kill()
		<-d.exited
		t.Errorf("daemon in %s did not exit after SIGTERM", d.home)
		return d.err
	}
}

// waitFile polls until path exists and is non-empty.
func (d *daemon) waitFile(t *testing.T, name string) string {
	t.Helper()
	path := filepath.Join(d.home, name)
	deadline := time.Now().Add(e2eTimeout)
	for {
		b, err := os.ReadFile(path)
		if err == nil && len(b) > 0 {
			return string(b)
		}
		select {
		case <-d.exited:
			t.Fatalf("daemon exited (%v) before writing %s", d.err, name)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", path)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// pigeon runs the binary against home and returns stdout; a non-zero exit
// fails the test.
func pigeon(t *testing.T, bin, home string, args ...string) string {
	t.Helper()
	stdout, stderr, code := pigeonExit(t, bin, home, args...)
	if code != 0 {
		t.Fatalf("pigeon %s: exit %d: %s", strings.Join(args, " "), code, stderr)
	}
	return stdout
}

func pigeonExit(t *testing.T, bin, home string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"--home", home}, args...)...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit):
		code = exit.ExitCode()
	default:
		t.Fatalf("run pigeon: %v", err)
	}
	return out.String(), errb.String(), code
}

func decode[T any](t *testing.T, s string) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("decode %q: %v", s, err)
	}
	return v
}

// pollHistory runs `pigeon history --json` until ok accepts it.
func pollHistory(t *testing.T, bin, home, peer, what string, ok func([]localapi.Message) bool) []localapi.Message {
	t.Helper()
	deadline := time.Now().Add(e2eTimeout)
	for {
		msgs := decode[[]localapi.Message](t, pigeon(t, bin, home, "history", peer, "--json"))
		if ok(msgs) {
			return msgs
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s; last history: %+v", what, msgs)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestREADMEWalkthrough runs the two-node walkthrough with the real binary:
// two daemons, B bootstrapping from A, a message from A to B, and A seeing
// B's read receipt.
func TestREADMEWalkthrough(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs two daemons")
	}
	bin := pigeonBinary(t)

	a := startDaemon(t, bin, "a")
	aAddrs := strings.Fields(a.waitFile(t, addrsFile))
	a.waitFile(t, addrFile)
	if len(aAddrs) == 0 {
		t.Fatal("A wrote no addresses")
	}
	var bootstrap []string
	for _, ma := range aAddrs {
		bootstrap = append(bootstrap, "--bootstrap", ma)
	}
	b := startDaemon(t, bin, "b", bootstrap...)
	b.waitFile(t, addrFile)
	b.waitFile(t, addrsFile)

	idA := decode[localapi.Info](t, pigeon(t, bin, a.home, "id", "--json"))
	idB := decode[localapi.Info](t, pigeon(t, bin, b.home, "id", "--json"))
	if idA.Account == idB.Account || idA.PeerID == "" || len(idB.Addrs) == 0 {
		t.Fatalf("ids: A %+v, B %+v", idA, idB)
	}
	if !strings.Contains(aAddrs[0], "/p2p/"+idA.PeerID) {
		t.Fatalf("addrs file line %q lacks /p2p/%s", aAddrs[0], idA.PeerID)
	}
	// init on a running node's home reports the same account.
	if got := strings.TrimSpace(pigeon(t, bin, a.home, "init")); got != idA.Account {
		t.Fatalf("init printed %q, want %q", got, idA.Account)
	}

	pigeon(t, bin, a.home, "contacts", "add", idB.Account, "Bob")
	contacts := decode[[]localapi.Contact](t, pigeon(t, bin, a.home, "contacts", "--json"))
	if len(contacts) != 1 || contacts[0].Account != idB.Account || contacts[0].Name != "Bob" {
		t.Fatalf("A's contacts %+v", contacts)
	}

	msgID := strings.TrimSpace(pigeon(t, bin, a.home, "send", idB.Account, "hello from A"))
	if len(msgID) != 32 {
		t.Fatalf("send printed %q, want a message ID", msgID)
	}

	got := pollHistory(t, bin, b.home, idA.Account, "the message on B", func(ms []localapi.Message) bool {
		return len(ms) > 0
	})
	if m := got[0]; len(got) != 1 || m.ID != msgID || m.Text != "hello from A" || m.Direction != "in" || m.Sender != idA.Account {
		t.Fatalf("B's history %+v", got)
	}
	convs := decode[[]localapi.Conversation](t, pigeon(t, bin, b.home, "chats", "--json"))
	if len(convs) != 1 || convs[0].Peer != idA.Account || convs[0].Unread != 1 {
		t.Fatalf("B's conversations %+v", convs)
	}

	if n := strings.TrimSpace(pigeon(t, bin, b.home, "read", idA.Account)); n != "1" {
		t.Fatalf("read printed %q, want 1", n)
	}
	pollHistory(t, bin, a.home, idB.Account, "state read on A", func(ms []localapi.Message) bool {
		return len(ms) == 1 && ms[0].ID == msgID && ms[0].State == "read"
	})

	snA := decode[localapi.SafetyNumberResponse](t, pigeon(t, bin, a.home, "safety-number", idB.Account, "--json"))
	snB := decode[localapi.SafetyNumberResponse](t, pigeon(t, bin, b.home, "safety-number", idA.Account, "--json"))
	if len(snA.SafetyNumber) != 60 || snA != snB {
		t.Fatalf("safety numbers differ: A %q, B %q", snA.SafetyNumber, snB.SafetyNumber)
	}
	pigeon(t, bin, a.home, "contacts", "verify", idB.Account)

	// Human output is one line per message.
	if lines := strings.Split(strings.TrimSpace(pigeon(t, bin, a.home, "history", idB.Account)), "\n"); len(lines) != 1 ||
		!strings.Contains(lines[0], "out") || !strings.Contains(lines[0], "read") || !strings.Contains(lines[0], "hello from A") {
		t.Fatalf("A's history, text form: %q", lines)
	}

	// A clean shutdown removes api.addr; then the CLI says so.
	if err := b.stop(t); err != nil {
		t.Fatalf("daemon B exit: %v", err)
	}
	if _, err := os.Stat(filepath.Join(b.home, addrFile)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("api.addr after shutdown: %v", err)
	}
	_, stderr, code := pigeonExit(t, bin, b.home, "id")
	if code != 1 || stderr != notRunningLine(b.home) {
		t.Fatalf("id with B stopped: exit %d, stderr %q", code, stderr)
	}
	_, stderr, code = pigeonExit(t, bin, a.home, "send", badChecksumID(t), "hi")
	if want := checksumLine; code != 1 || stderr != want {
		t.Fatalf("bad checksum: exit %d, stderr %q", code, stderr)
	}
	_, stderr, code = pigeonExit(t, bin, a.home, "send")
	if code != 2 || strings.Count(stderr, "\n") != 1 {
		t.Fatalf("usage error: exit %d, stderr %q", code, stderr)
	}
}

// TestDaemonFailsCleanly checks that a daemon that cannot start says why in
// its last line and exits 1.
func TestDaemonFailsCleanly(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := pigeonBinary(t)
	home := t.TempDir()
	_, stderr, code := pigeonExit(t, bin, home, "daemon", "--listen", "/not/a/multiaddr")
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	if last := lines[len(lines)-1]; code != 1 || !strings.HasPrefix(last, "pigeon: ") {
		t.Fatalf("exit %d, last stderr line %q", code, last)
	}
	if _, err := os.Stat(filepath.Join(home, addrFile)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("api.addr written by a failed daemon: %v", err)
	}
}
