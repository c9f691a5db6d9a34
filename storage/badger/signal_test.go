package badger_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"

	"go.mau.fi/libsignal/groups"
	groupRecord "go.mau.fi/libsignal/groups/state/record"
	"go.mau.fi/libsignal/keys/identity"
	"go.mau.fi/libsignal/keys/prekey"
	"go.mau.fi/libsignal/protocol"
	"go.mau.fi/libsignal/serialize"
	"go.mau.fi/libsignal/session"
	"go.mau.fi/libsignal/state/record"
	"go.mau.fi/libsignal/util/keyhelper"
	"go.mau.fi/libsignal/util/optional"

	"github.com/pigeon-net/pigeon/storage"
	"github.com/pigeon-net/pigeon/storage/badger"
)

var ser = serialize.NewProtoBufSerializer()

// party is one device with its Signal state in its own Store.
type party struct {
	st    *badger.Store
	addr  *protocol.SignalAddress
	ikp   *identity.KeyPair
	reg   uint32
	spk   *record.SignedPreKey
	preID uint32
}

func newParty(t testing.TB, name string, device uint32) *party {
	t.Helper()
	ctx := context.Background()
	st := newMem(t)
	ikp, err := keyhelper.GenerateIdentityKeyPair()
	if err != nil {
		t.Fatal(err)
	}
	priv := ikp.PrivateKey().Serialize()
	reg := keyhelper.GenerateRegistrationID() & 0x3FFF
	if err := st.SaveLocalIdentity(ctx, &storage.LocalIdentity{
		DeviceID: device, SignalPublic: ikp.PublicKey().Serialize(), SignalPrivate: priv[:], RegistrationID: reg,
	}); err != nil {
		t.Fatal(err)
	}
	spk, err := keyhelper.GenerateSignedPreKey(ikp, 1, ser.SignedPreKeyRecord)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.StoreSignedPreKey(ctx, spk.ID(), spk); err != nil {
		t.Fatal(err)
	}
	first, err := st.AllocatePreKeyIDs(ctx, 5)
	if err != nil {
		t.Fatal(err)
	}
	pks, err := keyhelper.GeneratePreKeys(int(first), int(first)+4, ser.PreKeyRecord)
	if err != nil {
		t.Fatal(err)
	}
	for _, pk := range pks {
		if err := st.StorePreKey(ctx, pk.ID().Value, pk); err != nil {
			t.Fatal(err)
		}
	}
	return &party{st: st, addr: protocol.NewSignalAddress(name, device), ikp: ikp, reg: reg, spk: spk}
}

// bundle hands out one one-time prekey, as the bundle service would.
func (p *party) bundle(t testing.TB) *prekey.Bundle {
	t.Helper()
	pk, err := p.st.IssuePreKey(context.Background())
	if err != nil || pk == nil {
		t.Fatalf("issue prekey: %v, %v", pk, err)
	}
	p.preID = pk.ID().Value
	return prekey.NewBundle(p.reg, p.addr.DeviceID(), optional.NewOptionalUint32(pk.ID().Value), p.spk.ID(),
		pk.KeyPair().PublicKey(), p.spk.KeyPair().PublicKey(), p.spk.Signature(), p.ikp.PublicKey())
}

func (p *party) cipher(to *party) *session.Cipher {
	b := session.NewBuilderFromSignal(p.st, to.addr, ser)
	return session.NewCipher(b, to.addr)
}

func encrypt(t testing.TB, from, to *party, text string) (uint32, []byte) {
	t.Helper()
	var typ uint32
	var body []byte
	err := from.st.Update(context.Background(), func(ctx context.Context) error {
		msg, err := from.cipher(to).Encrypt(ctx, []byte(text))
		if err != nil {
			return err
		}
		typ, body = msg.Type(), msg.Serialize()
		return nil
	})
	if err != nil {
		t.Fatalf("encrypt: %v", err)
	}
	return typ, body
}

func decrypt(ctx context.Context, to, from *party, typ uint32, body []byte) ([]byte, error) {
	var pt []byte
	err := to.st.Update(ctx, func(ctx context.Context) error {
		c := to.cipher(from)
		switch typ {
		case protocol.PREKEY_TYPE:
			m, err := protocol.NewPreKeySignalMessageFromBytes(body, ser.PreKeySignalMessage, ser.SignalMessage)
			if err != nil {
				return err
			}
			pt, err = c.DecryptMessage(ctx, m)
			return err
		case protocol.WHISPER_TYPE:
			m, err := protocol.NewSignalMessageFromBytes(body, ser.SignalMessage)
			if err != nil {
				return err
			}
			pt, err = c.Decrypt(ctx, m)
			return err
		}
		return fmt.Errorf("message type %d", typ)
	})
	return pt, err
}

