package groupsync_test

import (
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/groupsync"
	"github.com/pigeon-net/pigeon/protocol/pb"
)

func mustMarshal(tb testing.TB, m proto.Message) []byte {
	tb.Helper()
	b, err := proto.Marshal(m)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func FuzzDecodeRequest(f *testing.F) {
	h := newHost(f)
	cert := certFor(f, h.ID())
	gid := make([]byte, 32)
	f.Add(mustMarshal(f, &pb.GroupSyncRequest{GroupId: gid, Certificate: cert,
		Body: &pb.GroupSyncRequest_Want{Want: &pb.GroupWant{Have: []*pb.GroupSenderSeq{{Account: make([]byte, 32), Device: 1, Seq: 3}}}}}))
	f.Add(mustMarshal(f, &pb.GroupSyncRequest{GroupId: gid, Certificate: cert,
		Body: &pb.GroupSyncRequest_Ops{Ops: &pb.GroupHeads{Heads: [][]byte{make([]byte, 32)}}}}))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		req, err := groupsync.DecodeRequest(b, h.ID())
		if err != nil {
			return
		}
		if req.Cert.PeerID != h.ID() || len(req.Want) > groupsync.MaxHave || len(req.Heads) > groupsync.MaxHeads {
			t.Fatalf("accepted a bad request: %+v", req)
		}
	})
}

func FuzzDecodeResponse(f *testing.F) {
	f.Add(mustMarshal(f, &pb.GroupSyncResponse{Envelopes: [][]byte{{1}}, Ops: []*pb.GroupOp{{Body: []byte{1}, Signature: []byte{2}}}, More: true}))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = groupsync.DecodeResponse(b)
	})
}
