package presence_test

import (
	"bytes"
	"encoding/binary"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/network"

	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/protocol/presence"
)

func TestBadFramesCloseTheStream(t *testing.T) {
	relay := newHost(t)
	newHub(t, relay)
	dev := newDevice(t, relay)
	other := newDevice(t, nil)
	obs := newDevice(t, relay)
	oc := obs.client(t, relay)
	code := func(c pb.ErrorCode) network.StreamErrorCode {
		return presence.StreamErrorCodeBase + network.StreamErrorCode(c)
	}
	hello := func(r *raw) { r.hello(dev.cert, false, nil); r.welcome() }
	everyonePB := &pb.PresencePrivacy{Visibility: pb.PresenceVisibility_PRESENCE_VISIBILITY_EVERYONE}
	forged := &pb.Signed{Body: dev.cert.Body, Signature: bytes.Repeat([]byte{1}, 64)}

	for _, tc := range []struct {
		name string
		run  func(r *raw)
		want pb.ErrorCode
	}{
		{"oversized length", func(r *raw) {
			_, _ = r.st.Write(binary.AppendUvarint(nil, presence.MaxClientFrameSize+1))
		}, pb.ErrorCode_TOO_LARGE},
		{"overlong length", func(r *raw) {
			_, _ = r.st.Write([]byte{0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01})
		}, pb.ErrorCode_TOO_LARGE},
		{"garbage", func(r *raw) {
			_, _ = r.st.Write([]byte{3, 0xff, 0xff, 0xff})
		}, pb.ErrorCode_MALFORMED},
		{"empty frame", func(r *raw) { r.send(&pb.PresenceClientFrame{}) }, pb.ErrorCode_MALFORMED},
		{"query before hello", func(r *raw) {
			r.send(&pb.PresenceClientFrame{Frame: &pb.PresenceClientFrame_Query{Query: &pb.PresenceQuery{Account: make([]byte, 32)}}})
		}, pb.ErrorCode_MALFORMED},
		{"certificate of another peer", func(r *raw) { r.hello(other.cert, true, everyonePB) }, pb.ErrorCode_UNKNOWN_SENDER},
		{"forged certificate", func(r *raw) { r.hello(forged, true, everyonePB) }, pb.ErrorCode_UNKNOWN_SENDER},
		{"allowed without contacts", func(r *raw) {
			r.hello(dev.cert, true, &pb.PresencePrivacy{
				Visibility: pb.PresenceVisibility_PRESENCE_VISIBILITY_EVERYONE, Allowed: [][]byte{make([]byte, 32)},
			})
		}, pb.ErrorCode_MALFORMED},
		{"too many allowed", func(r *raw) {
			allowed := make([][]byte, presence.MaxAllowed+1)
			for i := range allowed {
				allowed[i] = make([]byte, 32)
			}
			r.hello(dev.cert, true, &pb.PresencePrivacy{Visibility: pb.PresenceVisibility_PRESENCE_VISIBILITY_CONTACTS, Allowed: allowed})
		}, pb.ErrorCode_TOO_LARGE},
		{"second hello", func(r *raw) { hello(r); r.hello(dev.cert, false, nil) }, pb.ErrorCode_MALFORMED},
		{"privacy without announcing", func(r *raw) {
			hello(r)
			r.send(&pb.PresenceClientFrame{Frame: &pb.PresenceClientFrame_SetPrivacy{SetPrivacy: everyonePB}})
		}, pb.ErrorCode_MALFORMED},
		{"short query account", func(r *raw) {
			hello(r)
			r.send(&pb.PresenceClientFrame{Frame: &pb.PresenceClientFrame_Query{Query: &pb.PresenceQuery{Account: make([]byte, 31)}}})
		}, pb.ErrorCode_MALFORMED},
		{"too many subscriptions", func(r *raw) {
			hello(r)
			accs := make([][]byte, presence.MaxSubscriptions+1)
			for i := range accs {
				accs[i] = make([]byte, 32)
			}
			r.send(&pb.PresenceClientFrame{Frame: &pb.PresenceClientFrame_Subscribe{Subscribe: &pb.PresenceSubscribe{Accounts: accs}}})
		}, pb.ErrorCode_TOO_LARGE},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := openRaw(t, dev.h, relay.ID())
			tc.run(r)
			if got := r.closedWith(); got != code(tc.want) {
				t.Fatalf("closed with %#x, want %#x (%v)", got, code(tc.want), tc.want)
			}
			// The hub keeps serving everyone else.
			if p := query(t, oc, obs.id); p.State != presence.Unknown {
				t.Fatalf("query after bad frame: %+v", p)
			}
		})
	}
}

