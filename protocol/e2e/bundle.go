package e2e

import (
	"bytes"
	"fmt"

	"go.mau.fi/libsignal/ecc"
	sigid "go.mau.fi/libsignal/keys/identity"
	"go.mau.fi/libsignal/keys/prekey"
	"go.mau.fi/libsignal/util/optional"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/pb"
)

const (
	// MaxBundleSize is the largest encoded pb.PreKeyBundle accepted.
	MaxBundleSize = 2 << 10
	// MaxPreKeyResponseSize is the largest encoded pb.PreKeyResponse accepted.
	MaxPreKeyResponseSize = 4 << 10
	// MaxPreKeyRequestSize is the largest encoded pb.PreKeyRequest accepted.
	MaxPreKeyRequestSize = 256

	keySize       = 33 // serialized Curve25519 public key: 0x05 || 32 bytes
	signatureSize = 64 // XEdDSA
)

// Bundle is a verified prekey bundle: everything needed to start a session
// with one device.
type Bundle struct {
	Address Address
	// Cert is the device certificate the bundle came with; its Signal
	// identity key is the bundle's identity key.
	Cert *identity.Certificate
	// Signal is the libsignal bundle to process.
	Signal *prekey.Bundle
}

// IdentityKey returns the bundle's serialized Signal identity key.
func (b *Bundle) IdentityKey() []byte { return bytes.Clone(b.Cert.SignalIdentityKey) }

// PreKeyID returns the one-time prekey ID of the bundle, 0 when it has none.
func (b *Bundle) PreKeyID() uint32 {
	if id := b.Signal.PreKeyID(); id != nil && !id.IsEmpty {
		return id.Value
	}
	return 0
}

// VerifyBundle checks a bundle received for the device want: field sizes,
// the device certificate (signed by the account key), that the certificate
// names want, that the signed prekey is signed by the certificate's Signal
// identity key, and the one-time prekey fields (ID 0 means none and must
// come without a key).
func VerifyBundle(b *pb.PreKeyBundle, want Address) (*Bundle, error) {
	const op = "verify bundle"
	if err := checkBundleFields(b); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	cert, err := identity.VerifyCertificate(b.GetCertificate())
	if err != nil {
		return nil, fmt.Errorf("%s: %w: %w", op, ErrMalformed, err)
	}
	if cert.Account != want.Account || cert.DeviceID != want.Device {
		return nil, fmt.Errorf("%s: %w", op, ErrWrongDevice)
	}
	ik, err := decodeKey(cert.SignalIdentityKey)
	if err != nil {
		return nil, fmt.Errorf("%s: %w: identity key", op, ErrIdentityMismatch)
	}
	spk, err := decodeKey(b.GetSignedPrekey())
	if err != nil {
		return nil, fmt.Errorf("%s: %w: signed prekey", op, err)
	}
	var sig [signatureSize]byte
	copy(sig[:], b.GetSignedPrekeySignature())
	if !ecc.VerifySignature(ik, b.GetSignedPrekey(), sig) {
		return nil, fmt.Errorf("%s: %w", op, ErrBadSignature)
	}
	pkID := optional.NewEmptyUint32()
	var pk ecc.ECPublicKeyable // untyped nil when the bundle has no one-time prekey
	if b.GetPrekeyId() != 0 {
		key, err := decodeKey(b.GetPrekey())
		if err != nil {
			return nil, fmt.Errorf("%s: %w: prekey", op, err)
		}
		pk = key
		pkID = optional.NewOptionalUint32(b.GetPrekeyId())
	}
	sb := prekey.NewBundle(b.GetRegistrationId(), want.Device, pkID, b.GetSignedPrekeyId(),
		pk, spk, sig, sigid.NewKey(ik))
	return &Bundle{Address: want, Cert: cert, Signal: sb}, nil
}

