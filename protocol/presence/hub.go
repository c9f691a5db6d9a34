package presence

import (
	"bytes"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/protocol"

	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/protocol/streamset"
)

// ProtocolID is the libp2p protocol of presence.
const ProtocolID protocol.ID = "/pigeon/presence/1"

// ServiceName is the resource manager service of the hub's streams.
const ServiceName = "pigeon.presence"

// Hub is the relay side of presence: it holds every account's presence in
// memory, answers queries and pushes changes to subscribed streams.
//
// Lock order: Hub.mu before session.mu.
type Hub struct {
	h   host.Host
	cfg *hubConfig
	log *slog.Logger

	mu       sync.RWMutex // guards accounts, every entry, every session.subs and closed
	accounts map[identity.AccountID]*entry
	closed   bool

	streams streamset.Set
	done    chan struct{}  // closed by Close; stops the sweeper
	wg      sync.WaitGroup // the sweeper
}

// entry is one account's presence. Kept small: the hub holds one per
// account it has seen or that someone watches.
//
// Field order and the pointer to the allowed list keep it at 32 bytes.
type entry struct {
	lastSeen int64                 // unix ms of the last frame of the account's last stream to end; 0 = never
	allowed  *[]identity.AccountID // sorted; Contacts only, else nil
	subs     map[*session]struct{} // streams watching the account; nil when none
	online   int32                 // announcing streams of the account
	vis      Visibility
}

// setPrivacy sets the account's privacy setting.
func (e *entry) setPrivacy(p Privacy) {
	e.vis, e.allowed = p.Visibility, nil
	if len(p.Allowed) > 0 {
		e.allowed = &p.Allowed
	}
}

// NewHub registers the presence stream handler on h.
func NewHub(h host.Host, opts ...HubOption) (*Hub, error) {
	cfg, err := newHubConfig(opts)
	if err != nil {
		return nil, err
	}
	hub := &Hub{
		h:        h,
		cfg:      cfg,
		log:      cfg.log,
		accounts: make(map[identity.AccountID]*entry),
		done:     make(chan struct{}),
	}
	hub.wg.Add(1)
	go hub.sweep()
	h.SetStreamHandler(ProtocolID, hub.handle)
	return hub, nil
}

// Close removes the stream handler, resets every presence stream and waits
// for every goroutine of the hub. A second call returns ErrClosed.
func (hub *Hub) Close() error {
	hub.mu.Lock()
	if hub.closed {
		hub.mu.Unlock()
		return ErrClosed
	}
	hub.closed = true
	hub.mu.Unlock()
	hub.h.RemoveStreamHandler(ProtocolID)
	close(hub.done)
	hub.streams.Close()
	hub.wg.Wait()
	return nil
}

// Lookup returns the presence of target as asker may see it, as a query
// would; the relay's own API can use it.
func (hub *Hub) Lookup(target, asker identity.AccountID) Presence {
	hub.mu.RLock()
	defer hub.mu.RUnlock()
	return presenceFromPB(hub.accounts[target].info(target, asker))
}

// Tracked returns the number of accounts the hub holds an entry for.
func (hub *Hub) Tracked() int {
	hub.mu.RLock()
	defer hub.mu.RUnlock()
	return len(hub.accounts)
}

// info is target's presence as asker may see it; e may be nil.
func (e *entry) info(target, asker identity.AccountID) *pb.PresenceInfo {
	info := &pb.PresenceInfo{Account: bytes.Clone(target[:])}
	if e == nil || !e.visibleTo(target, asker) {
		return info
	}
	switch {
	case e.online > 0:
		info.State = pb.PresenceState_PRESENCE_STATE_ONLINE
	case e.lastSeen > 0:
		info.State = pb.PresenceState_PRESENCE_STATE_OFFLINE
		info.LastSeenMs = e.lastSeen
	}
	return info
}

func (e *entry) visibleTo(target, asker identity.AccountID) bool {
	if asker == target {
		return true
	}
	switch e.vis {
	case Everyone:
		return true
	case Contacts:
		if e.allowed == nil {
			return false
		}
		return watches(*e.allowed, asker)
	}
	return false
}

// compareAccounts orders account IDs bytewise.
func compareAccounts(a, b identity.AccountID) int { return bytes.Compare(a[:], b[:]) }

