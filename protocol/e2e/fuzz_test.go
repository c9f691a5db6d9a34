package e2e_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/e2e"
	"github.com/pigeon-net/pigeon/protocol/internal/streamtest"
	"github.com/pigeon-net/pigeon/protocol/pb"
)

// FuzzVerifyBundle feeds arbitrary bytes through the bundle decoder and
// verifier. Seeds are real bundles (with and without a one-time prekey);
// only the unmodified seeds may verify.
func FuzzVerifyBundle(f *testing.F) {
	bob := newDevice(f, nil, 1, devOpts{store: memoryStore})
	b, err := bob.mgr.Bundle(context.Background())
	if err != nil {
		f.Fatal(err)
	}
	seed, err := e2e.MarshalBundle(b)
	if err != nil {
		f.Fatal(err)
	}
	noPK := proto.Clone(b).(*pb.PreKeyBundle)
	noPK.PrekeyId, noPK.Prekey = 0, nil
	seed2, err := e2e.MarshalBundle(noPK)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add(seed2)
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		pbb, err := e2e.DecodePreKeyBundle(data)
		if err != nil {
			return
		}
		vb, err := e2e.VerifyBundle(pbb, bob.addr)
		if err != nil {
			return
		}
		// Whatever verified must carry bob's certified identity and a
		// signed prekey signed by it.
		if !bytes.Equal(vb.IdentityKey(), bob.cert.SignalIdentityKey) {
			t.Fatalf("verified bundle with identity %x", vb.IdentityKey())
		}
		if !bytes.Equal(pbb.SignedPrekey, b.SignedPrekey) {
			t.Fatalf("verified a forged signed prekey")
		}
	})
}

// FuzzDecodePreKeyResponse checks the response decoder never panics and
// keeps its invariants.
func FuzzDecodePreKeyResponse(f *testing.F) {
	bob := newDevice(f, nil, 1, devOpts{store: memoryStore})
	b, err := bob.mgr.Bundle(context.Background())
	if err != nil {
		f.Fatal(err)
	}
	for _, r := range []*pb.PreKeyResponse{
		{Code: pb.ErrorCode_OK, Bundle: b},
		{Code: pb.ErrorCode_INTERNAL},
		{Code: pb.ErrorCode_RATE_LIMITED},
	} {
		raw, err := proto.Marshal(r)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(raw)
	}
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := e2e.DecodePreKeyResponse(data)
		if err != nil {
			return
		}
		if len(data) > e2e.MaxPreKeyResponseSize {
			t.Fatalf("accepted %d bytes", len(data))
		}
		if r.Code == pb.ErrorCode_OK && r.Bundle == nil {
			t.Fatal("OK without bundle")
		}
	})
}

// FuzzDecrypt feeds arbitrary ciphertexts and types into Decrypt on an
// established session (real Badger store). Nothing may decrypt and nothing
// may panic. Seeds are genuine messages that were already decrypted.
func FuzzDecrypt(f *testing.F) {
	alice := newDevice(f, nil, 1, devOpts{})
	bob := newDevice(f, nil, 1, devOpts{})
	connect(f, alice, bob)
	pre := encrypt(f, alice, bob, "prekey message")
	mustDecrypt(f, bob, alice, pre, "prekey message")
	mustDecrypt(f, alice, bob, encrypt(f, bob, alice, "ack"), "ack")
	sig := encrypt(f, alice, bob, "signal message")
	mustDecrypt(f, bob, alice, sig, "signal message")
	f.Add(pre.typ, pre.ct)
	f.Add(sig.typ, sig.ct)
	f.Add(uint32(3), sig.ct)
	f.Add(uint32(2), pre.ct)
	f.Add(uint32(3), []byte{0x33})
	f.Add(uint32(2), []byte{})
	f.Fuzz(func(t *testing.T, typ uint32, data []byte) {
		called := false
		_, err := bob.mgr.Decrypt(context.Background(), alice.addr, alice.cert, typ, data,
			func(context.Context, []byte) error { called = true; return nil })
		if err == nil || called {
			t.Fatalf("type %d, %d bytes: decrypted (err %v)", typ, len(data), err)
		}
	})
}

// FuzzPreKeyStream feeds arbitrary bytes to the /pigeon/prekey/1 request
// reader over a real connection. Whatever it reads, the handler must end
// the stream once the input has ended (a hang fails streamtest.Feed) and
// answer with at most one response that decodes.
func FuzzPreKeyStream(f *testing.F) {
	pair := streamtest.NewPair(f, nil)
	bob := newDevice(f, nil, 1, devOpts{store: memoryStore})
	bob.mgr.Serve(pair.Server)
	f.Cleanup(bob.mgr.Stop)
	request := func(m *pb.PreKeyRequest) []byte {
		raw, _ := proto.Marshal(m)
		return append(binary.AppendUvarint(nil, uint64(len(raw))), raw...)
	}
	f.Add(request(&pb.PreKeyRequest{}))
	f.Add(request(&pb.PreKeyRequest{RequesterAccount: bytes.Repeat([]byte{1}, 32)}))
	f.Add(request(&pb.PreKeyRequest{RequesterAccount: []byte{1}}))
	f.Add(append(request(&pb.PreKeyRequest{}), request(&pb.PreKeyRequest{})...))
	f.Add(binary.AppendUvarint(nil, e2e.MaxPreKeyRequestSize+1))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, in []byte) {
		answer, _ := pair.Feed(t, e2e.PreKeyProtocol, in)
		if len(answer) == 0 {
			return // reset
		}
		size, n := binary.Uvarint(answer)
		if n <= 0 || uint64(len(answer)-n) != size {
			t.Fatalf("answer of %d bytes is not one frame", len(answer))
		}
		if _, err := e2e.DecodePreKeyResponse(answer[n:]); err != nil {
			t.Fatalf("handler wrote a bad response: %v", err)
		}
	})
}
