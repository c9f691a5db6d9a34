package groups

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"sync"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/pigeon-net/pigeon/protocol/group"
	"github.com/pigeon-net/pigeon/protocol/identity"
)

// opSigner is an account's device that signs group ops, for tests that
// need ops without a node.
type opSigner struct {
	account *identity.Account
	signer  *group.Signer
}

func newOpSigner(tb testing.TB, seed byte) *opSigner {
	tb.Helper()
	acct, err := identity.AccountFromSeed(bytes.Repeat([]byte{seed}, ed25519.SeedSize))
	if err != nil {
		tb.Fatal(err)
	}
	key, err := crypto.UnmarshalEd25519PrivateKey(ed25519.NewKeyFromSeed(bytes.Repeat([]byte{seed, 7}, ed25519.SeedSize/2)))
	if err != nil {
		tb.Fatal(err)
	}
	p, err := peer.IDFromPrivateKey(key)
	if err != nil {
		tb.Fatal(err)
	}
	cert, err := acct.IssueCertificate(1, p, append([]byte{0x05}, bytes.Repeat([]byte{seed}, 32)...), time.UnixMilli(1_760_000_000_000))
	if err != nil {
		tb.Fatal(err)
	}
	s, err := group.NewSigner(key, cert)
	if err != nil {
		tb.Fatal(err)
	}
	return &opSigner{account: acct, signer: s}
}

func (s *opSigner) id() identity.AccountID { return s.account.ID() }

// chain signs a genesis and then adds accounts, one op each, in a line.
func (s *opSigner) chain(tb testing.TB, adds ...identity.AccountID) []*group.Op {
	tb.Helper()
	c, err := group.NewCreate("g", "", group.Settings{})
	if err != nil {
		tb.Fatal(err)
	}
	gen, err := s.signer.Genesis(1_760_000_000_000, c)
	if err != nil {
		tb.Fatal(err)
	}
	ops := []*group.Op{gen}
	for i, a := range adds {
		prev := ops[len(ops)-1]
		op, err := s.signer.Sign(gen.Group, prev.Clock+1, []group.Hash{prev.Hash}, &group.Add{Account: a, Role: group.RoleMember})
		if err != nil {
			tb.Fatal(err, i)
		}
		ops = append(ops, op)
	}
	return ops
}

// junk signs n ops of a random group nobody made (parents that do not
// exist), as a stranger would send them.
func (s *opSigner) junk(tb testing.TB, gid group.ID, n int) []*group.Op {
	tb.Helper()
	var out []*group.Op
	for i := range n {
		var parent group.Hash
		rand.Read(parent[:])
		var acct identity.AccountID
		rand.Read(acct[:])
		op, err := s.signer.Sign(gid, uint64(1_760_000_000_000+i), []group.Hash{parent}, &group.Add{Account: acct, Role: group.RoleMember})
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, op)
	}
	return out
}

func randomGroup() group.ID {
	var g group.ID
	rand.Read(g[:])
	return g
}

// fakeClock is an injectable clock for expiry.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// TestGroupHoldWelcomeOutOfOrder: a welcome whose chunks come in any
// order starts the group once the held ops make this account a member.
func TestGroupHoldWelcomeOutOfOrder(t *testing.T) {
	me, owner := newOpSigner(t, 1), newOpSigner(t, 2)
	ops := owner.chain(t, newOpSigner(t, 3).id(), me.id())
	clock := &fakeClock{t: time.Unix(1_760_000_000, 0)}
	h := newGroupHold(me.id(), clock.now)
	gid := ops[0].Group
	// The last chunk first, then the one with the genesis.
	if l := h.addOps(owner.id(), gid, ops[2:]); l != nil {
		t.Fatal("a log without its genesis")
	}
	l := h.addOps(owner.id(), gid, ops[:2])
	if l == nil || !l.State().IsMember(me.id()) || l.Len() != 3 {
		t.Fatalf("welcome not taken: %v", l)
	}
	if items, bytes := h.held(); items != 0 || bytes != 0 {
		t.Fatalf("%d items, %d bytes held after the group started", items, bytes)
	}
	// A log that does not make us a member waits; a later chunk that
	// does (from another member) completes it.
	other := owner.chain(t, newOpSigner(t, 4).id())
	if l := h.addOps(owner.id(), other[0].Group, other); l != nil {
		t.Fatal("a group that does not name us started")
	}
	add, err := owner.signer.Sign(other[0].Group, other[1].Clock+1, []group.Hash{other[1].Hash}, &group.Add{Account: me.id(), Role: group.RoleMember})
	if err != nil {
		t.Fatal(err)
	}
	if l := h.addOps(newOpSigner(t, 4).id(), other[0].Group, []*group.Op{add}); l == nil || l.Len() != 3 {
		t.Fatalf("ops from two senders: %v", l)
	}
}

