package delivery_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-msgio"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/delivery"
	"github.com/pigeon-net/pigeon/protocol/pb"
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

func envelope(i byte) *pb.Envelope {
	id := make([]byte, 16)
	id[15] = i
	return &pb.Envelope{
		MessageId:        id,
		SenderAccount:    bytes.Repeat([]byte{1}, 32),
		SenderDevice:     1,
		RecipientAccount: bytes.Repeat([]byte{2}, 32),
		RecipientDevice:  1,
		Type:             delivery.TypeSignal,
		Ciphertext:       bytes.Repeat([]byte{i}, 200),
	}
}

var discard = slog.New(slog.DiscardHandler)

// each turns a one-envelope handler into a Handler that stops at the first
// fatal code.
func each(h func(context.Context, peer.ID, *pb.Envelope) pb.ErrorCode) delivery.Handler {
	return func(ctx context.Context, p peer.ID, envs []*pb.Envelope) []pb.ErrorCode {
		var codes []pb.ErrorCode
		for _, env := range envs {
			code := h(ctx, p, env)
			codes = append(codes, code)
			if delivery.Fatal(code) {
				break
			}
		}
		return codes
	}
}

func TestPipelinedInOrder(t *testing.T) {
	a, b := newHost(t), newHost(t)
	connect(t, a, b)
	var got []byte
	var from atomic.Value
	srv := delivery.NewService(b, each(func(ctx context.Context, p peer.ID, env *pb.Envelope) pb.ErrorCode {
		from.Store(p)
		got = append(got, env.MessageId[15])
		if env.MessageId[15] == 7 {
			return pb.ErrorCode_INTERNAL // not fatal: stream stays
		}
		return pb.ErrorCode_OK
	}), discard)
	defer srv.Close()
	c := delivery.NewClient(a, discard)
	defer c.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var calls []*delivery.Call
	for i := range byte(100) {
		call, err := c.Send(ctx, b.ID(), envelope(i))
		if err != nil {
			t.Fatal(err)
		}
		calls = append(calls, call)
	}
	for i, call := range calls {
		code, err := call.Wait(ctx)
		if err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
		want := pb.ErrorCode_OK
		if i == 7 {
			want = pb.ErrorCode_INTERNAL
		}
		if code != want {
			t.Fatalf("call %d: code %v, want %v", i, code, want)
		}
	}
	for i, v := range got {
		if int(v) != i {
			t.Fatalf("handled out of order at %d: %d", i, v)
		}
	}
	if from.Load().(peer.ID) != a.ID() {
		t.Fatal("handler saw wrong peer")
	}
}

// TestStorageFullKeepsStream: a receiver short of disk space answers
// every envelope STORAGE_FULL on a stream that stays open, so the sender
// keeps each one pending (and does not take a reset for an unreachable
// device).
func TestStorageFullKeepsStream(t *testing.T) {
	a, b := newHost(t), newHost(t)
	connect(t, a, b)
	var handled atomic.Int32
	srv := delivery.NewService(b, each(func(ctx context.Context, p peer.ID, env *pb.Envelope) pb.ErrorCode {
		handled.Add(1)
		return pb.ErrorCode_STORAGE_FULL
	}), discard)
	defer srv.Close()
	c := delivery.NewClient(a, discard)
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var calls []*delivery.Call
	for i := range byte(10) {
		call, err := c.Send(ctx, b.ID(), envelope(i))
		if err != nil {
			t.Fatal(err)
		}
		calls = append(calls, call)
	}
	for i, call := range calls {
		code, err := call.Wait(ctx)
		if err != nil || code != pb.ErrorCode_STORAGE_FULL {
			t.Fatalf("call %d: %v %v, want code STORAGE_FULL", i, code, err)
		}
	}
	if handled.Load() != 10 {
		t.Fatalf("handled %d of 10", handled.Load())
	}
}

func TestFatalCodeResetsStream(t *testing.T) {
	a, b := newHost(t), newHost(t)
	connect(t, a, b)
	var handled atomic.Int32
	srv := delivery.NewService(b, each(func(ctx context.Context, p peer.ID, env *pb.Envelope) pb.ErrorCode {
		handled.Add(1)
		if env.MessageId[15] == 1 {
			return pb.ErrorCode_REPLAY
		}
		return pb.ErrorCode_OK
	}), discard)
	defer srv.Close()
	c := delivery.NewClient(a, discard)
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	err := c.SendWait(ctx, b.ID(), envelope(1))
	var ce *delivery.CodeError
	if !errors.As(err, &ce) || ce.Code != pb.ErrorCode_REPLAY {
		t.Fatalf("got %v, want REPLAY code error", err)
	}
	// The client opens a fresh stream and the service keeps serving.
	if err := c.SendWait(ctx, b.ID(), envelope(2)); err != nil {
		t.Fatalf("after reset: %v", err)
	}
	if handled.Load() != 2 {
		t.Fatalf("handled %d", handled.Load())
	}
}

// rawStream writes frames by hand, as a misbehaving peer would.
func rawStream(t *testing.T, a, b host.Host) network.Stream {
	t.Helper()
	s, err := a.NewStream(context.Background(), b.ID(), delivery.ProtocolID)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Reset() })
	_ = s.SetDeadline(time.Now().Add(10 * time.Second))
	return s
}

