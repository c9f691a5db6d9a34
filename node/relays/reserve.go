package relays

import (
	"context"
	"slices"
	"time"

	"github.com/libp2p/go-libp2p/p2p/protocol/circuitv2/client"
	"github.com/libp2p/go-libp2p/p2p/protocol/ping"
)

// reservationMargin is how long before a relay reservation expires it is
// renewed.
const reservationMargin = 5 * time.Minute

// pingEvery is how often relay latency is measured.
const pingEvery = time.Minute

// reserveLoop keeps a reservation with every relay, renewing each before it
// expires and retrying failed ones with backoff, and measures their latency.
// The circuit addresses of held reservations are published in the device
// list.
func (s *Service) reserveLoop(ctx context.Context) {
	log := s.log.With("sub", "relays")
	changed := s.set.watch()
	for {
		now := time.Now()
		wake := now.Add(pingEvery)
		s.set.mu.Lock()
		due := slices.Clone(s.set.relays)
		s.set.mu.Unlock()
		for _, r := range due {
			s.set.mu.Lock()
			next, pinged := r.next, r.pinged
			s.set.mu.Unlock()
			if !now.Before(next) {
				rctx, cancel := context.WithTimeout(ctx, 10*time.Second)
				rsvp, err := client.Reserve(rctx, s.d.Host, r.info)
				cancel()
				if ctx.Err() != nil {
					return
				}
				s.set.mu.Lock()
				if err != nil {
					log.Debug("relay reservation failed", "relay", r.info.ID, "err", err)
					r.lastErr = err.Error()
					if !r.until.IsZero() && now.After(r.until) {
						r.until = time.Time{}
					}
					r.next = now.Add(r.backoff.Next())
				} else {
					r.lastErr = ""
					r.until = rsvp.Expiration
					r.backoff.Reset()
					r.next = rsvp.Expiration.Add(-reservationMargin)
					if r.next.Before(now.Add(time.Minute)) {
						r.next = now.Add(time.Minute)
					}
				}
				next = r.next
				s.set.mu.Unlock()
			}
			if now.Sub(pinged) >= pingEvery {
				pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
				res := <-ping.Ping(pctx, s.d.Host, r.info.ID)
				cancel()
				s.set.mu.Lock()
				r.pinged = now
				r.down = res.Error != nil
				if res.Error == nil {
					r.latency = res.RTT
				}
				s.set.mu.Unlock()
			}
			wake = minTime(wake, next)
		}
		s.rechoose()
		t := time.NewTimer(time.Until(wake))
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		case <-changed:
			t.Stop()
		}
	}
}

// rechoose picks the mailbox relays again and republishes the device list
// when they changed.
func (s *Service) rechoose() {
	if s.set.choose(s.d.MailboxRelays) {
		s.d.Republish()
	}
}
