package main

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	ma "github.com/multiformats/go-multiaddr"

	"github.com/pigeon-net/pigeon/node/localapi"
)

// TestRelaysRemoveClosesMailbox drives `pigeon relays` through the built
// binary: a relay added, the deposit secret rotated, then the relay
// removed while it is down: it stays listed as closing until it is back
// and the node has closed its mailbox there.
func TestRelaysRemoveClosesMailbox(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs a relay and a daemon")
	}
	bin := pigeonBinary(t)
	homeR := filepath.Join(t.TempDir(), "relay")
	homeA := filepath.Join(t.TempDir(), "a")
	r := startRelayProc(t, bin, homeR, "relay", "/ip4/127.0.0.1/tcp/0")
	raddr := relayAddr(t, r)
	port, err := ma.StringCast(raddr).ValueForProtocol(ma.P_TCP)
	if err != nil {
		t.Fatal(err)
	}
	rid := raddr[strings.LastIndex(raddr, "/")+1:]
	a := startDaemonAt(t, bin, homeA, "a", "--bootstrap", raddr)
	defer a.stop(t)

	relays := func() []localapi.Relay {
		return decode[[]localapi.Relay](t, pigeon(t, bin, homeA, "relays", "--json"))
	}
	waitRelays := func(what string, ok func([]localapi.Relay) bool) {
		t.Helper()
		deadline := time.Now().Add(e2eTimeout)
		for !ok(relays()) {
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting for %s: %+v", what, relays())
			}
			time.Sleep(100 * time.Millisecond)
		}
	}

	pigeon(t, bin, homeA, "relays", "add", raddr)
	waitRelays("the reservation", func(rs []localapi.Relay) bool { return len(rs) == 1 && rs[0].Reserved && rs[0].Mailbox })
	if _, stderr, code := pigeonExit(t, bin, homeA, "relays", "rotate-secret"); code != 0 || !strings.Contains(stderr, "rotated") {
		t.Fatalf("relays rotate-secret: exit %d: %s", code, stderr)
	}

	if err := r.stop(t); err != nil {
		t.Logf("relay stopped: %v", err)
	}
	if _, stderr, code := pigeonExit(t, bin, homeA, "relays", "remove", rid); code != 0 {
		t.Fatalf("relays remove: exit %d: %s", code, stderr)
	}
	waitRelays("the removed relay listed as closing", func(rs []localapi.Relay) bool { return len(rs) == 1 && rs[0].Closing && rs[0].PeerID == rid })
	if out := pigeon(t, bin, homeA, "relays"); !strings.Contains(out, "closing") {
		t.Fatalf("`pigeon relays` does not say the relay is closing:\n%s", out)
	}

	r = startRelayProc(t, bin, homeR, "relay-restarted", "/ip4/127.0.0.1/tcp/"+port)
	waitRelays("the mailbox closed", func(rs []localapi.Relay) bool { return len(rs) == 0 })
}
