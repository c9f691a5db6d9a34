package e2e

import "sync"

// addrLocks is a set of mutexes keyed by address. An entry exists only while
// some goroutine holds or waits for it.
type addrLocks struct {
	mu sync.Mutex // guards m
	m  map[Address]*addrLock
}

type addrLock struct {
	mu   sync.Mutex
	refs int // goroutines holding or waiting; guarded by addrLocks.mu
}

// lock acquires the mutex for key and returns its release function.
func (l *addrLocks) lock(key Address) (unlock func()) {
	l.mu.Lock()
	if l.m == nil {
		l.m = make(map[Address]*addrLock)
	}
	e := l.m[key]
	if e == nil {
		e = &addrLock{}
		l.m[key] = e
	}
	e.refs++
	l.mu.Unlock()

	e.mu.Lock()
	return func() {
		e.mu.Unlock()
		l.mu.Lock()
		e.refs--
		if e.refs == 0 {
			delete(l.m, key)
		}
		l.mu.Unlock()
	}
}

// size returns the number of live entries (for tests).
func (l *addrLocks) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.m)
}
