package mailbox

import (
	"fmt"
	"time"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/pb"
)

const closeDomain = "pigeon/mailbox-close/v1"

// maxClosingSize bounds a signed closing's body (a certificate and a few
// numbers).
const maxClosingSize = 2 << 10

// SignClosing signs a request to close the box of the device certified by
// cert at relay, with the device's libp2p peer key (the key of cert's peer
// ID). seq must be above the sequence of the device's last registration
// with relay; a Unix-nanosecond clock reading taken after it is.
func SignClosing(key crypto.PrivKey, relay peer.ID, cert *pb.Signed, seq uint64, at time.Time) (*pb.MailboxClose, error) {
	const op = "sign closing"
	c, err := identity.VerifyCertificate(cert)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	if !c.PeerID.MatchesPrivateKey(key) {
		return nil, fmt.Errorf("%s: %w: key is not the certified peer's", op, ErrWrongPeer)
	}
	body, err := proto.MarshalOptions{Deterministic: true}.Marshal(&pb.MailboxClosing{
		Certificate: c.Signed,
		RelayPeerId: []byte(relay),
		Sequence:    seq,
		ClosedAtMs:  at.UnixMilli(),
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	sig, err := key.Sign(domainMessage(closeDomain, body))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return &pb.MailboxClose{Body: body, Signature: sig}, nil
}

// VerifyClosing checks a signed closing addressed to relay: the
// certificate, the signature by the certified peer's key, the relay and
// the field ranges.
func VerifyClosing(m *pb.MailboxClose, relay peer.ID) (Closing, error) {
	const op = "verify closing"
	if m == nil || len(m.GetBody()) == 0 {
		return Closing{}, fmt.Errorf("%s: %w: missing", op, ErrMalformed)
	}
	if len(m.GetBody()) > maxClosingSize || len(m.GetSignature()) > maxSignatureSize {
		return Closing{}, fmt.Errorf("%s: %w", op, ErrTooLarge)
	}
	var body pb.MailboxClosing
	if err := proto.Unmarshal(m.GetBody(), &body); err != nil {
		return Closing{}, fmt.Errorf("%s: %w: %v", op, ErrMalformed, err)
	}
	c, err := identity.VerifyCertificate(body.GetCertificate())
	if err != nil {
		if errorsIsBadSig(err) {
			return Closing{}, fmt.Errorf("%s: %w: certificate: %v", op, ErrBadSignature, err)
		}
		return Closing{}, fmt.Errorf("%s: %w: certificate: %v", op, ErrMalformed, err)
	}
	if body.GetSequence() == 0 || body.GetClosedAtMs() <= 0 {
		return Closing{}, fmt.Errorf("%s: %w: sequence or time unset", op, ErrMalformed)
	}
	if peer.ID(body.GetRelayPeerId()) != relay {
		return Closing{}, fmt.Errorf("%s: %w", op, ErrWrongRelay)
	}
	pub, err := c.PeerID.ExtractPublicKey()
	if err != nil {
		return Closing{}, fmt.Errorf("%s: %w: peer id carries no key: %v", op, ErrMalformed, err)
	}
	ok, err := pub.Verify(domainMessage(closeDomain, m.GetBody()), m.GetSignature())
	if err != nil || !ok {
		return Closing{}, fmt.Errorf("%s: %w", op, ErrBadSignature)
	}
	return Closing{
		Box:      Box{Account: c.Account, Device: c.DeviceID},
		PeerID:   c.PeerID,
		Sequence: body.GetSequence(),
		ClosedAt: time.UnixMilli(body.GetClosedAtMs()),
	}, nil
}
