package acctlog_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/pigeon-net/pigeon/protocol/acctlog"
	"github.com/pigeon-net/pigeon/storage/badger"
)

func openBadger(tb testing.TB, dir string) *badger.Store {
	tb.Helper()
	s, err := badger.Open(badger.Options{Dir: filepath.Join(dir, "db")})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = s.Close() })
	return s
}

// badgerApplier appends pulled ops to a Badger store and counts what it
// added and what it had already.
type badgerApplier struct {
	store      *badger.Store
	added, dup int
	after      func()
}

func (ap *badgerApplier) apply(ctx context.Context, ops []*acctlog.Op) error {
	res, err := ap.store.AppendOps(ctx, ops)
	if err != nil {
		return err
	}
	ap.added += len(res.Added)
	ap.dup += res.Duplicates + len(res.Conflicts)
	if ap.after != nil {
		ap.after()
	}
	return nil
}

// TestPullBetweenBadgerStores: two devices with real stores on loopback;
// the pull is cut after two batches and resumed with the vector the store
// then has: the requester ends with exactly the server's ops, each added
// once.
func TestPullBetweenBadgerStores(t *testing.T) {
	a := newAccount(t, 1, 1, 2)
	ctx := context.Background()
	server := openBadger(t, t.TempDir())
	for d := range a.devices {
		var batch []*acctlog.Op
		for s := uint64(1); s <= 1600; s++ {
			if s == 1200 && d == 2 {
				continue // a gap: what is above it is served too
			}
			batch = append(batch, a.op(t, d, s, 200))
		}
		if _, err := server.AppendOps(ctx, batch); err != nil {
			t.Fatal(err)
		}
	}
	sh, _ := serve(t, a, server, anyone)
	client := newHost(t)
	connect(t, client, sh)

	mine := openBadger(t, t.TempDir())
	ap := &badgerApplier{store: mine}
	cut, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := 0
	ap.after = func() {
		if batches++; batches == 2 {
			cancel()
		}
	}
	req := acctlog.PullRequest{Account: a.id(), CertOf: a.certOf, Apply: ap.apply}
	n, err := acctlog.Pull(cut, client, sh.ID(), req)
	if err == nil || n != 2*acctlog.MaxBatchOps {
		t.Fatalf("cut pull: %d %v", n, err)
	}
	ap.after = nil
	if req.Have, err = mine.Vector(ctx); err != nil {
		t.Fatal(err)
	}
	m, err := acctlog.Pull(ctx, client, sh.ID(), req)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := server.OpCount(ctx)
	got, _ := mine.OpCount(ctx)
	if uint64(n+m) != want || got != want || uint64(ap.added) != want || ap.dup != 0 {
		t.Fatalf("pulled %d+%d, holds %d, added %d (%d again) of %d", n, m, got, ap.added, ap.dup, want)
	}
	sv, _ := server.Vector(ctx)
	mv, _ := mine.Vector(ctx)
	if !sv.Covers(mv) || !mv.Covers(sv) || mv[2] != 1199 {
		t.Fatalf("vectors %v and %v", sv, mv)
	}
	// The ops above the gap came too, and pulling again brings nothing.
	if raw, err := mine.AccountOp(ctx, 2, 1600); err != nil || len(raw) == 0 {
		t.Fatalf("op above the gap: %v", err)
	}
	req.Have = mv
	if n, err := acctlog.Pull(ctx, client, sh.ID(), req); err != nil || n != 1600-1200 {
		// the requester's vector stops at the gap: what is above it comes again, and is skipped
		t.Fatalf("pull again: %d %v", n, err)
	}
	if ap.dup != 1600-1200 {
		t.Fatalf("%d duplicates skipped", ap.dup)
	}
}
