package core

import "time"

// Chat names a conversation: a 1:1 chat with an account, or a group.
// Exactly one of the two is set.
type Chat struct {
	Account AccountID // the other account of a 1:1 chat
	Group   GroupID   // or the group
}

// With returns the 1:1 chat with account a.
func With(a AccountID) Chat { return Chat{Account: a} }

// InGroup returns the chat of group g.
func InGroup(g GroupID) Chat { return Chat{Group: g} }

// IsGroup reports whether the chat is a group's.
func (c Chat) IsGroup() bool { return !c.Group.IsZero() }

// String returns the account's or the group's text form.
func (c Chat) String() string {
	if c.IsGroup() {
		return c.Group.String()
	}
	return c.Account.String()
}

// Direction says who wrote a message.
type Direction uint8

const (
	Incoming Direction = iota + 1 // written by someone else
	Outgoing                      // written on this account
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

// State is a message's delivery state. An outgoing message moves from
// Pending to Sent (a relay holds it for a recipient that is away),
// Delivered (on a device of the recipient) and Read, or ends Failed when
// nothing took it for the node's give-up time. An incoming message is
// Received, then Read. States only move forward.
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

// Message is one message of a conversation as this node holds it.
type Message struct {
	ID           MessageID
	Chat         Chat
	Sender       AccountID
	SenderDevice uint32
	Direction    Direction
	Text         string    // the text, or a file's caption
	SentAt       time.Time // by the sender's clock, millisecond precision
	StoredAt     time.Time // when this node stored it
	State        State

	// Kind is KindMessage for what someone wrote, KindTimerNotice for a
	// change of the chat's disappearing-messages timer (Text describes
	// it), KindDeviceNotice for a device the other account added or
	// removed.
	Kind MessageKind
	// ReplyTo is the message this one quotes, zero for none.
	ReplyTo MessageID
	// Edits counts the author's edits of Text (at most 10); EditedAt is
	// the newest one's time by the author's clock.
	Edits    int
	EditedAt time.Time
	// ExpireAfter is the disappearing-messages timer the message was sent
	// under, 0 for none; ExpiresAt is its deadline once the countdown
	// started (at send when outgoing, at the first read when incoming).
	ExpireAfter time.Duration
	ExpiresAt   time.Time
}

// MessageKind says what a history entry is.
type MessageKind uint8

const (
	// KindMessage is a message someone wrote: a text or a file.
	KindMessage MessageKind = iota
	// KindTimerNotice is a change of the disappearing-messages timer.
	KindTimerNotice
	// KindDeviceNotice says the chat's other account added or removed a
	// device (Text says which): a new device of theirs, say one restored
	// from a backup, gets the messages from now on. Each device notes it
	// on its own when it learns the account's new device list.
	KindDeviceNotice
)

func (k MessageKind) String() string {
	switch k {
	case KindMessage:
		return "message"
	case KindTimerNotice:
		return "timer"
	case KindDeviceNotice:
		return "device"
	}
	return "unknown"
}

// Conversation sums up one chat: its last message and how many received
// messages are unread.
type Conversation struct {
	Chat   Chat
	Last   Message
	Unread int
}
