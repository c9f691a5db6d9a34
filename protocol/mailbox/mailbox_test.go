package mailbox_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-msgio"
	"golang.org/x/time/rate"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/mailbox"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage/mailboxstore"
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

type relay struct {
	h   host.Host
	st  *mailboxstore.Store
	svc *mailbox.Service
	dir string
}

func newRelay(t testing.TB, opts ...mailbox.Option) *relay {
	t.Helper()
	h := newHost(t)
	dir := t.TempDir()
	st, err := mailboxstore.Open(mailboxstore.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := mailbox.NewService(h, st, h.Peerstore().PrivKey(h.ID()), opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		svc.Close()
		st.Close()
	})
	return &relay{h: h, st: st, svc: svc, dir: dir}
}

type device struct {
	h    host.Host
	acct *identity.Account
	cert *pb.Signed
	box  mailbox.Box
}

func newDevice(t testing.TB, r *relay, id uint32) *device {
	t.Helper()
	h := newHost(t)
	connect(t, h, r.h)
	acct, err := identity.NewAccount()
	if err != nil {
		t.Fatal(err)
	}
	sig := make([]byte, 33)
	sig[0] = 0x05
	rand.Read(sig[1:])
	cert, err := acct.IssueCertificate(id, h.ID(), sig, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return &device{h: h, acct: acct, cert: cert, box: mailbox.Box{Account: acct.ID(), Device: id}}
}

func ctxT(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func depID() mailbox.DepositID {
	var id mailbox.DepositID
	rand.Read(id[:])
	return id
}

// sealed returns opaque random bytes standing in for a sealed envelope.
func sealed(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}

func TestRegisterDepositDrainAck(t *testing.T) {
	r := newRelay(t)
	d := newDevice(t, r, 1)
	sender := newHost(t)
	connect(t, sender, r.h)
	ctx := ctxT(t)

	reg, err := mailbox.Register(ctx, d.h, r.h.ID(), d.cert, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if !reg.RefillPreKeys || reg.PreKeysLeft != 0 || reg.Quota.MaxCount != mailbox.DefaultMaxCount {
		t.Fatalf("registered %+v", reg)
	}
	var ids []mailbox.DepositID
	var envs [][]byte
	for range 5 {
		id, env := depID(), sealed(200)
		rc, err := mailbox.Deposit(ctx, sender, r.h.ID(), d.box, id, env)
		if err != nil {
			t.Fatal(err)
		}
		if err := mailbox.VerifyCustodyReceipt(rc, r.h.ID()); err != nil {
			t.Fatal(err)
		}
		if rc.StoredUntil.Before(time.Now().Add(29 * 24 * time.Hour)) {
			t.Fatalf("stored until %v", rc.StoredUntil)
		}
		ids, envs = append(ids, id), append(envs, env)
	}
	// A retried deposit gets a receipt again and is not queued twice.
	if _, err := mailbox.Deposit(ctx, sender, r.h.ID(), d.box, ids[0], envs[0]); err != nil {
		t.Fatal(err)
	}
	page, err := mailbox.Drain(ctx, d.h, r.h.ID(), d.box, 0, 3)
	if err != nil || len(page.Items) != 3 || !page.More || !page.RefillPreKeys {
		t.Fatalf("drain: %+v %v", page, err)
	}
	rest, err := mailbox.Drain(ctx, d.h, r.h.ID(), d.box, page.Items[2].Seq, 0)
	if err != nil || len(rest.Items) != 2 || rest.More {
		t.Fatalf("drain rest: %+v %v", rest, err)
	}
	all := append(page.Items, rest.Items...)
	for i, it := range all {
		if it.ID != ids[i] || !bytes.Equal(it.Envelope, envs[i]) {
			t.Fatalf("item %d out of order or changed", i)
		}
	}
	// Only the registered device may drain or ack.
	if _, err := mailbox.Drain(ctx, sender, r.h.ID(), d.box, 0, 0); !errors.Is(err, mailbox.ErrWrongPeer) {
		t.Fatalf("foreign drain: %v", err)
	}
	if _, err := mailbox.Ack(ctx, sender, r.h.ID(), d.box, ids); !errors.Is(err, mailbox.ErrWrongPeer) {
		t.Fatalf("foreign ack: %v", err)
	}
	n, err := mailbox.Ack(ctx, d.h, r.h.ID(), d.box, ids[:4])
	if err != nil || n != 4 {
		t.Fatalf("ack: %d %v", n, err)
	}
	left, err := mailbox.Drain(ctx, d.h, r.h.ID(), d.box, 0, 0)
	if err != nil || len(left.Items) != 1 || left.Items[0].ID != ids[4] {
		t.Fatalf("after ack: %+v %v", left, err)
	}
}

func TestRejections(t *testing.T) {
	r := newRelay(t, mailbox.WithQuota(mailbox.Quota{MaxCount: 2, MaxBytes: 1 << 20}), mailbox.WithMaxEnvelopeSize(1024))
	d := newDevice(t, r, 1)
	stranger := newDevice(t, r, 1)
	sender := newHost(t)
	connect(t, sender, r.h)
	ctx := ctxT(t)

	// Deposit for an unregistered device.
	if _, err := mailbox.Deposit(ctx, sender, r.h.ID(), d.box, depID(), sealed(10)); !errors.Is(err, mailbox.ErrNotRegistered) {
		t.Fatalf("unregistered: %v", err)
	}
	// Replayed registration.
	signed, err := mailbox.SignRegistration(d.h.Peerstore().PrivKey(d.h.ID()), r.h.ID(), d.cert, 7, time.Now().Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mailbox.RegisterSigned(ctx, d.h, r.h.ID(), signed); err != nil {
		t.Fatal(err)
	}
	if _, err := mailbox.RegisterSigned(ctx, d.h, r.h.ID(), signed); !errors.Is(err, mailbox.ErrReplay) {
		t.Fatalf("replayed registration: %v", err)
	}
	// Someone else presenting d's registration.
	if _, err := mailbox.RegisterSigned(ctx, stranger.h, r.h.ID(), signed); !errors.Is(err, mailbox.ErrWrongPeer) {
		t.Fatalf("stolen registration: %v", err)
	}
	// A registration for another relay.
	other := newHost(t)
	wrong, _ := mailbox.SignRegistration(d.h.Peerstore().PrivKey(d.h.ID()), other.ID(), d.cert, 8, time.Now().Add(time.Hour))
	if _, err := mailbox.RegisterSigned(ctx, d.h, r.h.ID(), wrong); !errors.Is(err, mailbox.ErrWrongRelay) {
		t.Fatalf("wrong relay: %v", err)
	}
	// Expired and too-far-ahead registrations.
	for _, exp := range []time.Time{time.Now().Add(-time.Minute), time.Now().Add(365 * 24 * time.Hour)} {
		old, _ := mailbox.SignRegistration(d.h.Peerstore().PrivKey(d.h.ID()), r.h.ID(), d.cert, uint64(time.Now().UnixNano()), exp)
		if _, err := mailbox.RegisterSigned(ctx, d.h, r.h.ID(), old); !errors.Is(err, mailbox.ErrExpired) {
			t.Fatalf("expiry %v: %v", exp, err)
		}
	}
	// A tampered registration.
	bad := proto.Clone(signed).(*pb.MailboxRegister)
	bad.Signature[0] ^= 1
	if _, err := mailbox.RegisterSigned(ctx, d.h, r.h.ID(), bad); !errors.Is(err, mailbox.ErrBadSignature) {
		t.Fatalf("tampered: %v", err)
	}
	// Oversized envelope (over the relay's configured limit).
	if _, err := mailbox.Deposit(ctx, sender, r.h.ID(), d.box, depID(), sealed(1025)); !errors.Is(err, mailbox.ErrTooLarge) {
		t.Fatalf("oversized: %v", err)
	}
	// Quota.
	for range 2 {
		if _, err := mailbox.Deposit(ctx, sender, r.h.ID(), d.box, depID(), sealed(10)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := mailbox.Deposit(ctx, sender, r.h.ID(), d.box, depID(), sealed(10)); !errors.Is(err, mailbox.ErrQuotaExceeded) {
		t.Fatalf("quota: %v", err)
	}
	// A deposit ID reused with another envelope.
	id := depID()
	if _, err := mailbox.Register(ctx, stranger.h, r.h.ID(), stranger.cert, time.Hour); err != nil {
		t.Fatal(err)
	}
	if _, err := mailbox.Deposit(ctx, sender, r.h.ID(), stranger.box, id, sealed(10)); err != nil {
		t.Fatal(err)
	}
	if _, err := mailbox.Deposit(ctx, sender, r.h.ID(), stranger.box, id, sealed(10)); !errors.Is(err, mailbox.ErrReplay) {
		t.Fatalf("reused id: %v", err)
	}
	// The relay still serves everyone.
	if _, err := mailbox.Deposit(ctx, sender, r.h.ID(), stranger.box, depID(), sealed(10)); err != nil {
		t.Fatalf("after rejections: %v", err)
	}
	if p, err := mailbox.Drain(ctx, d.h, r.h.ID(), d.box, 0, 0); err != nil || len(p.Items) != 2 {
		t.Fatalf("drain after rejections: %+v %v", p, err)
	}
}

func TestForgedReceipts(t *testing.T) {
	r := newRelay(t)
	d := newDevice(t, r, 1)
	ctx := ctxT(t)
	if _, err := mailbox.Register(ctx, d.h, r.h.ID(), d.cert, time.Hour); err != nil {
		t.Fatal(err)
	}
	env := sealed(100)
	id := depID()
	rc, err := mailbox.Deposit(ctx, d.h, r.h.ID(), d.box, id, env)
	if err != nil {
		t.Fatal(err)
	}
	if err := rc.Matches(d.box, id, env); err != nil {
		t.Fatal(err)
	}
	// Another relay's ID.
	if err := mailbox.VerifyCustodyReceipt(rc, d.h.ID()); !errors.Is(err, mailbox.ErrWrongRelay) {
		t.Fatalf("other relay: %v", err)
	}
	// A field changed after signing.
	forged := *rc
	forged.StoredUntil = forged.StoredUntil.Add(time.Hour)
	if err := mailbox.VerifyCustodyReceipt(&forged, r.h.ID()); !errors.Is(err, mailbox.ErrBadSignature) {
		t.Fatalf("changed field: %v", err)
	}
	// A body changed after signing.
	w := proto.Clone(rc.Signed).(*pb.CustodyReceipt)
	w.Body[len(w.Body)-1] ^= 1
	if dec, err := mailbox.DecodeCustodyReceipt(w); err == nil {
		if err := mailbox.VerifyCustodyReceipt(dec, r.h.ID()); !errors.Is(err, mailbox.ErrBadSignature) {
			t.Fatalf("changed body: %v", err)
		}
	}
	// Signed by someone else claiming to be the relay.
	var b pb.CustodyReceiptBody
	if err := proto.Unmarshal(rc.Signed.Body, &b); err != nil {
		t.Fatal(err)
	}
	sig, _ := d.h.Peerstore().PrivKey(d.h.ID()).Sign(rc.Signed.Body)
	dec, err := mailbox.DecodeCustodyReceipt(&pb.CustodyReceipt{Body: rc.Signed.Body, Signature: sig})
	if err != nil {
		t.Fatal(err)
	}
	if err := mailbox.VerifyCustodyReceipt(dec, r.h.ID()); !errors.Is(err, mailbox.ErrBadSignature) {
		t.Fatalf("foreign signer: %v", err)
	}
	if err := rc.Matches(d.box, id, sealed(100)); !errors.Is(err, mailbox.ErrReceiptMismatch) {
		t.Fatalf("other envelope: %v", err)
	}
}

func TestSubscribePush(t *testing.T) {
	r := newRelay(t)
	d := newDevice(t, r, 1)
	sender := newHost(t)
	connect(t, sender, r.h)
	ctx := ctxT(t)
	if _, err := mailbox.Register(ctx, d.h, r.h.ID(), d.cert, time.Hour); err != nil {
		t.Fatal(err)
	}
	queued := depID()
	if _, err := mailbox.Deposit(ctx, sender, r.h.ID(), d.box, queued, sealed(50)); err != nil {
		t.Fatal(err)
	}
	sub, err := mailbox.Subscribe(ctx, d.h, r.h.ID(), d.box, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	next := func() mailbox.Item {
		t.Helper()
		select {
		case p, ok := <-sub.Pages():
			if !ok {
				t.Fatalf("subscription ended: %v", sub.Err())
			}
			if len(p.Items) == 0 {
				t.Fatal("empty page")
			}
			return p.Items[0]
		case <-ctx.Done():
			t.Fatal("no push")
		}
		return mailbox.Item{}
	}
	if it := next(); it.ID != queued {
		t.Fatal("backlog not pushed first")
	}
	for range 3 {
		id := depID()
		if _, err := mailbox.Deposit(ctx, sender, r.h.ID(), d.box, id, sealed(50)); err != nil {
			t.Fatal(err)
		}
		if it := next(); it.ID != id {
			t.Fatal("pushed the wrong item")
		}
	}
	sub.Close()
	if _, ok := <-sub.Pages(); ok {
		t.Fatal("pages open after Close")
	}
	// A stranger cannot subscribe.
	if _, err := mailbox.Subscribe(ctx, sender, r.h.ID(), d.box, 0); !errors.Is(err, mailbox.ErrWrongPeer) {
		t.Fatalf("foreign subscribe: %v", err)
	}
}

// A subscription ends with its stream: after the device closes it, a
// deposit finds nobody subscribed and wakes the device; closing the
// service ends the ones still open.
func TestSubscriptionEnds(t *testing.T) {
	woken := make(chan mailbox.Box, 16)
	r := newRelay(t, mailbox.WithWake(func(box mailbox.Box, _ []byte) { woken <- box }))
	d := newDevice(t, r, 1)
	sender := newHost(t)
	connect(t, sender, r.h)
	ctx := ctxT(t)
	ep := &pb.PushEndpoint{Kind: pb.PushKind_PUSH_KIND_UNIFIED_PUSH, Url: "https://push.example/d"}
	if _, err := mailbox.Register(ctx, d.h, r.h.ID(), d.cert, time.Hour, mailbox.WithPush(ep)); err != nil {
		t.Fatal(err)
	}
	sub, err := mailbox.Subscribe(ctx, d.h, r.h.ID(), d.box, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mailbox.Deposit(ctx, sender, r.h.ID(), d.box, depID(), sealed(50)); err != nil {
		t.Fatal(err)
	}
	for pushed := false; !pushed; { // the first page may be empty (asking for prekeys)
		select {
		case p := <-sub.Pages():
			pushed = len(p.Items) == 1
		case <-ctx.Done():
			t.Fatal("no push")
		}
	}
	if len(woken) != 0 {
		t.Fatal("a subscribed device was woken")
	}
	sub.Close()
	// The relay notices the closed stream in the background.
	deadline := time.Now().Add(10 * time.Second)
	for len(woken) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("deposits after the subscription closed never woke the device")
		}
		if _, err := mailbox.Deposit(ctx, sender, r.h.ID(), d.box, depID(), sealed(50)); err != nil {
			t.Fatal(err)
		}
		time.Sleep(20 * time.Millisecond)
	}

	sub, err = mailbox.Subscribe(ctx, d.h, r.h.ID(), d.box, 0)
	if err != nil {
		t.Fatal(err)
	}
	r.svc.Close() // resets the stream and waits for the subscription's goroutines
	for p := range sub.Pages() {
		_ = p // the backlog may still arrive
	}
	if sub.Err() == nil {
		t.Fatal("subscription ended without an error when the relay closed")
	}
}

func TestPreKeys(t *testing.T) {
	r := newRelay(t, mailbox.WithRefillThreshold(2), mailbox.WithPreKeyFetchRate(rate.Inf, 1))
	d := newDevice(t, r, 1)
	fetcher := newHost(t)
	connect(t, fetcher, r.h)
	ctx := ctxT(t)
	if _, err := mailbox.FetchPreKey(ctx, fetcher, r.h.ID(), d.box); !errors.Is(err, mailbox.ErrNoPreKeys) {
		t.Fatalf("none: %v", err)
	}
	if _, err := mailbox.UploadPreKeys(ctx, d.h, r.h.ID(), d.box, []mailbox.PreKey{{ID: 1, Bundle: []byte{1}}}, nil, false); !errors.Is(err, mailbox.ErrNotRegistered) {
		t.Fatalf("unregistered upload: %v", err)
	}
	if _, err := mailbox.Register(ctx, d.h, r.h.ID(), d.cert, time.Hour); err != nil {
		t.Fatal(err)
	}
	var pks []mailbox.PreKey
	for i := range 3 {
		pks = append(pks, mailbox.PreKey{ID: uint32(i + 1), Bundle: []byte{byte(i + 1), 0xaa}})
	}
	left, err := mailbox.UploadPreKeys(ctx, d.h, r.h.ID(), d.box, pks, []byte("signed-only"), false)
	if err != nil || left != 3 {
		t.Fatalf("upload: %d %v", left, err)
	}
	if _, err := mailbox.UploadPreKeys(ctx, fetcher, r.h.ID(), d.box, pks, nil, false); !errors.Is(err, mailbox.ErrWrongPeer) {
		t.Fatalf("foreign upload: %v", err)
	}
	seen := map[uint32]bool{}
	for range 3 {
		pk, err := mailbox.FetchPreKey(ctx, fetcher, r.h.ID(), d.box)
		if err != nil || !pk.OneTime || seen[pk.ID] || pk.Bundle[0] != byte(pk.ID) {
			t.Fatalf("fetch: %+v %v", pk, err)
		}
		seen[pk.ID] = true
	}
	pk, err := mailbox.FetchPreKey(ctx, fetcher, r.h.ID(), d.box)
	if err != nil || pk.OneTime || string(pk.Bundle) != "signed-only" {
		t.Fatalf("fallback: %+v %v", pk, err)
	}
	p, err := mailbox.Drain(ctx, d.h, r.h.ID(), d.box, 0, 0)
	if err != nil || !p.RefillPreKeys || p.PreKeysLeft != 0 {
		t.Fatalf("drain refill flag: %+v %v", p, err)
	}
}

func TestPreKeyFetchRateLimited(t *testing.T) {
	r := newRelay(t, mailbox.WithPreKeyFetchRate(rate.Every(time.Hour), 2))
	d := newDevice(t, r, 1)
	ctx := ctxT(t)
	if _, err := mailbox.Register(ctx, d.h, r.h.ID(), d.cert, time.Hour); err != nil {
		t.Fatal(err)
	}
	if _, err := mailbox.UploadPreKeys(ctx, d.h, r.h.ID(), d.box, nil, []byte("s"), false); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := mailbox.FetchPreKey(ctx, d.h, r.h.ID(), d.box); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := mailbox.FetchPreKey(ctx, d.h, r.h.ID(), d.box); !errors.Is(err, mailbox.ErrRateLimited) {
		t.Fatalf("third fetch: %v", err)
	}
}

// A malformed or oversized frame ends that stream with a code; the relay
// keeps serving.
func TestMalformedFrames(t *testing.T) {
	r := newRelay(t)
	d := newDevice(t, r, 1)
	ctx := ctxT(t)
	for _, frame := range [][]byte{{0xff, 0xff}, {}, func() []byte {
		b, _ := proto.Marshal(&pb.MailboxRequest{Body: &pb.MailboxRequest_Deposit{Deposit: &pb.MailboxDeposit{Account: []byte{1}}}})
		return b
	}()} {
		s, err := d.h.NewStream(ctx, r.h.ID(), mailbox.ProtocolID)
		if err != nil {
			t.Fatal(err)
		}
		if err := msgio.NewVarintWriter(s).WriteMsg(frame); err != nil {
			t.Fatal(err)
		}
		b, err := msgio.NewVarintReaderSize(s, 1024).ReadMsg()
		if err != nil {
			t.Fatal(err)
		}
		resp, err := mailbox.DecodeResponse(b)
		if err != nil || resp.Code != pb.ErrorCode_MALFORMED {
			t.Fatalf("response %v %v", resp, err)
		}
		s.Reset()
	}
	if _, err := mailbox.Register(ctx, d.h, r.h.ID(), d.cert, time.Hour); err != nil {
		t.Fatalf("after malformed frames: %v", err)
	}
}

// The relay's data directory holds neither the plaintext of what passed
// through it nor the depositor's identity.
func TestDataDirHoldsNoPlaintextOrSender(t *testing.T) {
	r := newRelay(t)
	d := newDevice(t, r, 1)
	sender := newHost(t)
	connect(t, sender, r.h)
	ctx := ctxT(t)
	cred := mailbox.Credential([]byte("the device's deposit secret"), r.h.ID())
	if _, err := mailbox.Register(ctx, d.h, r.h.ID(), d.cert, time.Hour, mailbox.WithDepositKeys(mailbox.CredentialKey(cred))); err != nil {
		t.Fatal(err)
	}
	marker := []byte("PLAINTEXT-MARKER-7f3a")
	for i := range 50 {
		env := sealed(300) // stands in for ciphertext: random, so it cannot contain the marker
		if bytes.Contains(env, marker) {
			t.Fatal("random envelope contains the marker")
		}
		var opts []mailbox.DepositOption
		if i >= 10 {
			opts = append(opts, mailbox.WithCredential(cred))
		}
		if _, err := mailbox.Deposit(ctx, sender, r.h.ID(), d.box, depID(), env, opts...); err != nil {
			t.Fatal(err)
		}
	}
	r.svc.Close()
	if err := r.st.Close(); err != nil {
		t.Fatal(err)
	}
	senderKey, _ := sender.Peerstore().PubKey(sender.ID()).Raw()
	forbidden := map[string][]byte{
		"plaintext marker":    marker,
		"sender peer id":      []byte(sender.ID()),
		"sender public key":   senderKey,
		"sender text peer id": []byte(sender.ID().String()),
		"deposit credential":  cred[:],
	}
	err := filepath.WalkDir(r.dir, func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for what, f := range forbidden {
			if bytes.Contains(b, f) {
				t.Errorf("%s found in %s", what, path)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestOptions(t *testing.T) {
	h := newHost(t)
	st, err := mailboxstore.Open(mailboxstore.Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := mailbox.NewService(h, st, h.Peerstore().PrivKey(h.ID()), mailbox.WithRefillThreshold(1), mailbox.WithRefillThreshold(2)); err == nil {
		t.Fatal("option given twice accepted")
	}
	for _, o := range []mailbox.Option{
		mailbox.WithStrangerQuota(mailbox.Quota{}, mailbox.Quota{}),
		mailbox.WithStrangerQuota(mailbox.Quota{MaxCount: 1, MaxBytes: 1}, mailbox.Quota{MaxCount: -1}),
		mailbox.WithDepositRate(0, 1),
	} {
		if _, err := mailbox.NewService(h, st, h.Peerstore().PrivKey(h.ID()), o); err == nil {
			t.Fatal("bad option accepted")
		}
	}
	other := newHost(t)
	if _, err := mailbox.NewService(h, st, other.Peerstore().PrivKey(other.ID())); !errors.Is(err, mailbox.ErrWrongPeer) {
		t.Fatalf("foreign key: %v", err)
	}
}

// TestDepositTTL: a disappearing message's deposit (WithTTL) and a kept
// group message with a TTL are stored only that long, and the receipt and
// the drained items say so; a deposit without one keeps the relay's TTL.
func TestDepositTTL(t *testing.T) {
	r := newRelay(t)
	d := newDevice(t, r, 1)
	sender := newHost(t)
	connect(t, sender, r.h)
	ctx := ctxT(t)
	if _, err := mailbox.Register(ctx, d.h, r.h.ID(), d.cert, time.Hour); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	within := func(what string, got time.Time, d time.Duration) {
		t.Helper()
		if got.Before(start.Add(d-time.Second)) || got.After(time.Now().Add(d+time.Second)) {
			t.Fatalf("%s stored until %v, want about %v from %v", what, got, d, start)
		}
	}
	short, long := depID(), depID()
	rc, err := mailbox.Deposit(ctx, sender, r.h.ID(), d.box, short, sealed(200), mailbox.WithTTL(90*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	within("the receipt of a deposit with a TTL", rc.StoredUntil, 90*time.Second)
	rc, err = mailbox.Deposit(ctx, sender, r.h.ID(), d.box, long, sealed(200))
	if err != nil {
		t.Fatal(err)
	}
	within("the receipt of a deposit without a TTL", rc.StoredUntil, 30*24*time.Hour)
	kept := depID()
	if err := r.svc.Keep(d.box, kept, []byte("group message"), mailbox.KeepOptions{TTL: 2 * time.Minute}); err != nil {
		t.Fatal(err)
	}
	page, err := mailbox.Drain(ctx, d.h, r.h.ID(), d.box, 0, 0)
	if err != nil || len(page.Items) != 3 {
		t.Fatalf("drain: %+v %v", page, err)
	}
	for _, it := range page.Items {
		switch it.ID {
		case short:
			within("a deposit with a TTL", it.StoredUntil, 90*time.Second)
		case long:
			within("a deposit without a TTL", it.StoredUntil, 30*24*time.Hour)
		case kept:
			within("a kept message with a TTL", it.StoredUntil, 2*time.Minute)
		}
	}
}

// TestQuietDeposits: a deposit presenting a quiet credential (a muted
// contact's) and a kept message of a muted topic are stored with the full
// quota but wake nobody; the normal credential and other topics wake the
// away device.
func TestQuietDeposits(t *testing.T) {
	woken := make(chan mailbox.Box, 16)
	r := newRelay(t, mailbox.WithWake(func(box mailbox.Box, _ []byte) { woken <- box }),
		mailbox.WithFollow(func(mailbox.Box, [][32]byte, [][32]byte) error { return nil }))
	d := newDevice(t, r, 1)
	sender := newHost(t)
	connect(t, sender, r.h)
	ctx := ctxT(t)
	normal := mailbox.Credential([]byte("normal secret"), r.h.ID())
	quiet := mailbox.Credential([]byte("quiet secret"), r.h.ID())
	ep := &pb.PushEndpoint{Kind: pb.PushKind_PUSH_KIND_UNIFIED_PUSH, Url: "https://push.example/d"}
	if _, err := mailbox.Register(ctx, d.h, r.h.ID(), d.cert, time.Hour, mailbox.WithPush(ep),
		mailbox.WithDepositKeys(mailbox.CredentialKey(normal)), mailbox.WithQuietKeys(mailbox.CredentialKey(quiet))); err != nil {
		t.Fatal(err)
	}
	if _, err := mailbox.Follow(ctx, d.h, r.h.ID(), d.box, [][32]byte{{1}, {2}}, [][32]byte{{3}}); !errors.Is(err, mailbox.ErrMalformed) {
		t.Fatalf("a quiet topic not followed: %v", err)
	}
	deposit := func(c [mailbox.CredentialSize]byte) {
		t.Helper()
		if _, err := mailbox.Deposit(ctx, sender, r.h.ID(), d.box, depID(), sealed(50), mailbox.WithCredential(c)); err != nil {
			t.Fatal(err)
		}
	}
	// Nobody is subscribed: each deposit that wakes does so before
	// Deposit returns.
	deposit(quiet)
	if err := r.svc.Keep(d.box, depID(), []byte("muted group"), mailbox.KeepOptions{Quiet: true}); err != nil {
		t.Fatal(err)
	}
	if len(woken) != 0 {
		t.Fatal("a quiet deposit woke the device")
	}
	deposit(normal)
	if err := r.svc.Keep(d.box, depID(), []byte("group"), mailbox.KeepOptions{}); err != nil {
		t.Fatal(err)
	}
	if len(woken) != 2 {
		t.Fatalf("%d wake-ups for a normal deposit and a kept message, want 2", len(woken))
	}
	// The quiet one used the box's quota, not a stranger's.
	items, _, err := r.st.Fetch(ctx, d.box, 0, 10, 1<<20)
	if err != nil || len(items) != 4 {
		t.Fatalf("stored %d items (%v)", len(items), err)
	}
	reg, err := r.st.Registration(ctx, d.box)
	if err != nil || len(reg.QuietKeys) != 1 || reg.QuietKeys[0] != mailbox.CredentialKey(quiet) || len(reg.DepositKeys) != 1 {
		t.Fatalf("registration as stored: %+v %v", reg, err)
	}
}
