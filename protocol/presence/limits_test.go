package presence_test

import (
	"context"
	"crypto/rand"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/network"

	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/protocol/presence"
)

// registry is a relay's mailbox registrations as the hub sees them:
// device → end of its registration.
type registry struct {
	mu    sync.Mutex
	until map[regKey]time.Time
}

type regKey struct {
	account identity.AccountID
	device  uint32
}

func newRegistry() *registry { return &registry{until: make(map[regKey]time.Time)} }

func (r *registry) set(d *device, until time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.until[regKey{d.id, 1}] = until
}

func (r *registry) RegisteredUntil(_ context.Context, a identity.AccountID, dev uint32) (time.Time, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.until[regKey{a, dev}], nil
}

// clock is a settable time for the hub.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Now()} }

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func streamCode(c pb.ErrorCode) network.StreamErrorCode {
	return presence.StreamErrorCodeBase + network.StreamErrorCode(c)
}

var everyonePB = &pb.PresencePrivacy{Visibility: pb.PresenceVisibility_PRESENCE_VISIBILITY_EVERYONE}

func TestAnnounceOnlyRegisteredDevices(t *testing.T) {
	reg := newRegistry()
	relay := newHost(t)
	hub := newHub(t, relay, presence.WithRegistry(reg))
	dev := newDevice(t, relay)
	obs := newDevice(t, relay)

	// A device the relay does not serve may not announce, and leaves
	// nothing behind, however long its contact list.
	allowed := make([][]byte, presence.MaxAllowed)
	for i := range allowed {
		allowed[i] = randomID()
	}
	r := openRaw(t, dev.h, relay.ID())
	r.hello(dev.cert, true, &pb.PresencePrivacy{Visibility: pb.PresenceVisibility_PRESENCE_VISIBILITY_CONTACTS, Allowed: allowed})
	if got := r.closedWith(); got != streamCode(pb.ErrorCode_UNKNOWN_SENDER) {
		t.Fatalf("unregistered announce closed with %#x, want UNKNOWN_SENDER", got)
	}
	// An expired registration is none.
	reg.set(dev, time.Now().Add(-time.Second))
	r = openRaw(t, dev.h, relay.ID())
	r.hello(dev.cert, true, everyonePB)
	if got := r.closedWith(); got != streamCode(pb.ErrorCode_UNKNOWN_SENDER) {
		t.Fatalf("announce with an expired registration closed with %#x, want UNKNOWN_SENDER", got)
	}
	if n := hub.Tracked(); n != 0 {
		t.Fatalf("%d accounts tracked after refused announces", n)
	}

	// Anyone may ask.
	oc := obs.client(t, relay)
	if p := query(t, oc, dev.id); p.State != presence.Unknown {
		t.Fatalf("refused device shows %v", p.State)
	}
	// Once registered, the device announces.
	reg.set(dev, time.Now().Add(time.Hour))
	dev.client(t, relay, presence.WithPrivacy(everyone))
	waitState(t, oc, dev.id, presence.Online)
}

func TestUnregisteredClientKeepsTrying(t *testing.T) {
	reg := newRegistry()
	relay := newHost(t)
	newHub(t, relay, presence.WithRegistry(reg))
	dev := newDevice(t, relay)
	obs := newDevice(t, relay)
	oc := obs.client(t, relay)
	logs := &recorder{}
	dc := dev.client(t, relay, presence.WithPrivacy(everyone), presence.WithClientLogger(slog.New(logs)))
	// Refused (a node registers its mailbox and announces at once, in any
	// order), the client says why and asks again after a while.
	eventually(t, func() bool { return logs.has("presence relay refused the stream", "register") }, "refusal logged")
	if dc.Connected() {
		t.Fatal("refused client connected")
	}
	reg.set(dev, time.Now().Add(time.Hour))
	eventually(t, dc.Connected, "client welcomed after registering")
	waitState(t, oc, dev.id, presence.Online)
}

// recorder is a slog handler that keeps every record's message and
// attributes as text.
type recorder struct {
	mu    sync.Mutex
	lines []string
}

func (r *recorder) Enabled(context.Context, slog.Level) bool { return true }
func (r *recorder) WithAttrs([]slog.Attr) slog.Handler       { return r }
func (r *recorder) WithGroup(string) slog.Handler            { return r }

