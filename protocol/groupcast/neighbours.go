package groupcast

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"slices"

	"github.com/libp2p/go-libp2p/core/peer"
)

// DefaultNeighbours is a good k for Neighbours: each member dials 4 others
// and is dialled by about 4, so it has about 8 connections into the group,
// more than the mesh needs (Dlo 3) with room for members being offline.
const DefaultNeighbours = 4

// Neighbours returns the members self should connect to (at most k of
// them), so that the members of a group, each connecting to its own
// Neighbours, form one connected graph with a short diameter whatever the
// group's size: a ring ordered by a hash of topic and peer ID, in which
// each member connects to its ⌈k/2⌉ successors, plus ⌊k/2⌋ chords to
// members picked by a hash of topic, self and chord number. Every member
// computes the same ring from the same member list; self need not be in
// members. The Caster does not dial: the caller connects (and protects the
// connections in its connection manager).
func Neighbours(t Topic, self peer.ID, members []peer.ID, k int) []peer.ID {
	type entry struct {
		key [sha256.Size]byte
		id  peer.ID
	}
	ring := make([]entry, 0, len(members)+1)
	seen := make(map[peer.ID]bool, len(members)+1)
	for _, id := range append(slices.Clip(members), self) {
		if !seen[id] {
			seen[id] = true
			ring = append(ring, entry{ringKey(t, id), id})
		}
	}
	if k <= 0 || len(ring) < 2 {
		return nil
	}
	slices.SortFunc(ring, func(a, b entry) int { return bytes.Compare(a.key[:], b.key[:]) })
	at := slices.IndexFunc(ring, func(e entry) bool { return e.id == self })
	n := len(ring)
	k = min(k, n-1)
	out := make([]peer.ID, 0, k)
	picked := map[int]bool{at: true}
	pick := func(i int) {
		if !picked[i] {
			picked[i] = true
			out = append(out, ring[i].id)
		}
	}
	for s := 1; s <= (k+1)/2; s++ {
		pick((at + s) % n)
	}
	for j := uint64(0); len(out) < k; j++ {
		pick(int(chord(t, self, j) % uint64(n)))
	}
	return out
}

func ringKey(t Topic, id peer.ID) [sha256.Size]byte {
	h := sha256.New()
	h.Write([]byte("pigeon/group-ring/v1"))
	h.Write(t[:])
	h.Write([]byte(id))
	var k [sha256.Size]byte
	h.Sum(k[:0])
	return k
}

func chord(t Topic, self peer.ID, j uint64) uint64 {
	h := sha256.New()
	h.Write([]byte("pigeon/group-chord/v1"))
	h.Write(t[:])
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], j)
	h.Write(n[:])
	h.Write([]byte(self))
	return binary.BigEndian.Uint64(h.Sum(nil))
}
