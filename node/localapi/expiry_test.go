package localapi

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/expiry"
)

// startClockNode starts an in-memory node on loopback going by clk.
func startClockNode(t *testing.T, clk expiry.Clock, bootstrap ...*node.Node) *node.Node {
	t.Helper()
	opts := []node.Option{node.WithInMemory(), node.WithClock(clk)}
	var addrs []string
	for _, b := range bootstrap {
		for _, a := range b.Info().Addrs {
			addrs = append(addrs, a.String())
		}
	}
	if len(addrs) > 0 {
		opts = append(opts, node.WithBootstrap(addrs...))
	}
	n, err := node.New(opts...)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := n.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	return n
}

func TestTimerAPI(t *testing.T) {
	clk := expiry.NewManualClock(time.Now())
	na := startClockNode(t, clk)
	nb := startClockNode(t, clk, na)
	a, b := startServer(t, na), startServer(t, nb)
	var ia, ib Info
	call(t, a, "GET", "/v1/info", nil, &ia)
	call(t, b, "GET", "/v1/info", nil, &ib)
	evA, evB := dialEvents(t, a), dialEvents(t, b)

	// Out of bounds: 400, whatever the chat.
	for _, body := range []string{`{"seconds": 10}`, `{"seconds": -1}`, `{"seconds": 40000000}`, `{"seconds": 60, "version": 3}`, `{}x`} {
		r := do(t, "PUT", a.url+"/v1/conversations/"+ib.Account+"/timer", testToken, bytes.NewReader([]byte(body)))
		if r.status != http.StatusBadRequest || r.apiError(t).Code != CodeBadRequest {
			t.Fatalf("PUT timer %s: %d %s, want 400", body, r.status, r.body)
		}
	}

	var set Timer
	poll(t, "A to find B", func() bool {
		r := do(t, "PUT", a.url+"/v1/conversations/"+ib.Account+"/timer", testToken, bytes.NewReader([]byte(`{"seconds": 3600}`)))
		switch r.status {
		case http.StatusOK:
			if err := json.Unmarshal(r.body, &set); err != nil {
				t.Fatal(err)
			}
			return true
		case http.StatusNotFound:
			return false
		}
		t.Fatalf("PUT timer: %d %s", r.status, r.body)
		return false
	})
	if set.Seconds != 3600 || set.Version != 1 || set.Setter != ia.Account || set.Change == "" {
		t.Fatalf("timer set %+v", set)
	}
	ev := nextEvent(t, evB, EventTimerChanged)
	if ev.Peer != ia.Account || ev.From != ia.Account || ev.Seconds != 3600 {
		t.Fatalf("timer_changed on B: %+v", ev)
	}
	var got Timer
	call(t, b, "GET", "/v1/conversations/"+ia.Account+"/timer", nil, &got)
	if got != set {
		t.Fatalf("B's timer %+v, A set %+v", got, set)
	}
	var hist []Message
	call(t, b, "GET", "/v1/conversations/"+ia.Account+"/messages", nil, &hist)
	if len(hist) != 1 || hist[0].Kind != "timer" || hist[0].ID != set.Change || hist[0].ExpireAfterS != 3600 || hist[0].Sender != ia.Account {
		t.Fatalf("B's history %+v, want the notice", hist)
	}

	var sent SendResponse
	call(t, a, "POST", "/v1/messages", SendRequest{To: ib.Account, Text: "gone in an hour"}, &sent)
	var m Message
	call(t, a, "GET", "/v1/messages/"+sent.ID, nil, &m)
	if m.Kind != "message" || m.ExpireAfterS != 3600 || m.ExpiresAt == nil || !m.ExpiresAt.Equal(m.SentAt.Add(time.Hour)) {
		t.Fatalf("A's message %+v, want it to expire an hour after it was sent", m)
	}
	rec := nextEvent(t, evB, EventMessageReceived)
	if rec.Message.Kind == "timer" { // the notice came first
		rec = nextEvent(t, evB, EventMessageReceived)
	}
	if rec.Message.ID != sent.ID || rec.Message.ExpireAfterS != 3600 || rec.Message.ExpiresAt != nil {
		t.Fatalf("B's message %+v, want its countdown not started", rec.Message)
	}

	clk.Advance(2 * time.Hour)
	for {
		ev := nextEvent(t, evA, EventMessageExpired)
		if ev.ID == sent.ID {
			if ev.Peer != ib.Account {
				t.Fatalf("message_expired %+v", ev)
			}
			break
		}
	}
	if r := do(t, "GET", a.url+"/v1/messages/"+sent.ID, testToken, nil); r.status != http.StatusNotFound {
		t.Fatalf("expired message: %d %s, want 404", r.status, r.body)
	}

	var def Timer
	call(t, a, "GET", "/v1/settings/default-timer", nil, &def)
	if def.Seconds != 0 {
		t.Fatalf("default timer %+v, want off", def)
	}
	call(t, a, "PUT", "/v1/settings/default-timer", Timer{Seconds: 604800}, &def)
	call(t, a, "GET", "/v1/settings/default-timer", nil, &def)
	if def.Seconds != 604800 {
		t.Fatalf("default timer %+v, want a week", def)
	}
}