// TestX3DHExchange runs a real X3DH handshake and three messages each way
// between two Stores.
func TestX3DHExchange(t *testing.T) {
	ctx := context.Background()
	alice := newParty(t, "alice", 1)
	bob := newParty(t, "bob", 7)
	if n, _ := bob.st.UnissuedPreKeys(ctx); n != 5 {
		t.Fatalf("bob has %d unissued prekeys, want 5", n)
	}
	if err := alice.st.Update(ctx, func(ctx context.Context) error {
		return session.NewBuilderFromSignal(alice.st, bob.addr, ser).ProcessBundle(ctx, bob.bundle(t))
	}); err != nil {
		t.Fatal(err)
	}
	if n, _ := bob.st.UnissuedPreKeys(ctx); n != 4 {
		t.Fatalf("bob has %d unissued prekeys after issuing one, want 4", n)
	}
	for i := range 3 {
		text := fmt.Sprintf("alice %d", i)
		typ, body := encrypt(t, alice, bob, text)
		if typ != protocol.PREKEY_TYPE {
			t.Fatalf("message %d from alice has type %d before any reply", i, typ)
		}
		pt, err := decrypt(ctx, bob, alice, typ, body)
		if err != nil || string(pt) != text {
			t.Fatalf("bob decrypt %d: %q, %v", i, pt, err)
		}
	}
	// The one-time prekey was consumed.
	if ok, _ := bob.st.ContainsPreKey(ctx, bob.preID); ok {
		t.Fatal("used one-time prekey still stored")
	}
	for i := range 3 {
		text := fmt.Sprintf("bob %d", i)
		typ, body := encrypt(t, bob, alice, text)
		if typ != protocol.WHISPER_TYPE {
			t.Fatalf("bob's reply has type %d", typ)
		}
		pt, err := decrypt(ctx, alice, bob, typ, body)
		if err != nil || string(pt) != text {
			t.Fatalf("alice decrypt %d: %q, %v", i, pt, err)
		}
	}
	typ, body := encrypt(t, alice, bob, "after reply")
	if typ != protocol.WHISPER_TYPE {
		t.Fatalf("alice still sends type %d after a reply", typ)
	}
	if pt, err := decrypt(ctx, bob, alice, typ, body); err != nil || string(pt) != "after reply" {
		t.Fatalf("final decrypt: %q, %v", pt, err)
	}
	// Replays fail and, being rolled back, leave the session usable.
	if _, err := decrypt(ctx, bob, alice, typ, body); err == nil {
		t.Fatal("replay decrypted")
	}
	typ, body = encrypt(t, alice, bob, "still fine")
	if pt, err := decrypt(ctx, bob, alice, typ, body); err != nil || string(pt) != "still fine" {
		t.Fatalf("after replay: %q, %v", pt, err)
	}
	// Identities were saved on both sides (TOFU).
	if k, err := bob.st.RemoteIdentity(ctx, alice.addr); err != nil || k == nil || !bytes.Equal(k.Serialize(), alice.ikp.PublicKey().Serialize()) {
		t.Fatalf("bob's view of alice's identity: %v, %v", k, err)
	}
	devs, err := alice.st.GetSubDeviceSessions(ctx, "bob")
	if err != nil || len(devs) != 1 || devs[0] != 7 {
		t.Fatalf("sub device sessions: %v, %v", devs, err)
	}
}

