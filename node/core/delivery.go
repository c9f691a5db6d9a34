package core

import "time"

// Codes of PendingReason.
const (
	// PendingResolving: no attempt finished yet (the outbox is looking the
	// recipient up, or the message waits behind earlier ones).
	PendingResolving = "resolving"
	// PendingUnknownAccount: the recipient's device list is not in the DHT
	// (not published yet, or the network the node is in does not reach it).
	PendingUnknownAccount = "unknown_account"
	// PendingNoRelay: no device of the recipient answers and its device
	// list names no relay to leave the message at.
	PendingNoRelay = "no_relay"
	// PendingRelaysUnreachable: no device answers and none of the
	// recipient's relays could be reached either.
	PendingRelaysUnreachable = "relays_unreachable"
	// PendingRelayRefused: no device answers and the recipient's relays
	// refused the deposit (quota, not registered, ...).
	PendingRelayRefused = "relay_refused"
	// PendingCopying: the recipient's relays are copying the message's
	// file before they take the message.
	PendingCopying = "copying"
	// PendingIdentityChanged: the recipient's identity changed since the
	// user verified it; sending waits until it is verified again.
	PendingIdentityChanged = "identity_changed"
	// PendingRefused: a device of the recipient refused the message (an
	// error code in its ack).
	PendingRefused = "refused"
	// PendingError: any other failure; the outbox retries.
	PendingError = "error"
)

// PendingReason says why an outgoing message is still pending.
type PendingReason struct {
	Code string // one of the Pending* codes
	Text string // one short sentence for people
	// Attempts is how many due attempts failed, and NextAttempt when the
	// outbox tries again (earlier when one of the recipient's devices or
	// relays connects); both zero before the first attempt.
	Attempts    int
	NextAttempt time.Time
}

func (r PendingReason) String() string { return r.Text }

// ReceiptReceived is published when a contact's device sends a delivery or
// read receipt.
type ReceiptReceived struct {
	From   AccountID
	Device uint32
	Read   bool // false: delivery receipt
	IDs    []MessageID
}

// MessagePending is published when the reason outgoing messages to Peer
// wait changes (see PendingReason): IDs are the messages queued for Peer.
type MessagePending struct {
	IDs    []MessageID
	Peer   AccountID
	Reason PendingReason
}

func (ReceiptReceived) EventName() string { return "receipt" }
func (MessagePending) EventName() string  { return "message_pending" }
