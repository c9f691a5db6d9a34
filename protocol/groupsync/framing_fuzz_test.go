package groupsync

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/binary"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/pb"
)

// Fuzz targets for the stream framing of both sides: whatever a peer
// sends, one exchange reads at most one frame, never past it, answers
// with exactly one frame or gives up, and ends (a hang fails the target).

// hangAfter is how long one input may take before the target calls it a
// hang; inputs take microseconds.
const hangAfter = 10 * time.Second

// countingReader is a bounded stream: it serves its bytes, then EOF, and
// counts what was read.
type countingReader struct {
	b    []byte
	read int
}

func (r *countingReader) Read(p []byte) (int, error) {
	if r.read == len(r.b) {
		return 0, io.EOF
	}
	n := copy(p, r.b[r.read:])
	r.read += n
	return n, nil
}

// frameEnd returns where the first varint-length-delimited frame of b ends
// (0 when b holds no complete length).
func frameEnd(b []byte) int {
	n, k := binary.Uvarint(b)
	if k <= 0 {
		return 0
	}
	return k + int(min(n, uint64(len(b))))
}

func varintFrame(tb testing.TB, m proto.Message) []byte {
	tb.Helper()
	b, err := proto.Marshal(m)
	if err != nil {
		tb.Fatal(err)
	}
	return append(binary.AppendUvarint(nil, uint64(len(b))), b...)
}

// fuzzPeer is a fixed device: its peer ID and a certificate naming it.
func fuzzPeer(tb testing.TB) (peer.ID, *pb.Signed) {
	tb.Helper()
	acct, err := identity.AccountFromSeed(bytes.Repeat([]byte{1}, ed25519.SeedSize))
	if err != nil {
		tb.Fatal(err)
	}
	key, err := crypto.UnmarshalEd25519PrivateKey(ed25519.NewKeyFromSeed(bytes.Repeat([]byte{2}, ed25519.SeedSize)))
	if err != nil {
		tb.Fatal(err)
	}
	p, err := peer.IDFromPrivateKey(key)
	if err != nil {
		tb.Fatal(err)
	}
	cert, err := acct.IssueCertificate(1, p, append([]byte{5}, make([]byte, 32)...), time.UnixMilli(1_760_000_000_000))
	if err != nil {
		tb.Fatal(err)
	}
	return p, cert
}

// withinDeadline runs f and fails the target if it does not end.
func withinDeadline(t *testing.T, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
	case <-time.After(hangAfter):
		t.Fatal("hang")
	}
}

func FuzzServeExchange(f *testing.F) {
	from, cert := fuzzPeer(f)
	gid := make([]byte, 32)
	f.Add(varintFrame(f, &pb.GroupSyncRequest{GroupId: gid, Certificate: cert,
		Body: &pb.GroupSyncRequest_Want{Want: &pb.GroupWant{Have: []*pb.GroupSenderSeq{{Account: make([]byte, 32), Device: 1, Seq: 3}}}}}))
	f.Add(varintFrame(f, &pb.GroupSyncRequest{GroupId: gid, Certificate: cert,
		Body: &pb.GroupSyncRequest_Join{Join: &pb.GroupJoin{Account: make([]byte, 32), InviteKey: make([]byte, 32), InviteSignature: make([]byte, 64)}}}))
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0x0f}) // a length over the limit
	f.Add([]byte{0x05, 0x0a})                   // cut short
	f.Add([]byte{})
	s := &Service{log: slog.New(slog.DiscardHandler), handle: func(_ context.Context, req *Request) *pb.GroupSyncResponse {
		if req.Join != nil {
			return &pb.GroupSyncResponse{JoinAnswer: pb.GroupJoinAnswer_GROUP_JOIN_ADMITTED}
		}
		return &pb.GroupSyncResponse{Envelopes: [][]byte{{1}}, More: req.Ops}
	}}
	f.Fuzz(func(t *testing.T, in []byte) {
		r := &countingReader{b: in}
		var w bytes.Buffer
		var err error
		withinDeadline(t, func() { err = s.exchange(context.Background(), r, &w, from) })
		if end := frameEnd(in); r.read > max(end, binary.MaxVarintLen64) {
			t.Fatalf("read %d bytes of a frame ending at %d", r.read, end)
		}
		if err != nil {
			if w.Len() != 0 {
				t.Fatal("wrote an answer and reported an error")
			}
			return
		}
		out := &countingReader{b: w.Bytes()}
		if _, err := readResponse(out); err != nil || out.read != len(w.Bytes()) {
			t.Fatalf("answer does not read back as one frame: %v, %d of %d bytes", err, out.read, w.Len())
		}
	})
}

func FuzzReadResponse(f *testing.F) {
	f.Add(varintFrame(f, &pb.GroupSyncResponse{Envelopes: [][]byte{{1}}, Ops: []*pb.GroupOp{{Body: []byte{1}, Signature: []byte{2}}}, More: true}))
	f.Add(varintFrame(f, &pb.GroupSyncResponse{JoinAnswer: pb.GroupJoinAnswer_GROUP_JOIN_REVOKED}))
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0x0f})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, in []byte) {
		r := &countingReader{b: in}
		withinDeadline(t, func() { _, _ = readResponse(r) })
		if end := frameEnd(in); r.read > max(end, binary.MaxVarintLen64) {
			t.Fatalf("read %d bytes of a frame ending at %d", r.read, end)
		}
	})
}
