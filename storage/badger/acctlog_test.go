package badger_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/crypto"

	"github.com/pigeon-net/pigeon/protocol/acctlog"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/storage"
	"github.com/pigeon-net/pigeon/storage/badger"
)

// logKey is the signing key of every device in these tests: the store
// keeps signed bytes and never verifies them (AppendOps takes verified
// ops), so one key will do.
var logKey = func() crypto.PrivKey {
	k, err := crypto.UnmarshalEd25519PrivateKey(ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize)))
	if err != nil {
		panic(err)
	}
	return k
}()

func logOp(tb testing.TB, device uint32, seq, lamport uint64, body string) *acctlog.Op {
	tb.Helper()
	op := &acctlog.Op{Account: identity.AccountID{1}, Device: device, Seq: seq, Lamport: lamport, At: time.UnixMilli(1_760_000_000_000), Kind: "chats.message", Body: []byte(body)}
	if _, err := acctlog.Sign(logKey, op); err != nil {
		tb.Fatal(err)
	}
	return op
}

func ids(ops []*acctlog.Op) string {
	s := ""
	for _, op := range ops {
		s += fmt.Sprintf("%d/%d ", op.Device, op.Seq)
	}
	return s
}

func TestAcctLogAppend(t *testing.T) {
	s := newMem(t)
	ctx := context.Background()
	// Device 1 in order; device 2 with 2 and 4 before 1 and 3.
	res, err := s.AppendOps(ctx, []*acctlog.Op{logOp(t, 1, 1, 1, "a"), logOp(t, 1, 2, 2, "b"), logOp(t, 2, 2, 5, "x"), logOp(t, 2, 4, 7, "z")})
	if err != nil || len(res.Added) != 4 || res.Duplicates != 0 || len(res.Conflicts) != 0 {
		t.Fatalf("append: %+v %v", res, err)
	}
	v, err := s.Vector(ctx)
	if err != nil || fmt.Sprint(v) != "map[1:2]" {
		t.Fatalf("vector %v %v", v, err)
	}
	if n, _ := s.CountAfter(ctx, 2, 0); n != 2 {
		t.Fatalf("device 2 above 0: %d", n)
	}
	if n, _ := s.CountAfter(ctx, 2, 2); n != 1 { // above the prefix (0): read from the keys
		t.Fatalf("device 2 above 2: %d", n)
	}
	// 1 closes the gap below 2; 3 the one below 4.
	res, err = s.AppendOps(ctx, []*acctlog.Op{logOp(t, 2, 1, 3, "w"), logOp(t, 1, 3, 8, "c")})
	if err != nil || len(res.Added) != 2 {
		t.Fatalf("append: %+v %v", res, err)
	}
	if v, _ := s.Vector(ctx); fmt.Sprint(v) != "map[1:3 2:2]" {
		t.Fatalf("vector %v", v)
	}
	res, err = s.AppendOps(ctx, []*acctlog.Op{logOp(t, 2, 3, 6, "y")})
	if err != nil || len(res.Added) != 1 {
		t.Fatalf("append: %+v %v", res, err)
	}
	if v, _ := s.Vector(ctx); fmt.Sprint(v) != "map[1:3 2:4]" {
		t.Fatalf("vector %v", v)
	}

	// Duplicates are skipped, a second op under one seq is refused and the
	// first kept; what else the batch holds is stored.
	forged := logOp(t, 1, 2, 2, "forged")
	res, err = s.AppendOps(ctx, []*acctlog.Op{logOp(t, 1, 1, 1, "a"), forged, logOp(t, 1, 4, 9, "d"), logOp(t, 1, 4, 9, "d")})
	if err != nil || ids(res.Added) != "1/4 " || res.Duplicates != 2 || len(res.Conflicts) != 1 || res.Conflicts[0] != forged {
		t.Fatalf("append: added %s, %d duplicates, conflicts %s: %v", ids(res.Added), res.Duplicates, ids(res.Conflicts), err)
	}
	raw, err := s.AccountOp(ctx, 1, 2)
	if err != nil || string(raw) != string(logOp(t, 1, 2, 2, "b").Raw) {
		t.Fatalf("op 1/2 replaced: %v", err)
	}
	if _, err := s.AccountOp(ctx, 1, 9); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("missing op: %v", err)
	}

	if n, err := s.OpCount(ctx); err != nil || n != 8 {
		t.Fatalf("count %d %v", n, err)
	}
	if ds, err := s.Devices(ctx); err != nil || !slices.Equal(ds, []uint32{1, 2}) {
		t.Fatalf("devices %v %v", ds, err)
	}
	for _, c := range []struct {
		device uint32
		after  uint64
		want   int
	}{{1, 0, 4}, {1, 3, 1}, {1, 4, 0}, {1, 9, 0}, {2, 1, 3}, {3, 0, 0}} {
		if n, err := s.CountAfter(ctx, c.device, c.after); err != nil || n != c.want {
			t.Fatalf("count after %d/%d: %d %v, want %d", c.device, c.after, n, err, c.want)
		}
	}
	ops, err := s.Range(ctx, 2, 1, 2, 1<<20)
	if err != nil || len(ops) != 2 || ops[0].Seq != 2 || ops[1].Seq != 3 || string(ops[0].Raw) != string(logOp(t, 2, 2, 5, "x").Raw) {
		t.Fatalf("range: %v %v", ops, err)
	}
	if ops, _ := s.Range(ctx, 2, 0, 10, 1); len(ops) != 1 { // over maxBytes: still one
		t.Fatalf("range under a byte limit: %d ops", len(ops))
	}
	four, err := s.AccountOp(ctx, 1, 4)
	if err != nil {
		t.Fatal(err)
	}
	if seq, lamport, prev, err := s.NextOp(ctx, 1); err != nil || seq != 5 || lamport != 10 || !bytes.Equal(prev, acctlog.Hash(four)) {
		t.Fatalf("next op of device 1: %d %d %x %v", seq, lamport, prev, err)
	}
	if seq, lamport, prev, _ := s.NextOp(ctx, 7); seq != 1 || lamport != 10 || prev != nil {
		t.Fatalf("next op of a new device: %d %d %x", seq, lamport, prev)
	}
}

