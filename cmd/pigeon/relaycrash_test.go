package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	ma "github.com/multiformats/go-multiaddr"
)

// relayBatch is how many messages TestKill9RelayMidBurst sends while the
// recipient is offline, and relayCrashAfter how many must be accepted
// before the relay is killed.
const (
	relayBatch      = 40
	relayCrashAfter = 15
)

// TestKill9RelayMidBurst kills the recipient's relay with SIGKILL while the
// sender is depositing a burst for the offline recipient, restarts the
// relay on the same home and port, brings the recipient back and checks
// that every message the sender's API accepted reaches the recipient
// exactly once and is delivered on the sender's side.
func TestKill9RelayMidBurst(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs a relay and two daemons")
	}
	bin := pigeonBinary(t)
	homeR := filepath.Join(t.TempDir(), "relay")
	homeA := filepath.Join(t.TempDir(), "a")
	homeB := filepath.Join(t.TempDir(), "b")

	r := startRelayProc(t, bin, homeR, "relay", "/ip4/127.0.0.1/tcp/0")
	raddr := relayAddr(t, r)
	port, err := ma.StringCast(raddr).ValueForProtocol(ma.P_TCP)
	if err != nil {
		t.Fatalf("relay address %s has no TCP port: %v", raddr, err)
	}

	a := startDaemonAt(t, bin, homeA, "a", "--bootstrap", raddr)
	bArgs := []string{"--relay", raddr}
	b := startDaemonAt(t, bin, homeB, "b", bArgs...)
	apiA, apiB := newAPIClient(t, a), newAPIClient(t, b)
	idA, idB := apiA.info(t).Account, apiB.info(t).Account

	pigeon(t, bin, homeA, "contacts", "add", idB, "Bob")
	var warmup string
	deadline := time.Now().Add(e2eTimeout)
	for {
		stdout, stderr, code := pigeonExit(t, bin, homeA, "send", idB, "warm-up")
		if code == 0 {
			warmup = strings.TrimSpace(stdout)
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("send to B never succeeded: exit %d: %s", code, stderr)
		}
		time.Sleep(100 * time.Millisecond)
	}
	want := []string{warmup}
	waitDelivered(t, "warm-up", apiA, idB, want)

	// B goes away cleanly: from now on A can only deposit at B's relay.
	if err := b.stop(t); err != nil {
		t.Fatalf("stop B: %v", err)
	}

	// The first relayCrashAfter messages go in; once A has deposited at
	// least one of them (custody receipt: state sent), the relay is killed
	// while A is still depositing the rest and its API takes the others.
	first, stopped := sendBurst(apiA, idB, "offline-1", relayCrashAfter, relayCrashAfter)
	<-stopped
	ids, err := first.result()
	if err != nil {
		t.Fatalf("first part of the burst: %v", err)
	}
	waitState(t, apiA, idB, ids, "sent", 1)
	rest, stopped := sendBurst(apiA, idB, "offline-2", relayBatch-relayCrashAfter, 1)
	if err := rest.waitAccepted(1); err != nil {
		t.Fatalf("second part of the burst: %v", err)
	}
	logStates(t, "at the relay's kill", apiA, idB, append(ids, mustIDs(rest)...))
	r.kill(t)
	<-stopped
	more, err := rest.result()
	if err != nil {
		t.Fatalf("A's API failed while A was up: %v", err)
	}
	ids = append(ids, more...)
	if len(ids) != relayBatch {
		t.Fatalf("A accepted %d messages, want %d", len(ids), relayBatch)
	}
	logStates(t, "relay down, burst done", apiA, idB, ids)
	want = append(want, ids...)

	// The relay comes back on the same port, so the address in B's device
	// list (and A's cached copy of it) stays valid.
	r = startRelayProc(t, bin, homeR, "relay-restarted", "/ip4/127.0.0.1/tcp/"+port)
	if got := relayAddr(t, r); got != raddr {
		t.Fatalf("restarted relay is at %s, want %s", got, raddr)
	}
	b = startDaemonAt(t, bin, homeB, "b-restarted", bArgs...)
	apiB = newAPIClient(t, b)

	waitAllThrough(t, apiA, apiB, idA, idB, want)
	checkExactlyOnce(t, "after the relay's restart", apiB, idA, want)
}

