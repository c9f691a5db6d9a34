package relay_test

import (
	"context"
	"crypto/rand"
	"errors"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-msgio"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/node/nodetest"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/mailbox"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/protocol/presence"
)

// presenceDevice is a bare device host with a certificate, connected to
// the relay.
type presenceDevice struct {
	h    host.Host
	id   identity.AccountID
	cert *pb.Signed
}

func newPresenceDevice(t *testing.T, relay host.Host) *presenceDevice {
	t.Helper()
	h, err := libp2p.New(libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	if err := h.Connect(context.Background(), peer.AddrInfo{ID: relay.ID(), Addrs: relay.Addrs()}); err != nil {
		t.Fatal(err)
	}
	acct, err := identity.NewAccount()
	if err != nil {
		t.Fatal(err)
	}
	key := make([]byte, 33)
	key[0] = 0x05
	_, _ = rand.Read(key[1:])
	cert, err := acct.IssueCertificate(1, h.ID(), key, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return &presenceDevice{h: h, id: acct.ID(), cert: cert}
}

// announce says hello announcing the device on a raw stream and returns
// the error the hub closed it with (nil: welcomed).
func (d *presenceDevice) announce(t *testing.T, relay peer.ID) error {
	t.Helper()
	st, err := d.h.NewStream(context.Background(), relay, presence.ProtocolID)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Reset() })
	hello, err := proto.Marshal(&pb.PresenceClientFrame{Frame: &pb.PresenceClientFrame_Hello{Hello: &pb.PresenceHello{
		Certificate: d.cert, Announce: true,
		Privacy: &pb.PresencePrivacy{Visibility: pb.PresenceVisibility_PRESENCE_VISIBILITY_EVERYONE},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	_ = st.SetDeadline(time.Now().Add(10 * time.Second))
	if err := msgio.NewVarintWriter(st).WriteMsg(hello); err != nil {
		t.Fatal(err)
	}
	raw, err := msgio.NewVarintReaderSize(st, presence.MaxHubFrameSize).ReadMsg()
	if err != nil {
		var se *network.StreamError
		if errors.As(err, &se) {
			return &presence.CodeError{Code: pb.ErrorCode(se.ErrorCode - presence.StreamErrorCodeBase)}
		}
		return err
	}
	var f pb.PresenceHubFrame
	if err := proto.Unmarshal(raw, &f); err != nil {
		t.Fatal(err)
	}
	if f.GetError() != pb.ErrorCode_OK {
		return &presence.CodeError{Code: f.GetError()}
	}
	if f.GetWelcome() == nil {
		t.Fatalf("hub answered %v", &f)
	}
	return nil
}

// The relay's hub tracks only the devices registered there: a device
// without a mailbox registration may ask but not announce itself.
func TestPresenceOnlyForRegisteredDevices(t *testing.T) {
	r := startRelay(t)
	dev := newPresenceDevice(t, r.Host())
	var ce *presence.CodeError
	if err := dev.announce(t, r.Host().ID()); !errors.As(err, &ce) || ce.Code != pb.ErrorCode_UNKNOWN_SENDER {
		t.Fatalf("announce without a mailbox: %v, want UNKNOWN_SENDER", err)
	}

	obs := newPresenceDevice(t, r.Host())
	oc, err := presence.NewClient(obs.h, r.Host().ID(), obs.cert)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { oc.Close() })
	ask := func() presence.State {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		p, err := oc.Query(ctx, dev.id)
		if err != nil {
			t.Fatal(err)
		}
		return p.State
	}
	if s := ask(); s != presence.Unknown {
		t.Fatalf("unregistered device is %v", s)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := mailbox.Register(ctx, dev.h, r.Host().ID(), dev.cert, time.Hour); err != nil {
		t.Fatal(err)
	}
	if err := dev.announce(t, r.Host().ID()); err != nil {
		t.Fatalf("announce after registering: %v", err)
	}
	nodetest.Eventually(t, 10*time.Second, func() bool { return ask() == presence.Online }, "registered device online")
}