func TestAcctLogAppendInvalid(t *testing.T) {
	s := newMem(t)
	ctx := context.Background()
	good := logOp(t, 1, 1, 1, "a")
	for _, bad := range []*acctlog.Op{
		{Device: 0, Seq: 1, Raw: good.Raw},
		{Device: 1, Seq: 0, Raw: good.Raw},
		{Device: 1, Seq: 2},
		{Device: 1, Seq: 2, Raw: make([]byte, acctlog.MaxOpSize+1)},
	} {
		if _, err := s.AppendOps(ctx, []*acctlog.Op{good, bad}); !errors.Is(err, badger.ErrInvalid) {
			t.Fatalf("op %d/%d of %d bytes: %v", bad.Device, bad.Seq, len(bad.Raw), err)
		}
	}
	if n, _ := s.OpCount(ctx); n != 0 {
		t.Fatalf("%d ops stored from refused batches", n)
	}
}

// TestAcctLogBatchOneTransaction: a batch of 1,000 ops is one transaction:
// it fits in the caller's and goes with it when that is given up.
func TestAcctLogBatchOneTransaction(t *testing.T) {
	s := openDir(t, t.TempDir())
	t.Cleanup(func() { s.Close() })
	ctx := context.Background()
	batch := make([]*acctlog.Op, 1000)
	for i := range batch {
		batch[i] = logOp(t, 1, uint64(i+1), uint64(i+1), string(make([]byte, 200)))
	}
	undo := errors.New("undo")
	err := s.Update(ctx, func(ctx context.Context) error {
		res, err := s.AppendOps(ctx, batch)
		if err != nil {
			return err
		}
		if len(res.Added) != 1000 {
			t.Fatalf("added %d", len(res.Added))
		}
		return undo
	})
	if !errors.Is(err, undo) {
		t.Fatal(err)
	}
	if n, _ := s.OpCount(ctx); n != 0 {
		t.Fatalf("%d ops stored by a transaction given up", n)
	}
	res, err := s.AppendOps(ctx, batch)
	if err != nil || len(res.Added) != 1000 {
		t.Fatalf("append: %d %v", len(res.Added), err)
	}
	if v, _ := s.Vector(ctx); v[1] != 1000 {
		t.Fatalf("vector %v", v)
	}
}

