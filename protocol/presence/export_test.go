package presence

import "time"

// SetMinHeartbeat lowers the floor of the heartbeat interval for a test and
// returns a restore function.
func SetMinHeartbeat(d time.Duration) func() {
	old := minHeartbeat
	minHeartbeat = d
	return func() { minHeartbeat = old }
}

// AppendFrame exposes appendFrame to tests.
var AppendFrame = appendFrame

// WithClock makes the hub read the time from now (last-seen times,
// registrations, retention).
func WithClock(now func() time.Time) HubOption {
	return func(c *hubConfig) error { c.now = now; return nil }
}

// Sweep runs the hub's retention sweep now.
func Sweep(hub *Hub) { hub.forget() }
