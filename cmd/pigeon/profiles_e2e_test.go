package main

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/node/localapi"
)

// TestProfilesRequestsBlockingE2E, with the built binary and two daemons:
// A sets a name and avatar and writes to B, a stranger; B finds the chat
// under requests, addresses A by its profile name, accepts it, then
// blocks and unblocks A.
func TestProfilesRequestsBlockingE2E(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs two daemons")
	}
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
	idA := decode[localapi.Info](t, pigeon(t, bin, a.home, "id", "--json"))
	idB := decode[localapi.Info](t, pigeon(t, bin, b.home, "id", "--json"))

	var img bytes.Buffer
	if err := png.Encode(&img, image.NewGray(image.Rect(0, 0, 16, 16))); err != nil {
		t.Fatal(err)
	}
	avatar := filepath.Join(t.TempDir(), "me.png")
	if err := os.WriteFile(avatar, img.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	pigeon(t, bin, a.home, "profile", "set", "--name", "Ada Lovelace", "--avatar", avatar)
	if out := pigeon(t, bin, a.home, "profile"); !strings.Contains(out, "Ada Lovelace\tavatar") {
		t.Fatalf("own profile: %q", out)
	}

	poll := func(what string, cond func() bool) {
		t.Helper()
		deadline := time.Now().Add(e2eTimeout)
		for !cond() {
			if time.Now().After(deadline) {
				t.Fatal("timed out: " + what)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	poll("send to b", func() bool {
		_, _, code := pigeonExit(t, bin, a.home, "send", idB.Account, "hello from a stranger")
		return code == 0
	})
	poll("b lists the request", func() bool {
		return strings.Contains(pigeon(t, bin, b.home, "requests"), idA.Account)
	})
	if out := pigeon(t, bin, b.home, "conversations"); strings.Contains(out, "hello from a stranger") {
		t.Fatalf("a request is in the chat list: %q", out)
	}
	poll("b has a's profile", func() bool {
		_, _, code := pigeonExit(t, bin, b.home, "profile", "show", idA.Account)
		return code == 0
	})
	// A's profile name now works where an ACCOUNT is expected.
	if out := pigeon(t, bin, b.home, "profile", "show", "ada lovelace"); !strings.Contains(out, idA.Account+"\tAda Lovelace\tavatar") {
		t.Fatalf("a's profile at b: %q", out)
	}
	pigeon(t, bin, b.home, "accept", "Ada Lovelace")
	if out := pigeon(t, bin, b.home, "requests"); strings.TrimSpace(out) != "" {
		t.Fatalf("requests after accept: %q", out)
	}
	if out := pigeon(t, bin, b.home, "conversations"); !strings.Contains(out, "Ada Lovelace") {
		t.Fatalf("the accepted chat is not listed by profile name: %q", out)
	}

	pigeon(t, bin, b.home, "block", "Ada Lovelace")
	if out := pigeon(t, bin, b.home, "blocked"); !strings.Contains(out, idA.Account) {
		t.Fatalf("blocked: %q", out)
	}
	if _, stderr, code := pigeonExit(t, bin, b.home, "send", "Ada Lovelace", "x"); code == 0 || !strings.Contains(stderr, "blocked") {
		t.Fatalf("send to a blocked account: exit %d, %q", code, stderr)
	}
	pigeon(t, bin, b.home, "unblock", idA.Account)
	if out := pigeon(t, bin, b.home, "blocked"); strings.TrimSpace(out) != "" {
		t.Fatalf("blocked after unblock: %q", out)
	}
}
