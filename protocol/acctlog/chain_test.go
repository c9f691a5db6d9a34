package acctlog_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/acctlog"
	"github.com/pigeon-net/pigeon/protocol/pb"
)

func raws(ops []*acctlog.Op) [][]byte {
	rs := make([][]byte, len(ops))
	for i, op := range ops {
		rs[i] = op.Raw
	}
	return rs
}

// tamper returns op's signed bytes with its body changed and its
// signature kept: what a forger without the device's key can make.
func tamper(t *testing.T, op *acctlog.Op) []byte {
	t.Helper()
	var s pb.SignedAccountOp
	var m pb.AccountOp
	if err := proto.Unmarshal(op.Raw, &s); err != nil {
		t.Fatal(err)
	}
	if err := proto.Unmarshal(s.GetOp(), &m); err != nil {
		t.Fatal(err)
	}
	m.Lamport += 1000 // a signed field: the body travels detached
	body, err := proto.MarshalOptions{Deterministic: true}.Marshal(&m)
	if err != nil {
		t.Fatal(err)
	}
	s.Op = body
	raw, err := proto.Marshal(&s)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func TestOpenChain(t *testing.T) {
	a := newAccount(t, 1, 1, 2)
	ops := a.chained(t, 1, 1, 20, 16, nil)
	ops = append(ops, a.chained(t, 2, 1, 12, 16, nil)...)
	got, err := acctlog.OpenChain(raws(ops), a.certOf)
	if err != nil || len(got) != len(ops) {
		t.Fatalf("opened %d of %d: %v", len(got), len(ops), err)
	}
	for i, op := range got {
		if string(op.Raw) != string(ops[i].Raw) || string(op.Prev) != string(ops[i].Prev) {
			t.Fatalf("op %d: %s, want %s", i, op, ops[i])
		}
	}
}

// TestOpenChainTamperedMiddle: a run whose middle op was changed is
// refused whole although its last op's signature verifies.
func TestOpenChainTamperedMiddle(t *testing.T) {
	a := newAccount(t, 1, 1)
	ops := a.chained(t, 1, 1, 10, 16, nil)
	rs := raws(ops)
	rs[4] = tamper(t, ops[4])
	if _, err := acctlog.Open(rs[9], a.certOf); err != nil {
		t.Fatalf("the tip does not verify: %v", err)
	}
	got, err := acctlog.OpenChain(rs, a.certOf)
	if !errors.Is(err, acctlog.ErrBrokenChain) || len(got) != 0 {
		t.Fatalf("opened %d ops: %v; want none and %v", len(got), err, acctlog.ErrBrokenChain)
	}
	// Ending the batch at the tampered op makes it the run's tip: its own
	// signature fails, and with it the ops it vouches for.
	got, err = acctlog.OpenChain(rs[:5], a.certOf)
	if !errors.Is(err, acctlog.ErrBadSignature) || len(got) != 0 {
		t.Fatalf("opened %d ops: %v; want none and %v", len(got), err, acctlog.ErrBadSignature)
	}
	// A forged tip fails the whole run, and only it: another device's
	// run before it opens.
	b := newAccount(t, 1, 1, 2)
	mixed := append(b.chained(t, 2, 1, 3, 16, nil), b.chained(t, 1, 1, 4, 16, nil)...)
	rs = raws(mixed)
	rs[6] = tamper(t, mixed[6])
	got, err = acctlog.OpenChain(rs, b.certOf)
	if !errors.Is(err, acctlog.ErrBadSignature) || len(got) != 3 {
		t.Fatalf("opened %d ops: %v; want 3 and %v", len(got), err, acctlog.ErrBadSignature)
	}
}

// TestOpenChainOrderAndGaps: ops of a device out of order are refused; a
// gap ends a run, and the op before it is verified by its own signature.
func TestOpenChainOrderAndGaps(t *testing.T) {
	a := newAccount(t, 1, 1)
	ops := a.chained(t, 1, 1, 6, 16, nil)
	rs := raws(ops)
	if got, err := acctlog.OpenChain([][]byte{rs[0], rs[2], rs[1]}, a.certOf); !errors.Is(err, acctlog.ErrBrokenChain) || len(got) != 0 {
		t.Fatalf("reordered: opened %d: %v", len(got), err)
	}
	if got, err := acctlog.OpenChain([][]byte{rs[0], rs[0]}, a.certOf); !errors.Is(err, acctlog.ErrBrokenChain) || len(got) != 0 {
		t.Fatalf("repeated: opened %d: %v", len(got), err)
	}
	if got, err := acctlog.OpenChain([][]byte{rs[0], rs[1], rs[4], rs[5]}, a.certOf); err != nil || len(got) != 4 {
		t.Fatalf("with a gap: opened %d: %v", len(got), err)
	}
	// With a gap, the op before it is a tip: forged, it fails with the
	// run it ends.
	forged := tamper(t, ops[1])
	if got, err := acctlog.OpenChain([][]byte{rs[0], forged, rs[4], rs[5]}, a.certOf); !errors.Is(err, acctlog.ErrBadSignature) || len(got) != 0 {
		t.Fatalf("forged before a gap: opened %d: %v", len(got), err)
	}
	if got, err := acctlog.OpenChain([][]byte{forged, rs[4], rs[5]}, a.certOf); !errors.Is(err, acctlog.ErrBadSignature) || len(got) != 0 {
		t.Fatalf("forged tip before a gap: opened %d: %v", len(got), err)
	}
}

// TestOpenChainMixed: ops signed before the chain (no Prev) are verified
// one by one, and the first chained op after them links to the hash of
// the last one's signed bytes.
func TestOpenChainMixed(t *testing.T) {
	a := newAccount(t, 1, 1)
	old := []*acctlog.Op{a.op(t, 1, 1, 16), a.op(t, 1, 2, 16), a.op(t, 1, 3, 16)}
	ops := append(old, a.chained(t, 1, 4, 9, 16, old[2])...)
	got, err := acctlog.OpenChain(raws(ops), a.certOf)
	if err != nil || len(got) != len(ops) {
		t.Fatalf("opened %d of %d: %v", len(got), len(ops), err)
	}
	rs := raws(ops)
	rs[1] = tamper(t, old[1])
	got, err = acctlog.OpenChain(rs, a.certOf)
	if !errors.Is(err, acctlog.ErrBadSignature) || len(got) != 1 {
		t.Fatalf("a forged old op: opened %d: %v; want 1 and %v", len(got), err, acctlog.ErrBadSignature)
	}
	rs = raws(ops)
	rs[2] = tamper(t, old[2])
	got, err = acctlog.OpenChain(rs, a.certOf)
	if !errors.Is(err, acctlog.ErrBrokenChain) || len(got) != 0 {
		t.Fatalf("a forged old op the chain links to: opened %d: %v", len(got), err)
	}
	// Pulled over the protocol in small batches, old and new ops arrive
	// whole.
	server := newMemStore()
	server.add(ops...)
	sh, _ := serve(t, a, server, anyone)
	client := newHost(t)
	connect(t, client, sh)
	mine := newMemStore()
	mine.add(old[0])
	ap := newApplier(mine)
	req := a.pullReq(mine.vector(), ap)
	req.Held = mine.held
	if n, err := acctlog.Pull(context.Background(), client, sh.ID(), req); err != nil || n != len(ops)-1 {
		t.Fatalf("pulled %d: %v", n, err)
	}
}

// TestPullRefusesUnlinkedRun: a run whose first op does not link to the
// op the requester holds before it is refused, though each op is signed
// by the device (it signed two ops with one seq: forked, or a stolen
// key).
func TestPullRefusesUnlinkedRun(t *testing.T) {
	a := newAccount(t, 1, 1)
	held := a.chained(t, 1, 1, 5, 16, nil)
	fork := a.chained(t, 1, 5, 5, 99, held[3])
	theirs := append(append([]*acctlog.Op{}, held[:4]...), fork[0])
	theirs = append(theirs, a.chained(t, 1, 6, 30, 16, fork[0])...)
	server := newMemStore()
	server.add(theirs...)
	sh, _ := serve(t, a, server, anyone)
	client := newHost(t)
	connect(t, client, sh)
	mine := newMemStore()
	mine.add(held...)
	ap := newApplier(mine)
	req := a.pullReq(mine.vector(), ap)
	req.Held = mine.held
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	n, err := acctlog.Pull(ctx, client, sh.ID(), req)
	if !errors.Is(err, acctlog.ErrBrokenChain) || n != 0 || mine.count() != 5 {
		t.Fatalf("pulled %d (%d held): %v; want 0 and %v", n, mine.count(), err, acctlog.ErrBrokenChain)
	}
	// Without a fork, the same pull brings the rest.
	good := newMemStore()
	good.add(held...)
	good.add(a.chained(t, 1, 6, 30, 16, held[4])...)
	sh2, _ := serve(t, a, good, anyone)
	connect(t, client, sh2)
	if n, err := acctlog.Pull(ctx, client, sh2.ID(), req); err != nil || n != 25 {
		t.Fatalf("pulled %d: %v", n, err)
	}
}

// FuzzOpenChain opens runs made of a chain with fuzzed ops put into it:
// whatever it accepts opens one by one too, and it ends (bounded input:
// at most 8 ops of at most 1 KiB).
func FuzzOpenChain(f *testing.F) {
	a := newAccount(f, 1, 1, 2)
	ops := a.chained(f, 1, 1, 3, 4, nil)
	f.Add(ops[1].Raw, uint8(1), uint8(3))
	f.Add(a.chained(f, 2, 1, 1, 4, nil)[0].Raw, uint8(0), uint8(2))
	f.Add([]byte{}, uint8(2), uint8(1))
	f.Fuzz(func(t *testing.T, raw []byte, at, n uint8) {
		if len(raw) > 1<<10 {
			return
		}
		rs := raws(ops)
		rs = append(rs[:min(int(at), 3)], append([][]byte{raw}, rs[min(int(at), 3):]...)...)
		rs = rs[:min(int(n), len(rs))]
		done := make(chan struct{})
		var got []*acctlog.Op
		go func() {
			defer close(done)
			got, _ = acctlog.OpenChain(rs, a.certOf)
		}()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatal("OpenChain hangs")
		}
		for _, op := range got {
			_, err := acctlog.Open(op.Raw, a.certOf)
			if op.Redacted && errors.Is(err, acctlog.ErrMalformed) {
				continue // redacted with its body inline: pulled only
			}
			if err != nil {
				t.Fatalf("accepted op %s that does not open alone: %v", op, err)
			}
		}
	})
}
