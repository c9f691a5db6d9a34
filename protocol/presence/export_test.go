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
