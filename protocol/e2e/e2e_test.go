package e2e_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"sync"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/e2e"
	"github.com/pigeon-net/pigeon/protocol/e2e/e2etest"
	"github.com/pigeon-net/pigeon/protocol/pb"
)

func TestGenerateLocalKeys(t *testing.T) {
	for range 50 {
		k, err := e2e.GenerateLocalKeys()
		if err != nil {
			t.Fatal(err)
		}
		if k.RegistrationID == 0 || k.RegistrationID > 0x3FFF {
			t.Fatalf("registration id %d out of range", k.RegistrationID)
		}
		if n := len(k.IdentityKeyPair.PublicKey().Serialize()); n != 33 {
			t.Fatalf("identity key of %d bytes", n)
		}
	}
}

func TestAddressSignal(t *testing.T) {
	d := newDevice(t, nil, 7, devOpts{store: memoryStore})
	sa := d.addr.Signal()
	if sa.Name() != d.acct.ID().String() || sa.DeviceID() != 7 {
		t.Fatalf("signal address %s", sa)
	}
}

func TestTwoHosts(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	alice := newDevice(t, nil, 1, devOpts{host: true})
	bob := newDevice(t, nil, 1, devOpts{host: true})
	if err := alice.host.Connect(ctx, peer.AddrInfo{ID: bob.host.ID(), Addrs: bob.host.Addrs()}); err != nil {
		t.Fatal(err)
	}

	raw, err := e2e.FetchBundle(ctx, alice.host, bob.host.ID())
	if err != nil {
		t.Fatal(err)
	}
	b, err := e2e.VerifyBundle(raw, bob.addr)
	if err != nil {
		t.Fatal(err)
	}
	if b.PreKeyID() == 0 || b.PreKeyID() == e2e.LastResortPreKeyID {
		t.Fatalf("bundle prekey id %d, want a one-time prekey", b.PreKeyID())
	}
	if ok, err := alice.mgr.HasSession(ctx, bob.addr); err != nil || ok {
		t.Fatalf("HasSession before start = %v, %v", ok, err)
	}
	change, err := alice.mgr.StartSession(ctx, b)
	if err != nil || change != nil {
		t.Fatalf("StartSession = %v, %v", change, err)
	}
	if ok, err := alice.mgr.HasSession(ctx, bob.addr); err != nil || !ok {
		t.Fatalf("HasSession after start = %v, %v", ok, err)
	}

	for i := range 5 {
		m := encrypt(t, alice, bob, msgN("a→b", i))
		wantType := e2e.MessageTypeSignal
		if i == 0 {
			wantType = e2e.MessageTypePreKey
		}
		if m.typ != wantType {
			t.Fatalf("a→b %d: type %d, want %d", i, m.typ, wantType)
		}
		mustDecrypt(t, bob, alice, m, msgN("a→b", i))
		r := encrypt(t, bob, alice, msgN("b→a", i))
		if r.typ != e2e.MessageTypeSignal {
			t.Fatalf("b→a %d: type %d", i, r.typ)
		}
		mustDecrypt(t, alice, bob, r, msgN("b→a", i))
	}
	if n := e2e.LockEntries(alice.mgr) + e2e.LockEntries(bob.mgr); n != 0 {
		t.Fatalf("%d lock entries left", n)
	}
}

