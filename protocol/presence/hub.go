package presence

import (
	"bytes"
	"hash/maphash"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"

	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/protocol/streamset"
)

// ProtocolID is the libp2p protocol of presence.
const ProtocolID protocol.ID = "/pigeon/presence/1"

// ServiceName is the resource manager service of the hub's streams.
const ServiceName = "pigeon.presence"

// Hub is the relay side of presence: it holds the presence of the accounts
// that announce themselves in memory, answers queries and pushes changes
// to subscribed streams.
//
// What a stranger can make it hold is bounded: an account is tracked only
// once one of its devices announced itself (only registered devices may,
// given WithRegistry); a watch of an account the hub does not track costs
// the watching stream 32 bytes and nothing shared; watches are limited per
// stream, peer, account and in all (WithSubscriptionLimits); and the
// last-seen state of accounts that are offline is bounded in bytes
// (WithLastSeenBudget) and forgotten after the retention.
//
// Lock order: Hub.mu before session.mu.
type Hub struct {
	h    host.Host
	cfg  *hubConfig
	log  *slog.Logger
	seed maphash.Seed // keys the hashes of allowed lists

	mu       sync.RWMutex // guards every field below, every entry, and every session's subs
	accounts map[identity.AccountID]*entry
	offline  entryList // entries with no announcing stream, least recently listed first
	// offlineBytes is the estimated memory of the entries in offline.
	offlineBytes int64
	// watching holds the sessions watching at least one account;
	// peerWatches and accountWatches count the watches of the sessions of
	// each peer and account, watches all of them.
	watching       map[*session]struct{}
	peerWatches    map[peer.ID]int
	accountWatches map[identity.AccountID]int
	watches        int
	closed         bool

	streams streamset.Set
	done    chan struct{}  // closed by Close; stops the sweeper
	wg      sync.WaitGroup // the sweeper
}

// entry is the presence of one account a device announced. Accounts that
// are only watched have none.
type entry struct {
	account  identity.AccountID
	lastSeen int64 // unix ms of the last frame of the account's last stream to end; 0 while never
	// regUntil is the latest end of a registration of one of the account's
	// devices the registry reported (unix ms; 0: none known).
	regUntil int64
	// allowed holds the keyed hashes (Hub.hashAccount) of the accounts a
	// CONTACTS setting lists, sorted; nil otherwise.
	allowed    []uint64
	subs       map[*session]struct{} // streams watching the account; nil when none
	prev, next *entry                // neighbours in Hub.offline while listed
	listed     bool                  // in Hub.offline
	online     int32                 // announcing streams of the account
	vis        Visibility
}

// entryCost estimates the memory of an entry without its allowed list: the
// entry itself and its slot in Hub.accounts (measured by
// BenchmarkMemoryPerAccount).
const entryCost = 200

// cost is the entry's estimated memory.
func (e *entry) cost() int64 { return entryCost + 8*int64(cap(e.allowed)) }

// entryList is a doubly linked list of entries.
type entryList struct {
	front, back *entry
	len         int
}

func (l *entryList) pushBack(e *entry) {
	e.prev, e.next, e.listed = l.back, nil, true
	if l.back != nil {
		l.back.next = e
	} else {
		l.front = e
	}
	l.back = e
	l.len++
}

func (l *entryList) remove(e *entry) {
	if e.prev != nil {
		e.prev.next = e.next
	} else {
		l.front = e.next
	}
	if e.next != nil {
		e.next.prev = e.prev
	} else {
		l.back = e.prev
	}
	e.prev, e.next, e.listed = nil, nil, false
	l.len--
}

// NewHub registers the presence stream handler on h.
func NewHub(h host.Host, opts ...HubOption) (*Hub, error) {
	cfg, err := newHubConfig(opts)
	if err != nil {
		return nil, err
	}
	hub := newHub(h, cfg)
	hub.wg.Add(1)
	go hub.sweep()
	h.SetStreamHandler(ProtocolID, hub.handle)
	return hub, nil
}

// newHub makes a hub that serves nothing yet.
func newHub(h host.Host, cfg *hubConfig) *Hub {
	return &Hub{
		h:              h,
		cfg:            cfg,
		log:            cfg.log,
		seed:           maphash.MakeSeed(),
		accounts:       make(map[identity.AccountID]*entry),
		watching:       make(map[*session]struct{}),
		peerWatches:    make(map[peer.ID]int),
		accountWatches: make(map[identity.AccountID]int),
		done:           make(chan struct{}),
	}
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
	return presenceFromPB(hub.info(target, asker))
}

