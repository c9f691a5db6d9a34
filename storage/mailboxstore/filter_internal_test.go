package mailboxstore

import (
	"encoding/binary"
	"hash/maphash"
	"testing"
)

func TestIDFilter(t *testing.T) {
	const n = 20000
	seed := maphash.MakeSeed()
	hash := func(i int) uint64 { return maphash.Bytes(seed, binary.BigEndian.AppendUint64(nil, uint64(i))) }
	f := newIDFilter(n)
	for i := range n {
		f.add(hash(i))
	}
	for i := range n {
		if !f.has(hash(i)) {
			t.Fatalf("key %d added but not found", i)
		}
	}
	fp := 0
	for i := n; i < 11*n; i++ {
		if f.has(hash(i)) {
			fp++
		}
	}
	// 16 bits per key: well under 1% false positives.
	if rate := float64(fp) / (10 * n); rate > 0.01 {
		t.Fatalf("false positive rate %.4f", rate)
	}
}

// A rebuild keeps every key: those the snapshot saw and those noted while
// it ran.
func TestFilterStateRebuild(t *testing.T) {
	fs := filterState{seed: maphash.MakeSeed()}
	fs.building = true
	fs.note(1)
	fs.built([]uint64{2, 3})
	for _, h := range []uint64{1, 2, 3} {
		if !fs.mayHave(h) {
			t.Fatalf("hash %d lost", h)
		}
	}
	if fs.keys != 3 || fs.capacity != minFilterKeys || fs.full() {
		t.Fatalf("keys %d capacity %d", fs.keys, fs.capacity)
	}
	for i := range minFilterKeys {
		fs.note(uint64(i) << 20)
	}
	if !fs.full() {
		t.Fatal("not full after capacity keys")
	}
}
