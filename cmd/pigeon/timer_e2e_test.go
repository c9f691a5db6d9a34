package main

import (
	"regexp"
	"strings"
	"testing"

	"github.com/pigeon-net/pigeon/node/localapi"
)

// countdown is a history line's marker of a running countdown.
var countdown = regexp.MustCompile(`read me soon \[⏱ (59m\d+s|58m\d+s) left\]`)

// Through the binary: a timer set on one side reaches the other, both
// histories show the notice and the countdown of a disappearing message,
// the default timer round-trips, bad durations are usage errors, and a
// message sent under a 30-second timer disappears from the sender's
// history.
func TestTimerE2E(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs two daemons")
	}
	bin := pigeonBinary(t)
	a, b, idA, idB := startPair(t, bin)
	pigeon(t, bin, a.home, "contacts", "add", idB, "Bob")
	pigeon(t, bin, b.home, "contacts", "add", idA, "Alice")

	if _, stderr, code := pigeonExit(t, bin, a.home, "timer", "bob", "10s"); code != 2 || !strings.Contains(stderr, "30s to 365 days") {
		t.Fatalf("timer 10s: exit %d, %q", code, stderr)
	}
	pollOut(t, bin, a.home, "the timer set", func(s string) bool {
		return s == "disappearing messages: 1 hour\n"
	}, "timer", "bob", "1h")
	pollOut(t, bin, b.home, "the timer on bob's side", func(s string) bool {
		return s == "disappearing messages: 1 hour\n"
	}, "timer", "alice")
	if got := decode[localapi.Timer](t, pigeon(t, bin, b.home, "timer", "alice", "--json")); got.Seconds != 3600 || got.Setter != idA {
		t.Fatalf("timer --json on bob: %+v", got)
	}

	id := strings.TrimSpace(pigeon(t, bin, a.home, "send", "bob", "read me soon"))
	hist := pollOut(t, bin, b.home, "the message and notice on bob's side", func(s string) bool {
		return strings.Contains(s, "read me soon [⏱ 1 hour after read]")
	}, "history", "alice")
	if !strings.Contains(hist, "· Alice set disappearing messages to 1 hour ·") {
		t.Fatalf("bob's history has no notice:\n%s", hist)
	}
	hist = pigeon(t, bin, a.home, "history", "bob")
	if !strings.Contains(hist, "· you set disappearing messages to 1 hour ·") || !countdown.MatchString(hist) {
		t.Fatalf("alice's history:\n%s", hist)
	}
	pigeon(t, bin, b.home, "read", "alice")
	pollOut(t, bin, b.home, "the countdown started on bob's side", func(s string) bool {
		return countdown.MatchString(s)
	}, "history", "alice")

	// The default timer of new chats.
	if out := pigeon(t, bin, a.home, "timer", "--default", "1d"); out != "disappearing messages: 1 day\n" {
		t.Fatalf("timer --default 1d: %q", out)
	}
	if out := pigeon(t, bin, a.home, "timer", "--default"); out != "disappearing messages: 1 day\n" {
		t.Fatalf("timer --default: %q", out)
	}

	// 30 seconds: gone from both sides (bob reads it at once).
	pigeon(t, bin, a.home, "timer", "bob", "30s")
	quick := strings.TrimSpace(pigeon(t, bin, a.home, "send", "bob", "gone in thirty"))
	pollOut(t, bin, b.home, "the quick one on bob's side", func(s string) bool {
		return strings.Contains(s, "gone in thirty")
	}, "history", "alice")
	pigeon(t, bin, b.home, "read", "alice")
	for _, home := range []string{a.home, b.home} {
		pollOut(t, bin, home, "the quick one gone", func(s string) bool {
			return !strings.Contains(s, "gone in thirty") && strings.Contains(s, "set disappearing messages to 30 seconds")
		}, "history", "--ids", map[string]string{a.home: "bob", b.home: "alice"}[home])
	}
	if _, _, code := pigeonExit(t, bin, a.home, "history", "bob", "--ids"); code != 0 || quick == id {
		t.Fatal("history after expiry failed")
	}
	if out := pigeon(t, bin, a.home, "timer", "bob", "off"); out != "disappearing messages: off\n" {
		t.Fatalf("timer off: %q", out)
	}
}
