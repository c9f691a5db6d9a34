package acctlog

import (
	"fmt"

	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/pb"
)

// Redact returns the signed op raw (an Op.Raw) without its body, for a
// device to keep in place of an op whose change was deleted (a message's
// text): the op keeps its ID, its place in its device's chain and its
// Lamport clock, and opens with Redacted set and no body. An op whose
// body is detached (every op Sign makes) stays verifiable: the signature
// covers the body's hash, not the body, and the chain hashes the op and
// signature only. An op signed with its body inline (before detached
// bodies existed) cannot keep its signature: it becomes the op without
// its body and the hash the chain knew it by, which a pull takes on the
// word of the sibling serving it (see the package doc) and Open refuses.
// Redacting a redacted op returns it as it is. raw must be an op Open or
// OpenChain accepted (a stored op); anything else fails with
// ErrMalformed.
func Redact(raw []byte) ([]byte, error) {
	const what = "redact account op"
	if len(raw) > MaxOpSize {
		return nil, fmt.Errorf("%s: %w: %d bytes", what, ErrTooLarge, len(raw))
	}
	var s pb.SignedAccountOp
	if err := proto.Unmarshal(raw, &s); err != nil {
		return nil, fmt.Errorf("%s: %w: %v", what, ErrMalformed, err)
	}
	if len(s.GetRedactedHash()) > 0 {
		return raw, nil
	}
	var m pb.AccountOp
	if err := proto.Unmarshal(s.GetOp(), &m); err != nil {
		return nil, fmt.Errorf("%s: %w: %v", what, ErrMalformed, err)
	}
	if err := checkFields(&m); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	if len(m.GetBodyHash()) > 0 {
		return canonical(s.GetOp(), s.GetSignature(), nil, nil), nil
	}
	link := Hash(raw)
	m.Body = nil
	op, err := proto.MarshalOptions{Deterministic: true}.Marshal(&m)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return canonical(op, s.GetSignature(), nil, link), nil
}