func (r *recorder) Handle(_ context.Context, rec slog.Record) error {
	line := rec.Message
	rec.Attrs(func(a slog.Attr) bool { line += " " + a.String(); return true })
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lines = append(r.lines, line)
	return nil
}

// has reports whether a record with msg mentioned want.
func (r *recorder) has(msg, want string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, l := range r.lines {
		if strings.HasPrefix(l, msg) && strings.Contains(l, want) {
			return true
		}
	}
	return false
}

func TestSubscriptionLimits(t *testing.T) {
	relay := newHost(t)
	hub := newHub(t, relay, presence.WithSubscriptionLimits(presence.SubscriptionLimits{
		PerStream: 3, PerPeer: 4, PerAccount: 5, Total: 8,
	}))
	a := newDevice(t, relay)
	a2 := newDeviceOf(t, a.account, 2, relay) // another device of a's account
	b := newDevice(t, relay)
	c := newDevice(t, relay)

	open := func(d *device) *raw {
		r := openRaw(t, d.h, relay.ID())
		r.hello(d.cert, false, nil)
		r.welcome()
		return r
	}
	// subscribe watches n fresh accounts; it waits for their states when
	// the hub accepts.
	subscribe := func(r *raw, n int) {
		t.Helper()
		accs := make([][]byte, n)
		for i := range accs {
			accs[i] = randomID()
		}
		r.send(&pb.PresenceClientFrame{Frame: &pb.PresenceClientFrame_Subscribe{Subscribe: &pb.PresenceSubscribe{Accounts: accs}}})
	}
	accepted := func(r *raw, n int) {
		t.Helper()
		for range n {
			f, err := r.read()
			if err != nil {
				t.Fatalf("subscription refused: %v", err)
			}
			if f.GetUpdate().GetState() != pb.PresenceState_PRESENCE_STATE_UNKNOWN {
				t.Fatalf("got %v, want the state of a watched account", f)
			}
		}
	}
	refused := func(r *raw, want pb.ErrorCode) {
		t.Helper()
		if got := r.closedWith(); got != streamCode(want) {
			t.Fatalf("closed with %#x, want %v", got, want)
		}
	}

	r := open(a)
	subscribe(r, 4)
	refused(r, pb.ErrorCode_TOO_LARGE) // per stream

	a1 := open(a)
	subscribe(a1, 3)
	accepted(a1, 3)
	subscribe(a1, 3) // replaces: still 3
	accepted(a1, 3)
	r = open(a)
	subscribe(r, 2)
	refused(r, pb.ErrorCode_TOO_LARGE) // per peer: 3 + 2 > 4

	r = open(a2)
	subscribe(r, 3)
	refused(r, pb.ErrorCode_TOO_LARGE) // per account: 3 + 3 > 5

	bs := open(b)
	subscribe(bs, 3)
	accepted(bs, 3)
	cs := open(c)
	subscribe(cs, 2)
	accepted(cs, 2)
	r = open(c)
	subscribe(r, 1)
	refused(r, pb.ErrorCode_RATE_LIMITED) // in all: 3 + 3 + 2 + 1 > 8
	if n := hub.Watches(); n != 8 {
		t.Fatalf("%d watches, want 8", n)
	}

	// Watches end with their stream.
	_ = a1.st.Close()
	eventually(t, func() bool { return hub.Watches() == 5 }, "a's watches released")
	r = open(a2)
	subscribe(r, 3)
	accepted(r, 3)
}

