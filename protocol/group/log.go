package group

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"
)

// MaxOps bounds the ops one log holds.
const MaxOps = 1 << 16

// Log is a group's op log: every op known, as a DAG through their parents,
// and the State that folding them in a total order gives.
//
// An op joins the fold once all its ancestors are known; until then it
// waits (Missing lists what it waits for). Ops in the fold are ordered by
// (clock, hash), the genesis first, and applied one by one: an op counts
// only if its clock is above its parents' and the state at its place in the
// order allows it (see State.apply); otherwise it is kept but skipped
// (Rejected says why). Because the order and every check depend only on
// the set of ops, every member holding the same ops reaches the same State,
// whatever order they arrived in: an op that arrives late and sorts before
// others makes the log fold again from the genesis.
//
// A Log is not safe for concurrent use.
type Log struct {
	id       ID
	genesis  *Op
	ops      map[Hash]*Op // every op held
	ready    map[Hash]bool
	order    []*Op // ready ops: the genesis, then by (clock, hash)
	waiting  map[Hash]*Op
	blocked  map[Hash][]Hash // a parent not in the fold yet → waiting ops naming it
	state    *State
	rejected map[Hash]error
	maxClock uint64
}

// NewLog starts the log of the group whose genesis op this is.
func NewLog(genesis *Op) (*Log, error) {
	if genesis == nil || !genesis.IsGenesis() || genesis.Group != ID(genesis.Hash) {
		return nil, ErrNotGenesis
	}
	l := &Log{
		id:       genesis.Group,
		genesis:  genesis,
		ops:      map[Hash]*Op{genesis.Hash: genesis},
		ready:    map[Hash]bool{genesis.Hash: true},
		order:    []*Op{genesis},
		waiting:  make(map[Hash]*Op),
		blocked:  make(map[Hash][]Hash),
		rejected: make(map[Hash]error),
		maxClock: genesis.Clock,
	}
	l.state = newState(genesis)
	return l, nil
}

// ID returns the group ID.
func (l *Log) ID() ID { return l.id }

// State returns the state after every op in the fold. It changes as ops
// are added.
func (l *Log) State() *State { return l.state }

// Len returns how many ops the log holds (in the fold or waiting).
func (l *Log) Len() int { return len(l.ops) }

// Has reports whether the log holds op h.
func (l *Log) Has(h Hash) bool { return l.ops[h] != nil }

// Rejected returns why op h was skipped by the fold, or nil.
func (l *Log) Rejected(h Hash) error { return l.rejected[h] }

// Add adds ops (in any order; known ones are skipped) and refolds as
// needed. changed reports whether the set of ops in the fold grew. Ops of
// another group or a second genesis are refused with an error and nothing
// of the call is added; MaxOps is checked before anything is added.
func (l *Log) Add(ops ...*Op) (changed bool, err error) {
	var fresh []*Op
	seen := make(map[Hash]bool, len(ops))
	for _, op := range ops {
		switch {
		case op == nil:
			return false, fmt.Errorf("add ops: %w: nil op", ErrMalformed)
		case op.Group != l.id:
			return false, fmt.Errorf("add ops: %w", ErrWrongGroup)
		case op.Hash == l.genesis.Hash:
			continue
		case op.IsGenesis() || len(op.Parents) == 0:
			return false, fmt.Errorf("add ops: %w: a second genesis", ErrWrongGroup)
		case l.ops[op.Hash] != nil || seen[op.Hash]:
			continue
		}
		seen[op.Hash] = true
		fresh = append(fresh, op)
	}
	if len(l.ops)+len(fresh) > MaxOps {
		return false, fmt.Errorf("add ops: %w", ErrLogFull)
	}
	var moved []*Op
	var ready func(op *Op)
	ready = func(op *Op) {
		delete(l.waiting, op.Hash)
		l.ready[op.Hash] = true
		moved = append(moved, op)
		children := l.blocked[op.Hash]
		delete(l.blocked, op.Hash)
		for _, c := range children {
			if w := l.waiting[c]; w != nil && l.parentsReady(w) {
				ready(w)
			}
		}
	}
	for _, op := range fresh {
		l.ops[op.Hash] = op
		l.waiting[op.Hash] = op
		if l.parentsReady(op) {
			ready(op)
			continue
		}
		for _, p := range op.Parents {
			if !l.ready[p] {
				l.blocked[p] = append(l.blocked[p], op.Hash)
			}
		}
	}
	if len(moved) == 0 {
		return false, nil
	}
	slices.SortFunc(moved, compareOps)
	tail := l.order[len(l.order)-1]
	l.order = append(l.order, moved...)
	for _, op := range moved {
		l.maxClock = max(l.maxClock, op.Clock)
	}
	if len(l.order) == len(moved)+1 || compareOps(tail, moved[0]) < 0 {
		// Everything new sorts after what was folded: apply just that.
		for _, op := range moved {
			l.applyOne(op)
		}
		return true, nil
	}
	slices.SortFunc(l.order[1:], compareOps)
	l.refold()
	return true, nil
}

