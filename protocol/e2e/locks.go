package e2e

import "sync"

// keyLocks is a set of mutexes keyed by K. An entry exists only while some
// goroutine holds or waits for it.
type keyLocks[K comparable] struct {
	mu sync.Mutex // guards m
	m  map[K]*keyLock
}

// addrLocks serializes session operations per remote address.
type addrLocks = keyLocks[Address]

type keyLock struct {
	mu   sync.Mutex
	refs int // goroutines holding or waiting; guarded by keyLocks.mu
}

// lock acquires the mutex for key and returns its release function.
func (l *keyLocks[K]) lock(key K) (unlock func()) {
	l.mu.Lock()
	if l.m == nil {
		l.m = make(map[K]*keyLock)
	}
	e := l.m[key]
	if e == nil {
		e = &keyLock{}
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
func (l *keyLocks[K]) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.m)
}