// TestGroupHoldBounds: one sender holds at most its share; the hold as a
// whole stays within its bounds, the least recently touched bundle going
// first; and what is held expires.
func TestGroupHoldBounds(t *testing.T) {
	me := newOpSigner(t, 1)
	clock := &fakeClock{t: time.Unix(1_760_000_000, 0)}
	h := newGroupHold(me.id(), clock.now)
	h.maxItems, h.maxBytes = 40, 1<<20
	share := h.maxItems / holdSenderShare
	senders := []*opSigner{newOpSigner(t, 10), newOpSigner(t, 11), newOpSigner(t, 12), newOpSigner(t, 13), newOpSigner(t, 14)}
	// A flooding sender keeps only its share.
	gid := randomGroup()
	h.addOps(senders[0].id(), gid, senders[0].junk(t, gid, 3*share))
	if items, _ := h.held(); items != share {
		t.Fatalf("one sender holds %d items, want its share %d", items, share)
	}
	// Four more senders: the first one's bundle, touched least recently,
	// makes room for the last.
	for _, s := range senders[1:] {
		clock.add(time.Second)
		g := randomGroup()
		h.addOps(s.id(), g, s.junk(t, g, share))
	}
	if items, _ := h.held(); items != h.maxItems {
		t.Fatalf("%d items held, want the bound %d", items, h.maxItems)
	}
	h.mu.Lock()
	_, first := h.usage[senders[0].id()]
	_, last := h.usage[senders[4].id()]
	h.mu.Unlock()
	if first || !last {
		t.Fatalf("eviction: first sender still held %v, last held %v", first, last)
	}
	// A welcome still gets in while strangers fill the hold.
	owner := newOpSigner(t, 20)
	welcome := owner.chain(t, me.id())
	if l := h.addOps(owner.id(), welcome[0].Group, welcome); l == nil {
		t.Fatal("a welcome was crowded out")
	}
	// Lists count too, within the sender's share in bytes.
	big := heldList{raw: make([]byte, h.maxBytes/holdSenderShare+1)}
	h.addLists(owner.id(), gid, []heldList{big})
	if got := h.takeLists(gid); len(got) != 0 {
		t.Fatal("a list over the sender's share was held")
	}
	h.addLists(owner.id(), gid, []heldList{{raw: []byte("list")}})
	if got := h.takeLists(gid); len(got) != 1 || got[0].from != owner.id() {
		t.Fatalf("held lists: %+v", got)
	}
	// Time passes: everything expires.
	clock.add(holdTTL)
	if items, bytes := h.held(); items != 0 || bytes != 0 {
		t.Fatalf("%d items, %d bytes held after %v", items, bytes, holdTTL)
	}
}

// TestGroupHoldRefoldsAfterEviction: a group's log folded from held ops is
// built again from what is left when a bundle of it is evicted.
func TestGroupHoldRefoldsAfterEviction(t *testing.T) {
	me, owner, other := newOpSigner(t, 1), newOpSigner(t, 2), newOpSigner(t, 3)
	clock := &fakeClock{t: time.Unix(1_760_000_000, 0)}
	h := newGroupHold(me.id(), clock.now)
	ops := owner.chain(t, other.id(), me.id())
	gid := ops[0].Group
	h.addOps(other.id(), gid, ops[1:2]) // from another member: goes first
	clock.add(time.Second)
	h.addOps(owner.id(), gid, ops[:1])
	clock.add(holdTTL - time.Second/2) // the first bundle expires
	if l := h.addOps(owner.id(), gid, ops[2:]); l != nil {
		t.Fatal("a log with an expired op started")
	}
	if l := h.addOps(owner.id(), gid, ops[1:2]); l == nil || l.Len() != 3 {
		t.Fatalf("after the missing op came again: %v", l)
	}
}
