package localapi

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// TestActionEndpoints edits, reacts to and deletes a message through the
// local API between two nodes, with the events each side streams and the
// errors of what is not allowed.
func TestActionEndpoints(t *testing.T) {
	na := startNode(t)
	nb := startNode(t, na)
	a, b := startServer(t, na), startServer(t, nb)
	var ia, ib Info
	call(t, a, "GET", "/v1/info", nil, &ia)
	call(t, b, "GET", "/v1/info", nil, &ib)
	evA, evB := dialEvents(t, a), dialEvents(t, b)

	var sent SendResponse
	body, _ := json.Marshal(SendRequest{To: ib.Account, Text: "at 5"})
	poll(t, "A to find B", func() bool {
		r := do(t, "POST", a.url+"/v1/messages", testToken, bytes.NewReader(body))
		if r.status == http.StatusCreated {
			return json.Unmarshal(r.body, &sent) == nil
		}
		return false
	})
	nextEvent(t, evB, EventMessageReceived)

	var m Message
	call(t, a, "PUT", "/v1/messages/"+sent.ID, EditMessage{Text: "at 6"}, &m)
	if m.Text != "at 6" || !m.Edited || m.Edits != 1 || m.EditedAt.IsZero() {
		t.Fatalf("edited message %+v", m)
	}
	ev := nextEvent(t, evB, EventMessageEdited)
	if ev.ID != sent.ID || ev.Text != "at 6" || ev.Edits != 1 || ev.Peer != ia.Account {
		t.Fatalf("message_edited event %+v", ev)
	}
	var vs []Version
	call(t, b, "GET", "/v1/messages/"+sent.ID+"/versions", nil, &vs)
	if len(vs) != 2 || vs[0].Version != 0 || vs[0].Text != "at 5" || vs[1].Version != 1 || vs[1].Text != "at 6" {
		t.Fatalf("versions %+v", vs)
	}
	if r := do(t, "PUT", b.url+"/v1/messages/"+sent.ID, testToken, strings.NewReader(`{"text":"forged"}`)); r.status != http.StatusForbidden || r.apiError(t).Code != CodeNotAuthor {
		t.Fatalf("edit of another's message: %d %s", r.status, r.body)
	}

	call(t, b, "PUT", "/v1/messages/"+sent.ID+"/reaction", SetReaction{Emoji: "🎉"}, &m)
	ev = nextEvent(t, evA, EventReactionChanged)
	if ev.ID != sent.ID || ev.Emoji != "🎉" || ev.Account != ib.Account {
		t.Fatalf("reaction_changed event %+v", ev)
	}
	call(t, a, "GET", "/v1/messages/"+sent.ID, nil, &m)
	if len(m.Reactions) != 1 || m.Reactions[0].Emoji != "🎉" || m.Reactions[0].Count != 1 || m.Reactions[0].Accounts[0] != ib.Account {
		t.Fatalf("reactions %+v", m.Reactions)
	}
	if r := do(t, "PUT", b.url+"/v1/messages/"+sent.ID+"/reaction", testToken, strings.NewReader(`{"emoji":"ok"}`)); r.status != http.StatusBadRequest {
		t.Fatalf("a reaction that is not an emoji: %d %s", r.status, r.body)
	}

	if r := do(t, "DELETE", b.url+"/v1/messages/"+sent.ID+"?for=everyone", testToken, nil); r.status != http.StatusForbidden {
		t.Fatalf("delete for everyone of another's message: %d %s", r.status, r.body)
	}
	if r := do(t, "DELETE", a.url+"/v1/messages/"+sent.ID+"?for=all", testToken, nil); r.status != http.StatusBadRequest {
		t.Fatalf("delete for=all: %d %s", r.status, r.body)
	}
	if r := do(t, "DELETE", a.url+"/v1/messages/"+sent.ID+"?for=everyone", testToken, nil); r.status != http.StatusNoContent {
		t.Fatalf("delete for everyone: %d %s", r.status, r.body)
	}
	ev = nextEvent(t, evB, EventMessageDeleted)
	if ev.ID != sent.ID || !ev.ForEveryone || ev.By != ia.Account {
		t.Fatalf("message_deleted event %+v", ev)
	}
	if r := do(t, "GET", b.url+"/v1/messages/"+sent.ID, testToken, nil); r.status != http.StatusNotFound {
		t.Fatalf("deleted message at B: %d %s", r.status, r.body)
	}
	if r := do(t, "PUT", a.url+"/v1/messages/"+sent.ID+"/reaction", testToken, strings.NewReader(`{"emoji":"👍"}`)); r.status != http.StatusGone || r.apiError(t).Code != CodeDeleted {
		t.Fatalf("reaction to a deleted message: %d %s", r.status, r.body)
	}
}
