package mailbox_test

import (
	"context"
	"crypto/rand"
	"errors"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/host"
	"golang.org/x/time/rate"

	"github.com/pigeon-net/pigeon/protocol/mailbox"
	"github.com/pigeon-net/pigeon/storage/mailboxstore"
)

// A device closes its box: the relay drops what it held, refuses deposits
// as closed (senders then fetch the device list again), refuses a closing
// from anyone else, and a new registration reopens the box.
func TestCloseBox(t *testing.T) {
	r := newRelay(t)
	d := newDevice(t, r, 1)
	other := newDevice(t, r, 1)
	sender := newHost(t)
	connect(t, sender, r.h)
	ctx := ctxT(t)
	if _, err := mailbox.Register(ctx, d.h, r.h.ID(), d.cert, time.Hour); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := mailbox.Deposit(ctx, sender, r.h.ID(), d.box, depID(), sealed(50)); err != nil {
			t.Fatal(err)
		}
	}
	// Someone else's host presenting d's certificate.
	if _, err := mailbox.CloseBox(ctx, other.h, r.h.ID(), d.cert); !errors.Is(err, mailbox.ErrWrongPeer) {
		t.Fatalf("closing by another peer: %v", err)
	}
	dropped, err := mailbox.CloseBox(ctx, d.h, r.h.ID(), d.cert)
	if err != nil || dropped != 2 {
		t.Fatalf("close: dropped %d, %v", dropped, err)
	}
	if _, err := mailbox.Deposit(ctx, sender, r.h.ID(), d.box, depID(), sealed(50)); !errors.Is(err, mailbox.ErrBoxClosed) {
		t.Fatalf("deposit after closing: %v", err)
	}
	if _, err := mailbox.Drain(ctx, d.h, r.h.ID(), d.box, 0, 0); !errors.Is(err, mailbox.ErrNotRegistered) {
		t.Fatalf("drain after closing: %v", err)
	}
	if _, err := mailbox.Register(ctx, d.h, r.h.ID(), d.cert, time.Hour); err != nil {
		t.Fatal(err)
	}
	if _, err := mailbox.Deposit(ctx, sender, r.h.ID(), d.box, depID(), sealed(50)); err != nil {
		t.Fatalf("deposit after reopening: %v", err)
	}
}

// A deposit naming an older device list than the one the device
// registered with is refused as stale.
func TestStaleListDeposit(t *testing.T) {
	r := newRelay(t)
	d := newDevice(t, r, 1)
	sender := newHost(t)
	connect(t, sender, r.h)
	ctx := ctxT(t)
	if _, err := mailbox.Register(ctx, d.h, r.h.ID(), d.cert, time.Hour, mailbox.WithListVersion(10)); err != nil {
		t.Fatal(err)
	}
	if _, err := mailbox.Deposit(ctx, sender, r.h.ID(), d.box, depID(), sealed(50), mailbox.ForListVersion(9)); !errors.Is(err, mailbox.ErrStaleList) {
		t.Fatalf("stale deposit: %v", err)
	}
	if _, err := mailbox.Deposit(ctx, sender, r.h.ID(), d.box, depID(), sealed(50), mailbox.ForListVersion(10)); err != nil {
		t.Fatalf("current deposit: %v", err)
	}
}

// expiredStore hands out custody for deposits it says it keeps until a
// time already past.
type expiredStore struct{ *mailboxstore.Store }

func (s expiredStore) Deposit(ctx context.Context, d mailbox.NewDeposit, q mailbox.Quota) (mailbox.Stored, error) {
	st, err := s.Store.Deposit(ctx, d, q)
	st.StoredUntil = time.Now().Add(-time.Minute)
	return st, err
}

