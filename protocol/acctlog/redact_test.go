package acctlog_test

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/acctlog"
	"github.com/pigeon-net/pigeon/protocol/pb"
)

// secret is a body the tests redact and then look for.
var secret = []byte("the text of a deleted message")

// withSecret signs op seq of device d with secret as its body, linked to
// before (nil: unchained).
func (a *account) withSecret(t *testing.T, d uint32, seq uint64, before *acctlog.Op) *acctlog.Op {
	t.Helper()
	var prev []byte
	if before != nil {
		prev = before.Hash()
	}
	op := &acctlog.Op{Account: a.id(), Device: d, Seq: seq, Lamport: seq*4 + uint64(d), At: testTime.Add(time.Duration(seq) * time.Second), Kind: "chats.message", Body: secret, Prev: prev}
	if _, err := acctlog.Sign(a.devices[d].key, op); err != nil {
		t.Fatal(err)
	}
	return op
}

// legacy signs op seq of device d as ops were signed before bodies were
// detached: the body inside the signed op.
func (a *account) legacy(t *testing.T, d uint32, seq uint64, body, prev []byte) []byte {
	t.Helper()
	return resign(t, a.devices[d], &pb.AccountOp{
		Account: a.id().PublicKey(), Device: d, Seq: seq, Lamport: seq*4 + uint64(d),
		AtMs: testTime.Add(time.Duration(seq) * time.Second).UnixMilli(), Kind: "chats.message", Body: body, Prev: prev,
	})
}

// TestRedactDetached: an op redacted in the middle of a chain keeps its
// ID and its place; the chain and every signature still verify, and the
// body is gone from the bytes.
func TestRedactDetached(t *testing.T) {
	a := newAccount(t, 1, 1)
	ops := a.chained(t, 1, 1, 4, 16, nil)
	mid := a.withSecret(t, 1, 5, ops[3])
	ops = append(ops, mid)
	ops = append(ops, a.chained(t, 1, 6, 9, 16, mid)...)
	if !bytes.Contains(mid.Raw, secret) {
		t.Fatal("the signed op does not carry its body")
	}
	red, err := acctlog.Redact(mid.Raw)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(red, secret) {
		t.Fatal("the redacted op still holds the body")
	}
	if !acctlog.SameOp(red, mid.Raw) || !bytes.Equal(acctlog.Hash(red), mid.Hash()) {
		t.Fatal("the redacted op is not the same op")
	}
	again, err := acctlog.Redact(red)
	if err != nil || !bytes.Equal(again, red) {
		t.Fatalf("redacting twice: %v", err)
	}
	op, err := acctlog.Open(red, a.certOf)
	if err != nil {
		t.Fatalf("a redacted op does not verify alone: %v", err)
	}
	if !op.Redacted || len(op.Body) != 0 || op.Device != 1 || op.Seq != 5 || op.Lamport != mid.Lamport {
		t.Fatalf("opened %+v", op)
	}
	rs := raws(ops)
	rs[4] = red
	got, err := acctlog.OpenChain(rs, a.certOf)
	if err != nil || len(got) != len(rs) {
		t.Fatalf("opened %d of %d: %v", len(got), len(rs), err)
	}
	for i, op := range got {
		if op.Redacted != (i == 4) {
			t.Fatalf("op %s: redacted %v", op, op.Redacted)
		}
	}
	// The last op redacted: its signature still vouches for the run.
	rs[8] = mustRedact(t, rs[8])
	if got, err := acctlog.OpenChain(rs, a.certOf); err != nil || len(got) != len(rs) {
		t.Fatalf("redacted tip: opened %d of %d: %v", len(got), len(rs), err)
	}
}

// TestRedactEmptyBody: an op with an empty body is not taken for a
// redacted one.
func TestRedactEmptyBody(t *testing.T) {
	a := newAccount(t, 1, 1)
	op := a.op(t, 1, 1, 0)
	got, err := acctlog.Open(op.Raw, a.certOf)
	if err != nil || got.Redacted {
		t.Fatalf("opened %+v: %v", got, err)
	}
}

