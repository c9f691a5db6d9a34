package acctlog_test

import (
	"crypto/sha512"
	"errors"
	"sync/atomic"
	"testing"

	"filippo.io/edwards25519"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/acctlog"
	"github.com/pigeon-net/pigeon/protocol/pb"
)

// TestOpenBatch: a batch opens to the ops Open gives one by one, up to
// its first bad op, whose error is Open's; the device list is asked once
// per device.
func TestOpenBatch(t *testing.T) {
	a := newAccount(t, 1, 1, 2)
	var raws [][]byte
	for i := range uint64(20) {
		raws = append(raws, a.op(t, uint32(1+i%2), 1+i/2, 40).Raw)
	}
	var asked atomic.Int32
	certOf := func(d uint32) (acctlog.Author, error) {
		asked.Add(1)
		return a.certOf(d)
	}
	ops, err := acctlog.OpenBatch(raws, certOf)
	if err != nil || len(ops) != len(raws) {
		t.Fatalf("opened %d of %d: %v", len(ops), len(raws), err)
	}
	for i, op := range ops {
		want, err := acctlog.Open(raws[i], a.certOf)
		if err != nil || string(op.Raw) != string(want.Raw) || op.Seq != want.Seq || op.Device != want.Device || string(op.Body) != string(want.Body) {
			t.Fatalf("op %d: %v, want %v (%v)", i, op, want, err)
		}
	}
	if n := asked.Load(); n != 2 {
		t.Fatalf("device list asked %d times for 2 devices", n)
	}

	var signed pb.SignedAccountOp
	if err := proto.Unmarshal(raws[0], &signed); err != nil {
		t.Fatal(err)
	}
	signed.Signature[7] ^= 1
	badSig := mustMarshal(t, &signed)
	other := newAccount(t, 2, 1)
	bad := map[string][]byte{
		"bad signature":                      badSig,
		"signed by another account's device": other.op(t, 1, 1, 8).Raw,
		"unknown device":                     newAccount(t, 1, 3).op(t, 3, 1, 8).Raw,
		"garbage":                            {0xff, 0x01},
	}
	for name, raw := range bad {
		t.Run(name, func(t *testing.T) {
			_, want := acctlog.Open(raw, a.certOf)
			if want == nil {
				t.Fatal("Open accepted it")
			}
			for _, n := range []int{6, len(raws)} { // checked alone, or as a batch
				in := append(append(append([][]byte{}, raws[:5]...), raw), raws[5:n]...)
				ops, err := acctlog.OpenBatch(in, a.certOf)
				if len(ops) != 5 || err == nil || err.Error() != want.Error() {
					t.Fatalf("batch of %d: opened %d ops, %v; want 5, %v", len(in), len(ops), err, want)
				}
			}
		})
	}
	// Two bad signatures: the ops before the first.
	in := append([][]byte{}, raws...)
	in[3], in[7] = badSig, badSig
	if ops, err := acctlog.OpenBatch(in, a.certOf); len(ops) != 3 || !errors.Is(err, acctlog.ErrBadSignature) {
		t.Fatalf("opened %d ops, %v; want 3, a bad signature", len(ops), err)
	}
	if ops, err := acctlog.OpenBatch(nil, a.certOf); len(ops) != 0 || err != nil {
		t.Fatalf("empty batch: %v, %v", ops, err)
	}
}

// TestOpenAndBatchAgree: a signature valid under RFC 8032's cofactored
// check but not under a cofactorless one (its R has a small-order part
// the signer added) gets one answer from Open and from OpenBatch, alone
// or among good ops, so every device holds the same ops whichever way
// they reached it.
func TestOpenAndBatchAgree(t *testing.T) {
	a := newAccount(t, 1, 1)
	good := a.op(t, 1, 1, 8)
	var signed pb.SignedAccountOp
	if err := proto.Unmarshal(a.op(t, 1, 2, 8).Raw, &signed); err != nil {
		t.Fatal(err)
	}
	priv, err := a.devices[1].key.Raw() // seed || public key
	if err != nil {
		t.Fatal(err)
	}
	signed.Signature = torsionSign(t, priv, append([]byte("pigeon/account-op/v1\x00"), signed.Op...))
	raw := mustMarshal(t, &signed)

	_, err = acctlog.Open(raw, a.certOf)
	single := err == nil
	var goods [][]byte
	for s := uint64(3); s < 12; s++ {
		goods = append(goods, a.op(t, 1, s, 8).Raw)
	}
	batches := [][][]byte{{raw}, {good.Raw, raw}, append([][]byte{raw}, goods...), append(goods, raw)}
	for _, batch := range batches {
		ops, err := acctlog.OpenBatch(batch, a.certOf)
		if (err == nil) != single {
			t.Fatalf("Open says %v, OpenBatch of %d ops says %v (%d ops)", single, len(batch), err, len(ops))
		}
	}
	if !single {
		t.Fatal("a cofactored-valid signature is refused; verifyOptions says it is accepted")
	}
}

// torsionSign signs msg as Ed25519 does, with the point of order 2 added
// to R.
func torsionSign(t *testing.T, priv, msg []byte) []byte {
	t.Helper()
	h := sha512.Sum512(priv[:32])
	s, err := edwards25519.NewScalar().SetBytesWithClamping(h[:32])
	if err != nil {
		t.Fatal(err)
	}
	pub := priv[32:]
	rh := sha512.Sum512(append(append([]byte{}, h[32:]...), msg...))
	r, err := edwards25519.NewScalar().SetUniformBytes(rh[:])
	if err != nil {
		t.Fatal(err)
	}
	order2 := append([]byte{0xec}, make([]byte, 31)...) // y = -1
	for i := 1; i < 31; i++ {
		order2[i] = 0xff
	}
	order2[31] = 0x7f
	torsion, err := edwards25519.NewIdentityPoint().SetBytes(order2)
	if err != nil {
		t.Fatal(err)
	}
	R := edwards25519.NewIdentityPoint().Add(edwards25519.NewIdentityPoint().ScalarBaseMult(r), torsion)
	kh := sha512.New()
	kh.Write(R.Bytes())
	kh.Write(pub)
	kh.Write(msg)
	k, err := edwards25519.NewScalar().SetUniformBytes(kh.Sum(nil))
	if err != nil {
		t.Fatal(err)
	}
	S := edwards25519.NewScalar().MultiplyAdd(k, s, r)
	return append(R.Bytes(), S.Bytes()...)
}

// FuzzOpenBatch: OpenBatch answers as Open does for an op between two
// good ones.
func FuzzOpenBatch(f *testing.F) {
	a := newAccount(f, 1, 1, 2)
	before, after := a.op(f, 1, 1, 8).Raw, a.op(f, 2, 1, 8).Raw
	f.Add(a.op(f, 1, 2, 8).Raw)
	f.Add(newAccount(f, 2, 1).op(f, 1, 1, 4).Raw)
	f.Add([]byte{})
	f.Add([]byte{0x0a, 0x02, 0x08, 0x01})
	f.Fuzz(func(t *testing.T, raw []byte) {
		_, want := acctlog.Open(raw, a.certOf)
		ops, err := acctlog.OpenBatch([][]byte{before, raw, after}, a.certOf)
		switch {
		case want == nil && (err != nil || len(ops) != 3):
			t.Fatalf("Open accepts it, OpenBatch opened %d ops: %v", len(ops), err)
		case want != nil && (err == nil || err.Error() != want.Error() || len(ops) != 1):
			t.Fatalf("Open: %v; OpenBatch opened %d ops: %v", want, len(ops), err)
		}
	})
}
