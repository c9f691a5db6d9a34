package link

import (
	"context"
	"errors"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"
	"go.mau.fi/libsignal/util/keyhelper"
	"go.uber.org/goleak"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/identity"
)

func TestMain(m *testing.M) {
	code := m.Run()
	if code == 0 {
		// Process-wide workers of dependencies, started once and kept.
		if err := goleak.Find(
			goleak.IgnoreAnyFunction("github.com/ipfs/go-log/v2/writer.(*MirrorWriter).logRoutine"),
			goleak.IgnoreAnyFunction("go.opencensus.io/stats/view.(*worker).start"),
			goleak.IgnoreAnyFunction("github.com/libp2p/go-libp2p/p2p/net/swarm.(*dialWorker).loop"),
		); err != nil {
			println("goroutine leak:", err.Error())
			code = 1
		}
	}
	os.Exit(code)
}

// testTime is the fake clock's start.
var testTime = time.Unix(1_760_000_000, 0)

// clock is an injectable clock.
type clock struct {
	mu sync.Mutex // guards t
	t  time.Time
}

func newClock() *clock { return &clock{t: testTime} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// newHost starts a libp2p host on loopback, closed when t ends.
func newHost(t testing.TB) host.Host {
	t.Helper()
	h, err := libp2p.New(libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"), libp2p.DisableRelay())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	return h
}

// signalKey returns a fresh Signal identity public key.
func signalKey(t testing.TB) []byte {
	t.Helper()
	kp, err := keyhelper.GenerateIdentityKeyPair()
	if err != nil {
		t.Fatal(err)
	}
	return kp.PublicKey().Serialize()
}

// existing is an existing device that holds the account key: a host
// serving the link protocol with a ConfirmFunc that does what the node's
// does (next device ID, certificate, new device list), and records the
// requests it saw.
type existing struct {
	h       host.Host
	account *identity.Account
	clock   *clock
	offers  *Offers
	svc     *Service

	mu       sync.Mutex // guards list, requests and answer
	list     *identity.DeviceList
	requests []Request
	// answer, when set, replaces the normal confirmation.
	answer func(ctx context.Context, req Request) (Grant, error)
}

// newExisting starts an existing device whose offers tell time with a
// fake clock (e.clock).
func newExisting(t testing.TB) *existing {
	t.Helper()
	c := newClock()
	return newExistingAt(t, c, c.Now)
}

// newExistingAt starts an existing device whose offers tell time with now.
func newExistingAt(t testing.TB, c *clock, now func() time.Time) *existing {
	t.Helper()
	acct, err := identity.NewAccount()
	if err != nil {
		t.Fatal(err)
	}
	e := &existing{h: newHost(t), account: acct, clock: c}
	cert := e.issue(t, 1, e.h.ID(), signalKey(t))
	e.list = &identity.DeviceList{Account: acct.ID(), Version: 1, Devices: []identity.Device{{Cert: cert}}}
	e.offers = NewOffers(now)
	e.svc, err = NewService(e.h, e.offers, e.confirm)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.svc.Close() })
	return e
}

func (e *existing) issue(t testing.TB, id uint32, p peer.ID, key []byte) *identity.Certificate {
	t.Helper()
	s, err := e.account.IssueCertificate(id, p, key, e.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	c, err := identity.VerifyCertificate(s)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// code makes a code for e, valid for DefaultCodeLifetime, and offers it.
func (e *existing) code(t testing.TB) Code {
	t.Helper()
	c, err := NewCode(e.account.ID(), e.h.ID(), e.h.Addrs(), e.clock.Now().Add(DefaultCodeLifetime))
	if err != nil {
		t.Fatal(err)
	}
	if err := e.offers.Add(c); err != nil {
		t.Fatal(err)
	}
	return c
}

func (e *existing) confirm(ctx context.Context, req Request) (Grant, error) {
	e.mu.Lock()
	e.requests = append(e.requests, req)
	answer := e.answer
	e.mu.Unlock()
	if answer != nil {
		return answer(ctx, req)
	}
	return e.grant(req)
}

// grant links the device of req: what a ConfirmFunc does on yes.
func (e *existing) grant(req Request) (Grant, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	next := uint32(1)
	for _, d := range e.list.Devices {
		next = max(next, d.Cert.DeviceID+1)
	}
	signed, err := e.account.IssueCertificate(next, req.Peer, req.SignalKey, e.clock.Now())
	if err != nil {
		return Grant{}, err
	}
	cert, err := identity.VerifyCertificate(signed)
	if err != nil {
		return Grant{}, err
	}
	l := &identity.DeviceList{Account: e.list.Account, Version: e.list.Version + 1, Devices: append(e.list.Devices[:len(e.list.Devices):len(e.list.Devices)], identity.Device{Cert: cert})}
	raw, err := e.account.SignDeviceList(l)
	if err != nil {
		return Grant{}, err
	}
	rawCert, err := proto.Marshal(signed)
	if err != nil {
		return Grant{}, err
	}
	e.list = l
	return Grant{DeviceID: next, Certificate: rawCert, DeviceList: raw}, nil
}

func (e *existing) setAnswer(f func(ctx context.Context, req Request) (Grant, error)) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.answer = f
}

func (e *existing) seen() []Request {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]Request(nil), e.requests...)
}

// newDevice is a device about to be linked: a host and its Signal key.
type newDevice struct {
	h   host.Host
	req JoinRequest
}

func newNewDevice(t testing.TB) *newDevice {
	t.Helper()
	return &newDevice{h: newHost(t), req: JoinRequest{SignalKey: signalKey(t), Name: "laptop", Platform: "linux"}}
}

// join runs Join with a bound and returns its result and the SAS it
// showed.
func (d *newDevice) join(t testing.TB, c Code) (*Linked, string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var sas string
	l, err := Join(ctx, d.h, c, d.req, func(s string) { sas = s })
	return l, sas, err
}

// eventually polls cond until it holds, failing t after a generous bound.
func eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func mustIs(t testing.TB, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("error %v, want %v", err, want)
	}
}

// streamsServed returns how many link streams s serves now.
func (s *Service) streamsServed() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.serving
}
