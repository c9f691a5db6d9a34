package groups

import (
	"container/list"
	"sync"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/group"
	"github.com/pigeon-net/pigeon/protocol/identity"
)

// The hold
//
// What arrives for a group before this node can use it waits in memory, a
// while and within bounds, never in the store: the ops of a group this node
// is not in (a welcome's chunks, which can come out of order or before the
// chunk with the genesis), and device lists of accounts that are not (yet)
// members of the group they came for (a welcome's lists come before the
// log that makes their accounts members; a newcomer's list on the topic
// can come before the op that adds it). Anyone can send ops for a group ID
// nobody uses; they cost one signature check each, a bounded share of the
// hold, and are gone after holdTTL. Each op is verified once, when it
// arrives; the log of a held group is folded as its ops arrive, so taking
// a message never grows with what is held.
//
// Bounds: holdMaxItems ops and lists and holdMaxBytes of their wire bytes
// in all; one sender (the account that sent them pairwise, or the member
// that published them) holds at most 1/holdSenderShare of each, so one
// sender cannot crowd out the others; when the hold is full the bundle
// touched least recently goes first.
const (
	// holdTTL is how long a sender's bundle for a group waits after the
	// last item added to it.
	holdTTL = 5 * time.Minute
	// holdMaxItems bounds the ops and lists held.
	holdMaxItems = 8192
	// holdMaxBytes bounds their wire bytes.
	holdMaxBytes = 8 << 20
	// holdSenderShare: one sender holds at most 1/holdSenderShare of each
	// bound (a welcome of a group of up to about 1,500 members).
	holdSenderShare = 4
)

// heldList is a verified device list waiting for its account's membership.
type heldList struct {
	from identity.AccountID // who passed it on
	list *identity.DeviceList
	raw  []byte
}

type holdKey struct {
	from  identity.AccountID
	group group.ID
}

// heldBundle is what one sender sent for one group.
type heldBundle struct {
	key     holdKey
	ops     []*group.Op
	genesis bool // ops holds the group's genesis
	lists   []heldList
	items   int
	bytes   int
	until   time.Time
	elem    *list.Element // in groupHold.lru
}

// heldGroup is what is held for one group.
type heldGroup struct {
	bundles map[identity.AccountID]*heldBundle // by sender
	// log is folded from the held ops once the genesis is held; nil: none
	// yet, or to fold again (a bundle went).
	log *group.Log
}

// genesis returns the group's genesis op if one is held.
func (g *heldGroup) genesis() *group.Op {
	for _, b := range g.bundles {
		if b.genesis {
			for _, op := range b.ops {
				if op.IsGenesis() {
					return op
				}
			}
		}
	}
	return nil
}

type holdUsage struct{ items, bytes int }

// groupHold holds ops and lists for groups (see above). Lock order: it is
// taken after groupSet.welcomeMu and after a groupRun.mu, and takes no
// other lock.
type groupHold struct {
	now             func() time.Time
	maxItems        int
	maxBytes        int
	self            identity.AccountID
	mu              sync.Mutex // guards the fields below
	groups          map[group.ID]*heldGroup
	lru             *list.List                       // of *heldBundle, least recently touched first
	usage           map[identity.AccountID]holdUsage // per sender
	items, bytesAll int
}

func newGroupHold(self identity.AccountID, now func() time.Time) *groupHold {
	return &groupHold{
		now:      now,
		maxItems: holdMaxItems,
		maxBytes: holdMaxBytes,
		self:     self,
		groups:   make(map[group.ID]*heldGroup),
		lru:      list.New(),
		usage:    make(map[identity.AccountID]holdUsage),
	}
}

// addOps holds verified ops of group gid that from sent. When the ops held
// for gid (from every sender) then fold into a log that makes this
// account a member, it returns that log and forgets those ops (lists stay
// until takeLists). Ops over from's share are dropped. The work is that
// of the ops added: the log of a group is folded as its ops come (again
// only after one of its bundles went).
func (h *groupHold) addOps(from identity.AccountID, gid group.ID, ops []*group.Op) *group.Log {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.expire()
	b := h.bundle(holdKey{from, gid})
	var added []*group.Op
	for _, op := range ops {
		size := proto.Size(op.Wire)
		if !h.fits(b, size) {
			break
		}
		b.ops = append(b.ops, op)
		b.genesis = b.genesis || op.IsGenesis()
		h.charge(b, size)
		added = append(added, op)
	}
	hg := h.groups[gid]
	h.dropIfEmpty(b)
	if len(added) == 0 {
		return nil
	}
	if hg.log == nil {
		if hg.log = hg.fold(); hg.log == nil {
			return nil
		}
	} else if _, err := hg.log.Add(added...); err != nil {
		hg.log = nil // cannot happen with ops of gid; fold again next time
		return nil
	}
	l := hg.log
	if !l.State().IsMember(h.self) {
		return nil
	}
	hg.log = nil
	for _, b := range hg.bundles {
		h.uncharge(b, len(b.ops), opsBytes(b.ops))
		b.ops, b.genesis = nil, false
		h.dropIfEmpty(b)
	}
	return l
}

