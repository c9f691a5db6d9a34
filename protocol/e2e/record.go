package e2e

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"

	record "github.com/libp2p/go-libp2p-record"
	"go.mau.fi/libsignal/ecc"
	sigrecord "go.mau.fi/libsignal/state/record"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/pb"
)

// BundleNamespace is the DHT namespace of published prekey bundles.
//
// Every device publishes one bundle under BundleKey: its current signed
// prekey and its last-resort prekey, never a one-time prekey (those are
// handed out once each over PreKeyProtocol). A sender that cannot reach the
// device fetches the published bundle and starts a session from it, so the
// first message can wait in the device's mailbox. Sessions started that way
// use the last-resort prekey and so lack the one-time prekey's extra
// forward secrecy; a reachable device should be asked over PreKeyProtocol.
const BundleNamespace = "pigeon-bundles"

// bundleKeySize is the size of a bundle key after the namespace: the 32 raw
// account key bytes and the device ID as 4 big-endian bytes.
const bundleKeySize = 32 + 4

// BundleKey returns the DHT key of a device's published bundle:
// "/pigeon-bundles/" followed by the 32 raw bytes of the account key and the
// device ID as 4 big-endian bytes.
func BundleKey(a Address) string {
	var dev [4]byte
	binary.BigEndian.PutUint32(dev[:], a.Device)
	return "/" + BundleNamespace + "/" + string(a.Account[:]) + string(dev[:])
}

// AddressFromBundleKey is the inverse of BundleKey. Errors wrap
// ErrBadBundleKey.
func AddressFromBundleKey(key string) (Address, error) {
	const op = "address from bundle key"
	ns, rest, err := record.SplitKey(key)
	if err != nil {
		return Address{}, fmt.Errorf("%s: %w: %v", op, ErrBadBundleKey, err)
	}
	if ns != BundleNamespace {
		return Address{}, fmt.Errorf("%s: %w: namespace %q", op, ErrBadBundleKey, ns)
	}
	if len(rest) != bundleKeySize {
		return Address{}, fmt.Errorf("%s: %w: %d bytes after the namespace", op, ErrBadBundleKey, len(rest))
	}
	acct, err := identity.AccountIDFromBytes([]byte(rest[:32]))
	if err != nil {
		return Address{}, fmt.Errorf("%s: %w: %w", op, ErrBadBundleKey, err)
	}
	dev := binary.BigEndian.Uint32([]byte(rest[32:]))
	if dev == 0 || dev > identity.MaxDeviceID {
		return Address{}, fmt.Errorf("%s: %w: device id %d", op, ErrBadBundleKey, dev)
	}
	return Address{Account: acct, Device: dev}, nil
}

const (
	// MaxBundleRecordSize is the largest DHT bundle record accepted: a
	// bundle of at most MaxBundleSize bytes plus its signature.
	MaxBundleRecordSize = MaxBundleSize + 128

	// bundleRecordDomain prefixes the bytes a bundle record signature
	// covers. The Signal identity key otherwise signs only bare 33-byte
	// signed prekeys, so the two can never be confused.
	bundleRecordDomain = "pigeon/bundle-record/1"
)

var (
	// ErrBadBundleKey is returned for DHT keys that are not bundle keys.
	ErrBadBundleKey = errors.New("not a bundle key")
	// ErrOneTimePreKey is returned for a bundle record that carries a
	// one-time prekey (or none) instead of the last-resort prekey.
	ErrOneTimePreKey = errors.New("published bundle must carry the last-resort prekey")
	// ErrBadRecordSignature is returned for a bundle record whose signature
	// does not verify with the certified Signal identity key.
	ErrBadRecordSignature = errors.New("bad bundle record signature")
)

// PublishedBundle returns the bundle this device publishes under
// BundleKey: its certificate, the current signed prekey and the last-resort
// prekey (ID LastResortPreKeyID), never a one-time prekey. It also returns
// the DHT record value: a pb.Signed whose body is the bundle's
// deterministic encoding (MarshalBundle), signed by the device's Signal
// identity key.
//
// The whole record is signed because the prekey and registration ID of a
// bundle are not covered by the signed prekey signature: without it anyone
// could put a bundle with their own "last-resort" key under the device's
// key, and messages built on it would not decrypt.
//
// The bundle changes only when Init rotates the signed prekey; the
// signature is randomized, so each call returns new record bytes. Publish
// after every Init and republish well within the DHT's record lifetime.
func (m *Manager) PublishedBundle(ctx context.Context) (*pb.PreKeyBundle, []byte, error) {
	const op = "published bundle"
	spk := m.currentSignedPreKey()
	if spk == nil {
		return nil, nil, fmt.Errorf("%s: %w", op, ErrNotInitialized)
	}
	pk, err := m.st.LoadPreKey(ctx, LastResortPreKeyID)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", op, err)
	}
	if pk == nil || pk.ID().IsEmpty || pk.ID().Value != LastResortPreKeyID {
		return nil, nil, fmt.Errorf("%s: %w: no last-resort prekey", op, ErrNotInitialized)
	}
	b := m.bundleOf(spk, pk)
	body, err := MarshalBundle(b)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", op, err)
	}
	if len(body) > MaxBundleSize {
		return nil, nil, fmt.Errorf("%s: %w: %d bytes", op, ErrTooLarge, len(body))
	}
	sig := ecc.CalculateSignature(m.st.GetIdentityKeyPair().PrivateKey(), recordMessage(body))
	rec, err := proto.MarshalOptions{Deterministic: true}.Marshal(&pb.Signed{Body: body, Signature: sig[:]})
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", op, err)
	}
	return b, rec, nil
}

