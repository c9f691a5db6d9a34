package localapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/chats"
	"github.com/pigeon-net/pigeon/protocol/identity"
)

const testToken = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

// testServer is a Server on a 127.0.0.1 listener.
type testServer struct {
	*Server
	url  string // http://127.0.0.1:port
	addr string
}

func startServer(t *testing.T, n *node.Node, opts ...Option) *testServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := New(n, testToken, slog.New(slog.DiscardHandler), opts...)
	errc := make(chan error, 1)
	go func() { errc <- s.Serve(ln) }()
	t.Cleanup(func() {
		s.Close()
		if err := <-errc; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return &testServer{Server: s, url: "http://" + ln.Addr().String(), addr: ln.Addr().String()}
}

// startNode starts an in-memory node on loopback, bootstrapping from peers.
func startNode(t *testing.T, bootstrap ...*node.Node) *node.Node {
	t.Helper()
	opts := []node.Option{node.WithInMemory()}
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
		t.Fatalf("node.New: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := n.Start(ctx); err != nil {
		t.Fatalf("node.Start: %v", err)
	}
	t.Cleanup(func() { n.Close() })
	return n
}

type response struct {
	status int
	body   []byte
}

func (r response) apiError(t *testing.T) Error {
	t.Helper()
	var e Error
	if err := json.Unmarshal(r.body, &e); err != nil {
		t.Fatalf("error body %q: %v", r.body, err)
	}
	return e
}

func do(t *testing.T, method, url, token string, body io.Reader) response {
	t.Helper()
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{resp.StatusCode, b}
}

// call does an authorized request and decodes a 2xx JSON response into out.
func call(t *testing.T, s *testServer, method, path string, in, out any) {
	t.Helper()
	var body io.Reader
	if in != nil {
		b, _ := json.Marshal(in)
		body = bytes.NewReader(b)
	}
	r := do(t, method, s.url+path, testToken, body)
	if r.status/100 != 2 {
		t.Fatalf("%s %s: %d %s", method, path, r.status, r.body)
	}
	if out != nil {
		if err := json.Unmarshal(r.body, out); err != nil {
			t.Fatalf("%s %s: decode %q: %v", method, path, r.body, err)
		}
	}
}

// badChecksumID returns a well-formed account ID text with a wrong checksum.
func badChecksumID(t *testing.T) string {
	t.Helper()
	acct, err := identity.NewAccount()
	if err != nil {
		t.Fatal(err)
	}
	b := []byte(acct.ID().String())
	if b[10] == 'a' {
		b[10] = 'b'
	} else {
		b[10] = 'a'
	}
	if _, err := identity.ParseAccountID(string(b)); !errors.Is(err, identity.ErrBadChecksum) {
		t.Fatalf("mangled ID parses with %v", err)
	}
	return string(b)
}

// The tests below that pass a nil node exercise requests that are rejected
// before they reach the node: a nil node panics if one slips through.

func TestAuth(t *testing.T) {
	s := startServer(t, nil)
	cases := []struct {
		name, path, header string
	}{
		{"missing", "/v1/info", ""},
		{"wrong token", "/v1/info", "Bearer " + strings.Repeat("0", 64)},
		{"short token", "/v1/info", "Bearer 0123"},
		{"wrong scheme", "/v1/info", "Basic " + testToken},
		{"bare token", "/v1/info", testToken},
		{"query token outside events", "/v1/info?token=" + testToken, ""},
		{"unknown endpoint", "/v1/nope", ""},
		{"events without token", "/v1/events", ""},
		{"events wrong query token", "/v1/events?token=x", ""},
		// A token in a URL ends up in histories and logs: never taken.
		{"events query token", "/v1/events?token=" + testToken, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req, _ := http.NewRequest("GET", s.url+c.path, nil)
			if c.header != "" {
				req.Header.Set("Authorization", c.header)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusUnauthorized {
				t.Fatalf("status %d, want 401", resp.StatusCode)
			}
			if e := (response{resp.StatusCode, b}).apiError(t); e.Code != CodeUnauthorized {
				t.Fatalf("code %q, want %q", e.Code, CodeUnauthorized)
			}
		})
	}
}

func TestBadRequests(t *testing.T) {
	s := startServer(t, nil)
	bad := badChecksumID(t)
	acct, err := identity.NewAccount()
	if err != nil {
		t.Fatal(err)
	}
	good := acct.ID().String()
	cases := []struct {
		name, method, path, body string
		status                   int
		code, contains           string
	}{
		{"history bad checksum", "GET", "/v1/conversations/" + bad + "/messages", "", 400, CodeBadRequest, "checksum mismatch"},
		{"send bad checksum", "POST", "/v1/messages", `{"to":"` + bad + `","text":"hi"}`, 400, CodeBadRequest, "checksum mismatch"},
		{"send malformed ID", "POST", "/v1/messages", `{"to":"pgshort","text":"hi"}`, 400, CodeBadRequest, "malformed account id"},
		{"read bad checksum", "POST", "/v1/conversations/" + bad + "/read", "", 400, CodeBadRequest, "checksum"},
		{"contact bad checksum", "PUT", "/v1/contacts/" + bad, `{"name":"x"}`, 400, CodeBadRequest, "checksum"},
		{"safety number bad ID", "GET", "/v1/contacts/xyz/safety-number", "", 400, CodeBadRequest, "malformed"},
		{"message bad ID", "GET", "/v1/messages/zz", "", 400, CodeBadRequest, "hex"},
		{"send not JSON", "POST", "/v1/messages", `hello`, 400, CodeBadRequest, "decode"},
		{"send unknown field", "POST", "/v1/messages", `{"to":"x","txt":"hi"}`, 400, CodeBadRequest, "unknown field"},
		{"send empty body", "POST", "/v1/messages", ``, 400, CodeBadRequest, "empty body"},
		{"send oversized body", "POST", "/v1/messages", `{"to":"` + strings.Repeat("a", 200<<10) + `"}`, 413, CodeTooLarge, "body over"},
		{"send oversized text", "POST", "/v1/messages", `{"to":"` + good + `","text":"` + strings.Repeat("a", chats.MaxTextSize+1) + `"}`, 413, CodeTooLarge, "limit"},
		{"send empty text", "POST", "/v1/messages", `{"to":"` + good + `","text":""}`, 400, CodeBadRequest, "empty text"},
		{"history bad limit", "GET", "/v1/conversations/" + good + "/messages?limit=0", "", 400, CodeBadRequest, "limit"},
		{"history bad before", "GET", "/v1/conversations/" + good + "/messages?before=xyz", "", 400, CodeBadRequest, "before"},
		{"unknown endpoint", "GET", "/v1/nope", "", 404, CodeNotFound, "no such endpoint"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := do(t, c.method, s.url+c.path, testToken, strings.NewReader(c.body))
			if r.status != c.status {
				t.Fatalf("status %d, want %d (%s)", r.status, c.status, r.body)
			}
			e := r.apiError(t)
			if e.Code != c.code || !strings.Contains(e.Message, c.contains) {
				t.Fatalf("error %+v, want code %q and message containing %q", e, c.code, c.contains)
			}
		})
	}
}

