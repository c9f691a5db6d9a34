package node

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/delivery"
	"github.com/pigeon-net/pigeon/protocol/e2e"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

// pair starts two in-memory nodes, b bootstrapping from a.
func pair(t testing.TB) (a, b *Node) {
	t.Helper()
	start := func(opts ...Option) *Node {
		n, err := New(append([]Option{WithInMemory(), WithListenAddrs("/ip4/127.0.0.1/tcp/0"), WithRetryBackoff(10*time.Millisecond, 200*time.Millisecond)}, opts...)...)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := n.Start(ctx); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { n.Close() })
		return n
	}
	a = start()
	b = start(WithBootstrap(a.Info().Addrs[0].String()))
	return a, b
}

func eventually(t testing.TB, cond func() bool, msg string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for wait := time.Millisecond; !cond(); wait = min(2*wait, 50*time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("timed out: " + msg)
		}
		time.Sleep(wait)
	}
}

func countHistory(t *testing.T, n *Node, peer storage.Account) int {
	t.Helper()
	h, err := n.store.History(context.Background(), peer, storage.MessageID{}, 1000)
	if err != nil {
		t.Fatal(err)
	}
	return len(h)
}

// envelopeFor encrypts content from a to b by hand, as a misbehaving or
// replaying peer could.
func envelopeFor(t *testing.T, a, b *Node, content []byte, id storage.MessageID) *pb.Envelope {
	t.Helper()
	addr := e2e.Address{Account: b.self, Device: b.device}
	typ, ct, err := a.e2e.Encrypt(context.Background(), addr, content, nil)
	if err != nil {
		t.Fatal(err)
	}
	env := &pb.Envelope{MessageId: id[:], SenderAccount: a.self[:], SenderDevice: a.device,
		RecipientAccount: b.self[:], RecipientDevice: b.device, Type: typ, Ciphertext: ct}
	if typ == delivery.TypePreKeySignal {
		env.SenderCertificate = a.cert.Signed
	}
	return env
}

func textContent(id storage.MessageID, at time.Time, text string) *pb.Content {
	return &pb.Content{MessageId: id[:], SentAtMs: at.UnixMilli(), Body: &pb.Content_Text{Text: &pb.Text{Body: text}}}
}

func codeOf(err error) pb.ErrorCode {
	var ce *delivery.CodeError
	if errors.As(err, &ce) {
		return ce.Code
	}
	if err == nil {
		return pb.ErrorCode_OK
	}
	return -1
}

func TestBadEnvelopesChangeNothing(t *testing.T) {
	a, b := pair(t)
	ctx := context.Background()
	client := delivery.NewClient(a.host, slog.New(slog.DiscardHandler)) // a's, by hand
	t.Cleanup(client.Close)
	var first core.MessageID
	eventually(t, func() bool {
		var err error
		first, err = a.Chats().Send(ctx, account(b), "hello")
		return err == nil
	}, "send")
	eventually(t, func() bool { m, _ := a.store.Message(ctx, rt.ID(first)); return m.State == storage.Delivered }, "delivered")
	peer := storage.Account(a.self)

	// A genuine envelope, then the very same bytes again: the replay is
	// refused with REPLAY and stores nothing.
	now := time.Now()
	id := storage.NewMessageID(now)
	raw, err := rt.EncodeContent(textContent(id, now, "once"))
	if err != nil {
		t.Fatal(err)
	}
	env := envelopeFor(t, a, b, raw, id)
	if err := client.SendWait(ctx, b.host.ID(), env); err != nil {
		t.Fatal(err)
	}
	if n := countHistory(t, b, peer); n != 2 {
		t.Fatalf("history has %d messages, want 2", n)
	}
	if got := codeOf(client.SendWait(ctx, b.host.ID(), env)); got != pb.ErrorCode_REPLAY {
		t.Fatalf("replay acked %v, want REPLAY", got)
	}

	// A pipelined burst (handled as one batch) with a replay inside: the
	// envelopes before it are stored, the replay is refused with REPLAY and
	// the stream closes, so the one after it is not processed.
	var burst []*pb.Envelope
	for _, text := range []string{"burst 1", "burst 2"} {
		bid := storage.NewMessageID(now)
		raw, _ := rt.EncodeContent(textContent(bid, now, text))
		burst = append(burst, envelopeFor(t, a, b, raw, bid))
	}
	afterID := storage.NewMessageID(now)
	afterRaw, _ := rt.EncodeContent(textContent(afterID, now, "after the replay"))
	burst = append(burst, env, envelopeFor(t, a, b, afterRaw, afterID))
	calls, err := client.SendBatch(ctx, b.host.ID(), burst) // one stream, one write
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []pb.ErrorCode{pb.ErrorCode_OK, pb.ErrorCode_OK, pb.ErrorCode_REPLAY} {
		code, err := calls[i].Wait(ctx)
		if err != nil || code != want {
			t.Fatalf("burst envelope %d: %v %v, want %v", i, code, err, want)
		}
	}
	if _, err := calls[3].Wait(ctx); err == nil {
		t.Fatal("envelope after the replay was acked")
	}
	if n := countHistory(t, b, peer); n != 4 {
		t.Fatalf("history has %d messages after the burst, want 4", n)
	}
	if _, err := b.store.Message(ctx, afterID); err == nil {
		t.Fatal("envelope after the replay was stored")
	}

	// Content that does not decode: MALFORMED, and the session is rolled
	// back so the next genuine message still decrypts.
	bad := envelopeFor(t, a, b, []byte("not a protobuf \xff\xff"), storage.NewMessageID(now))
	if got := codeOf(client.SendWait(ctx, b.host.ID(), bad)); got != pb.ErrorCode_MALFORMED {
		t.Fatalf("bad content acked %v, want MALFORMED", got)
	}
	// Content whose ID differs from the envelope's.
	other := storage.NewMessageID(now)
	raw2, _ := rt.EncodeContent(textContent(other, now, "mismatch"))
	if got := codeOf(client.SendWait(ctx, b.host.ID(), envelopeFor(t, a, b, raw2, storage.NewMessageID(now)))); got != pb.ErrorCode_MALFORMED {
		t.Fatalf("id mismatch acked %v, want MALFORMED", got)
	}

	// Misaddressed.
	wrong := envelopeFor(t, a, b, raw, id)
	wrong.RecipientDevice = 9
	if got := codeOf(client.SendWait(ctx, b.host.ID(), wrong)); got != pb.ErrorCode_WRONG_RECIPIENT {
		t.Fatalf("misaddressed acked %v, want WRONG_RECIPIENT", got)
	}

	// A stranger's host claiming to be a's device.
	h, err := libp2p.New(libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"))
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	h.Peerstore().AddAddrs(b.host.ID(), b.host.Addrs(), time.Minute)
	stranger := delivery.NewClient(h, a.log)
	defer stranger.Close()
	forged := envelopeFor(t, a, b, raw, storage.NewMessageID(now))
	if got := codeOf(stranger.SendWait(ctx, b.host.ID(), forged)); got != pb.ErrorCode_UNKNOWN_SENDER {
		t.Fatalf("forged sender acked %v, want UNKNOWN_SENDER", got)
	}

	if n := countHistory(t, b, peer); n != 4 {
		t.Fatalf("history has %d messages after bad envelopes, want 4", n)
	}
	// The node still works.
	last, err := a.Chats().Send(ctx, account(b), "still here")
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, func() bool { m, _ := b.store.Message(ctx, rt.ID(last)); return m.Text == "still here" }, "message after bad envelopes")
}
