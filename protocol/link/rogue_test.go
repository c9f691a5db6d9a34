package link

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-msgio"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/internal/streamtest"
	"github.com/pigeon-net/pigeon/protocol/pb"
)

// rogue serves ProtocolID on e's host in place of the Service: it reads
// the hello, checks it as the service would, and answers with what frames
// returns, MAC'd with the code's secret unless the frame says otherwise.
func (e *existing) rogue(t *testing.T, code Code, frames func(req Request, mac func(*Grant) []byte) []*pb.LinkServerFrame) {
	t.Helper()
	e.svc.Close()
	e.h.SetStreamHandler(ProtocolID, func(st network.Stream) {
		defer st.Reset()
		_ = st.SetDeadline(time.Now().Add(time.Minute))
		b, err := msgio.NewVarintReaderSize(st, MaxHelloSize).ReadMsg()
		if err != nil {
			t.Errorf("rogue: read hello: %v", err)
			return
		}
		hello, err := decodeHello(b)
		if err != nil {
			t.Errorf("rogue: %v", err)
			return
		}
		tr := &transcript{
			account: code.Account, server: e.h.ID(), client: st.Conn().RemotePeer(),
			signalKey: hello.GetSignalIdentityKey(), name: hello.GetName(), platform: hello.GetPlatform(),
		}
		if !bytes.Equal(hello.GetProof(), tr.proof(&code.Secret)) {
			t.Error("rogue: bad proof")
			return
		}
		req := Request{Account: code.Account, Peer: tr.client, SignalKey: tr.signalKey, Name: tr.name, Platform: tr.platform}
		w := msgio.NewVarintWriter(st)
		for _, f := range frames(req, func(g *Grant) []byte { return tr.grantMAC(&code.Secret, g) }) {
			if err := w.WriteMsg(marshalFrame(f)); err != nil {
				return
			}
		}
		_ = st.CloseWrite()
		_, _ = io.Copy(io.Discard, st) // until Join ends the stream
	})
	t.Cleanup(func() { e.h.RemoveStreamHandler(ProtocolID) })
}

func pending() *pb.LinkServerFrame {
	return &pb.LinkServerFrame{Frame: &pb.LinkServerFrame_Pending{Pending: &pb.LinkPending{}}}
}

func grantFrame(g Grant, mac []byte) *pb.LinkServerFrame {
	return &pb.LinkServerFrame{Frame: &pb.LinkServerFrame_Grant{Grant: &pb.LinkGrant{
		DeviceId: g.DeviceID, Certificate: g.Certificate, DeviceList: g.DeviceList, Mac: mac,
	}}}
}

// A new device accepts nothing from an existing device whose grant does
// not make it, with its own Signal key, a device of the code's account, in
// a device list of that account, under a MAC of the code's secret.
func TestJoinRefusesBadGrants(t *testing.T) {
	other := newExisting(t) // another account
	for _, tc := range []struct {
		name string
		// grant returns the grant to send for req (e grants normally).
		grant func(e *existing, req Request) Grant
		// mac, when set, replaces the right MAC.
		mac  func(right []byte) []byte
		skip bool // no pending frame first
		want string
	}{
		{name: "valid (control)", grant: func(e *existing, req Request) Grant { return mustGrant(t, e, req) }},
		{name: "certificate for another peer", want: "peer", grant: func(e *existing, req Request) Grant {
			req.Peer = other.h.ID()
			return mustGrant(t, e, req)
		}},
		{name: "certificate for another signal key", want: "signal identity key", grant: func(e *existing, req Request) Grant {
			req.SignalKey = signalKey(t)
			return mustGrant(t, e, req)
		}},
		{name: "another account", want: "account", grant: func(_ *existing, req Request) Grant {
			return mustGrant(t, other, req)
		}},
		{name: "certificate of the account, list of another", want: "account", grant: func(e *existing, req Request) Grant {
			g := mustGrant(t, e, req)
			g.DeviceList = mustGrant(t, other, req).DeviceList
			return g
		}},
		{name: "list without the certificate", want: "does not list", grant: func(e *existing, req Request) Grant {
			g := mustGrant(t, e, req)
			raw, err := e.account.SignDeviceList(&identity.DeviceList{Version: 9, Devices: e.list.Devices[:1]})
			if err != nil {
				t.Fatal(err)
			}
			g.DeviceList = raw
			return g
		}},
		{name: "device id not the certificate's", want: "device", grant: func(e *existing, req Request) Grant {
			g := mustGrant(t, e, req)
			g.DeviceID = 7
			return g
		}},
		{name: "tampered certificate", want: "signature", grant: func(e *existing, req Request) Grant {
			g := mustGrant(t, e, req)
			var s pb.Signed
			if err := proto.Unmarshal(g.Certificate, &s); err != nil {
				t.Fatal(err)
			}
			s.Signature[0] ^= 1
			g.Certificate, _ = proto.Marshal(&s)
			return g
		}},
		{name: "tampered mac", want: "mac", grant: func(e *existing, req Request) Grant { return mustGrant(t, e, req) },
			mac: func(right []byte) []byte { m := bytes.Clone(right); m[0] ^= 1; return m }},
		{name: "mac under another key", want: "mac", grant: func(e *existing, req Request) Grant { return mustGrant(t, e, req) },
			mac: func(right []byte) []byte { return make([]byte, macSize) }},
		{name: "grant before pending", want: "before", skip: true, grant: func(e *existing, req Request) Grant { return mustGrant(t, e, req) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newExisting(t)
			code := e.code(t)
			e.rogue(t, code, func(req Request, mac func(*Grant) []byte) []*pb.LinkServerFrame {
				g := tc.grant(e, req)
				m := mac(&g)
				if tc.mac != nil {
					m = tc.mac(m)
				}
				if tc.skip {
					return []*pb.LinkServerFrame{grantFrame(g, m)}
				}
				return []*pb.LinkServerFrame{pending(), grantFrame(g, m)}
			})
			linked, _, err := newNewDevice(t).join(t, code)
			if tc.want == "" {
				if err != nil || linked == nil {
					t.Fatalf("valid grant refused: %v", err)
				}
				return
			}
			if !errors.Is(err, ErrBadGrant) || !strings.Contains(err.Error(), tc.want) || linked != nil {
				t.Fatalf("error %v, want %v mentioning %q", err, ErrBadGrant, tc.want)
			}
		})
	}
}

