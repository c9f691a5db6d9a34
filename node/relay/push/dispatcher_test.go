package push

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"
)

// TestCoalesceWithinWindow: ten Notify calls for one device inside its
// coalescing window send one push, to the latest endpoint.
func TestCoalesceWithinWindow(t *testing.T) {
	srv := newGatewayServer(t, nil)
	cfg := fastConfig(srv.Server)
	cfg.CoalesceWindow = time.Hour // the test ends the window itself
	d := newDispatcher(t, cfg)
	for i := range 10 {
		ep := Endpoint{Kind: UnifiedPush, URL: srv.URL + "/up/" + strconv.Itoa(i)}
		if err := d.Notify(ep, "dev-1"); err != nil {
			t.Fatal(err)
		}
	}
	if err := d.Notify(Endpoint{Kind: UnifiedPush, URL: srv.URL + "/other"}, "dev-2"); err != nil {
		t.Fatal(err)
	}
	if s := d.Stats(); s.Pending != 2 || s.Coalesced != 9 || s.Notified != 11 {
		t.Fatalf("stats %+v", s)
	}
	if n := len(srv.requests("/")); n != 0 {
		t.Fatalf("%d requests inside the window", n)
	}
	expireWindows(d)
	waitFor(t, "pushes", func() bool { return d.Stats().Pending == 0 })
	if s := d.Stats(); s.Sent != 2 {
		t.Errorf("stats %+v", s)
	}
	if reqs := srv.requests("/up/"); len(reqs) != 1 || reqs[0].Path != "/up/9" {
		t.Errorf("dev-1 requests %v, want one to the latest endpoint", reqs)
	}
}