func TestServeRefusesNonLoopback(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	fake := fakeAddrListener{ln, &net.TCPAddr{IP: net.IPv4(192, 0, 2, 1), Port: 80}}
	s := New(nil, testToken, nil)
	if err := s.Serve(fake); !errors.Is(err, ErrNotLoopback) {
		t.Fatalf("Serve on %v: %v, want ErrNotLoopback", fake.Addr(), err)
	}
	if _, err := ln.Accept(); !errors.Is(err, net.ErrClosed) {
		t.Fatalf("listener still open after refusal: %v", err)
	}
}

type fakeAddrListener struct {
	net.Listener
	addr net.Addr
}

func (l fakeAddrListener) Addr() net.Addr { return l.addr }

func TestCloseTwice(t *testing.T) {
	s := New(nil, testToken, nil)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); !errors.Is(err, net.ErrClosed) {
		t.Fatalf("second Close: %v, want net.ErrClosed", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Serve(ln); !errors.Is(err, net.ErrClosed) {
		t.Fatalf("Serve after Close: %v, want net.ErrClosed", err)
	}
}

func dialEvents(t *testing.T, s *testServer) *websocket.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	url := "ws://" + s.addr + "/v1/events"
	opts := &websocket.DialOptions{HTTPHeader: http.Header{"Authorization": {"Bearer " + testToken}}}
	c, _, err := websocket.Dial(ctx, url, opts)
	if err != nil {
		t.Fatalf("dial events: %v", err)
	}
	t.Cleanup(func() { c.CloseNow() })
	return c
}

// nextEvent reads events until one of type typ arrives.
func nextEvent(t *testing.T, c *websocket.Conn, typ string) Event {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for {
		mt, b, err := c.Read(ctx)
		if err != nil {
			t.Fatalf("waiting for %s event: %v", typ, err)
		}
		if mt != websocket.MessageText {
			t.Fatalf("frame type %v, want text", mt)
		}
		var ev Event
		if err := json.Unmarshal(b, &ev); err != nil {
			t.Fatalf("event %q: %v", b, err)
		}
		if ev.Type == typ {
			return ev
		}
	}
}