func TestLastSeenBudget(t *testing.T) {
	clk := newClock()
	reg := newRegistry()
	relay := newHost(t)
	// Room for two entries without allowed lists (about 200 bytes each).
	hub := newHub(t, relay, presence.WithRegistry(reg), presence.WithClock(clk.now), presence.WithLastSeenBudget(450))
	x, y, z := newDevice(t, relay), newDevice(t, relay), newDevice(t, relay)
	obs := newDevice(t, relay)
	oc := obs.client(t, relay)
	reg.set(x, clk.now().Add(time.Minute))
	reg.set(y, clk.now().Add(time.Minute))
	reg.set(z, clk.now().Add(time.Hour))
	var clients []*presence.Client
	for _, d := range []*device{z, x, y} {
		c := d.client(t, relay, presence.WithPrivacy(everyone))
		waitState(t, oc, d.id, presence.Online)
		clients = append(clients, c)
	}
	clk.add(2 * time.Minute) // the registrations of x and y lapse
	// They leave in order z, x, y: y makes it three, over the budget.
	// z, seen longest ago, is still registered: x goes.
	for i, d := range []*device{z, x} {
		_ = clients[i].Close()
		waitState(t, oc, d.id, presence.Offline)
	}
	_ = clients[2].Close()
	waitState(t, oc, y.id, presence.Offline)
	if p := query(t, oc, x.id); p.State != presence.Unknown {
		t.Fatalf("x is %v, want forgotten", p.State)
	}
	if p := query(t, oc, z.id); p.State != presence.Offline {
		t.Fatalf("registered z is %v, want kept offline", p.State)
	}
	if n := hub.Tracked(); n != 2 {
		t.Fatalf("%d accounts tracked, want 2", n)
	}
}

func TestLastSeenBudgetCountsAllowedLists(t *testing.T) {
	relay := newHost(t)
	// Room for 10 accounts with lists of 1,000 (8 KB each) and no more.
	hub := newHub(t, relay, presence.WithLastSeenBudget(10*(200+8*1000)))
	allowed := make([][]byte, 1000)
	for i := range allowed {
		allowed[i] = randomID()
	}
	// One host speaks for 30 accounts (each certifies it as a device).
	h := newHost(t)
	connect(t, h, relay)
	key := append([]byte{0x05}, randomID()...)
	for range 30 {
		a, err := identity.NewAccount()
		if err != nil {
			t.Fatal(err)
		}
		cert, err := a.IssueCertificate(1, h.ID(), key, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		r := openRaw(t, h, relay.ID())
		r.hello(cert, true, &pb.PresencePrivacy{Visibility: pb.PresenceVisibility_PRESENCE_VISIBILITY_CONTACTS, Allowed: allowed})
		r.welcome()
		_ = r.st.Close()
	}
	// Every stream ended: 10 accounts offline are all that is kept.
	eventually(t, func() bool { return hub.Tracked() == 10 && hub.Watches() == 0 }, "ten accounts kept")
}

func TestRegisteredStateOutlivesRetention(t *testing.T) {
	clk := newClock()
	reg := newRegistry()
	relay := newHost(t)
	hub := newHub(t, relay, presence.WithRegistry(reg), presence.WithClock(clk.now), presence.WithRetention(time.Hour))
	dev, gone := newDevice(t, relay), newDevice(t, relay)
	obs := newDevice(t, relay)
	oc := obs.client(t, relay)
	reg.set(dev, clk.now().Add(3*time.Hour))
	reg.set(gone, clk.now().Add(time.Minute))
	for _, d := range []*device{dev, gone} {
		c := d.client(t, relay, presence.WithPrivacy(everyone))
		waitState(t, oc, d.id, presence.Online)
		_ = c.Close()
		waitState(t, oc, d.id, presence.Offline)
	}
	clk.add(2 * time.Hour) // past the retention; dev is still registered
	presence.Sweep(hub)
	if p := query(t, oc, dev.id); p.State != presence.Offline {
		t.Fatalf("registered device is %v after the retention, want offline", p.State)
	}
	if p := query(t, oc, gone.id); p.State != presence.Unknown {
		t.Fatalf("unregistered device is %v after the retention, want forgotten", p.State)
	}
	clk.add(2 * time.Hour) // dev's registration lapsed too
	presence.Sweep(hub)
	if p := query(t, oc, dev.id); p.State != presence.Unknown {
		t.Fatalf("device is %v once its registration lapsed, want forgotten", p.State)
	}
	if n := hub.Tracked(); n != 0 {
		t.Fatalf("%d accounts tracked, want none", n)
	}
}

func TestCodeErrorSaysWhatToDo(t *testing.T) {
	for code, want := range map[pb.ErrorCode]string{
		pb.ErrorCode_UNKNOWN_SENDER: "register",
		pb.ErrorCode_TOO_LARGE:      "watch fewer",
		pb.ErrorCode_RATE_LIMITED:   "try again later",
	} {
		if msg := (&presence.CodeError{Code: code}).Error(); !strings.Contains(msg, want) {
			t.Errorf("%v: %q does not say %q", code, msg, want)
		}
	}
}

func randomID() []byte {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return b
}