// Tracked returns the number of accounts the hub holds presence for
// (online, or offline with a last-seen time).
func (hub *Hub) Tracked() int {
	hub.mu.RLock()
	defer hub.mu.RUnlock()
	return len(hub.accounts)
}

// Watches returns the number of accounts the hub's streams watch, counted
// once per stream.
func (hub *Hub) Watches() int {
	hub.mu.RLock()
	defer hub.mu.RUnlock()
	return hub.watches
}

// info is target's presence as asker may see it. Caller holds mu.
func (hub *Hub) info(target, asker identity.AccountID) *pb.PresenceInfo {
	info := &pb.PresenceInfo{Account: bytes.Clone(target[:])}
	e := hub.accounts[target]
	if e == nil || !hub.visibleTo(e, asker) {
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

// visibleTo reports whether asker may see e's account. An allowed list
// holds 64-bit hashes keyed with a secret seed of this process: another
// account passes for a listed one with a chance of one in 2^64 per listed
// account, and nobody can search for one that does without the seed.
func (hub *Hub) visibleTo(e *entry, asker identity.AccountID) bool {
	if asker == e.account {
		return true
	}
	switch e.vis {
	case Everyone:
		return true
	case Contacts:
		_, ok := slices.BinarySearch(e.allowed, hub.hashAccount(asker))
		return ok
	}
	return false
}

func (hub *Hub) hashAccount(a identity.AccountID) uint64 { return maphash.Bytes(hub.seed, a[:]) }

// compareAccounts orders account IDs bytewise.
func compareAccounts(a, b identity.AccountID) int { return bytes.Compare(a[:], b[:]) }

// watches reports whether the sorted list holds a.
func watches(sorted []identity.AccountID, a identity.AccountID) bool {
	_, ok := slices.BinarySearchFunc(sorted, a, compareAccounts)
	return ok
}

// setPrivacy sets e's privacy setting. Caller holds mu; e is not listed.
func (hub *Hub) setPrivacy(e *entry, p Privacy) {
	e.vis, e.allowed = p.Visibility, nil
	if len(p.Allowed) > 0 {
		e.allowed = make([]uint64, len(p.Allowed))
		for i, a := range p.Allowed {
			e.allowed[i] = hub.hashAccount(a)
		}
		slices.Sort(e.allowed)
		e.allowed = slices.Clip(slices.Compact(e.allowed))
	}
}

// notify marks e's account dirty on every stream watching it. Caller holds
// mu.
func (e *entry) notify() {
	for s := range e.subs {
		s.markDirty(e.account)
	}
}

// announce counts one more live device of s's account, registered until
// regUntil (unix ms, 0: unknown), and sets its privacy.
func (hub *Hub) announce(s *session, p Privacy, regUntil int64) {
	hub.mu.Lock()
	defer hub.mu.Unlock()
	e := hub.accounts[s.account]
	if e == nil {
		e = &entry{account: s.account}
		hub.accounts[s.account] = e
		// Streams that watched the account before it was tracked.
		for w := range hub.watching {
			if watches(w.subs, e.account) {
				if e.subs == nil {
					e.subs = make(map[*session]struct{}, 1)
				}
				e.subs[w] = struct{}{}
			}
		}
	}
	hub.unlist(e)
	e.online++
	e.regUntil = max(e.regUntil, regUntil)
	hub.setPrivacy(e, p)
	e.notify()
}

// setAccountPrivacy changes the privacy of s's account.
func (hub *Hub) setAccountPrivacy(s *session, p Privacy) {
	hub.mu.Lock()
	defer hub.mu.Unlock()
	if e := hub.accounts[s.account]; e != nil && e.online > 0 {
		hub.setPrivacy(e, p)
		e.notify()
	}
}

// lookup is target's presence as s's account may see it.
func (hub *Hub) lookup(s *session, target identity.AccountID) *pb.PresenceInfo {
	hub.mu.RLock()
	defer hub.mu.RUnlock()
	return hub.info(target, s.account)
}

// subscribe replaces the accounts s watches and queues the current state of
// each. It returns the code to close the stream with when that would
// break a limit (OK otherwise), and leaves s as it was then.
func (hub *Hub) subscribe(s *session, accounts [][]byte) pb.ErrorCode {
	lim := hub.cfg.limits
	next := make([]identity.AccountID, len(accounts))
	for i, a := range accounts {
		next[i] = account(a)
	}
	slices.SortFunc(next, compareAccounts)
	next = slices.Clip(slices.Compact(next))
	hub.mu.Lock()
	defer hub.mu.Unlock()
	delta := len(next) - len(s.subs)
	switch {
	case len(next) > lim.PerStream, hub.peerWatches[s.peer]+delta > lim.PerPeer,
		hub.accountWatches[s.account]+delta > lim.PerAccount:
		return pb.ErrorCode_TOO_LARGE
	case hub.watches+delta > lim.Total:
		return pb.ErrorCode_RATE_LIMITED
	}
	for _, a := range s.subs {
		if !watches(next, a) {
			hub.unwatch(s, a)
		}
	}
	for _, a := range next {
		if e := hub.accounts[a]; e != nil {
			if e.subs == nil {
				e.subs = make(map[*session]struct{}, 1)
			}
			e.subs[s] = struct{}{}
		}
	}
	hub.countWatches(s, delta)
	s.subs = next
	s.markAllDirty()
	return pb.ErrorCode_OK
}

// countWatches adds delta to the watches of s, its peer and its account,
// and keeps Hub.watching. Caller holds mu; s.subs is the old list.
func (hub *Hub) countWatches(s *session, delta int) {
	n := len(s.subs) + delta
	switch {
	case n > 0:
		hub.watching[s] = struct{}{}
	default:
		delete(hub.watching, s)
	}
	hub.watches += delta
	add := func(m map[peer.ID]int, k peer.ID) {
		if m[k] += delta; m[k] == 0 {
			delete(m, k)
		}
	}
	add(hub.peerWatches, s.peer)
	if hub.accountWatches[s.account] += delta; hub.accountWatches[s.account] == 0 {
		delete(hub.accountWatches, s.account)
	}
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
}

// leave forgets s: its subscriptions and, when it announced, one live
// device of its account, which goes offline with s's last frame as
// last-seen when it was the last. regUntil is the registration of s's
// device as the registry reports it now (unix ms, 0: unknown).
func (hub *Hub) leave(s *session, announced bool, regUntil int64) {
	hub.mu.Lock()
	defer hub.mu.Unlock()
	for _, a := range s.subs {
		hub.unwatch(s, a)
	}
	hub.countWatches(s, -len(s.subs))
	s.subs = nil
	s.markAllDirty() // none left
	if !announced {
		return
	}
	e := hub.accounts[s.account]
	if e == nil { // cannot happen: announce made it and online > 0 keeps it
		return
	}
	e.online--
	e.lastSeen = max(e.lastSeen, s.lastFrame.Load())
	e.regUntil = max(e.regUntil, regUntil)
	if e.online == 0 {
		e.notify()
		hub.offline.pushBack(e)
		hub.offlineBytes += e.cost()
		hub.trim()
	}
}

// unlist takes e off the offline list, if on it. Caller holds mu.
func (hub *Hub) unlist(e *entry) {
	if e.listed {
		hub.offline.remove(e)
		hub.offlineBytes -= e.cost()
	}
}

// forgetEntry drops e: watchers learn the account is unknown. Caller holds
// mu; e is offline.
func (hub *Hub) forgetEntry(e *entry) {
	hub.unlist(e)
	delete(hub.accounts, e.account)
	e.notify()
}

// trim forgets offline entries while they cost more than the budget: the
// least recently listed first, skipping those with a registered device
// while others are left. Caller holds mu.
func (hub *Hub) trim() {
	now := hub.cfg.now().UnixMilli()
	skipped := 0 // registered entries moved to the back in this pass
	for hub.offlineBytes > hub.cfg.budget && hub.offline.front != nil {
		e := hub.offline.front
		if e.regUntil > now && skipped < hub.offline.len {
			hub.offline.remove(e)
			hub.offline.pushBack(e)
			skipped++
			continue
		}
		if e.regUntil > now {
			hub.log.Warn("presence last-seen budget too small for the registered devices: forgetting one", "budget", hub.cfg.budget)
		}
		hub.forgetEntry(e)
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
		case <-t.C:
			hub.forget()
		}
	}
}

// forget drops the entries of accounts offline for longer than the
// retention, unless one of their devices is still registered.
func (hub *Hub) forget() {
	now := hub.cfg.now()
	cutoff := now.Add(-hub.cfg.retention).UnixMilli()
	hub.mu.Lock()
	defer hub.mu.Unlock()
	n := 0
	for e := hub.offline.front; e != nil; {
		next := e.next
		if e.lastSeen < cutoff && e.regUntil <= now.UnixMilli() {
			hub.forgetEntry(e)
			n++
		}
		e = next
	}
	if n > 0 {
		hub.log.Debug("presence entries expired", "count", n)
	}
}
