package mailbox

import (
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"time"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/pb"
)

const registerDomain = "pigeon/mailbox-register/v1"

// SignRegistration signs a registration of the device certified by cert
// with relay, valid until expires, with the device's libp2p peer key (the
// key of cert's peer ID). seq must be above every sequence used with this
// relay before; a Unix-nanosecond clock reading is a fine choice.
func SignRegistration(key crypto.PrivKey, relay peer.ID, cert *pb.Signed, seq uint64, expires time.Time, opts ...RegisterOption) (*pb.MailboxRegister, error) {
	const op = "sign registration"
	c, err := identity.VerifyCertificate(cert)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	if !c.PeerID.MatchesPrivateKey(key) {
		return nil, fmt.Errorf("%s: %w: key is not the certified peer's", op, ErrWrongPeer)
	}
	nonce := make([]byte, nonceSize)
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	reg := &pb.MailboxRegistration{
		Certificate: c.Signed,
		RelayPeerId: []byte(relay),
		Sequence:    seq,
		Nonce:       nonce,
		ExpiresAtMs: expires.UnixMilli(),
	}
	for _, o := range opts {
		o(reg)
	}
	body, err := proto.MarshalOptions{Deterministic: true}.Marshal(reg)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	sig, err := key.Sign(domainMessage(registerDomain, body))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return &pb.MailboxRegister{Body: body, Signature: sig}, nil
}

// VerifyRegistration checks a signed registration addressed to relay: the
// certificate, the signature by the certified peer's key, the relay and the
// field ranges. It does not check the expiry against a clock.
func VerifyRegistration(r *pb.MailboxRegister, relay peer.ID) (Registration, error) {
	const op = "verify registration"
	if r == nil || len(r.GetBody()) == 0 {
		return Registration{}, fmt.Errorf("%s: %w: missing", op, ErrMalformed)
	}
	if len(r.GetBody()) > maxRegistrationSize || len(r.GetSignature()) > maxSignatureSize {
		return Registration{}, fmt.Errorf("%s: %w", op, ErrTooLarge)
	}
	var body pb.MailboxRegistration
	if err := proto.Unmarshal(r.GetBody(), &body); err != nil {
		return Registration{}, fmt.Errorf("%s: %w: %v", op, ErrMalformed, err)
	}
	c, err := identity.VerifyCertificate(body.GetCertificate())
	if err != nil {
		if errorsIsBadSig(err) {
			return Registration{}, fmt.Errorf("%s: %w: certificate: %v", op, ErrBadSignature, err)
		}
		return Registration{}, fmt.Errorf("%s: %w: certificate: %v", op, ErrMalformed, err)
	}
	if len(body.GetNonce()) != nonceSize {
		return Registration{}, fmt.Errorf("%s: %w: nonce of %d bytes", op, ErrMalformed, len(body.GetNonce()))
	}
	if body.GetSequence() == 0 || body.GetExpiresAtMs() <= 0 {
		return Registration{}, fmt.Errorf("%s: %w: sequence or expiry unset", op, ErrMalformed)
	}
	if peer.ID(body.GetRelayPeerId()) != relay {
		return Registration{}, fmt.Errorf("%s: %w", op, ErrWrongRelay)
	}
	pub, err := c.PeerID.ExtractPublicKey()
	if err != nil {
		return Registration{}, fmt.Errorf("%s: %w: peer id carries no key: %v", op, ErrMalformed, err)
	}
	ok, err := pub.Verify(domainMessage(registerDomain, r.GetBody()), r.GetSignature())
	if err != nil || !ok {
		return Registration{}, fmt.Errorf("%s: %w", op, ErrBadSignature)
	}
	out := Registration{
		Box:       Box{Account: c.Account, Device: c.DeviceID},
		PeerID:    c.PeerID,
		Sequence:  body.GetSequence(),
		ExpiresAt: time.UnixMilli(body.GetExpiresAtMs()),
	}
	if len(body.GetInvite()) > maxInviteSize {
		return Registration{}, fmt.Errorf("%s: %w: invite", op, ErrTooLarge)
	}
	out.Invite = body.GetInvite()
	out.ListVersion = body.GetListVersion()
	if len(body.GetDepositKeys()) > MaxDepositKeys {
		return Registration{}, fmt.Errorf("%s: %w: %d deposit keys", op, ErrTooLarge, len(body.GetDepositKeys()))
	}
	for _, k := range body.GetDepositKeys() {
		if len(k) != sha256.Size {
			return Registration{}, fmt.Errorf("%s: %w: deposit key of %d bytes", op, ErrMalformed, len(k))
		}
		out.DepositKeys = append(out.DepositKeys, [32]byte(k))
	}
	if len(body.GetQuietKeys()) > MaxDepositKeys {
		return Registration{}, fmt.Errorf("%s: %w: %d quiet keys", op, ErrTooLarge, len(body.GetQuietKeys()))
	}
	for _, k := range body.GetQuietKeys() {
		if len(k) != sha256.Size {
			return Registration{}, fmt.Errorf("%s: %w: quiet key of %d bytes", op, ErrMalformed, len(k))
		}
		out.QuietKeys = append(out.QuietKeys, [32]byte(k))
	}
	if body.GetPush() != nil {
		if out.Push, err = proto.Marshal(body.GetPush()); err != nil {
			return Registration{}, fmt.Errorf("%s: %w: push endpoint", op, ErrMalformed)
		}
	}
	return out, nil
}

// RegisterOption adds to a registration.
type RegisterOption func(*pb.MailboxRegistration)

// maxInviteSize bounds an invite token.
const maxInviteSize = 256

// WithInvite presents an invite token to a relay that serves invited
// accounts only.
func WithInvite(token string) RegisterOption {
	return func(r *pb.MailboxRegistration) { r.Invite = token }
}

// WithListVersion tells the relay the version of the device list the
// device published with this relay among its mailboxes: the relay refuses
// deposits naming an older one (ErrStaleList), so their senders fetch the
// list again.
func WithListVersion(v uint64) RegisterOption {
	return func(r *pb.MailboxRegistration) { r.ListVersion = v }
}

// WithDepositKeys names the digests (CredentialKey) of the deposit
// credentials the box accepts, at most MaxDepositKeys: deposits with
// another credential or none share the small quota left to strangers.
func WithDepositKeys(keys ...[32]byte) RegisterOption {
	return func(r *pb.MailboxRegistration) {
		for _, k := range keys {
			r.DepositKeys = append(r.DepositKeys, k[:])
		}
	}
}

// WithQuietKeys names the digests of further deposit credentials the box
// accepts, at most MaxDepositKeys, whose deposits do not wake the device
// through its push endpoint: the device hands the secret making them to
// the contacts it muted.
func WithQuietKeys(keys ...[32]byte) RegisterOption {
	return func(r *pb.MailboxRegistration) {
		for _, k := range keys {
			r.QuietKeys = append(r.QuietKeys, k[:])
		}
	}
}

// WithPush asks the relay to wake the device through ep when something is
// deposited while it is not subscribed. The relay checks nothing about ep:
// its push dispatcher validates it when it sends.
func WithPush(ep *pb.PushEndpoint) RegisterOption {
	return func(r *pb.MailboxRegistration) { r.Push = ep }
}

func domainMessage(domain string, body []byte) []byte {
	m := make([]byte, 0, len(domain)+1+len(body))
	m = append(m, domain...)
	m = append(m, 0)
	return append(m, body...)
}