// TestCoalesceInFlight: Notify calls for a device whose push is in flight
// join it instead of sending another.
func TestCoalesceInFlight(t *testing.T) {
	arrived := make(chan struct{})
	release := make(chan struct{})
	srv := newGatewayServer(t, func(n int, r *http.Request) reply {
		if n == 0 {
			close(arrived)
			<-release
		}
		return reply{Status: 201}
	})
	d := newDispatcher(t, fastConfig(srv.Server))
	ep := Endpoint{Kind: UnifiedPush, URL: srv.URL + "/up/1"}
	if err := d.Notify(ep, "dev"); err != nil {
		t.Fatal(err)
	}
	<-arrived
	for range 9 {
		if err := d.Notify(ep, "dev"); err != nil {
			t.Fatal(err)
		}
	}
	close(release)
	waitFor(t, "push", func() bool { return d.Stats().Pending == 0 })
	if s := d.Stats(); s.Sent != 1 || s.Coalesced != 9 {
		t.Errorf("stats %+v", s)
	}
	if n := len(srv.requests("/")); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

// TestRetryAfter: a 503 with Retry-After is retried no sooner than the
// gateway asked, even though the backoff is a millisecond.
func TestRetryAfter(t *testing.T) {
	srv := newGatewayServer(t, func(n int, r *http.Request) reply {
		if n == 0 {
			return reply{Status: 503, Header: map[string]string{"Retry-After": "1"}}
		}
		return reply{Status: 201}
	})
	d := newDispatcher(t, fastConfig(srv.Server))
	if err := d.Notify(Endpoint{Kind: UnifiedPush, URL: srv.URL + "/up/1"}, "k"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "sent", func() bool { return d.Stats().Sent == 1 })
	reqs := srv.requests("/")
	if len(reqs) != 2 {
		t.Fatalf("%d requests, want 2", len(reqs))
	}
	if gap := reqs[1].At.Sub(reqs[0].At); gap < time.Second {
		t.Errorf("retried after %s, Retry-After asked for 1s", gap)
	}
	if s := d.Stats(); s.Retries != 1 {
		t.Errorf("stats %+v", s)
	}
}

func TestRetryAfterParse(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for v, want := range map[string]time.Duration{
		"":                              0,
		"120":                           2 * time.Minute,
		"0":                             0,
		"-1":                            0,
		"soon":                          0,
		"Fri, 02 Jan 2026 03:04:35 GMT": 30 * time.Second,
		"Fri, 02 Jan 2026 03:00:00 GMT": 0, // in the past
	} {
		h := http.Header{}
		if v != "" {
			h.Set("Retry-After", v)
		}
		if got := retryAfter(h, now); got != want {
			t.Errorf("Retry-After %q = %s, want %s", v, got, want)
		}
	}
}

func TestRetryDelay(t *testing.T) {
	d := &Dispatcher{cfg: Config{MinBackoff: time.Second, MaxBackoff: 10 * time.Second, MaxRetryAfter: time.Minute}}
	for attempt, base := range map[int]time.Duration{1: time.Second, 2: 2 * time.Second, 3: 4 * time.Second, 4: 8 * time.Second, 5: 10 * time.Second, 30: 10 * time.Second} {
		got := d.retryDelay(attempt, 0)
		if got < base*8/10 || got > base*12/10 {
			t.Errorf("attempt %d: %s, want %s ±20%%", attempt, got, base)
		}
	}
	if got := d.retryDelay(1, 30*time.Second); got != 30*time.Second {
		t.Errorf("Retry-After 30s: %s", got)
	}
	if got := d.retryDelay(1, time.Hour); got != time.Minute {
		t.Errorf("Retry-After 1h capped: %s", got)
	}
}

// TestGoneThenNewEndpoint: when an endpoint turns out gone while the device
// registered a new one, the new one is tried.
func TestGoneThenNewEndpoint(t *testing.T) {
	arrived := make(chan struct{})
	release := make(chan struct{})
	srv := newGatewayServer(t, func(n int, r *http.Request) reply {
		if r.URL.Path == "/old" {
			close(arrived)
			<-release
			return reply{Status: 410}
		}
		return reply{Status: 201}
	})
	d := newDispatcher(t, fastConfig(srv.Server))
	old := Endpoint{Kind: UnifiedPush, URL: srv.URL + "/old"}
	if err := d.Notify(old, "dev"); err != nil {
		t.Fatal(err)
	}
	<-arrived
	if err := d.Notify(Endpoint{Kind: UnifiedPush, URL: srv.URL + "/new"}, "dev"); err != nil {
		t.Fatal(err)
	}
	close(release)
	if ev := <-d.Refused(); ev.Endpoint != old || ev.Key != "dev" || ev.Refusal != RefusedGone {
		t.Errorf("gone %+v", ev)
	}
	waitFor(t, "new endpoint", func() bool { return d.Stats().Sent == 1 })
	if n := len(srv.requests("/new")); n != 1 {
		t.Errorf("%d requests to the new endpoint", n)
	}
}

func TestQueueDropsOldest(t *testing.T) {
	srv := newGatewayServer(t, nil)
	cfg := fastConfig(srv.Server)
	cfg.CoalesceWindow = time.Hour
	cfg.QueueSize = 2
	cfg.Workers = 1
	d := newDispatcher(t, cfg)
	for _, k := range []string{"a", "b", "c"} {
		if err := d.Notify(Endpoint{Kind: UnifiedPush, URL: srv.URL + "/" + k}, k); err != nil {
			t.Fatal(err)
		}
	}
	if s := d.Stats(); s.Dropped != 1 || s.Pending != 2 {
		t.Errorf("stats %+v", s)
	}
	expireWindows(d)
	waitFor(t, "pushes", func() bool { return d.Stats().Sent == 2 })
	if len(srv.requests("/a")) != 0 || len(srv.requests("/b")) != 1 || len(srv.requests("/c")) != 1 {
		t.Errorf("requests %v, want b and c (a, the oldest, dropped)", srv.requests("/"))
	}
}

func TestNotifyRefuses(t *testing.T) {
	srv := newGatewayServer(t, nil)
	d := newDispatcher(t, fastConfig(srv.Server))
	if err := d.Notify(Endpoint{Kind: FCM, Token: "t"}, "k"); !errors.Is(err, ErrNoCredentials) {
		t.Errorf("FCM without credentials: %v", err)
	}
	if err := d.Notify(Endpoint{Kind: APNs, Token: apnsToken, Topic: "a.b"}, "k"); !errors.Is(err, ErrNoCredentials) {
		t.Errorf("APNs without credentials: %v", err)
	}
	if err := d.Notify(Endpoint{Kind: UnifiedPush, URL: "ftp://x"}, "k"); !errors.Is(err, ErrInvalidEndpoint) {
		t.Errorf("bad endpoint: %v", err)
	}
}

func TestNewRejectsBadCredentials(t *testing.T) {
	rk, ek := testKeys(t)
	for name, cfg := range map[string]Config{
		"sa not json":     {FCMServiceAccount: []byte("{")},
		"sa wrong type":   {FCMServiceAccount: []byte(`{"type":"authorized_user"}`)},
		"sa ec key":       {FCMServiceAccount: serviceAccountJSON(t, ek, "")},
		"sa empty":        {FCMServiceAccount: []byte{}},
		"apns rsa key":    {APNsKey: pkcs8PEM(t, rk), APNsKeyID: "K", APNsTeamID: "T"},
		"apns not pem":    {APNsKey: []byte("nope"), APNsKeyID: "K", APNsTeamID: "T"},
		"apns no key id":  {APNsKey: pkcs8PEM(t, ek), APNsTeamID: "T"},
		"apns bad teamid": {APNsKey: pkcs8PEM(t, ek), APNsKeyID: "K", APNsTeamID: "T/../x"},
	} {
		if _, err := New(cfg, nil); !errors.Is(err, ErrCredentials) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := New(Config{MinBackoff: time.Second, MaxBackoff: time.Millisecond}, nil); err == nil {
		t.Error("MaxBackoff < MinBackoff accepted")
	}
}

// TestCloseWaits: Close cancels the request in flight, waits for every
// goroutine, closes Refused, and refuses further use.
func TestCloseWaits(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	arrived := make(chan struct{})
	var handlerDone sync.WaitGroup
	handlerDone.Add(1)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer handlerDone.Done()
		close(arrived)
		<-r.Context().Done() // hold the request until the client gives up
	}))
	srv.EnableHTTP2 = true
	srv.StartTLS()
	defer srv.Close()

	cfg := fastConfig(srv)
	cfg.HTTPClient = &http.Client{Transport: srv.Client().Transport.(*http.Transport).Clone()}
	defer cfg.HTTPClient.CloseIdleConnections()
	d, err := New(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Notify(Endpoint{Kind: UnifiedPush, URL: srv.URL + "/up"}, "k"); err != nil {
		t.Fatal(err)
	}
	<-arrived
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	handlerDone.Wait() // the request was cancelled, not left hanging
	if _, ok := <-d.Refused(); ok {
		t.Error("Refused not closed")
	}
	if err := d.Close(); !errors.Is(err, ErrClosed) {
		t.Errorf("second Close: %v", err)
	}
	if err := d.Notify(Endpoint{Kind: UnifiedPush, URL: srv.URL + "/up"}, "k"); !errors.Is(err, ErrClosed) {
		t.Errorf("Notify after Close: %v", err)
	}
	if s := d.Stats(); s.Sent != 0 {
		t.Errorf("stats %+v", s)
	}
}

