package main

import (
	"bytes"
	"crypto/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pigeon-net/pigeon/node/localapi"
)

// Through the binary: backups that carry files (`backup init --media`,
// `backup media on|off` with limits) restore them on a new device while
// no device that held them runs.
func TestBackupMediaE2E(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs daemons")
	}
	bin := pigeonBinary(t)
	a, b, idA, idB := startPair(t, bin)
	photo := make([]byte, 200_000)
	rand.Read(photo)
	path := filepath.Join(t.TempDir(), "photo.jpg")
	if err := os.WriteFile(path, photo, 0o600); err != nil {
		t.Fatal(err)
	}
	id := strings.TrimSpace(pigeon(t, bin, a.home, "send", idB, "--file", path))
	pollOut(t, bin, b.home, "the file at bob", func(s string) bool { return strings.Contains(s, id) }, "history", idA)

	const pass = "correct horse battery staple"
	dir := filepath.Join(t.TempDir(), "backups")
	if _, stderr, code := pigeonStdin(t, bin, a.home, pass+"\n", "backup", "init", "--to", dir, "--passphrase", "--media-days", "30"); code != exitUsage || !strings.Contains(stderr, "--media") {
		t.Fatalf("a media limit without --media: exit %d, %q", code, stderr)
	}
	if _, stderr, code := pigeonStdin(t, bin, a.home, pass+"\n", "backup", "init", "--to", dir, "--passphrase", "--media", "--media-max-mb", "1"); code != 0 {
		t.Fatalf("init --media: exit %d, %q", code, stderr)
	}
	if out := pigeon(t, bin, a.home, "backup"); !strings.Contains(out, "files: photos, videos and documents up to 1.0 MiB") {
		t.Fatalf("status: %q", out)
	}
	if _, stderr, code := pigeonExit(t, bin, a.home, "backup", "media", "maybe"); code != exitUsage || !strings.Contains(stderr, "on or off") {
		t.Fatalf("backup media maybe: exit %d, %q", code, stderr)
	}
	st := decode[localapi.BackupStatus](t, pigeon(t, bin, a.home, "backup", "media", "on", "--media-days", "30", "--json"))
	if st.Media != (localapi.BackupMedia{Include: true, MaxAgeDays: 30}) {
		t.Fatalf("media on --media-days 30: %+v", st.Media)
	}
	pigeon(t, bin, a.home, "backup", "now")

	// The key check finds the passphrase forgotten: a new one replaces it,
	// and the backup made so far opens with it.
	if _, stderr, code := pigeonStdin(t, bin, a.home, "not what I chose\n", "backup", "check-key"); code != 1 || !strings.Contains(stderr, "pigeon backup change-key") {
		t.Fatalf("check-key with a wrong key: exit %d, %q", code, stderr)
	}
	const newPass = "a new passphrase, written down this time"
	if _, stderr, code := pigeonStdin(t, bin, a.home, newPass+"\n", "backup", "change-key", "--passphrase"); code != 0 || !strings.Contains(stderr, "new passphrase opens your backups") {
		t.Fatalf("change-key --passphrase: exit %d, %q", code, stderr)
	}

	// Neither alice's daemon nor bob's runs: the file comes from the
	// backup.
	for _, d := range []*daemon{a, b} {
		if err := d.stop(t); err != nil {
			t.Fatal(err)
		}
	}
	home := filepath.Join(t.TempDir(), "c")
	if _, stderr, code := pigeonStdin(t, bin, home, pass+"\n", "init", "--restore", dir); code != 1 || !strings.Contains(stderr, "wrong recovery key or passphrase") {
		t.Fatalf("restore with the replaced passphrase: exit %d, %q", code, stderr)
	}
	if out, stderr, code := pigeonStdin(t, bin, home, newPass+"\n", "init", "--restore", dir); code != 0 || strings.TrimSpace(out) != idA {
		t.Fatalf("restore: exit %d, %q, %q", code, out, stderr)
	}
	c := launchDaemon(t, bin, home, "c", "info")
	c.waitFile(t, addrFile)
	pollOut(t, bin, home, "the restored file is local", func(s string) bool { return strings.Contains(s, `"state": "local"`) }, "media", "info", id, "--json")
	out := filepath.Join(t.TempDir(), "restored.jpg")
	pigeon(t, bin, home, "media", "get", id, "--out", out)
	if got, err := os.ReadFile(out); err != nil || !bytes.Equal(got, photo) {
		t.Fatalf("the restored file: %d bytes, %v", len(got), err)
	}
}
