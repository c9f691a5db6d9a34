package localapi

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/node/nodetest"
)

// The chat list shows a file as the last message of a chat (the web
// client's preview), so a conversation's last message carries its media.
func TestConversationLastHasMedia(t *testing.T) {
	boot := startNode(t)
	a, b := startNode(t, boot), startNode(t, boot)
	sa, sb := startServer(t, a), startServer(t, b)
	bID := b.Info().Account.String()
	// b knows a: a stranger's chat would be a message request.
	if err := b.Contacts().Add(context.Background(), a.Info().Account, "a"); err != nil {
		t.Fatal(err)
	}
	var id string
	nodetest.Eventually(t, 30*time.Second, func() bool {
		q := url.Values{"to": {bID}, "name": {"plan.txt"}, "mime": {"text/plain"}}
		r := do(t, "POST", sa.url+"/v1/media?"+q.Encode(), testToken, strings.NewReader("saturday at 9"))
		if r.status != http.StatusCreated {
			return false
		}
		var resp SendResponse
		json.Unmarshal(r.body, &resp)
		id = resp.ID
		return true
	}, "upload")
	last := func(s *testServer) *Message {
		var convs []Conversation
		call(t, s, "GET", "/v1/conversations", nil, &convs)
		if len(convs) != 1 {
			return nil
		}
		return &convs[0].Last
	}
	if m := last(sa); m == nil || m.ID != id || m.Media == nil || m.Media.Name != "plan.txt" {
		t.Fatalf("sender's last message %+v", m)
	}
	nodetest.Eventually(t, 30*time.Second, func() bool {
		m := last(sb)
		return m != nil && m.ID == id
	}, "b has the message")
	if m := last(sb); m.Media == nil || m.Media.Name != "plan.txt" || m.Media.Size != uint64(len("saturday at 9")) {
		t.Fatalf("recipient's last message %+v", m)
	}
}

// A received file's message_received event carries its attachment, as
// history does: the web client shows the file card as the message
// arrives.
func TestMessageReceivedEventHasMedia(t *testing.T) {
	boot := startNode(t)
	a, b := startNode(t, boot), startNode(t, boot)
	sa, sb := startServer(t, a), startServer(t, b)
	c, _ := dialCursor(t, sb, "", -1)
	bID := b.Info().Account.String()
	var id string
	nodetest.Eventually(t, 30*time.Second, func() bool {
		q := url.Values{"to": {bID}, "name": {"plan.txt"}, "mime": {"text/plain"}, "caption": {"the plan"}}
		r := do(t, "POST", sa.url+"/v1/media?"+q.Encode(), testToken, strings.NewReader("saturday at 9"))
		if r.status != http.StatusCreated {
			return false
		}
		var resp SendResponse
		json.Unmarshal(r.body, &resp)
		id = resp.ID
		return true
	}, "upload")
	for {
		ev := readEvent(t, c)
		if ev.Type != EventMessageReceived {
			continue
		}
		m := ev.Message
		if m.ID != id || m.Text != "the plan" || m.Media == nil || m.Media.Name != "plan.txt" || m.Media.Size != uint64(len("saturday at 9")) {
			t.Fatalf("message_received %+v, media %+v; want %s with plan.txt", m, m.Media, id)
		}
		return
	}
}