// TestCloseCancelsTokenFetch: Close cancels an FCM token request in flight
// (oauth2 makes it without a context; the dispatcher's token client gives
// it the dispatcher's lifetime) instead of waiting for the request timeout.
func TestCloseCancelsTokenFetch(t *testing.T) {
	arrived := make(chan struct{})
	var handlerDone sync.WaitGroup
	handlerDone.Add(1)
	srv := newGatewayServer(t, func(n int, r *http.Request) reply {
		if r.URL.Path == "/token" {
			defer handlerDone.Done()
			close(arrived)
			<-r.Context().Done() // hold the request until the client gives up
		}
		return reply{Status: 500}
	})
	cfg := fcmConfig(t, srv)
	cfg.RequestTimeout = time.Hour
	cfg.HTTPClient = &http.Client{Transport: srv.Client().Transport.(*http.Transport).Clone()}
	defer cfg.HTTPClient.CloseIdleConnections()
	d, err := New(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Notify(Endpoint{Kind: FCM, Token: "t"}, "k"); err != nil {
		t.Fatal(err)
	}
	<-arrived
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	handlerDone.Wait()
	if s := d.Stats(); s.Sent != 0 {
		t.Errorf("stats %+v", s)
	}
}

// TestDefaultClientRefusesLoopback: the default client's dialer refuses
// loopback unless AllowLoopback, however many private networks are
// allowed; nothing reaches the server.
func TestDefaultClientRefusesLoopback(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Error("request reached a loopback server")
	}))
	defer srv.Close()
	everything := []netip.Prefix{netip.MustParsePrefix("0.0.0.0/0"), netip.MustParsePrefix("::/0")}
	for _, opts := range [][]ValidateOption{nil, {AllowPrivate(PrivateNetworks()...)}, {AllowPrivate(everything...)}} {
		c := defaultClient(newPolicy(opts), nil)
		_, err := c.Get(srv.URL)
		c.CloseIdleConnections()
		if !errors.Is(err, ErrLoopbackAddress) {
			t.Errorf("err = %v, want ErrLoopbackAddress", err)
		}
	}
}

