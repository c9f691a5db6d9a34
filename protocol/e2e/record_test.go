package e2e_test

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	ds "github.com/ipfs/go-datastore"
	dssync "github.com/ipfs/go-datastore/sync"
	dht "github.com/libp2p/go-libp2p-kad-dht"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"
	"go.mau.fi/libsignal/ecc"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/e2e"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/pb"
)

func TestBundleKey(t *testing.T) {
	acct, err := identity.NewAccount()
	if err != nil {
		t.Fatal(err)
	}
	id := acct.ID()
	a := e2e.Address{Account: id, Device: 0x01020304}
	key := e2e.BundleKey(a)
	if key != "/pigeon-bundles/"+string(id[:])+"\x01\x02\x03\x04" {
		t.Fatalf("key %q", key)
	}
	got, err := e2e.AddressFromBundleKey(key)
	if err != nil || got != a {
		t.Fatalf("AddressFromBundleKey: %v, %v", got, err)
	}
	for name, k := range map[string]string{
		"empty":          "",
		"no namespace":   string(id[:]) + "\x00\x00\x00\x01",
		"other ns":       "/pigeon-devices/" + string(id[:]) + "\x00\x00\x00\x01",
		"no device":      "/pigeon-bundles/" + string(id[:]),
		"short device":   "/pigeon-bundles/" + string(id[:]) + "\x00\x01",
		"long":           "/pigeon-bundles/" + string(id[:]) + "\x00\x00\x00\x01\x00",
		"device 0":       "/pigeon-bundles/" + string(id[:]) + "\x00\x00\x00\x00",
		"device too big": "/pigeon-bundles/" + string(id[:]) + "\xff\xff\xff\xff",
		"only namespace": "/pigeon-bundles",
		"text id":        "/pigeon-bundles/" + id.String(),
	} {
		if _, err := e2e.AddressFromBundleKey(k); !errors.Is(err, e2e.ErrBadBundleKey) {
			t.Errorf("%s: %v, want ErrBadBundleKey", name, err)
		}
	}
}

