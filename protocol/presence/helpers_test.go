package presence_test

import (
	"context"
	"crypto/rand"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-msgio"
	"go.uber.org/goleak"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/protocol/presence"
)

func TestMain(m *testing.M) {
	restore := presence.SetMinHeartbeat(time.Millisecond)
	code := m.Run()
	restore()
	if code == 0 {
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

// Test timing: devices heartbeat every 50 ms and the hub gives up after
// 1.5 s, so a loaded machine does not flap while offline detection stays
// quick.
const (
	testHeartbeat = 50 * time.Millisecond
	testTimeout   = 1500 * time.Millisecond
)

func newHost(t testing.TB) host.Host {
	t.Helper()
	h, err := libp2p.New(libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	return h
}

func connect(t testing.TB, a, b host.Host) {
	t.Helper()
	if err := a.Connect(context.Background(), peer.AddrInfo{ID: b.ID(), Addrs: b.Addrs()}); err != nil {
		t.Fatal(err)
	}
}

func newHub(t testing.TB, h host.Host, opts ...presence.HubOption) *presence.Hub {
	t.Helper()
	return newHubTimeout(t, h, testTimeout, opts...)
}

// newHubTimeout is newHub with another heartbeat timeout: tests whose
// devices send no heartbeats for a while (raw streams writing a burst)
// must not see them time out on a loaded machine.
func newHubTimeout(t testing.TB, h host.Host, timeout time.Duration, opts ...presence.HubOption) *presence.Hub {
	t.Helper()
	opts = append([]presence.HubOption{presence.WithHeartbeat(testHeartbeat), presence.WithTimeout(timeout)}, opts...)
	hub, err := presence.NewHub(h, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { hub.Close() })
	return hub
}

// device is one account's device host with its certificate.
type device struct {
	h       host.Host
	account *identity.Account
	id      identity.AccountID
	cert    *pb.Signed
}

func newDevice(t testing.TB, relay host.Host) *device {
	t.Helper()
	a, err := identity.NewAccount()
	if err != nil {
		t.Fatal(err)
	}
	return newDeviceOf(t, a, 1, relay)
}

func newDeviceOf(t testing.TB, a *identity.Account, id uint32, relay host.Host) *device {
	t.Helper()
	h := newHost(t)
	key := make([]byte, 33)
	key[0] = 0x05
	_, _ = rand.Read(key[1:])
	cert, err := a.IssueCertificate(id, h.ID(), key, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if relay != nil {
		connect(t, h, relay)
	}
	return &device{h: h, account: a, id: a.ID(), cert: cert}
}

func (d *device) client(t testing.TB, relay host.Host, opts ...presence.ClientOption) *presence.Client {
	t.Helper()
	opts = append([]presence.ClientOption{presence.WithBackoff(10*time.Millisecond, 100*time.Millisecond)}, opts...)
	c, err := presence.NewClient(d.h, relay.ID(), d.cert, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// eventually polls cond until it holds or 10 s pass.
func eventually(t testing.TB, cond func() bool, what string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// query asks through c, failing the test on error.
func query(t testing.TB, c *presence.Client, target identity.AccountID) presence.Presence {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	p, err := c.Query(ctx, target)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// waitState polls with queries until target shows state.
func waitState(t testing.TB, c *presence.Client, target identity.AccountID, want presence.State) presence.Presence {
	t.Helper()
	var p presence.Presence
	eventually(t, func() bool { p = query(t, c, target); return p.State == want }, "presence "+want.String())
	return p
}

// nextUpdate waits for the next update on sub.
func nextUpdate(t testing.TB, sub *presence.Subscription) presence.Presence {
	t.Helper()
	select {
	case p, ok := <-sub.Updates():
		if !ok {
			t.Fatal("subscription closed")
		}
		return p
	case <-time.After(10 * time.Second):
		t.Fatal("no update")
	}
	return presence.Presence{}
}

// waitUpdate reads updates on sub until target shows state.
func waitUpdate(t testing.TB, sub *presence.Subscription, target identity.AccountID, want presence.State) presence.Presence {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case p, ok := <-sub.Updates():
			if !ok {
				t.Fatal("subscription closed")
			}
			if p.Account == target && p.State == want {
				return p
			}
		case <-deadline:
			t.Fatalf("no update to %s", want)
		}
	}
}

// raw is a presence stream driven frame by frame.
type raw struct {
	t  testing.TB
	st network.Stream
	r  msgio.ReadCloser
}

func openRaw(t testing.TB, from host.Host, to peer.ID) *raw {
	t.Helper()
	st, err := from.NewStream(context.Background(), to, presence.ProtocolID)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Reset() })
	return &raw{t: t, st: st, r: msgio.NewVarintReaderSize(st, 1<<20)}
}

func (r *raw) send(f *pb.PresenceClientFrame) {
	r.t.Helper()
	if _, err := r.st.Write(presence.AppendFrame(nil, f)); err != nil {
		r.t.Fatal(err)
	}
}

func (r *raw) hello(cert *pb.Signed, announce bool, p *pb.PresencePrivacy) {
	r.t.Helper()
	r.send(&pb.PresenceClientFrame{Frame: &pb.PresenceClientFrame_Hello{Hello: &pb.PresenceHello{
		Certificate: cert, Announce: announce, Privacy: p,
	}}})
}

// read returns the next hub frame, or the error that ended the stream.
func (r *raw) read() (*pb.PresenceHubFrame, error) {
	_ = r.st.SetReadDeadline(time.Now().Add(10 * time.Second))
	b, err := r.r.ReadMsg()
	if err != nil {
		return nil, err
	}
	var f pb.PresenceHubFrame
	if err := proto.Unmarshal(b, &f); err != nil {
		r.t.Fatal(err)
	}
	return &f, nil
}

func (r *raw) welcome() {
	r.t.Helper()
	f, err := r.read()
	if err != nil {
		r.t.Fatal(err)
	}
	if f.GetWelcome() == nil {
		r.t.Fatalf("got %v, want welcome", f)
	}
}

// closedWith reads until the stream ends and returns the code the hub gave:
// from an error frame or from the stream reset.
func (r *raw) closedWith() network.StreamErrorCode {
	r.t.Helper()
	for {
		f, err := r.read()
		if err != nil {
			var se *network.StreamError
			if errors.As(err, &se) {
				return se.ErrorCode
			}
			r.t.Fatalf("stream ended without a code: %v", err)
		}
		if f.GetError() != pb.ErrorCode_OK {
			return presence.StreamErrorCodeBase + network.StreamErrorCode(f.GetError())
		}
	}
}
