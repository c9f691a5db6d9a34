package acctlog

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"

	"google.golang.org/protobuf/encoding/protowire"
)

// HashSize is the size of Op.Prev.
const HashSize = sha256.Size

// ErrBrokenChain is returned by OpenChain and Pull when ops of one device
// do not chain: an op's Prev is not the hash of the op before it, or a
// device's ops come out of seq order. The author never signs such a run,
// so the peer that sent it forged or corrupted it.
var ErrBrokenChain = errors.New("broken op chain")

// Hash is what the op after the signed op raw (an Op.Raw) names as its
// Prev: the SHA-256 of its op and signature fields (a detached body,
// which redaction may drop, is left out; see Redact). An op signed
// before the chain existed is hashed the same way, so the first chained
// op after it links to it. For an op redacted with its body inline it is
// the hash the op carries (the hash of the op it was). raw that does not
// parse is hashed whole.
func Hash(raw []byte) []byte {
	var op, sig, stub []byte
	rest := raw
	for len(rest) > 0 {
		num, typ, n := protowire.ConsumeTag(rest)
		if n < 0 || typ != protowire.BytesType {
			return hashAll(raw)
		}
		v, m := protowire.ConsumeBytes(rest[n:])
		if m < 0 {
			return hashAll(raw)
		}
		switch num {
		case 1:
			op = v
		case 2:
			sig = v
		case 4:
			stub = v
		}
		rest = rest[n+m:]
	}
	if len(stub) == HashSize {
		return bytes.Clone(stub)
	}
	h := sha256.Sum256(canonical(op, sig, nil, nil))
	return h[:]
}

func hashAll(raw []byte) []byte {
	h := sha256.Sum256(raw)
	return h[:]
}

// SameOp reports whether the signed ops a and b are one op, whole or
// redacted (their Hash is equal).
func SameOp(a, b []byte) bool {
	return bytes.Equal(a, b) || bytes.Equal(Hash(a), Hash(b))
}

// OpenChain opens raws as OpenBatch does, but checks one signature per
// run instead of one per op. A run is ops of one device with consecutive
// seqs, each naming the one before as its Prev (Hash of its Raw): the
// signature of the run's last op covers its Prev, which covers the op
// before, and so on, so only that signature is verified. An op without a
// Prev (signed before the chain existed), or followed by a gap, ends a
// run and is verified by its own signature. Ops of a device must come in
// ascending seq order.
//
// It returns the ops before the first whose run's signature fails, and
// the error Open gives for that op. When ops of a device are out of order
// or a Prev is not the hash of the op before, it returns no op and an
// error wrapping ErrBrokenChain. Whether the first op of a device's run
// links to the op before it that the caller already holds is the
// caller's to check (Pull does).
func OpenChain(raws [][]byte, certOf func(device uint32) (Author, error)) ([]*Op, error) {
	keys := make(map[uint32]authorKey)
	ps := make([]pending, 0, len(raws))
	var perr error
	for _, raw := range raws {
		p, err := prepare(raw, certOf, keys, true)
		if err != nil {
			perr = fmt.Errorf("open account op: %w", err)
			break
		}
		ps = append(ps, p)
	}
	// next[i] is 1 + the index of the op that names op i as its Prev, or
	// 0 when none does: op i is then the last of its run, and verified.
	next := make([]int, len(ps))
	last := make(map[uint32]int)
	for i, p := range ps {
		op := p.op
		if j, ok := last[op.Device]; ok {
			before := ps[j].op
			switch {
			case op.Seq <= before.Seq:
				return nil, fmt.Errorf("open account ops: %w: op %s after op %s", ErrBrokenChain, op, before)
			case op.Seq == before.Seq+1 && len(op.Prev) > 0:
				if !bytes.Equal(op.Prev, before.Hash()) {
					return nil, fmt.Errorf("open account ops: %w: op %s does not link to op %s", ErrBrokenChain, op, before)
				}
				// A redacted op signed with its body inline has no
				// signature to vouch for the ops before it: they end
				// their run.
				if !p.stub {
					next[j] = i + 1
				}
			}
		}
		last[op.Device] = i
	}
	tips := make([]pending, 0, len(last))
	tipIdx := make([]int, len(ps)) // for each op, the index in tips of its run's last op
	for i := len(ps) - 1; i >= 0; i-- {
		if next[i] == 0 {
			tipIdx[i] = len(tips)
			tips = append(tips, ps[i])
		} else {
			tipIdx[i] = tipIdx[next[i]-1]
		}
	}
	valid := verifyAll(tips)
	ops := make([]*Op, 0, len(ps))
	for i, p := range ps {
		if t := tips[tipIdx[i]]; !valid[tipIdx[i]] {
			if t.op == p.op {
				return ops, fmt.Errorf("open account op: %w: op %s", ErrBadSignature, p.op)
			}
			return ops, fmt.Errorf("open account op: %w: op %s, of the run signed by op %s", ErrBadSignature, p.op, t.op)
		}
		ops = append(ops, p.op)
	}
	return ops, perr
}
