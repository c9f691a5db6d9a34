package main

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/node/localapi"
	"github.com/pigeon-net/pigeon/node/nodetest"
)

// TestDaemonOnFullDisk: a daemon killed on a disk that then filled up
// (its home on a tmpfs of its own) starts again, answers reads, refuses a
// send with a message saying to free disk space, keeps a message sent to
// it pending at its sender, and once space is back sends and receives
// again without a restart. It used to die of SIGBUS at every start.
func TestDaemonOnFullDisk(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs two daemons")
	}
	dir := nodetest.Tmpfs(t, 256<<20)
	bin := pigeonBinary(t)
	const minFree = 32 << 20
	homeA, homeB := filepath.Join(dir, "a"), filepath.Join(t.TempDir(), "b")
	minFreeArg := []string{"--min-free", strconv.Itoa(minFree)}
	a := startDaemonAt(t, bin, homeA, "a", minFreeArg...)
	b := startDaemonAt(t, bin, homeB, "b", bootstrapArgs(t, a)...)
	idA, idB := newAPIClient(t, a).info(t).Account, newAPIClient(t, b).info(t).Account
	deadline := time.Now().Add(e2eTimeout)
	for {
		_, stderr, code := pigeonExit(t, bin, homeA, "send", idB, "before")
		if code == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("send to b never succeeded: %s", stderr)
		}
		time.Sleep(100 * time.Millisecond)
	}
	pollHistory(t, bin, homeB, idA, "b receives", func(ms []localapi.Message) bool { return len(ms) == 1 })

	// Killed, with a memtable log to replay, on a disk that fills up.
	a.kill(t)
	nodetest.Fill(t, dir, 0)
	a = startDaemonAt(t, bin, homeA, "a-full", append(minFreeArg, bootstrapArgs(t, b)...)...)
	if got := decode[localapi.Info](t, pigeon(t, bin, homeA, "id", "--json")); got.Account != idA {
		t.Fatalf("id on a full disk: %+v", got)
	}
	pollHistory(t, bin, homeA, idB, "history on a full disk", func(ms []localapi.Message) bool {
		return len(ms) == 1 && ms[0].Text == "before"
	})
	_, stderr, code := pigeonExit(t, bin, homeA, "send", idB, "from a full disk")
	if code == 0 || !strings.Contains(stderr, "free some disk space") {
		t.Fatalf("send on a full disk: exit %d: %s", code, stderr)
	}
	waiting := strings.TrimSpace(pigeon(t, bin, homeB, "send", idA, "while a is full"))
	sentState := func() string {
		for _, m := range decode[[]localapi.Message](t, pigeon(t, bin, homeB, "history", idA, "--json")) {
			if m.ID == waiting {
				return m.State
			}
		}
		return ""
	}
	if st := sentState(); st != "pending" {
		t.Fatalf("message to a full disk is %q at its sender, want pending", st)
	}
	if log := a.log.String(); strings.Count(log, "disk full: refusing new messages") != 1 ||
		!strings.Contains(log, "released the space reserve") {
		t.Fatalf("the daemon did not warn once of the full disk; its log:\n%s", log)
	}

	nodetest.Unfill(t, dir)
	deadline = time.Now().Add(e2eTimeout)
	for {
		_, stderr, code := pigeonExit(t, bin, homeA, "send", idB, "room again")
		if code == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("send once there is room: %s", stderr)
		}
		time.Sleep(100 * time.Millisecond)
	}
	pollHistory(t, bin, homeA, idB, "a receives what waited", func(ms []localapi.Message) bool {
		for _, m := range ms {
			if m.ID == waiting {
				return true
			}
		}
		return false
	})
	deadline = time.Now().Add(e2eTimeout)
	for st := sentState(); st != "delivered" && st != "read"; st = sentState() {
		if time.Now().After(deadline) {
			t.Fatalf("message that waited is %q at its sender", st)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
