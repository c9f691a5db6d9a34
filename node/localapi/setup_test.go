package localapi

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/devices"
)

// startSetup serves a server in setup mode on a fresh home, as
// `pigeon daemon --setup` does, bootstrapping from boot. The node the
// setup makes is closed after the server.
func startSetup(t *testing.T, home string, boot []string, opts ...Option) *testServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := NewSetup(Setup{Home: home, Options: []node.Option{node.WithListenAddrs("/ip4/127.0.0.1/tcp/0")}, Bootstrap: boot},
		testToken, slog.New(slog.DiscardHandler), opts...)
	t.Cleanup(func() { // runs after the server's Close below
		if n := s.Node(); n != nil {
			n.Close()
		}
	})
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

func setupState(t *testing.T, s *testServer) SetupStatus {
	t.Helper()
	var st SetupStatus
	call(t, s, "GET", "/v1/setup", nil, &st)
	return st
}

// waitSetup polls GET /v1/setup until ok says so.
func waitSetup(t *testing.T, s *testServer, what string, ok func(SetupStatus) bool) SetupStatus {
	t.Helper()
	var st SetupStatus
	poll(t, what, func() bool {
		st = setupState(t, s)
		return ok(st)
	})
	return st
}

func hasAccount(t *testing.T, home string) bool {
	t.Helper()
	has, err := node.HasAccount(home)
	if err != nil {
		t.Fatal(err)
	}
	return has
}

// TestSetupCreate: a server in setup mode answers 503 not_set_up to the
// API but for /v1/setup and the web login, refuses a code that is no code,
// creates nothing until told to, then makes the account, starts the node
// and opens every endpoint.
func TestSetupCreate(t *testing.T) {
	home := t.TempDir()
	s := startSetup(t, home, nil)

	if r := do(t, "GET", s.url+"/v1/setup", "", nil); r.status != http.StatusUnauthorized {
		t.Fatalf("GET /v1/setup without the token: %d", r.status)
	}
	if st := setupState(t, s); st.State != SetupNeeded || st.Error != nil {
		t.Fatalf("fresh setup: %+v", st)
	}
	wantError(t, s, "GET", "/v1/info", "", http.StatusServiceUnavailable, CodeNotSetUp)
	wantError(t, s, "GET", "/v1/events", "", http.StatusServiceUnavailable, CodeNotSetUp)
	wantError(t, s, "POST", "/v1/setup/link", `{"code":"pigeon-link:nonsense"}`, http.StatusBadRequest, CodeBadRequest)
	wantError(t, s, "POST", "/v1/setup/link", `{}`, http.StatusBadRequest, CodeBadRequest)
	call(t, s, "POST", "/v1/web/login-codes", nil, &LoginCode{})
	select {
	case <-s.Ready():
		t.Fatal("ready before the setup")
	default:
	}
	if hasAccount(t, home) {
		t.Fatal("the home holds an account before the setup")
	}

	var st SetupStatus
	call(t, s, "POST", "/v1/setup/create", nil, &st)
	if st.State != SetupCreating {
		t.Fatalf("POST /v1/setup/create: %+v", st)
	}
	st = waitSetup(t, s, "the account", func(st SetupStatus) bool { return st.State != SetupCreating })
	if st.State != SetupReady || st.Account == "" || st.Device != 1 {
		t.Fatalf("after create: %+v", st)
	}
	<-s.Ready()
	var info Info
	call(t, s, "GET", "/v1/info", nil, &info)
	if info.Account != st.Account || info.Account != s.Node().Info().Account.String() {
		t.Fatalf("info %+v, setup %+v", info, st)
	}
	dialEvents(t, s) // the event stream works
	wantError(t, s, "POST", "/v1/setup/create", "", http.StatusConflict, CodeSetUp)
	wantError(t, s, "POST", "/v1/setup/link", `{"code":"pigeon-link:nonsense"}`, http.StatusBadRequest, CodeBadRequest)
}

// TestSetupReadyServer: a server made with a node says ready and refuses
// a setup.
func TestSetupReadyServer(t *testing.T) {
	s := startServer(t, nil)
	if st := setupState(t, s); st.State != SetupReady {
		t.Fatalf("GET /v1/setup of a server with a node: %+v", st)
	}
	wantError(t, s, "POST", "/v1/setup/create", "", http.StatusConflict, CodeSetUp)
}

