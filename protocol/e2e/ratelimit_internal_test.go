package e2e

import (
	"crypto/rand"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
)

func newPeerID(t *testing.T) peer.ID {
	t.Helper()
	_, pub, err := crypto.GenerateEd25519Key(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	id, err := peer.IDFromPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestPeerLimiterBucket(t *testing.T) {
	now := time.Unix(1_000_000, 0)
	l := newPeerLimiter(3, time.Minute, 10, func() time.Time { return now })
	a, b := newPeerID(t), newPeerID(t)
	for i := range 3 {
		if !l.allow(a) {
			t.Fatalf("request %d refused", i+1)
		}
	}
	if l.allow(a) {
		t.Fatal("request over the burst allowed")
	}
	if !l.allow(b) {
		t.Fatal("other peer refused")
	}
	now = now.Add(time.Minute - time.Millisecond)
	if l.allow(a) {
		t.Fatal("token back too early")
	}
	now = now.Add(time.Millisecond)
	if !l.allow(a) {
		t.Fatal("token not back after every")
	}
	if l.allow(a) {
		t.Fatal("two tokens back after one interval")
	}
}

func TestPeerLimiterBounded(t *testing.T) {
	now := time.Unix(1_000_000, 0)
	const maxPeers = 5
	l := newPeerLimiter(2, time.Second, maxPeers, func() time.Time { return now })
	busy := make([]peer.ID, maxPeers)
	for i := range busy {
		busy[i] = newPeerID(t)
		if !l.allow(busy[i]) {
			t.Fatalf("peer %d refused", i)
		}
	}
	// Full of live buckets: a new peer is refused and not remembered,
	// known peers keep their buckets.
	late := newPeerID(t)
	if l.allow(late) {
		t.Fatal("new peer allowed over the cap")
	}
	if n := l.size(); n != maxPeers {
		t.Fatalf("%d buckets, want %d", n, maxPeers)
	}
	if !l.allow(busy[0]) {
		t.Fatal("known peer refused at the cap")
	}
	// Once the others have refilled (burst×every idle) they are swept and
	// the new peer gets a fresh bucket; busy[0] stays.
	now = now.Add(2 * time.Second)
	if !l.allow(busy[0]) {
		t.Fatal("busy peer refused after refill")
	}
	now = now.Add(time.Millisecond)
	if !l.allow(late) {
		t.Fatal("new peer refused after idle buckets went")
	}
	if n := l.size(); n != 2 {
		t.Fatalf("%d buckets after sweep, want 2", n)
	}
	// Idle entries go away even below the cap.
	now = now.Add(time.Hour)
	if !l.allow(newPeerID(t)) {
		t.Fatal("fresh peer refused")
	}
	if n := l.size(); n != 1 {
		t.Fatalf("%d buckets after idle sweep, want 1", n)
	}
}
