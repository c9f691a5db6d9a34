package storage

import "time"

// Deadline is an entry of the disappearing-messages deadline index: message
// ID of chat Chat (an account or a group ID) is due to disappear at At.
type Deadline struct {
	At   time.Time
	ID   MessageID
	Chat Account
}

// Countdown is an incoming disappearing message whose countdown a read of
// its chat starts: ExpireAfter is the sender's timer, ExpiresAt the
// deadline once started (zero before).
type Countdown struct {
	ID          MessageID
	ExpireAfter time.Duration
	ExpiresAt   time.Time
}