// realSession returns a session record made by a real handshake.
func realSession(t testing.TB) *record.Session {
	t.Helper()
	ctx := context.Background()
	alice := newParty(t, "alice", 1)
	bob := newParty(t, "bob", 2)
	if err := session.NewBuilderFromSignal(alice.st, bob.addr, ser).ProcessBundle(ctx, bob.bundle(t)); err != nil {
		t.Fatal(err)
	}
	rec, err := alice.st.LoadSession(ctx, bob.addr)
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

func TestLoadSessionReturnsCopies(t *testing.T) {
	ctx := context.Background()
	alice := newParty(t, "alice", 1)
	bob := newParty(t, "bob", 2)
	fresh, err := alice.st.LoadSession(ctx, bob.addr)
	if err != nil || fresh == nil || !fresh.IsFresh() {
		t.Fatalf("missing session: %v, %v", fresh, err)
	}
	if ok, _ := alice.st.ContainsSession(ctx, bob.addr); ok {
		t.Fatal("ContainsSession true before any session")
	}
	if err := session.NewBuilderFromSignal(alice.st, bob.addr, ser).ProcessBundle(ctx, bob.bundle(t)); err != nil {
		t.Fatal(err)
	}
	a, err := alice.st.LoadSession(ctx, bob.addr)
	if err != nil {
		t.Fatal(err)
	}
	before := a.Serialize()
	a.SessionState().SetPreviousCounter(4242) // mutate the loaded copy
	if bytes.Equal(a.Serialize(), before) {
		t.Fatal("mutation had no effect; test is broken")
	}
	b, err := alice.st.LoadSession(ctx, bob.addr)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b.Serialize(), before) {
		t.Fatal("mutating a loaded session changed the next load")
	}
	if err := alice.st.DeleteSession(ctx, bob.addr); err != nil {
		t.Fatal(err)
	}
	if ok, _ := alice.st.ContainsSession(ctx, bob.addr); ok {
		t.Fatal("session survived delete")
	}
}

func TestSessionsDeleteAll(t *testing.T) {
	ctx := context.Background()
	s := newMem(t)
	if err := s.StoreSession(ctx, protocol.NewSignalAddress("x", 1), record.NewSession(ser.Session, ser.State)); !errors.Is(err, badger.ErrInvalid) {
		t.Fatalf("storing an unserializable fresh session: %v", err)
	}
	rec := realSession(t)
	for _, a := range []*protocol.SignalAddress{
		protocol.NewSignalAddress("x", 1), protocol.NewSignalAddress("x", 12),
		protocol.NewSignalAddress("x:y", 3), protocol.NewSignalAddress("xy", 4),
	} {
		if err := s.StoreSession(ctx, a, rec); err != nil {
			t.Fatal(err)
		}
	}
	devs, err := s.GetSubDeviceSessions(ctx, "x")
	if err != nil || len(devs) != 2 || devs[0] != 1 || devs[1] != 12 {
		t.Fatalf("devices of x: %v, %v", devs, err)
	}
	if err := s.DeleteAllSessions(ctx); err != nil {
		t.Fatal(err)
	}
	if ok, _ := s.ContainsSession(ctx, protocol.NewSignalAddress("xy", 4)); ok {
		t.Fatal("session survived DeleteAllSessions")
	}
}

