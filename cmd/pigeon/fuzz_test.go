package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/pigeon-net/pigeon/node/localapi"
)

// FuzzPrintEvent feeds event frames from the daemon to watch's text output,
// which must be exactly one line (or nothing) and never panic.
func FuzzPrintEvent(f *testing.F) {
	m := localapi.Message{ID: strings.Repeat("ab", 16), Sender: "pgx", Text: "hi\x1b[2J\nthere"}
	for _, ev := range []localapi.Event{
		{Type: localapi.EventMessageReceived, Message: &m},
		{Type: localapi.EventMessageStateChanged, ID: m.ID, Peer: "pgy", State: "read"},
		{Type: localapi.EventReceipt, From: "pgy", Device: 2, Kind: "read", IDs: []string{m.ID}},
		{Type: localapi.EventIdentityChanged, Account: "pgy", Device: 3},
		{Type: localapi.EventDropped, Count: 7},
		{Type: localapi.EventMessagePending, Peer: "pgy", PeerName: "Bob\n\x1b[31m", IDs: []string{m.ID}, Code: "no_relay", Reason: "recipient not reachable"},
		{Type: localapi.EventContactChanged, Account: "pgy", AccountName: "a\u202eb"},
		{Type: localapi.EventGroupChanged, Group: strings.Repeat("cd", 32), GroupName: "climbing\r", By: "pgy", ByName: "Bob", Account: "pgz", Change: "member_added"},
		{Type: "future_event"},
	} {
		b, _ := json.Marshal(ev)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, frame []byte) {
		if len(frame) > maxEventFrame {
			return
		}
		var ev localapi.Event
		if json.Unmarshal(frame, &ev) != nil {
			return
		}
		var out bytes.Buffer
		a := &app{stdout: &out}
		a.printEvent(ev)
		s := out.String()
		if s != "" && (strings.Count(s, "\n") != 1 || !strings.HasSuffix(s, "\n") || !utf8.ValidString(s)) {
			t.Fatalf("event %q printed %q, want one line", frame, s)
		}
		for _, r := range strings.TrimSuffix(s, "\n") {
			if r < 0x20 || r == 0x7f {
				t.Fatalf("control character %U in %q", r, s)
			}
		}
	})
}