// TestRedactLegacy: an op signed with its body inline, redacted, opens
// only through a pull (OpenChain), as redacted; the op after it still
// links to it, and the ops before it are verified by their own
// signatures, not by its.
func TestRedactLegacy(t *testing.T) {
	a := newAccount(t, 1, 1)
	first := a.legacy(t, 1, 1, []byte("hello"), nil)
	second := a.legacy(t, 1, 2, secret, acctlog.Hash(first))
	third := a.chained(t, 1, 3, 4, 16, nil)
	// Chain third[0] to second by hand.
	third[0] = a.linked(t, 1, 3, 16, acctlog.Hash(second))
	third[1] = a.linked(t, 1, 4, 16, third[0].Hash())
	red, err := acctlog.Redact(second)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(red, secret) {
		t.Fatal("the redacted op still holds the body")
	}
	if !acctlog.SameOp(red, second) {
		t.Fatal("the redacted op is not the same op")
	}
	if _, err := acctlog.Open(red, a.certOf); !errors.Is(err, acctlog.ErrMalformed) {
		t.Fatalf("Open took a redacted inline op: %v", err)
	}
	got, err := acctlog.OpenChain([][]byte{first, red, third[0].Raw, third[1].Raw}, a.certOf)
	if err != nil || len(got) != 4 {
		t.Fatalf("opened %d of 4: %v", len(got), err)
	}
	if !got[1].Redacted || got[0].Redacted || len(got[1].Body) != 0 {
		t.Fatal("wrong ops redacted")
	}
	// A forged op before a redacted one is not vouched for by it: the
	// redacted op's Prev is no longer signed, so a peer can make it name
	// anything.
	var s pb.SignedAccountOp
	if err := proto.Unmarshal(first, &s); err != nil {
		t.Fatal(err)
	}
	s.Signature[3] ^= 1
	forged := mustMarshal(t, &s)
	var rs pb.SignedAccountOp
	if err := proto.Unmarshal(red, &rs); err != nil {
		t.Fatal(err)
	}
	var m pb.AccountOp
	if err := proto.Unmarshal(rs.Op, &m); err != nil {
		t.Fatal(err)
	}
	m.Prev = acctlog.Hash(forged)
	rs.Op = mustMarshal(t, &m)
	lying := mustMarshal(t, &rs)
	if got, err := acctlog.OpenChain([][]byte{forged, lying}, a.certOf); !errors.Is(err, acctlog.ErrBadSignature) || len(got) != 0 {
		t.Fatalf("forged op before a redacted one: opened %d: %v", len(got), err)
	}
}

func mustRedact(t *testing.T, raw []byte) []byte {
	t.Helper()
	red, err := acctlog.Redact(raw)
	if err != nil {
		t.Fatal(err)
	}
	return red
}

// FuzzRedact: Redact never fails on an op a pull accepts, and what it
// returns opens (through a pull) as the same op, redacted, without the
// body.
func FuzzRedact(f *testing.F) {
	a := newAccount(f, 1, 1)
	f.Add(a.op(f, 1, 1, 8).Raw)
	f.Add(a.op(f, 1, 2, 0).Raw)
	leg := resign(&testing.T{}, a.devices[1], &pb.AccountOp{
		Account: a.id().PublicKey(), Device: 1, Seq: 3, Lamport: 3, AtMs: testTime.UnixMilli(), Kind: "k", Body: []byte("text"),
	})
	f.Add(leg)
	if red, err := acctlog.Redact(leg); err == nil {
		f.Add(red)
	}
	f.Add([]byte{0x0a, 0x02, 0x08, 0x01})
	f.Fuzz(func(t *testing.T, raw []byte) {
		if len(raw) > 4<<10 {
			return
		}
		red, rerr := acctlog.Redact(raw)
		ops, err := acctlog.OpenChain([][]byte{raw}, a.certOf)
		if err != nil || len(ops) != 1 {
			return
		}
		if rerr != nil {
			t.Fatalf("redact an op a pull accepts: %v", rerr)
		}
		got, err := acctlog.OpenChain([][]byte{red}, a.certOf)
		if err != nil || len(got) != 1 {
			t.Fatalf("redacted op does not open: %v", err)
		}
		// An empty body has nothing to redact: such an op stays whole.
		if (!got[0].Redacted && len(ops[0].Body) > 0) || len(got[0].Body) != 0 || got[0].Device != ops[0].Device || got[0].Seq != ops[0].Seq || !bytes.Equal(got[0].Hash(), ops[0].Hash()) {
			t.Fatalf("redacted %s to %+v", ops[0], got[0])
		}
	})
}