func TestLocalIdentity(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := openDir(t, dir)
	if s.GetIdentityKeyPair() != nil || s.GetLocalRegistrationID() != 0 {
		t.Fatal("identity before init")
	}
	if _, err := s.LocalIdentity(ctx); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("LocalIdentity before init = %v", err)
	}
	ikp, _ := keyhelper.GenerateIdentityKeyPair()
	priv := ikp.PrivateKey().Serialize()
	id := &storage.LocalIdentity{
		AccountSeed: bytes.Repeat([]byte{1}, 32), DeviceID: 9, PeerKey: []byte("peer key"),
		SignalPublic: ikp.PublicKey().Serialize(), SignalPrivate: priv[:], RegistrationID: 1234,
		Certificate: []byte("cert"), DeviceListVersion: 77,
	}
	if err := s.SaveLocalIdentity(ctx, id); err != nil {
		t.Fatal(err)
	}
	if got := s.GetIdentityKeyPair(); got == nil || !bytes.Equal(got.PublicKey().Serialize(), id.SignalPublic) {
		t.Fatal("cached key pair wrong")
	}
	if err := s.SaveLocalIdentity(ctx, &storage.LocalIdentity{SignalPublic: []byte{5, 1}}); !errors.Is(err, badger.ErrInvalid) {
		t.Fatalf("bad signal key accepted: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openDir(t, dir)
	defer s.Close()
	got, err := s.LocalIdentity(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(*got) != fmt.Sprint(*id) {
		t.Fatalf("local identity round trip:\n got %+v\nwant %+v", got, id)
	}
	kp := s.GetIdentityKeyPair()
	if kp == nil || kp.PrivateKey().Serialize() != priv || s.GetLocalRegistrationID() != 1234 {
		t.Fatal("identity not cached after reopen")
	}
}

func TestIdentityTrust(t *testing.T) {
	ctx := context.Background()
	s := newMem(t)
	addr := protocol.NewSignalAddress("peer", 1)
	k1, _ := keyhelper.GenerateIdentityKeyPair()
	k2, _ := keyhelper.GenerateIdentityKeyPair()
	if ok, err := s.IsTrustedIdentity(ctx, addr, k1.PublicKey()); err != nil || !ok {
		t.Fatalf("first use not trusted: %v %v", ok, err)
	}
	if k, err := s.RemoteIdentity(ctx, addr); k != nil || err != nil {
		t.Fatalf("RemoteIdentity before save: %v %v", k, err)
	}
	if err := s.SaveIdentity(ctx, addr, k1.PublicKey()); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveIdentity(ctx, addr, k1.PublicKey()); err != nil {
		t.Fatal(err)
	}
	if ok, _ := s.IsTrustedIdentity(ctx, addr, k1.PublicKey()); !ok {
		t.Fatal("saved key not trusted")
	}
	if ok, _ := s.IsTrustedIdentity(ctx, addr, k2.PublicKey()); ok {
		t.Fatal("changed key trusted")
	}
	if err := s.StoreSession(ctx, addr, realSession(t)); err != nil {
		t.Fatal(err)
	}
	if err := s.ReplaceIdentity(ctx, addr, k2.PublicKey()); err != nil {
		t.Fatal(err)
	}
	if ok, _ := s.IsTrustedIdentity(ctx, addr, k2.PublicKey()); !ok {
		t.Fatal("replaced key not trusted")
	}
	if ok, _ := s.ContainsSession(ctx, addr); ok {
		t.Fatal("ReplaceIdentity kept the session")
	}
	k, err := s.RemoteIdentity(ctx, addr)
	if err != nil || !bytes.Equal(k.Serialize(), k2.PublicKey().Serialize()) {
		t.Fatalf("RemoteIdentity after replace: %v", err)
	}
}

func TestPreKeys(t *testing.T) {
	ctx := context.Background()
	s := newMem(t)
	if pk, err := s.LoadPreKey(ctx, 1); pk != nil || err != nil {
		t.Fatalf("missing prekey: %v %v", pk, err)
	}
	if pk, err := s.IssuePreKey(ctx); pk != nil || err != nil {
		t.Fatalf("issue with none stored: %v %v", pk, err)
	}
	first, err := s.AllocatePreKeyIDs(ctx, 3)
	if err != nil || first != 1 {
		t.Fatalf("first allocation %d, %v", first, err)
	}
	pks, _ := keyhelper.GeneratePreKeys(int(first), int(first)+2, ser.PreKeyRecord)
	last, _ := keyhelper.GeneratePreKeys(int(badger.LastResortPreKeyID), int(badger.LastResortPreKeyID), ser.PreKeyRecord)
	for _, pk := range append(pks, last...) {
		if err := s.StorePreKey(ctx, pk.ID().Value, pk); err != nil {
			t.Fatal(err)
		}
	}
	if n, _ := s.UnissuedPreKeys(ctx); n != 3 {
		t.Fatalf("%d unissued, want 3 (last resort excluded)", n)
	}
	got, err := s.LoadPreKey(ctx, 2)
	if err != nil || !bytes.Equal(got.Serialize(), pks[1].Serialize()) {
		t.Fatalf("LoadPreKey: %v", err)
	}
	// Re-storing an issued key does not make it issuable again.
	issued, err := s.IssuePreKey(ctx)
	if err != nil || issued.ID().Value != 1 {
		t.Fatalf("first issue: %v %v", issued, err)
	}
	if err := s.StorePreKey(ctx, 1, pks[0]); err != nil {
		t.Fatal(err)
	}
	if err := s.RemovePreKey(ctx, 2); err != nil { // used before being issued
		t.Fatal(err)
	}
	var ids []uint32
	for {
		pk, err := s.IssuePreKey(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if pk == nil {
			break
		}
		ids = append(ids, pk.ID().Value)
	}
	if len(ids) != 1 || ids[0] != 3 {
		t.Fatalf("issued %v, want [3]", ids)
	}
	if ok, _ := s.ContainsPreKey(ctx, badger.LastResortPreKeyID); !ok {
		t.Fatal("last resort key missing")
	}
	if ok, _ := s.ContainsPreKey(ctx, 3); !ok {
		t.Fatal("issued key must stay stored until used")
	}
	next, err := s.AllocatePreKeyIDs(ctx, 10)
	if err != nil || next != 4 {
		t.Fatalf("second allocation %d, %v", next, err)
	}
	if _, err := s.AllocatePreKeyIDs(ctx, badger.LastResortPreKeyID-13); !errors.Is(err, badger.ErrPreKeyIDsExhausted) {
		t.Fatalf("allocation reaching the last-resort ID: %v", err)
	}
	// Exactly up to 0xFFFFFE is fine.
	if first, err := s.AllocatePreKeyIDs(ctx, badger.LastResortPreKeyID-14); err != nil || first != 14 {
		t.Fatalf("allocation up to the limit: %d %v", first, err)
	}
	if _, err := s.AllocatePreKeyIDs(ctx, 1); !errors.Is(err, badger.ErrPreKeyIDsExhausted) {
		t.Fatalf("allocation after exhaustion: %v", err)
	}
}

func TestSignedPreKeys(t *testing.T) {
	ctx := context.Background()
	s := newMem(t)
	ikp, _ := keyhelper.GenerateIdentityKeyPair()
	if spk, err := s.LoadSignedPreKey(ctx, 1); spk != nil || err != nil {
		t.Fatalf("missing: %v %v", spk, err)
	}
	for _, id := range []uint32{3, 1, 2} {
		spk, _ := keyhelper.GenerateSignedPreKey(ikp, id, ser.SignedPreKeyRecord)
		if err := s.StoreSignedPreKey(ctx, id, spk); err != nil {
			t.Fatal(err)
		}
	}
	all, err := s.LoadSignedPreKeys(ctx)
	if err != nil || len(all) != 3 || all[0].ID() != 1 || all[2].ID() != 3 {
		t.Fatalf("LoadSignedPreKeys: %v %v", all, err)
	}
	if err := s.RemoveSignedPreKey(ctx, 2); err != nil {
		t.Fatal(err)
	}
	if ok, _ := s.ContainsSignedPreKey(ctx, 2); ok {
		t.Fatal("removed signed prekey still there")
	}
	if ok, _ := s.ContainsSignedPreKey(ctx, 3); !ok {
		t.Fatal("signed prekey 3 missing")
	}
}

// TestSenderKeys sends a group message from alice to bob through sender
// keys kept in the Stores.
func TestSenderKeys(t *testing.T) {
	ctx := context.Background()
	as, bs := newMem(t), newMem(t)
	aliceAddr := protocol.NewSignalAddress("alice", 1)
	name := protocol.NewSenderKeyName("group\x00one", aliceAddr)
	empty, err := bs.LoadSenderKey(ctx, name)
	if err != nil || empty == nil || !empty.IsEmpty() {
		t.Fatalf("missing sender key: %v %v", empty, err)
	}
	ab := groups.NewGroupSessionBuilder(as, ser)
	skdm, err := ab.Create(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	msg, err := protocol.NewSenderKeyDistributionMessageFromBytes(skdm.Serialize(), ser.SenderKeyDistributionMessage)
	if err != nil {
		t.Fatal(err)
	}
	bb := groups.NewGroupSessionBuilder(bs, ser)
	if err := bb.Process(ctx, name, msg); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		text := fmt.Sprintf("group %d", i)
		ct, err := groups.NewGroupCipher(ab, name, as).Encrypt(ctx, []byte(text))
		if err != nil {
			t.Fatal(err)
		}
		skm, err := protocol.NewSenderKeyMessageFromBytes(ct.SignedSerialize(), ser.SenderKeyMessage)
		if err != nil {
			t.Fatal(err)
		}
		pt, err := groups.NewGroupCipher(bb, name, bs).Decrypt(ctx, skm)
		if err != nil || string(pt) != text {
			t.Fatalf("group decrypt %d: %q %v", i, pt, err)
		}
	}
	// Another sender in the same group has its own record.
	other := protocol.NewSenderKeyName("group\x00one", protocol.NewSignalAddress("alice", 2))
	if rec, _ := bs.LoadSenderKey(ctx, other); !rec.IsEmpty() {
		t.Fatal("sender keys of two senders collide")
	}
	if err := as.DeleteSenderKey(ctx, name); err != nil {
		t.Fatal(err)
	}
	var rec *groupRecord.SenderKey
	if rec, _ = as.LoadSenderKey(ctx, name); !rec.IsEmpty() {
		t.Fatal("sender key survived delete")
	}
}
