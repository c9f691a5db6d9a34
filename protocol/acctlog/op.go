package acctlog

import (
	"bytes"
	"crypto/ed25519"
	"fmt"
	"time"

	"github.com/libp2p/go-libp2p/core/crypto"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/pb"
)

const opDomain = "pigeon/account-op/v1"

// Limits of an op.
const (
	// MaxOpSize bounds a signed op (Op.Raw). Bodies carry message texts
	// and file references, never file bytes.
	MaxOpSize = 512 << 10
	// MaxKindLen bounds Op.Kind, in bytes.
	MaxKindLen = 64
)

// Op is one operation of an account's log, signed by the device that made
// it. Its ID is (Device, Seq); Less orders ops totally.
type Op struct {
	Account identity.AccountID
	// Device is the authoring device, Seq its number among that device's
	// ops: 1, 2, 3, ... with no gaps.
	Device uint32
	Seq    uint64
	// Lamport is the highest Lamport clock the author had seen, plus one.
	Lamport uint64
	// At is the authoring time by the author's clock (millisecond
	// precision); Lamport, not At, orders ops.
	At time.Time
	// Kind names the body's type, e.g. "chats.message": 1 to MaxKindLen
	// bytes of a-z, 0-9, '.', '_' and '-'.
	Kind string
	Body []byte
	// Raw is the signed op (a marshaled pb.SignedAccountOp) as Sign made it
	// or Open verified it: what is stored and sent.
	Raw []byte
}

// String names the op for logs: its ID and kind, never its body.
func (op *Op) String() string { return fmt.Sprintf("%d/%d %s", op.Device, op.Seq, op.Kind) }

// Less is the total order of ops used by last-writer-wins folds: by
// Lamport clock, then device, then seq.
func Less(a, b *Op) bool {
	if a.Lamport != b.Lamport {
		return a.Lamport < b.Lamport
	}
	if a.Device != b.Device {
		return a.Device < b.Device
	}
	return a.Seq < b.Seq
}

// Sign signs op with key, the authoring device's libp2p peer key (the one
// its certificate names), and sets op.Raw, which it also returns. The
// fields are checked as Open checks them.
func Sign(key crypto.PrivKey, op *Op) ([]byte, error) {
	const what = "sign account op"
	if key == nil {
		return nil, fmt.Errorf("%s: %w: no key", what, ErrMalformed)
	}
	if op.At.IsZero() || op.At.UnixMilli() <= 0 {
		return nil, fmt.Errorf("%s: %w: time unset", what, ErrMalformed)
	}
	m := &pb.AccountOp{
		Account: op.Account[:], Device: op.Device, Seq: op.Seq, Lamport: op.Lamport,
		AtMs: op.At.UnixMilli(), Kind: op.Kind, Body: op.Body,
	}
	if err := checkFields(m); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	body, err := proto.MarshalOptions{Deterministic: true}.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	sig, err := key.Sign(domainMessage(body))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	raw, err := marshalSigned(body, sig)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	if len(raw) > MaxOpSize {
		return nil, fmt.Errorf("%s: %w: %d bytes, at most %d", what, ErrTooLarge, len(raw), MaxOpSize)
	}
	op.At = time.UnixMilli(m.AtMs)
	op.Raw = raw
	return raw, nil
}

// Open decodes and verifies a signed op: size limits first, the fields,
// then the signature with the public key of the certificate certOf returns
// for the op's device. certOf looks the device up in the account's device
// list (and refuses a device that may no longer author); it must be safe
// for concurrent use when Pull calls it. Errors wrap ErrTooLarge,
// ErrMalformed, ErrUnknownDevice (with what certOf returned),
// ErrWrongAccount or ErrBadSignature.
func Open(raw []byte, certOf func(device uint32) (*identity.Certificate, error)) (*Op, error) {
	const what = "open account op"
	op, body, sig, err := decode(raw)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	cert, err := certOf(op.Device)
	if err != nil {
		return nil, fmt.Errorf("%s: %w: device %d: %w", what, ErrUnknownDevice, op.Device, err)
	}
	if cert == nil || cert.DeviceID != op.Device {
		return nil, fmt.Errorf("%s: %w: no certificate of device %d", what, ErrUnknownDevice, op.Device)
	}
	if cert.Account != op.Account {
		return nil, fmt.Errorf("%s: %w: device %d is of account %s", what, ErrWrongAccount, op.Device, cert.Account.Short())
	}
	pub, err := cert.PeerID.ExtractPublicKey()
	if err != nil {
		return nil, fmt.Errorf("%s: %w: author peer id has no key: %v", what, ErrBadSignature, err)
	}
	if ok, err := pub.Verify(domainMessage(body), sig); err != nil || !ok {
		return nil, fmt.Errorf("%s: %w: op %s", what, ErrBadSignature, op)
	}
	return op, nil
}