// checkBundleFields checks sizes and shapes without any crypto.
func checkBundleFields(b *pb.PreKeyBundle) error {
	if b == nil {
		return fmt.Errorf("%w: no bundle", ErrMalformed)
	}
	if b.GetCertificate() == nil {
		return fmt.Errorf("%w: no certificate", ErrMalformed)
	}
	if n := len(b.GetCertificate().GetBody()); n > identity.MaxCertificateSize {
		return fmt.Errorf("%w: certificate of %d bytes", ErrTooLarge, n)
	}
	if len(b.GetSignedPrekey()) != keySize {
		return fmt.Errorf("%w: signed prekey of %d bytes", ErrMalformed, len(b.GetSignedPrekey()))
	}
	if len(b.GetSignedPrekeySignature()) != signatureSize {
		return fmt.Errorf("%w: signature of %d bytes", ErrMalformed, len(b.GetSignedPrekeySignature()))
	}
	switch id, n := b.GetPrekeyId(), len(b.GetPrekey()); {
	case id == 0 && n != 0:
		return fmt.Errorf("%w: prekey without id", ErrMalformed)
	case id != 0 && n != keySize:
		return fmt.Errorf("%w: prekey of %d bytes", ErrMalformed, n)
	case id > LastResortPreKeyID:
		return fmt.Errorf("%w: prekey id %d out of range", ErrMalformed, id)
	}
	return nil
}

// decodeKey parses a 33-byte serialized Curve25519 public key.
func decodeKey(b []byte) (ecc.ECPublicKeyable, error) {
	if len(b) != keySize || b[0] != ecc.DjbType {
		return nil, fmt.Errorf("%w: key must be %d bytes starting with 0x%02x", ErrMalformed, keySize, ecc.DjbType)
	}
	return ecc.DecodePoint(b, 0)
}

// DecodePreKeyBundle decodes a pb.PreKeyBundle and checks its field sizes.
// It does not verify signatures; use VerifyBundle.
func DecodePreKeyBundle(b []byte) (*pb.PreKeyBundle, error) {
	const op = "decode prekey bundle"
	if len(b) > MaxBundleSize {
		return nil, fmt.Errorf("%s: %w: %d bytes", op, ErrTooLarge, len(b))
	}
	var bundle pb.PreKeyBundle
	if err := proto.Unmarshal(b, &bundle); err != nil {
		return nil, fmt.Errorf("%s: %w: %v", op, ErrMalformed, err)
	}
	if err := checkBundleFields(&bundle); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return &bundle, nil
}

// DecodePreKeyResponse decodes a pb.PreKeyResponse frame body. A response
// with code OK must carry a bundle whose fields have valid sizes; other
// codes carry none.
func DecodePreKeyResponse(b []byte) (*pb.PreKeyResponse, error) {
	const op = "decode prekey response"
	if len(b) > MaxPreKeyResponseSize {
		return nil, fmt.Errorf("%s: %w: %d bytes", op, ErrTooLarge, len(b))
	}
	var resp pb.PreKeyResponse
	if err := proto.Unmarshal(b, &resp); err != nil {
		return nil, fmt.Errorf("%s: %w: %v", op, ErrMalformed, err)
	}
	if resp.GetCode() == pb.ErrorCode_OK {
		if err := checkBundleFields(resp.GetBundle()); err != nil {
			return nil, fmt.Errorf("%s: %w", op, err)
		}
	} else if resp.Bundle != nil {
		return nil, fmt.Errorf("%s: %w: bundle with error code %v", op, ErrMalformed, resp.GetCode())
	}
	return &resp, nil
}

// MarshalBundle encodes a bundle for the wire or a cache.
func MarshalBundle(b *pb.PreKeyBundle) ([]byte, error) {
	out, err := proto.MarshalOptions{Deterministic: true}.Marshal(b)
	if err != nil {
		return nil, fmt.Errorf("marshal bundle: %w", err)
	}
	return out, nil
}
