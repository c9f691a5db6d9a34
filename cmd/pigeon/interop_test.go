package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/node/localapi"
)

// interopRevEnv names a git revision of this repository whose `pigeon`
// binary TestInteropWithOlderBinary talks to; .ci/run sets it to the
// last commit before the node was split into feature packages.
const interopRevEnv = "PIGEON_INTEROP_REV"

// olderBinary builds the pigeon binary of revision rev from a copy of the
// repository's tree at rev (git archive), in a temporary directory.
func olderBinary(t *testing.T, rev string) string {
	t.Helper()
	src := t.TempDir()
	top, err := exec.Command("git", "rev-parse", "--show-toplevel").Output()
	if err != nil {
		t.Fatalf("find the repository: %v", err)
	}
	archive := exec.Command("git", "archive", "--format=tar", rev)
	archive.Dir = strings.TrimSpace(string(top)) // from a subdirectory it archives only that
	tar := exec.Command("tar", "-x", "-C", src)
	pipe, err := archive.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	tar.Stdin = pipe
	var errb bytes.Buffer
	archive.Stderr, tar.Stderr = &errb, &errb
	if err := tar.Start(); err != nil {
		t.Fatal(err)
	}
	if err := archive.Run(); err != nil {
		t.Fatalf("git archive %s: %v: %s", rev, err, errb.String())
	}
	if err := tar.Wait(); err != nil {
		t.Fatalf("untar %s: %v: %s", rev, err, errb.String())
	}
	bin := filepath.Join(t.TempDir(), "pigeon-old")
	build := exec.Command(goTool(), "build", "-o", bin, "./cmd/pigeon")
	build.Dir = src
	build.Env = append(os.Environ(), "GOFLAGS=-mod=mod")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build pigeon at %s: %v\n%s", rev, err, out)
	}
	return bin
}

// TestInteropWithOlderBinary: a node built from this tree and one built
// from an older revision (PIGEON_INTEROP_REV) talk to each other through
// every wire protocol a conversation uses: texts both ways with receipts
// up to read, a file fetched over /pigeon/blocks/1, and a group (sender
// keys, GossipSub, the membership log) made by each side in turn.
func TestInteropWithOlderBinary(t *testing.T) {
	rev := os.Getenv(interopRevEnv)
	if rev == "" {
		t.Skip("set " + interopRevEnv + " to a git revision to test against its binary (.ci/run does)")
	}
	if testing.Short() {
		t.Skip("builds two binaries and runs two daemons")
	}
	oldBin, newBin := olderBinary(t, rev), pigeonBinary(t)
	older := startDaemon(t, oldBin, "older")
	var bootstrap []string
	for _, ma := range strings.Fields(older.waitFile(t, addrsFile)) {
		bootstrap = append(bootstrap, "--bootstrap", ma)
	}
	older.waitFile(t, addrFile)
	newer := startDaemon(t, newBin, "newer", bootstrap...)
	newer.waitFile(t, addrFile)
	idOld := decode[localapi.Info](t, pigeon(t, oldBin, older.home, "id", "--json")).Account
	idNew := decode[localapi.Info](t, pigeon(t, newBin, newer.home, "id", "--json")).Account

	// retry runs a command until it succeeds: the first tries fail while
	// a device list travels to the DHT.
	retry := func(bin, home string, args ...string) string {
		t.Helper()
		deadline := time.Now().Add(e2eTimeout)
		for {
			stdout, stderr, code := pigeonExit(t, bin, home, args...)
			if code == 0 {
				return strings.TrimSpace(stdout)
			}
			if time.Now().After(deadline) {
				t.Fatalf("pigeon %s kept failing: %s", strings.Join(args, " "), stderr)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	read := func(id string) func([]localapi.Message) bool {
		return func(ms []localapi.Message) bool {
			i := slices.IndexFunc(ms, func(m localapi.Message) bool { return m.ID == id })
			return i >= 0 && ms[i].State == "read"
		}
	}
	has := func(id string) func([]localapi.Message) bool {
		return func(ms []localapi.Message) bool {
			return slices.ContainsFunc(ms, func(m localapi.Message) bool { return m.ID == id })
		}
	}

	// Texts both ways, read.
	toNew := retry(oldBin, older.home, "send", idNew, "from the older node")
	toOld := retry(newBin, newer.home, "send", idOld, "from the newer node")
	pollHistory(t, newBin, newer.home, idOld, "the older node's text at the newer", has(toNew))
	pollHistory(t, oldBin, older.home, idNew, "the newer node's text at the older", has(toOld))
	pigeon(t, newBin, newer.home, "read", idOld)
	pigeon(t, oldBin, older.home, "read", idNew)
	pollHistory(t, oldBin, older.home, idNew, "read receipt from the newer node", read(toNew))
	pollHistory(t, newBin, newer.home, idOld, "read receipt from the older node", read(toOld))

	// A file each way.
	for _, side := range []struct {
		fromBin, fromHome, toBin, toHome, to, from string
	}{
		{newBin, newer.home, oldBin, older.home, idOld, idNew},
		{oldBin, older.home, newBin, newer.home, idNew, idOld},
	} {
		src := filepath.Join(t.TempDir(), "plan.txt")
		body := []byte("meet at nine, from " + side.fromHome + "\n")
		if err := os.WriteFile(src, body, 0o600); err != nil {
			t.Fatal(err)
		}
		id := retry(side.fromBin, side.fromHome, "send", side.to, "--file", src)
		pollHistory(t, side.toBin, side.toHome, side.from, "the file's message", has(id))
		dst := filepath.Join(t.TempDir(), "got.txt")
		retry(side.toBin, side.toHome, "media", "get", id, "--out", dst)
		if got, err := os.ReadFile(dst); err != nil || !bytes.Equal(got, body) {
			t.Fatalf("file from %s: %q, %v", side.fromHome, got, err)
		}
	}

	// A group made by each side; both post in it.
	for _, side := range []struct {
		makerBin, makerHome, otherBin, otherHome, other string
	}{
		{oldBin, older.home, newBin, newer.home, idNew},
		{newBin, newer.home, oldBin, older.home, idOld},
	} {
		gid := retry(side.makerBin, side.makerHome, "group", "create", "interop", side.other)
		retry(side.otherBin, side.otherHome, "group", "info", gid)
		a := retry(side.makerBin, side.makerHome, "send", "--group", gid, "hello from the maker")
		b := retry(side.otherBin, side.otherHome, "send", "--group", gid, "hello from the member")
		for _, v := range []struct{ bin, home string }{{side.makerBin, side.makerHome}, {side.otherBin, side.otherHome}} {
			deadline := time.Now().Add(e2eTimeout)
			for {
				ms := decode[[]localapi.Message](t, pigeon(t, v.bin, v.home, "history", "--group", gid, "--json"))
				if has(a)(ms) && has(b)(ms) {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("group %s at %s: %+v", gid, v.home, ms)
				}
				time.Sleep(50 * time.Millisecond)
			}
		}
	}
}