// decode checks sizes and fields of a signed op and returns it with its
// signed bytes and signature, unverified. op.Raw is the canonical encoding
// (unknown fields of the wrapper dropped), so equal ops have equal Raw.
func decode(raw []byte) (op *Op, body, sig []byte, err error) {
	if len(raw) > MaxOpSize {
		return nil, nil, nil, fmt.Errorf("%w: %d bytes, at most %d", ErrTooLarge, len(raw), MaxOpSize)
	}
	var s pb.SignedAccountOp
	if err := proto.Unmarshal(raw, &s); err != nil {
		return nil, nil, nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if len(s.GetSignature()) != ed25519.SignatureSize {
		return nil, nil, nil, fmt.Errorf("%w: signature of %d bytes", ErrMalformed, len(s.GetSignature()))
	}
	var m pb.AccountOp
	if err := proto.Unmarshal(s.GetOp(), &m); err != nil {
		return nil, nil, nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if err := checkFields(&m); err != nil {
		return nil, nil, nil, err
	}
	if m.GetAtMs() <= 0 {
		return nil, nil, nil, fmt.Errorf("%w: time unset", ErrMalformed)
	}
	canon, err := marshalSigned(s.GetOp(), s.GetSignature())
	if err != nil {
		return nil, nil, nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	op = &Op{
		Account: identity.AccountID(m.GetAccount()), Device: m.GetDevice(), Seq: m.GetSeq(), Lamport: m.GetLamport(),
		At: time.UnixMilli(m.GetAtMs()), Kind: m.GetKind(), Body: bytes.Clone(m.GetBody()), Raw: canon,
	}
	if op.Body == nil {
		op.Body = []byte{}
	}
	return op, s.GetOp(), s.GetSignature(), nil
}

func checkFields(m *pb.AccountOp) error {
	switch {
	case len(m.GetAccount()) != len(identity.AccountID{}):
		return fmt.Errorf("%w: account of %d bytes", ErrMalformed, len(m.GetAccount()))
	case m.GetDevice() < 1 || m.GetDevice() > identity.MaxDeviceID:
		return fmt.Errorf("%w: device %d out of range", ErrMalformed, m.GetDevice())
	case m.GetSeq() == 0:
		return fmt.Errorf("%w: seq 0", ErrMalformed)
	case m.GetLamport() == 0:
		return fmt.Errorf("%w: lamport 0", ErrMalformed)
	case len(m.GetKind()) > MaxKindLen:
		return fmt.Errorf("%w: kind of %d bytes, at most %d", ErrTooLarge, len(m.GetKind()), MaxKindLen)
	case len(m.GetBody()) > MaxOpSize:
		return fmt.Errorf("%w: body of %d bytes", ErrTooLarge, len(m.GetBody()))
	}
	return checkKind(m.GetKind())
}

func checkKind(k string) error {
	if k == "" {
		return fmt.Errorf("%w: no kind", ErrMalformed)
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == '-') {
			return fmt.Errorf("%w: kind %q: only a-z, 0-9, '.', '_' and '-'", ErrMalformed, k)
		}
	}
	return nil
}

func marshalSigned(body, sig []byte) ([]byte, error) {
	return proto.MarshalOptions{Deterministic: true}.Marshal(&pb.SignedAccountOp{Op: body, Signature: sig})
}

func domainMessage(body []byte) []byte {
	m := make([]byte, 0, len(opDomain)+1+len(body))
	m = append(m, opDomain...)
	m = append(m, 0)
	return append(m, body...)
}
