package link

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"fmt"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/pigeon-net/pigeon/protocol/identity"
)

// Labels of the MACs keyed with a code's secret; each MAC starts with its
// label and a zero byte, so no MAC of one kind verifies as another.
const (
	labelOffer = "pigeon/link/1/offer"
	labelProof = "pigeon/link/1/proof"
	labelSAS   = "pigeon/link/1/sas"
	labelGrant = "pigeon/link/1/grant"

	// offerIDSize is the size of the offer ID a hello names its code by.
	offerIDSize = 16
	macSize     = sha256.Size
)

// offerID is the public name of a code's offer: a MAC of nothing under its
// secret, so it says nothing about the secret and only a holder of the
// secret can name the offer.
type offerID [offerIDSize]byte

func newOfferID(secret *[32]byte) offerID {
	var id offerID
	copy(id[:], mac(secret, labelOffer, nil))
	return id
}

// transcript is what both devices agree on once the hello is sent: the
// account, both peer IDs (each side takes the other's from the
// authenticated connection, never from a message), and what the new device
// says about itself.
type transcript struct {
	account   identity.AccountID
	server    peer.ID // the existing device
	client    peer.ID // the new device
	signalKey []byte
	name      string
	platform  string
}

// bytes returns the transcript's unambiguous encoding: fixed-size fields as
// they are, the others with a uvarint length.
func (t *transcript) bytes() []byte {
	b := make([]byte, 0, 256)
	field := func(v []byte) {
		b = binary.AppendUvarint(b, uint64(len(v)))
		b = append(b, v...)
	}
	b = append(b, ProtocolID...)
	b = append(b, 0)
	b = append(b, t.account[:]...)
	field([]byte(t.server))
	field([]byte(t.client))
	field(t.signalKey)
	field([]byte(t.name))
	field([]byte(t.platform))
	return b
}

// proof is the new device's proof that it knows the secret.
func (t *transcript) proof(secret *[32]byte) []byte {
	return mac(secret, labelProof, t.bytes())
}

// sas returns the six-digit confirmation code both devices show.
func (t *transcript) sas(secret *[32]byte) string {
	m := mac(secret, labelSAS, t.bytes())
	return fmt.Sprintf("%06d", binary.BigEndian.Uint64(m[:8])%1_000_000)
}

// grantMAC authenticates the grant sent in answer to this transcript.
func (t *transcript) grantMAC(secret *[32]byte, g *Grant) []byte {
	b := t.bytes()
	b = binary.BigEndian.AppendUint32(b, g.DeviceID)
	b = binary.AppendUvarint(b, uint64(len(g.Certificate)))
	b = append(b, g.Certificate...)
	b = binary.AppendUvarint(b, uint64(len(g.DeviceList)))
	b = append(b, g.DeviceList...)
	return mac(secret, labelGrant, b)
}

func mac(secret *[32]byte, label string, msg []byte) []byte {
	h := hmac.New(sha256.New, secret[:])
	h.Write([]byte(label))
	h.Write([]byte{0})
	h.Write(msg)
	return h.Sum(nil)
}
