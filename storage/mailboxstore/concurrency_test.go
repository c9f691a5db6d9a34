package mailboxstore_test

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/protocol/mailbox"
	"github.com/pigeon-net/pigeon/storage/mailboxstore"
)

// Many concurrent depositors: every deposit is stored exactly once, in a
// strictly increasing sequence per box.
func TestConcurrentDeposits(t *testing.T) {
	s := open(t, mailboxstore.Options{})
	b := box(10, 1)
	register(t, s, b)
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Go(func() {
			for i := range 20 {
				if _, err := s.Deposit(ctx, mailbox.NewDeposit{Box: b, ID: did(g*20 + i), Envelope: env(i, 50)}, bigQuota); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	items, more, err := s.Fetch(ctx, b, 0, 1000, 1<<20)
	if err != nil || more || len(items) != 320 {
		t.Fatalf("%d items, more %v, %v", len(items), more, err)
	}
	seen := map[mailbox.DepositID]bool{}
	for i, it := range items {
		if seen[it.ID] || (i > 0 && it.Seq <= items[i-1].Seq) {
			t.Fatalf("item %d: dup or out of order", i)
		}
		seen[it.ID] = true
	}
}

// Deposits of one ID race with each other and with other deposits (so
// that they land in different groups, some while others are in flight):
// one is stored, the others are duplicates of it.
func TestConcurrentDuplicates(t *testing.T) {
	s := open(t, mailboxstore.Options{NoSync: true})
	b := box(11, 1)
	register(t, s, b)
	const racers = 16
	results := make([]mailbox.Stored, racers)
	var wg sync.WaitGroup
	for g := range racers {
		wg.Go(func() {
			for i := range 20 { // background traffic
				if _, err := s.Deposit(ctx, mailbox.NewDeposit{Box: b, ID: did(1000 + g*20 + i), Envelope: env(i, 50)}, bigQuota); err != nil {
					t.Error(err)
					return
				}
			}
		})
		wg.Go(func() {
			st, err := s.Deposit(ctx, mailbox.NewDeposit{Box: b, ID: did(1), Envelope: env(1, 50)}, bigQuota)
			if err != nil {
				t.Error(err)
			}
			results[g] = st
		})
	}
	wg.Wait()
	fresh := 0
	for _, st := range results {
		if !st.Duplicate {
			fresh++
		}
		if st.Seq != results[0].Seq || !st.StoredUntil.Equal(results[0].StoredUntil) {
			t.Fatalf("results differ: %+v and %+v", st, results[0])
		}
	}
	if fresh != 1 {
		t.Fatalf("%d deposits stored, want 1", fresh)
	}
	items, _, err := s.Fetch(ctx, b, 0, 1000, 1<<20)
	if err != nil || len(items) != 1+racers*20 {
		t.Fatalf("%d items, %v", len(items), err)
	}
}

// Concurrent deposits into one account never exceed its quota, and acks
// (racing with them) give the room back exactly.
func TestConcurrentQuotaExact(t *testing.T) {
	s := open(t, mailboxstore.Options{NoSync: true})
	b1, b2 := box(12, 1), box(12, 2)
	register(t, s, b1)
	register(t, s, b2)
	q := mailbox.Quota{MaxCount: 50, MaxBytes: 1 << 20}
	var mu sync.Mutex
	var stored []mailbox.DepositID
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Go(func() {
			bx := []mailbox.Box{b1, b2}[g%2]
			for i := range 10 {
				id := did(g*10 + i)
				_, err := s.Deposit(ctx, mailbox.NewDeposit{Box: bx, ID: id, Envelope: env(i, 10)}, q)
				switch {
				case err == nil:
					mu.Lock()
					stored = append(stored, id)
					mu.Unlock()
				case !errors.Is(err, mailbox.ErrQuotaCount):
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	if len(stored) != 50 {
		t.Fatalf("%d deposits accepted under a quota of 50", len(stored))
	}
	// Ack ten of b1's while others deposit: the quota still holds, and
	// afterwards exactly the free room can be filled.
	items, _, _ := s.Fetch(ctx, b1, 0, 10, 1<<20)
	wg.Go(func() {
		ids := make([]mailbox.DepositID, len(items))
		for i, it := range items {
			ids[i] = it.ID
		}
		if n, err := s.Ack(ctx, b1, ids); err != nil || n != len(items) {
			t.Errorf("ack: %d %v", n, err)
		}
	})
	for g := range 4 {
		wg.Go(func() {
			for i := range 5 {
				_, err := s.Deposit(ctx, mailbox.NewDeposit{Box: b2, ID: did(500 + g*5 + i), Envelope: env(i, 10)}, q)
				if err != nil && !errors.Is(err, mailbox.ErrQuotaCount) {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	queued := func() int {
		n := 0
		for _, bx := range []mailbox.Box{b1, b2} {
			items, _, err := s.Fetch(ctx, bx, 0, 1000, 1<<20)
			if err != nil {
				t.Fatal(err)
			}
			n += len(items)
		}
		return n
	}
	if n := queued(); n > 50 {
		t.Fatalf("%d queued under a quota of 50", n)
	}
	for i := 0; ; i++ {
		_, err := s.Deposit(ctx, mailbox.NewDeposit{Box: b2, ID: did(600 + i), Envelope: env(i, 10)}, q)
		if errors.Is(err, mailbox.ErrQuotaCount) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := queued(); n != 50 {
		t.Fatalf("%d queued when the quota of 50 refuses more", n)
	}
}

// Duplicates are recognised after a reopen, both before and after the
// deposit-index filter has been built from the database.
func TestReopenRecognisesDuplicates(t *testing.T) {
	dir := t.TempDir()
	s, err := mailboxstore.Open(mailboxstore.Options{Dir: dir, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	b := box(13, 1)
	register(t, s, b)
	first := make([]mailbox.Stored, 100)
	for i := range first {
		if first[i], err = s.Deposit(ctx, mailbox.NewDeposit{Box: b, ID: did(i), Envelope: env(i, 20)}, bigQuota); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = open(t, mailboxstore.Options{Dir: dir, NoSync: true})
	check := func(i int) {
		t.Helper()
		st, err := s.Deposit(ctx, mailbox.NewDeposit{Box: b, ID: did(i), Envelope: env(i, 20)}, bigQuota)
		if err != nil || !st.Duplicate || st.Seq != first[i].Seq {
			t.Fatalf("deposit %d again: %+v %v (first %+v)", i, st, err, first[i])
		}
		if _, err := s.Deposit(ctx, mailbox.NewDeposit{Box: b, ID: did(i), Envelope: env(i+1, 20)}, bigQuota); !errors.Is(err, mailbox.ErrReplay) {
			t.Fatalf("deposit %d with another envelope: %v", i, err)
		}
	}
	check(0) // probably before the filter is ready
	deadline := time.Now().Add(10 * time.Second)
	for {
		ready, err := mailboxstore.FilterReady(s)
		if err != nil {
			t.Fatal(err)
		}
		if ready {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("filter not built")
		}
		time.Sleep(10 * time.Millisecond)
	}
	for i := range first {
		check(i)
	}
	st, err := s.Deposit(ctx, mailbox.NewDeposit{Box: b, ID: did(100), Envelope: env(100, 20)}, bigQuota)
	if err != nil || st.Duplicate || st.Seq <= first[99].Seq {
		t.Fatalf("new deposit after reopen: %+v %v", st, err)
	}
}

// Registrations (which wait for a quiet group) interleave with deposits.
func TestRegisterAmidDeposits(t *testing.T) {
	s := open(t, mailboxstore.Options{NoSync: true})
	b := box(14, 1)
	register(t, s, b)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 25 {
				if _, err := s.Deposit(ctx, mailbox.NewDeposit{Box: b, ID: did(g*25 + i), Envelope: env(i, 30)}, bigQuota); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	p := peerID(t)
	wg.Go(func() {
		for i := range 10 {
			reg := mailbox.Registration{Box: b, PeerID: p, Sequence: uint64(time.Now().UnixNano()) + uint64(i), ExpiresAt: time.Now().Add(time.Hour)}
			if err := s.Register(ctx, reg); err != nil {
				t.Error(err)
			}
		}
	})
	wg.Wait()
	items, _, err := s.Fetch(ctx, b, 0, 1000, 1<<20)
	if err != nil || len(items) != 200 {
		t.Fatalf("%d items, %v", len(items), err)
	}
}

// After the counted envelopes expire, concurrent deposits (amid traffic
// to another account, so that groups are in flight) recount once and
// fill the quota exactly.
func TestConcurrentRecountAfterExpiry(t *testing.T) {
	s := open(t, mailboxstore.Options{NoSync: true, TTL: time.Second})
	b, other := box(15, 1), box(16, 1)
	register(t, s, b)
	register(t, s, other)
	q := mailbox.Quota{MaxCount: 5, MaxBytes: 1 << 20}
	for i := range 5 {
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
	var mu sync.Mutex
	accepted, background := 0, 0
	flowing := make(chan struct{})
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 50 {
				if _, err := s.Deposit(ctx, mailbox.NewDeposit{Box: other, ID: did(1000 + g*50 + i), Envelope: env(i, 10)}, bigQuota); err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				if background++; background == 40 {
					close(flowing)
				}
				mu.Unlock()
			}
		})
		wg.Go(func() {
			<-flowing
			for i := range 3 {
				_, err := s.Deposit(ctx, mailbox.NewDeposit{Box: b, ID: did(100 + g*3 + i), Envelope: env(i, 10)}, q)
				switch {
				case err == nil:
					mu.Lock()
					accepted++
					mu.Unlock()
				case !errors.Is(err, mailbox.ErrQuotaCount):
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	if accepted != 5 {
		t.Fatalf("%d deposits accepted after expiry, want 5", accepted)
	}
}
