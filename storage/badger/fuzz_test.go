package badger

import (
	"bytes"
	"context"
	"testing"
	"time"

	"go.mau.fi/libsignal/groups"
	"go.mau.fi/libsignal/keys/prekey"
	"go.mau.fi/libsignal/logger"
	"go.mau.fi/libsignal/protocol"
	"go.mau.fi/libsignal/session"
	"go.mau.fi/libsignal/util/keyhelper"
	"go.mau.fi/libsignal/util/optional"

	"github.com/pigeon-net/pigeon/storage"
)

// Fuzz targets for every decoder of stored bytes, seeded with real
// encodings. Our own records must also re-encode canonically.

func seedMessages() [][]byte {
	at := time.Unix(1_700_000_000, 123456789)
	ms := []storage.Message{
		{ID: storage.NewMessageID(at), Direction: storage.Incoming, State: storage.Received, Text: "hi", SentAt: at, StoredAt: at, SenderDevice: 70000},
		{ID: storage.NewMessageID(at), Direction: storage.Outgoing, State: storage.Pending},
		{ID: storage.NewMessageID(at), Direction: storage.Incoming, State: storage.Received, Text: "group", Group: true},
		{ID: storage.NewMessageID(at), Direction: storage.Outgoing, State: storage.Read, Text: "edited reply", Group: true,
			ReplyTo: storage.NewMessageID(at), Edits: 2, EditedAt: at, ExpireAfter: time.Hour, ExpiresAt: at.Add(time.Hour)},
		{ID: storage.NewMessageID(at), Direction: storage.Incoming, State: storage.Received, Kind: storage.KindTimerNotice, ExpireAfter: 5 * time.Minute},
	}
	var out [][]byte
	for i := range ms {
		out = append(out, encodeMessage(&ms[i]))
	}
	return out
}

func FuzzDecodeMessage(f *testing.F) {
	for _, s := range seedMessages() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := decodeMessage(b)
		if err != nil {
			return
		}
		enc := encodeMessage(&m)
		m2, err := decodeMessage(enc)
		if err != nil {
			t.Fatalf("re-decode: %v", err)
		}
		if !bytes.Equal(encodeMessage(&m2), enc) {
			t.Fatal("encoding not stable")
		}
	})
}

func FuzzDecodeSummary(f *testing.F) {
	f.Add(encodeSummary(summary{Last: storage.NewMessageID(time.Now()), Unread: 300}))
	f.Add(encodeSummary(summary{}))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := decodeSummary(b)
		if err != nil {
			return
		}
		if s2, err := decodeSummary(encodeSummary(s)); err != nil || s2 != s {
			t.Fatalf("round trip: %v %v", s2, err)
		}
	})
}

func FuzzDecodeContact(f *testing.F) {
	at := time.Unix(1_700_000_000, 5)
	f.Add(encodeContact(&storage.Contact{Name: "bob", AddedAt: at, Verified: true, IdentityChangedAt: at}))
	f.Add(encodeContact(&storage.Contact{}))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := decodeContact(b)
		if err != nil {
			return
		}
		enc := encodeContact(&c)
		c2, err := decodeContact(enc)
		if err != nil || !bytes.Equal(encodeContact(&c2), enc) {
			t.Fatalf("round trip: %v", err)
		}
	})
}

// outboxV1 is a version 1 item, as written before custody devices:
// content "c", done device 1.
var outboxV1 = append([]byte{1}, append(make([]byte, 48), 1, 'c', 0, 0, 0, 0, 1, 1)...)

func TestDecodeOutboxV1(t *testing.T) {
	it, err := decodeOutbox(outboxV1)
	if err != nil || string(it.Content) != "c" || len(it.Done) != 1 || it.Done[0] != 1 || it.Custody != nil {
		t.Fatalf("version 1 item: %+v, %v", it, err)
	}
}

func FuzzDecodeOutbox(f *testing.F) {
	at := time.Unix(1_700_000_000, 5)
	f.Add(encodeOutbox(&storage.OutboxItem{
		ID: storage.NewMessageID(at), Content: []byte("content"), Attempts: 3,
		NextAttempt: at, CreatedAt: at, Done: []uint32{1, 2, 300000}, Receipt: true,
	}))
	f.Add(encodeOutbox(&storage.OutboxItem{}))
	f.Add(encodeOutbox(&storage.OutboxItem{
		ID: storage.NewMessageID(at), Content: []byte("c"), Done: []uint32{1, 2}, Custody: []uint32{2},
	}))
	f.Add(encodeOutbox(&storage.OutboxItem{ID: storage.NewMessageID(at), Content: []byte("c"), Expires: at.Add(time.Hour)}))
	f.Add(outboxV1)
	f.Fuzz(func(t *testing.T, b []byte) {
		it, err := decodeOutbox(b)
		if err != nil {
			return
		}
		enc := encodeOutbox(&it)
		it2, err := decodeOutbox(enc)
		if err != nil || !bytes.Equal(encodeOutbox(&it2), enc) {
			t.Fatalf("round trip: %v", err)
		}
	})
}

func FuzzDecodeLocalIdentity(f *testing.F) {
	f.Add(encodeLocalIdentity(&storage.LocalIdentity{
		AccountSeed: bytes.Repeat([]byte{1}, 32), DeviceID: 3, PeerKey: []byte("pk"),
		SignalPublic: bytes.Repeat([]byte{5}, 33), SignalPrivate: bytes.Repeat([]byte{2}, 32),
		RegistrationID: 999, Certificate: []byte("cert"), DeviceListVersion: 12,
	}))
	f.Add(encodeLocalIdentity(&storage.LocalIdentity{}))
	f.Fuzz(func(t *testing.T, b []byte) {
		id, err := decodeLocalIdentity(b)
		if err != nil {
			return
		}
		enc := encodeLocalIdentity(id)
		id2, err := decodeLocalIdentity(enc)
		if err != nil || !bytes.Equal(encodeLocalIdentity(id2), enc) {
			t.Fatalf("round trip: %v", err)
		}
	})
}