func TestOneTimePreKeyHandedOutOnce(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	alice := newDevice(t, nil, 1, devOpts{host: true})
	bob := newDevice(t, nil, 2, devOpts{host: true})
	if err := alice.host.Connect(ctx, peer.AddrInfo{ID: bob.host.ID(), Addrs: bob.host.Addrs()}); err != nil {
		t.Fatal(err)
	}
	seen := map[uint32]bool{}
	for range 3 {
		raw, err := e2e.FetchBundle(ctx, alice.host, bob.host.ID())
		if err != nil {
			t.Fatal(err)
		}
		if raw.PrekeyId == 0 || seen[raw.PrekeyId] {
			t.Fatalf("prekey id %d handed out twice or missing", raw.PrekeyId)
		}
		seen[raw.PrekeyId] = true
	}

	// Drain every one-time prekey behind the manager's back: the next bundle
	// must carry the last-resort key, which still works, and refill.
	for {
		pk, err := bob.st.IssuePreKey(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if pk == nil {
			break
		}
	}
	raw, err := e2e.FetchBundle(ctx, alice.host, bob.host.ID())
	if err != nil {
		t.Fatal(err)
	}
	if raw.PrekeyId != e2e.LastResortPreKeyID {
		t.Fatalf("exhausted: prekey id %d, want last resort", raw.PrekeyId)
	}
	b, err := e2e.VerifyBundle(raw, bob.addr)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := alice.mgr.StartSession(ctx, b); err != nil {
		t.Fatal(err)
	}
	mustDecrypt(t, bob, alice, encrypt(t, alice, bob, "via last resort"), "via last resort")
	mustDecrypt(t, alice, bob, encrypt(t, bob, alice, "reply"), "reply")
	// The last-resort key survives its use.
	if ok, err := bob.st.ContainsPreKey(ctx, e2e.LastResortPreKeyID); err != nil || !ok {
		t.Fatalf("last-resort prekey gone: %v, %v", ok, err)
	}
	if n, err := bob.st.UnissuedPreKeys(ctx); err != nil || n < e2e.PreKeyRefillBelow {
		t.Fatalf("not refilled: %d, %v", n, err)
	}
	raw, err = e2e.FetchBundle(ctx, alice.host, bob.host.ID())
	if err != nil {
		t.Fatal(err)
	}
	if raw.PrekeyId == e2e.LastResortPreKeyID || seen[raw.PrekeyId] {
		t.Fatalf("after refill: prekey id %d", raw.PrekeyId)
	}
}

func TestBundleRefill(t *testing.T) {
	ctx := context.Background()
	bob := newDevice(t, nil, 1, devOpts{})
	if n, _ := bob.st.UnissuedPreKeys(ctx); n != e2e.PreKeyTarget {
		t.Fatalf("after Init: %d unissued, want %d", n, e2e.PreKeyTarget)
	}
	seen := map[uint32]bool{}
	for i := range e2e.PreKeyTarget + 20 {
		b, err := bob.mgr.Bundle(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if b.PrekeyId == 0 || b.PrekeyId == e2e.LastResortPreKeyID || seen[b.PrekeyId] {
			t.Fatalf("bundle %d: prekey id %d", i, b.PrekeyId)
		}
		seen[b.PrekeyId] = true
	}
	if n, _ := bob.st.UnissuedPreKeys(ctx); n < e2e.PreKeyRefillBelow {
		t.Fatalf("%d unissued after refills", n)
	}
}

func TestSignedPreKeyRotation(t *testing.T) {
	ctx := context.Background()
	bob := newDevice(t, nil, 1, devOpts{})
	alice := newDevice(t, nil, 1, devOpts{})
	old, err := bob.mgr.Bundle(ctx)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	for i := 1; i <= 5; i++ {
		e2e.SetClock(bob.mgr, func() time.Time { return now.Add(time.Duration(i) * (e2e.SignedPreKeyMaxAge + time.Hour)) })
		if err := bob.mgr.Init(ctx); err != nil {
			t.Fatal(err)
		}
	}
	b, err := bob.mgr.Bundle(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if b.SignedPrekeyId != old.SignedPrekeyId+5 {
		t.Fatalf("signed prekey id %d, want %d", b.SignedPrekeyId, old.SignedPrekeyId+5)
	}
	all, err := bob.st.LoadSignedPreKeys(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 4 {
		t.Fatalf("%d signed prekeys kept, want current + 3", len(all))
	}
	// Init again within the week keeps the key.
	if err := bob.mgr.Init(ctx); err != nil {
		t.Fatal(err)
	}
	if b2, _ := bob.mgr.Bundle(ctx); b2.SignedPrekeyId != b.SignedPrekeyId {
		t.Fatalf("rotated too early")
	}
	// The new bundle works.
	vb, err := e2e.VerifyBundle(b, bob.addr)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := alice.mgr.StartSession(ctx, vb); err != nil {
		t.Fatal(err)
	}
	mustDecrypt(t, bob, alice, encrypt(t, alice, bob, "hi"), "hi")
	// A bundle with a dropped signed prekey no longer starts a session.
	carol := newDevice(t, nil, 1, devOpts{})
	vb, err = e2e.VerifyBundle(old, bob.addr)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := carol.mgr.StartSession(ctx, vb); err != nil {
		t.Fatal(err)
	}
	if _, _, err := decrypt(bob, carol, encrypt(t, carol, bob, "stale")); err == nil {
		t.Fatal("message built on a dropped signed prekey decrypted")
	}
}

func TestVerifyBundleRejects(t *testing.T) {
	ctx := context.Background()
	bob := newDevice(t, nil, 3, devOpts{store: memoryStore})
	mallory := newDevice(t, nil, 3, devOpts{store: memoryStore})
	bobAgain := newDevice(t, bob.acct, 4, devOpts{store: memoryStore})
	good, err := bob.mgr.Bundle(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e2e.VerifyBundle(good, bob.addr); err != nil {
		t.Fatalf("good bundle: %v", err)
	}
	mal, err := mallory.mgr.Bundle(ctx)
	if err != nil {
		t.Fatal(err)
	}
	other, err := bobAgain.mgr.Bundle(ctx)
	if err != nil {
		t.Fatal(err)
	}
	mutate := func(f func(b *pb.PreKeyBundle)) *pb.PreKeyBundle {
		b := proto.Clone(good).(*pb.PreKeyBundle)
		f(b)
		return b
	}
	cases := []struct {
		name string
		b    *pb.PreKeyBundle
		want e2e.Address
		err  error
	}{
		{"tampered signed prekey signature", mutate(func(b *pb.PreKeyBundle) { b.SignedPrekeySignature[10] ^= 1 }), bob.addr, e2e.ErrBadSignature},
		{"tampered signed prekey", mutate(func(b *pb.PreKeyBundle) { b.SignedPrekey[5] ^= 1 }), bob.addr, e2e.ErrBadSignature},
		{"foreign certificate", mutate(func(b *pb.PreKeyBundle) { b.Certificate = mal.Certificate }), bob.addr, e2e.ErrWrongDevice},
		{"foreign bundle", mal, bob.addr, e2e.ErrWrongDevice},
		{"wrong device", good, e2e.Address{Account: bob.addr.Account, Device: 4}, e2e.ErrWrongDevice},
		{"cert of sibling device", mutate(func(b *pb.PreKeyBundle) { b.Certificate = other.Certificate }), bob.addr, e2e.ErrWrongDevice},
		{"sibling keys under own cert", mutate(func(b *pb.PreKeyBundle) {
			b.SignedPrekey, b.SignedPrekeySignature = other.SignedPrekey, other.SignedPrekeySignature
		}), bob.addr, e2e.ErrBadSignature},
		{"forged certificate signature", mutate(func(b *pb.PreKeyBundle) {
			b.Certificate = proto.Clone(b.Certificate).(*pb.Signed)
			b.Certificate.Signature[0] ^= 1
		}), bob.addr, e2e.ErrMalformed},
		{"prekey id 0 with key", mutate(func(b *pb.PreKeyBundle) { b.PrekeyId = 0 }), bob.addr, e2e.ErrMalformed},
		{"prekey id without key", mutate(func(b *pb.PreKeyBundle) { b.Prekey = nil }), bob.addr, e2e.ErrMalformed},
		{"short prekey", mutate(func(b *pb.PreKeyBundle) { b.Prekey = b.Prekey[:32] }), bob.addr, e2e.ErrMalformed},
		{"prekey id too large", mutate(func(b *pb.PreKeyBundle) { b.PrekeyId = 1 << 24 }), bob.addr, e2e.ErrMalformed},
		{"no certificate", mutate(func(b *pb.PreKeyBundle) { b.Certificate = nil }), bob.addr, e2e.ErrMalformed},
		{"bad key type", mutate(func(b *pb.PreKeyBundle) { b.SignedPrekey[0] = 0x04 }), bob.addr, e2e.ErrMalformed},
		{"nil", nil, bob.addr, e2e.ErrMalformed},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := e2e.VerifyBundle(c.b, c.want)
			if !errors.Is(err, c.err) {
				t.Fatalf("err = %v, want %v", err, c.err)
			}
		})
	}

	// A bundle without a one-time prekey is valid and starts a session.
	alice := newDevice(t, nil, 1, devOpts{store: memoryStore})
	noPK := mutate(func(b *pb.PreKeyBundle) { b.PrekeyId, b.Prekey = 0, nil })
	vb, err := e2e.VerifyBundle(noPK, bob.addr)
	if err != nil {
		t.Fatal(err)
	}
	if vb.PreKeyID() != 0 {
		t.Fatalf("prekey id %d", vb.PreKeyID())
	}
	if _, err := alice.mgr.StartSession(ctx, vb); err != nil {
		t.Fatal(err)
	}
	mustDecrypt(t, bob, alice, encrypt(t, alice, bob, "no one-time prekey"), "no one-time prekey")
}

func TestNoSession(t *testing.T) {
	alice := newDevice(t, nil, 1, devOpts{})
	bob := newDevice(t, nil, 1, devOpts{})
	if _, _, err := alice.mgr.Encrypt(context.Background(), bob.addr, []byte("x"), nil); !errors.Is(err, e2e.ErrNoSession) {
		t.Fatalf("encrypt without session: %v", err)
	}
	// Build a session elsewhere to get a genuine type-2 message bob has no
	// session for.
	carol := newDevice(t, nil, 1, devOpts{})
	connect(t, alice, carol)
	mustDecrypt(t, carol, alice, encrypt(t, alice, carol, "1"), "1")
	m := encrypt(t, carol, alice, "2")
	if _, _, err := decrypt(bob, carol, m); !errors.Is(err, e2e.ErrNoSession) && !errors.Is(err, e2e.ErrUntrustedIdentity) {
		t.Fatalf("decrypt without session: %v", err)
	}
}

func TestReplay(t *testing.T) {
	alice := newDevice(t, nil, 1, devOpts{})
	bob := newDevice(t, nil, 1, devOpts{})
	connect(t, alice, bob)

	first := encrypt(t, alice, bob, "first")
	mustDecrypt(t, bob, alice, first, "first")
	calls := 0
	_, err := bob.mgr.Decrypt(context.Background(), alice.addr, alice.cert, first.typ, first.ct,
		func(context.Context, []byte) error { calls++; return nil })
	if !errors.Is(err, e2e.ErrReplay) || calls != 0 {
		t.Fatalf("replayed prekey message: err %v, fn called %d times", err, calls)
	}
	second := encrypt(t, alice, bob, "second")
	mustDecrypt(t, bob, alice, second, "second")
	if _, _, err := decrypt(bob, alice, second); !errors.Is(err, e2e.ErrReplay) {
		t.Fatalf("replayed signal message: %v", err)
	}
	// Nothing changed: the session continues both ways.
	mustDecrypt(t, bob, alice, encrypt(t, alice, bob, "third"), "third")
	mustDecrypt(t, alice, bob, encrypt(t, bob, alice, "reply"), "reply")
	if _, _, err := decrypt(alice, bob, second); err == nil {
		t.Fatal("alice decrypted her own message")
	}
}

func TestTamperedCiphertext(t *testing.T) {
	alice := newDevice(t, nil, 1, devOpts{})
	bob := newDevice(t, nil, 1, devOpts{})
	connect(t, alice, bob)

	check := func(m sealed, want string) {
		t.Helper()
		for _, i := range []int{len(m.ct) - 1, len(m.ct) - 12, len(m.ct) / 2} {
			bad := sealed{m.typ, bytes.Clone(m.ct)}
			bad.ct[i] ^= 0x40
			if _, _, err := decrypt(bob, alice, bad); !errors.Is(err, e2e.ErrDecrypt) && !errors.Is(err, e2e.ErrUntrustedIdentity) {
				t.Fatalf("tampered byte %d of type %d: %v", i, m.typ, err)
			}
		}
		bad := sealed{m.typ, m.ct[:len(m.ct)-1]}
		if _, _, err := decrypt(bob, alice, bad); !errors.Is(err, e2e.ErrDecrypt) {
			t.Fatalf("truncated: %v", err)
		}
		mustDecrypt(t, bob, alice, m, want)
	}
	check(encrypt(t, alice, bob, "prekey message"), "prekey message")
	mustDecrypt(t, alice, bob, encrypt(t, bob, alice, "ack"), "ack")
	check(encrypt(t, alice, bob, "signal message"), "signal message")
	// Out of order still works after the failures.
	m1 := encrypt(t, alice, bob, "m1")
	m2 := encrypt(t, alice, bob, "m2")
	check(m2, "m2")
	check(m1, "m1")
}

func TestCallbackErrorRollsBack(t *testing.T) {
	alice := newDevice(t, nil, 1, devOpts{})
	bob := newDevice(t, nil, 1, devOpts{})
	connect(t, alice, bob)
	ctx := context.Background()
	errStore := errors.New("disk full")

	for _, text := range []string{"prekey message", "second"} {
		m := encrypt(t, alice, bob, text)
		_, err := bob.mgr.Decrypt(ctx, alice.addr, alice.cert, m.typ, m.ct,
			func(context.Context, []byte) error { return errStore })
		if !errors.Is(err, errStore) {
			t.Fatalf("%s: err %v, want the callback's", text, err)
		}
		if text == "prekey message" {
			if ok, _ := bob.mgr.HasSession(ctx, alice.addr); ok {
				t.Fatal("session stored although fn failed")
			}
		}
		mustDecrypt(t, bob, alice, m, text)
	}

	// Encrypt: a failing fn leaves the chain where it was, so the next
	// message reuses the counter and decrypts.
	mustDecrypt(t, alice, bob, encrypt(t, bob, alice, "ack"), "ack")
	if _, _, err := alice.mgr.Encrypt(ctx, bob.addr, []byte("lost"), func(context.Context, e2e.Sealed) error { return errStore }); !errors.Is(err, errStore) {
		t.Fatalf("encrypt fn error: %v", err)
	}
	mustDecrypt(t, bob, alice, encrypt(t, alice, bob, "kept"), "kept")
}

func TestIdentityChange(t *testing.T) {
	ctx := context.Background()
	alice := newDevice(t, nil, 1, devOpts{})
	bob := newDevice(t, nil, 1, devOpts{})
	connect(t, alice, bob)
	mustDecrypt(t, bob, alice, encrypt(t, alice, bob, "hello"), "hello")
	mustDecrypt(t, alice, bob, encrypt(t, bob, alice, "hi"), "hi")

	// Bob re-installs: new Signal identity, new certificate by the same
	// account, same device number.
	bob2 := newDevice(t, bob.acct, 1, devOpts{})
	raw, err := bob2.mgr.Bundle(ctx)
	if err != nil {
		t.Fatal(err)
	}
	vb, err := e2e.VerifyBundle(raw, bob.addr)
	if err != nil {
		t.Fatal(err)
	}
	change, err := alice.mgr.StartSession(ctx, vb)
	if err != nil {
		t.Fatal(err)
	}
	if change == nil || change.Address != bob.addr ||
		!bytes.Equal(change.Old, bob.cert.SignalIdentityKey) || !bytes.Equal(change.New, bob2.cert.SignalIdentityKey) {
		t.Fatalf("StartSession change = %+v", change)
	}
	mustDecrypt(t, bob2, alice, encrypt(t, alice, bob2, "welcome back"), "welcome back")

	// The old identity can no longer talk to alice under bob's address.
	if _, _, err := decrypt(alice, bob, encrypt(t, bob, alice, "stale")); !errors.Is(err, e2e.ErrUntrustedIdentity) {
		t.Fatalf("message from replaced identity: %v", err)
	}

	// Receiving side: carol knows bob's old identity; bob2 starts a session
	// with her and she learns of the change from the prekey message.
	carol := newDevice(t, nil, 1, devOpts{})
	connect(t, bob, carol)
	mustDecrypt(t, carol, bob, encrypt(t, bob, carol, "old bob"), "old bob")
	connect(t, bob2, carol)
	m := encrypt(t, bob2, carol, "new bob")
	got, change, err := decrypt(carol, bob2, m)
	if err != nil || got != "new bob" {
		t.Fatalf("decrypt from new identity: %q, %v", got, err)
	}
	if change == nil || !bytes.Equal(change.Old, bob.cert.SignalIdentityKey) || !bytes.Equal(change.New, bob2.cert.SignalIdentityKey) {
		t.Fatalf("Decrypt change = %+v", change)
	}
	mustDecrypt(t, bob2, carol, encrypt(t, carol, bob2, "ok"), "ok")
}

func TestUntrustedIdentity(t *testing.T) {
	alice := newDevice(t, nil, 1, devOpts{})
	bob := newDevice(t, nil, 1, devOpts{})
	connect(t, alice, bob)
	// impostor: same account and device number as alice but a Signal
	// identity the account never certified... simulated by handing bob a
	// certificate of another alice install while the message carries the
	// original identity.
	alice2 := newDevice(t, alice.acct, 1, devOpts{})
	m := encrypt(t, alice, bob, "who am i")
	_, err := bob.mgr.Decrypt(context.Background(), alice.addr, alice2.cert, m.typ, m.ct, nil)
	if !errors.Is(err, e2e.ErrUntrustedIdentity) {
		t.Fatalf("prekey message with uncertified identity: %v", err)
	}
	// A certificate of another device is refused too.
	other := newDevice(t, alice.acct, 2, devOpts{})
	if _, err := bob.mgr.Decrypt(context.Background(), alice.addr, other.cert, m.typ, m.ct, nil); !errors.Is(err, e2e.ErrUntrustedIdentity) {
		t.Fatalf("certificate of another device: %v", err)
	}
	mustDecrypt(t, bob, alice, m, "who am i")

	// Type 2 with a certificate for another key.
	mustDecrypt(t, alice, bob, encrypt(t, bob, alice, "ack"), "ack")
	m2 := encrypt(t, alice, bob, "established")
	if m2.typ != e2e.MessageTypeSignal {
		t.Fatalf("type %d", m2.typ)
	}
	if _, err := bob.mgr.Decrypt(context.Background(), alice.addr, alice2.cert, m2.typ, m2.ct, nil); !errors.Is(err, e2e.ErrUntrustedIdentity) {
		t.Fatalf("signal message with another certified key: %v", err)
	}
	mustDecrypt(t, bob, alice, m2, "established")
}

func TestUnsupportedType(t *testing.T) {
	alice := newDevice(t, nil, 1, devOpts{store: memoryStore})
	bob := newDevice(t, nil, 1, devOpts{store: memoryStore})
	connect(t, alice, bob)
	m := encrypt(t, alice, bob, "x")
	for _, typ := range []uint32{0, 1, 4, 5} {
		if _, _, err := decrypt(bob, alice, sealed{typ, m.ct}); !errors.Is(err, e2e.ErrUnsupportedType) {
			t.Fatalf("type %d: %v", typ, err)
		}
	}
	// A prekey message presented as type 2 fails cleanly.
	if _, _, err := decrypt(bob, alice, sealed{e2e.MessageTypeSignal, m.ct}); !errors.Is(err, e2e.ErrDecrypt) && !errors.Is(err, e2e.ErrNoSession) {
		t.Fatalf("prekey message as type 2: %v", err)
	}
	mustDecrypt(t, bob, alice, m, "x")
}

func TestConcurrentEncrypt(t *testing.T) {
	alice := newDevice(t, nil, 1, devOpts{})
	bob := newDevice(t, nil, 1, devOpts{})
	connect(t, alice, bob)

	const workers, per = 4, 50
	var (
		mu   sync.Mutex
		msgs []sealed
		wg   sync.WaitGroup
		errs = make(chan error, workers)
	)
	for w := range workers {
		wg.Go(func() {
			for i := range per {
				typ, ct, err := alice.mgr.Encrypt(context.Background(), bob.addr, []byte(msgN(string(rune('a'+w)), i)), nil)
				if err != nil {
					errs <- err
					return
				}
				mu.Lock()
				msgs = append(msgs, sealed{typ, ct})
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if len(msgs) != workers*per {
		t.Fatalf("%d messages", len(msgs))
	}
	seen := map[string]bool{}
	for i, m := range msgs {
		got, _, err := decrypt(bob, alice, m)
		if err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
		if seen[got] {
			t.Fatalf("duplicate plaintext %q", got)
		}
		seen[got] = true
	}
	if n := e2e.LockEntries(alice.mgr); n != 0 {
		t.Fatalf("%d lock entries left", n)
	}
}

func TestConcurrentDecryptAndEncrypt(t *testing.T) {
	alice := newDevice(t, nil, 1, devOpts{})
	bob := newDevice(t, nil, 1, devOpts{})
	connect(t, alice, bob)
	mustDecrypt(t, bob, alice, encrypt(t, alice, bob, "hi"), "hi")
	var in []sealed
	for i := range 40 {
		in = append(in, encrypt(t, alice, bob, msgN("in", i)))
	}
	var wg sync.WaitGroup
	errs := make(chan error, 2)
	var out []sealed
	wg.Go(func() {
		for _, m := range in {
			if _, _, err := decrypt(bob, alice, m); err != nil {
				errs <- err
				return
			}
		}
	})
	wg.Go(func() {
		for i := range 40 {
			typ, ct, err := bob.mgr.Encrypt(context.Background(), alice.addr, []byte(msgN("out", i)), nil)
			if err != nil {
				errs <- err
				return
			}
			out = append(out, sealed{typ, ct})
		}
	})
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	for i, m := range out {
		mustDecrypt(t, alice, bob, m, msgN("out", i))
	}
}

func TestServeMalformedRequest(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	alice := newDevice(t, nil, 1, devOpts{host: true})
	bob := newDevice(t, nil, 1, devOpts{host: true})
	if err := alice.host.Connect(ctx, peer.AddrInfo{ID: bob.host.ID(), Addrs: bob.host.Addrs()}); err != nil {
		t.Fatal(err)
	}
	s, err := alice.host.NewStream(ctx, bob.host.ID(), e2e.PreKeyProtocol)
	if err != nil {
		t.Fatal(err)
	}
	// A length prefix beyond the request limit, then garbage.
	if _, err := s.Write([]byte{0xff, 0xff, 0x03, 1, 2, 3}); err != nil {
		t.Fatal(err)
	}
	_ = s.CloseWrite()
	_ = s.SetReadDeadline(time.Now().Add(10 * time.Second))
	buf, err := io.ReadAll(io.LimitReader(s, 64))
	if err != nil {
		t.Fatal(err)
	}
	// Varint length 2, then field 1 = MALFORMED.
	if !bytes.Equal(buf, []byte{2, 0x08, byte(pb.ErrorCode_MALFORMED)}) {
		t.Fatalf("response % x", buf)
	}
	_ = s.Reset()

	// The server still works, and stops cleanly.
	if _, err := e2e.FetchBundle(ctx, alice.host, bob.host.ID()); err != nil {
		t.Fatal(err)
	}
	bob.mgr.Stop()
	bob.mgr.Stop()
	if _, err := e2e.FetchBundle(ctx, alice.host, bob.host.ID()); err == nil {
		t.Fatal("fetch after Stop succeeded")
	}
}

func TestFetchBundleRefused(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	alice := newDevice(t, nil, 1, devOpts{host: true})
	// A manager that was never initialized answers INTERNAL.
	bob := newDevice(t, nil, 1, devOpts{store: memoryStore})
	bobHost := newHost(t)
	signed, err := bob.acct.IssueCertificate(1, bobHost.ID(), bob.cert.SignalIdentityKey, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	m, err := e2e.NewManager(e2etest.NewMemStore(bob.keys), signed, nil)
	if err != nil {
		t.Fatal(err)
	}
	m.Serve(bobHost)
	defer m.Stop()
	if err := alice.host.Connect(ctx, peer.AddrInfo{ID: bobHost.ID(), Addrs: bobHost.Addrs()}); err != nil {
		t.Fatal(err)
	}
	if _, err := e2e.FetchBundle(ctx, alice.host, bobHost.ID()); !errors.Is(err, e2e.ErrRefused) {
		t.Fatalf("err = %v, want ErrRefused", err)
	}
}

func TestNewManagerChecksCertificate(t *testing.T) {
	bob := newDevice(t, nil, 1, devOpts{store: memoryStore})
	other := newDevice(t, bob.acct, 1, devOpts{store: memoryStore})
	if _, err := e2e.NewManager(bob.st, other.cert.Signed, nil); !errors.Is(err, e2e.ErrIdentityMismatch) {
		t.Fatalf("foreign own certificate: %v", err)
	}
	if _, err := e2e.NewManager(bob.st, &pb.Signed{}, nil); err == nil {
		t.Fatal("empty certificate accepted")
	}
}

func TestDecodePreKeyResponse(t *testing.T) {
	bob := newDevice(t, nil, 1, devOpts{store: memoryStore})
	b, err := bob.mgr.Bundle(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	raw, err := proto.Marshal(&pb.PreKeyResponse{Bundle: b})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e2e.DecodePreKeyResponse(raw); err != nil {
		t.Fatal(err)
	}
	if _, err := e2e.DecodePreKeyResponse(make([]byte, e2e.MaxPreKeyResponseSize+1)); !errors.Is(err, e2e.ErrTooLarge) {
		t.Fatalf("oversized: %v", err)
	}
	noBundle, _ := proto.Marshal(&pb.PreKeyResponse{})
	if _, err := e2e.DecodePreKeyResponse(noBundle); !errors.Is(err, e2e.ErrMalformed) {
		t.Fatalf("OK without bundle: %v", err)
	}
	refused, _ := proto.Marshal(&pb.PreKeyResponse{Code: pb.ErrorCode_RATE_LIMITED})
	if r, err := e2e.DecodePreKeyResponse(refused); err != nil || r.Code != pb.ErrorCode_RATE_LIMITED {
		t.Fatalf("refusal: %v, %v", r, err)
	}
	enc, err := e2e.MarshalBundle(b)
	if err != nil {
		t.Fatal(err)
	}
	if back, err := e2e.DecodePreKeyBundle(enc); err != nil || !proto.Equal(back, b) {
		t.Fatalf("bundle round trip: %v", err)
	}
}
