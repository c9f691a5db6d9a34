package core

import "time"

// Event is implemented by every event a node publishes (node.Subscribe
// delivers them typed). EventName is the event's name in the local API's
// event stream, such as "message_received".
type Event interface {
	EventName() string
}

// MessageReceived is published after an incoming message (1:1 or group,
// text or file) is stored.
type MessageReceived struct {
	Message Message
}

// MessageStateChanged is published when a message moves to a new state
// (sent, delivered, read, failed).
type MessageStateChanged struct {
	ID    MessageID
	Chat  Chat
	State State
}

func (MessageReceived) EventName() string     { return "message_received" }
func (MessageStateChanged) EventName() string { return "message_state_changed" }

// HistorySync reports a pull of the account log from another device of
// this account (device Device): Done of Total operations applied so far
// (a new device's history transfer, or a device catching up). Err is set
// when the pull stopped early; it resumes when the devices meet again.
type HistorySync struct {
	Device uint32
	Done   int
	Total  int
	Err    string
}

func (HistorySync) EventName() string { return "history_sync" }

// MessageEdited is published when an edit of a message (1:1 or group)
// became its current text, from its author on any device.
type MessageEdited struct {
	ID       MessageID
	Chat     Chat
	Text     string
	Edits    int       // the version now shown (1..10)
	EditedAt time.Time // by the author's clock
}

// MessageDeleted is published when a message was deleted: for everyone
// (by its author, or a group admin where the group allows it) or for
// this account only (ForEveryone false).
type MessageDeleted struct {
	ID          MessageID
	Chat        Chat
	By          AccountID
	ForEveryone bool
}

// ReactionChanged is published when an account's reaction to a message
// changed; Emoji is empty when it was removed.
type ReactionChanged struct {
	ID      MessageID
	Chat    Chat
	Account AccountID
	Emoji   string
}

func (MessageEdited) EventName() string   { return "message_edited" }
func (MessageDeleted) EventName() string  { return "message_deleted" }
func (ReactionChanged) EventName() string { return "reaction_changed" }