func (l *Log) parentsReady(op *Op) bool {
	for _, p := range op.Parents {
		if !l.ready[p] {
			return false
		}
	}
	return true
}

func compareOps(a, b *Op) int {
	if c := cmp.Compare(a.Clock, b.Clock); c != 0 {
		return c
	}
	return bytes.Compare(a.Hash[:], b.Hash[:])
}

func (l *Log) refold() {
	l.state = newState(l.genesis)
	clear(l.rejected)
	for _, op := range l.order[1:] {
		l.applyOne(op)
	}
}

func (l *Log) applyOne(op *Op) {
	for _, p := range op.Parents {
		if l.ops[p].Clock >= op.Clock {
			l.rejected[op.Hash] = ErrBadClock
			return
		}
	}
	if err := l.state.apply(op); err != nil {
		l.rejected[op.Hash] = err
	}
}

// Ops returns the ops in the fold, in fold order (the genesis first).
func (l *Log) Ops() []*Op { return slices.Clone(l.order) }

// Waiting returns the ops that wait for a missing ancestor.
func (l *Log) Waiting() []*Op {
	out := make([]*Op, 0, len(l.waiting))
	for _, op := range l.waiting {
		out = append(out, op)
	}
	slices.SortFunc(out, compareOps)
	return out
}

// Missing returns the hashes of ops that waiting ops name as parents and
// the log does not hold, sorted.
func (l *Log) Missing() []Hash {
	set := make(map[Hash]bool)
	for _, op := range l.waiting {
		for _, p := range op.Parents {
			if l.ops[p] == nil {
				set[p] = true
			}
		}
	}
	out := make([]Hash, 0, len(set))
	for h := range set {
		out = append(out, h)
	}
	slices.SortFunc(out, func(a, b Hash) int { return bytes.Compare(a[:], b[:]) })
	return out
}

// Heads returns the ops in the fold that no other op in the fold names as
// a parent, sorted by hash: the parents of the next op signed here.
func (l *Log) Heads() []Hash {
	isParent := make(map[Hash]bool, len(l.order))
	for _, op := range l.order {
		for _, p := range op.Parents {
			isParent[p] = true
		}
	}
	var out []Hash
	for _, op := range l.order {
		if !isParent[op.Hash] {
			out = append(out, op.Hash)
		}
	}
	slices.SortFunc(out, func(a, b Hash) int { return bytes.Compare(a[:], b[:]) })
	if len(out) > MaxParents {
		out = out[len(out)-MaxParents:] // the rest stay heads for the next op
	}
	return out
}

// NextClock returns the clock for the next op signed here: now (Unix
// milliseconds, so clocks stay close to time and invite expiry means
// something) unless an op in the log is at or past it.
func (l *Log) NextClock(nowMs uint64) uint64 { return max(nowMs, l.maxClock+1) }

// MaxClock returns the highest clock of an op in the fold.
func (l *Log) MaxClock() uint64 { return l.maxClock }

// Since returns, in fold order, the ops in the fold that are not heads or
// ancestors of heads: what a peer holding exactly heads lacks. If a head is
// not in the fold, it returns every op.
func (l *Log) Since(heads []Hash) []*Op {
	below := make(map[Hash]bool)
	stack := make([]Hash, 0, len(heads))
	for _, h := range heads {
		if !l.ready[h] {
			return l.Ops()
		}
		stack = append(stack, h)
	}
	for len(stack) > 0 {
		h := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if below[h] {
			continue
		}
		below[h] = true
		stack = append(stack, l.ops[h].Parents...)
	}
	var out []*Op
	for _, op := range l.order {
		if !below[op.Hash] {
			out = append(out, op)
		}
	}
	return out
}
