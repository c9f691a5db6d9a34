package mailbox

import (
	"sync"

	"github.com/libp2p/go-libp2p/core/peer"
	"golang.org/x/time/rate"
)

// maxStrangerUses bounds the (box, sending peer) pairs the stranger
// ledger tracks; a full ledger is cleared, which only forgets who holds
// what (the strangers' shared room in each account is the Store's and
// stays).
const maxStrangerUses = 1 << 16

// strangers accounts what each sending peer holds in each box without a
// credential, so that one stranger cannot take all the room strangers
// share. A deposit reserves room before it goes to the Store and settles
// when the Store has answered; acks and closings give the room back.
type strangers struct {
	limit Quota

	mu    sync.Mutex // guards boxes and n
	boxes map[Box]map[peer.ID]*strangerUse
	n     int // pairs in boxes
}

// strangerUse is one sending peer's room taken in one box.
type strangerUse struct {
	count int
	bytes int64
	held  map[DepositID]int64 // stored stranger deposits, by size
}

func newStrangers(limit Quota) *strangers {
	return &strangers{limit: limit, boxes: make(map[Box]map[peer.ID]*strangerUse)}
}

// reserve takes room for a deposit of size bytes from p in box and reports
// whether p had it.
func (l *strangers) reserve(box Box, p peer.ID, size int64) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	byPeer := l.boxes[box]
	u := byPeer[p]
	if u == nil {
		if l.n >= maxStrangerUses {
			clear(l.boxes)
			l.n = 0
		}
		if byPeer = l.boxes[box]; byPeer == nil {
			byPeer = make(map[peer.ID]*strangerUse)
			l.boxes[box] = byPeer
		}
		u = &strangerUse{}
		byPeer[p] = u
		l.n++
	}
	if u.count+1 > l.limit.MaxCount || u.bytes+size > l.limit.MaxBytes {
		l.forgetIfEmpty(box, p, u)
		return false
	}
	u.count++
	u.bytes += size
	return true
}

// settle ends a reservation: kept says the Store took the deposit id as a
// stranger's, which then holds the room until it is acked; otherwise the
// room is given back.
func (l *strangers) settle(box Box, p peer.ID, id DepositID, size int64, kept bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	u := l.boxes[box][p]
	if u == nil {
		return // the ledger was cleared meanwhile
	}
	if kept {
		if _, dup := u.held[id]; !dup {
			if u.held == nil {
				u.held = make(map[DepositID]int64)
			}
			u.held[id] = size
			return
		}
	}
	u.count--
	u.bytes -= size
	l.forgetIfEmpty(box, p, u)
}

// release gives back the room of box's deposits ids (acked).
func (l *strangers) release(box Box, ids []DepositID) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for p, u := range l.boxes[box] {
		for _, id := range ids {
			if size, ok := u.held[id]; ok {
				delete(u.held, id)
				u.count--
				u.bytes -= size
			}
		}
		l.forgetIfEmpty(box, p, u)
	}
}

// drop forgets a box (closed: its queue is gone).
func (l *strangers) drop(box Box) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.n -= len(l.boxes[box])
	delete(l.boxes, box)
}

// forgetIfEmpty removes a use that holds nothing. Caller holds mu.
func (l *strangers) forgetIfEmpty(box Box, p peer.ID, u *strangerUse) {
	if u.count > 0 || len(u.held) > 0 {
		return
	}
	byPeer := l.boxes[box]
	if byPeer[p] != u {
		return
	}
	delete(byPeer, p)
	l.n--
	if len(byPeer) == 0 {
		delete(l.boxes, box)
	}
}

// limiters hands out one rate limiter per peer, bounded in number: a full
// set is cleared (a peer then starts with a full burst again).
type limiters struct {
	r     rate.Limit
	burst int

	mu sync.Mutex // guards m
	m  map[peer.ID]*rate.Limiter
}

func newLimiters(r rate.Limit, burst int) *limiters {
	return &limiters{r: r, burst: burst, m: make(map[peer.ID]*rate.Limiter)}
}

func (l *limiters) allow(p peer.ID) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	lim := l.m[p]
	if lim == nil {
		if len(l.m) >= maxLimiters {
			clear(l.m)
		}
		lim = rate.NewLimiter(l.r, l.burst)
		l.m[p] = lim
	}
	return lim.Allow()
}
