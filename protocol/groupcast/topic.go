package groupcast

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"

	pubsubpb "github.com/libp2p/go-libp2p-pubsub/pb"
	"github.com/libp2p/go-libp2p/core/peer"
)

// Topic identifies one group's fan-out channel. Derive it with TopicFor from
// the group ID and the group secret, so that only members (and the relays
// they hand the topic to) can find or join it.
type Topic [32]byte

// topicLabel domain-separates topic derivation from every other use of the
// group secret.
const topicLabel = "pigeon/group-topic/v1"

// TopicFor returns HMAC-SHA256(secret, "pigeon/group-topic/v1" || groupID).
// Without the secret the topic of a known group ID cannot be computed, and a
// topic says nothing about its group.
func TopicFor(groupID []byte, secret []byte) Topic {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(topicLabel))
	m.Write(groupID)
	var t Topic
	m.Sum(t[:0])
	return t
}

// String returns the topic as the router names it on the wire.
func (t Topic) String() string { return topicPrefix + base64.RawURLEncoding.EncodeToString(t[:]) }

// topicPrefix keeps group topics apart from any other topic the router may
// carry one day. Every message carries the name, so it is short.
const topicPrefix = "g/"

// MessageID returns the ID a message published by from with this payload
// has: the hex SHA-256 of from and payload. Receivers see it as Message.ID;
// a sender can compute the ID of its own message with it.
func MessageID(from peer.ID, payload []byte) string {
	id := rawID([]byte(from), payload)
	return hex.EncodeToString(id[:])
}

// rawID hashes the length-prefixed author and the payload. The author's
// length is in the hash so that no (author, payload) pair collides with
// another by moving bytes across the boundary.
func rawID(from, payload []byte) [sha256.Size]byte {
	h := sha256.New()
	var n [binary.MaxVarintLen64]byte
	h.Write(n[:binary.PutUvarint(n[:], uint64(len(from)))])
	h.Write(from)
	h.Write(payload)
	var id [sha256.Size]byte
	h.Sum(id[:0])
	return id
}

// messageID is the router's message-ID function. It runs on every message
// a peer sends, before the signature is checked, so it must accept anything:
// nil fields hash as empty. The router's seen-cache and IHAVE/IWANT/IDONTWANT
// control messages carry the raw 32 bytes; Message.ID is their hex form.
func messageID(m *pubsubpb.Message) string {
	id := rawID(m.GetFrom(), m.GetData())
	return string(id[:])
}