func mustGrant(t *testing.T, e *existing, req Request) Grant {
	t.Helper()
	g, err := e.grant(req)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// rawRogue answers every hello on e's host with the bytes answer, then
// ends the stream.
func (e *existing) rawRogue(t *testing.T, answer []byte) {
	t.Helper()
	e.svc.Close()
	e.h.SetStreamHandler(ProtocolID, func(st network.Stream) {
		defer st.Reset()
		_ = st.SetDeadline(time.Now().Add(time.Minute))
		if _, err := msgio.NewVarintReaderSize(st, MaxHelloSize).ReadMsg(); err != nil {
			return
		}
		if _, err := st.Write(answer); err != nil {
			return
		}
		_ = st.CloseWrite()
		_, _ = io.Copy(io.Discard, st)
	})
	t.Cleanup(func() { e.h.RemoveStreamHandler(ProtocolID) })
}

// frames encodes server frames as they go on the wire.
func frames(fs ...*pb.LinkServerFrame) []byte {
	var b []byte
	for _, f := range fs {
		raw := marshalFrame(f)
		b = binary.AppendUvarint(b, uint64(len(raw)))
		b = append(b, raw...)
	}
	return b
}

// Answers that break the protocol end Join with an error naming the
// problem: an oversized frame, garbage, an unknown status, a second
// pending, a stream that ends early.
func TestJoinBadAnswers(t *testing.T) {
	refused := func(s pb.LinkStatus) *pb.LinkServerFrame {
		return &pb.LinkServerFrame{Frame: &pb.LinkServerFrame_Refused{Refused: s}}
	}
	for _, tc := range []struct {
		name   string
		answer []byte
		want   error
	}{
		{"oversized", binary.AppendUvarint(nil, MaxServerFrameSize+1), ErrTooLarge},
		{"oversized after pending", append(frames(pending()), binary.AppendUvarint(nil, MaxServerFrameSize+1)...), ErrTooLarge},
		{"garbage", []byte{3, 0xff, 0xff, 0xff}, ErrMalformed},
		{"empty frame", []byte{0}, ErrMalformed},
		{"unknown status", frames(refused(99)), ErrMalformed},
		{"status none", frames(refused(pb.LinkStatus_LINK_STATUS_NONE)), ErrMalformed},
		{"pending twice", frames(pending(), pending()), ErrMalformed},
		{"grant without mac", frames(pending(), grantFrame(Grant{DeviceID: 2, Certificate: []byte{1}, DeviceList: []byte{1}}, nil)), ErrMalformed},
		{"ends at once", nil, io.EOF},
		{"ends after pending", frames(pending()), io.EOF},
		{"refused after pending", frames(pending(), refused(pb.LinkStatus_LINK_DECLINED)), ErrDeclined},
		{"internal", frames(refused(pb.LinkStatus_LINK_INTERNAL)), ErrRefused},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newExisting(t)
			code := e.code(t)
			e.rawRogue(t, tc.answer)
			_, _, err := newNewDevice(t).join(t, code)
			mustIs(t, err, tc.want)
		})
	}
}

