package acctlog

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/binary"
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-msgio"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/pb"
)

// Fuzz targets for the stream framing of both sides: whatever a peer
// sends, the server reads at most the request frame and answers with
// frames that read back, the requester applies no more than announced and
// nothing unverified, and both end (a hang fails the target).

// hangAfter is how long one input may take before the target calls it a
// hang; inputs take microseconds.
const hangAfter = 10 * time.Second

// boundedStream serves its input, then EOF, counts what was read and
// keeps what was written.
type boundedStream struct {
	in   []byte
	read int
	out  bytes.Buffer
}

func (s *boundedStream) Read(p []byte) (int, error) {
	if s.read == len(s.in) {
		return 0, io.EOF
	}
	n := copy(p, s.in[s.read:])
	s.read += n
	return n, nil
}

func (s *boundedStream) Write(p []byte) (int, error)      { return s.out.Write(p) }
func (s *boundedStream) SetReadDeadline(time.Time) error  { return nil }
func (s *boundedStream) SetWriteDeadline(time.Time) error { return nil }

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

func varintFrame(tb testing.TB, m proto.Message) []byte {
	tb.Helper()
	b, err := proto.Marshal(m)
	if err != nil {
		tb.Fatal(err)
	}
	return append(binary.AppendUvarint(nil, uint64(len(b))), b...)
}

// fuzzLog is a fixed account with one device and three signed ops.
type fuzzLog struct {
	account identity.AccountID
	cert    *identity.Certificate
	ops     []StoredOp
}

func newFuzzLog(tb testing.TB) *fuzzLog {
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
	at := time.UnixMilli(1_760_000_000_000)
	signed, err := acct.IssueCertificate(1, p, append([]byte{5}, make([]byte, 32)...), at)
	if err != nil {
		tb.Fatal(err)
	}
	cert, err := identity.VerifyCertificate(signed)
	if err != nil {
		tb.Fatal(err)
	}
	l := &fuzzLog{account: acct.ID(), cert: cert}
	for s := uint64(1); s <= 3; s++ {
		op := &Op{Account: l.account, Device: 1, Seq: s, Lamport: s, At: at, Kind: "chats.read", Body: []byte{byte(s)}}
		if _, err := Sign(key, op); err != nil {
			tb.Fatal(err)
		}
		l.ops = append(l.ops, StoredOp{Seq: s, Raw: op.Raw})
	}
	return l
}

func (l *fuzzLog) Devices(context.Context) ([]uint32, error) { return []uint32{1}, nil }

func (l *fuzzLog) CountAfter(_ context.Context, _ uint32, after uint64) (int, error) {
	return len(l.ops) - int(min(after, uint64(len(l.ops)))), nil
}

func (l *fuzzLog) Range(_ context.Context, _ uint32, after uint64, limit, _ int) ([]StoredOp, error) {
	from := int(min(after, uint64(len(l.ops))))
	return l.ops[from:min(from+limit, len(l.ops))], nil
}

func (l *fuzzLog) certOf(d uint32) (Author, error) {
	if d != 1 {
		return Author{}, errors.New("no such device")
	}
	return Author{Cert: l.cert}, nil
}

func FuzzServe(f *testing.F) {
	l := newFuzzLog(f)
	f.Add(varintFrame(f, &pb.AcctLogRequest{Account: l.account[:], Have: []*pb.AcctLogHave{{Device: 1, Seq: 1}}}))
	f.Add(varintFrame(f, &pb.AcctLogRequest{Account: make([]byte, 32)}))
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0x0f}) // a length over the limit
	f.Add([]byte{0x05, 0x0a})                   // cut short
	f.Add([]byte{})
	s := &Service{cfg: Config{Account: l.account, Store: l, Authorize: func(peer.ID) bool { return true }}, log: slog.New(slog.DiscardHandler)}
	f.Fuzz(func(t *testing.T, in []byte) {
		st := &boundedStream{in: in}
		var err error
		withinDeadline(t, func() { err = s.serve(context.Background(), st, "") })
		n, k := binary.Uvarint(in)
		if end := k + int(min(n, uint64(len(in)))); k > 0 && st.read > max(end, binary.MaxVarintLen64) {
			t.Fatalf("read %d bytes of a request ending at %d", st.read, end)
		}
		if err != nil {
			return
		}
		// The answer is an error frame, or a start, batches and an end
		// with what the start announced.
		r := msgio.NewVarintReaderSize(bytes.NewReader(st.out.Bytes()), MaxFrameSize)
		first, err := readFrame(r)
		if err != nil {
			t.Fatalf("answer: %v", err)
		}
		if first.GetError() != nil {
			return
		}
		total, got := int(first.GetStart().GetTotal()), 0
		for {
			fr, err := readFrame(r)
			if err != nil {
				t.Fatalf("answer: %v", err)
			}
			if fr.GetEnd() != nil {
				break
			}
			got += len(fr.GetBatch().GetOps())
		}
		if got != total {
			t.Fatalf("announced %d ops, sent %d", total, got)
		}
	})
}

