package localapi

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// isUTC reports whether a JSON time is RFC 3339 with nanoseconds in UTC.
func isUTC(s string) bool {
	t, err := time.Parse(time.RFC3339Nano, s)
	return err == nil && strings.HasSuffix(s, "Z") && t.Format(time.RFC3339Nano) == s
}

// The status endpoint, pending reasons on messages and in events, names
// beside IDs, and one time format: RFC 3339 in UTC, with the same sent_at
// on both sides of a message.
func TestStatusPendingNamesTimes(t *testing.T) {
	na := startNode(t)
	nb := startNode(t, na)
	a, b := startServer(t, na), startServer(t, nb)
	aID, bID := na.Info().Account.String(), nb.Info().Account.String()
	evA := dialEvents(t, a)

	call(t, a, "PUT", "/v1/contacts/"+bID, ContactRequest{Name: "Bob"}, nil)
	if ev := nextEvent(t, evA, EventContactChanged); ev.Account != bID || ev.AccountName != "Bob" || ev.Removed {
		t.Fatalf("contact_changed event %+v", ev)
	}
	call(t, b, "PUT", "/v1/contacts/"+aID, ContactRequest{Name: "Alice"}, nil)
	var sent SendResponse
	body, _ := json.Marshal(SendRequest{To: bID, Text: "hello B"})
	poll(t, "a message to B delivered", func() bool {
		if sent.ID == "" {
			r := do(t, "POST", a.url+"/v1/messages", testToken, bytes.NewReader(body))
			if r.status != http.StatusCreated || json.Unmarshal(r.body, &sent) != nil {
				return false
			}
		}
		var m Message
		call(t, a, "GET", "/v1/messages/"+sent.ID, nil, &m)
		return m.State == "delivered"
	})
	raw := func(s *testServer, path string) map[string]any {
		t.Helper()
		r := do(t, "GET", s.url+path, testToken, nil)
		var v map[string]any
		if r.status != http.StatusOK || json.Unmarshal(r.body, &v) != nil {
			t.Fatalf("GET %s: %d %s", path, r.status, r.body)
		}
		return v
	}
	out, in := raw(a, "/v1/messages/"+sent.ID), raw(b, "/v1/messages/"+sent.ID)
	for _, m := range []map[string]any{out, in} {
		for _, f := range []string{"sent_at", "stored_at"} {
			if s, _ := m[f].(string); !isUTC(s) {
				t.Errorf("%s %q is not RFC 3339 in UTC", f, s)
			}
		}
	}
	if out["sent_at"] != in["sent_at"] {
		t.Errorf("sent_at %v on the sender, %v on the recipient", out["sent_at"], in["sent_at"])
	}
	if out["peer_name"] != "Bob" || in["peer_name"] != "Alice" || in["sender_name"] != "Alice" || out["sender_name"] != nil || out["pending"] != nil {
		t.Errorf("names: sender's copy %v, recipient's %v", out, in)
	}
	var convs []Conversation
	call(t, b, "GET", "/v1/conversations", nil, &convs)
	if len(convs) != 1 || convs[0].Name != "Alice" || convs[0].Last.PeerName != "Alice" {
		t.Fatalf("B's conversations %+v", convs)
	}
	var cs []map[string]any
	r := do(t, "GET", a.url+"/v1/contacts", testToken, nil)
	if json.Unmarshal(r.body, &cs) != nil || len(cs) != 1 || !isUTC(cs[0]["added_at"].(string)) {
		t.Fatalf("contacts %s", r.body)
	}

	// B goes away; A's next message waits, and says why.
	nb.Close()
	var pend SendResponse
	call(t, a, "POST", "/v1/messages", SendRequest{To: bID, Text: "are you there?"}, &pend)
	var m Message
	poll(t, "the pending reason", func() bool {
		call(t, a, "GET", "/v1/messages/"+pend.ID, nil, &m)
		return m.Pending != nil && m.Pending.Code == "no_relay"
	})
	if m.State != "pending" || m.Pending.Reason != "recipient not reachable; no relay known for them" || m.Pending.Attempts < 1 || m.Pending.NextAttempt.IsZero() {
		t.Fatalf("pending message %+v, %+v", m, m.Pending)
	}
	var hist []Message
	call(t, a, "GET", "/v1/conversations/"+bID+"/messages", nil, &hist)
	if len(hist) != 2 || hist[0].Pending != nil || hist[1].Pending == nil || hist[1].Pending.Code != "no_relay" {
		t.Fatalf("history %+v", hist)
	}
	for {
		ev := nextEvent(t, evA, EventMessagePending)
		if ev.Code != "no_relay" {
			continue
		}
		if ev.Peer != bID || ev.PeerName != "Bob" || !slices.Contains(ev.IDs, pend.ID) || ev.Reason != m.Pending.Reason || !isUTC(ev.NextAttempt) {
			t.Fatalf("message_pending event %+v", ev)
		}
		break
	}

	var st Status
	call(t, a, "GET", "/v1/status", nil, &st)
	if st.Account != aID || st.DHT.Mode != "server" || st.Reachability == "" || st.PendingTotal != 1 || len(st.Pending) != 1 {
		t.Fatalf("status %+v", st)
	}
	if p := st.Pending[0]; p.ID != pend.ID || p.To != bID || p.ToName != "Bob" || p.Pending.Code != "no_relay" || p.CreatedAt.Location() != time.UTC {
		t.Fatalf("status pending %+v", p)
	}
	rs := do(t, "GET", a.url+"/v1/status", testToken, nil)
	for _, f := range []string{`"bootstrap":[]`, `"relays":[]`, `"warnings":`, `"circuit_addrs":[]`} {
		if !bytes.Contains(rs.body, []byte(f)) {
			t.Errorf("status JSON lacks %s: %s", f, rs.body)
		}
	}
}
