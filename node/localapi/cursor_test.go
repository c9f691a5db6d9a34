package localapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/pigeon-net/pigeon/protocol/identity"
)

// dialCursor opens /v1/events with the token, resuming after after in
// epoch when after is not negative, and returns the stream and its hello.
func dialCursor(t *testing.T, s *testServer, epoch string, after int64) (*websocket.Conn, Event) {
	t.Helper()
	url := "ws://" + s.addr + "/v1/events"
	if after >= 0 {
		url += "?epoch=" + epoch + "&after=" + strconv.FormatInt(after, 10)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, _, err := websocket.Dial(ctx, url, &websocket.DialOptions{HTTPHeader: http.Header{"Authorization": {"Bearer " + testToken}}})
	if err != nil {
		t.Fatalf("dial events: %v", err)
	}
	t.Cleanup(func() { c.CloseNow() })
	h := readEvent(t, c)
	if h.Type != EventHello || h.Epoch == "" {
		t.Fatalf("first frame %+v, want hello", h)
	}
	return c, h
}

func readEvent(t *testing.T, c *websocket.Conn) Event {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, b, err := c.Read(ctx)
	if err != nil {
		t.Fatalf("read event: %v", err)
	}
	var ev Event
	if err := json.Unmarshal(b, &ev); err != nil {
		t.Fatalf("event %q: %v", b, err)
	}
	return ev
}

// addContacts adds n new contacts, one contact_changed event each, and
// returns their accounts in order.
func addContacts(t *testing.T, s *testServer, n int) []string {
	t.Helper()
	accts := make([]string, n)
	for i := range accts {
		a, err := identity.NewAccount()
		if err != nil {
			t.Error(err)
			return nil
		}
		accts[i] = a.ID().String()
		r := do(t, "PUT", s.url+"/v1/contacts/"+accts[i], testToken, nil)
		if r.status != http.StatusNoContent {
			t.Errorf("add contact: %d %s", r.status, r.body)
			return nil
		}
	}
	return accts
}

// The hello frame is always first and always has seq; events carry
// strictly increasing seq numbers.
func TestEventsHelloAndSeq(t *testing.T) {
	s := startServer(t, startNode(t))
	c, h := dialCursor(t, s, "", -1)
	// seq 0 is written out in hello, unlike in events.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	raw, _, err := websocket.Dial(ctx, "ws://"+s.addr+"/v1/events", &websocket.DialOptions{HTTPHeader: http.Header{"Authorization": {"Bearer " + testToken}}})
	if err != nil {
		t.Fatal(err)
	}
	defer raw.CloseNow()
	_, b, err := raw.Read(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	json.Unmarshal(b, &m)
	if _, ok := m["seq"]; !ok || m["epoch"] != h.Epoch || m["type"] != "hello" {
		t.Fatalf("hello frame %s", b)
	}

	accts := addContacts(t, s, 3)
	prev := h.Seq
	for i, a := range accts {
		ev := readEvent(t, c)
		if ev.Type != EventContactChanged || ev.Account != a || ev.Seq != prev+1 {
			t.Fatalf("event %d: %+v, want contact_changed %s with seq %d", i, ev, a, prev+1)
		}
		prev = ev.Seq
	}
}

// A client that reconnects with its cursor gets the events it missed while
// disconnected, then the live ones: each once, in order, with no gap in
// the sequence numbers.
func TestEventsResume(t *testing.T) {
	s := startServer(t, startNode(t))
	c, h := dialCursor(t, s, "", -1)
	first := addContacts(t, s, 3)
	var last uint64
	for range first {
		last = readEvent(t, c).Seq
	}
	c.CloseNow()

	missed := addContacts(t, s, 5)
	c, h2 := dialCursor(t, s, h.Epoch, int64(last))
	// The contacts were stored when their PUTs answered, but their events
	// reach the stream a moment later: hello may name fewer than 5.
	if h2.Epoch != h.Epoch || h2.Seq < last || h2.Seq > last+5 {
		t.Fatalf("hello %+v after %d and 5 missed events", h2, last)
	}
	live := make(chan []string, 1)
	go func() { live <- addContacts(t, s, 2) }()
	var got []string
	for i := range 7 {
		ev := readEvent(t, c)
		if ev.Type != EventContactChanged || ev.Seq != last+1 {
			t.Fatalf("event %d after resume: %+v, want seq %d", i, ev, last+1)
		}
		last = ev.Seq
		got = append(got, ev.Account)
	}
	want := append(missed, <-live...)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("after resume got %v, want %v", got, want)
	}
}

// Reconnecting again and again while events keep coming loses none and
// repeats none.
func TestEventsResumeUnderLoad(t *testing.T) {
	const total = 120
	s := startServer(t, startNode(t))
	c, h := dialCursor(t, s, "", -1)
	var wg sync.WaitGroup
	var accts []string
	wg.Go(func() { accts = addContacts(t, s, total) })

	seen := make(map[string]int)
	last := h.Seq
	for reads := 1; len(seen) < total; reads++ {
		ev := readEvent(t, c)
		if ev.Type == EventReset {
			t.Fatal("reset while resuming within the buffer")
		}
		if ev.Seq != last+1 {
			t.Fatalf("seq %d after %d", ev.Seq, last)
		}
		last = ev.Seq
		if ev.Type == EventContactChanged {
			seen[ev.Account]++
		}
		if reads%7 == 0 { // drop the stream, with frames in flight
			c.CloseNow()
			c, _ = dialCursor(t, s, h.Epoch, int64(last))
		}
	}
	wg.Wait()
	for _, a := range accts {
		if seen[a] != 1 {
			t.Errorf("contact %s seen %d times", a, seen[a])
		}
	}
}

// A cursor the daemon cannot resume from (another epoch, a number it never
// reached, events no longer kept) gets hello, then reset, then live events.
func TestEventsStaleCursor(t *testing.T) {
	s := startServer(t, startNode(t), withReplay(4, 1<<20))
	c, h := dialCursor(t, s, "", -1)
	addContacts(t, s, 10)
	for range 10 {
		readEvent(t, c)
	}
	c.CloseNow()
	last := h.Seq + 10

	for _, q := range []struct {
		name  string
		epoch string
		after func() int64 // last changes from case to case
	}{
		{"other epoch", "0123456789abcdef", func() int64 { return int64(last) }},
		{"no epoch", "", func() int64 { return int64(last) }},
		{"future seq", h.Epoch, func() int64 { return int64(last + 1) }},
		{"not kept", h.Epoch, func() int64 { return int64(last - 5) }},
		{"not kept (0)", h.Epoch, func() int64 { return 0 }},
	} {
		t.Run(q.name, func(t *testing.T) {
			c, h2 := dialCursor(t, s, q.epoch, q.after())
			if h2.Seq != last {
				t.Fatalf("hello seq %d, want %d", h2.Seq, last)
			}
			if ev := readEvent(t, c); ev.Type != EventReset || ev.Seq != 0 {
				t.Fatalf("after hello: %+v, want reset", ev)
			}
			a := addContacts(t, s, 1)
			last++
			if ev := readEvent(t, c); ev.Type != EventContactChanged || ev.Account != a[0] || ev.Seq != last {
				t.Fatalf("after reset: %+v, want the live event with seq %d", ev, last)
			}
		})
	}
	// The oldest kept event's predecessor is a cursor that still works.
	c, _ = dialCursor(t, s, h.Epoch, int64(last-4))
	for i := range 4 {
		if ev := readEvent(t, c); ev.Seq != last-3+uint64(i) {
			t.Fatalf("replay %d: %+v", i, ev)
		}
	}
}

func TestEventsBadCursor(t *testing.T) {
	s := startServer(t, startNode(t))
	for _, q := range []string{"after=x", "after=-1", "after=", "epoch=" + strings.Repeat("a", 65) + "&after=1"} {
		r := do(t, "GET", s.url+"/v1/events?"+q, testToken, nil)
		if r.status != http.StatusBadRequest {
			t.Errorf("%s: %d %s, want 400", q, r.status, r.body)
		}
	}
}

// The log keeps the newest events within both bounds, and a reader that
// fell out of it is told so and moved to the newest event.
func TestEventLog(t *testing.T) {
	l := newEventLog(10, 1<<20)
	for range 25 {
		l.append(Event{Type: EventTyping})
	}
	if l.n != 10 || l.oldest() != 16 || l.last != 25 {
		t.Fatalf("n %d oldest %d last %d", l.n, l.oldest(), l.last)
	}
	for cursor := uint64(15); cursor <= 25; cursor++ {
		evs, lost, next, _, _ := l.read(cursor, 3)
		if lost || next != min(cursor+3, 25) || uint64(len(evs)) != next-cursor {
			t.Fatalf("read after %d: %d events, lost %v, next %d", cursor, len(evs), lost, next)
		}
		for i, e := range evs {
			var ev Event
			if json.Unmarshal(e.frame, &ev); ev.Seq != cursor+1+uint64(i) || e.seq != ev.Seq {
				t.Fatalf("read after %d: event %d has seq %d", cursor, i, ev.Seq)
			}
		}
	}
	if _, lost, next, _, _ := l.read(14, 3); !lost || next != 25 {
		t.Fatalf("read after 14: lost %v next %d", lost, next)
	}

	// The byte bound: each frame is the same size here.
	frame, _ := json.Marshal(Event{Type: EventTyping, Seq: 100})
	l = newEventLog(1000, 3*len(frame))
	for range 120 {
		l.append(Event{Type: EventTyping})
	}
	if l.n != 3 || l.bytes > 3*len(frame) || l.oldest() != 118 {
		t.Fatalf("byte-bounded log: n %d bytes %d oldest %d", l.n, l.bytes, l.oldest())
	}
	// A single event over the byte bound is kept alone.
	l.append(Event{Type: EventTyping, Reason: string(make([]byte, 10*len(frame)))})
	if l.n != 1 || l.last != 121 {
		t.Fatalf("after a large event: n %d last %d", l.n, l.last)
	}

	cursor, last, reset := l.start(l.epoch, nil)
	if cursor != 121 || last != 121 || reset {
		t.Fatalf("start without cursor: %d %d %v", cursor, last, reset)
	}
	l.close()
	if _, _, _, wake, closed := l.read(121, 10); !closed {
		t.Fatal("closed log not reported")
	} else {
		<-wake
	}
}