// VerifyBundleRecord checks a bundle record fetched from the DHT for the
// device want and returns the bundle, ready for StartSession. It checks
// the size limits, the bundle (VerifyBundle), that it carries the
// last-resort prekey and not a one-time one, and the record signature by
// the certified Signal identity key.
func VerifyBundleRecord(value []byte, want Address) (*Bundle, error) {
	const op = "verify bundle record"
	if len(value) > MaxBundleRecordSize {
		return nil, fmt.Errorf("%s: %w: %d bytes", op, ErrTooLarge, len(value))
	}
	var rec pb.Signed
	if err := proto.Unmarshal(value, &rec); err != nil {
		return nil, fmt.Errorf("%s: %w: %v", op, ErrMalformed, err)
	}
	if len(rec.GetSignature()) != signatureSize {
		return nil, fmt.Errorf("%s: %w: signature of %d bytes", op, ErrMalformed, len(rec.GetSignature()))
	}
	raw, err := DecodePreKeyBundle(rec.GetBody())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	if raw.GetPrekeyId() != LastResortPreKeyID {
		return nil, fmt.Errorf("%s: %w: prekey id %d", op, ErrOneTimePreKey, raw.GetPrekeyId())
	}
	b, err := VerifyBundle(raw, want)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	var sig [signatureSize]byte
	copy(sig[:], rec.GetSignature())
	if !ecc.VerifySignature(b.Signal.IdentityKey().PublicKey(), recordMessage(rec.GetBody()), sig) {
		return nil, fmt.Errorf("%s: %w", op, ErrBadRecordSignature)
	}
	return b, nil
}

func recordMessage(body []byte) []byte {
	m := make([]byte, 0, len(bundleRecordDomain)+1+len(body))
	m = append(m, bundleRecordDomain...)
	m = append(m, 0)
	return append(m, body...)
}

// currentSignedPreKey returns the signed prekey Init settled on, nil before
// Init.
func (m *Manager) currentSignedPreKey() *sigrecord.SignedPreKey {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.spk
}

// bundleOf builds this device's bundle from a signed prekey and a prekey
// (one-time or last-resort).
func (m *Manager) bundleOf(spk *sigrecord.SignedPreKey, pk *sigrecord.PreKey) *pb.PreKeyBundle {
	sig := spk.Signature()
	return &pb.PreKeyBundle{
		Certificate:           m.cert.Signed,
		RegistrationId:        m.st.GetLocalRegistrationID(),
		SignedPrekeyId:        spk.ID(),
		SignedPrekey:          spk.KeyPair().PublicKey().Serialize(),
		SignedPrekeySignature: sig[:],
		PrekeyId:              pk.ID().Value,
		Prekey:                pk.KeyPair().PublicKey().Serialize(),
	}
}

// BundleValidator is the DHT record validator for BundleNamespace.
// Register it with dht.NamespacedValidator(BundleNamespace,
// BundleValidator{}).
type BundleValidator struct{}

var _ record.Validator = BundleValidator{}

// Validate checks that key is a bundle key and value a record that
// VerifyBundleRecord accepts for the key's device.
func (BundleValidator) Validate(key string, value []byte) error {
	_, err := openForKey(key, value)
	return err
}

// Select returns the index of the valid record whose certificate was issued
// last; among equal issue times the higher signed prekey ID wins, then the
// first record. It fails when no record is valid.
func (BundleValidator) Select(key string, values [][]byte) (int, error) {
	best := -1
	var bestB *Bundle
	var firstErr error
	for i, v := range values {
		b, err := openForKey(key, v)
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		if best < 0 || newerBundle(b, bestB) {
			best, bestB = i, b
		}
	}
	if best < 0 {
		if firstErr == nil {
			firstErr = errors.New("no records")
		}
		return 0, fmt.Errorf("select bundle: %w", firstErr)
	}
	return best, nil
}

// newerBundle reports whether a is strictly preferred over b.
func newerBundle(a, b *Bundle) bool {
	if !a.Cert.IssuedAt.Equal(b.Cert.IssuedAt) {
		return a.Cert.IssuedAt.After(b.Cert.IssuedAt)
	}
	return a.Signal.SignedPreKeyID() > b.Signal.SignedPreKeyID()
}

func openForKey(key string, value []byte) (*Bundle, error) {
	const op = "validate bundle record"
	want, err := AddressFromBundleKey(key)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	b, err := VerifyBundleRecord(value, want)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return b, nil
}