// waitAllThrough polls until the recipient holds every message in want and
// the sender shows each as delivered or read. On timeout it says, for the
// messages the recipient lacks and those not delivered, what state the
// sender has them in (pending: still in A's outbox; sent: in custody at
// the relay).
func waitAllThrough(t *testing.T, sender, recipient *apiClient, idA, idB string, want []string) {
	t.Helper()
	start := time.Now()
	deadline := start.Add(e2eTimeout)
	for {
		states := make(map[string]string)
		for _, m := range sender.history(t, idB) {
			states[m.ID] = m.State
		}
		held := make(map[string]bool)
		for _, m := range recipient.history(t, idA) {
			held[m.ID] = true
		}
		lacks, undelivered := make(map[string]int), make(map[string]int)
		var nLacks, nUndelivered int
		for _, id := range want {
			st := states[id]
			if !held[id] {
				lacks[st]++
				nLacks++
			}
			if st != "delivered" && st != "read" {
				undelivered[st]++
				nUndelivered++
			}
		}
		if nLacks == 0 && nUndelivered == 0 {
			t.Logf("after the relay's restart: all %d through after %v", len(want), time.Since(start).Round(time.Millisecond))
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after the relay's restart, %v later: B lacks %d of %d accepted messages (their states on A: %v); "+
				"A shows %d as not delivered (states %v)", e2eTimeout, nLacks, len(want), lacks, nUndelivered, undelivered)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// startRelayProc starts `pigeon relay` on home listening on listen, waits
// for its addrs file and stops it at cleanup (printing its log if the test
// failed). A stale addrs file left by a killed relay is removed first. If
// the relay cannot listen (the port is taken), the test fails saying so.
func startRelayProc(t *testing.T, bin, home, name, listen string) *daemon {
	t.Helper()
	os.Remove(filepath.Join(home, addrsFile))
	d := &daemon{home: home, log: new(syncBuffer), exited: make(chan struct{})}
	d.cmd = exec.Command(bin, "--home", home, "relay", "--listen", listen, "--log-level", "debug")
	d.cmd.Stdout, d.cmd.Stderr = d.log, d.log
	if err := d.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		d.err = d.cmd.Wait()
		close(d.exited)
	}()
	t.Cleanup(func() {
		d.stop(t)
		if t.Failed() {
			t.Logf("%s log:\n%s", name, d.log.String())
		}
	})
	path := filepath.Join(home, addrsFile)
	deadline := time.Now().Add(e2eTimeout)
	for {
		if b, err := os.ReadFile(path); err == nil && len(b) > 0 {
			return d
		}
		select {
		case <-d.exited:
			log := d.log.String()
			if strings.Contains(log, "address already in use") {
				t.Fatalf("%s cannot listen on %s again: the port is taken (%v)\n%s", name, listen, d.err, log)
			}
			t.Fatalf("%s exited (%v) before writing its addresses:\n%s", name, d.err, log)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", path)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// relayAddr returns the relay's first full TCP address.
func relayAddr(t *testing.T, r *daemon) string {
	t.Helper()
	for _, a := range strings.Fields(r.waitFile(t, addrsFile)) {
		if strings.Contains(a, "/tcp/") && strings.Contains(a, "/p2p/") {
			return a
		}
	}
	t.Fatalf("relay in %s wrote no TCP address", r.home)
	return ""
}

// logStates logs how the sender sees the given messages: how many are
// still queued (pending), in custody at a relay (sent) or delivered.
func logStates(t *testing.T, what string, sender *apiClient, peer string, ids []string) {
	t.Helper()
	states := make(map[string]string)
	for _, m := range sender.history(t, peer) {
		states[m.ID] = m.State
	}
	count := make(map[string]int)
	for _, id := range ids {
		count[states[id]]++
	}
	t.Logf("%s: %d accepted, states %v", what, len(ids), count)
}

// waitState polls the sender's history until at least k of ids are in
// state st.
func waitState(t *testing.T, sender *apiClient, peer string, ids []string, st string, k int) {
	t.Helper()
	deadline := time.Now().Add(e2eTimeout)
	for {
		var n int
		for _, m := range sender.history(t, peer) {
			if m.State == st && slices.Contains(ids, m.ID) {
				n++
			}
		}
		if n >= k {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("only %d of %d messages reached state %s", n, len(ids), st)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// mustIDs returns the IDs a burst has had accepted so far.
func mustIDs(s *burst) []string {
	ids, _ := s.result()
	return ids
}