// TestSetupLinkExpired: a code past its expiry is refused at once, and
// the home stays without an account.
func TestSetupLinkExpired(t *testing.T) {
	na := startNode(t)
	offer, err := na.Devices().Link(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	later := func() time.Time { return time.Now().Add(time.Hour) }
	s := startSetup(t, home, nil, withClock(later))
	wantError(t, s, "POST", "/v1/setup/link", `{"code":"`+offer.Code+`"}`, http.StatusBadRequest, CodeLinkExpired)
	if st := setupState(t, s); st.State != SetupNeeded {
		t.Fatalf("after an expired code: %+v", st)
	}
	if hasAccount(t, home) {
		t.Fatal("the home holds an account after an expired code")
	}
}

// TestSetupLinkRefused: a link the other device declines, and one with a
// code it withdrew, end back in needs_setup with what to do next, and
// leave the home without an account; a new code then links.
func TestSetupLinkRefused(t *testing.T) {
	na := startNode(t)
	reqs := node.Subscribe[devices.LinkRequest](na)
	defer reqs.Close()
	home := t.TempDir()
	s := startSetup(t, home, addrsOf(na))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	// Withdrawn: the other device does not know the code any more.
	offer, err := na.Devices().Link(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := na.Devices().Withdraw(offer.Code); err != nil {
		t.Fatal(err)
	}
	call(t, s, "POST", "/v1/setup/link", SetupLinkRequest{Code: offer.Code}, nil)
	st := waitSetup(t, s, "the withdrawn code refused", func(st SetupStatus) bool { return st.State == SetupNeeded })
	if st.Error == nil || st.Error.Code != CodeLinkExpired {
		t.Fatalf("after a withdrawn code: %+v", st)
	}

	// Declined on the other device, after both showed the same code.
	offer, err = na.Devices().Link(ctx)
	if err != nil {
		t.Fatal(err)
	}
	call(t, s, "POST", "/v1/setup/link", SetupLinkRequest{Code: offer.Code, Name: "laptop"}, nil)
	wantError(t, s, "POST", "/v1/setup/create", "", http.StatusConflict, CodeSetupBusy)
	var req devices.LinkRequest
	select {
	case req = <-reqs.Events():
	case <-ctx.Done():
		t.Fatal("no link request")
	}
	st = waitSetup(t, s, "the confirmation code", func(st SetupStatus) bool { return st.SAS != "" })
	if st.State != SetupLinking || st.SAS != req.SAS || req.Name != "laptop" {
		t.Fatalf("linking: %+v, the other device shows %q for %q", st, req.SAS, req.Name)
	}
	if err := na.Devices().Answer(req.ID, false); err != nil {
		t.Fatal(err)
	}
	st = waitSetup(t, s, "the refusal", func(st SetupStatus) bool { return st.State == SetupNeeded })
	if st.Error == nil || st.Error.Code != CodeLinkDeclined || st.SAS != "" {
		t.Fatalf("after a refusal: %+v", st)
	}
	wantError(t, s, "GET", "/v1/info", "", http.StatusServiceUnavailable, CodeNotSetUp)
	if hasAccount(t, home) {
		t.Fatal("the home holds an account after a refused link")
	}

	// A new code, accepted: the setup links, starts the node and pulls
	// the history.
	offer, err = na.Devices().Link(ctx)
	if err != nil {
		t.Fatal(err)
	}
	call(t, s, "POST", "/v1/setup/link", SetupLinkRequest{Code: offer.Code, Name: "laptop"}, nil)
	select {
	case req = <-reqs.Events():
	case <-ctx.Done():
		t.Fatal("no link request")
	}
	st = waitSetup(t, s, "the confirmation code", func(st SetupStatus) bool { return st.SAS != "" })
	if st.SAS != req.SAS {
		t.Fatalf("the setup shows %q, the other device %q", st.SAS, req.SAS)
	}
	if err := na.Devices().Answer(req.ID, true); err != nil {
		t.Fatal(err)
	}
	st = waitSetup(t, s, "the history", func(st SetupStatus) bool { return st.State == SetupReady })
	if st.Account != na.Info().Account.String() || st.Device != 2 || st.Error != nil ||
		st.History == nil || st.History.Error != "" || st.History.Done != st.History.Total || st.History.Total == 0 {
		t.Fatalf("after the link: %+v (history %+v)", st, st.History)
	}
	var info Info
	call(t, s, "GET", "/v1/info", nil, &info)
	if info.Account != st.Account {
		t.Fatalf("info %+v after linking to %s", info, st.Account)
	}
	if ds := devicesOf(t, s); len(ds.Devices) != 2 || ds.HoldsAccountKey {
		t.Fatalf("devices of the linked device: %+v", ds)
	}
}
