package e2e

import (
	"errors"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
	"golang.org/x/time/rate"
)

// Limits on PreKeyProtocol requests. Every bundle served burns a one-time
// prekey, so a hostile peer asking in a loop would drain them and leave
// honest senders with the last-resort key. Each remote peer gets a token
// bucket: preKeyBurst bundles at once, then one per preKeyEvery.
const (
	preKeyBurst = 10
	preKeyEvery = 6 * time.Second
	// maxLimitedPeers bounds the per-peer buckets kept.
	maxLimitedPeers = 10_000
)

// ErrRateLimited is returned by FetchBundle (wrapped together with
// ErrRefused) when the peer refused because we asked too often.
var ErrRateLimited = errors.New("prekey requests rate limited")

// peerLimiter is a token bucket per remote peer.
//
// A bucket untouched for burst×every is full again, the same as a new one,
// so dropping it loses nothing: idle buckets are swept out (at most once
// per every, when a new peer arrives). When maxPeers buckets are live after
// a sweep, new peers are refused until some go idle; their senders then
// fall back to the device's published bundle (BundleNamespace), which
// costs no one-time prekey.
type peerLimiter struct {
	burst    int
	every    time.Duration
	maxPeers int
	now      func() time.Time

	mu        sync.Mutex // guards the fields below
	peers     map[peer.ID]*peerBucket
	lastSweep time.Time
}

type peerBucket struct {
	lim  *rate.Limiter
	last time.Time // time of the last request
}

func newPeerLimiter(burst int, every time.Duration, maxPeers int, now func() time.Time) *peerLimiter {
	if now == nil {
		now = time.Now
	}
	return &peerLimiter{
		burst:    burst,
		every:    every,
		maxPeers: maxPeers,
		now:      now,
		peers:    make(map[peer.ID]*peerBucket),
	}
}

// allow takes one token from p's bucket and reports whether there was one.
func (l *peerLimiter) allow(p peer.ID) bool {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.peers[p]
	if b == nil {
		if now.Sub(l.lastSweep) >= l.every {
			l.sweep(now)
		}
		if len(l.peers) >= l.maxPeers {
			return false
		}
		b = &peerBucket{lim: rate.NewLimiter(rate.Every(l.every), l.burst)}
		l.peers[p] = b
	}
	b.last = now
	return b.lim.AllowN(now, 1)
}

// sweep drops the buckets that have refilled completely. Callers hold mu.
func (l *peerLimiter) sweep(now time.Time) {
	l.lastSweep = now
	full := time.Duration(l.burst) * l.every
	for p, b := range l.peers {
		if now.Sub(b.last) >= full {
			delete(l.peers, p)
		}
	}
}

// size returns the number of buckets kept.
func (l *peerLimiter) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.peers)
}
