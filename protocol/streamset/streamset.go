// Package streamset tracks the inbound streams a protocol service is
// handling, so that stopping the service refuses new streams, resets the
// open ones and waits for their handlers to return.
package streamset

import (
	"sync"

	"github.com/libp2p/go-libp2p/core/network"
)

// Set is a set of streams being handled. The zero value is ready to use.
type Set struct {
	mu      sync.Mutex // guards streams and closed
	streams map[network.Stream]struct{}
	closed  bool
	wg      sync.WaitGroup
}

// Add registers s before its handler runs; false means the set is closed
// and the handler must reset s and return.
func (set *Set) Add(s network.Stream) bool {
	set.mu.Lock()
	defer set.mu.Unlock()
	if set.closed {
		return false
	}
	if set.streams == nil {
		set.streams = make(map[network.Stream]struct{})
	}
	set.streams[s] = struct{}{}
	set.wg.Add(1)
	return true
}

// Done unregisters s when its handler returns.
func (set *Set) Done(s network.Stream) {
	set.mu.Lock()
	delete(set.streams, s)
	set.mu.Unlock()
	set.wg.Done()
}

// Close refuses new streams, resets the open ones and waits until every
// handler has called Done. It may be called more than once.
func (set *Set) Close() {
	set.mu.Lock()
	set.closed = true
	for s := range set.streams {
		_ = s.Reset()
	}
	set.mu.Unlock()
	set.wg.Wait()
}
