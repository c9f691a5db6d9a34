package acctlog_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/acctlog"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/pb"
)

func TestSignOpenRoundTrip(t *testing.T) {
	a := newAccount(t, 1, 1, 2)
	op := a.op(t, 2, 7, 200)
	got, err := a.open(op.Raw)
	if err != nil {
		t.Fatal(err)
	}
	if got.Account != a.id() || got.Device != 2 || got.Seq != 7 || got.Lamport != op.Lamport ||
		!got.At.Equal(op.At) || got.Kind != "chats.message" || string(got.Body) != string(op.Body) || string(got.Raw) != string(op.Raw) {
		t.Fatalf("opened %+v, signed %+v", got, op)
	}
	// An empty body opens as an empty body.
	empty := &acctlog.Op{Account: a.id(), Device: 1, Seq: 1, Lamport: 1, At: testTime, Kind: "settings.theme"}
	if _, err := acctlog.Sign(a.devices[1].key, empty); err != nil {
		t.Fatal(err)
	}
	if got, err := a.open(empty.Raw); err != nil || got.Body == nil || len(got.Body) != 0 {
		t.Fatalf("empty body: %v %v", got, err)
	}
}

// TestOpenCanonicalRaw: what a relaying peer adds around the signed bytes
// (an unknown field) is dropped, so the same op always has the same Raw
// and a store sees a duplicate, not a conflict.
func TestOpenCanonicalRaw(t *testing.T) {
	a := newAccount(t, 1, 1)
	op := a.op(t, 1, 1, 10)
	padded := protowire.AppendTag(append([]byte(nil), op.Raw...), 9, protowire.BytesType)
	padded = protowire.AppendBytes(padded, []byte("extra"))
	got, err := a.open(padded)
	if err != nil {
		t.Fatal(err)
	}
	if string(got.Raw) != string(op.Raw) {
		t.Fatal("raw keeps what was added around the signed op")
	}
}