// The service refuses hellos it cannot read with a status saying why, and
// ends the stream.
func TestServiceBadHellos(t *testing.T) {
	pair := streamtest.NewPair(t, nil)
	offers := NewOffers(newClock().Now)
	svc, err := NewService(pair.Server, offers, func(context.Context, Request) (Grant, error) {
		t.Error("confirm called for a bad hello")
		return Grant{}, ErrDeclined
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { svc.Close() })
	code, err := NewCode(testAccountID(2), pair.Server.ID(), nil, testTime.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if err := offers.Add(code); err != nil {
		t.Fatal(err)
	}
	hello := func(edit func(h *pb.LinkHello)) []byte {
		id := newOfferID(&code.Secret)
		h := &pb.LinkHello{Offer: id[:], SignalIdentityKey: append([]byte{5}, make([]byte, 32)...), Name: "x", Proof: make([]byte, macSize)}
		edit(h)
		raw, _ := proto.Marshal(h)
		return append(binary.AppendUvarint(nil, uint64(len(raw))), raw...)
	}
	for _, tc := range []struct {
		name string
		in   []byte
		want pb.LinkStatus
	}{
		{"oversized", binary.AppendUvarint(nil, MaxHelloSize+1), pb.LinkStatus_LINK_TOO_LARGE},
		{"garbage", []byte{3, 0xff, 0xff, 0xff}, pb.LinkStatus_LINK_MALFORMED},
		{"empty", []byte{0}, pb.LinkStatus_LINK_MALFORMED},
		{"short offer", hello(func(h *pb.LinkHello) { h.Offer = h.Offer[:8] }), pb.LinkStatus_LINK_MALFORMED},
		{"short proof", hello(func(h *pb.LinkHello) { h.Proof = h.Proof[:31] }), pb.LinkStatus_LINK_MALFORMED},
		{"escape in name", hello(func(h *pb.LinkHello) { h.Name = "\x1b]0;pwned\x07" }), pb.LinkStatus_LINK_MALFORMED},
		{"long platform", hello(func(h *pb.LinkHello) { h.Platform = strings.Repeat("p", MaxPlatformSize+1) }), pb.LinkStatus_LINK_TOO_LARGE},
		{"bad key", hello(func(h *pb.LinkHello) { h.SignalIdentityKey[0] = 4 }), pb.LinkStatus_LINK_MALFORMED},
		{"unknown offer", hello(func(h *pb.LinkHello) { h.Offer[0] ^= 1 }), pb.LinkStatus_LINK_UNKNOWN_CODE},
		{"bad proof", hello(func(h *pb.LinkHello) {}), pb.LinkStatus_LINK_BAD_PROOF},
	} {
		answer, err := pair.Feed(t, ProtocolID, tc.in)
		if err != nil {
			t.Errorf("%s: stream ended with %v", tc.name, err)
			continue
		}
		b, rerr := msgio.NewVarintReaderSize(bytes.NewReader(answer), MaxServerFrameSize).ReadMsg()
		var f *pb.LinkServerFrame
		if rerr == nil {
			f, rerr = decodeServerFrame(b)
		}
		if rerr != nil || f.GetRefused() != tc.want {
			t.Errorf("%s: answer %v (%v), want refused %s", tc.name, f, rerr, tc.want)
		}
	}
}

// A device serves at most MaxStreams link streams at once, from however
// many peers; one more is refused as busy.
func TestServiceStreamLimit(t *testing.T) {
	e := newExisting(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for range MaxStreams / MaxStreamsPerPeer {
		h := newHost(t)
		h.Peerstore().AddAddrs(e.h.ID(), e.h.Addrs(), time.Hour)
		for range MaxStreamsPerPeer {
			st, err := h.NewStream(ctx, e.h.ID(), ProtocolID)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Reset()
			if _, err := st.Write([]byte{1}); err != nil { // a hello's first byte, and no more
				t.Fatal(err)
			}
		}
	}
	eventually(t, "the streams to take every slot", func() bool { return e.svc.streamsServed() == MaxStreams })
	_, _, err := newNewDevice(t).join(t, e.code(t))
	mustIs(t, err, ErrBusy)
}

// An existing device that could not write its refusal resets the stream
// with the status in the error code: Join still says why.
func TestJoinReadsRefusalFromReset(t *testing.T) {
	e := newExisting(t)
	code := e.code(t)
	e.svc.Close()
	e.h.SetStreamHandler(ProtocolID, func(st network.Stream) {
		_ = st.SetDeadline(time.Now().Add(time.Minute))
		if _, err := msgio.NewVarintReaderSize(st, MaxHelloSize).ReadMsg(); err != nil {
			_ = st.Reset()
			return
		}
		_ = st.ResetWithError(StreamErrorCodeBase + network.StreamErrorCode(pb.LinkStatus_LINK_EXPIRED))
	})
	t.Cleanup(func() { e.h.RemoveStreamHandler(ProtocolID) })
	_, _, err := newNewDevice(t).join(t, code)
	mustIs(t, err, ErrExpired)
}
