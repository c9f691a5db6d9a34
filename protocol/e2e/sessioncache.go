package e2e

import (
	"bytes"
	"context"
	"sync"

	sigid "go.mau.fi/libsignal/keys/identity"
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

// cachedSessions keeps the live session record of one address for one
// transaction attempt. libsignal loads and stores the record around every
// message; here the loads return the live record and the stores only note
// it, and flush writes it once at the end of the attempt (so a batch of
// messages serializes the record once).
type cachedSessions struct {
	Store
	addr  *protocol.SignalAddress
	live  *record.Session // the record in use, if loaded or stored
	saved bool            // live came from the cache, so the store has it
	dirty bool            // live differs from the stored record
}

// reset starts an attempt from r (a record taken from the cache, or nil to
// load from the store).
func (s *cachedSessions) reset(r *record.Session) {
	s.live, s.saved, s.dirty = r, r != nil, false
}

func (s *cachedSessions) mine(addr *protocol.SignalAddress) bool {
	return addr.Name() == s.addr.Name() && addr.DeviceID() == s.addr.DeviceID()
}

func (s *cachedSessions) LoadSession(ctx context.Context, addr *protocol.SignalAddress) (*record.Session, error) {
	if !s.mine(addr) {
		return s.Store.LoadSession(ctx, addr)
	}
	if s.live == nil {
		r, err := s.Store.LoadSession(ctx, addr)
		if err != nil {
			return nil, err
		}
		s.live = r
	}
	return s.live, nil
}

func (s *cachedSessions) ContainsSession(ctx context.Context, addr *protocol.SignalAddress) (bool, error) {
	if s.mine(addr) && (s.saved || s.dirty) {
		return true, nil
	}
	return s.Store.ContainsSession(ctx, addr)
}

func (s *cachedSessions) StoreSession(ctx context.Context, addr *protocol.SignalAddress, r *record.Session) error {
	if !s.mine(addr) {
		return s.Store.StoreSession(ctx, addr, r)
	}
	s.live, s.dirty = r, true
	return nil
}

// flush writes the live record if it changed.
func (s *cachedSessions) flush(ctx context.Context) error {
	if !s.dirty {
		return nil
	}
	s.dirty = false
	return s.Store.StoreSession(ctx, s.addr, s.live)
}

// certifies reports whether the live record came from the cache and its
// session is with the identity key want. Sessions are only stored with the
// saved identity of their address, and replacing an identity drops the
// cached record, so this answers the saved-identity check without a read.
func (s *cachedSessions) certifies(want []byte) bool {
	if !s.saved || s.live == nil {
		return false
	}
	st := s.live.SessionState()
	if st == nil || st.RemoteIdentityKey() == nil || st.RemoteIdentityKey().PublicKey() == nil {
		return false
	}
	return bytes.Equal(st.RemoteIdentityKey().Serialize(), want)
}

// IsTrustedIdentity and SaveIdentity answer from the cached session when it
// is with exactly key (see certifies): libsignal asks on every message.
func (s *cachedSessions) IsTrustedIdentity(ctx context.Context, addr *protocol.SignalAddress, key *sigid.Key) (bool, error) {
	if s.mine(addr) && key != nil && key.PublicKey() != nil && s.certifies(key.Serialize()) {
		return true, nil
	}
	return s.Store.IsTrustedIdentity(ctx, addr, key)
}

func (s *cachedSessions) SaveIdentity(ctx context.Context, addr *protocol.SignalAddress, key *sigid.Key) error {
	if s.mine(addr) && key != nil && key.PublicKey() != nil && s.certifies(key.Serialize()) {
		return nil // already saved: it is the session's identity
	}
	return s.Store.SaveIdentity(ctx, addr, key)
}
