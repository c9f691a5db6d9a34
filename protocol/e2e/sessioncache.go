package e2e

import (
	"bytes"
	"context"
	"errors"
	"sync"

	sigid "go.mau.fi/libsignal/keys/identity"
	"go.mau.fi/libsignal/protocol"
	"go.mau.fi/libsignal/session"
	"go.mau.fi/libsignal/signalerror"
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
	s.live, s.dirty = dedupeStates(r), true
	return nil
}

// dedupeStates repairs a record in which libsignal's DecryptWithRecord
// promoted an archived state: it removes the state from the record's own
// slice in place (append(prev[:i], prev[i+1:]...)) without shortening it,
// so the last archived state ends up listed twice, or the promoted state
// stays archived beside being current. Stored, the two entries become two
// copies that drift apart, and the stale one, promoted in its turn, sends
// with message keys its twin already used: the peer refuses those messages
// as replays ("old counter") and one key has encrypted two messages. Both
// sides starting a session at once (each then archives and promotes the
// other's) hit this within a few messages. The result lists every state
// once, the current one not among the archived, in the order libsignal
// meant.
func dedupeStates(r *record.Session) *record.Session {
	if r == nil || r.SessionState() == nil || len(r.PreviousSessionStates()) == 0 {
		return r
	}
	prev := r.PreviousSessionStates()
	seen := make(map[*record.State]bool, len(prev)+1)
	seen[r.SessionState()] = true
	keep := make([]int, 0, len(prev))
	for i, p := range prev {
		if !seen[p] {
			seen[p] = true
			keep = append(keep, i)
		}
	}
	if len(keep) == len(prev) {
		return r
	}
	st := r.Structure()
	clean := make([]*record.StateStructure, 0, len(keep))
	for _, i := range keep {
		clean = append(clean, st.PreviousStates[i])
	}
	st.PreviousStates = clean
	fixed, err := record.NewSessionFromStructure(st, ser.Session, ser.State)
	if err != nil {
		return r
	}
	return fixed
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

// preselect makes current, before libsignal decrypts p, the state that
// reads it. libsignal tries the current state, then each archived one, on
// the states themselves: a trial on a wrong state ratchets it with the
// message's key before the MAC check fails, and that damage is stored
// with the state that did decrypt (libsignal-java tries on copies). The
// damaged state then reads nothing its peer sends with it: after both
// sides started a session at once, each side's messages in the other's
// session stop decrypting ("no valid sessions"). A message that continues
// the current state's chains, a new session, or a record without archived
// states needs no choice; otherwise each state is tried on a copy, and the
// one that decrypts is promoted from its undamaged form, as libsignal
// would promote it.
func (s *cachedSessions) preselect(ctx context.Context, c *session.Cipher, p parsedMessage) error {
	msg := p.msg
	if p.pre != nil {
		msg = p.pre.WhisperMessage()
	}
	rec, err := s.LoadSession(ctx, s.addr)
	if err != nil {
		return err
	}
	if rec == nil || rec.SessionState() == nil || len(rec.PreviousSessionStates()) == 0 {
		return nil
	}
	if p.pre != nil && !rec.HasSessionState(int(p.pre.MessageVersion()), p.pre.BaseKey().Serialize()) {
		return nil // a new session: libsignal makes it current and reads with it
	}
	if cur := rec.SessionState(); cur.HasSenderChain() && cur.HasReceiverChain(msg.SenderRatchetKey()) {
		return nil
	}
	st := rec.Structure()
	states := append([]*record.StateStructure{st.SessionState}, st.PreviousStates...)
	for i, ss := range states {
		trial, err := record.NewStateFromBytes(ser.State.Serialize(ss), ser.State)
		if err != nil {
			return err
		}
		copied, err := cloneSignalMessage(msg)
		if err != nil {
			return err
		}
		_, _, err = c.DecryptWithState(ctx, trial, copied)
		if errors.Is(err, signalerror.ErrOldCounter) {
			return nil // libsignal reports it
		}
		if err != nil {
			continue
		}
		if i == 0 {
			return nil
		}
		prev := append([]*record.StateStructure{states[0]}, states[1:i]...)
		prev = append(prev, states[i+1:]...)
		promoted, err := record.NewSessionFromStructure(&record.SessionStructure{SessionState: ss, PreviousStates: prev}, ser.Session, ser.State)
		if err != nil {
			return err
		}
		s.live, s.dirty = promoted, true
		return nil
	}
	return nil // no state reads it: libsignal fails as it would
}

// cloneSignalMessage copies m with its own buffers (libsignal decrypts in
// place).
func cloneSignalMessage(m *protocol.SignalMessage) (*protocol.SignalMessage, error) {
	st := m.Structure()
	st.RatchetKey = bytes.Clone(st.RatchetKey)
	st.CipherText = bytes.Clone(st.CipherText)
	st.Mac = bytes.Clone(st.Mac)
	return protocol.NewSignalMessageFromStruct(st, ser.SignalMessage)
}
