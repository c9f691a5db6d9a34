package delivery

import "time"

// SetAckTimeout shortens the ack timeout for a test and returns a restore
// function.
func SetAckTimeout(d time.Duration) func() {
	old := ackTimeout
	ackTimeout = d
	return func() { ackTimeout = old }
}
