package link

import (
	"errors"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/protocol/pb"
)

func TestOffersAdd(t *testing.T) {
	c := newClock()
	o := NewOffers(c.Now)
	mk := func(life time.Duration) Code {
		code, err := NewCode(testAccountID(2), testPeer(t, 1), nil, c.Now().Add(life))
		if err != nil {
			t.Fatal(err)
		}
		return code
	}
	if err := o.Add(mk(0)); !errors.Is(err, ErrExpired) {
		t.Fatalf("expired code: %v", err)
	}
	if err := o.Add(mk(MaxCodeLifetime + time.Second)); !errors.Is(err, ErrMalformed) {
		t.Fatalf("code living too long: %v", err)
	}
	if err := o.Add(Code{Expires: c.Now().Add(time.Minute)}); !errors.Is(err, ErrMalformed) {
		t.Fatalf("empty code: %v", err)
	}
	first := mk(time.Minute)
	if err := o.Add(first); err != nil {
		t.Fatal(err)
	}
	if err := o.Add(first); !errors.Is(err, ErrDuplicateOffer) {
		t.Fatalf("same code twice: %v", err)
	}
	for o.Open() < MaxOffers {
		if err := o.Add(mk(DefaultCodeLifetime)); err != nil {
			t.Fatal(err)
		}
	}
	if err := o.Add(mk(DefaultCodeLifetime)); !errors.Is(err, ErrTooManyOffers) {
		t.Fatalf("one code too many: %v", err)
	}
	if !o.Withdraw(first) || o.Withdraw(first) {
		t.Fatal("Withdraw does not report what it forgot")
	}
	if err := o.Add(mk(DefaultCodeLifetime)); err != nil {
		t.Fatalf("after a withdrawal: %v", err)
	}
	c.Advance(DefaultCodeLifetime)
	if n := o.Open(); n != 0 {
		t.Fatalf("%d codes open after they expired", n)
	}
	if err := o.Add(mk(DefaultCodeLifetime)); err != nil {
		t.Fatalf("expired codes still count: %v", err)
	}
	c.Advance(expiredMemory + DefaultCodeLifetime + time.Second)
	o.mu.Lock()
	o.prune(c.Now())
	n := len(o.offers)
	o.mu.Unlock()
	if n != 0 {
		t.Fatalf("%d codes remembered long after they expired", n)
	}
}

// A claim moves an offer from open to claimed; release gives it back, use
// ends it. Wrong proofs count only while it is open.
func TestOffersClaim(t *testing.T) {
	c := newClock()
	o := NewOffers(c.Now)
	code, err := NewCode(testAccountID(2), testPeer(t, 1), nil, c.Now().Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if err := o.Add(code); err != nil {
		t.Fatal(err)
	}
	id := newOfferID(&code.Secret)
	tr := func() *transcript {
		return &transcript{server: code.Peer, client: testPeer(t, 3), signalKey: []byte{5}, name: "x"}
	}
	good := tr()
	good.account = code.Account
	proof := good.proof(&code.Secret)
	claim := func(p []byte) pb.LinkStatus {
		_, s := o.claim(id, p, tr())
		return s
	}
	if s := claim(proof); s != pb.LinkStatus_LINK_STATUS_NONE {
		t.Fatalf("claim: %s", s)
	}
	if s := claim(proof); s != pb.LinkStatus_LINK_BUSY {
		t.Fatalf("second claim: %s", s)
	}
	for range MaxBadProofs {
		if s := claim(make([]byte, macSize)); s != pb.LinkStatus_LINK_BAD_PROOF {
			t.Fatalf("bad proof: %s", s)
		}
	}
	o.release(id)
	if s := claim(proof); s != pb.LinkStatus_LINK_STATUS_NONE {
		t.Fatalf("claim after release (bad proofs while claimed do not count): %s", s)
	}
	o.use(id)
	o.release(id) // no effect on a used offer
	if s := claim(proof); s != pb.LinkStatus_LINK_USED {
		t.Fatalf("claim after use: %s", s)
	}
	if s := claim(make([]byte, macSize)); s != pb.LinkStatus_LINK_BAD_PROOF {
		t.Fatalf("bad proof on a used code: %s", s)
	}
}
