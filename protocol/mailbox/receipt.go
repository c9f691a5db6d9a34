package mailbox

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"time"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/pb"
)

const receiptDomain = "pigeon/custody-receipt/v1"

// CustodyReceipt is a relay's signed promise to hold an envelope for a
// device until StoredUntil.
type CustodyReceipt struct {
	Relay        peer.ID
	Box          Box
	DepositID    DepositID
	EnvelopeHash [sha256.Size]byte
	StoredUntil  time.Time
	// Signed is the wire form; VerifyCustodyReceipt checks the fields above
	// against it.
	Signed *pb.CustodyReceipt
}

// signReceipt signs a receipt with the relay's key and fills in Signed.
func signReceipt(key crypto.PrivKey, r *CustodyReceipt) error {
	body, err := proto.MarshalOptions{Deterministic: true}.Marshal(&pb.CustodyReceiptBody{
		RelayPeerId:    []byte(r.Relay),
		Account:        r.Box.Account[:],
		Device:         r.Box.Device,
		DepositId:      r.DepositID[:],
		EnvelopeSha256: r.EnvelopeHash[:],
		StoredUntilMs:  r.StoredUntil.UnixMilli(),
	})
	if err != nil {
		return fmt.Errorf("sign receipt: %w", err)
	}
	sig, err := key.Sign(domainMessage(receiptDomain, body))
	if err != nil {
		return fmt.Errorf("sign receipt: %w", err)
	}
	r.Signed = &pb.CustodyReceipt{Body: body, Signature: sig}
	return nil
}

// DecodeCustodyReceipt parses a receipt's body without checking the
// signature; use VerifyCustodyReceipt before trusting it.
func DecodeCustodyReceipt(w *pb.CustodyReceipt) (*CustodyReceipt, error) {
	const op = "decode custody receipt"
	if w == nil {
		return nil, fmt.Errorf("%s: %w: missing", op, ErrMalformed)
	}
	if len(w.GetBody()) > maxReceiptSize || len(w.GetSignature()) > maxSignatureSize {
		return nil, fmt.Errorf("%s: %w", op, ErrTooLarge)
	}
	var b pb.CustodyReceiptBody
	if err := proto.Unmarshal(w.GetBody(), &b); err != nil {
		return nil, fmt.Errorf("%s: %w: %v", op, ErrMalformed, err)
	}
	relay, err := peer.IDFromBytes(b.GetRelayPeerId())
	if err != nil {
		return nil, fmt.Errorf("%s: %w: relay: %v", op, ErrMalformed, err)
	}
	box, err := checkBox(b.GetAccount(), b.GetDevice())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	r := &CustodyReceipt{Relay: relay, Box: box, StoredUntil: time.UnixMilli(b.GetStoredUntilMs()),
		Signed: &pb.CustodyReceipt{Body: bytes.Clone(w.GetBody()), Signature: bytes.Clone(w.GetSignature())}}
	if len(b.GetDepositId()) != len(r.DepositID) || len(b.GetEnvelopeSha256()) != len(r.EnvelopeHash) || b.GetStoredUntilMs() <= 0 {
		return nil, fmt.Errorf("%s: %w: field sizes", op, ErrMalformed)
	}
	copy(r.DepositID[:], b.GetDepositId())
	copy(r.EnvelopeHash[:], b.GetEnvelopeSha256())
	return r, nil
}

// VerifyCustodyReceipt checks that r was signed by relay's peer key and
// that its fields are the signed ones. Errors wrap ErrMalformed,
// ErrWrongRelay or ErrBadSignature.
func VerifyCustodyReceipt(r *CustodyReceipt, relay peer.ID) error {
	const op = "verify custody receipt"
	if r == nil {
		return fmt.Errorf("%s: %w: missing", op, ErrMalformed)
	}
	signed, err := DecodeCustodyReceipt(r.Signed)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if signed.Relay != relay || r.Relay != relay {
		return fmt.Errorf("%s: %w", op, ErrWrongRelay)
	}
	if signed.Box != r.Box || signed.DepositID != r.DepositID || signed.EnvelopeHash != r.EnvelopeHash ||
		!signed.StoredUntil.Equal(r.StoredUntil) {
		return fmt.Errorf("%s: %w: fields differ from the signed body", op, ErrBadSignature)
	}
	pub, err := relay.ExtractPublicKey()
	if err != nil {
		return fmt.Errorf("%s: %w: relay peer id carries no key: %v", op, ErrMalformed, err)
	}
	ok, err := pub.Verify(domainMessage(receiptDomain, r.Signed.GetBody()), r.Signed.GetSignature())
	if err != nil || !ok {
		return fmt.Errorf("%s: %w", op, ErrBadSignature)
	}
	return nil
}

// Matches checks that a verified receipt is for this deposit.
func (r *CustodyReceipt) Matches(box Box, id DepositID, envelope []byte) error {
	if r.Box != box || r.DepositID != id || r.EnvelopeHash != sha256.Sum256(envelope) {
		return ErrReceiptMismatch
	}
	return nil
}

func errorsIsBadSig(err error) bool { return errors.Is(err, identity.ErrBadSignature) }