func FuzzDecodeFixed(f *testing.F) {
	f.Add(encodeUint32(7))
	f.Add(append([]byte{5}, bytes.Repeat([]byte{9}, 32)...))
	f.Fuzz(func(t *testing.T, b []byte) {
		if v, err := decodeUint32(b, "x"); err == nil && !bytes.Equal(encodeUint32(v), b) {
			t.Fatal("uint32 round trip")
		}
		if k, err := decodeIdentityKey(b); err == nil && !bytes.Equal(k.Serialize(), b) {
			t.Fatal("identity key round trip")
		}
	})
}

type quietSignal struct{}

func (quietSignal) Debug(string, string)   {}
func (quietSignal) Info(string, string)    {}
func (quietSignal) Warning(string, string) {}
func (quietSignal) Error(string, string)   {}
func (quietSignal) Configure(string)       {}

// signalSeeds returns real session, prekey, signed prekey and sender-key
// records made by a handshake between two in-memory stores.
func signalSeeds(f *testing.F) (sess, pk, spk, sk []byte) {
	var l logger.Loggable = quietSignal{}
	logger.Setup(&l)
	ctx := context.Background()
	mk := func() *Store {
		s, err := Open(Options{InMemory: true})
		if err != nil {
			f.Fatal(err)
		}
		f.Cleanup(func() { s.Close() })
		ikp, _ := keyhelper.GenerateIdentityKeyPair()
		priv := ikp.PrivateKey().Serialize()
		if err := s.SaveLocalIdentity(ctx, &storage.LocalIdentity{SignalPublic: ikp.PublicKey().Serialize(), SignalPrivate: priv[:], RegistrationID: 1}); err != nil {
			f.Fatal(err)
		}
		return s
	}
	a, b := mk(), mk()
	signed, err := keyhelper.GenerateSignedPreKey(b.GetIdentityKeyPair(), 1, ser.SignedPreKeyRecord)
	if err != nil {
		f.Fatal(err)
	}
	pks, _ := keyhelper.GeneratePreKeys(1, 1, ser.PreKeyRecord)
	bundle := prekey.NewBundle(1, 1, optional.NewOptionalUint32(1), 1, pks[0].KeyPair().PublicKey(),
		signed.KeyPair().PublicKey(), signed.Signature(), b.GetIdentityKeyPair().PublicKey())
	addr := protocol.NewSignalAddress("b", 1)
	if err := session.NewBuilderFromSignal(a, addr, ser).ProcessBundle(ctx, bundle); err != nil {
		f.Fatal(err)
	}
	rec, err := a.LoadSession(ctx, addr)
	if err != nil {
		f.Fatal(err)
	}
	name := protocol.NewSenderKeyName("g", addr)
	if _, err := groups.NewGroupSessionBuilder(a, ser).Create(ctx, name); err != nil {
		f.Fatal(err)
	}
	skr, err := a.LoadSenderKey(ctx, name)
	if err != nil {
		f.Fatal(err)
	}
	return rec.Serialize(), pks[0].Serialize(), signed.Serialize(), skr.Serialize()
}

func FuzzDecodeSignalRecords(f *testing.F) {
	sess, pk, spk, sk := signalSeeds(f)
	for _, s := range [][]byte{sess, pk, spk, sk, []byte("null"), []byte("{}")} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		// None may panic; records that decode must serialize again.
		if r, err := decodeSession(b); err == nil {
			serializeSignal("session", r.Serialize)
		}
		if r, err := decodePreKey(b); err == nil {
			if _, err := decodePreKey(r.Serialize()); err != nil {
				t.Fatalf("prekey round trip: %v", err)
			}
		}
		if r, err := decodeSignedPreKey(b); err == nil {
			if _, err := decodeSignedPreKey(r.Serialize()); err != nil {
				t.Fatalf("signed prekey round trip: %v", err)
			}
		}
		if r, err := decodeSenderKey(b); err == nil {
			serializeSignal("sender key", r.Serialize)
		}
	})
}

func TestMessageFieldsRoundTrip(t *testing.T) {
	at := time.UnixMilli(1_700_000_000_123)
	in := storage.Message{
		ID: storage.NewMessageID(at), Direction: storage.Incoming, State: storage.Received, Text: "reply",
		SentAt: at, StoredAt: at, ReplyTo: storage.NewMessageID(at), Edits: 3, EditedAt: at.Add(time.Minute),
		ExpireAfter: 90 * time.Minute, ExpiresAt: at.Add(2 * time.Hour), Kind: storage.KindMessage,
	}
	for _, group := range []bool{false, true} {
		in.Group = group
		out, err := decodeMessage(encodeMessage(&in))
		if err != nil {
			t.Fatal(err)
		}
		if !out.SentAt.Equal(in.SentAt) || !out.EditedAt.Equal(in.EditedAt) || !out.ExpiresAt.Equal(in.ExpiresAt) {
			t.Fatalf("times: got %+v", out)
		}
		out.SentAt, out.StoredAt, out.EditedAt, out.ExpiresAt = in.SentAt, in.StoredAt, in.EditedAt, in.ExpiresAt
		if out != in {
			t.Fatalf("round trip:\n got %+v\nwant %+v", out, in)
		}
	}
	bad := in
	bad.Edits = 11
	if _, err := decodeMessage(encodeMessage(&bad)); err == nil {
		t.Fatal("11 edits decoded")
	}
}
