package groupsync_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/pigeon-net/pigeon/protocol/groupsync"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/pb"
)

func newHost(tb testing.TB) host.Host {
	tb.Helper()
	h, err := libp2p.New(libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"), libp2p.DisableRelay())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = h.Close() })
	return h
}

func certFor(tb testing.TB, p peer.ID) *pb.Signed {
	tb.Helper()
	acct, err := identity.NewAccount()
	if err != nil {
		tb.Fatal(err)
	}
	key := make([]byte, 33)
	key[0] = 0x05
	c, err := acct.IssueCertificate(1, p, key, time.Now())
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

func connect(tb testing.TB, a, b host.Host) {
	tb.Helper()
	if err := a.Connect(context.Background(), peer.AddrInfo{ID: b.ID(), Addrs: b.Addrs()}); err != nil {
		tb.Fatal(err)
	}
}

func TestAskAndAnswer(t *testing.T) {
	server, client := newHost(t), newHost(t)
	connect(t, client, server)
	var got *groupsync.Request
	svc := groupsync.NewService(server, func(_ context.Context, req *groupsync.Request) *pb.GroupSyncResponse {
		got = req
		if req.Ops {
			return &pb.GroupSyncResponse{Code: pb.ErrorCode_UNKNOWN_SENDER}
		}
		return &pb.GroupSyncResponse{Envelopes: [][]byte{{1, 2, 3}}, More: true}
	}, nil)
	defer svc.Close()
	gid := make([]byte, 32)
	want := &pb.GroupSyncRequest{GroupId: gid, Certificate: certFor(t, client.ID()),
		Body: &pb.GroupSyncRequest_Want{Want: &pb.GroupWant{Have: []*pb.GroupSenderSeq{{Account: make([]byte, 32), Device: 1, Seq: 9}}}}}
	resp, err := groupsync.Ask(context.Background(), client, server.ID(), want)
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Envelopes) != 1 || !resp.More || got.Cert.PeerID != client.ID() || len(got.Want) != 1 || got.Want[0].Seq != 9 {
		t.Fatalf("answer %+v, request %+v", resp, got)
	}
	ops := &pb.GroupSyncRequest{GroupId: gid, Certificate: certFor(t, client.ID()),
		Body: &pb.GroupSyncRequest_Ops{Ops: &pb.GroupHeads{Heads: [][]byte{make([]byte, 32)}}}}
	var ce *groupsync.CodeError
	if _, err := groupsync.Ask(context.Background(), client, server.ID(), ops); !errors.As(err, &ce) || ce.Code != pb.ErrorCode_UNKNOWN_SENDER || !errors.Is(err, groupsync.ErrRefused) {
		t.Fatalf("refusal: %v", err)
	}
	if !got.Ops || len(got.Heads) != 1 {
		t.Fatalf("ops request: %+v", got)
	}
	join := &pb.GroupSyncRequest{GroupId: gid, Certificate: certFor(t, client.ID()),
		Body: &pb.GroupSyncRequest_Join{Join: &pb.GroupJoin{Account: make([]byte, 32), InviteKey: make([]byte, 32), InviteSignature: make([]byte, 64)}}}
	if _, err := groupsync.Ask(context.Background(), client, server.ID(), join); err != nil || got.Join == nil || got.Ops || got.Want != nil {
		t.Fatalf("join request: %v, %+v", err, got)
	}
	// A certificate of another peer is malformed: the handler never runs.
	got = nil
	stolen := &pb.GroupSyncRequest{GroupId: gid, Certificate: certFor(t, server.ID()), Body: want.Body}
	if _, err := groupsync.Ask(context.Background(), client, server.ID(), stolen); !errors.As(err, &ce) || ce.Code != pb.ErrorCode_MALFORMED || got != nil {
		t.Fatalf("stolen certificate: %v, handler ran: %v", err, got != nil)
	}
	huge := &pb.GroupSyncRequest{GroupId: gid, Certificate: certFor(t, client.ID()),
		Body: &pb.GroupSyncRequest_Ops{Ops: &pb.GroupHeads{Heads: make([][]byte, 3000)}}}
	if _, err := groupsync.Ask(context.Background(), client, server.ID(), huge); !errors.As(err, &ce) || ce.Code != pb.ErrorCode_TOO_LARGE {
		t.Fatalf("too many heads: %v", err)
	}
	huge.Body = &pb.GroupSyncRequest_Ops{Ops: &pb.GroupHeads{Heads: [][]byte{make([]byte, groupsync.MaxRequestSize)}}}
	if _, err := groupsync.Ask(context.Background(), client, server.ID(), huge); !errors.Is(err, groupsync.ErrTooLarge) {
		t.Fatalf("oversized request: %v", err)
	}
}

func TestDecodeRequestRejects(t *testing.T) {
	h := newHost(t)
	cert := certFor(t, h.ID())
	gid := make([]byte, 32)
	acct := make([]byte, 32)
	cases := map[string]*pb.GroupSyncRequest{
		"short group":   {GroupId: []byte{1}, Certificate: cert, Body: &pb.GroupSyncRequest_Ops{Ops: &pb.GroupHeads{}}},
		"no cert":       {GroupId: gid, Body: &pb.GroupSyncRequest_Ops{Ops: &pb.GroupHeads{}}},
		"no body":       {GroupId: gid, Certificate: cert},
		"short head":    {GroupId: gid, Certificate: cert, Body: &pb.GroupSyncRequest_Ops{Ops: &pb.GroupHeads{Heads: [][]byte{{1}}}}},
		"short account": {GroupId: gid, Certificate: cert, Body: &pb.GroupSyncRequest_Want{Want: &pb.GroupWant{Have: []*pb.GroupSenderSeq{{Account: []byte{1}, Device: 1}}}}},
		"device 0":      {GroupId: gid, Certificate: cert, Body: &pb.GroupSyncRequest_Want{Want: &pb.GroupWant{Have: []*pb.GroupSenderSeq{{Account: acct}}}}},
		"short join":    {GroupId: gid, Certificate: cert, Body: &pb.GroupSyncRequest_Join{Join: &pb.GroupJoin{Account: acct, InviteKey: acct, InviteSignature: acct}}},
	}
	for name, m := range cases {
		b := mustMarshal(t, m)
		if _, err := groupsync.DecodeRequest(b, h.ID()); !errors.Is(err, groupsync.ErrMalformed) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := groupsync.DecodeRequest([]byte{0xff}, h.ID()); !errors.Is(err, groupsync.ErrMalformed) {
		t.Errorf("garbage: %v", err)
	}
	if _, err := groupsync.DecodeRequest(make([]byte, groupsync.MaxRequestSize+1), h.ID()); !errors.Is(err, groupsync.ErrTooLarge) {
		t.Errorf("oversized: %v", err)
	}
}
