// Package storage holds the record types and errors shared by every store
// implementation. The only implementation is storage/badger; protocol packages
// declare the narrow interfaces they need themselves and never import a
// concrete store.
package storage

import (
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"time"
)

var (
	// ErrNotFound is returned when a record does not exist.
	ErrNotFound = errors.New("storage: not found")
	// ErrExists is returned by inserts whose key is already present.
	ErrExists = errors.New("storage: already exists")
	// ErrWaitingFull is returned when too many actions wait for their
	// messages already (an action arriving before its message waits).
	ErrWaitingFull = errors.New("storage: too many actions wait for their messages")
	// ErrClosed is returned after the store has been closed.
	ErrClosed = errors.New("storage: closed")
	// ErrSchema is returned when the on-disk schema version is unknown.
	ErrSchema = errors.New("storage: unsupported schema version")
	// ErrStale is returned when a record older than the stored one is
	// put (a device list of a lower version).
	ErrStale = errors.New("storage: older than the stored record")
)

// MessageID is a 16-byte time-ordered unique ID: 6 bytes of Unix
// milliseconds (big endian) followed by 10 random bytes, so IDs sort by
// creation time.
type MessageID [16]byte

var (
	lastIDMu sync.Mutex // guards lastID
	lastID   MessageID
)

// NewMessageID returns a fresh ID for time t. IDs made by one process are
// strictly increasing: within one millisecond (or if the clock steps back)
// the next ID is the previous one plus one, so messages sent in a burst keep
// their order.
func NewMessageID(t time.Time) MessageID {
	var id MessageID
	var ms [8]byte
	binary.BigEndian.PutUint64(ms[:], uint64(t.UnixMilli()))
	copy(id[:6], ms[2:])
	if _, err := rand.Read(id[6:]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	id[6] &= 0x7f // leave room to count up within a millisecond
	lastIDMu.Lock()
	defer lastIDMu.Unlock()
	if bytes.Compare(id[:6], lastID[:6]) <= 0 {
		id = lastID
		for i := len(id) - 1; i >= 0; i-- {
			id[i]++
			if id[i] != 0 {
				break
			}
		}
	}
	lastID = id
	return id
}

// Time returns the creation time encoded in the ID.
func (id MessageID) Time() time.Time {
	var ms [8]byte
	copy(ms[2:], id[:6])
	return time.UnixMilli(int64(binary.BigEndian.Uint64(ms[:])))
}

// String is the 32-character lowercase hex form.
func (id MessageID) String() string { return hex.EncodeToString(id[:]) }

// IsZero reports whether the ID is unset.
func (id MessageID) IsZero() bool { return id == MessageID{} }

// ParseMessageID parses the hex form.
func ParseMessageID(s string) (MessageID, error) {
	var id MessageID
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != len(id) {
		return id, fmt.Errorf("parse message id %q: want 32 hex characters", s)
	}
	copy(id[:], b)
	return id, nil
}

// MessageIDFromBytes converts a wire field.
func MessageIDFromBytes(b []byte) (MessageID, error) {
	var id MessageID
	if len(b) != len(id) {
		return id, fmt.Errorf("message id: %d bytes, want %d", len(b), len(id))
	}
	copy(id[:], b)
	return id, nil
}

// Account is an account's 32-byte Ed25519 public key. protocol/identity
// gives it a text form; storage only needs the bytes.
type Account = [32]byte

// Direction says who wrote a message.
type Direction uint8

const (
	Incoming Direction = iota + 1
	Outgoing
)

func (d Direction) String() string {
	switch d {
	case Incoming:
		return "in"
	case Outgoing:
		return "out"
	}
	return "unknown"
}

// State is a message's delivery state. Outgoing messages move
// Pending → Sent → Delivered → Read; incoming ones are Received, then Read.
// States only move forward.
type State uint8

const (
	Pending State = iota + 1
	Sent
	Delivered
	Read
	Received
	Failed
)

func (s State) String() string {
	switch s {
	case Pending:
		return "pending"
	case Sent:
		return "sent"
	case Delivered:
		return "delivered"
	case Read:
		return "read"
	case Received:
		return "received"
	case Failed:
		return "failed"
	}
	return "unknown"
}

// Rank orders states so that updates only move forward (Failed, set only
// on a pending message, ranks lowest: a late delivery still counts). Received ranks with
// Delivered (an incoming message is on this device) and both lead to Read.
func (s State) Rank() int {
	switch s {
	case Pending:
		return 1
	case Sent:
		return 2
	case Delivered, Received:
		return 3
	case Read:
		return 4
	case Failed:
		return 0
	}
	return -1
}

// Message is one entry in a conversation's history.
type Message struct {
	ID MessageID
	// Peer names the conversation: the other account of a 1:1 chat, or the
	// group ID when Group is set.
	Peer Account
	// Group marks a group message. Group IDs and account keys share the
	// conversation key space; they cannot collide (a group ID is a hash).
	Group        bool
	Sender       Account
	SenderDevice uint32
	Direction    Direction
	Text         string
	SentAt       time.Time // sender's clock
	StoredAt     time.Time // local clock when inserted
	State        State

	// Kind says what the entry is: a message people wrote, or a notice
	// the conversation shows (a disappearing-messages timer change).
	Kind MessageKind
	// ReplyTo is the message this one quotes, zero for none.
	ReplyTo MessageID
	// Edits counts the author's edits applied to Text (0 for none, at
	// most 10); EditedAt is the newest one's time by the author's clock.
	Edits    uint8
	EditedAt time.Time
	// ExpireAfter is the conversation's disappearing-messages timer when
	// the message was sent, 0 for none. ExpiresAt is the deadline once
	// the countdown started (at send for outgoing messages, at the first
	// read on any device for incoming ones), zero before.
	ExpireAfter time.Duration
	ExpiresAt   time.Time
}

// IndexChange is a message whose search entry may be stale: it was
// inserted, edited, deleted or got an attachment in the store's change
// Seq (see storage/search, "Keeping up with the store").
type IndexChange struct {
	ID  MessageID
	Seq uint64
}

// MessageKind says what a history entry is.
type MessageKind uint8

const (
	// KindMessage is a message someone wrote (text or file).
	KindMessage MessageKind = iota
	// KindTimerNotice records a change of the conversation's
	// disappearing-messages timer; Text describes it.
	KindTimerNotice
	// KindDeviceNotice records that the peer's account added or removed
	// a device (Text says which); this device's own, not in the account
	// log.
	KindDeviceNotice
)

// Conversation summarises one chat: 1:1 with Peer, or the group Peer when
// Last.Group is set.
type Conversation struct {
	Peer   Account
	Last   Message
	Unread int
}

// Contact is an account the user knows.
type Contact struct {
	Account  Account
	Name     string
	AddedAt  time.Time
	Verified bool // the user compared safety numbers
	// IdentityChangedAt is set when a device identity of the contact changed
	// since the user last verified or acknowledged it.
	IdentityChangedAt time.Time
}

// OutboxItem is one logical message waiting to reach every device of
// Recipient (and the sender's own other devices).
type OutboxItem struct {
	ID        MessageID
	Recipient Account
	// Content is the marshaled plaintext pb.Content; it is encrypted per
	// device at each attempt.
	Content     []byte
	Attempts    int
	NextAttempt time.Time
	CreatedAt   time.Time
	// Done lists device IDs that have acknowledged the message, or whose
	// relay took custody of it.
	Done []uint32
	// Custody lists the devices of Done that only a relay holds the
	// message for (not delivered to the device yet).
	Custody []uint32
	// Receipt marks receipts and other control messages that have no
	// history entry of their own.
	Receipt bool
	// Expires, when set, marks a disappearing message's copy (the message
	// itself, or an account op carrying it): relays are asked to keep it
	// no later than this, and it is not deposited after it.
	Expires time.Time
}

// Custody is an outgoing message (or receipt) that relays hold for some
// devices of its recipient: handed over, with a custody receipt, but not
// yet known to have reached those devices. The sender keeps it so that it
// can hand the message over again when the recipient stops using those
// relays.
type Custody struct {
	ID        MessageID
	Recipient Account
	// Content is the marshaled plaintext pb.Content, as in the outbox.
	Content []byte
	Receipt bool
	Devices []CustodyDevice
}

// CustodyDevice says which relays hold a message for one device.
type CustodyDevice struct {
	Device uint32
	// ListVersion is the version of the recipient's device list the
	// message was deposited with.
	ListVersion uint64
	// Relays are the binary peer IDs of the relays that gave a custody
	// receipt.
	Relays []string
	// Until is the latest time those relays promised to keep it.
	Until time.Time
}

// LocalIdentity is this node's own key material, written once at init.
type LocalIdentity struct {
	AccountSeed    []byte // 32-byte Ed25519 seed of the account key
	DeviceID       uint32
	PeerKey        []byte // libp2p crypto.MarshalPrivateKey of the device host key
	SignalPublic   []byte // 33-byte serialized Signal identity public key
	SignalPrivate  []byte // 32-byte Signal identity private key
	RegistrationID uint32
	Certificate    []byte // marshaled pb.Signed device certificate
	// DeviceListVersion is the version of the last device list this node
	// signed; the next one must be higher.
	DeviceListVersion uint64
}
