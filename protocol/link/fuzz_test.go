package link

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/binary"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-msgio"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/internal/streamtest"
	"github.com/pigeon-net/pigeon/protocol/pb"
)

// FuzzParseCode: whatever the text, ParseCode returns within its limits,
// and a code it accepts prints back as the same text (lower case, trimmed)
// and parses again to the same code.
func FuzzParseCode(f *testing.F) {
	c, err := NewCode(testAccountID(2), testPeer(f, 1), typicalAddrs(f), testTime)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(c.String())
	f.Add(c.QRText())
	bare, _ := NewCode(testAccountID(3), testPeer(f, 4), nil, testTime)
	f.Add(bare.String())
	f.Add(CodePrefix)
	f.Add(CodePrefix + "aaaa")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseCode(s)
		if err != nil {
			if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrTooLarge) {
				t.Fatalf("error %v wraps neither ErrMalformed nor ErrTooLarge", err)
			}
			return
		}
		if got, want := c.String(), strings.ToLower(strings.TrimSpace(s)); got != want {
			t.Fatalf("accepted %q, prints as %q", want, got)
		}
		if len(c.Addrs) > MaxCodeAddrs || len(c.encode()) > MaxCodeSize {
			t.Fatalf("accepted a code over the limits: %d addresses, %d bytes", len(c.Addrs), len(c.encode()))
		}
		again, err := ParseCode(c.String())
		if err != nil || again.String() != c.String() {
			t.Fatalf("does not parse again: %v", err)
		}
	})
}

// FuzzDecodeHello: a hello that decodes passes the field checks and
// survives a round trip.
func FuzzDecodeHello(f *testing.F) {
	id := newOfferID(&[32]byte{1})
	seed, _ := proto.Marshal(&pb.LinkHello{Offer: id[:], SignalIdentityKey: append([]byte{5}, make([]byte, 32)...), Name: "laptop", Platform: "linux", Proof: make([]byte, macSize)})
	f.Add(seed)
	f.Add([]byte{})
	f.Add([]byte{0x0a, 0x01, 0x00})
	f.Fuzz(func(t *testing.T, b []byte) {
		h, err := decodeHello(b)
		if err != nil {
			return
		}
		if len(h.GetOffer()) != offerIDSize || len(h.GetProof()) != macSize {
			t.Fatal("accepted a hello with bad sizes")
		}
		if err := checkDevice(h.GetSignalIdentityKey(), h.GetName(), h.GetPlatform()); err != nil {
			t.Fatalf("accepted a hello that fails checkDevice: %v", err)
		}
		raw, err := proto.Marshal(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := decodeHello(raw); err != nil {
			t.Fatalf("round trip: %v", err)
		}
	})
}

// FuzzDecodeServerFrame: a frame that decodes is one of the three kinds,
// within its limits, and survives a round trip.
func FuzzDecodeServerFrame(f *testing.F) {
	f.Add(marshalFrame(pending()))
	f.Add(marshalFrame(&pb.LinkServerFrame{Frame: &pb.LinkServerFrame_Refused{Refused: pb.LinkStatus_LINK_USED}}))
	f.Add(marshalFrame(grantFrame(Grant{DeviceID: 2, Certificate: []byte{1}, DeviceList: []byte{2}}, make([]byte, macSize))))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		fr, err := decodeServerFrame(b)
		if err != nil {
			return
		}
		if g := fr.GetGrant(); g != nil && (g.GetDeviceId() == 0 || len(g.GetMac()) != macSize || len(g.GetDeviceList()) > MaxServerFrameSize) {
			t.Fatal("accepted a bad grant")
		}
		if _, err := decodeServerFrame(marshalFrame(fr)); err != nil {
			t.Fatalf("round trip: %v", err)
		}
	})
}

// fuzzClientKey fixes the fuzzing client's peer ID, so the seeds can carry
// a hello with a valid proof.
func fuzzClientKey(tb testing.TB) crypto.PrivKey {
	k, err := crypto.UnmarshalEd25519PrivateKey(ed25519.NewKeyFromSeed(bytes.Repeat([]byte{42}, ed25519.SeedSize)))
	if err != nil {
		tb.Fatal(err)
	}
	return k
}