// resign signs m (a modified op) with key, as a broken or hostile device
// would, without Sign's checks.
func resign(t *testing.T, d *device, m *pb.AccountOp) []byte {
	t.Helper()
	body, err := proto.MarshalOptions{Deterministic: true}.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	sig, err := d.key.Sign(append([]byte("pigeon/account-op/v1\x00"), body...))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := proto.Marshal(&pb.SignedAccountOp{Op: body, Signature: sig})
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func TestOpenRejects(t *testing.T) {
	a := newAccount(t, 1, 1, 2)
	other := newAccount(t, 2, 1)
	good := a.op(t, 1, 3, 50)
	var signed pb.SignedAccountOp
	if err := proto.Unmarshal(good.Raw, &signed); err != nil {
		t.Fatal(err)
	}
	var body pb.AccountOp
	if err := proto.Unmarshal(signed.Op, &body); err != nil {
		t.Fatal(err)
	}
	with := func(f func(m *pb.AccountOp)) *pb.AccountOp {
		m := proto.Clone(&body).(*pb.AccountOp)
		f(m)
		return m
	}
	flipSig := proto.Clone(&signed).(*pb.SignedAccountOp)
	flipSig.Signature[5] ^= 1
	tampered := proto.Clone(&signed).(*pb.SignedAccountOp)
	tampered.Body = []byte("forged")
	inline := proto.Clone(&signed).(*pb.SignedAccountOp)
	inline.Op = mustMarshal(t, with(func(m *pb.AccountOp) { m.Body = []byte("forged") }))
	unhashed := proto.Clone(&signed).(*pb.SignedAccountOp)
	unhashed.Op = mustMarshal(t, with(func(m *pb.AccountOp) { m.BodyHash = nil }))
	stub := proto.Clone(&signed).(*pb.SignedAccountOp)
	stub.Body, stub.RedactedHash = nil, make([]byte, 32)
	// A device of another account signs an op claiming to be a's device 1.
	foreign := resign(t, other.devices[1], with(func(*pb.AccountOp) {}))
	// Device 1's cert, looked up for an op of another account.
	wrongAccount := resign(t, a.devices[1], with(func(m *pb.AccountOp) { m.Account = other.id().PublicKey() }))

	cases := []struct {
		name   string
		raw    []byte
		certOf func(uint32) (acctlog.Author, error)
		want   error
	}{
		{"bad signature", mustMarshal(t, flipSig), a.certOf, acctlog.ErrBadSignature},
		{"tampered body", mustMarshal(t, tampered), a.certOf, acctlog.ErrBadSignature},
		{"body both inline and detached", mustMarshal(t, inline), a.certOf, acctlog.ErrMalformed},
		{"detached body without its hash", mustMarshal(t, unhashed), a.certOf, acctlog.ErrMalformed},
		{"redacted with a detached hash", mustMarshal(t, stub), a.certOf, acctlog.ErrMalformed},
		{"signed by another device's key", resign(t, a.devices[2], with(func(*pb.AccountOp) {})), a.certOf, acctlog.ErrBadSignature},
		{"signed by another account's device", foreign, a.certOf, acctlog.ErrBadSignature},
		{"certificate of another account", wrongAccount, a.certOf, acctlog.ErrWrongAccount},
		{"op of another account with that account's certificates", wrongAccount, other.certOf, acctlog.ErrBadSignature},
		{"unknown device", resign(t, a.devices[1], with(func(m *pb.AccountOp) { m.Device = 9 })), a.certOf, acctlog.ErrUnknownDevice},
		{"certificate of another device", good.Raw, func(uint32) (acctlog.Author, error) { return acctlog.Author{Cert: a.devices[2].cert}, nil }, acctlog.ErrUnknownDevice},
		{"revoked device after its bound", good.Raw, revokedAfter(a.devices[1].cert, good.Seq-1), acctlog.ErrRevokedDevice},
		{"oversized", make([]byte, acctlog.MaxOpSize+1), a.certOf, acctlog.ErrTooLarge},
		{"kind too long", resign(t, a.devices[1], with(func(m *pb.AccountOp) { m.Kind = strings.Repeat("k", acctlog.MaxKindLen+1) })), a.certOf, acctlog.ErrTooLarge},
		{"kind with upper case", resign(t, a.devices[1], with(func(m *pb.AccountOp) { m.Kind = "Chats" })), a.certOf, acctlog.ErrMalformed},
		{"no kind", resign(t, a.devices[1], with(func(m *pb.AccountOp) { m.Kind = "" })), a.certOf, acctlog.ErrMalformed},
		{"seq 0", resign(t, a.devices[1], with(func(m *pb.AccountOp) { m.Seq = 0 })), a.certOf, acctlog.ErrMalformed},
		{"lamport 0", resign(t, a.devices[1], with(func(m *pb.AccountOp) { m.Lamport = 0 })), a.certOf, acctlog.ErrMalformed},
		{"device 0", resign(t, a.devices[1], with(func(m *pb.AccountOp) { m.Device = 0 })), a.certOf, acctlog.ErrMalformed},
		{"no time", resign(t, a.devices[1], with(func(m *pb.AccountOp) { m.AtMs = 0 })), a.certOf, acctlog.ErrMalformed},
		{"short account", resign(t, a.devices[1], with(func(m *pb.AccountOp) { m.Account = m.Account[:31] })), a.certOf, acctlog.ErrMalformed},
		{"short signature", mustMarshal(t, &pb.SignedAccountOp{Op: signed.Op, Signature: signed.Signature[:63]}), a.certOf, acctlog.ErrMalformed},
		{"garbage", []byte{0xff, 0x01, 0x02}, a.certOf, acctlog.ErrMalformed},
		{"empty", nil, a.certOf, acctlog.ErrMalformed},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			op, err := acctlog.Open(c.raw, c.certOf)
			if !errors.Is(err, c.want) {
				t.Fatalf("got %v, %v; want %v", op, err, c.want)
			}
		})
	}
	// A revoked device's ops up to its bound still open.
	if _, err := acctlog.Open(good.Raw, revokedAfter(a.devices[1].cert, good.Seq)); err != nil {
		t.Fatalf("op of a revoked device at its bound: %v", err)
	}
	// The lookup's own error is kept.
	lookupErr := errors.New("device list not found")
	_, err := acctlog.Open(good.Raw, func(uint32) (acctlog.Author, error) { return acctlog.Author{}, lookupErr })
	if !errors.Is(err, lookupErr) || !errors.Is(err, acctlog.ErrUnknownDevice) {
		t.Fatalf("lookup error: %v", err)
	}
}

