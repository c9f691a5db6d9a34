package presence_test

import (
	"bytes"
	"crypto/ed25519"
	"encoding/binary"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-msgio"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/internal/streamtest"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/protocol/presence"
)

// seedPeerKey is the fixed key of the device the seed certificate names.
func seedPeerKey(tb testing.TB) crypto.PrivKey {
	tb.Helper()
	priv, err := crypto.UnmarshalEd25519PrivateKey(ed25519.NewKeyFromSeed(bytes.Repeat([]byte{9}, ed25519.SeedSize)))
	if err != nil {
		tb.Fatal(err)
	}
	return priv
}

// seedCert is a real certificate from fixed keys.
func seedCert(tb testing.TB) *pb.Signed {
	tb.Helper()
	a, err := identity.AccountFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize))
	if err != nil {
		tb.Fatal(err)
	}
	p, err := peer.IDFromPrivateKey(seedPeerKey(tb))
	if err != nil {
		tb.Fatal(err)
	}
	cert, err := a.IssueCertificate(1, p, append([]byte{5}, bytes.Repeat([]byte{3}, 32)...), time.UnixMilli(1_760_000_000_000))
	if err != nil {
		tb.Fatal(err)
	}
	return cert
}

func marshal(tb testing.TB, m proto.Message) []byte {
	tb.Helper()
	b, err := proto.Marshal(m)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func FuzzDecodeClientFrame(f *testing.F) {
	acc := bytes.Repeat([]byte{4}, 32)
	for _, m := range []*pb.PresenceClientFrame{
		{Frame: &pb.PresenceClientFrame_Hello{Hello: &pb.PresenceHello{Certificate: seedCert(f), Announce: true,
			Privacy: &pb.PresencePrivacy{Visibility: pb.PresenceVisibility_PRESENCE_VISIBILITY_CONTACTS, Allowed: [][]byte{acc, acc}}}}},
		{Frame: &pb.PresenceClientFrame_Hello{Hello: &pb.PresenceHello{Certificate: seedCert(f)}}},
		{Frame: &pb.PresenceClientFrame_Heartbeat{Heartbeat: &pb.PresenceHeartbeat{}}},
		{Frame: &pb.PresenceClientFrame_SetPrivacy{SetPrivacy: &pb.PresencePrivacy{Visibility: pb.PresenceVisibility_PRESENCE_VISIBILITY_EVERYONE}}},
		{Frame: &pb.PresenceClientFrame_Query{Query: &pb.PresenceQuery{RequestId: 7, Account: acc}}},
		{Frame: &pb.PresenceClientFrame_Subscribe{Subscribe: &pb.PresenceSubscribe{Accounts: [][]byte{acc}}}},
		{Frame: &pb.PresenceClientFrame_Subscribe{Subscribe: &pb.PresenceSubscribe{}}},
	} {
		f.Add(marshal(f, m))
	}
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		fr, err := presence.DecodeClientFrame(b)
		if err != nil {
			return
		}
		again, err := presence.DecodeClientFrame(marshal(t, fr))
		if err != nil {
			t.Fatalf("re-encoded frame does not decode: %v", err)
		}
		if !proto.Equal(fr, again) {
			t.Fatal("round trip changed the frame")
		}
	})
}

