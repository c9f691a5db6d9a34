package mailboxstore_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	bdg "github.com/dgraph-io/badger/v4"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/pigeon-net/pigeon/protocol/mailbox"
	"github.com/pigeon-net/pigeon/storage"
	"github.com/pigeon-net/pigeon/storage/mailboxstore"
)

var ctx = context.Background()

func open(t testing.TB, opts mailboxstore.Options) *mailboxstore.Store {
	t.Helper()
	if !opts.InMemory && opts.Dir == "" {
		opts.Dir = t.TempDir()
	}
	s, err := mailboxstore.Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func peerID(t testing.TB) peer.ID {
	t.Helper()
	_, pub, err := crypto.GenerateEd25519Key(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	id, err := peer.IDFromPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func box(a byte, dev uint32) mailbox.Box {
	var b mailbox.Box
	b.Account[0] = a
	b.Account[31] = 0xee
	b.Device = dev
	return b
}

func register(t testing.TB, s *mailboxstore.Store, b mailbox.Box) peer.ID {
	t.Helper()
	p := peerID(t)
	if err := s.Register(ctx, mailbox.Registration{Box: b, PeerID: p, Sequence: uint64(time.Now().UnixNano()), ExpiresAt: time.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	return p
}

func did(i int) mailbox.DepositID {
	var id mailbox.DepositID
	id[0] = 0xd0
	id[14], id[15] = byte(i>>8), byte(i)
	return id
}

func env(i, size int) []byte {
	b := bytes.Repeat([]byte{byte(i)}, size)
	b[0] = 0xe0
	return b
}

var bigQuota = mailbox.Quota{MaxCount: 1 << 30, MaxBytes: 1 << 40}

func TestDepositFetchAck(t *testing.T) {
	s := open(t, mailboxstore.Options{InMemory: true})
	b := box(1, 1)
	other := box(1, 2)
	register(t, s, b)
	register(t, s, other)
	for i := range 10 {
		st, err := s.Deposit(ctx, mailbox.NewDeposit{Box: b, ID: did(i), Envelope: env(i, 100)}, bigQuota)
		if err != nil {
			t.Fatal(err)
		}
		if st.Duplicate || st.StoredUntil.Before(time.Now().Add(29*24*time.Hour)) {
			t.Fatalf("stored %+v", st)
		}
	}
	if _, err := s.Deposit(ctx, mailbox.NewDeposit{Box: other, ID: did(100), Envelope: env(100, 10)}, bigQuota); err != nil {
		t.Fatal(err)
	}
	items, more, err := s.Fetch(ctx, b, 0, 4, 1<<20)
	if err != nil || !more || len(items) != 4 {
		t.Fatalf("fetch: %d items, more %v, %v", len(items), more, err)
	}
	for i, it := range items {
		if it.ID != did(i) || !bytes.Equal(it.Envelope, env(i, 100)) {
			t.Fatalf("item %d: %x", i, it.ID)
		}
	}
	rest, more, err := s.Fetch(ctx, b, items[3].Seq, 100, 1<<20)
	if err != nil || more || len(rest) != 6 || rest[0].ID != did(4) {
		t.Fatalf("rest: %d items, more %v, %v", len(rest), more, err)
	}
	// Byte limit: at least one item, then stop before going over.
	some, more, err := s.Fetch(ctx, b, 0, 100, 250)
	if err != nil || !more || len(some) != 2 {
		t.Fatalf("byte-limited fetch: %d items, more %v, %v", len(some), more, err)
	}
	n, err := s.Ack(ctx, b, []mailbox.DepositID{did(0), did(1), did(1), did(99)})
	if err != nil || n != 2 {
		t.Fatalf("ack: %d %v", n, err)
	}
	items, _, err = s.Fetch(ctx, b, 0, 100, 1<<20)
	if err != nil || len(items) != 8 || items[0].ID != did(2) {
		t.Fatalf("after ack: %d items %v", len(items), err)
	}
	// The other device's queue is separate.
	items, _, _ = s.Fetch(ctx, other, 0, 100, 1<<20)
	if len(items) != 1 || items[0].ID != did(100) {
		t.Fatalf("other box: %v", items)
	}
}

func TestDepositRules(t *testing.T) {
	s := open(t, mailboxstore.Options{InMemory: true})
	b := box(2, 1)
	if _, err := s.Deposit(ctx, mailbox.NewDeposit{Box: b, ID: did(1), Envelope: env(1, 10)}, bigQuota); !errors.Is(err, mailbox.ErrNotRegistered) {
		t.Fatalf("unregistered: %v", err)
	}
	register(t, s, b)
	first, err := s.Deposit(ctx, mailbox.NewDeposit{Box: b, ID: did(1), Envelope: env(1, 10)}, bigQuota)
	if err != nil {
		t.Fatal(err)
	}
	again, err := s.Deposit(ctx, mailbox.NewDeposit{Box: b, ID: did(1), Envelope: env(1, 10)}, bigQuota)
	if err != nil || !again.Duplicate || again.Seq != first.Seq || !again.StoredUntil.Equal(first.StoredUntil) {
		t.Fatalf("duplicate: %+v %v (first %+v)", again, err, first)
	}
	if _, err := s.Deposit(ctx, mailbox.NewDeposit{Box: b, ID: did(1), Envelope: env(2, 10)}, bigQuota); !errors.Is(err, mailbox.ErrReplay) {
		t.Fatalf("reused id: %v", err)
	}
	items, _, _ := s.Fetch(ctx, b, 0, 10, 1<<20)
	if len(items) != 1 {
		t.Fatalf("%d items after duplicate", len(items))
	}
}

func TestQuota(t *testing.T) {
	s := open(t, mailboxstore.Options{InMemory: true})
	b1, b2 := box(3, 1), box(3, 2) // one account, two devices share the quota
	register(t, s, b1)
	register(t, s, b2)
	q := mailbox.Quota{MaxCount: 3, MaxBytes: 1000}
	for i := range 3 {
		bx := b1
		if i == 2 {
			bx = b2
		}
		if _, err := s.Deposit(ctx, mailbox.NewDeposit{Box: bx, ID: did(i), Envelope: env(i, 10)}, q); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Deposit(ctx, mailbox.NewDeposit{Box: b2, ID: did(3), Envelope: env(3, 10)}, q); !errors.Is(err, mailbox.ErrQuotaCount) {
		t.Fatalf("count quota: %v", err)
	}
	if _, err := s.Ack(ctx, b1, []mailbox.DepositID{did(0)}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Deposit(ctx, mailbox.NewDeposit{Box: b2, ID: did(3), Envelope: env(3, 10)}, q); err != nil {
		t.Fatalf("after ack: %v", err)
	}
	if _, err := s.Deposit(ctx, mailbox.NewDeposit{Box: b1, ID: did(4), Envelope: env(4, 10)}, mailbox.Quota{MaxCount: 100, MaxBytes: 35}); !errors.Is(err, mailbox.ErrQuotaBytes) {
		t.Fatalf("byte quota: %v", err)
	}
	// Another account is not affected.
	b3 := box(4, 1)
	register(t, s, b3)
	if _, err := s.Deposit(ctx, mailbox.NewDeposit{Box: b3, ID: did(5), Envelope: env(5, 10)}, q); err != nil {
		t.Fatal(err)
	}
}

func TestTTLExpiresAndFreesQuota(t *testing.T) {
	s := open(t, mailboxstore.Options{InMemory: true, TTL: time.Second})
	b := box(5, 1)
	register(t, s, b)
	q := mailbox.Quota{MaxCount: 2, MaxBytes: 1 << 20}
	for i := range 2 {
		if _, err := s.Deposit(ctx, mailbox.NewDeposit{Box: b, ID: did(i), Envelope: env(i, 10)}, q); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		items, _, err := s.Fetch(ctx, b, 0, 10, 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		if len(items) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("deposits did not expire")
		}
		time.Sleep(50 * time.Millisecond)
	}
	// The counters still say 2, but a recount finds the room.
	if _, err := s.Deposit(ctx, mailbox.NewDeposit{Box: b, ID: did(3), Envelope: env(3, 10)}, q); err != nil {
		t.Fatalf("after expiry: %v", err)
	}
}

// TestDepositTTL: a deposit naming a TTL shorter than the store's (a
// disappearing message) goes at its own; one without stays, and each
// receipt's StoredUntil says which.
func TestDepositTTL(t *testing.T) {
	s := open(t, mailboxstore.Options{InMemory: true, TTL: time.Hour})
	b := box(5, 2)
	register(t, s, b)
	q := mailbox.Quota{MaxCount: 10, MaxBytes: 1 << 20}
	start := time.Now()
	short, err := s.Deposit(ctx, mailbox.NewDeposit{Box: b, ID: did(1), Envelope: env(1, 10), TTL: time.Second}, q)
	if err != nil {
		t.Fatal(err)
	}
	long, err := s.Deposit(ctx, mailbox.NewDeposit{Box: b, ID: did(2), Envelope: env(2, 10), TTL: 48 * time.Hour}, q)
	if err != nil {
		t.Fatal(err)
	}
	if short.StoredUntil.After(start.Add(3*time.Second)) || long.StoredUntil.Before(start.Add(59*time.Minute)) || long.StoredUntil.After(start.Add(61*time.Minute)) {
		t.Fatalf("stored until %v and %v, deposited at %v", short.StoredUntil, long.StoredUntil, start)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		items, _, err := s.Fetch(ctx, b, 0, 10, 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		if len(items) == 1 {
			if items[0].ID != did(2) {
				t.Fatalf("left: %x, want the deposit without a short TTL", items[0].ID)
			}
			break
		}
		if len(items) != 2 || time.Now().After(deadline) {
			t.Fatalf("%d deposits left", len(items))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestRegistrationReplay(t *testing.T) {
	s := open(t, mailboxstore.Options{InMemory: true})
	b := box(6, 1)
	p := peerID(t)
	reg := mailbox.Registration{Box: b, PeerID: p, Sequence: 10, ExpiresAt: time.Now().Add(time.Hour)}
	if err := s.Register(ctx, reg); err != nil {
		t.Fatal(err)
	}
	for _, seq := range []uint64{10, 9} {
		reg.Sequence = seq
		if err := s.Register(ctx, reg); !errors.Is(err, mailbox.ErrReplay) {
			t.Fatalf("sequence %d: %v", seq, err)
		}
	}
	reg.Sequence = 11
	if err := s.Register(ctx, reg); err != nil {
		t.Fatal(err)
	}
	got, err := s.Registration(ctx, b)
	if err != nil || got.PeerID != p || got.Sequence != 11 || got.ExpiresAt.UnixMilli() != reg.ExpiresAt.UnixMilli() {
		t.Fatalf("registration %+v %v", got, err)
	}
	if _, err := s.Registration(ctx, box(6, 2)); !errors.Is(err, mailbox.ErrNotRegistered) {
		t.Fatalf("missing: %v", err)
	}
}

func TestPreKeys(t *testing.T) {
	s := open(t, mailboxstore.Options{InMemory: true})
	b := box(7, 1)
	if _, err := s.PutPreKeys(ctx, b, []mailbox.PreKey{{ID: 1, Bundle: []byte("x")}}, nil, false, 10); !errors.Is(err, mailbox.ErrNotRegistered) {
		t.Fatalf("unregistered: %v", err)
	}
	register(t, s, b)
	if _, _, err := s.TakePreKey(ctx, b); !errors.Is(err, mailbox.ErrNoPreKeys) {
		t.Fatalf("empty: %v", err)
	}
	var pks []mailbox.PreKey
	for i := range 5 {
		pks = append(pks, mailbox.PreKey{ID: uint32(i + 1), Bundle: []byte{byte(i + 1)}})
	}
	left, err := s.PutPreKeys(ctx, b, pks, []byte("signed"), false, 6)
	if err != nil || left != 5 {
		t.Fatalf("put: %d %v", left, err)
	}
	if _, err := s.PutPreKeys(ctx, b, []mailbox.PreKey{{ID: 9, Bundle: []byte{9}}, {ID: 10, Bundle: []byte{10}}}, nil, false, 6); !errors.Is(err, mailbox.ErrPreKeyPoolFull) {
		t.Fatalf("pool full: %v", err)
	}
	seen := map[uint32]bool{}
	for range 5 {
		pk, oneTime, err := s.TakePreKey(ctx, b)
		if err != nil || !oneTime || seen[pk.ID] || !bytes.Equal(pk.Bundle, []byte{byte(pk.ID)}) {
			t.Fatalf("take: %+v %v %v", pk, oneTime, err)
		}
		seen[pk.ID] = true
	}
	pk, oneTime, err := s.TakePreKey(ctx, b)
	if err != nil || oneTime || string(pk.Bundle) != "signed" {
		t.Fatalf("fallback: %+v %v %v", pk, oneTime, err)
	}
	if n, _ := s.PreKeysLeft(ctx, b); n != 0 {
		t.Fatalf("left %d", n)
	}
	// Replace drops what was there.
	if _, err := s.PutPreKeys(ctx, b, pks[:2], nil, false, 6); err != nil {
		t.Fatal(err)
	}
	left, err = s.PutPreKeys(ctx, b, pks[2:3], nil, true, 6)
	if err != nil || left != 1 {
		t.Fatalf("replace: %d %v", left, err)
	}
	pk, _, _ = s.TakePreKey(ctx, b)
	if pk.ID != 3 {
		t.Fatalf("after replace took %d", pk.ID)
	}
}

// Concurrent takers never get the same one-time prekey.
func TestPreKeysConcurrentTake(t *testing.T) {
	s := open(t, mailboxstore.Options{InMemory: true})
	b := box(8, 1)
	register(t, s, b)
	var pks []mailbox.PreKey
	for i := range 100 {
		pks = append(pks, mailbox.PreKey{ID: uint32(i + 1), Bundle: []byte{1}})
	}
	if _, err := s.PutPreKeys(ctx, b, pks, []byte("s"), false, 100); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	seen := map[uint32]int{}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 15 {
				pk, oneTime, err := s.TakePreKey(ctx, b)
				if err != nil {
					t.Error(err)
					return
				}
				if oneTime {
					mu.Lock()
					seen[pk.ID]++
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	if len(seen) != 100 {
		t.Fatalf("%d distinct prekeys handed out", len(seen))
	}
	for id, n := range seen {
		if n != 1 {
			t.Fatalf("prekey %d handed out %d times", id, n)
		}
	}
}

func TestReopenKeepsSequence(t *testing.T) {
	dir := t.TempDir()
	s, err := mailboxstore.Open(mailboxstore.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	b := box(9, 1)
	register(t, s, b)
	first, err := s.Deposit(ctx, mailbox.NewDeposit{Box: b, ID: did(1), Envelope: env(1, 10)}, bigQuota)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); !errors.Is(err, storage.ErrClosed) {
		t.Fatalf("second close: %v", err)
	}
	if _, err := s.Deposit(ctx, mailbox.NewDeposit{Box: b, ID: did(2), Envelope: env(2, 10)}, bigQuota); !errors.Is(err, storage.ErrClosed) {
		t.Fatalf("after close: %v", err)
	}
	s = open(t, mailboxstore.Options{Dir: dir})
	second, err := s.Deposit(ctx, mailbox.NewDeposit{Box: b, ID: did(2), Envelope: env(2, 10)}, bigQuota)
	if err != nil || second.Seq <= first.Seq {
		t.Fatalf("seq %d after %d: %v", second.Seq, first.Seq, err)
	}
	items, _, _ := s.Fetch(ctx, b, 0, 10, 1<<20)
	if len(items) != 2 || items[0].ID != did(1) || items[1].ID != did(2) {
		t.Fatalf("items after reopen: %v", items)
	}
}

// A store written with schema 1 (queue keys without the deposit ID, a
// separate deposit index, stored counters) is migrated on open.
func TestMigrateSchema1(t *testing.T) {
	dir := t.TempDir()
	b := box(17, 1)
	s, err := mailboxstore.Open(mailboxstore.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	register(t, s, b)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	db, err := bdg.Open(bdg.DefaultOptions(dir).WithLogger(nil))
	if err != nil {
		t.Fatal(err)
	}
	boxKey := func(p byte) []byte {
		k := []byte{p}
		k = append(k, b.Account[:]...)
		return binary.BigEndian.AppendUint32(k, b.Device)
	}
	depositedAt := time.Now().Add(-time.Minute).UnixMilli()
	until := uint64(time.Now().Add(time.Hour).Unix())
	err = db.Update(func(txn *bdg.Txn) error {
		set := func(k, v []byte, expires uint64) error {
			e := bdg.NewEntry(k, v)
			e.ExpiresAt = expires
			return txn.SetEntry(e)
		}
		if err := set([]byte{'V'}, binary.BigEndian.AppendUint32(nil, 1), 0); err != nil {
			return err
		}
		if err := set([]byte{'S'}, binary.BigEndian.AppendUint64(nil, 3), 0); err != nil {
			return err
		}
		for i := range 3 {
			id, e := did(i), env(i, 300) // 300 bytes: in the value log
			seq := uint64(i + 1)
			v := append([]byte{1}, id[:]...)
			v = binary.BigEndian.AppendUint64(v, uint64(depositedAt))
			v = append(v, e...)
			if err := set(binary.BigEndian.AppendUint64(boxKey('Q'), seq), v, until); err != nil {
				return err
			}
			h := sha256.Sum256(e)
			iv := binary.BigEndian.AppendUint64(nil, seq)
			iv = append(iv, h[:]...)
			iv = binary.BigEndian.AppendUint64(iv, uint64(depositedAt))
			iv = binary.BigEndian.AppendUint32(iv, uint32(len(e)))
			if err := set(append(boxKey('I'), id[:]...), iv, until); err != nil {
				return err
			}
		}
		return set(append([]byte{'C'}, b.Account[:]...), make([]byte, 16), until)
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	s = open(t, mailboxstore.Options{Dir: dir})
	items, more, err := s.Fetch(ctx, b, 0, 10, 1<<20)
	if err != nil || more || len(items) != 3 {
		t.Fatalf("fetch after migration: %d items, %v", len(items), err)
	}
	for i, it := range items {
		if it.Seq != uint64(i+1) || it.ID != did(i) || !bytes.Equal(it.Envelope, env(i, 300)) || it.DepositedAt.UnixMilli() != depositedAt {
			t.Fatalf("item %d: %+v", i, it)
		}
	}
	st, err := s.Deposit(ctx, mailbox.NewDeposit{Box: b, ID: did(1), Envelope: env(1, 300)}, bigQuota)
	if err != nil || !st.Duplicate || st.Seq != 2 || st.DepositedAt.UnixMilli() != depositedAt || uint64(st.StoredUntil.Unix()) != until {
		t.Fatalf("duplicate of a migrated deposit: %+v %v", st, err)
	}
	if _, err := s.Deposit(ctx, mailbox.NewDeposit{Box: b, ID: did(1), Envelope: env(9, 300)}, bigQuota); !errors.Is(err, mailbox.ErrReplay) {
		t.Fatalf("replay of a migrated deposit: %v", err)
	}
	q := mailbox.Quota{MaxCount: 3, MaxBytes: 1 << 20}
	if _, err := s.Deposit(ctx, mailbox.NewDeposit{Box: b, ID: did(3), Envelope: env(3, 10)}, q); !errors.Is(err, mailbox.ErrQuotaCount) {
		t.Fatalf("quota counts migrated deposits: %v", err)
	}
	if n, err := s.Ack(ctx, b, []mailbox.DepositID{did(0), did(7)}); err != nil || n != 1 {
		t.Fatalf("ack of a migrated deposit: %d %v", n, err)
	}
	if st, err := s.Deposit(ctx, mailbox.NewDeposit{Box: b, ID: did(3), Envelope: env(3, 10)}, q); err != nil || st.Seq != 4 {
		t.Fatalf("deposit after ack: %+v %v", st, err)
	}
	err = mailboxstore.RawDB(s).View(func(txn *bdg.Txn) error {
		it := txn.NewIterator(bdg.IteratorOptions{})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			if k := it.Item().Key(); k[0] == 'I' || k[0] == 'C' {
				return fmt.Errorf("schema 1 key %q left", k[:1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestForgetPush(t *testing.T) {
	s := open(t, mailboxstore.Options{})
	b := box(7, 1)
	reg := mailbox.Registration{Box: b, PeerID: peerID(t), Sequence: 1, ExpiresAt: time.Now().Add(time.Hour), Push: []byte("endpoint-1")}
	if err := s.Register(ctx, reg); err != nil {
		t.Fatal(err)
	}
	// A stale report (the device has moved on to another endpoint) changes nothing.
	if forgot, err := s.ForgetPush(ctx, b, []byte("endpoint-0")); err != nil || forgot {
		t.Fatalf("forget another endpoint: %v, %v", forgot, err)
	}
	if got, err := s.Registration(ctx, b); err != nil || string(got.Push) != "endpoint-1" {
		t.Fatalf("registration after a stale report: %q, %v", got.Push, err)
	}
	if forgot, err := s.ForgetPush(ctx, b, []byte("endpoint-1")); err != nil || !forgot {
		t.Fatalf("forget the endpoint: %v, %v", forgot, err)
	}
	got, err := s.Registration(ctx, b)
	if err != nil || got.Push != nil || got.Sequence != 1 {
		t.Fatalf("registration after forgetting its endpoint: %+v, %v", got, err)
	}
	if forgot, err := s.ForgetPush(ctx, box(8, 1), []byte("endpoint-1")); err != nil || forgot {
		t.Fatalf("forget on an unregistered box: %v, %v", forgot, err)
	}
}
