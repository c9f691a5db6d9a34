package main

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/localapi"
)

// `pigeon daemon --setup` on a fresh home creates no account: it serves the
// API (the web login works, everything else says the device is not set
// up) until told to; `pigeon init` then has it create the account, and
// the same daemon runs the node. Started again with --setup on a home
// with an account, it runs as usual.
func TestDaemonSetupE2E(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := pigeonBinary(t)
	d := startDaemon(t, bin, "fresh", "--setup")
	d.waitFile(t, addrFile)

	_, stderr, code := pigeonExit(t, bin, d.home, "id")
	if code != exitError || !strings.Contains(stderr, "not set up yet") || !strings.Contains(stderr, "pigeon init --link CODE") {
		t.Fatalf("id before the setup: exit %d, stderr %q", code, stderr)
	}
	if link := pigeon(t, bin, d.home, "web", "--no-open"); !strings.Contains(link, "/login?code=") {
		t.Fatalf("web before the setup printed %q", link)
	}
	if has, err := node.HasAccount(d.home); err != nil || has {
		t.Fatalf("the home holds an account before the setup: %v, %v", has, err)
	}
	if _, err := os.Stat(filepath.Join(d.home, addrsFile)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("node addresses written before the setup: %v", err)
	}

	account := strings.TrimSpace(pigeon(t, bin, d.home, "init"))
	if info := decode[localapi.Info](t, pigeon(t, bin, d.home, "id", "--json")); info.Account != account || account == "" || info.Device != 1 {
		t.Fatalf("id after init: %+v, init printed %q", info, account)
	}
	d.waitFile(t, addrsFile)
	if _, stderr, code := pigeonExit(t, bin, d.home, "init"); code != 0 || !strings.Contains(stderr, "already initialised") {
		t.Fatalf("init again: exit %d, stderr %q", code, stderr)
	}

	if err := d.stop(t); err != nil {
		t.Fatalf("daemon: %v", err)
	}
	again := launchDaemon(t, bin, d.home, "again", "info", "--setup")
	again.waitFile(t, addrFile)
	if info := decode[localapi.Info](t, pigeon(t, bin, d.home, "id", "--json")); info.Account != account {
		t.Fatalf("id after a restart with --setup: %+v, want account %s", info, account)
	}
}

// `pigeon init --link CODE` on the home of a daemon in setup mode has the
// daemon link itself: the confirmation code, the existing device's
// answer, the history, and the daemon runs the linked node.
func TestDaemonSetupLinkE2E(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs two daemons")
	}
	bin := pigeonBinary(t)
	a := startDaemon(t, bin, "alice")
	var boot []string
	for _, addr := range strings.Fields(a.waitFile(t, addrsFile)) {
		boot = append(boot, "--bootstrap", addr)
	}
	a.waitFile(t, addrFile)
	alice := decode[localapi.Info](t, pigeon(t, bin, a.home, "id", "--json")).Account
	b := startDaemon(t, bin, "laptop", append([]string{"--setup"}, boot...)...)
	b.waitFile(t, addrFile)

	link := startPigeon(t, bin, a.home, "devices", "link")
	code := link.waitMatch(t, link.stdout, regexp.MustCompile(`(?m)^(pigeon-link:\S+)$`), "the link code")[1]
	initB := startPigeon(t, bin, b.home, "init", "--link", code, "--name", "laptop")
	onB := initB.waitMatch(t, initB.stderr, sasLine, "B's confirmation code")[1]
	onA := link.waitMatch(t, link.stderr, sasLine, "A's confirmation code")[1]
	if onA != onB {
		t.Fatalf("confirmation codes differ: %s on A, %s on B", onA, onB)
	}
	if _, err := io.WriteString(link.stdin, "y\n"); err != nil {
		t.Fatal(err)
	}
	if err := link.wait(t); err != nil {
		t.Fatalf("devices link: %v", err)
	}
	if err := initB.wait(t); err != nil {
		t.Fatalf("init --link: %v", err)
	}
	if got := strings.TrimSpace(initB.stdout.String()); got != alice {
		t.Fatalf("init --link printed %q, want the account %s", got, alice)
	}
	if !strings.Contains(initB.stderr.String(), "history transferred") {
		t.Fatalf("init --link did not report the history: %q", initB.stderr)
	}
	if info := decode[localapi.Info](t, pigeon(t, bin, b.home, "id", "--json")); info.Account != alice || info.Device != 2 {
		t.Fatalf("id of the linked daemon: %+v", info)
	}
}
