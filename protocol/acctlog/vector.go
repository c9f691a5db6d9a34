package acctlog

import (
	"maps"
	"slices"
)

// Vector says which ops a device holds: for each authoring device, the
// highest seq S such that it holds ops 1..S. A device not listed counts as
// 0. Ops held beyond a gap do not count, so a vector always understates:
// asking with it fetches nothing twice but what arrived out of order.
type Vector map[uint32]uint64

// Clone returns a copy.
func (v Vector) Clone() Vector { return maps.Clone(v) }

// Covers reports whether v holds every op w does.
func (v Vector) Covers(w Vector) bool {
	for d, s := range w {
		if v[d] < s {
			return false
		}
	}
	return true
}

// Missing returns how many ops v lacks of those w holds (counting only
// the contiguous prefixes).
func (v Vector) Missing(w Vector) uint64 {
	var n uint64
	for d, s := range w {
		if s > v[d] {
			n += s - v[d]
		}
	}
	return n
}

// Devices returns the devices listed with a seq above 0, ascending.
func (v Vector) Devices() []uint32 {
	ds := make([]uint32, 0, len(v))
	for d, s := range v {
		if s > 0 {
			ds = append(ds, d)
		}
	}
	slices.Sort(ds)
	return ds
}