// poll calls f until it reports true or the deadline passes.
func poll(t *testing.T, what string, f func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !f() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestMessagingFlow(t *testing.T) {
	na := startNode(t)
	nb := startNode(t, na)
	a, b := startServer(t, na), startServer(t, nb)

	var ia, ib Info
	call(t, a, "GET", "/v1/info", nil, &ia)
	call(t, b, "GET", "/v1/info", nil, &ib)
	if _, err := identity.ParseAccountID(ia.Account); err != nil || ia.PeerID == "" || len(ia.Addrs) == 0 {
		t.Fatalf("info %+v: %v", ia, err)
	}
	for _, addr := range ia.Addrs {
		if !strings.Contains(addr, "/p2p/"+ia.PeerID) {
			t.Fatalf("addr %q lacks /p2p/%s", addr, ia.PeerID)
		}
	}

	// B knows A: a stranger's chat would be a message request, listed
	// apart and sent no read receipt (TestProfileAndRequestEndpoints).
	call(t, b, "PUT", "/v1/contacts/"+ia.Account, ContactRequest{Name: "A"}, nil)
	evA := dialEvents(t, a)
	evB := dialEvents(t, b)

	// Until B's device list is in the DHT, sending to a stranger is a 404.
	var sent SendResponse
	body, _ := json.Marshal(SendRequest{To: ib.Account, Text: "hello B"})
	poll(t, "A to find B", func() bool {
		r := do(t, "POST", a.url+"/v1/messages", testToken, bytes.NewReader(body))
		switch r.status {
		case http.StatusCreated:
			if err := json.Unmarshal(r.body, &sent); err != nil {
				t.Fatal(err)
			}
			return true
		case http.StatusNotFound:
			return false
		}
		t.Fatalf("send: %d %s", r.status, r.body)
		return false
	})
	var m Message
	call(t, a, "GET", "/v1/messages/"+sent.ID, nil, &m)
	if m.ID != sent.ID || m.Direction != "out" || m.Text != "hello B" || m.Peer != ib.Account || m.Sender != ia.Account {
		t.Fatalf("sent message %+v", m)
	}

	got := nextEvent(t, evB, EventMessageReceived)
	if got.Message == nil || got.Message.ID != sent.ID || got.Message.Text != "hello B" ||
		got.Message.Direction != "in" || got.Message.Sender != ia.Account || got.Message.State != "received" {
		t.Fatalf("message_received event %+v", got.Message)
	}

	var hist []Message
	call(t, b, "GET", "/v1/conversations/"+ia.Account+"/messages?limit=10", nil, &hist)
	if len(hist) != 1 || hist[0].ID != sent.ID {
		t.Fatalf("B's history %+v", hist)
	}
	var convs []Conversation
	call(t, b, "GET", "/v1/conversations", nil, &convs)
	if len(convs) != 1 || convs[0].Peer != ia.Account || convs[0].Unread != 1 || convs[0].Last.ID != sent.ID {
		t.Fatalf("B's conversations %+v", convs)
	}

	var marked MarkReadResponse
	call(t, b, "POST", "/v1/conversations/"+ia.Account+"/read", nil, &marked)
	if marked.Marked != 1 {
		t.Fatalf("marked %d, want 1", marked.Marked)
	}
	for {
		ev := nextEvent(t, evA, EventMessageStateChanged)
		if ev.ID == sent.ID && ev.State == "read" {
			break
		}
	}
	call(t, a, "GET", "/v1/messages/"+sent.ID, nil, &m)
	if m.State != "read" {
		t.Fatalf("A's message state %q after read event, want read", m.State)
	}

	r := do(t, "GET", a.url+"/v1/messages/"+strings.Repeat("ab", 16), testToken, nil)
	if r.status != http.StatusNotFound || r.apiError(t).Code != CodeNotFound {
		t.Fatalf("unknown message: %d %s", r.status, r.body)
	}

	// B types to A: an ephemeral typing event on A's stream.
	typing, _ := json.Marshal(TypingRequest{Active: true})
	if r := do(t, "POST", b.url+"/v1/conversations/"+ia.Account+"/typing", testToken, bytes.NewReader(typing)); r.status != http.StatusNoContent {
		t.Fatalf("typing: %d %s", r.status, r.body)
	}
	ev := nextEvent(t, evA, EventTyping)
	if ev.From != ib.Account || !ev.Active || ev.Until == "" {
		t.Fatalf("typing event %+v", ev)
	}
	if r := do(t, "POST", b.url+"/v1/conversations/"+ia.Account+"/typing", testToken, strings.NewReader(`{"active": "yes"}`)); r.status != http.StatusBadRequest {
		t.Fatalf("typing with a bad body: %d %s", r.status, r.body)
	}
}

func TestContacts(t *testing.T) {
	na := startNode(t)
	nb := startNode(t, na)
	a := startServer(t, na)
	bID := nb.Info().Account.String()

	call(t, a, "PUT", "/v1/contacts/"+bID, ContactRequest{Name: "Bob"}, nil)
	var cs []Contact
	call(t, a, "GET", "/v1/contacts", nil, &cs)
	if len(cs) != 1 || cs[0].Account != bID || cs[0].Name != "Bob" || cs[0].Verified {
		t.Fatalf("contacts %+v", cs)
	}
	var sn SafetyNumberResponse
	poll(t, "B's safety number", func() bool { // needs B's device list from the DHT
		r := do(t, "GET", a.url+"/v1/contacts/"+bID+"/safety-number", testToken, nil)
		if r.status == http.StatusNotFound {
			return false
		}
		if r.status != http.StatusOK || json.Unmarshal(r.body, &sn) != nil {
			t.Fatalf("safety number: %d %s", r.status, r.body)
		}
		return true
	})
	if len(sn.SafetyNumber) != 60 {
		t.Fatalf("safety number %q, want 60 digits", sn.SafetyNumber)
	}
	call(t, a, "POST", "/v1/contacts/"+bID+"/verify", nil, nil)
	call(t, a, "GET", "/v1/contacts", nil, &cs)
	if len(cs) != 1 || !cs[0].Verified {
		t.Fatalf("contacts after verify %+v", cs)
	}
	call(t, a, "DELETE", "/v1/contacts/"+bID, nil, nil)
	call(t, a, "GET", "/v1/contacts", nil, &cs)
	if len(cs) != 0 {
		t.Fatalf("contacts after delete %+v", cs)
	}
}

func TestCloseEndsEventStream(t *testing.T) {
	s := startServer(t, startNode(t))
	c := dialEvents(t, s)
	nextEvent(t, c, EventHello)
	if r := do(t, "GET", s.url+"/v1/info", testToken, nil); r.status != http.StatusOK {
		t.Fatalf("info: %d %s", r.status, r.body)
	}

	closed := make(chan error, 1)
	go func() { closed <- s.Close() }()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, _, err := c.Read(ctx)
	if websocket.CloseStatus(err) != websocket.StatusGoingAway {
		t.Fatalf("read after Close: %v, want close status 1001", err)
	}
	if err := <-closed; err != nil {
		t.Fatalf("Close: %v", err)
	}
}

func TestPresenceEndpoints(t *testing.T) {
	na := startNode(t)
	nb := startNode(t, na)
	a := startServer(t, na)
	var ib Info
	call(t, startServer(t, nb), "GET", "/v1/info", nil, &ib)
	privacy := func(want string) {
		t.Helper()
		var got PrivacyRequest
		call(t, a, "GET", "/v1/presence/privacy", nil, &got)
		if got.Who != want {
			t.Fatalf("GET /v1/presence/privacy: %+v, want %q", got, want)
		}
	}
	privacy("contacts") // the default
	if r := do(t, "PUT", a.url+"/v1/presence/privacy", testToken, strings.NewReader(`{"who": "sometimes"}`)); r.status != http.StatusBadRequest {
		t.Fatalf("bad privacy: %d %s", r.status, r.body)
	}
	if r := do(t, "PUT", a.url+"/v1/presence/privacy", testToken, strings.NewReader(`{"who": "everyone"}`)); r.status != http.StatusNoContent {
		t.Fatalf("privacy: %d %s", r.status, r.body)
	}
	privacy("everyone")
	for body, want := range map[string]int{
		`{"kind": "carrier-pigeon"}`:                     http.StatusBadRequest,
		`{"kind": "webhook", "url": "http://x.test"}`:    http.StatusBadRequest, // https only
		`{"kind": "fcm", "token": "abc:def"}`:            http.StatusNoContent,
		`{"kind": "webhook", "url": "https://x.test/u"}`: http.StatusNoContent,
	} {
		if r := do(t, "PUT", a.url+"/v1/push", testToken, strings.NewReader(body)); r.status != want {
			t.Errorf("PUT /v1/push %s: %d %s, want %d", body, r.status, r.body, want)
		}
	}
	if r := do(t, "DELETE", a.url+"/v1/push", testToken, nil); r.status != http.StatusNoContent {
		t.Fatalf("DELETE /v1/push: %d %s", r.status, r.body)
	}
	// B has no relay, so nobody tracks its presence.
	var p Presence
	poll(t, "a to find b", func() bool {
		r := do(t, "GET", a.url+"/v1/presence/"+ib.Account, testToken, nil)
		if r.status != http.StatusOK {
			return false
		}
		return json.Unmarshal(r.body, &p) == nil
	})
	if p.Account != ib.Account || p.State != "unknown" {
		t.Fatalf("presence %+v", p)
	}
}
