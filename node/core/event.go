package core

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
