package main

import (
	"net"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/pigeon-net/pigeon/node/localapi"
)

// deadBootstrap is a bootstrap address where nothing answers: a port just
// closed, and a peer ID nobody has.
func deadBootstrap(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	_, pub, err := crypto.GenerateEd25519Key(nil)
	if err != nil {
		t.Fatal(err)
	}
	pid, err := peer.IDFromPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return "/ip4/127.0.0.1/tcp/" + strconv.Itoa(port) + "/p2p/" + pid.String()
}

// pollOut runs the binary until ok accepts its stdout.
func pollOut(t *testing.T, bin, home, what string, ok func(string) bool, args ...string) string {
	t.Helper()
	deadline := time.Now().Add(e2eTimeout)
	for {
		stdout, _, _ := pigeonExit(t, bin, home, args...)
		if ok(stdout) {
			return stdout
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s; last output:\n%s", what, stdout)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Through the binary: a pending message says why under it in history and
// in status; an unreachable bootstrap peer is a warning in status and in
// the log; names work for accounts and removals take rm.
func TestStatusPendingNamesCLI(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs two daemons")
	}
	bin := pigeonBinary(t)
	a := startDaemon(t, bin, "a")
	a.waitFile(t, addrFile)
	dead := deadBootstrap(t)
	b := startDaemon(t, bin, "b", append(bootstrapArgs(t, a), "--bootstrap", dead)...)
	b.waitFile(t, addrFile)
	idB := decode[localapi.Info](t, pigeon(t, bin, b.home, "id", "--json")).Account

	pollOut(t, bin, b.home, "the bootstrap warning in status", func(s string) bool {
		return strings.Contains(s, "warning") && strings.Contains(s, "bootstrap peer "+dead+" unreachable: ")
	}, "status")
	if log := b.log.String(); !strings.Contains(log, `level=WARN msg="bootstrap peer unreachable" addr=`+dead) {
		t.Fatalf("no warning in b's log:\n%s", log)
	}

	pigeon(t, bin, a.home, "contacts", "add", idB, "Bob")
	twin1, twin2 := newAccountID(t), newAccountID(t)
	pigeon(t, bin, a.home, "contacts", "add", twin1, "twin")
	pigeon(t, bin, a.home, "contacts", "add", twin2, "Twin")
	_, stderr, code := pigeonExit(t, bin, a.home, "send", "twin", "hi")
	if want := `pigeon: "twin" names 2 contacts: `; code != 1 || !strings.HasPrefix(stderr, want) || !strings.Contains(stderr, "give the account ID") {
		t.Fatalf("ambiguous name: exit %d, %q", code, stderr)
	}
	pigeon(t, bin, a.home, "contacts", "rm", twin1)
	pigeon(t, bin, a.home, "contacts", "rm", "TWIN") // now one contact has that name
	if cs := decode[[]localapi.Contact](t, pigeon(t, bin, a.home, "contacts", "--json")); len(cs) != 1 || cs[0].Name != "Bob" {
		t.Fatalf("contacts after rm: %+v", cs)
	}

	// send ACCOUNT - reads the text from stdin.
	cmd := exec.Command(bin, "--home", a.home, "send", "bob", "-")
	cmd.Stdin = strings.NewReader("hello\nfrom stdin\n")
	out, err := cmd.Output()
	first := strings.TrimSpace(string(out))
	if err != nil || len(first) != 32 {
		t.Fatalf("send bob -: %q, %v", out, err)
	}
	pollOut(t, bin, a.home, "the first message delivered", func(s string) bool {
		return strings.Contains(s, "delivered") && strings.Contains(s, `hello\nfrom stdin`)
	}, "history", idB[:12])
	if err := b.stop(t); err != nil {
		t.Fatalf("stop b: %v", err)
	}
	id := strings.TrimSpace(pigeon(t, bin, a.home, "send", "BOB", "are you there?"))
	hist := pollOut(t, bin, a.home, "the reason under the pending message", func(s string) bool {
		return strings.Contains(s, "↳ recipient not reachable; no relay known for them; ")
	}, "history", "bob", "--ids")
	lines := strings.Split(strings.TrimSpace(hist), "\n")
	if len(lines) != 3 || !strings.Contains(lines[0], first) || !strings.Contains(lines[1], id) || !strings.Contains(lines[1], "pending") ||
		!regexp.MustCompile(`↳ recipient not reachable; no relay known for them; (next try in \d+m?\d*s|trying again now)$`).MatchString(lines[2]) {
		t.Fatalf("history:\n%s", hist)
	}
	st := pigeon(t, bin, a.home, "status")
	if !strings.Contains(st, "1 message(s)") || !strings.Contains(st, id+" to Bob since ") || !strings.Contains(st, "recipient not reachable; no relay known for them") {
		t.Fatalf("status:\n%s", st)
	}
	js := decode[localapi.Status](t, pigeon(t, bin, a.home, "status", "--json"))
	if js.PendingTotal != 1 || js.Pending[0].ID != id || js.Pending[0].ToName != "Bob" || js.Pending[0].Pending.Code != "no_relay" {
		t.Fatalf("status --json: %+v", js)
	}
}

// The built binary prints the module version and the VCS revision its
// build information holds (go build stamps the revision unless
// -buildvcs=false).
func TestVersionBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := pigeonBinary(t)
	out := pigeon(t, bin, t.TempDir(), "version")
	m := regexp.MustCompile(`^pigeon (\S+)( revision ([0-9a-f]{40})( \(modified\))?)? go\S+\n$`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("version printed %q", out)
	}
	info, err := exec.Command(goTool(), "version", "-m", bin).Output()
	if err != nil {
		t.Fatal(err)
	}
	mod := regexp.MustCompile(`(?m)^\tmod\tgithub.com/pigeon-net/pigeon\t(\S+)`).FindSubmatch(info)
	rev := regexp.MustCompile(`(?m)^\tbuild\tvcs.revision=([0-9a-f]+)$`).FindSubmatch(info)
	if mod == nil || string(mod[1]) != m[1] || (rev != nil && string(rev[1]) != m[3]) || (rev == nil && m[3] != "") {
		t.Fatalf("version printed %q; the build information says:\n%s", out, info)
	}
	v := decode[versionInfo](t, pigeon(t, bin, t.TempDir(), "version", "--json"))
	if v.Version != m[1] || v.Revision != m[3] {
		t.Fatalf("version --json %+v, text %q", v, out)
	}
}

// pigeon presence privacy with no value prints the daemon's setting
// (contacts by default), and what was set; a bad value exits 2 and
// changes nothing.
func TestPresencePrivacyCLI(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs a daemon")
	}
	bin := pigeonBinary(t)
	a := startDaemon(t, bin, "a")
	a.waitFile(t, addrFile)
	if out := pigeon(t, bin, a.home, "presence", "privacy"); out != "presence visible to: contacts\n" {
		t.Fatalf("default privacy: %q", out)
	}
	pigeon(t, bin, a.home, "presence", "privacy", "nobody")
	if _, stderr, code := pigeonExit(t, bin, a.home, "presence", "privacy", "sometimes"); code == 0 || !strings.Contains(stderr, "everyone, contacts or nobody") {
		t.Fatalf("bad value: exit %d: %s", code, stderr)
	}
	if p := decode[localapi.PrivacyRequest](t, pigeon(t, bin, a.home, "presence", "privacy", "--json")); p.Who != "nobody" {
		t.Fatalf("privacy after set: %+v", p)
	}
}
