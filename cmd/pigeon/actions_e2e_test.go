package main

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/node/localapi"
)

// TestActionsUsageErrors: edit, delete and react check their arguments
// before asking the daemon (none runs here).
func TestActionsUsageErrors(t *testing.T) {
	home := t.TempDir()
	id := strings.Repeat("ab", 16)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"edit", id}, "want MESSAGE_ID TEXT"},
		{[]string{"edit", "nope", "text"}, "want a message ID"},
		{[]string{"versions"}, "want MESSAGE_ID"},
		{[]string{"delete"}, "want MESSAGE_ID [--for-everyone]"},
		{[]string{"react", id}, "want MESSAGE_ID EMOJI"},
		{[]string{"react", id, "👍", "--remove"}, "MESSAGE_ID --remove"},
	} {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			code, stdout, stderr := runCLI(t, append([]string{"--home", home}, c.args...)...)
			if code != exitUsage || stdout != "" || !strings.Contains(stderr, c.want) {
				t.Errorf("exit %d, stdout %q, stderr %q; want usage error containing %q", code, stdout, stderr, c.want)
			}
		})
	}
}

// TestActionsE2E drives edit, react, delete for everyone and delete for
// me with the built binary between two daemons, and checks what history
// shows on both sides.
func TestActionsE2E(t *testing.T) {
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
	idA := decode[localapi.Info](t, pigeon(t, bin, a.home, "id", "--json")).Account
	idB := decode[localapi.Info](t, pigeon(t, bin, b.home, "id", "--json")).Account

	poll := func(what string, f func() error) {
		t.Helper()
		deadline := time.Now().Add(e2eTimeout)
		for {
			err := f()
			if err == nil {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting for %s: %v", what, err)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	send := func(home, to, text string) string {
		var id string
		poll("send", func() error {
			// The first tries can fail while the recipient's device list
			// reaches the DHT.
			stdout, stderr, code := pigeonExit(t, bin, home, "send", to, text)
			if code != 0 {
				return fmt.Errorf("exit %d: %s", code, stderr)
			}
			id = strings.TrimSpace(stdout)
			return nil
		})
		return id
	}
	message := func(home, peer, id string) (localapi.Message, bool) {
		ms := decode[[]localapi.Message](t, pigeon(t, bin, home, "history", peer, "--json"))
		i := slices.IndexFunc(ms, func(m localapi.Message) bool { return m.ID == id })
		if i < 0 {
			return localapi.Message{}, false
		}
		return ms[i], true
	}
	waitFor := func(what, home, peer, id string, cond func(m localapi.Message, ok bool) bool) {
		t.Helper()
		poll(what, func() error {
			if m, ok := message(home, peer, id); !cond(m, ok) {
				return fmt.Errorf("message %+v (held: %t)", m, ok)
			}
			return nil
		})
	}

	id := send(a.home, idB, "meet at 5")
	waitFor("the message at b", b.home, idA, id, func(_ localapi.Message, ok bool) bool { return ok })

	pigeon(t, bin, a.home, "edit", id, "meet", "at", "6")
	waitFor("the edit at b", b.home, idA, id, func(m localapi.Message, ok bool) bool {
		return ok && m.Text == "meet at 6" && m.Edited && m.Edits == 1
	})
	if out := pigeon(t, bin, b.home, "history", idA); !strings.Contains(out, "meet at 6 (edited)") {
		t.Fatalf("b's history does not show the edit:\n%s", out)
	}
	if _, stderr, code := pigeonExit(t, bin, b.home, "edit", id, "forged"); code != 1 || !strings.Contains(stderr, "only the message's author") {
		t.Fatalf("b edits a's message: exit %d, stderr %q", code, stderr)
	}
	// Every version, on either side.
	if out := pigeon(t, bin, b.home, "versions", id); !regexp.MustCompile(`(?m)^0  .*  meet at 5\n1  .*  meet at 6\n$`).MatchString(out) {
		t.Fatalf("b's versions of the edited message:\n%s", out)
	}
	var vs []localapi.Version
	if err := json.Unmarshal([]byte(pigeon(t, bin, a.home, "--json", "versions", id)), &vs); err != nil || len(vs) != 2 || vs[1].Text != "meet at 6" {
		t.Fatalf("a's versions as JSON: %+v (%v)", vs, err)
	}

	pigeon(t, bin, b.home, "react", id, "👍")
	waitFor("b's reaction at a", a.home, idB, id, func(m localapi.Message, ok bool) bool {
		return ok && len(m.Reactions) == 1 && m.Reactions[0].Emoji == "👍" && m.Reactions[0].Count == 1 &&
			slices.Equal(m.Reactions[0].Accounts, []string{idB})
	})
	if out := pigeon(t, bin, a.home, "history", idB); !strings.Contains(out, "meet at 6 (edited) [👍 1]") {
		t.Fatalf("a's history does not show the reaction:\n%s", out)
	}
	pigeon(t, bin, b.home, "react", id, "--remove")
	waitFor("the reaction removed at a", a.home, idB, id, func(m localapi.Message, ok bool) bool { return ok && len(m.Reactions) == 0 })

	pigeon(t, bin, a.home, "delete", id, "--for-everyone")
	waitFor("the delete at b", b.home, idA, id, func(_ localapi.Message, ok bool) bool { return !ok })
	if _, ok := message(a.home, idB, id); ok {
		t.Fatal("a still shows the message it deleted for everyone")
	}

	mine := send(b.home, idA, "note to self")
	waitFor("b's message at a", a.home, idB, mine, func(_ localapi.Message, ok bool) bool { return ok })
	pigeon(t, bin, b.home, "delete", mine)
	if _, ok := message(b.home, idA, mine); ok {
		t.Fatal("b still shows the message it deleted")
	}
	if _, ok := message(a.home, idB, mine); !ok {
		t.Fatal("b's delete for me removed the message at a")
	}
}