// TestSlowSubscriberDoesNotBlockHub watches an account from a stream that
// never reads while the account's state changes thousands of times: the
// hub keeps answering everyone, a reading subscriber ends with the latest
// state, and the stuck stream is eventually reset.
func TestSlowSubscriberDoesNotBlockHub(t *testing.T) {
	relay := newHost(t)
	// The target's raw stream sends no heartbeats: under load, the test's
	// short timeout would take it offline before the burst is read.
	hub := newHubTimeout(t, relay, 5*time.Second)
	target := newDevice(t, relay)
	stuck := newDevice(t, relay)
	reader := newDevice(t, relay)
	rc := reader.client(t, relay)

	s := openRaw(t, stuck.h, relay.ID())
	s.hello(stuck.cert, false, nil)
	// It watches the target and thousands of other accounts, and asks
	// again and again: each answer is the state of every watched account,
	// more than the stream's flow-control window holds.
	watch := [][]byte{target.id[:]}
	for i := range presence.MaxSubscriptions - 1 {
		watch = append(watch, binary.BigEndian.AppendUint32(make([]byte, 28), uint32(i)))
	}
	for range 4 {
		s.send(&pb.PresenceClientFrame{Frame: &pb.PresenceClientFrame_Subscribe{Subscribe: &pb.PresenceSubscribe{Accounts: watch}}})
	}
	sub, err := rc.Subscribe([]identity.AccountID{target.id})
	if err != nil {
		t.Fatal(err)
	}

	tr := openRaw(t, target.h, relay.ID())
	tr.hello(target.cert, true, &pb.PresencePrivacy{Visibility: pb.PresenceVisibility_PRESENCE_VISIBILITY_EVERYONE})
	tr.welcome()
	// Toggle visibility 20,000 times in one write, ending hidden, then
	// visible again: every toggle is a change pushed to both watchers.
	const toggles = 20000
	var burst []byte
	for i := range toggles {
		v := pb.PresenceVisibility_PRESENCE_VISIBILITY_NOBODY
		if i%2 == 1 {
			v = pb.PresenceVisibility_PRESENCE_VISIBILITY_EVERYONE
		}
		burst = presence.AppendFrame(burst, &pb.PresenceClientFrame{Frame: &pb.PresenceClientFrame_SetPrivacy{
			SetPrivacy: &pb.PresencePrivacy{Visibility: v},
		}})
	}
	_ = tr.st.SetWriteDeadline(time.Now().Add(10 * time.Second))
	if _, err := tr.st.Write(burst); err != nil {
		t.Fatal(err)
	}
	// The target's last frame leaves it visible and online. Once a query
	// sees that, the hub has read the whole burst.
	waitState(t, rc, target.id, presence.Online)
	waitUpdate(t, sub, target.id, presence.Online)
	// The reading subscriber's final state is the latest even though it
	// was pushed thousands of changes.
	for drained := false; !drained; {
		select {
		case p := <-sub.Updates():
			if p.State != presence.Online {
				// an intermediate state still in flight; the latest must follow
				waitUpdate(t, sub, target.id, presence.Online)
			}
		default:
			drained = true
		}
	}
	// The target goes; the reader learns it at once, stuck or not.
	_ = tr.st.Close()
	waitUpdate(t, sub, target.id, presence.Offline)

	// The stuck stream's writes stayed blocked for the timeout: the hub
	// reset it.
	eventually(t, func() bool {
		for _, c := range relay.Network().ConnsToPeer(stuck.h.ID()) {
			for _, st := range c.GetStreams() {
				if st.Protocol() == presence.ProtocolID {
					return false
				}
			}
		}
		return true
	}, "stuck stream reset")
	if code := s.closedWith(); code != presence.StreamErrorTimeout {
		t.Fatalf("stuck stream closed with %#x, want timeout", code)
	}
	eventually(t, func() bool { return hub.Watches() == 1 }, "the stuck stream's watches forgotten")
}