func FuzzDecodeHubFrame(f *testing.F) {
	acc := bytes.Repeat([]byte{4}, 32)
	for _, m := range []*pb.PresenceHubFrame{
		{Frame: &pb.PresenceHubFrame_Welcome{Welcome: &pb.PresenceWelcome{HeartbeatMs: 30000, TimeoutMs: 75000}}},
		{Frame: &pb.PresenceHubFrame_Result{Result: &pb.PresenceQueryResult{RequestId: 1, Info: &pb.PresenceInfo{
			Account: acc, State: pb.PresenceState_PRESENCE_STATE_OFFLINE, LastSeenMs: 1_760_000_000_000}}}},
		{Frame: &pb.PresenceHubFrame_Update{Update: &pb.PresenceInfo{Account: acc, State: pb.PresenceState_PRESENCE_STATE_ONLINE}}},
		{Frame: &pb.PresenceHubFrame_Update{Update: &pb.PresenceInfo{Account: acc}}},
		{Frame: &pb.PresenceHubFrame_Error{Error: pb.ErrorCode_MALFORMED}},
	} {
		b := marshal(f, m)
		if len(b) > presence.MaxHubFrameSize {
			f.Fatalf("seed of %d bytes over the limit", len(b))
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		fr, err := presence.DecodeHubFrame(b)
		if err != nil {
			return
		}
		again, err := presence.DecodeHubFrame(marshal(t, fr))
		if err != nil {
			t.Fatalf("re-encoded frame does not decode: %v", err)
		}
		if !proto.Equal(fr, again) {
			t.Fatal("round trip changed the frame")
		}
	})
}

// FuzzHubStream feeds arbitrary bytes to the hub's stream loop over a real
// connection from the device the seed certificate names. Whatever it
// reads, the hub must end the stream once the input has ended (a hang
// fails streamtest.Feed), write only frames that decode, and keep no
// watch of the stream after it.
func FuzzHubStream(f *testing.F) {
	pair := streamtest.NewPair(f, seedPeerKey(f))
	hub, err := presence.NewHub(pair.Server)
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { hub.Close() })
	acc := bytes.Repeat([]byte{4}, 32)
	frames := func(ms ...*pb.PresenceClientFrame) []byte {
		var b []byte
		for _, m := range ms {
			b = presence.AppendFrame(b, m)
		}
		return b
	}
	hello := func(announce bool) *pb.PresenceClientFrame {
		h := &pb.PresenceHello{Certificate: seedCert(f), Announce: announce}
		if announce {
			h.Privacy = &pb.PresencePrivacy{Visibility: pb.PresenceVisibility_PRESENCE_VISIBILITY_CONTACTS, Allowed: [][]byte{acc}}
		}
		return &pb.PresenceClientFrame{Frame: &pb.PresenceClientFrame_Hello{Hello: h}}
	}
	heartbeat := &pb.PresenceClientFrame{Frame: &pb.PresenceClientFrame_Heartbeat{Heartbeat: &pb.PresenceHeartbeat{}}}
	query := &pb.PresenceClientFrame{Frame: &pb.PresenceClientFrame_Query{Query: &pb.PresenceQuery{RequestId: 1, Account: acc}}}
	subscribe := &pb.PresenceClientFrame{Frame: &pb.PresenceClientFrame_Subscribe{Subscribe: &pb.PresenceSubscribe{Accounts: [][]byte{acc}}}}
	privacy := &pb.PresenceClientFrame{Frame: &pb.PresenceClientFrame_SetPrivacy{SetPrivacy: &pb.PresencePrivacy{
		Visibility: pb.PresenceVisibility_PRESENCE_VISIBILITY_EVERYONE}}}
	f.Add(frames(hello(true), heartbeat, query, subscribe, privacy))
	f.Add(frames(hello(false), subscribe, query, subscribe))
	f.Add(frames(hello(false), hello(false)))
	f.Add(frames(query))
	f.Add(binary.AppendUvarint(nil, presence.MaxClientFrameSize+1))
	f.Add([]byte{3, 0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, in []byte) {
		answer, _ := pair.Feed(t, presence.ProtocolID, in)
		r := msgio.NewVarintReaderSize(bytes.NewReader(answer), presence.MaxHubFrameSize)
		for {
			b, err := r.ReadMsg()
			if err != nil {
				break // the end, or a frame cut short by a reset
			}
			if _, err := presence.DecodeHubFrame(b); err != nil {
				t.Fatalf("hub wrote a bad frame: %v", err)
			}
		}
		// The hub forgets the stream's watches before it ends the stream,
		// unless its writer reset it first.
		for deadline := time.Now().Add(streamtest.HangLimit); hub.Watches() != 0; time.Sleep(time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("%d watches left after the stream ended", hub.Watches())
			}
		}
	})
}
