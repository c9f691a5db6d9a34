package expiry

import (
	"time"

	"github.com/pigeon-net/pigeon/node/core"
)

// TimerChanged is published when a chat's timer changed: set here, on
// another device of ours, or by the other side.
type TimerChanged struct {
	Chat   core.Chat
	After  time.Duration // 0: off
	Setter core.AccountID
}

// MessageExpired is published when a disappearing message reached its
// deadline and was removed.
type MessageExpired struct {
	ID   core.MessageID
	Chat core.Chat
}

func (TimerChanged) EventName() string   { return "timer_changed" }
func (MessageExpired) EventName() string { return "message_expired" }
