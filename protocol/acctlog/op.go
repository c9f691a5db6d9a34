package acctlog

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"fmt"
	"time"

	"github.com/libp2p/go-libp2p/core/crypto"
	cryptopb "github.com/libp2p/go-libp2p/core/crypto/pb"
	ed25519voi "github.com/oasisprotocol/curve25519-voi/primitives/ed25519"
	"google.golang.org/protobuf/encoding/protowire"
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
	// Body is the kind's encoding of the change; empty when Redacted.
	Body []byte
	// Redacted marks an op whose body was dropped (Redact): a deleted
	// message's text. Folds skip it; it still holds its place in the log.
	Redacted bool
	// Prev chains the device's ops: Hash of the signed op (Raw) with seq
	// Seq-1 of the same device, or empty for seq 1 and for ops signed
	// before the chain existed. OpenChain verifies a run of linked ops
	// with the signature of its last op only.
	Prev []byte
	// Raw is the signed op (a marshaled pb.SignedAccountOp) as Sign made it
	// or Open verified it: what is stored and sent.
	Raw []byte

	// linkLen is how many bytes of Raw the chain hashes (the op and its
	// signature); stubHash, for a redacted op signed with its body
	// inline, the hash the chain knew it by.
	linkLen  int
	stubHash []byte
}