// TestDialControl checks the address policy the dialer applies to every
// address it is about to connect to (calling it directly: the tests reach
// no network beyond loopback).
func TestDialControl(t *testing.T) {
	lan := newPolicy([]ValidateOption{AllowPrivate(PrivateNetworks()...)})
	one := newPolicy([]ValidateOption{AllowPrivate(netip.MustParsePrefix("192.168.7.0/24"))})
	loop := newPolicy([]ValidateOption{AllowLoopback()})
	for _, tc := range []struct {
		addr               string
		none, lan, one, lo error
	}{
		{"93.184.215.14:443", nil, nil, nil, nil},
		{"[2606:4700::1]:443", nil, nil, nil, nil},
		{"192.168.7.9:80", ErrPrivateAddress, nil, nil, ErrPrivateAddress},
		{"192.168.8.9:80", ErrPrivateAddress, nil, ErrPrivateAddress, ErrPrivateAddress},
		{"10.1.2.3:80", ErrPrivateAddress, nil, ErrPrivateAddress, ErrPrivateAddress},
		{"[::ffff:10.1.2.3]:80", ErrPrivateAddress, nil, ErrPrivateAddress, ErrPrivateAddress},
		{"[fd12:3456::1]:443", ErrPrivateAddress, nil, ErrPrivateAddress, ErrPrivateAddress},
		{"100.64.1.1:443", ErrPrivateAddress, ErrPrivateAddress, ErrPrivateAddress, ErrPrivateAddress},
		{"169.254.169.254:80", ErrPrivateAddress, ErrPrivateAddress, ErrPrivateAddress, ErrPrivateAddress},
		{"127.0.0.1:80", ErrLoopbackAddress, ErrLoopbackAddress, ErrLoopbackAddress, nil},
		{"[::1]:80", ErrLoopbackAddress, ErrLoopbackAddress, ErrLoopbackAddress, nil},
		{"0.0.0.0:80", ErrPrivateAddress, ErrPrivateAddress, ErrPrivateAddress, ErrPrivateAddress},
		{"[::]:80", ErrPrivateAddress, ErrPrivateAddress, ErrPrivateAddress, ErrPrivateAddress},
		{"224.0.0.1:80", ErrPrivateAddress, ErrPrivateAddress, ErrPrivateAddress, ErrPrivateAddress},
		{"255.255.255.255:80", ErrPrivateAddress, ErrPrivateAddress, ErrPrivateAddress, ErrPrivateAddress},
	} {
		for i, p := range []addrPolicy{{}, lan, one, loop} {
			want := []error{tc.none, tc.lan, tc.one, tc.lo}[i]
			err := p.dialControl("tcp", tc.addr, nil)
			if want == nil && err != nil || want != nil && !errors.Is(err, want) {
				t.Errorf("policy %d, %s: %v, want %v", i, tc.addr, err, want)
			}
		}
	}
}

// TestDialRefusesResolvedAddress: a host name passes validation, but the
// address it resolves to is checked at the dial, so DNS cannot point the
// relay at a network it may not reach. A name for the LAN is refused
// unless the LAN is allowed; one that resolves to loopback is refused even
// then. DNS answers come from a resolver inside the test.
func TestDialRefusesResolvedAddress(t *testing.T) {
	dns := map[string]netip.Addr{
		"ntfy.lan.example.": netip.MustParseAddr("192.168.1.5"),
		"rebind.example.":   netip.MustParseAddr("127.0.0.1"),
		"metadata.example.": netip.MustParseAddr("169.254.169.254"),
	}
	for _, tc := range []struct {
		host string
		opts []ValidateOption
		want Refusal
	}{
		{"ntfy.lan.example", nil, RefusedPrivate},
		{"rebind.example", []ValidateOption{AllowPrivate(PrivateNetworks()...)}, RefusedLoopback},
		{"metadata.example", []ValidateOption{AllowPrivate(PrivateNetworks()...)}, RefusedPrivate},
	} {
		ep := Endpoint{Kind: UnifiedPush, URL: "https://" + tc.host + "/up/secret-topic"}
		if err := ep.Validate(tc.opts...); err != nil {
			t.Fatalf("%s: validation: %v", tc.host, err)
		}
		g := &webhookGateway{client: defaultClient(newPolicy(tc.opts), testResolver(t, dns)), ttl: time.Hour, now: time.Now}
		err := g.send(context.Background(), ep)
		g.client.CloseIdleConnections()
		var re *retryError
		if RefusalOf(err) != tc.want || errors.As(err, &re) {
			t.Errorf("%s: %v (refusal %s), want %s for good", tc.host, err, RefusalOf(err), tc.want)
		}
		if strings.Contains(err.Error(), "secret-topic") {
			t.Errorf("error leaks the endpoint: %v", err)
		}
	}

	// The dispatcher reports it on Refused.
	cfg := Config{AllowPrivate: PrivateNetworks(), CoalesceWindow: time.Millisecond, resolver: testResolver(t, dns)}
	d := newDispatcher(t, cfg)
	ep := Endpoint{Kind: UnifiedPush, URL: "https://rebind.example/up/x"}
	if err := d.Notify(ep, "dev"); err != nil {
		t.Fatal(err)
	}
	ev := <-d.Refused()
	if ev.Key != "dev" || ev.Endpoint != ep || ev.Refusal != RefusedLoopback {
		t.Errorf("refused event %+v", ev)
	}
	if s := d.Stats(); s.Failed != 1 || s.Retries != 0 {
		t.Errorf("stats %+v, want one failure and no retry", s)
	}
}

