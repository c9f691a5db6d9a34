package node

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/p2p/protocol/circuitv2/client"
	ma "github.com/multiformats/go-multiaddr"
)

// reservationMargin is how long before a relay reservation expires it is
// renewed.
const reservationMargin = 5 * time.Minute

// circuits holds the relay reservations of a node configured WithRelays and
// the circuit addresses they give it.
type circuits struct {
	mu    sync.Mutex // guards addrs
	addrs []ma.Multiaddr
}

// current returns the circuit addresses of the reservations held now.
func (c *circuits) current() []ma.Multiaddr {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.addrs)
}

// reserveLoop keeps a reservation with every configured relay, renewing
// each before it expires and retrying failed ones with backoff. The
// addresses of held reservations are published in the device list.
func (n *Node) reserveLoop(ctx context.Context) {
	relays, _ := ParseAddrInfos(n.cfg.relays)
	log := n.log.With("sub", "relays")
	type state struct {
		until   time.Time // reservation expiry; zero when none
		backoff *backoff
		next    time.Time
	}
	states := make([]state, len(relays))
	for i := range states {
		states[i].backoff = newBackoff(200*time.Millisecond, time.Minute)
	}
	for {
		now := time.Now()
		changed := false
		wake := now.Add(time.Hour)
		for i, r := range relays {
			st := &states[i]
			if now.Before(st.next) {
				wake = minTime(wake, st.next)
				continue
			}
			rctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			rsvp, err := client.Reserve(rctx, n.host, r)
			cancel()
			if ctx.Err() != nil {
				return
			}
			if err != nil {
				log.Debug("relay reservation failed", "relay", r.ID, "err", err)
				if !st.until.IsZero() && now.After(st.until) {
					st.until, changed = time.Time{}, true
				}
				st.next = now.Add(st.backoff.next())
			} else {
				if st.until.IsZero() {
					changed = true
				}
				st.until = rsvp.Expiration
				st.backoff.reset()
				st.next = rsvp.Expiration.Add(-reservationMargin)
				if !st.next.After(now) {
					st.next = now.Add(time.Minute)
				}
			}
			wake = minTime(wake, st.next)
		}
		if changed {
			var addrs []ma.Multiaddr
			for i, r := range relays {
				if states[i].until.IsZero() {
					continue
				}
				for _, a := range r.Addrs {
					addrs = append(addrs, a.Encapsulate(ma.StringCast("/p2p/"+r.ID.String()+"/p2p-circuit")))
				}
			}
			n.circuits.mu.Lock()
			n.circuits.addrs = addrs
			n.circuits.mu.Unlock()
		}
		if !sleepCtx(ctx, time.Until(wake)) {
			return
		}
	}
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
