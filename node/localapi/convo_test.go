package localapi

import (
	"net/http"
	"strings"
	"testing"
)

// Replies and chat preferences through the API of two daemons: a text, a
// file and a group text reply with reply_to; history shows the quote; the
// event stream carries it and "muted"; a reply to an unknown message is a
// bad request; prefs PUTs pin, mute and archive, and the list follows.
func TestRepliesAndPrefsEndpoints(t *testing.T) {
	na := startNode(t)
	nb := startNode(t, na)
	a, b := startServer(t, na), startServer(t, nb)
	aID, bID := na.Info().Account.String(), nb.Info().Account.String()
	eventuallyAPI(t, func() bool {
		return do(t, "GET", a.url+"/v1/contacts/"+bID+"/safety-number", testToken, nil).status == http.StatusOK &&
			do(t, "GET", b.url+"/v1/contacts/"+aID+"/safety-number", testToken, nil).status == http.StatusOK
	}, "the two resolve each other")
	events := dialEvents(t, a)

	var hello SendResponse
	call(t, a, "POST", "/v1/messages", SendRequest{To: bID, Text: "hello"}, &hello)
	eventuallyAPI(t, func() bool {
		return do(t, "GET", b.url+"/v1/messages/"+hello.ID, testToken, nil).status == http.StatusOK
	}, "b has hello")
	var reply SendResponse
	call(t, b, "POST", "/v1/messages", SendRequest{To: aID, Text: "hi", ReplyTo: hello.ID}, &reply)
	ev := nextEvent(t, events, EventMessageReceived)
	if ev.Message == nil || ev.Message.ReplyTo == nil || ev.Message.ReplyTo.ID != hello.ID || ev.Muted {
		t.Fatalf("message event %+v, want the reply to hello, not muted", ev)
	}
	var m Message
	call(t, a, "GET", "/v1/messages/"+reply.ID, nil, &m)
	want := ReplyTo{ID: hello.ID, Author: aID, Snippet: "hello", State: "ok"}
	if m.ReplyTo == nil || *m.ReplyTo != want {
		t.Fatalf("reply %+v, want reply_to %+v", m.ReplyTo, want)
	}

	up := do(t, "POST", b.url+"/v1/media?to="+aID+"&name=a.txt&reply_to="+hello.ID, testToken, strings.NewReader("file body"))
	if up.status != http.StatusCreated {
		t.Fatalf("file reply: %d %s", up.status, up.body)
	}
	var hist []Message
	eventuallyAPI(t, func() bool {
		call(t, a, "GET", "/v1/conversations/"+bID+"/messages", nil, &hist)
		return len(hist) == 3 && hist[2].ReplyTo != nil
	}, "a has the file reply with its quote")
	if hist[2].Media == nil || hist[2].ReplyTo.ID != hello.ID {
		t.Fatalf("file reply %+v", hist[2])
	}
	if r := do(t, "GET", a.url+"/v1/messages/"+reply.ID+"/quote-thumbnail", testToken, nil); r.status != http.StatusNotFound {
		t.Fatalf("quote preview of a text's quote: %d, want 404", r.status)
	}

	bad := do(t, "POST", b.url+"/v1/messages", testToken, strings.NewReader(`{"to":"`+aID+`","text":"?","reply_to":"0123456789abcdef0123456789abcdef"}`))
	if bad.status != http.StatusBadRequest || !strings.Contains(bad.apiError(t).Message, "not in this chat") {
		t.Fatalf("reply to an unknown message: %d %s", bad.status, bad.body)
	}

	// Prefs: mute for ever, pin, archive.
	var p ChatPrefs
	call(t, a, "PUT", "/v1/conversations/"+bID+"/prefs", map[string]any{"muted_until": "forever", "pinned": true}, &p)
	if p != (ChatPrefs{Pinned: true, MutedUntil: "forever"}) {
		t.Fatalf("prefs %+v", p)
	}
	if ev := nextEvent(t, events, EventChatPrefs); ev.Peer != bID || ev.Prefs == nil || *ev.Prefs != p {
		t.Fatalf("prefs event %+v", ev)
	}
	call(t, b, "POST", "/v1/messages", SendRequest{To: aID, Text: "muted now"}, nil)
	for {
		ev := nextEvent(t, events, EventMessageReceived)
		if ev.Message.Text == "muted now" {
			if !ev.Muted {
				t.Fatalf("message event of a muted chat %+v, want muted", ev)
			}
			break
		}
	}
	var convs []Conversation
	call(t, a, "GET", "/v1/conversations", nil, &convs)
	if len(convs) != 1 || !convs[0].Pinned || convs[0].MutedUntil != "forever" || convs[0].Archived {
		t.Fatalf("conversations %+v", convs)
	}
	p = ChatPrefs{}
	call(t, a, "PUT", "/v1/conversations/"+bID+"/prefs", map[string]any{"archived": true, "muted_until": nil}, &p)
	if p != (ChatPrefs{Pinned: true, Archived: true}) {
		t.Fatalf("prefs after archive and unmute %+v", p)
	}
	call(t, a, "GET", "/v1/conversations", nil, &convs)
	if len(convs) != 0 {
		t.Fatalf("default list %+v, want the archived chat gone", convs)
	}
	call(t, a, "GET", "/v1/conversations?archived=true", nil, &convs)
	if len(convs) != 1 || convs[0].Peer != bID || !convs[0].Archived {
		t.Fatalf("archived list %+v", convs)
	}
	if r := do(t, "PUT", a.url+"/v1/conversations/"+bID+"/prefs", testToken, strings.NewReader(`{"muted_until":"soon"}`)); r.status != http.StatusBadRequest {
		t.Fatalf("muted_until soon: %d %s", r.status, r.body)
	}
}