// A custody receipt whose stored-until time is already past is refused:
// the deposit counts as failed.
func TestExpiredReceiptRefused(t *testing.T) {
	h := newHost(t)
	st, err := mailboxstore.Open(mailboxstore.Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := mailbox.NewService(h, expiredStore{st}, h.Peerstore().PrivKey(h.ID()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		svc.Close()
		st.Close()
	})
	r := &relay{h: h, st: st, svc: svc}
	d := newDevice(t, r, 1)
	sender := newHost(t)
	connect(t, sender, h)
	ctx := ctxT(t)
	if _, err := mailbox.Register(ctx, d.h, h.ID(), d.cert, time.Hour); err != nil {
		t.Fatal(err)
	}
	if _, err := mailbox.Deposit(ctx, sender, h.ID(), d.box, depID(), sealed(50)); !errors.Is(err, mailbox.ErrReceiptExpired) {
		t.Fatalf("expired receipt: %v", err)
	}
}

func secret(t testing.TB) []byte {
	s := make([]byte, 32)
	if _, err := rand.Read(s); err != nil {
		t.Fatal(err)
	}
	return s
}

// Strangers (no credential) get a small quota each and a share of the box
// all together; a contact presenting the credential still gets through
// when they have used it all, and every contact presents the same bytes.
func TestStrangersCannotBlockContacts(t *testing.T) {
	r := newRelay(t,
		mailbox.WithQuota(mailbox.Quota{MaxCount: 100, MaxBytes: 1 << 20}),
		mailbox.WithStrangerQuota(mailbox.Quota{MaxCount: 3, MaxBytes: 1 << 20}, mailbox.Quota{MaxCount: 8, MaxBytes: 1 << 20}))
	d := newDevice(t, r, 1)
	ctx := ctxT(t)
	s := secret(t)
	cred := mailbox.Credential(s, r.h.ID())
	if _, err := mailbox.Register(ctx, d.h, r.h.ID(), d.cert, time.Hour, mailbox.WithDepositKeys(mailbox.CredentialKey(cred))); err != nil {
		t.Fatal(err)
	}
	// One stranger: three deposits, then refused.
	flood := newHost(t)
	connect(t, flood, r.h)
	for range 3 {
		if _, err := mailbox.Deposit(ctx, flood, r.h.ID(), d.box, depID(), sealed(100)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := mailbox.Deposit(ctx, flood, r.h.ID(), d.box, depID(), sealed(100)); !errors.Is(err, mailbox.ErrNoCredential) {
		t.Fatalf("fourth deposit of one stranger: %v", err)
	}
	// A wrong credential is a stranger's too.
	if _, err := mailbox.Deposit(ctx, flood, r.h.ID(), d.box, depID(), sealed(100), mailbox.WithCredential(mailbox.Credential(secret(t), r.h.ID()))); !errors.Is(err, mailbox.ErrNoCredential) {
		t.Fatalf("wrong credential: %v", err)
	}
	// More strangers fill the strangers' share (8), then nobody gets in.
	var others []host.Host
	for range 3 {
		o := newHost(t)
		connect(t, o, r.h)
		others = append(others, o)
	}
	filled := 3
	for _, o := range others {
		for range 3 {
			_, err := mailbox.Deposit(ctx, o, r.h.ID(), d.box, depID(), sealed(100))
			switch {
			case err == nil:
				filled++
			case !errors.Is(err, mailbox.ErrNoCredential):
				t.Fatal(err)
			}
		}
	}
	if filled != 8 {
		t.Fatalf("strangers deposited %d, want the share of 8", filled)
	}
	// Contacts still get in, all presenting the same credential.
	for _, contact := range []host.Host{newHost(t), newHost(t)} {
		connect(t, contact, r.h)
		if _, err := mailbox.Deposit(ctx, contact, r.h.ID(), d.box, depID(), sealed(100), mailbox.WithCredential(mailbox.Credential(s, r.h.ID()))); err != nil {
			t.Fatalf("contact's deposit: %v", err)
		}
	}
	// A credential made for another relay is worthless here.
	if mailbox.Credential(s, flood.ID()) == cred {
		t.Fatal("the credential does not depend on the relay")
	}
	// The device drains and acks the first stranger's deposits: it has
	// room again.
	page, err := mailbox.Drain(ctx, d.h, r.h.ID(), d.box, 0, 3)
	if err != nil || len(page.Items) != 3 {
		t.Fatalf("drain: %+v, %v", page, err)
	}
	ids := make([]mailbox.DepositID, len(page.Items))
	for i, it := range page.Items {
		ids[i] = it.ID
	}
	if _, err := mailbox.Ack(ctx, d.h, r.h.ID(), d.box, ids); err != nil {
		t.Fatal(err)
	}
	if _, err := mailbox.Deposit(ctx, flood, r.h.ID(), d.box, depID(), sealed(100)); err != nil {
		t.Fatalf("stranger after its deposits were acked: %v", err)
	}
}

// Deposits are rate limited per sending peer.
func TestDepositRateLimited(t *testing.T) {
	r := newRelay(t, mailbox.WithDepositRate(rate.Every(time.Hour), 2))
	d := newDevice(t, r, 1)
	sender := newHost(t)
	connect(t, sender, r.h)
	ctx := ctxT(t)
	if _, err := mailbox.Register(ctx, d.h, r.h.ID(), d.cert, time.Hour); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := mailbox.Deposit(ctx, sender, r.h.ID(), d.box, depID(), sealed(10)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := mailbox.Deposit(ctx, sender, r.h.ID(), d.box, depID(), sealed(10)); !errors.Is(err, mailbox.ErrRateLimited) {
		t.Fatalf("third deposit: %v", err)
	}
	other := newHost(t)
	connect(t, other, r.h)
	if _, err := mailbox.Deposit(ctx, other, r.h.ID(), d.box, depID(), sealed(10)); err != nil {
		t.Fatalf("another sender: %v", err)
	}
}
