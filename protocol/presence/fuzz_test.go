package presence_test

import (
	"bytes"
	"crypto/ed25519"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/protocol/presence"
)

// seedCert is a real certificate from fixed keys.
func seedCert(tb testing.TB) *pb.Signed {
	tb.Helper()
	a, err := identity.AccountFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize))
	if err != nil {
		tb.Fatal(err)
	}
	priv, err := crypto.UnmarshalEd25519PrivateKey(ed25519.NewKeyFromSeed(bytes.Repeat([]byte{9}, ed25519.SeedSize)))
	if err != nil {
		tb.Fatal(err)
	}
	p, err := peer.IDFromPrivateKey(priv)
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
