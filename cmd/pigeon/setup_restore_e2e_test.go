package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/pigeon-net/pigeon/node/localapi"
)

// `pigeon init --restore FROM` on the home of a daemon in setup mode has
// the daemon restore itself (POST /v1/setup/restore): a wrong key is
// refused at once and the daemon waits on; with the right one the daemon
// runs the restored account, with its history.
func TestDaemonSetupRestoreE2E(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs daemons")
	}
	bin := pigeonBinary(t)
	a, b, idA, idB := startPair(t, bin)
	pigeon(t, bin, a.home, "contacts", "add", idB, "Bob")
	pigeon(t, bin, a.home, "send", "bob", "before the backup")
	pollOut(t, bin, b.home, "the text at bob", func(s string) bool { return strings.Contains(s, "before the backup") }, "history", idA)
	dir := filepath.Join(t.TempDir(), "backups")
	key := strings.TrimSpace(pigeon(t, bin, a.home, "backup", "init", "--to", dir))
	if _, stderr, code := pigeonStdin(t, bin, a.home, key+"\n", "backup", "confirm"); code != 0 {
		t.Fatalf("confirm: exit %d, %q", code, stderr)
	}
	pigeon(t, bin, a.home, "backup", "now")

	c := startDaemon(t, bin, "c", append([]string{"--setup"}, bootstrapArgs(t, a)...)...)
	c.waitFile(t, addrFile)
	typo := []byte(key)
	typo[0] ^= 1
	if _, stderr, code := pigeonStdin(t, bin, c.home, string(typo)+"\n", "init", "--restore", dir); code != 1 || !strings.Contains(stderr, "recovery key") {
		t.Fatalf("restore through the daemon with a typo: exit %d, %q", code, stderr)
	}
	out, stderr, code := pigeonStdin(t, bin, c.home, key+"\n", "init", "--restore", dir)
	if code != 0 || strings.TrimSpace(out) != idA || !strings.Contains(stderr, "through the daemon") {
		t.Fatalf("restore through the daemon: exit %d, %q, %q", code, out, stderr)
	}
	if info := decode[localapi.Info](t, pigeon(t, bin, c.home, "id", "--json")); info.Account != idA {
		t.Fatalf("id of the restored daemon: %+v, want account %s", info, idA)
	}
	pollOut(t, bin, c.home, "the history on the restored device", func(s string) bool { return strings.Contains(s, "before the backup") }, "history", idB)
}