// fold builds the group's log from every op held for it, or returns nil
// while its genesis is not held.
func (g *heldGroup) fold() *group.Log {
	genesis := g.genesis()
	if genesis == nil {
		return nil
	}
	var rest []*group.Op
	for _, b := range g.bundles {
		for _, op := range b.ops {
			if op != genesis {
				rest = append(rest, op)
			}
		}
	}
	l, err := group.NewLog(genesis)
	if err != nil {
		return nil
	}
	if _, err := l.Add(rest...); err != nil {
		return nil
	}
	return l
}

// addLists holds verified device lists that from passed on for gid.
// Lists over from's share are dropped.
func (h *groupHold) addLists(from identity.AccountID, gid group.ID, lists []heldList) {
	if len(lists) == 0 {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.expire()
	b := h.bundle(holdKey{from, gid})
	for _, l := range lists {
		if !h.fits(b, len(l.raw)) {
			break
		}
		l.from = from
		b.lists = append(b.lists, l)
		h.charge(b, len(l.raw))
	}
	h.dropIfEmpty(b)
}

// takeLists returns and forgets the lists held for gid.
func (h *groupHold) takeLists(gid group.ID) []heldList {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.expire()
	hg := h.groups[gid]
	if hg == nil {
		return nil
	}
	var out []heldList
	for _, b := range hg.bundles {
		if len(b.lists) == 0 {
			continue
		}
		out = append(out, b.lists...)
		n := 0
		for _, l := range b.lists {
			n += len(l.raw)
		}
		h.uncharge(b, len(b.lists), n)
		b.lists = nil
		h.dropIfEmpty(b)
	}
	return out
}

// held reports the items and bytes held, for tests and logs.
func (h *groupHold) held() (items, bytes int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.expire()
	return h.items, h.bytesAll
}

// bundle returns from's bundle for a group, made if needed, touched: it
// moves to the back of the eviction order and lives holdTTL more.
func (h *groupHold) bundle(k holdKey) *heldBundle {
	hg := h.groups[k.group]
	if hg == nil {
		hg = &heldGroup{bundles: make(map[identity.AccountID]*heldBundle)}
		h.groups[k.group] = hg
	}
	b := hg.bundles[k.from]
	if b == nil {
		b = &heldBundle{key: k}
		b.elem = h.lru.PushBack(b)
		hg.bundles[k.from] = b
	} else {
		h.lru.MoveToBack(b.elem)
	}
	b.until = h.now().Add(holdTTL)
	return b
}

// fits makes room for one more item of size bytes in b, evicting the
// least recently touched bundles of others when the hold is full, and
// reports whether it fits in b's sender's share.
func (h *groupHold) fits(b *heldBundle, size int) bool {
	u := h.usage[b.key.from]
	if size > h.maxBytes/holdSenderShare || u.items+1 > h.maxItems/holdSenderShare || u.bytes+size > h.maxBytes/holdSenderShare {
		return false
	}
	for h.items+1 > h.maxItems || h.bytesAll+size > h.maxBytes {
		e := h.lru.Front()
		old := e.Value.(*heldBundle)
		if old == b {
			if e = e.Next(); e == nil {
				return false
			}
			old = e.Value.(*heldBundle)
		}
		h.drop(old)
	}
	return true
}

func (h *groupHold) charge(b *heldBundle, size int) {
	b.items++
	b.bytes += size
	u := h.usage[b.key.from]
	u.items++
	u.bytes += size
	h.usage[b.key.from] = u
	h.items++
	h.bytesAll += size
}

func (h *groupHold) uncharge(b *heldBundle, items, size int) {
	b.items -= items
	b.bytes -= size
	u := h.usage[b.key.from]
	u.items -= items
	u.bytes -= size
	if u.items == 0 {
		delete(h.usage, b.key.from)
	} else {
		h.usage[b.key.from] = u
	}
	h.items -= items
	h.bytesAll -= size
}

// drop forgets a whole bundle; its group's log is folded again from what
// is left when it is next needed.
func (h *groupHold) drop(b *heldBundle) {
	hg := h.groups[b.key.group]
	if len(b.ops) > 0 {
		hg.log = nil
	}
	h.uncharge(b, b.items, b.bytes)
	b.ops, b.lists, b.genesis = nil, nil, false
	h.forget(hg, b)
}

func (h *groupHold) dropIfEmpty(b *heldBundle) {
	if b.items == 0 {
		h.forget(h.groups[b.key.group], b)
	}
}

// forget removes an emptied bundle, and its group once it has none.
func (h *groupHold) forget(hg *heldGroup, b *heldBundle) {
	h.lru.Remove(b.elem)
	delete(hg.bundles, b.key.from)
	if len(hg.bundles) == 0 {
		delete(h.groups, b.key.group)
	}
}

// expire drops the bundles whose time is up.
func (h *groupHold) expire() {
	now := h.now()
	for e := h.lru.Front(); e != nil; e = h.lru.Front() {
		b := e.Value.(*heldBundle)
		if now.Before(b.until) {
			return
		}
		h.drop(b)
	}
}

func opsBytes(ops []*group.Op) int {
	n := 0
	for _, op := range ops {
		n += proto.Size(op.Wire)
	}
	return n
}
