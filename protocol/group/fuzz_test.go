package group

import (
	"bytes"
	"testing"
)

func FuzzDecodeOp(f *testing.F) {
	owner := newDevice(f, "owner", 1, 1)
	other := newDevice(f, "other", 2, 1)
	g := owner.genesis(f, 10)
	raw, _ := g.Marshal()
	f.Add(raw)
	for _, body := range everyBody(f, other) {
		op, err := owner.signer.Sign(g.Group, 11, []Hash{g.Hash}, body)
		if err != nil {
			f.Fatal(err)
		}
		raw, _ := op.Marshal()
		f.Add(raw)
	}
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, raw []byte) {
		op, err := DecodeOp(raw)
		if err != nil {
			return
		}
		// Whatever verifies is a well-formed op that survives a round trip
		// and can be folded without a panic.
		again, err := op.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		back, err := DecodeOp(again)
		if err != nil || back.Hash != op.Hash || !bytes.Equal(back.Wire.Signature, op.Wire.Signature) {
			t.Fatalf("round trip: %v", err)
		}
		if op.IsGenesis() {
			if _, err := NewLog(op); err != nil {
				t.Fatalf("genesis refused: %v", err)
			}
			return
		}
		l, err := NewLog(g)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = l.Add(op)
		_ = l.State().Members()
	})
}

func FuzzParseInviteLink(f *testing.F) {
	l, err := NewInviteLink(ID{1}, newDevice(f, "owner", 1, 1).account)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(l.String())
	f.Add("pgi")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseInviteLink(s)
		if err != nil {
			return
		}
		if back, err := ParseInviteLink(got.String()); err != nil || back.Group != got.Group || !back.Key.Equal(got.Key) {
			t.Fatalf("round trip of %q: %v", s, err)
		}
	})
}
