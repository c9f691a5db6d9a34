package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/node/localapi"
	"github.com/pigeon-net/pigeon/protocol/media"
	"github.com/pigeon-net/pigeon/storage"
	"github.com/pigeon-net/pigeon/storage/badger"
)

// TestMediaWalkthrough runs the README's media steps with the real binary:
// a file with a caption from A to B, listed and fetched on B.
func TestMediaWalkthrough(t *testing.T) {
	bin := pigeonBinary(t)
	a := startDaemon(t, bin, "a")
	aAddrs := strings.Fields(a.waitFile(t, addrsFile))
	a.waitFile(t, addrFile)
	var bootstrap []string
	for _, ma := range aAddrs {
		bootstrap = append(bootstrap, "--bootstrap", ma)
	}
	b := startDaemon(t, bin, "b", bootstrap...)
	b.waitFile(t, addrFile)
	b.waitFile(t, addrsFile)
	idA := decode[localapi.Info](t, pigeon(t, bin, a.home, "id", "--json"))
	idB := decode[localapi.Info](t, pigeon(t, bin, b.home, "id", "--json"))

	data := make([]byte, 5<<20+3)
	rand.Read(data)
	src := filepath.Join(t.TempDir(), "report.pdf")
	if err := os.WriteFile(src, data, 0o600); err != nil {
		t.Fatal(err)
	}
	// B's device list may not be in the DHT yet: retry like the text
	// walkthrough's reader would.
	var msgID string
	deadline := time.Now().Add(e2eTimeout)
	for {
		stdout, stderr, code := pigeonExit(t, bin, a.home, "send", idB.Account, "--file", src, "--caption", "the report")
		if code == 0 {
			msgID = strings.TrimSpace(stdout)
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("send --file: exit %d: %s", code, stderr)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if len(msgID) != 32 {
		t.Fatalf("send --file printed %q", msgID)
	}
	pollHistory(t, bin, b.home, idA.Account, "the file on B", func(ms []localapi.Message) bool {
		return len(ms) == 1 && ms[0].Media != nil && ms[0].Media.Name == "report.pdf" && ms[0].Text == "the report"
	})
	list := decode[[]localapi.Media](t, pigeon(t, bin, b.home, "media", "list", idA.Account, "--json"))
	if len(list) != 1 || list[0].ID != msgID || list[0].MIME != "application/pdf" || list[0].Size != uint64(len(data)) {
		t.Fatalf("media list %+v", list)
	}
	out := filepath.Join(t.TempDir(), "got.pdf")
	if got := strings.TrimSpace(pigeon(t, bin, b.home, "media", "get", msgID, "--out", out)); got != out {
		t.Fatalf("media get printed %q", got)
	}
	if got, _ := os.ReadFile(out); !bytes.Equal(got, data) {
		t.Fatal("fetched file differs")
	}
	if lines := strings.TrimSpace(pigeon(t, bin, b.home, "history", idA.Account)); !strings.Contains(lines, "report.pdf") || !strings.Contains(lines, "the report") {
		t.Fatalf("history text form: %q", lines)
	}
	pigeon(t, bin, b.home, "media", "auto", "0")
	pigeon(t, bin, b.home, "media", "auto", idA.Account, "100000000")
	if got := strings.TrimSpace(pigeon(t, bin, b.home, "media", "auto")); got != "0" {
		t.Fatalf("media auto printed %q", got)
	}
	_, stderr, code := pigeonExit(t, bin, b.home, "media", "get", "nothex")
	if code != 1 || !strings.Contains(stderr, "invalid message ID") {
		t.Fatalf("bad ID: exit %d, %q", code, stderr)
	}
}

// pigeonIn runs the binary in directory dir.
func pigeonIn(t *testing.T, bin, home, dir string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	return runPigeon(t, bin, home, dir, "", args...)
}

// sendFiles sends one file per content from a to the account to and
// returns the message IDs.
func sendFiles(t *testing.T, bin string, a *daemon, to string, contents [][]byte) []string {
	t.Helper()
	var ids []string
	for i, data := range contents {
		src := filepath.Join(t.TempDir(), fmt.Sprintf("f%d.bin", i))
		if err := os.WriteFile(src, data, 0o600); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(e2eTimeout)
		for {
			stdout, stderr, code := pigeonExit(t, bin, a.home, "send", to, "--file", src)
			if code == 0 {
				ids = append(ids, strings.TrimSpace(stdout))
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("send --file: exit %d: %s", code, stderr)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	return ids
}

// waitMediaState polls `media info` on home until file id is in state.
func waitMediaState(t *testing.T, bin, home, id, state string) localapi.Media {
	t.Helper()
	deadline := time.Now().Add(e2eTimeout)
	for {
		stdout, _, code := pigeonExit(t, bin, home, "media", "info", id, "--json")
		if code == 0 {
			if m := decode[localapi.Media](t, stdout); m.State == state {
				return m
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("file %s never %s: %s", id, state, stdout)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// plantNames rewrites the file names in the stored manifests of the
// daemon's attachments, as a sender that does not clean its names would
// have sent them (an honest sender keeps only a base name). The daemon
// must be stopped.
func plantNames(t *testing.T, home string, names map[string]string) {
	t.Helper()
	st, err := badger.Open(badger.Options{Dir: filepath.Join(home, "db"), BlocksDir: filepath.Join(home, "blocks")})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for id, name := range names {
		mid, err := storage.ParseMessageID(id)
		if err != nil {
			t.Fatal(err)
		}
		_, err = st.UpdateAttachment(context.Background(), mid, func(a *storage.Attachment) {
			m, err := media.DecodeManifest(a.Manifest)
			if err != nil {
				t.Errorf("manifest of %s: %v", id, err)
				return
			}
			m.FileName = name
			a.Manifest, _ = proto.Marshal(m)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// TestMediaGetNeverReplaces: whatever name a file arrives with, `media
// get` saves it inside the chosen directory, never as a hidden file, and
// never over an existing file; saving twice gives "photo.png" and "photo
// (1).png"; --out names a directory or a file (replaced with --force
// only).
func TestMediaGetNeverReplaces(t *testing.T) {
	bin := pigeonBinary(t)
	a := startDaemon(t, bin, "a")
	a.waitFile(t, addrFile)
	b := startDaemon(t, bin, "b", bootstrapArgs(t, a)...)
	b.waitFile(t, addrFile)
	idA := decode[localapi.Info](t, pigeon(t, bin, a.home, "id", "--json"))
	idB := decode[localapi.Info](t, pigeon(t, bin, b.home, "id", "--json"))

	long := strings.Repeat("é", 50) + strings.Repeat("x", 146) + ".txt" // 200 characters, 250 bytes
	names := []string{"photo.png", "../../x", ".bashrc", "a/b", `..\..\evil.sh`, "con", long, "two\nlines.txt", "-rf"}
	contents := make([][]byte, len(names))
	for i := range contents {
		contents[i] = make([]byte, 50<<10+i)
		rand.Read(contents[i])
	}
	ids := sendFiles(t, bin, a, idB.Account, contents)
	for _, id := range ids {
		waitMediaState(t, bin, b.home, id, "local")
	}
	if err := b.stop(t); err != nil {
		t.Fatalf("stop b: %v", err)
	}
	planted := map[string]string{}
	for i, id := range ids {
		planted[id] = names[i]
	}
	plantNames(t, b.home, planted)
	b = startDaemonAt(t, bin, b.home, "b", bootstrapArgs(t, a)...)

	// The files a user already has, where hostile names point.
	root := t.TempDir()
	dir := filepath.Join(root, "one", "two", "downloads")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	mine := []byte("the user's own file")
	precious := []string{filepath.Join(root, "x"), filepath.Join(root, "one", "x"), filepath.Join(dir, ".bashrc"), filepath.Join(dir, "x"), filepath.Join(root, "one", "evil.sh")}
	for _, p := range precious {
		if err := os.WriteFile(p, mine, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	get := func(id string, args ...string) string {
		t.Helper()
		stdout, stderr, code := pigeonIn(t, bin, b.home, dir, append([]string{"media", "get", id}, args...)...)
		if code != 0 {
			t.Fatalf("media get %s: exit %d: %s", id, code, stderr)
		}
		return strings.TrimSpace(stdout)
	}
	check := func(path string, data []byte) {
		t.Helper()
		if filepath.Dir(path) != dir {
			t.Fatalf("saved at %q, outside %s", path, dir)
		}
		if got, err := os.ReadFile(path); err != nil || !bytes.Equal(got, data) {
			t.Fatalf("%s does not hold the file (%v)", path, err)
		}
	}
	want := map[string]string{
		"photo.png": "photo.png", "../../x": "x (1)", ".bashrc": "_bashrc", "a/b": "b", `..\..\evil.sh`: "evil.sh",
		"two\nlines.txt": "two_lines.txt", "-rf": "_rf",
	}
	for i, id := range ids {
		path := get(id)
		if !filepath.IsAbs(path) {
			path = filepath.Join(dir, path)
		}
		check(path, contents[i])
		base := filepath.Base(path)
		switch name := names[i]; name {
		case "con":
			if !strings.HasPrefix(base, "pigeon-"+id) {
				t.Errorf("%q saved as %q, want a name from the message ID", name, base)
			}
		case long:
			if len(base) > 200 || !strings.HasSuffix(base, ".txt") || !strings.HasPrefix(base, "ééé") {
				t.Errorf("long name saved as %q (%d bytes)", base, len(base))
			}
		default:
			if base != want[name] {
				t.Errorf("%q saved as %q, want %q", name, base, want[name])
			}
		}
	}
	// The same file again: a new name beside the first.
	if got := get(ids[0]); got != "photo (1).png" {
		t.Fatalf("second save printed %q", got)
	}
	check(filepath.Join(dir, "photo (1).png"), contents[0])
	if got, _ := os.ReadFile(filepath.Join(dir, "photo.png")); !bytes.Equal(got, contents[0]) {
		t.Fatal("the first save was replaced")
	}
	for _, p := range precious {
		if got, _ := os.ReadFile(p); !bytes.Equal(got, mine) {
			t.Fatalf("%s was replaced", p)
		}
	}
	// Nothing was written outside the download directory, and no
	// temporary file was left in it.
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && filepath.Dir(p) != dir && !slices.Contains(precious, p) {
			t.Errorf("%s was written outside the download directory", p)
		}
		if strings.Contains(p, ".part") {
			t.Errorf("temporary file %s left", p)
		}
		return nil
	})

	// --out DIR keeps the name in that directory; --out FILE writes that
	// file, never over an existing one unless --force.
	other := t.TempDir()
	if got := get(ids[2], "--out", other); got != filepath.Join(other, "_bashrc") {
		t.Fatalf("--out DIR saved at %q", got)
	}
	exact := filepath.Join(other, "chosen.bin")
	if got := get(ids[1], "--out", exact); got != exact {
		t.Fatalf("--out FILE saved at %q", got)
	}
	_, stderr, code := pigeonIn(t, bin, b.home, dir, "media", "get", ids[3], "--out", exact)
	if code != 1 || !strings.Contains(stderr, "--force") || strings.Contains(stderr, ".part") {
		t.Fatalf("--out over an existing file: exit %d, %q", code, stderr)
	}
	if got, _ := os.ReadFile(exact); !bytes.Equal(got, contents[1]) {
		t.Fatal("the existing file was replaced without --force")
	}
	if got := get(ids[3], "--out", exact, "--force"); got != exact {
		t.Fatalf("--force saved at %q", got)
	}
	if got, _ := os.ReadFile(exact); !bytes.Equal(got, contents[3]) {
		t.Fatal("--force did not replace the file")
	}
	_ = idA
}

// TestMediaGetWaitsForSender: `media get` of a file whose sender is
// offline says it waits for the sender and gives up after --wait, while
// the daemon keeps the download retrying (shown by `media list`); once the
// sender is back (restarted, on new ports), `media get` saves the file.
func TestMediaGetWaitsForSender(t *testing.T) {
	bin := pigeonBinary(t)
	boot := startDaemon(t, bin, "boot")
	boot.waitFile(t, addrFile)
	a := startDaemon(t, bin, "a", bootstrapArgs(t, boot)...)
	a.waitFile(t, addrFile)
	b := startDaemon(t, bin, "b", bootstrapArgs(t, boot)...)
	b.waitFile(t, addrFile)
	idA := decode[localapi.Info](t, pigeon(t, bin, a.home, "id", "--json"))
	idB := decode[localapi.Info](t, pigeon(t, bin, b.home, "id", "--json"))
	pigeon(t, bin, b.home, "media", "auto", "0")

	data := make([]byte, 2<<20+5)
	rand.Read(data)
	id := sendFiles(t, bin, a, idB.Account, [][]byte{data})[0]
	waitMediaState(t, bin, b.home, id, "remote")
	if err := a.stop(t); err != nil {
		t.Fatalf("stop a: %v", err)
	}

	dir := t.TempDir()
	_, stderr, code := pigeonExit(t, bin, b.home, "media", "get", id, "--out", dir, "--wait", "1s")
	if code != 1 || !strings.Contains(stderr, "gave up waiting") {
		t.Fatalf("media get with the sender away: exit %d, %q", code, stderr)
	}
	m := waitMediaState(t, bin, b.home, id, "retrying")
	if m.RetryUntil == "" || m.Error == "" {
		t.Fatalf("retrying file %+v", m)
	}
	if list := pigeon(t, bin, b.home, "media", "list", idA.Account); !strings.Contains(list, "retrying") {
		t.Fatalf("media list: %q", list)
	}
	_, stderr, code = pigeonExit(t, bin, b.home, "media", "get", id, "--out", dir, "--wait", "1s")
	if code != 1 || !strings.Contains(stderr, "waiting for the sender") || !strings.Contains(stderr, "the sender has not come online") {
		t.Fatalf("media get while retrying: exit %d, %q", code, stderr)
	}
	if es, _ := os.ReadDir(dir); len(es) != 0 {
		t.Fatalf("left in the directory: %v", es)
	}

	startDaemonAt(t, bin, a.home, "a", bootstrapArgs(t, boot)...)
	deadline := time.Now().Add(e2eTimeout)
	for {
		// Each call also has the daemon try again at once.
		stdout, stderr, code := pigeonExit(t, bin, b.home, "media", "get", id, "--out", dir, "--wait", "3s")
		if code == 0 {
			if got, err := os.ReadFile(strings.TrimSpace(stdout)); err != nil || !bytes.Equal(got, data) {
				t.Fatalf("saved file %q differs (%v)", stdout, err)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("media get after the sender came back: exit %d, %q", code, stderr)
		}
	}
}