// Hash is what the op after op names as its Prev (see the package
// function Hash).
func (op *Op) Hash() []byte {
	if op.stubHash != nil {
		return bytes.Clone(op.stubHash)
	}
	if op.linkLen == 0 || op.linkLen > len(op.Raw) {
		return Hash(op.Raw)
	}
	h := sha256.Sum256(op.Raw[:op.linkLen])
	return h[:]
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
	if op.Redacted {
		return nil, fmt.Errorf("%s: %w: redacted", what, ErrMalformed)
	}
	bodyHash := sha256.Sum256(op.Body)
	// The body travels detached, named by its hash, so it can be
	// redacted later without breaking the signature or the chain.
	m := &pb.AccountOp{
		Account: op.Account[:], Device: op.Device, Seq: op.Seq, Lamport: op.Lamport,
		AtMs: op.At.UnixMilli(), Kind: op.Kind, Prev: op.Prev, BodyHash: bodyHash[:],
	}
	if len(op.Body) > MaxOpSize {
		return nil, fmt.Errorf("%s: %w: body of %d bytes", what, ErrTooLarge, len(op.Body))
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
	raw := canonical(body, sig, op.Body, nil)
	if len(raw) > MaxOpSize {
		return nil, fmt.Errorf("%s: %w: %d bytes, at most %d", what, ErrTooLarge, len(raw), MaxOpSize)
	}
	op.At = time.UnixMilli(m.AtMs)
	op.Raw = raw
	op.linkLen = linkLen(body, sig)
	op.stubHash = nil
	return raw, nil
}

// Author is what an account's device list says of a device that may have
// authored ops: its certificate and, for a device since revoked, the last
// op it may have authored.
type Author struct {
	Cert *identity.Certificate
	// Revoked marks a device revoked from the account: only its ops up to
	// seq OpsUpto are valid (those it signed while listed).
	Revoked bool
	OpsUpto uint64
}

// Open decodes and verifies a signed op: size limits first, the fields,
// then the signature with the public key of the certificate certOf returns
// for the op's device. certOf looks the device up in the account's device
// list, its devices and its revoked devices (and refuses a device it does
// not know); it must be safe for concurrent use when Pull calls it. Errors
// wrap ErrTooLarge, ErrMalformed, ErrUnknownDevice (with what certOf
// returned), ErrRevokedDevice (an op of a revoked device after its bound),
// ErrWrongAccount or ErrBadSignature.
func Open(raw []byte, certOf func(device uint32) (Author, error)) (*Op, error) {
	p, err := prepare(raw, certOf, nil, false)
	if err == nil && !p.key.verify(domainMessage(p.body), p.sig) {
		err = fmt.Errorf("%w: op %s", ErrBadSignature, p.op)
	}
	if err != nil {
		return nil, fmt.Errorf("open account op: %w", err)
	}
	return p.op, nil
}

// OpenBatch opens raws as Open does, with one batch verification of their
// Ed25519 signatures (about three times cheaper per op than one by one;
// when the batch fails, each op is verified alone to find the first bad
// one), and certOf asked once per device. It returns the ops before the
// first that fails, and the error Open gives for that op.
func OpenBatch(raws [][]byte, certOf func(device uint32) (Author, error)) ([]*Op, error) {
	keys := make(map[uint32]authorKey)
	ps := make([]pending, 0, len(raws))
	var perr error
	for _, raw := range raws {
		p, err := prepare(raw, certOf, keys, false)
		if err != nil {
			perr = fmt.Errorf("open account op: %w", err)
			break
		}
		ps = append(ps, p)
	}
	valid := verifyAll(ps)
	ops := make([]*Op, 0, len(ps))
	for i, p := range ps {
		if !valid[i] {
			return ops, fmt.Errorf("open account op: %w: op %s", ErrBadSignature, p.op)
		}
		ops = append(ops, p.op)
	}
	return ops, perr
}

// verifyAll checks the signatures of ps, as one Ed25519 batch when there
// are enough of them, and returns their results in order.
func verifyAll(ps []pending) []bool {
	// The Ed25519 signatures are checked as one batch, with each author's
	// key expanded once (cheaper than decompressing it for each op).
	// Below minBatch ops, checking them alone is cheaper.
	bv := ed25519voi.NewBatchVerifierWithCapacity(len(ps))
	batched := 0
	expanded := make(map[uint32]*ed25519voi.ExpandedPublicKey)
	for _, p := range ps {
		if p.key.ed == nil || p.stub || len(ps) < minBatch {
			continue
		}
		x, ok := expanded[p.op.Device]
		if !ok {
			var err error
			if x, err = ed25519voi.NewExpandedPublicKey(p.key.ed); err != nil {
				x = nil // a bad key: AddWithOptions refuses the op
			}
			expanded[p.op.Device] = x
		}
		if x != nil {
			bv.AddExpandedWithOptions(x, domainMessage(p.body), p.sig, verifyOptions)
		} else {
			bv.AddWithOptions(p.key.ed, domainMessage(p.body), p.sig, verifyOptions)
		}
		batched++
	}
	var batch []bool
	if batched > 0 {
		_, batch = bv.Verify(nil)
	}
	valid := make([]bool, len(ps))
	for i, p := range ps {
		switch {
		case p.stub:
			// Redacted with its body inline: nothing left to verify; see
			// the package doc.
			valid[i] = true
		case batched > 0 && p.key.ed != nil:
			valid[i], batch = batch[0], batch[1:]
		default:
			valid[i] = p.key.verify(domainMessage(p.body), p.sig)
		}
	}
	return valid
}

// minBatch is the smallest batch OpenBatch verifies as one: with fewer
// ops, verifying each alone is cheaper (measured with curve25519-voi:
// a batch of 8 costs about two thirds of 8 single checks, of 2 twice as
// much as 2).
const minBatch = 8

// verifyOptions is the Ed25519 verification rule of ops: cofactored (RFC
// 8032), canonical encodings of the key and R, a key not of small order.
// Open and OpenBatch use the same rule, so every device accepts the same
// ops however they reach it (crypto/ed25519's cofactorless check cannot
// be batched, and differs from a batch on crafted signatures).
var verifyOptions = &ed25519voi.Options{Verify: ed25519voi.VerifyOptionsDefault}

// authorKey is what a device's certificate says about the ops it signs:
// their account, and the key their signatures are checked with (ed for
// an Ed25519 peer key, every device's; pub for another type).
// revoked and upto are the author's Revoked and OpsUpto.
type authorKey struct {
	account identity.AccountID
	revoked bool
	upto    uint64
	ed      ed25519voi.PublicKey
	pub     crypto.PubKey
}

func (k authorKey) verify(msg, sig []byte) bool {
	if k.ed != nil {
		return ed25519voi.VerifyWithOptions(k.ed, msg, sig, verifyOptions)
	}
	ok, err := k.pub.Verify(msg, sig)
	return err == nil && ok
}

// pending is a decoded op matched with its author's key, its signature
// not yet checked.
type pending struct {
	op        *Op
	body, sig []byte // the signed bytes (without the domain) and the signature
	key       authorKey
	stub      bool // a redacted op signed with its body inline: unverifiable
}

// prepare decodes raw and finds its author's key (in keys, when given,
// which it fills).
func prepare(raw []byte, certOf func(device uint32) (Author, error), keys map[uint32]authorKey, stubs bool) (pending, error) {
	op, body, sig, err := decode(raw)
	if err != nil {
		return pending{}, err
	}
	if op.stubHash != nil && !stubs {
		return pending{}, fmt.Errorf("%w: op %s redacted with its body inline, not pulled", ErrMalformed, op)
	}
	key, ok := keys[op.Device]
	if !ok {
		key, err = findKey(op.Device, certOf)
		if err != nil {
			return pending{}, err
		}
		if keys != nil {
			keys[op.Device] = key
		}
	}
	if key.revoked && op.Seq > key.upto {
		return pending{}, fmt.Errorf("%w: op %s, the device authored up to %d before its revocation", ErrRevokedDevice, op, key.upto)
	}
	if key.account != op.Account {
		return pending{}, fmt.Errorf("%w: device %d is of account %s", ErrWrongAccount, op.Device, key.account.Short())
	}
	return pending{op: op, body: body, sig: sig, key: key, stub: op.stubHash != nil}, nil
}

// findKey asks certOf for the certificate of device and returns its key.
func findKey(device uint32, certOf func(device uint32) (Author, error)) (authorKey, error) {
	a, err := certOf(device)
	if err != nil {
		return authorKey{}, fmt.Errorf("%w: device %d: %w", ErrUnknownDevice, device, err)
	}
	cert := a.Cert
	if cert == nil || cert.DeviceID != device {
		return authorKey{}, fmt.Errorf("%w: no certificate of device %d", ErrUnknownDevice, device)
	}
	pub, err := cert.PeerID.ExtractPublicKey()
	if err != nil {
		return authorKey{}, fmt.Errorf("%w: author peer id has no key: %v", ErrBadSignature, err)
	}
	if pub.Type() != cryptopb.KeyType_Ed25519 {
		return authorKey{account: cert.Account, revoked: a.Revoked, upto: a.OpsUpto, pub: pub}, nil
	}
	raw, err := pub.Raw()
	if err != nil || len(raw) != ed25519.PublicKeySize {
		return authorKey{}, fmt.Errorf("%w: author key of %d bytes: %v", ErrBadSignature, len(raw), err)
	}
	return authorKey{account: cert.Account, revoked: a.Revoked, upto: a.OpsUpto, ed: ed25519voi.PublicKey(raw)}, nil
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
	op = &Op{
		Account: identity.AccountID(m.GetAccount()), Device: m.GetDevice(), Seq: m.GetSeq(), Lamport: m.GetLamport(),
		At: time.UnixMilli(m.GetAtMs()), Kind: m.GetKind(), Prev: m.GetPrev(),
	}
	detached, stub := s.GetBody(), s.GetRedactedHash()
	switch {
	case len(stub) > 0: // redacted, signed with its body inline
		if len(stub) != HashSize || len(detached) > 0 || len(m.GetBodyHash()) > 0 || len(m.GetBody()) > 0 {
			return nil, nil, nil, fmt.Errorf("%w: redacted op %s with a body or a hash of %d bytes", ErrMalformed, op, len(stub))
		}
		op.Redacted, op.stubHash = true, stub
	case len(m.GetBodyHash()) > 0: // body detached
		if len(detached) == 0 && !bytes.Equal(m.GetBodyHash(), emptyHash[:]) {
			op.Redacted = true
			break
		}
		if h := sha256.Sum256(detached); !bytes.Equal(h[:], m.GetBodyHash()) {
			return nil, nil, nil, fmt.Errorf("%w: op %s: body does not match its signed hash", ErrBadSignature, op)
		}
		op.Body = detached
	default: // body inline, signed before redaction existed
		if len(detached) > 0 {
			return nil, nil, nil, fmt.Errorf("%w: op %s with a detached body and no hash", ErrMalformed, op)
		}
		op.Body = m.GetBody()
	}
	if op.Body == nil {
		op.Body = []byte{}
	}
	op.Raw = canonical(s.GetOp(), s.GetSignature(), detached, stub)
	op.linkLen = linkLen(s.GetOp(), s.GetSignature())
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
	case len(m.GetPrev()) != 0 && len(m.GetPrev()) != HashSize:
		return fmt.Errorf("%w: prev of %d bytes", ErrMalformed, len(m.GetPrev()))
	case len(m.GetPrev()) != 0 && m.GetSeq() == 1:
		return fmt.Errorf("%w: seq 1 with a prev", ErrMalformed)
	case len(m.GetBodyHash()) != 0 && len(m.GetBodyHash()) != sha256.Size:
		return fmt.Errorf("%w: body hash of %d bytes", ErrMalformed, len(m.GetBodyHash()))
	case len(m.GetBodyHash()) != 0 && len(m.GetBody()) != 0:
		return fmt.Errorf("%w: body both inline and detached", ErrMalformed)
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

// emptyHash is the body hash of an op with an empty body, which a
// redacted op cannot be told from otherwise.
var emptyHash = sha256.Sum256(nil)

// canonical is the encoding of a pb.SignedAccountOp (op, signature,
// detached body, redacted hash), built without reflection (it is on the
// path of every op a pull opens): fields in order, an empty one left
// out. The chain hashes its first linkLen bytes: op and signature.
func canonical(op, sig, body, stub []byte) []byte {
	fs := [...][]byte{op, sig, body, stub}
	n := 0
	for _, f := range fs {
		n += 1 + protowire.SizeBytes(len(f))
	}
	canon := make([]byte, 0, n)
	for i, f := range fs {
		if len(f) > 0 {
			canon = protowire.AppendTag(canon, protowire.Number(i+1), protowire.BytesType)
			canon = protowire.AppendBytes(canon, f)
		}
	}
	return canon
}

// linkLen is the size of the op and signature fields of canonical.
func linkLen(op, sig []byte) int {
	n := 0
	for _, f := range [][]byte{op, sig} {
		if len(f) > 0 {
			n += 1 + protowire.SizeBytes(len(f))
		}
	}
	return n
}

func domainMessage(body []byte) []byte {
	m := make([]byte, 0, len(opDomain)+1+len(body))
	m = append(m, opDomain...)
	m = append(m, 0)
	return append(m, body...)
}
