package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/node/localapi"
)

// TestRepliesAndPrefsE2E drives replies and chat preferences with the
// built binary and two daemons: send --reply-to (text, file, group),
// history showing the quote, a refused reply to an unknown message, then
// pin, mute --for, archive, conversations [--archived], unarchive and
// unmute.
func TestRepliesAndPrefsE2E(t *testing.T) {
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

	var hello string
	deadline := time.Now().Add(e2eTimeout)
	for {
		// The first try can fail while B's device list reaches the DHT.
		stdout, _, code := pigeonExit(t, bin, a.home, "send", idB, "hello from a")
		if code == 0 {
			hello = strings.TrimSpace(stdout)
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("send kept failing")
		}
		time.Sleep(100 * time.Millisecond)
	}
	pollHistory(t, bin, b.home, idA, "hello at b", func(ms []localapi.Message) bool { return len(ms) == 1 })
	reply := strings.TrimSpace(pigeon(t, bin, b.home, "send", "--reply-to", hello, idA, "hi a"))
	file := filepath.Join(t.TempDir(), "notes.txt")
	if err := os.WriteFile(file, []byte("some notes"), 0o600); err != nil {
		t.Fatal(err)
	}
	fileReply := strings.TrimSpace(pigeon(t, bin, b.home, "send", "--reply-to", hello, idA, "--file", file))
	ms := pollHistory(t, bin, a.home, idB, "both replies at a", func(ms []localapi.Message) bool {
		return len(ms) == 3 && ms[1].ReplyTo != nil && ms[2].ReplyTo != nil
	})
	for i, id := range []string{reply, fileReply} {
		if m := ms[i+1]; m.ID != id || m.ReplyTo.ID != hello || m.ReplyTo.Snippet != "hello from a" || m.ReplyTo.State != "ok" {
			t.Fatalf("reply %d at a: %+v (reply_to %+v)", i, m, m.ReplyTo)
		}
	}
	if out := pigeon(t, bin, a.home, "history", idB); strings.Count(out, `: "hello from a"] `) != 2 || !strings.Contains(out, `: "hello from a"] hi a`) {
		t.Fatalf("history does not show the quote:\n%s", out)
	}
	_, stderr, code := pigeonExit(t, bin, b.home, "send", "--reply-to", strings.Repeat("ab", 16), idA, "?")
	if code == 0 || !strings.Contains(stderr, "not in this chat") {
		t.Fatalf("reply to an unknown message: exit %d, %s", code, stderr)
	}
	if _, stderr, code := pigeonExit(t, bin, b.home, "send", "--reply-to", "nope", idA, "?"); code != exitUsage || !strings.Contains(stderr, "--reply-to") {
		t.Fatalf("malformed --reply-to: exit %d, %s", code, stderr)
	}

	// A group reply.
	var gid string
	for deadline := time.Now().Add(e2eTimeout); ; {
		stdout, _, code := pigeonExit(t, bin, a.home, "group", "create", "team", idB)
		if code == 0 {
			gid = strings.TrimSpace(stdout)
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("group create kept failing")
		}
		time.Sleep(100 * time.Millisecond)
	}
	var groupHello string
	for deadline := time.Now().Add(e2eTimeout); ; {
		if stdout, _, code := pigeonExit(t, bin, b.home, "send", "--group", gid, "group hello"); code == 0 {
			groupHello = strings.TrimSpace(stdout)
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("group send kept failing")
		}
		time.Sleep(100 * time.Millisecond)
	}
	for deadline := time.Now().Add(e2eTimeout); ; {
		gh := decode[[]localapi.Message](t, pigeon(t, bin, a.home, "history", "--group", gid, "--json"))
		if len(gh) == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("a never got the group hello")
		}
		time.Sleep(50 * time.Millisecond)
	}
	pigeon(t, bin, a.home, "send", "--group", gid, "--reply-to", groupHello, "got it")
	for deadline := time.Now().Add(e2eTimeout); ; {
		gh := decode[[]localapi.Message](t, pigeon(t, bin, b.home, "history", "--group", gid, "--json"))
		if len(gh) == 2 && gh[1].ReplyTo != nil && gh[1].ReplyTo.ID == groupHello {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("b never got the group reply: %+v", gh)
		}
		time.Sleep(50 * time.Millisecond)
	}

	// Preferences.
	if out := strings.TrimSpace(pigeon(t, bin, a.home, "pin", idB)); out != "pinned" {
		t.Fatalf("pin printed %q", out)
	}
	if out := strings.TrimSpace(pigeon(t, bin, a.home, "mute", "--for", "8h", idB)); !strings.HasPrefix(out, "pinned, muted until ") {
		t.Fatalf("mute --for printed %q", out)
	}
	convs := decode[[]localapi.Conversation](t, pigeon(t, bin, a.home, "chats", "--json"))
	if len(convs) != 2 || convs[0].Peer != idB || !convs[0].Pinned || convs[0].MutedUntil == "" || convs[1].Group != gid {
		t.Fatalf("chats: %+v, want the pinned muted chat with b first, then the group", convs)
	}
	if out := strings.TrimSpace(pigeon(t, bin, a.home, "archive", "--group", gid)); out != "archived" {
		t.Fatalf("archive printed %q", out)
	}
	if convs := decode[[]localapi.Conversation](t, pigeon(t, bin, a.home, "chats", "--json")); len(convs) != 1 || convs[0].Peer != idB {
		t.Fatalf("chats after archive: %+v", convs)
	}
	if out := pigeon(t, bin, a.home, "chats", "--archived"); !strings.Contains(out, "team") || !strings.Contains(out, "archived") {
		t.Fatalf("chats --archived:\n%s", out)
	}
	pigeon(t, bin, a.home, "unarchive", "--group", gid)
	pigeon(t, bin, a.home, "unpin", idB)
	if out := strings.TrimSpace(pigeon(t, bin, a.home, "unmute", idB)); out != "-" {
		t.Fatalf("unmute printed %q", out)
	}
	if convs := decode[[]localapi.Conversation](t, pigeon(t, bin, a.home, "chats", "--json")); len(convs) != 2 || convs[0].Pinned || convs[0].MutedUntil != "" || convs[1].Archived {
		t.Fatalf("chats after undoing: %+v", convs)
	}
}
