package main

import (
	"strings"
	"testing"

	"github.com/pigeon-net/pigeon/node/localapi"
)

// Through the binary: pigeon search finds a received message by a word
// prefix without its accents, prints time, chat, sender and the snippet
// with the match marked; --chat, --relevance and --json work, and a bad
// query exits 1 with storage/search's advice.
func TestSearchCLI(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs two daemons")
	}
	bin := pigeonBinary(t)
	a, b, idA, idB := startPair(t, bin)
	pigeon(t, bin, b.home, "contacts", "add", idA, "Alice")

	pollOut(t, bin, a.home, "a message sent", func(s string) bool { return len(strings.TrimSpace(s)) == 32 },
		"send", idB, "Grüße aus Zürich, bis bald")
	pollOut(t, bin, b.home, "the message on b", func(s string) bool { return strings.Contains(s, "Zürich") }, "history", "alice")

	out := pigeon(t, bin, b.home, "search", "zur")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 1 || !strings.Contains(lines[0], "Alice") || !strings.Contains(lines[0], "Grüße aus [Zür]ich, bis bald") {
		t.Fatalf("search zur:\n%s", out)
	}
	if out := pigeon(t, bin, b.home, "search", "--relevance", "--chat", "alice", "bis", "gru"); !strings.Contains(out, "[Grü]ße aus Zürich, [bis] bald") {
		t.Fatalf("search --relevance --chat alice bis gru:\n%s", out)
	}
	if _, stderr, code := pigeonExit(t, bin, b.home, "search", "--chat", idB, "zur"); code != 0 || !strings.Contains(stderr, "no messages match") {
		t.Fatalf("search in another chat: exit %d, %q", code, stderr)
	}
	res := decode[localapi.SearchResponse](t, pigeon(t, bin, a.home, "search", "--json", "zurich"))
	if len(res.Hits) != 1 || res.Hits[0].Message.Direction != "out" || res.Hits[0].Snippet.Field != "text" {
		t.Fatalf("search --json on a: %+v", res)
	}
	if _, stderr, code := pigeonExit(t, bin, b.home, "search", "?!"); code != 1 || !strings.Contains(stderr, "empty query: type at least one letter or digit") {
		t.Fatalf("search ?!: exit %d, %q", code, stderr)
	}
}
