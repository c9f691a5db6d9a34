package node

import "time"

func init() {
	// Group timers at test speed: the worker's round and the least time
	// between two repairs.
	groupTick = 2 * time.Second
	groupRepairEvery = 300 * time.Millisecond
}