func TestMalformedAndOversizedFrames(t *testing.T) {
	a, b := newHost(t), newHost(t)
	connect(t, a, b)
	var handled atomic.Int32
	srv := delivery.NewService(b, each(func(ctx context.Context, p peer.ID, env *pb.Envelope) pb.ErrorCode {
		handled.Add(1)
		return pb.ErrorCode_OK
	}), discard)
	defer srv.Close()

	// Garbage frame: acked MALFORMED, then the stream is reset.
	s := rawStream(t, a, b)
	w := msgio.NewVarintWriter(s)
	if err := w.WriteMsg([]byte{0xff, 0xff, 0xff}); err != nil {
		t.Fatal(err)
	}
	r := msgio.NewVarintReaderSize(s, 1024)
	frame, err := r.ReadMsg()
	if err != nil {
		t.Fatal(err)
	}
	ack, err := delivery.DecodeAck(frame)
	if err != nil || ack.Code != pb.ErrorCode_MALFORMED {
		t.Fatalf("ack %v %v, want MALFORMED", ack, err)
	}
	if _, err := r.ReadMsg(); !errors.Is(err, io.EOF) {
		t.Fatalf("after MALFORMED ack: %v, want EOF", err)
	}

	// Valid protobuf with a bad field.
	s = rawStream(t, a, b)
	bad := envelope(3)
	bad.SenderAccount = []byte{1}
	raw, _ := proto.Marshal(bad)
	if err := msgio.NewVarintWriter(s).WriteMsg(raw); err != nil {
		t.Fatal(err)
	}
	frame, err = msgio.NewVarintReaderSize(s, 1024).ReadMsg()
	if err != nil {
		t.Fatal(err)
	}
	if ack, err := delivery.DecodeAck(frame); err != nil || ack.Code != pb.ErrorCode_MALFORMED {
		t.Fatalf("ack %v %v, want MALFORMED", ack, err)
	}

	// Oversized length prefix: the stream is reset with TOO_LARGE.
	s = rawStream(t, a, b)
	// Only the length prefix: the service must reject before reading the body.
	prefix := binary.AppendUvarint(nil, delivery.MaxFrameSize+1)
	if _, err := s.Write(append(prefix, 0, 0, 0)); err != nil {
		t.Fatal(err)
	}
	frame, err = msgio.NewVarintReaderSize(s, 1024).ReadMsg()
	if err != nil {
		t.Fatal(err)
	}
	if ack, err := delivery.DecodeAck(frame); err != nil || ack.Code != pb.ErrorCode_TOO_LARGE {
		t.Fatalf("ack %v %v, want TOO_LARGE", ack, err)
	}

	if handled.Load() != 0 {
		t.Fatalf("handler saw %d bad frames", handled.Load())
	}
	// The service still serves good envelopes.
	c := delivery.NewClient(a, discard)
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := c.SendWait(ctx, b.ID(), envelope(4)); err != nil {
		t.Fatal(err)
	}
}

func FuzzDecodeEnvelope(f *testing.F) {
	good, _ := proto.Marshal(envelope(1))
	f.Add(good)
	f.Add([]byte{})
	f.Add([]byte{0x0a, 0x10})
	f.Fuzz(func(t *testing.T, b []byte) {
		env, err := delivery.DecodeEnvelope(b)
		if err == nil {
			if delivery.CheckEnvelope(env) != nil {
				t.Fatal("decoded envelope fails its own check")
			}
		}
	})
}

func FuzzDecodeAck(f *testing.F) {
	good, _ := proto.Marshal(&pb.EnvelopeAck{MessageId: make([]byte, 16), Code: pb.ErrorCode_REPLAY})
	f.Add(good)
	f.Add([]byte{0x10, 0xff})
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = delivery.DecodeAck(b)
	})
}

// A peer that stops acking (a process killed without closing its
// connection) fails the envelopes in flight after the ack timeout instead
// of holding them until the caller's deadline.
func TestNoAckFailsStream(t *testing.T) {
	defer delivery.SetAckTimeout(200 * time.Millisecond)()
	a, b := newHost(t), newHost(t)
	connect(t, a, b)
	release := make(chan struct{})
	srv := delivery.NewService(b, each(func(ctx context.Context, p peer.ID, env *pb.Envelope) pb.ErrorCode {
		select {
		case <-release:
		case <-ctx.Done():
		}
		return pb.ErrorCode_OK
	}), discard)
	defer srv.Close()
	defer close(release)
	c := delivery.NewClient(a, discard)
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err := c.SendWait(ctx, b.ID(), envelope(1))
	if !errors.Is(err, delivery.ErrStreamBroken) {
		t.Fatalf("got %v, want ErrStreamBroken", err)
	}
	if ctx.Err() != nil {
		t.Fatal("waited for the caller's deadline")
	}
}

// An envelope naming an older device list of the recipient is accepted,
// and its ack carries the recipient's current version; one naming the
// current version, a newer one or none gets no version back.
func TestAckCarriesNewerListVersion(t *testing.T) {
	a, b := newHost(t), newHost(t)
	connect(t, a, b)
	srv := delivery.NewService(b, each(func(context.Context, peer.ID, *pb.Envelope) pb.ErrorCode { return pb.ErrorCode_OK }),
		discard, delivery.WithListVersion(func() uint64 { return 10 }))
	defer srv.Close()
	c := delivery.NewClient(a, discard)
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for i, tc := range []struct{ named, want uint64 }{{9, 10}, {10, 0}, {11, 0}, {0, 0}} {
		env := envelope(byte(i))
		env.RecipientListVersion = tc.named
		call, err := c.Send(ctx, b.ID(), env)
		if err != nil {
			t.Fatal(err)
		}
		if code, err := call.Wait(ctx); err != nil || code != pb.ErrorCode_OK {
			t.Fatalf("named %d: %v %v", tc.named, code, err)
		}
		if got := call.ListVersion(); got != tc.want {
			t.Fatalf("named %d: ack says %d, want %d", tc.named, got, tc.want)
		}
	}
}
