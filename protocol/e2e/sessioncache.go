package e2e

import (
	"context"
	"sync"

	"go.mau.fi/libsignal/protocol"
	"go.mau.fi/libsignal/state/record"
)

// maxCachedSessions bounds the session cache.
const maxCachedSessions = 1024

// sessionCache keeps the live session record of recently used addresses so
// Encrypt and Decrypt skip deserializing it (JSON, the largest cost after the
// cipher itself). Records are still written through to the store on every
// change.
//
// libsignal mutates a record before it has checked the MAC, so a cached
// record may only be reused after the transaction that used it committed:
// every Encrypt and Decrypt takes the record out of the cache (take) while
// it holds the per-address lock and puts it back (put) only after a
// successful commit. Anything that fails leaves the cache without it and the
// next use reloads from the store.
type sessionCache struct {
	mu sync.Mutex // guards m
	m  map[Address]*record.Session
}

func (c *sessionCache) take(a Address) *record.Session {
	c.mu.Lock()
	defer c.mu.Unlock()
	r := c.m[a]
	delete(c.m, a)
	return r
}

func (c *sessionCache) put(a Address, r *record.Session) {
	if r == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = make(map[Address]*record.Session)
	}
	if len(c.m) >= maxCachedSessions {
		for k := range c.m { // evict an arbitrary entry
			delete(c.m, k)
			break
		}
	}
	c.m[a] = r
}

func (c *sessionCache) has(a Address) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m[a] != nil
}

func (c *sessionCache) drop(a Address) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.m, a)
}

// cachedSessions serves LoadSession for one address from a record taken out
// of the cache, and remembers the record stored, for one transaction attempt.
type cachedSessions struct {
	Store
	addr   *protocol.SignalAddress
	cached *record.Session // from the cache, used once
	stored *record.Session // what the attempt stored
}

func (s *cachedSessions) LoadSession(ctx context.Context, addr *protocol.SignalAddress) (*record.Session, error) {
	if s.cached != nil && addr.String() == s.addr.String() {
		r := s.cached
		s.cached = nil
		return r, nil
	}
	return s.Store.LoadSession(ctx, addr)
}

func (s *cachedSessions) ContainsSession(ctx context.Context, addr *protocol.SignalAddress) (bool, error) {
	if s.cached != nil && addr.String() == s.addr.String() {
		return true, nil
	}
	return s.Store.ContainsSession(ctx, addr)
}

func (s *cachedSessions) StoreSession(ctx context.Context, addr *protocol.SignalAddress, r *record.Session) error {
	if err := s.Store.StoreSession(ctx, addr, r); err != nil {
		return err
	}
	if addr.String() == s.addr.String() {
		s.stored = r
	}
	return nil
}