func TestPublishedBundle(t *testing.T) {
	ctx := context.Background()
	bob := newDevice(t, nil, 3, devOpts{})
	left, err := bob.st.UnissuedPreKeys(ctx)
	if err != nil {
		t.Fatal(err)
	}
	b, rec, err := bob.mgr.PublishedBundle(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if b.PrekeyId != e2e.LastResortPreKeyID {
		t.Fatalf("prekey id %d, want last resort", b.PrekeyId)
	}
	if n, err := bob.st.UnissuedPreKeys(ctx); err != nil || n != left {
		t.Fatalf("publishing issued a one-time prekey: %d → %d, %v", left, n, err)
	}
	if len(rec) > e2e.MaxBundleRecordSize {
		t.Fatalf("record of %d bytes", len(rec))
	}
	signed, body := decodeRecord(t, rec)
	if enc := mustMarshal(t, b); !bytes.Equal(enc, signed.Body) {
		t.Fatal("record body is not the bundle's encoding")
	}
	if !proto.Equal(body, b) {
		t.Fatal("record body differs from the bundle returned")
	}
	b2, _, err := bob.mgr.PublishedBundle(ctx)
	if err != nil || !proto.Equal(b, b2) {
		t.Fatalf("published bundle not stable: %v", err)
	}
	vb, err := e2e.VerifyBundleRecord(rec, bob.addr)
	if err != nil {
		t.Fatal(err)
	}
	if vb.PreKeyID() != e2e.LastResortPreKeyID || vb.Address != bob.addr {
		t.Fatalf("verified record: prekey %d, address %v", vb.PreKeyID(), vb.Address)
	}
	if err := (e2e.BundleValidator{}).Validate(e2e.BundleKey(bob.addr), rec); err != nil {
		t.Fatal(err)
	}

	// Before Init there is nothing to publish.
	fresh, err := e2e.NewManager(newBadgerStore(t, bob.keys, 3), bob.cert.Signed, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := fresh.PublishedBundle(ctx); !errors.Is(err, e2e.ErrNotInitialized) {
		t.Fatalf("before Init: %v, want ErrNotInitialized", err)
	}
}

// rotate moves d's clock past the signed prekey lifetime and runs Init, so
// d gets a new signed prekey.
func rotate(t *testing.T, d *device, step int) {
	t.Helper()
	at := time.Now().Add(time.Duration(step) * (e2e.SignedPreKeyMaxAge + time.Hour))
	e2e.SetClock(d.mgr, func() time.Time { return at })
	if err := d.mgr.Init(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func published(t *testing.T, d *device) []byte {
	t.Helper()
	_, raw, err := d.mgr.PublishedBundle(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func mustMarshal(t *testing.T, b *pb.PreKeyBundle) []byte {
	t.Helper()
	raw, err := e2e.MarshalBundle(b)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// decodeRecord splits a bundle record into its signed wrapper and bundle.
func decodeRecord(t *testing.T, rec []byte) (*pb.Signed, *pb.PreKeyBundle) {
	t.Helper()
	var s pb.Signed
	if err := proto.Unmarshal(rec, &s); err != nil {
		t.Fatal(err)
	}
	b, err := e2e.DecodePreKeyBundle(s.Body)
	if err != nil {
		t.Fatal(err)
	}
	return &s, b
}

// bundleOf returns the bundle inside a record.
func bundleOf(t *testing.T, rec []byte) *pb.PreKeyBundle {
	t.Helper()
	_, b := decodeRecord(t, rec)
	return b
}

// signAs signs b as a bundle record with d's Signal identity key.
func signAs(t *testing.T, d *device, b *pb.PreKeyBundle) []byte {
	t.Helper()
	return e2e.SignBundleRecord(d.keys.IdentityKeyPair.PrivateKey(), mustMarshal(t, b))
}

// forgeLastResort swaps the record's last-resort prekey for another key
// without re-signing, as anyone on the DHT could.
func forgeLastResort(t *testing.T, rec []byte) []byte {
	t.Helper()
	s, b := decodeRecord(t, rec)
	kp, err := ecc.GenerateKeyPair()
	if err != nil {
		t.Fatal(err)
	}
	b.Prekey = kp.PublicKey().Serialize()
	s.Body = mustMarshal(t, b)
	out, err := proto.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestBundleValidator(t *testing.T) {
	ctx := context.Background()
	bob := newDevice(t, nil, 1, devOpts{})
	bob2 := newDevice(t, bob.acct, 2, devOpts{})
	carol := newDevice(t, nil, 1, devOpts{})
	key := e2e.BundleKey(bob.addr)
	v1 := published(t, bob)
	rotate(t, bob, 1)
	v2 := published(t, bob)
	if bundleOf(t, v2).SignedPrekeyId <= bundleOf(t, v1).SignedPrekeyId {
		t.Fatal("rotation did not raise the signed prekey id")
	}

	// The same keys under a certificate issued later (re-certified device).
	recert, err := bob.acct.IssueCertificate(1, bob.cert.PeerID, bob.cert.SignalIdentityKey, bob.cert.IssuedAt.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	b := bundleOf(t, v1)
	b.Certificate = recert
	v1Recert := signAs(t, bob, b)

	tampered := bundleOf(t, v2)
	tampered.SignedPrekeySignature[7] ^= 1
	badSPK := signAs(t, bob, tampered)
	s, _ := decodeRecord(t, v2)
	s.Signature[9] ^= 1
	badSig, err := proto.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	shortSig, _ := proto.Marshal(&pb.Signed{Body: s.Body, Signature: s.Signature[:63]})
	forged := forgeLastResort(t, v2)

	oneTime, err := bob.mgr.Bundle(ctx)
	if err != nil {
		t.Fatal(err)
	}
	noPK := bundleOf(t, v2)
	noPK.PrekeyId, noPK.Prekey = 0, nil
	// bob2's bundle signed with bob's key: the record signature is not by
	// the certified identity.
	otherSigner := signAs(t, bob, bundleOf(t, published(t, bob2)))

	pad := func(b []byte, n int) []byte {
		return protowire.AppendBytes(protowire.AppendTag(bytes.Clone(b), 99, protowire.BytesType), make([]byte, n))
	}
	oversized := pad(v2, e2e.MaxBundleRecordSize)
	bigBody := e2e.SignBundleRecord(bob.keys.IdentityKeyPair.PrivateKey(), pad(mustMarshal(t, bundleOf(t, v2)), e2e.MaxBundleSize))

	var v e2e.BundleValidator
	for name, rec := range map[string][]byte{"v1": v1, "v2": v2, "v1 recertified": v1Recert} {
		if err := v.Validate(key, rec); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	for _, tc := range []struct {
		name  string
		key   string
		value []byte
		want  error
	}{
		{"tampered signed prekey signature", key, badSPK, e2e.ErrBadSignature},
		{"tampered record signature", key, badSig, e2e.ErrBadRecordSignature},
		{"short record signature", key, shortSig, e2e.ErrMalformed},
		{"forged last-resort prekey", key, forged, e2e.ErrBadRecordSignature},
		{"signed by another identity", e2e.BundleKey(bob2.addr), otherSigner, e2e.ErrBadRecordSignature},
		{"one-time prekey", key, signAs(t, bob, oneTime), e2e.ErrOneTimePreKey},
		{"no prekey", key, signAs(t, bob, noPK), e2e.ErrOneTimePreKey},
		{"bare bundle", key, mustMarshal(t, bundleOf(t, v2)), e2e.ErrMalformed},
		{"other device's key", e2e.BundleKey(bob2.addr), v2, e2e.ErrWrongDevice},
		{"other account's key", e2e.BundleKey(carol.addr), v2, e2e.ErrWrongDevice},
		{"other account's record", key, published(t, carol), e2e.ErrWrongDevice},
		{"device list namespace", identity.DeviceListKey(bob.acct.ID()), v2, e2e.ErrBadBundleKey},
		{"oversized", key, oversized, e2e.ErrTooLarge},
		{"oversized body", key, bigBody, e2e.ErrTooLarge},
		{"garbage", key, []byte("not a bundle"), e2e.ErrMalformed},
		{"empty", key, nil, e2e.ErrMalformed},
	} {
		if err := v.Validate(tc.key, tc.value); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}

	other := published(t, carol)
	for _, tc := range []struct {
		name   string
		values [][]byte
		want   int
	}{
		{"newer signed prekey last", [][]byte{v1, v2}, 1},
		{"newer signed prekey first", [][]byte{v2, v1}, 0},
		{"newer certificate beats higher signed prekey", [][]byte{v2, v1Recert}, 1},
		{"invalid skipped", [][]byte{v1, badSig, other}, 0},
		{"forgery skipped", [][]byte{forged, v1}, 1},
		{"one-time skipped", [][]byte{signAs(t, bob, oneTime), v1}, 1},
		{"tie keeps first", [][]byte{v2, v1, v2}, 0},
		{"single", [][]byte{v1}, 0},
	} {
		got, err := v.Select(key, tc.values)
		if err != nil || got != tc.want {
			t.Errorf("%s: Select = %d, %v; want %d", tc.name, got, err, tc.want)
		}
	}
	if _, err := v.Select(key, [][]byte{badSig, forged, other}); err == nil {
		t.Error("Select of only invalid records succeeded")
	}
	if _, err := v.Select(key, nil); err == nil {
		t.Error("Select of nothing succeeded")
	}
}

func newDHT(t *testing.T, h host.Host) *dht.IpfsDHT {
	t.Helper()
	d, err := dht.New(h,
		dht.Mode(dht.ModeServer),
		dht.ProtocolPrefix("/pigeon"),
		dht.NamespacedValidator(e2e.BundleNamespace, e2e.BundleValidator{}),
		dht.Datastore(dssync.MutexWrap(ds.NewMapDatastore())),
		dht.DisableProviders(),
	)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close() })
	return d
}

// TestBundleInDHT publishes a device's bundle through one DHT node and
// starts sessions from the copy fetched through another, the way a sender
// reaches a device that is offline.
func TestBundleInDHT(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	h1, h2 := newHost(t), newHost(t)
	d1, d2 := newDHT(t, h1), newDHT(t, h2)
	if err := h2.Connect(ctx, peer.AddrInfo{ID: h1.ID(), Addrs: h1.Addrs()}); err != nil {
		t.Fatal(err)
	}
	for d1.RoutingTable().Size() < 1 || d2.RoutingTable().Size() < 1 {
		if ctx.Err() != nil {
			t.Fatal("routing tables did not fill")
		}
		time.Sleep(10 * time.Millisecond) // polling, bounded by ctx
	}

	bob := newDevice(t, nil, 7, devOpts{})
	key := e2e.BundleKey(bob.addr)
	v1 := published(t, bob)
	if err := d1.PutValue(ctx, key, v1); err != nil {
		t.Fatalf("put: %v", err)
	}
	// Republishing the same record is accepted.
	if err := d1.PutValue(ctx, key, v1); err != nil {
		t.Fatalf("republish: %v", err)
	}

	// Two senders start sessions from the fetched bundle while bob is
	// away; bob decrypts both and answers.
	for i, name := range []string{"alice", "carol"} {
		sender := newDevice(t, nil, 1, devOpts{})
		raw, err := d2.GetValue(ctx, key)
		if err != nil || !bytes.Equal(raw, v1) {
			t.Fatalf("%s: get: %v", name, err)
		}
		vb, err := e2e.VerifyBundleRecord(raw, bob.addr)
		if err != nil {
			t.Fatal(err)
		}
		if vb.PreKeyID() != e2e.LastResortPreKeyID {
			t.Fatalf("%s: prekey id %d", name, vb.PreKeyID())
		}
		if _, err := sender.mgr.StartSession(ctx, vb); err != nil {
			t.Fatal(err)
		}
		msg := msgN(name, i)
		mustDecrypt(t, bob, sender, encrypt(t, sender, bob, msg), msg)
		mustDecrypt(t, sender, bob, encrypt(t, bob, sender, "reply"), "reply")
	}

	// After a rotation the new record replaces the old, and the old one
	// can no longer be put back.
	rotate(t, bob, 1)
	v2 := published(t, bob)
	if err := d2.PutValue(ctx, key, v2); err != nil {
		t.Fatalf("put rotated: %v", err)
	}
	if got, err := d1.GetValue(ctx, key); err != nil || !bytes.Equal(got, v2) {
		t.Fatalf("get rotated: %v", err)
	}
	if err := d1.PutValue(ctx, key, v1); err == nil {
		t.Error("older bundle accepted")
	}

	// Forged and one-time records are refused. Without the record
	// signature the forgery would tie with v2 and replace it.
	if err := d1.PutValue(ctx, key, forgeLastResort(t, v2)); err == nil {
		t.Error("bundle with a forged last-resort prekey accepted")
	}
	oneTime, err := bob.mgr.Bundle(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := d1.PutValue(ctx, key, signAs(t, bob, oneTime)); err == nil {
		t.Error("bundle with a one-time prekey accepted")
	}
	if got, err := d2.GetValue(ctx, key); err != nil || !bytes.Equal(got, v2) {
		t.Fatalf("after rejected puts: %v", err)
	}
}

// fixedBundle builds a published-style bundle from fixed keys. Fuzzing
// runs the target in several processes that share one corpus, so the
// fixture must be the same in each; only the XEdDSA signatures (randomized)
// differ between processes.
func fixedBundle(tb testing.TB) (*pb.PreKeyBundle, e2e.Address, ecc.ECPrivateKeyable) {
	tb.Helper()
	fill := func(b byte, n int) []byte { return bytes.Repeat([]byte{b}, n) }
	acct, err := identity.AccountFromSeed(fill(1, 32))
	if err != nil {
		tb.Fatal(err)
	}
	ik, spk, lr := ecc.CreateKeyPair(fill(2, 32)), ecc.CreateKeyPair(fill(3, 32)), ecc.CreateKeyPair(fill(4, 32))
	_, pub, err := crypto.GenerateEd25519Key(bytes.NewReader(fill(5, 64)))
	if err != nil {
		tb.Fatal(err)
	}
	pid, err := peer.IDFromPublicKey(pub)
	if err != nil {
		tb.Fatal(err)
	}
	cert, err := acct.IssueCertificate(1, pid, ik.PublicKey().Serialize(), time.Unix(1_700_000_000, 0))
	if err != nil {
		tb.Fatal(err)
	}
	sig := ecc.CalculateSignature(ik.PrivateKey(), spk.PublicKey().Serialize())
	return &pb.PreKeyBundle{
		Certificate:           cert,
		RegistrationId:        42,
		SignedPrekeyId:        1,
		SignedPrekey:          spk.PublicKey().Serialize(),
		SignedPrekeySignature: sig[:],
		PrekeyId:              e2e.LastResortPreKeyID,
		Prekey:                lr.PublicKey().Serialize(),
	}, e2e.Address{Account: acct.ID(), Device: 1}, ik.PrivateKey()
}

// FuzzBundleValidator feeds arbitrary keys and values to the DHT
// validator, seeded with real records. Only the fixture device's bundle,
// unchanged but for its signatures, may validate, and only under its key.
func FuzzBundleValidator(f *testing.F) {
	want, addr, priv := fixedBundle(f)
	key := e2e.BundleKey(addr)
	sign := func(b *pb.PreKeyBundle) []byte {
		raw, err := e2e.MarshalBundle(b)
		if err != nil {
			f.Fatal(err)
		}
		return e2e.SignBundleRecord(priv, raw)
	}
	rec := sign(want)
	var v e2e.BundleValidator
	if err := v.Validate(key, rec); err != nil {
		f.Fatal(err)
	}
	oneTime := proto.Clone(want).(*pb.PreKeyBundle)
	oneTime.PrekeyId = 5
	bare, err := e2e.MarshalBundle(want)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(key, rec)
	f.Add(key, sign(oneTime))
	f.Add(key, bare)
	f.Add(e2e.BundleKey(e2e.Address{Account: addr.Account, Device: 2}), rec)
	f.Add(key, []byte{})
	f.Add("", []byte{})
	unsigned := func(b *pb.PreKeyBundle) *pb.PreKeyBundle {
		b = proto.Clone(b).(*pb.PreKeyBundle)
		b.SignedPrekeySignature = nil
		return b
	}
	f.Fuzz(func(t *testing.T, k string, value []byte) {
		err := v.Validate(k, value)
		i, serr := v.Select(k, [][]byte{value, value})
		if (err == nil) != (serr == nil) || (serr == nil && i != 0) {
			t.Fatalf("Validate %v but Select %d, %v", err, i, serr)
		}
		if err != nil {
			return
		}
		if k != key {
			t.Fatalf("validated under key %q", k)
		}
		var s pb.Signed
		if err := proto.Unmarshal(value, &s); err != nil {
			t.Fatalf("validated but does not decode: %v", err)
		}
		got, err := e2e.DecodePreKeyBundle(s.Body)
		if err != nil {
			t.Fatalf("validated but body does not decode: %v", err)
		}
		if !proto.Equal(unsigned(got), unsigned(want)) {
			t.Fatal("validated a bundle the device did not publish")
		}
	})
}