// FuzzServiceStream feeds arbitrary bytes to the /pigeon/link/1 handler
// over a real connection. Whatever it reads, it must end the stream once
// the input has ended (a hang fails streamtest.Feed), ask the user only
// about hellos whose proof verifies, and answer with at most two frames
// that decode: a pending, then a refusal.
func FuzzServiceStream(f *testing.F) {
	pair := streamtest.NewPair(f, fuzzClientKey(f))
	clk := newClock()
	offers := NewOffers(clk.Now)
	code, err := NewCode(testAccountID(2), pair.Server.ID(), nil, testTime.Add(time.Minute))
	if err != nil {
		f.Fatal(err)
	}
	if err := offers.Add(code); err != nil {
		f.Fatal(err)
	}
	svc, err := NewService(pair.Server, offers, func(_ context.Context, req Request) (Grant, error) {
		if req.Peer != pair.Client.ID() || req.Account != code.Account {
			panic("asked about a request that did not verify")
		}
		return Grant{}, errors.New("no") // the code stays open
	})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { svc.Close() })

	t := &transcript{account: code.Account, server: pair.Server.ID(), client: pair.Client.ID(), signalKey: append([]byte{5}, make([]byte, 32)...), name: "a"}
	id := newOfferID(&code.Secret)
	valid, _ := proto.Marshal(&pb.LinkHello{Offer: id[:], SignalIdentityKey: t.signalKey, Name: t.name, Proof: t.proof(&code.Secret)})
	frame := func(b []byte) []byte { return append(binary.AppendUvarint(nil, uint64(len(b))), b...) }
	f.Add(frame(valid))
	f.Add(append(frame(valid), 1, 2, 3))
	f.Add(frame(valid[:len(valid)-1]))
	f.Add(binary.AppendUvarint(nil, MaxHelloSize+1))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, in []byte) {
		answer, _ := pair.Feed(t, ProtocolID, in)
		r := msgio.NewVarintReaderSize(bytes.NewReader(answer), MaxServerFrameSize)
		var got []*pb.LinkServerFrame
		for {
			b, err := r.ReadMsg()
			if err != nil {
				break
			}
			fr, err := decodeServerFrame(b)
			if err != nil {
				t.Fatalf("service wrote a bad frame: %v", err)
			}
			got = append(got, fr)
		}
		switch {
		case len(got) > 2:
			t.Fatalf("%d frames", len(got))
		case len(got) == 2 && (got[0].GetPending() == nil || got[1].GetRefused() == pb.LinkStatus_LINK_STATUS_NONE):
			t.Fatalf("answer %v", got)
		case len(got) == 1 && got[0].GetRefused() == pb.LinkStatus_LINK_STATUS_NONE && got[0].GetPending() == nil:
			t.Fatalf("answer %v", got)
		}
	})
}

// FuzzJoinAnswer plays an existing device that answers a hello with
// arbitrary bytes and ends the stream: Join must return an error (no grant
// can carry a valid MAC), and within a bound.
func FuzzJoinAnswer(f *testing.F) {
	e := newExisting(f)
	code := e.code(f)
	d := newNewDevice(f)
	e.svc.Close()
	answers := make(chan []byte, 1)
	e.h.SetStreamHandler(ProtocolID, func(st network.Stream) {
		defer st.Reset()
		_ = st.SetDeadline(time.Now().Add(streamtest.HangLimit))
		if _, err := msgio.NewVarintReaderSize(st, MaxHelloSize).ReadMsg(); err != nil {
			return
		}
		if _, err := st.Write(<-answers); err != nil {
			return
		}
		_ = st.CloseWrite()
		_, _ = io.Copy(io.Discard, st)
	})
	f.Cleanup(func() { e.h.RemoveStreamHandler(ProtocolID) })
	f.Add(frames(pending()))
	f.Add(frames(pending(), grantFrame(Grant{DeviceID: 2, Certificate: []byte{1}, DeviceList: []byte{2}}, make([]byte, macSize))))
	f.Add(frames(&pb.LinkServerFrame{Frame: &pb.LinkServerFrame_Refused{Refused: pb.LinkStatus_LINK_DECLINED}}))
	f.Add([]byte{0x80})
	f.Fuzz(func(t *testing.T, in []byte) {
		answers <- in
		ctx, cancel := context.WithTimeout(context.Background(), streamtest.HangLimit)
		defer cancel()
		l, err := Join(ctx, d.h, code, d.req, nil)
		if err == nil || l != nil {
			t.Fatal("Join accepted an arbitrary answer")
		}
		if ctx.Err() != nil {
			t.Fatalf("Join did not return within %v of the answer's end", streamtest.HangLimit)
		}
		select {
		case <-answers: // the handler never took it: the stream failed first
		default:
		}
	})
}
