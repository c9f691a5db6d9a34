package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
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
	out, err := exec.Command(goTool(), "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		return "", errors.New("go build: " + err.Error() + "\n" + string(out))
	}
	return bin, nil
})

// goTool is the go command of the toolchain running the tests.
func goTool() string {
	tool := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(tool); err != nil {
		return "go"
	}
	return tool
}

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

// startPair starts daemons a and b (b bootstrapping from a), waits for
// both, and returns them with their account IDs.
func startPair(t *testing.T, bin string) (a, b *daemon, idA, idB string) {
	t.Helper()
	a = startDaemon(t, bin, "a")
	a.waitFile(t, addrFile)
	b = startDaemon(t, bin, "b", bootstrapArgs(t, a)...)
	b.waitFile(t, addrFile)
	idA = decode[localapi.Info](t, pigeon(t, bin, a.home, "id", "--json")).Account
	idB = decode[localapi.Info](t, pigeon(t, bin, b.home, "id", "--json")).Account
	return a, b, idA, idB
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
	return runPigeon(t, bin, home, "", "", args...)
}

// runPigeon runs the binary against home, in directory dir (empty: this
// one), with stdin, and returns its output and exit code.
func runPigeon(t *testing.T, bin, home, dir, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"--home", home}, args...)...)
	cmd.Dir = dir
	var out, errb bytes.Buffer
	cmd.Stdin, cmd.Stdout, cmd.Stderr = strings.NewReader(stdin), &out, &errb
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

// TestREADMEWalkthrough runs the README's walkthrough (two nodes, files,
// relays with carol, groups) in order: exactly the commands README.md
// shows, through sh, with the built binary, checking what each is
// documented to do (readmeSteps). Then, beyond the README: a message's
// times read the same on both sides in JSON, init on a running daemon's
// home, and a clean shutdown.
func TestREADMEWalkthrough(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs three daemons and a relay")
	}
	var want []string
	for _, s := range readmeSteps {
		want = append(want, s.cmd)
	}
	if got := readmeCommands(t, walkthroughSections); !slices.Equal(got, want) {
		for i := range max(len(got), len(want)) {
			var g, w string
			if i < len(got) {
				g = got[i]
			}
			if i < len(want) {
				w = want[i]
			}
			if g != w {
				t.Fatalf("README command %d is %q; the walkthrough has %q (keep readmeSteps and README.md in step)", i+1, g, w)
			}
		}
	}
	w := &walkthrough{t: t, bin: pigeonBinary(t), tmp: t.TempDir(), vars: make(map[string]string), bg: make(map[string]*daemon)}
	for _, s := range readmeSteps {
		if s.skip != "" {
			t.Logf("not run: %s: %s", s.cmd, s.skip)
			continue
		}
		w.run(s)
	}

	// The same message has the same sent_at on both sides, in UTC.
	out := decode[[]localapi.Message](t, w.pigeon("alice", "history", "bob", "--json"))
	in := decode[[]localapi.Message](t, w.pigeon("bob", "history", "alice", "--json"))
	i := slices.IndexFunc(out, func(m localapi.Message) bool { return m.ID == w.vars["HELLO"] })
	j := slices.IndexFunc(in, func(m localapi.Message) bool { return m.ID == w.vars["HELLO"] })
	if i < 0 || j < 0 || !out[i].SentAt.Equal(in[j].SentAt) || out[i].SentAt.Location() != time.UTC || out[i].PeerName != "bob" || in[j].SenderName != "alice" {
		t.Fatalf("the message on alice %+v, on bob %+v", out, in)
	}
	// init on a running node's home reports the same account.
	if got := strings.TrimSpace(w.pigeon("alice", "init")); got != w.vars["ALICE"] {
		t.Fatalf("init printed %q, want %q", got, w.vars["ALICE"])
	}
	// A clean shutdown removes api.addr; then the CLI says how to start it.
	bob := w.bg[readmeSteps[2].cmd]
	if err := bob.stop(t); err != nil {
		t.Fatalf("daemon bob exit: %v", err)
	}
	if _, err := os.Stat(filepath.Join(bob.home, addrFile)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("api.addr after shutdown: %v", err)
	}
	_, stderr, code := pigeonExit(t, w.bin, bob.home, "id")
	if code != 1 || stderr != notRunningLine(bob.home) {
		t.Fatalf("id with bob stopped: exit %d, stderr %q", code, stderr)
	}
	_, stderr, code = pigeonExit(t, w.bin, bob.home, "send", badChecksumID(t), "hi")
	if code != 1 || stderr != checksumLine {
		t.Fatalf("bad checksum: exit %d, stderr %q", code, stderr)
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