// TestFCMTokenRenewal: an access token is reused while it is valid, and
// fetched again once it is about to expire (golang.org/x/oauth2 renews a
// token 10 s before its expiry: one the server says lasts 5 s is never
// reused).
func TestFCMTokenRenewal(t *testing.T) {
	for _, tc := range []struct {
		expiresIn string
		fetches   int
	}{{"3599", 1}, {"5", 3}} {
		srv := newGatewayServer(t, func(n int, r *http.Request) reply {
			if r.URL.Path == "/token" {
				return reply{Status: 200, Header: map[string]string{"Content-Type": "application/json"},
					Body: `{"access_token":"ya29.t` + strconv.Itoa(n) + `","expires_in":` + tc.expiresIn + `,"token_type":"Bearer"}`}
			}
			return reply{Status: 200, Body: `{"name":"projects/pigeon-test/messages/1"}`}
		})
		d := newDispatcher(t, fcmConfig(t, srv))
		for i := range 3 {
			if err := d.Notify(Endpoint{Kind: FCM, Token: "t" + strconv.Itoa(i)}, "k"+strconv.Itoa(i)); err != nil {
				t.Fatal(err)
			}
			waitFor(t, "sent", func() bool { return d.Stats().Sent == uint64(i+1) })
		}
		if n := len(srv.requests("/token")); n != tc.fetches {
			t.Errorf("expires_in %s: %d token requests for 3 pushes, want %d", tc.expiresIn, n, tc.fetches)
		}
	}
}

// TestAPNsTokenLifetime checks the provider token's lifetime with a fake
// clock: reused for 50 minutes (Apple wants a new one every 20 to 60),
// then signed again.
func TestAPNsTokenLifetime(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	_, ek := testKeys(t)
	a := &apnsGateway{keyID: "K", teamID: "T", key: ek, now: func() time.Time { return now }}
	p0, err := a.providerToken()
	if err != nil {
		t.Fatal(err)
	}
	now = now.Add(49 * time.Minute)
	if p, _ := a.providerToken(); p != p0 {
		t.Error("APNs token renewed before 50 min")
	}
	now = now.Add(time.Minute)
	p1, _ := a.providerToken()
	if p1 == p0 {
		t.Error("APNs token reused at 50 min")
	}
	_, claims := verifyJWT(t, p1, &ek.PublicKey)
	if iat := unixClaim(t, claims, "iat"); iat != now.Unix() {
		t.Errorf("iat %d, want the clock's %d", iat, now.Unix())
	}
}

// TestTransportErrorHidesURL: a failed request's error (which is logged)
// does not contain the endpoint URL.
func TestTransportErrorHidesURL(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	u := srv.URL + "/up/secret-capability"
	srv.Close() // connection refused from now on
	g := &webhookGateway{client: &http.Client{}, ttl: time.Hour, now: time.Now}
	err := g.send(context.Background(), Endpoint{Kind: UnifiedPush, URL: u})
	var re *retryError
	if !errors.As(err, &re) {
		t.Fatalf("err = %v, want retryable", err)
	}
	if strings.Contains(err.Error(), "secret-capability") {
		t.Errorf("error leaks the endpoint: %v", err)
	}
}
