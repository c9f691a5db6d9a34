package mailbox

import (
	"context"
	"fmt"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/pigeon-net/pigeon/protocol/identity"
)

var (
	// ErrQuotaCount is returned by Store.Deposit when the account's count
	// quota is reached.
	ErrQuotaCount = fmt.Errorf("%w: count", ErrQuotaExceeded)
	// ErrQuotaBytes is returned by Store.Deposit when the account's byte
	// quota is reached.
	ErrQuotaBytes = fmt.Errorf("%w: bytes", ErrQuotaExceeded)
)

// DepositID names one deposit; the sender chooses it.
type DepositID [16]byte

// Box names one mailbox: a device of an account.
type Box struct {
	Account identity.AccountID
	Device  uint32
}

// Registration is a device's live registration with this relay.
type Registration struct {
	Box
	PeerID    peer.ID
	Sequence  uint64
	ExpiresAt time.Time
	// Push is the device's push endpoint (a marshaled pb.PushEndpoint), or
	// nil.
	Push []byte
	// Invite is the token the device presented (checked by the service's
	// admission function, not stored).
	Invite string
	// ListVersion is the version of the device list the device registered
	// with: deposits naming an older one are refused (ErrStaleList).
	ListVersion uint64
	// DepositKeys are the SHA-256 digests of the deposit credentials the
	// box accepts (at most MaxDepositKeys). With none, every deposit counts
	// as credentialed.
	DepositKeys [][32]byte
	// QuietKeys are digests of further credentials the box accepts, whose
	// deposits wake nobody (Stored.Quiet): the device's muted contacts
	// hold the secret making them. At most MaxDepositKeys.
	QuietKeys [][32]byte
}

// Closing is a device's signed request to close its box at this relay.
type Closing struct {
	Box
	PeerID peer.ID
	// Sequence is above the sequence of the registration it ends; a
	// registration with a higher one reopens the box.
	Sequence uint64
	ClosedAt time.Time
	// Until is how long the relay remembers the box is closed when it has
	// no registration to take the expiry from (the service sets it).
	Until time.Time
}

// Quota bounds what one account (all its devices together) may hold.
type Quota struct {
	MaxCount int
	MaxBytes int64
	// StrangerCount and StrangerBytes bound the part of it that deposits
	// without a valid credential may hold together (for a box whose
	// registration names deposit keys).
	StrangerCount int
	StrangerBytes int64
}

// NewDeposit is one envelope for the Store to queue.
type NewDeposit struct {
	Box      Box
	ID       DepositID
	Envelope []byte
	// ListVersion is the version of the recipient's device list the sender
	// used; 0: unknown (not checked).
	ListVersion uint64
	// CredentialKey is SHA-256 of the credential the sender presented; nil
	// when it presented none.
	CredentialKey *[32]byte
	// StrangerAllowed says the deposit may go in without a valid credential
	// (its sender has room in its own stranger quota); otherwise such a
	// deposit is refused with ErrNoCredential.
	StrangerAllowed bool
	// Kept marks the relay's own deposits (Keep): no list or credential
	// check.
	Kept bool
	// TTL, when positive, is how long the depositor wants the envelope
	// kept at most (a disappearing message's timer): the Store keeps it
	// for the shorter of TTL and its own TTL.
	TTL time.Duration
}

// Stored says where a deposit went.
type Stored struct {
	Seq         uint64
	DepositedAt time.Time
	StoredUntil time.Time
	// Duplicate is set when the same deposit ID with the same envelope was
	// stored before; the first deposit's values are returned.
	Duplicate bool
	// Stranger is set when the deposit was taken without a valid credential
	// (it counts against the strangers' share of the quota).
	Stranger bool
	// Quiet is set when its credential is one of the registration's
	// QuietKeys: the device is not woken for it.
	Quiet bool
}

// Item is one queued envelope.
type Item struct {
	Seq         uint64 // arrival order; strictly increasing within a box
	ID          DepositID
	Envelope    []byte
	DepositedAt time.Time
	StoredUntil time.Time
}

// PreKey is one one-time prekey bundle, opaque to the relay.
type PreKey struct {
	ID     uint32
	Bundle []byte
}

// Store is what the service needs from the relay's storage. Methods are
// safe for concurrent use.
type Store interface {
	// Register stores reg, replacing the box's previous registration, if
	// reg.Sequence is above the stored one and above the sequence of the
	// box's closing, if it was closed (which it reopens); otherwise it
	// returns an error wrapping ErrReplay. The record may vanish after
	// reg.ExpiresAt.
	Register(ctx context.Context, reg Registration) error
	// Registration returns the box's registration, or an error wrapping
	// ErrNotRegistered.
	Registration(ctx context.Context, box Box) (Registration, error)
	// Deposit queues d.Envelope for d.Box under q and returns once it is
	// durable (the relay signs a custody receipt on return). The box must
	// be registered (ErrNotRegistered), and not closed since (ErrBoxClosed).
	// A deposit naming an older device list than the registration's is
	// ErrStaleList. A deposit ID already queued for the box with the same
	// envelope returns the first deposit with Duplicate set; with another
	// envelope it is an error wrapping ErrReplay. When the registration
	// names deposit keys, a deposit whose credential key is not one of them
	// is a stranger's: refused with ErrNoCredential unless
	// d.StrangerAllowed and the strangers' share of q has room. Quota
	// overflow is ErrQuotaCount or ErrQuotaBytes.
	Deposit(ctx context.Context, d NewDeposit, q Quota) (Stored, error)
	// CloseBox ends the box's registration if c.Sequence is above it (else
	// ErrReplay), drops its queue and prekeys and remembers the box is
	// closed until the registration would have expired (c.Until without
	// one), so deposits get ErrBoxClosed; a later registration reopens it.
	// It returns the IDs of the deposits it dropped.
	CloseBox(ctx context.Context, c Closing) ([]DepositID, error)
	// Fetch returns up to max items of box with Seq > after, in order, of
	// at most maxBytes envelope bytes in all (but at least one item), and
	// whether more follow.
	Fetch(ctx context.Context, box Box, after uint64, max, maxBytes int) ([]Item, bool, error)
	// Ack deletes the box's items with these IDs and returns how many were
	// queued. Unknown IDs are skipped.
	Ack(ctx context.Context, box Box, ids []DepositID) (int, error)
	// PutPreKeys adds one-time prekeys (after dropping the old ones when
	// replace is set) and replaces the signed-prekey bundle when signed is
	// not empty. The pool holds at most max one-time prekeys
	// (ErrPreKeyPoolFull). It returns how many one-time prekeys are left.
	PutPreKeys(ctx context.Context, box Box, oneTime []PreKey, signed []byte, replace bool, max int) (int, error)
	// TakePreKey removes and returns one one-time prekey (oneTime true), or
	// returns the signed-prekey bundle when none are left (ID 0), or an
	// error wrapping ErrNoPreKeys.
	TakePreKey(ctx context.Context, box Box) (pk PreKey, oneTime bool, err error)
	// PreKeysLeft returns how many one-time prekeys the box holds.
	PreKeysLeft(ctx context.Context, box Box) (int, error)
}
