package main

import (
	"bytes"
	"crypto/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/node/localapi"
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
