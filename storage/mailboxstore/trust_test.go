package mailboxstore_test

import (
	"crypto/sha256"
	"errors"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/protocol/mailbox"
	"github.com/pigeon-net/pigeon/storage/mailboxstore"
)

// A closed box refuses deposits with ErrBoxClosed, loses what it held,
// stays closed across a restart, and reopens with a later registration
// only.
func TestCloseBox(t *testing.T) {
	dir := t.TempDir()
	s, err := mailboxstore.Open(mailboxstore.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	b, other := box(20, 1), box(20, 2)
	p := peerID(t)
	now := time.Now()
	reg := mailbox.Registration{Box: b, PeerID: p, Sequence: 100, ExpiresAt: now.Add(time.Hour)}
	if err := s.Register(ctx, reg); err != nil {
		t.Fatal(err)
	}
	register(t, s, other)
	q := mailbox.Quota{MaxCount: 5, MaxBytes: 1 << 20}
	for i := range 3 {
		if _, err := s.Deposit(ctx, mailbox.NewDeposit{Box: b, ID: did(i), Envelope: env(i, 10)}, q); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Deposit(ctx, mailbox.NewDeposit{Box: other, ID: did(9), Envelope: env(9, 10)}, q); err != nil {
		t.Fatal(err)
	}
	if _, err := s.PutPreKeys(ctx, b, []mailbox.PreKey{{ID: 1, Bundle: []byte{1}}}, []byte{2}, false, 10); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CloseBox(ctx, mailbox.Closing{Box: b, PeerID: p, Sequence: 100, ClosedAt: now}); !errors.Is(err, mailbox.ErrReplay) {
		t.Fatalf("closing with the registration's sequence: %v", err)
	}
	dropped, err := s.CloseBox(ctx, mailbox.Closing{Box: b, PeerID: p, Sequence: 101, ClosedAt: now})
	if err != nil || len(dropped) != 3 || dropped[0] != did(0) || dropped[2] != did(2) {
		t.Fatalf("close: %v, %v", dropped, err)
	}
	if _, err := s.Deposit(ctx, mailbox.NewDeposit{Box: b, ID: did(5), Envelope: env(5, 10)}, q); !errors.Is(err, mailbox.ErrBoxClosed) {
		t.Fatalf("deposit into a closed box: %v", err)
	}
	if _, err := s.Registration(ctx, b); !errors.Is(err, mailbox.ErrNotRegistered) {
		t.Fatalf("registration of a closed box: %v", err)
	}
	if _, _, err := s.TakePreKey(ctx, b); !errors.Is(err, mailbox.ErrNoPreKeys) {
		t.Fatalf("prekeys of a closed box: %v", err)
	}
	// The account's quota got the room back: four more fit beside other's one.
	for i := range 4 {
		if _, err := s.Deposit(ctx, mailbox.NewDeposit{Box: other, ID: did(10 + i), Envelope: env(i, 10)}, q); err != nil {
			t.Fatalf("quota after closing: %v", err)
		}
	}

	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = open(t, mailboxstore.Options{Dir: dir})
	if _, err := s.Deposit(ctx, mailbox.NewDeposit{Box: b, ID: did(5), Envelope: env(5, 10)}, bigQuota); !errors.Is(err, mailbox.ErrBoxClosed) {
		t.Fatalf("deposit into a closed box after a restart: %v", err)
	}
	if items, _, _ := s.Fetch(ctx, b, 0, 10, 1<<20); len(items) != 0 {
		t.Fatalf("closed box holds %d items after a restart", len(items))
	}
	if _, err := s.CloseBox(ctx, mailbox.Closing{Box: b, PeerID: p, Sequence: 101, ClosedAt: now}); !errors.Is(err, mailbox.ErrReplay) {
		t.Fatalf("replayed closing: %v", err)
	}
	reg.Sequence = 101
	if err := s.Register(ctx, reg); !errors.Is(err, mailbox.ErrReplay) {
		t.Fatalf("registration not above the closing: %v", err)
	}
	reg.Sequence = 102
	if err := s.Register(ctx, reg); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Deposit(ctx, mailbox.NewDeposit{Box: b, ID: did(5), Envelope: env(5, 10)}, bigQuota); err != nil {
		t.Fatalf("deposit after reopening: %v", err)
	}
}

// Closing a box holding more than one batch drops all of it.
func TestCloseBoxManyDeposits(t *testing.T) {
	s := open(t, mailboxstore.Options{InMemory: true})
	b := box(21, 1)
	p := register(t, s, b)
	const n = 4096 + 100 // more than one batch
	for i := range n {
		if _, err := s.Deposit(ctx, mailbox.NewDeposit{Box: b, ID: did(i), Envelope: env(i, 10)}, bigQuota); err != nil {
			t.Fatal(err)
		}
	}
	dropped, err := s.CloseBox(ctx, mailbox.Closing{Box: b, PeerID: p, Sequence: uint64(time.Now().UnixNano()), ClosedAt: time.Now()})
	if err != nil || len(dropped) != n {
		t.Fatalf("dropped %d of %d: %v", len(dropped), n, err)
	}
	if items, _, _ := s.Fetch(ctx, b, 0, 10, 1<<20); len(items) != 0 {
		t.Fatalf("%d items left", len(items))
	}
}

// A box closed without a live registration is remembered as closed for
// Closing.Until.
func TestCloseUnregisteredBox(t *testing.T) {
	s := open(t, mailboxstore.Options{InMemory: true})
	b := box(22, 1)
	if _, err := s.CloseBox(ctx, mailbox.Closing{Box: b, PeerID: peerID(t), Sequence: 5, ClosedAt: time.Now(), Until: time.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Deposit(ctx, mailbox.NewDeposit{Box: b, ID: did(1), Envelope: env(1, 10)}, bigQuota); !errors.Is(err, mailbox.ErrBoxClosed) {
		t.Fatalf("deposit: %v", err)
	}
}

// Deposits naming an older device list than the registration's are
// refused; unknown (0), equal and newer ones go in.
func TestStaleListDeposits(t *testing.T) {
	s := open(t, mailboxstore.Options{InMemory: true})
	b := box(23, 1)
	reg := mailbox.Registration{Box: b, PeerID: peerID(t), Sequence: 1, ExpiresAt: time.Now().Add(time.Hour), ListVersion: 10}
	if err := s.Register(ctx, reg); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Deposit(ctx, mailbox.NewDeposit{Box: b, ID: did(1), Envelope: env(1, 10), ListVersion: 9}, bigQuota); !errors.Is(err, mailbox.ErrStaleList) {
		t.Fatalf("stale deposit: %v", err)
	}
	for i, v := range []uint64{0, 10, 11} {
		if _, err := s.Deposit(ctx, mailbox.NewDeposit{Box: b, ID: did(2 + i), Envelope: env(i, 10), ListVersion: v}, bigQuota); err != nil {
			t.Fatalf("deposit for list %d: %v", v, err)
		}
	}
	got, err := s.Registration(ctx, b)
	if err != nil || got.ListVersion != 10 {
		t.Fatalf("registration: %+v, %v", got, err)
	}
}

func credKey(b byte) *[32]byte {
	k := sha256.Sum256([]byte{b})
	return &k
}

// With deposit keys registered, deposits without a valid credential share
// the strangers' part of the quota (counted across restarts), and need
// StrangerAllowed; credentialed ones use the whole quota.
func TestStrangerShare(t *testing.T) {
	dir := t.TempDir()
	s, err := mailboxstore.Open(mailboxstore.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	b := box(24, 1)
	reg := mailbox.Registration{Box: b, PeerID: peerID(t), Sequence: 1, ExpiresAt: time.Now().Add(time.Hour),
		DepositKeys: [][32]byte{*credKey(1), *credKey(2)}}
	if err := s.Register(ctx, reg); err != nil {
		t.Fatal(err)
	}
	got, err := s.Registration(ctx, b)
	if err != nil || len(got.DepositKeys) != 2 || got.DepositKeys[1] != *credKey(2) {
		t.Fatalf("registration: %+v, %v", got, err)
	}
	q := mailbox.Quota{MaxCount: 6, MaxBytes: 1 << 20, StrangerCount: 2, StrangerBytes: 1 << 20}
	stranger := func(i int, key *[32]byte) mailbox.NewDeposit {
		return mailbox.NewDeposit{Box: b, ID: did(i), Envelope: env(i, 10), CredentialKey: key, StrangerAllowed: true}
	}
	for i := range 2 {
		st, err := s.Deposit(ctx, stranger(i, nil), q)
		if err != nil || !st.Stranger {
			t.Fatalf("stranger deposit %d: %+v, %v", i, st, err)
		}
	}
	if _, err := s.Deposit(ctx, stranger(2, nil), q); !errors.Is(err, mailbox.ErrNoCredential) {
		t.Fatalf("third stranger deposit: %v", err)
	}
	if _, err := s.Deposit(ctx, stranger(2, credKey(3)), q); !errors.Is(err, mailbox.ErrNoCredential) {
		t.Fatalf("wrong credential: %v", err)
	}
	for i, k := range []*[32]byte{credKey(1), credKey(2)} {
		d := stranger(10+i, k)
		d.StrangerAllowed = false
		st, err := s.Deposit(ctx, d, q)
		if err != nil || st.Stranger {
			t.Fatalf("credentialed deposit: %+v, %v", st, err)
		}
	}
	d := stranger(20, nil)
	d.StrangerAllowed = false
	if _, err := s.Ack(ctx, b, []mailbox.DepositID{did(0)}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Deposit(ctx, d, q); !errors.Is(err, mailbox.ErrNoCredential) {
		t.Fatalf("stranger deposit the service did not allow: %v", err)
	}
	if _, err := s.Deposit(ctx, stranger(21, nil), q); err != nil {
		t.Fatalf("stranger deposit after an ack: %v", err)
	}

	// After a restart the counters are rebuilt from the queue: two
	// strangers' deposits and two credentialed ones.
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = open(t, mailboxstore.Options{Dir: dir})
	if _, err := s.Deposit(ctx, stranger(22, nil), q); !errors.Is(err, mailbox.ErrNoCredential) {
		t.Fatalf("stranger deposit after a restart: %v", err)
	}
	for i := range 2 {
		if _, err := s.Deposit(ctx, stranger(30+i, credKey(1)), q); err != nil {
			t.Fatalf("credentialed deposit %d after a restart: %v", i, err)
		}
	}
	if _, err := s.Deposit(ctx, stranger(40, credKey(1)), q); !errors.Is(err, mailbox.ErrQuotaCount) {
		t.Fatalf("deposit over the whole quota: %v", err)
	}
}

// A box registered without deposit keys takes every deposit as
// credentialed (devices that hand out no credential).
func TestNoDepositKeysNoStrangers(t *testing.T) {
	s := open(t, mailboxstore.Options{InMemory: true})
	b := box(25, 1)
	register(t, s, b)
	q := mailbox.Quota{MaxCount: 10, MaxBytes: 1 << 20}
	st, err := s.Deposit(ctx, mailbox.NewDeposit{Box: b, ID: did(1), Envelope: env(1, 10)}, q)
	if err != nil || st.Stranger {
		t.Fatalf("%+v, %v", st, err)
	}
}