func FuzzReceive(f *testing.F) {
	l := newFuzzLog(f)
	start := varintFrame(f, &pb.AcctLogFrame{Frame: &pb.AcctLogFrame_Start{Start: &pb.AcctLogStart{Total: 3}}})
	batch := varintFrame(f, &pb.AcctLogFrame{Frame: &pb.AcctLogFrame_Batch{Batch: &pb.AcctLogBatch{Ops: [][]byte{l.ops[0].Raw, l.ops[1].Raw}}}})
	end := varintFrame(f, &pb.AcctLogFrame{Frame: &pb.AcctLogFrame_End{End: &pb.AcctLogEnd{}}})
	f.Add(append(append(append([]byte(nil), start...), batch...), end...))
	f.Add(append(append([]byte(nil), start...), batch...))
	f.Add(varintFrame(f, &pb.AcctLogFrame{Frame: &pb.AcctLogFrame_Error{Error: &pb.AcctLogError{Code: pb.ErrorCode_UNKNOWN_SENDER}}}))
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0x0f})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, in []byte) {
		applied := 0
		req := PullRequest{
			Account: l.account,
			CertOf:  l.certOf,
			Apply: func(_ context.Context, ops []*Op) error {
				for _, op := range ops {
					if _, err := OpenChain([][]byte{op.Raw}, l.certOf); err != nil {
						t.Fatalf("applied an op that does not verify: %v", err)
					}
				}
				applied += len(ops)
				return nil
			},
		}
		var n int
		var err error
		withinDeadline(t, func() { n, err = receive(context.Background(), &boundedStream{in: in}, func() {}, req) })
		if n != applied {
			t.Fatalf("reported %d ops, applied %d", n, applied)
		}
		if err == nil && n > 0 && len(in) == 0 {
			t.Fatal("applied ops from nothing")
		}
	})
}

// TestCanonicalIsMarshalSigned: the hand-built encoding of a signed op is
// protobuf's, and linkLen its op and signature fields.
func TestCanonicalIsMarshalSigned(t *testing.T) {
	big := make([]byte, 300)
	for _, c := range [][4][]byte{
		{nil, nil, nil, nil}, {[]byte("op"), nil, nil, nil}, {nil, make([]byte, 64), nil, nil},
		{big, make([]byte, 64), nil, nil}, {big, make([]byte, 64), []byte("body"), nil},
		{big, make([]byte, 64), nil, make([]byte, 32)},
	} {
		want, err := proto.MarshalOptions{Deterministic: true}.Marshal(&pb.SignedAccountOp{Op: c[0], Signature: c[1], Body: c[2], RedactedHash: c[3]})
		if err != nil {
			t.Fatal(err)
		}
		got := canonical(c[0], c[1], c[2], c[3])
		if !bytes.Equal(got, want) {
			t.Fatalf("canonical(%d, %d, %d, %d bytes) = %x, want %x", len(c[0]), len(c[1]), len(c[2]), len(c[3]), got, want)
		}
		if n := linkLen(c[0], c[1]); !bytes.Equal(got[:n], canonical(c[0], c[1], nil, nil)) {
			t.Fatalf("linkLen %d does not end the op and signature", n)
		}
	}
}