// watches reports whether the sorted list holds a.
func watches(sorted []identity.AccountID, a identity.AccountID) bool {
	_, ok := slices.BinarySearchFunc(sorted, a, compareAccounts)
	return ok
}

// idle reports whether the entry holds nothing worth keeping.
func (e *entry) idle() bool { return e.online == 0 && e.lastSeen == 0 && len(e.subs) == 0 }

// notify marks account dirty on every stream watching it. Caller holds mu.
func (e *entry) notify(account identity.AccountID) {
	for s := range e.subs {
		s.markDirty(account)
	}
}

// announce counts one more live device of s's account and sets its privacy.
func (hub *Hub) announce(s *session, p Privacy) {
	hub.mu.Lock()
	defer hub.mu.Unlock()
	e := hub.accounts[s.account]
	if e == nil {
		e = &entry{}
		hub.accounts[s.account] = e
	}
	e.online++
	e.setPrivacy(p)
	e.notify(s.account)
}

// setPrivacy changes the privacy of s's account.
func (hub *Hub) setPrivacy(s *session, p Privacy) {
	hub.mu.Lock()
	defer hub.mu.Unlock()
	if e := hub.accounts[s.account]; e != nil {
		e.setPrivacy(p)
		e.notify(s.account)
	}
}

// lookup is target's presence as s's account may see it.
func (hub *Hub) lookup(s *session, target identity.AccountID) *pb.PresenceInfo {
	hub.mu.RLock()
	defer hub.mu.RUnlock()
	return hub.accounts[target].info(target, s.account)
}

// subscribe replaces the accounts s watches and queues the current state of
// each.
func (hub *Hub) subscribe(s *session, accounts [][]byte) {
	next := make([]identity.AccountID, len(accounts))
	for i, a := range accounts {
		next[i] = account(a)
	}
	slices.SortFunc(next, compareAccounts)
	next = slices.Clip(slices.Compact(next))
	hub.mu.Lock()
	defer hub.mu.Unlock()
	for _, a := range s.subs {
		if !watches(next, a) {
			hub.unwatch(s, a)
		}
	}
	for _, a := range next {
		e := hub.accounts[a]
		if e == nil {
			e = &entry{}
			hub.accounts[a] = e
		}
		if e.subs == nil {
			e.subs = make(map[*session]struct{}, 1)
		}
		e.subs[s] = struct{}{}
		s.markDirty(a)
	}
	s.subs = next
}

// unwatch removes s from a's watchers. Caller holds mu.
func (hub *Hub) unwatch(s *session, a identity.AccountID) {
	e := hub.accounts[a]
	if e == nil {
		return
	}
	delete(e.subs, s)
	if len(e.subs) == 0 {
		e.subs = nil
	}
	if e.idle() {
		delete(hub.accounts, a)
	}
}

// leave forgets s: its subscriptions and, when it announced, one live
// device of its account, which goes offline with s's last frame as
// last-seen when it was the last.
func (hub *Hub) leave(s *session, announced bool) {
	hub.mu.Lock()
	defer hub.mu.Unlock()
	for _, a := range s.subs {
		hub.unwatch(s, a)
	}
	s.subs = nil
	if !announced {
		return
	}
	e := hub.accounts[s.account]
	if e == nil { // cannot happen: announce made it and online > 0 keeps it
		return
	}
	e.online--
	e.lastSeen = max(e.lastSeen, s.lastFrame.Load())
	if e.online == 0 {
		e.notify(s.account)
	}
}

// sweep forgets the last-seen time of accounts offline for longer than the
// retention.
func (hub *Hub) sweep() {
	defer hub.wg.Done()
	every := min(hub.cfg.retention/4, time.Hour)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-hub.done:
			return
		case now := <-t.C:
			hub.forget(now.Add(-hub.cfg.retention).UnixMilli())
		}
	}
}

// forget drops the last-seen times older than cutoff (unix ms).
func (hub *Hub) forget(cutoff int64) {
	hub.mu.Lock()
	defer hub.mu.Unlock()
	n := 0
	for a, e := range hub.accounts {
		if e.online > 0 || e.lastSeen == 0 || e.lastSeen >= cutoff {
			continue
		}
		n++
		e.lastSeen, e.vis, e.allowed = 0, Nobody, nil
		if e.idle() {
			delete(hub.accounts, a)
			continue
		}
		e.notify(a)
	}
	if n > 0 {
		hub.log.Debug("presence entries expired", "count", n)
	}
}