// TestAcctLogAppendSplitsHugeBatch: a batch too big for one transaction,
// given without one, is still stored whole.
func TestAcctLogAppendSplitsHugeBatch(t *testing.T) {
	s := newMem(t)
	ctx := context.Background()
	batch := make([]*acctlog.Op, 40) // 40 × 100 KiB: over the ~2.4 MiB of one transaction
	for i := range batch {
		batch[i] = logOp(t, 3, uint64(i+1), 1, string(make([]byte, 100<<10)))
	}
	err := s.Update(ctx, func(ctx context.Context) error { _, err := s.AppendOps(ctx, batch); return err })
	if !errors.Is(err, badger.ErrTxnTooBig) {
		t.Fatalf("in one transaction: %v", err)
	}
	res, err := s.AppendOps(ctx, batch)
	if err != nil || len(res.Added) != 40 {
		t.Fatalf("append: %d %v", len(res.Added), err)
	}
	if v, _ := s.Vector(ctx); v[3] != 40 {
		t.Fatalf("vector %v", v)
	}
}

// TestAcctLogNextOpSurvivesRestart: after a restart the local device's
// next op gets the next seq, and a Lamport clock above every op held.
func TestAcctLogNextOpSurvivesRestart(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "db")
	ctx := context.Background()
	s := openDir(t, dir)
	for range 3 {
		err := s.Update(ctx, func(ctx context.Context) error {
			seq, lamport, _, err := s.NextOp(ctx, 1)
			if err != nil {
				return err
			}
			_, err = s.AppendOps(ctx, []*acctlog.Op{logOp(t, 1, seq, lamport, "mine")})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.AppendOps(ctx, []*acctlog.Op{logOp(t, 2, 1, 40, "theirs")}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openDir(t, dir)
	defer s.Close()
	if seq, lamport, _, err := s.NextOp(ctx, 1); err != nil || seq != 4 || lamport != 41 {
		t.Fatalf("after restart: seq %d lamport %d %v", seq, lamport, err)
	}
}

// TestAcctLogNextOpConcurrent: authors appending at once in Updates of
// their own never share a seq, and leave no gap.
func TestAcctLogNextOpConcurrent(t *testing.T) {
	s := newMem(t)
	ctx := context.Background()
	const writers, each = 4, 25
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for range writers {
		wg.Go(func() {
			for range each {
				err := s.Update(ctx, func(ctx context.Context) error {
					seq, lamport, _, err := s.NextOp(ctx, 1)
					if err != nil {
						return err
					}
					res, err := s.AppendOps(ctx, []*acctlog.Op{logOp(t, 1, seq, lamport, "x")})
					if err == nil && len(res.Added) != 1 {
						err = fmt.Errorf("op %d not added: %+v", seq, res)
					}
					return err
				})
				if err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if v, _ := s.Vector(ctx); v[1] != writers*each {
		t.Fatalf("vector %v", v)
	}
	if n, _ := s.OpCount(ctx); n != writers*each {
		t.Fatalf("count %d", n)
	}
}

// TestAcctLogNextOpChains: ops recorded with NextOp's Prev, many in one
// transaction as a backfill records them, form one chain: each names the
// hash of the signed op stored before it.
func TestAcctLogNextOpChains(t *testing.T) {
	s := newMem(t)
	ctx := context.Background()
	var signed []*acctlog.Op
	err := s.Update(ctx, func(ctx context.Context) error {
		signed = nil
		for range 50 {
			seq, lamport, prev, err := s.NextOp(ctx, 1)
			if err != nil {
				return err
			}
			op := &acctlog.Op{Account: identity.AccountID{1}, Device: 1, Seq: seq, Lamport: lamport, At: time.UnixMilli(1_760_000_000_000), Kind: "chats.message", Body: []byte("x"), Prev: prev}
			if _, err := acctlog.Sign(logKey, op); err != nil {
				return err
			}
			if _, err := s.AppendOps(ctx, []*acctlog.Op{op}); err != nil {
				return err
			}
			signed = append(signed, op)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	ops, err := s.Range(ctx, 1, 0, 100, 1<<20)
	if err != nil || len(ops) != 50 {
		t.Fatalf("range: %d %v", len(ops), err)
	}
	if signed[0].Prev != nil {
		t.Fatalf("first op with prev %x", signed[0].Prev)
	}
	for i := 1; i < len(ops); i++ {
		if !bytes.Equal(signed[i].Prev, acctlog.Hash(ops[i-1].Raw)) {
			t.Fatalf("op %d does not link to op %d", i+1, i)
		}
	}
}
