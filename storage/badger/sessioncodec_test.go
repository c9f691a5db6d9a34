package badger_test

import (
	"bytes"
	"context"
	"fmt"
	"reflect"
	"testing"

	"go.mau.fi/libsignal/protocol"
	"go.mau.fi/libsignal/session"
	"go.mau.fi/libsignal/state/record"

	"github.com/pigeon-net/pigeon/storage/badger"
)

// richSession builds a session record with everything a record holds: a
// current state with sender and receiver chains and skipped message keys,
// and an archived state (alice started a second session over the first).
// It returns alice and bob with the conversation in that state.
func richSession(t *testing.T) (alice, bob *party) {
	t.Helper()
	ctx := context.Background()
	alice = newParty(t, "alice", 1)
	bob = newParty(t, "bob", 2)
	start := func() {
		if err := alice.st.Update(ctx, func(ctx context.Context) error {
			return session.NewBuilderFromSignal(alice.st, bob.addr, ser).ProcessBundle(ctx, bob.bundle(t))
		}); err != nil {
			t.Fatal(err)
		}
	}
	exchange := func(round int) {
		for i := range 2 {
			typ, body := encrypt(t, alice, bob, fmt.Sprintf("a%d.%d", round, i))
			if _, err := decrypt(ctx, bob, alice, typ, body); err != nil {
				t.Fatal(err)
			}
		}
		// Bob sends three and alice reads only the last: two skipped keys.
		var typ uint32
		var body []byte
		for i := range 3 {
			typ, body = encrypt(t, bob, alice, fmt.Sprintf("b%d.%d", round, i))
		}
		if _, err := decrypt(ctx, alice, bob, typ, body); err != nil {
			t.Fatal(err)
		}
	}
	start()
	exchange(0)
	start() // archives the first state
	exchange(1)
	return alice, bob
}

func TestSessionCodecRoundTrip(t *testing.T) {
	alice, bob := richSession(t)
	rec, err := alice.st.LoadSession(context.Background(), bob.addr)
	if err != nil {
		t.Fatal(err)
	}
	want := rec.Structure()
	skipped := 0
	for _, c := range want.SessionState.ReceiverChains {
		skipped += len(c.MessageKeys)
	}
	if len(want.PreviousStates) == 0 || skipped == 0 {
		t.Fatal("session lacks previous states or skipped keys; the test proves nothing")
	}
	enc := badger.EncodeSessionStructure(want)
	got, err := badger.DecodeSessionStructure(enc)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatal("binary round trip changed the session structure")
	}
	if !bytes.Equal(badger.EncodeSessionStructure(got), enc) {
		t.Fatal("encoding not stable")
	}
	jsonRec := ser.Session.Serialize(want)
	if len(enc) >= len(jsonRec) {
		t.Errorf("binary record %d bytes, JSON %d", len(enc), len(jsonRec))
	}
	// JSON records (what earlier versions stored) still decode.
	fromJSON, err := badger.DecodeSessionStructure(jsonRec)
	if err != nil {
		t.Fatal(err)
	}
	viaLib, _ := ser.Session.Deserialize(jsonRec)
	if !reflect.DeepEqual(fromJSON, viaLib) {
		t.Fatal("JSON record decoded differently from libsignal's decoder")
	}
}

// TestSessionStoredBinaryAndLegacyJSON checks what StoreSession writes and
// that a conversation continues from a JSON record an older version stored.
func TestSessionStoredBinaryAndLegacyJSON(t *testing.T) {
	ctx := context.Background()
	alice, bob := richSession(t)
	raw, err := alice.st.RawSession(bob.addr)
	if err != nil || len(raw) == 0 || raw[0] == '{' {
		t.Fatalf("stored session is not binary: %.20q, %v", raw, err)
	}
	for _, p := range []struct {
		st       *party
		peerAddr *protocol.SignalAddress
	}{{alice, bob.addr}, {bob, alice.addr}} {
		rec, err := p.st.st.LoadSession(ctx, p.peerAddr)
		if err != nil {
			t.Fatal(err)
		}
		if err := p.st.st.PutRawSession(p.peerAddr, ser.Session.Serialize(rec.Structure())); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 3 {
		text := fmt.Sprintf("after downgrade %d", i)
		typ, body := encrypt(t, alice, bob, text)
		if pt, err := decrypt(ctx, bob, alice, typ, body); err != nil || string(pt) != text {
			t.Fatalf("bob: %q, %v", pt, err)
		}
		typ, body = encrypt(t, bob, alice, text)
		if pt, err := decrypt(ctx, alice, bob, typ, body); err != nil || string(pt) != text {
			t.Fatalf("alice: %q, %v", pt, err)
		}
	}
	if raw, _ := alice.st.RawSession(bob.addr); len(raw) == 0 || raw[0] == '{' {
		t.Fatal("a JSON record was not rewritten in binary form")
	}
}

func FuzzDecodeSessionStructure(f *testing.F) {
	f.Add(badger.EncodeSessionStructure(&record.SessionStructure{}))
	f.Add([]byte{1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})
	f.Add([]byte(`{"SessionState":null}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := badger.DecodeSessionStructure(b)
		if err != nil || (len(b) > 0 && b[0] == '{') {
			return
		}
		// Varints may be non-canonical in b; the structure must survive.
		enc := badger.EncodeSessionStructure(s)
		s2, err := badger.DecodeSessionStructure(enc)
		if err != nil {
			t.Fatalf("re-decode: %v", err)
		}
		if !reflect.DeepEqual(s, s2) || !bytes.Equal(badger.EncodeSessionStructure(s2), enc) {
			t.Fatal("round trip not stable")
		}
	})
}
