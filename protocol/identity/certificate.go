package identity

import (
	"bytes"
	"crypto/ed25519"
	"fmt"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/pb"
)

const (
	certDomain = "pigeon/device-cert/v1"

	// MaxCertificateSize is the largest certificate body accepted.
	MaxCertificateSize = 1 << 10
	// MaxDeviceID is the largest device ID; device IDs start at 1.
	MaxDeviceID = 1 << 31
	// SignalKeySize is the size of a serialized Signal identity key: a type
	// byte (0x05, Curve25519) and the 32-byte public key.
	SignalKeySize = 33
	signalKeyType = 0x05
	maxPeerIDSize = 64 // identity multihashes of inline keys are at most 42+4 bytes
)

// Certificate is a verified device certificate: the account vouches that
// device DeviceID runs the libp2p host PeerID and holds the Signal identity
// key SignalIdentityKey.
type Certificate struct {
	Account           AccountID
	DeviceID          uint32
	PeerID            peer.ID
	SignalIdentityKey []byte // 33 bytes, 0x05 || Curve25519 public key
	IssuedAt          time.Time
	// Signed is the wire form the certificate was verified from; embed it
	// as is in device lists and prekey bundles.
	Signed *pb.Signed
}

// IssueCertificate signs a certificate for one device of the account.
// deviceID must be in 1..MaxDeviceID, signalIdentityKey a serialized
// Curve25519 key (33 bytes starting with 0x05) and p a valid peer ID.
func (a *Account) IssueCertificate(deviceID uint32, p peer.ID, signalIdentityKey []byte, at time.Time) (*pb.Signed, error) {
	const op = "issue certificate"
	if err := checkDeviceID(deviceID); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	if err := checkSignalKey(signalIdentityKey); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("%s: %w: peer id: %v", op, ErrMalformed, err)
	}
	pid := []byte(p)
	if len(pid) > maxPeerIDSize {
		return nil, fmt.Errorf("%s: %w: peer id of %d bytes", op, ErrTooLarge, len(pid))
	}
	if _, err := peer.IDFromBytes(pid); err != nil {
		return nil, fmt.Errorf("%s: %w: peer id: %v", op, ErrMalformed, err)
	}
	if at.IsZero() || at.UnixMilli() <= 0 {
		return nil, fmt.Errorf("%s: %w: issue time unset", op, ErrMalformed)
	}
	id := a.ID()
	body, err := proto.MarshalOptions{Deterministic: true}.Marshal(&pb.DeviceCertificate{
		AccountKey:        id[:],
		DeviceId:          deviceID,
		PeerId:            pid,
		SignalIdentityKey: bytes.Clone(signalIdentityKey),
		IssuedAtMs:        at.UnixMilli(),
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return &pb.Signed{Body: body, Signature: a.sign(certDomain, body)}, nil
}

// VerifyCertificate checks a device certificate: size limits, field checks
// and the account signature against the account key in the body. Errors wrap
// ErrMalformed, ErrTooLarge or ErrBadSignature.
func VerifyCertificate(s *pb.Signed) (*Certificate, error) {
	const op = "verify certificate"
	if s == nil {
		return nil, fmt.Errorf("%s: %w: missing", op, ErrMalformed)
	}
	if len(s.GetBody()) > MaxCertificateSize {
		return nil, fmt.Errorf("%s: %w: body of %d bytes", op, ErrTooLarge, len(s.GetBody()))
	}
	if len(s.GetSignature()) != ed25519.SignatureSize {
		return nil, fmt.Errorf("%s: %w: signature of %d bytes", op, ErrMalformed, len(s.GetSignature()))
	}
	var dc pb.DeviceCertificate
	if err := proto.Unmarshal(s.GetBody(), &dc); err != nil {
		return nil, fmt.Errorf("%s: %w: %v", op, ErrMalformed, err)
	}
	account, err := AccountIDFromBytes(dc.GetAccountKey())
	if err != nil {
		return nil, fmt.Errorf("%s: %w: %v", op, ErrMalformed, err)
	}
	if err := checkDeviceID(dc.GetDeviceId()); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	if err := checkSignalKey(dc.GetSignalIdentityKey()); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	if len(dc.GetPeerId()) > maxPeerIDSize {
		return nil, fmt.Errorf("%s: %w: peer id of %d bytes", op, ErrTooLarge, len(dc.GetPeerId()))
	}
	p, err := peer.IDFromBytes(dc.GetPeerId())
	if err != nil {
		return nil, fmt.Errorf("%s: %w: peer id: %v", op, ErrMalformed, err)
	}
	if dc.GetIssuedAtMs() <= 0 {
		return nil, fmt.Errorf("%s: %w: issue time unset", op, ErrMalformed)
	}
	if !verify(account, certDomain, s.GetBody(), s.GetSignature()) {
		return nil, fmt.Errorf("%s: %w", op, ErrBadSignature)
	}
	return &Certificate{
		Account:           account,
		DeviceID:          dc.GetDeviceId(),
		PeerID:            p,
		SignalIdentityKey: bytes.Clone(dc.GetSignalIdentityKey()),
		IssuedAt:          time.UnixMilli(dc.GetIssuedAtMs()),
		Signed:            &pb.Signed{Body: bytes.Clone(s.GetBody()), Signature: bytes.Clone(s.GetSignature())},
	}, nil
}

func checkDeviceID(id uint32) error {
	if id < 1 || id > MaxDeviceID {
		return fmt.Errorf("%w: device id %d out of range", ErrMalformed, id)
	}
	return nil
}

func checkSignalKey(k []byte) error {
	if len(k) != SignalKeySize || k[0] != signalKeyType {
		return fmt.Errorf("%w: signal identity key must be %d bytes starting with 0x%02x", ErrMalformed, SignalKeySize, signalKeyType)
	}
	return nil
}
