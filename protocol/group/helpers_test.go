package group

import (
	"bytes"
	"crypto/ed25519"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/pigeon-net/pigeon/protocol/identity"
)

// testDevice is one device of one account, able to sign ops.
type testDevice struct {
	name    string
	account identity.AccountID
	signer  *Signer
}

// newDevice returns a deterministic device: account from seed, device
// number dev.
func newDevice(tb testing.TB, name string, seed byte, dev uint32) *testDevice {
	tb.Helper()
	acct, err := identity.AccountFromSeed(bytes.Repeat([]byte{seed}, ed25519.SeedSize))
	if err != nil {
		tb.Fatal(err)
	}
	key, err := crypto.UnmarshalEd25519PrivateKey(ed25519.NewKeyFromSeed(bytes.Repeat([]byte{seed, byte(dev)}, ed25519.SeedSize/2)))
	if err != nil {
		tb.Fatal(err)
	}
	p, err := peer.IDFromPrivateKey(key)
	if err != nil {
		tb.Fatal(err)
	}
	cert, err := acct.IssueCertificate(dev, p, append([]byte{0x05}, bytes.Repeat([]byte{seed}, 32)...), time.UnixMilli(1_760_000_000_000))
	if err != nil {
		tb.Fatal(err)
	}
	s, err := NewSigner(key, cert)
	if err != nil {
		tb.Fatal(err)
	}
	return &testDevice{name: name, account: acct.ID(), signer: s}
}

// genesis creates a group owned by d.
func (d *testDevice) genesis(tb testing.TB, clock uint64) *Op {
	tb.Helper()
	c := &Create{Name: "team", Description: "the team", Nonce: [16]byte{1}, Secret: [32]byte{2}}
	op, err := d.signer.Genesis(clock, c)
	if err != nil {
		tb.Fatal(err)
	}
	return op
}

// op signs body on top of the log's heads with the log's next clock and
// adds it to the log.
func (d *testDevice) op(tb testing.TB, l *Log, body Body) *Op {
	tb.Helper()
	op, err := d.signer.Sign(l.ID(), l.NextClock(0), l.Heads(), body)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := l.Add(op); err != nil {
		tb.Fatal(err)
	}
	return op
}

func newLog(tb testing.TB, genesis *Op) *Log {
	tb.Helper()
	l, err := NewLog(genesis)
	if err != nil {
		tb.Fatal(err)
	}
	return l
}

// summary renders everything a State holds, for comparisons.
func summary(s *State) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s|%s|%+v\n", s.Name(), s.Description(), s.Settings())
	for _, m := range s.Members() {
		fmt.Fprintf(&b, "m %x %s %d %x\n", m.Account[:4], m.Role, m.Since, m.By[:4])
	}
	for _, inv := range s.Invites() {
		fmt.Fprintf(&b, "i %x %d %x\n", inv.Key[:4], inv.ExpiresAtMs, inv.By[:4])
	}
	var removed []string
	for a, cuts := range s.removed {
		removed = append(removed, fmt.Sprintf("r %x %v", a[:4], cuts))
	}
	slices.Sort(removed)
	b.WriteString(strings.Join(removed, "\n"))
	return b.String()
}

// rejections renders the ops the fold skipped and why.
func rejections(l *Log) string {
	var out []string
	for _, op := range l.Ops() {
		if err := l.Rejected(op.Hash); err != nil {
			out = append(out, fmt.Sprintf("%x:%v", op.Hash[:4], err))
		}
	}
	return strings.Join(out, ",")
}
