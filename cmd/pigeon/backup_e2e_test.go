package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pigeon-net/pigeon/node/localapi"
)

// pigeonStdin runs the binary against home with stdin.
func pigeonStdin(t *testing.T, bin, home, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	return runPigeon(t, bin, home, "", stdin, args...)
}

// Through the binary: set up backups to a folder (the recovery key shown
// once, typed back), back up, list, verify, re-check the key; then
// restore into a fresh home, which becomes a new device of the account
// with its history (a wrong key is refused).
func TestBackupE2E(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs daemons")
	}
	bin := pigeonBinary(t)
	a, b, idA, idB := startPair(t, bin)
	pigeon(t, bin, a.home, "contacts", "add", idB, "Bob")
	pigeon(t, bin, a.home, "send", "bob", "before the backup")
	pollOut(t, bin, b.home, "the text at bob", func(s string) bool { return strings.Contains(s, "before the backup") }, "history", idA)

	if out := pigeon(t, bin, a.home, "backup"); !strings.Contains(out, "not set up") {
		t.Fatalf("backup status before setup: %q", out)
	}
	if _, stderr, code := pigeonExit(t, bin, a.home, "backup", "init"); code != exitUsage || !strings.Contains(stderr, "--to") {
		t.Fatalf("backup init without --to: exit %d, %q", code, stderr)
	}
	dir := filepath.Join(t.TempDir(), "backups")
	key := strings.TrimSpace(pigeon(t, bin, a.home, "backup", "init", "--to", dir))
	if len(key) < 64 {
		t.Fatalf("recovery key %q", key)
	}
	if _, stderr, code := pigeonExit(t, bin, a.home, "backup", "now"); code != 1 || !strings.Contains(stderr, "pigeon backup confirm") {
		t.Fatalf("backup before the key was typed back: exit %d, %q", code, stderr)
	}
	typo := []byte(key)
	typo[0] ^= 1
	if _, stderr, code := pigeonStdin(t, bin, a.home, string(typo)+"\n", "backup", "confirm"); code != 1 || !strings.Contains(stderr, "recovery key") {
		t.Fatalf("confirm with a typo: exit %d, %q", code, stderr)
	}
	if _, stderr, code := pigeonStdin(t, bin, a.home, key+"\n", "backup", "confirm"); code != 0 {
		t.Fatalf("confirm: exit %d, %q", code, stderr)
	}
	snap := strings.TrimSpace(pigeon(t, bin, a.home, "backup", "now"))
	if out := pigeon(t, bin, a.home, "backup", "list"); !strings.HasPrefix(out, snap+"  ") {
		t.Fatalf("backup list: %q, want %s first", out, snap)
	}
	st := decode[localapi.BackupStatus](t, pigeon(t, bin, a.home, "backup", "status", "--json"))
	if !st.SetUp || !st.Confirmed || st.LastSnapshot != snap || st.KeyCheckDue || st.NextBackup == "" {
		t.Fatalf("backup status: %+v", st)
	}
	if _, stderr, code := pigeonExit(t, bin, a.home, "backup", "verify", "--full"); code != 0 || !strings.Contains(stderr, "ok: 1 snapshots") {
		t.Fatalf("verify --full: exit %d, %q", code, stderr)
	}
	if _, stderr, code := pigeonStdin(t, bin, a.home, key+"\n", "backup", "check-key"); code != 0 {
		t.Fatalf("check-key: exit %d, %q", code, stderr)
	}

	// The plain export: a warning, then every message as a JSON line.
	pigeon(t, bin, b.home, "send", idA, "a reply")
	pollOut(t, bin, a.home, "bob's reply at alice", func(s string) bool { return strings.Contains(s, "a reply") }, "history", idB)
	out, stderr, code := pigeonExit(t, bin, a.home, "export")
	if code != 0 || !strings.Contains(stderr, "NOT encrypted") {
		t.Fatalf("export: exit %d, %q", code, stderr)
	}
	var texts []string
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		m := decode[localapi.Message](t, line)
		if m.Peer != idB || m.ID == "" {
			t.Fatalf("exported line %q", line)
		}
		texts = append(texts, m.Text)
	}
	if len(texts) != 2 || texts[0] != "before the backup" || texts[1] != "a reply" {
		t.Fatalf("exported texts %q, want both, oldest first", texts)
	}
	file := filepath.Join(t.TempDir(), "export.jsonl")
	pigeon(t, bin, a.home, "export", "--out", file)
	if data, err := os.ReadFile(file); err != nil || string(data) != out {
		t.Fatalf("export --out wrote %q (%v), want what stdout got", data, err)
	}
	if _, stderr, code := pigeonExit(t, bin, a.home, "export", "--out", file); code != 1 || !strings.Contains(stderr, "never replaces") {
		t.Fatalf("export over a file: exit %d, %q", code, stderr)
	}
	if _, stderr, code := pigeonExit(t, bin, a.home, "export", "--format", "csv"); code != exitUsage || !strings.Contains(stderr, "jsonl") {
		t.Fatalf("export --format csv: exit %d, %q", code, stderr)
	}

	// A fresh home: a wrong key is refused, the right one restores the
	// account on a new device with its history.
	home := filepath.Join(t.TempDir(), "c")
	other := strings.TrimSpace(pigeon(t, bin, b.home, "backup", "init", "--to", filepath.Join(t.TempDir(), "other")))
	if _, stderr, code := pigeonStdin(t, bin, home, other+"\n", "init", "--restore", dir); code != 1 || !strings.Contains(stderr, "wrong recovery key or passphrase") {
		t.Fatalf("restore with another key: exit %d, %q", code, stderr)
	}
	out, stderr, code = pigeonStdin(t, bin, home, key+"\n", "init", "--restore", dir)
	if code != 0 || strings.TrimSpace(out) != idA {
		t.Fatalf("restore: exit %d, %q, %q", code, out, stderr)
	}
	c := launchDaemon(t, bin, home, "c", "info", bootstrapArgs(t, a)...)
	c.waitFile(t, addrFile)
	pollOut(t, bin, home, "the history on the restored device", func(s string) bool { return strings.Contains(s, "before the backup") }, "history", idB)
	pollOut(t, bin, a.home, "the restored device in alice's list", func(s string) bool { return strings.Count(s, "\n") >= 2 }, "devices")
	pollOut(t, bin, b.home, "bob's chat notes alice's new device", func(s string) bool { return strings.Contains(s, "added a new device ·") }, "history", idA)
}