func TestSignRejects(t *testing.T) {
	a := newAccount(t, 1, 1)
	key := a.devices[1].key
	base := acctlog.Op{Account: a.id(), Device: 1, Seq: 1, Lamport: 1, At: testTime, Kind: "chats.read"}
	cases := []struct {
		name string
		edit func(op *acctlog.Op)
		want error
	}{
		{"kind too long", func(op *acctlog.Op) { op.Kind = strings.Repeat("a", acctlog.MaxKindLen+1) }, acctlog.ErrTooLarge},
		{"kind with a space", func(op *acctlog.Op) { op.Kind = "chats read" }, acctlog.ErrMalformed},
		{"body too large", func(op *acctlog.Op) { op.Body = make([]byte, acctlog.MaxOpSize) }, acctlog.ErrTooLarge},
		{"seq 0", func(op *acctlog.Op) { op.Seq = 0 }, acctlog.ErrMalformed},
		{"device 0", func(op *acctlog.Op) { op.Device = 0 }, acctlog.ErrMalformed},
		{"no time", func(op *acctlog.Op) { op.At = testTime.AddDate(-100, 0, 0) }, acctlog.ErrMalformed},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			op := base
			c.edit(&op)
			if _, err := acctlog.Sign(key, &op); !errors.Is(err, c.want) || op.Raw != nil {
				t.Fatalf("got %v (raw set: %v), want %v", err, op.Raw != nil, c.want)
			}
		})
	}
	// The largest body that fits.
	op := base
	op.Body = make([]byte, acctlog.MaxOpSize-200)
	if _, err := acctlog.Sign(key, &op); err != nil {
		t.Fatal(err)
	}
	if _, err := a.open(op.Raw); err != nil {
		t.Fatal(err)
	}
}

func TestLess(t *testing.T) {
	ops := []*acctlog.Op{
		{Lamport: 2, Device: 1, Seq: 5},
		{Lamport: 1, Device: 3, Seq: 1},
		{Lamport: 2, Device: 1, Seq: 4},
		{Lamport: 2, Device: 0, Seq: 9},
		{Lamport: 1, Device: 2, Seq: 7},
	}
	slices.SortFunc(ops, func(a, b *acctlog.Op) int {
		switch {
		case acctlog.Less(a, b):
			return -1
		case acctlog.Less(b, a):
			return 1
		}
		return 0
	})
	var got []uint64
	for _, op := range ops {
		got = append(got, op.Seq)
	}
	if !slices.Equal(got, []uint64{7, 1, 9, 4, 5}) {
		t.Fatalf("order %v", got)
	}
	if acctlog.Less(ops[0], ops[0]) {
		t.Fatal("an op is less than itself")
	}
}

func TestVector(t *testing.T) {
	v := acctlog.Vector{1: 5, 2: 3}
	w := acctlog.Vector{1: 7, 3: 2, 4: 0}
	if v.Covers(w) || !v.Covers(acctlog.Vector{1: 5}) || !v.Covers(nil) {
		t.Fatal("covers")
	}
	if n := v.Missing(w); n != 4 {
		t.Fatalf("missing %d", n)
	}
	if ds := w.Devices(); !slices.Equal(ds, []uint32{1, 3}) {
		t.Fatalf("devices %v", ds)
	}
	c := v.Clone()
	c[1] = 9
	if v[1] != 5 {
		t.Fatal("clone shares the map")
	}
}

func mustMarshal(tb testing.TB, m proto.Message) []byte {
	tb.Helper()
	b, err := proto.Marshal(m)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// revokedAfter looks every device up as cert, revoked after its op upto.
func revokedAfter(cert *identity.Certificate, upto uint64) func(uint32) (acctlog.Author, error) {
	return func(uint32) (acctlog.Author, error) {
		return acctlog.Author{Cert: cert, Revoked: true, OpsUpto: upto}, nil
	}
}
