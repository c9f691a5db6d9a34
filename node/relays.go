package node

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/p2p/protocol/circuitv2/client"
	"github.com/libp2p/go-libp2p/p2p/protocol/ping"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/pigeon-net/pigeon/storage"
)

// reservationMargin is how long before a relay reservation expires it is
// renewed.
const reservationMargin = 5 * time.Minute

// pingEvery is how often relay latency is measured.
const pingEvery = time.Minute

// relaysSetting is the store setting holding the relays added at run time,
// one full multiaddr per line.
const relaysSetting = "relays"

// closingSetting is the store setting holding the relays removed whose box
// is still to be closed, one per line: the Unix milliseconds of the
// removal, a space, the full multiaddr.
const closingSetting = "mailbox-closes"

var (
	// ErrUnknownRelay is returned when removing a relay the node does not use.
	ErrUnknownRelay = errors.New("unknown relay")
	// ErrBadAddress is returned for relay addresses that do not parse or
	// lack /p2p/<peer id>.
	ErrBadAddress = errors.New("bad relay address")
)

// RelayStatus describes one of the node's relays.
type RelayStatus struct {
	Addr      string // full multiaddr with /p2p/<id>
	PeerID    peer.ID
	Reserved  bool      // a reservation is held: peers can reach us through it
	Expires   time.Time // of the reservation
	Latency   time.Duration
	Region    string // as the relay says; "" until it has told us
	Mailbox   bool   // one of the relays published for senders to deposit at
	LastError string // of the last reservation attempt (or closing), if it failed
	// Closing marks a relay that was removed while it could not be
	// reached: the node keeps trying to close its mailbox there (so senders
	// with an old copy of the device list learn of the removal) until the
	// registration there would have expired.
	Closing bool

	// Push is what the relay did with our push endpoint (push.go).
	Push RelayPush
}

// relaySet holds the node's relays (from WithRelays and added at run time)
// and their reservations.
type relaySet struct {
	mu       sync.Mutex // guards the fields below
	relays   []*relayState
	watchers []chan struct{} // cap 1 each: the set changed
	// mailboxes are the relays published in the device list, in order of
	// preference (see chooseMailboxRelays).
	mailboxes []peer.ID
	// closing are the relays removed whose box is still to be closed.
	closing []*closingRelay
}

// closingRelay is a relay the node stopped using whose box there it has
// not closed yet.
type closingRelay struct {
	info    peer.AddrInfo
	addr    string
	since   time.Time // when it was removed
	next    time.Time // next attempt
	lastErr string
	backoff *backoff
}

type relayState struct {
	info    peer.AddrInfo
	addr    string
	invite  string    // for relays that serve invited accounts only
	until   time.Time // reservation expiry; zero when none
	next    time.Time // next reservation attempt
	pinged  time.Time
	latency time.Duration // of the last successful ping; 0 before one
	down    bool          // the last ping failed
	region  string        // told by the relay when we registered
	lastErr string
	backoff *backoff
	push    pushReport // what the relay said about our push endpoint (push.go)
}

// watch returns a channel that receives (coalesced) when the set changes.
func (s *relaySet) watch() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := make(chan struct{}, 1)
	s.watchers = append(s.watchers, c)
	return c
}

func (s *relaySet) signal() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.watchers {
		select {
		case c <- struct{}{}:
		default:
		}
	}
}

// add adds a relay unless it is there already; it reports whether it did.
// A relay added again is no longer to be closed (its registration reopens
// the box).
func (s *relaySet) add(addr, invite string, info peer.AddrInfo) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range s.relays {
		if r.info.ID == info.ID {
			return false
		}
	}
	s.closing = slices.DeleteFunc(s.closing, func(c *closingRelay) bool { return c.info.ID == info.ID })
	s.relays = append(s.relays, &relayState{info: info, addr: addr, invite: invite, backoff: newBackoff(200*time.Millisecond, time.Minute)})
	return true
}

// circuitAddrs returns our addresses through relays holding a reservation.
func (s *relaySet) circuitAddrs() []ma.Multiaddr {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []ma.Multiaddr
	for _, r := range s.relays {
		if r.until.IsZero() {
			continue
		}
		for _, a := range r.info.Addrs {
			out = append(out, a.Encapsulate(ma.StringCast("/p2p/"+r.info.ID.String()+"/p2p-circuit")))
		}
	}
	return out
}

// mailboxAddrs returns the full addresses of the mailbox relays, most
// preferred first.
func (s *relaySet) mailboxAddrs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, id := range s.mailboxes {
		for _, r := range s.relays {
			if r.info.ID == id {
				out = append(out, r.addr)
			}
		}
	}
	return out
}

// choose picks the k mailbox relays from what is known now and reports
// whether the choice changed.
func (s *relaySet) choose(k int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	cands := make([]relayCandidate, len(s.relays))
	for i, r := range s.relays {
		cands[i] = relayCandidate{id: r.info.ID, latency: r.latency, region: r.region, down: r.down,
			chosen: slices.Contains(s.mailboxes, r.info.ID)}
	}
	next := chooseMailboxRelays(cands, k)
	if slices.Equal(next, s.mailboxes) {
		return false
	}
	s.mailboxes = next
	return true
}

// relayCandidate is what choosing mailbox relays knows of one relay.
type relayCandidate struct {
	id      peer.ID
	latency time.Duration // 0: not measured yet
	region  string        // "": unknown
	down    bool
	chosen  bool // currently a mailbox relay
}

// keepBonus makes a chosen relay stay unless another is clearly faster
// (its latency counts at this fraction), so similar latencies do not make
// the choice flap, each flap republishing the device list.
const keepBonus = 0.75

// chooseMailboxRelays returns up to k relays for the device list, most
// preferred first: those that answer, by latency (unmeasured ones after
// measured ones, in the order given; down ones last), taking one relay per
// region first so the mailboxes survive a region's outage, then filling
// the remaining places by latency.
func chooseMailboxRelays(cands []relayCandidate, k int) []peer.ID {
	rank := func(c relayCandidate) (int, float64) {
		switch {
		case c.down:
			return 2, 0
		case c.latency == 0:
			return 1, 0
		}
		l := float64(c.latency)
		if c.chosen {
			l *= keepBonus
		}
		return 0, l
	}
	order := slices.Clone(cands)
	slices.SortStableFunc(order, func(a, b relayCandidate) int {
		ga, la := rank(a)
		gb, lb := rank(b)
		if ga != gb {
			return ga - gb
		}
		switch {
		case la < lb:
			return -1
		case la > lb:
			return 1
		}
		return 0
	})
	var out []peer.ID
	regions := make(map[string]bool)
	for _, c := range order { // one per region first
		if len(out) == k {
			break
		}
		if c.region != "" && regions[c.region] {
			continue
		}
		regions[c.region] = c.region != ""
		out = append(out, c.id)
	}
	for _, c := range order { // then the fastest of the rest
		if len(out) == k {
			break
		}
		if !slices.Contains(out, c.id) {
			out = append(out, c.id)
		}
	}
	// Keep the preference order of the sort, not the order of picking.
	slices.SortStableFunc(out, func(a, b peer.ID) int {
		return slices.IndexFunc(order, func(c relayCandidate) bool { return c.id == a }) -
			slices.IndexFunc(order, func(c relayCandidate) bool { return c.id == b })
	})
	return out
}

// rechoose picks the mailbox relays again and republishes the device list
// when they changed.
func (n *Node) rechoose() {
	if n.relays.choose(n.cfg.mailboxRelays) {
		select {
		case n.republish <- struct{}{}:
		default:
		}
	}
}

// setRegion records the region a relay told us.
func (s *relaySet) setRegion(id peer.ID, region string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range s.relays {
		if r.info.ID == id {
			r.region = region
		}
	}
}

// loadRelays fills the set from WithRelays and the stored setting.
func (n *Node) loadRelays(ctx context.Context) error {
	addrs := slices.Clone(n.cfg.relays)
	stored, err := n.store.Setting(ctx, relaysSetting)
	switch {
	case err == nil:
		addrs = append(addrs, strings.Fields(string(stored))...)
	case !errors.Is(err, storage.ErrNotFound):
		return fmt.Errorf("load relays: %w", err)
	}
	closing, err := n.store.Setting(ctx, closingSetting)
	switch {
	case err == nil:
		for _, line := range strings.Split(string(closing), "\n") {
			ms, addr, ok := strings.Cut(line, " ")
			since, err := strconv.ParseInt(ms, 10, 64)
			if !ok || err != nil {
				continue
			}
			infos, err := ParseAddrInfos([]string{addr})
			if err != nil {
				continue
			}
			n.relays.closing = append(n.relays.closing, &closingRelay{info: infos[0], addr: addr,
				since: time.UnixMilli(since), backoff: newBackoff(time.Second, 10*time.Minute)})
		}
	case !errors.Is(err, storage.ErrNotFound):
		return fmt.Errorf("load relays: %w", err)
	}
	for _, a := range addrs {
		addr, invite, _ := strings.Cut(a, ",")
		infos, err := ParseAddrInfos([]string{addr})
		if err != nil {
			n.log.Warn("ignoring bad relay address", "addr", addr, "err", err)
			continue
		}
		n.relays.add(addr, invite, infos[0])
	}
	return nil
}

// relayAddrs strips invites from relay entries ("ADDR" or "ADDR,INVITE").
func relayAddrs(entries []string) []string {
	out := make([]string, len(entries))
	for i, e := range entries {
		out[i], _, _ = strings.Cut(e, ",")
	}
	return out
}

// Relays lists the node's relays with their reservation and latency.
func (n *Node) Relays(ctx context.Context) ([]RelayStatus, error) {
	if err := n.ready(); err != nil {
		return nil, fmt.Errorf("relays: %w", err)
	}
	ep := n.pushEndpoint()
	n.relays.mu.Lock()
	defer n.relays.mu.Unlock()
	out := make([]RelayStatus, len(n.relays.relays), len(n.relays.relays)+len(n.relays.closing))
	for i, r := range n.relays.relays {
		out[i] = RelayStatus{Addr: r.addr, PeerID: r.info.ID, Reserved: !r.until.IsZero(), Expires: r.until, Latency: r.latency,
			Region: r.region, Mailbox: slices.Contains(n.relays.mailboxes, r.info.ID), LastError: r.lastErr,
			Push: relayPush(r, ep)}
	}
	for _, c := range n.relays.closing {
		out = append(out, RelayStatus{Addr: c.addr, PeerID: c.info.ID, Closing: true, LastError: c.lastErr})
	}
	return out, nil
}

// AddRelay starts using a relay (full multiaddr ending in /p2p/<id>) and
// remembers it across restarts. invite is the relay's invite token when it
// serves invited accounts only, else empty.
func (n *Node) AddRelay(ctx context.Context, addr, invite string) error {
	if err := n.ready(); err != nil {
		return fmt.Errorf("add relay: %w", err)
	}
	infos, err := ParseAddrInfos([]string{addr})
	if err != nil {
		return fmt.Errorf("add relay: %w: %v", ErrBadAddress, err)
	}
	if infos[0].ID == n.host.ID() {
		return fmt.Errorf("add relay: %w", ErrSelf)
	}
	if strings.ContainsAny(invite, ", \n") {
		return fmt.Errorf("add relay: %w: invite must not contain commas or spaces", ErrBadAddress)
	}
	if !n.relays.add(addr, invite, infos[0]) {
		return nil
	}
	n.rechoose()
	n.relays.signal()
	return n.saveRelays(ctx)
}

// RemoveRelay stops using a relay and forgets it. The node closes its
// mailbox there after taking what it still holds: the relay then refuses
// deposits as closed, and senders with an old copy of the device list
// fetch it again. When the relay cannot be reached, the node keeps trying
// in the background (Relays lists it as closing meanwhile).
func (n *Node) RemoveRelay(ctx context.Context, id peer.ID) error {
	if err := n.ready(); err != nil {
		return fmt.Errorf("remove relay: %w", err)
	}
	n.relays.mu.Lock()
	i := slices.IndexFunc(n.relays.relays, func(r *relayState) bool { return r.info.ID == id })
	if i >= 0 {
		r := n.relays.relays[i]
		n.relays.relays = slices.Delete(n.relays.relays, i, i+1)
		n.relays.closing = slices.DeleteFunc(n.relays.closing, func(c *closingRelay) bool { return c.info.ID == id })
		n.relays.closing = append(n.relays.closing, &closingRelay{info: r.info, addr: r.addr, since: time.Now(),
			backoff: newBackoff(time.Second, 10*time.Minute)})
	}
	n.relays.mu.Unlock()
	if i < 0 {
		return fmt.Errorf("remove relay: %w: %s", ErrUnknownRelay, id)
	}
	n.rechoose()
	n.relays.signal()
	return n.saveRelays(ctx)
}

// saveRelays stores the relays not given by WithRelays.
func (n *Node) saveRelays(ctx context.Context) error {
	configured := relayAddrs(n.cfg.relays)
	var keep []string
	n.relays.mu.Lock()
	for _, r := range n.relays.relays {
		if slices.Contains(configured, r.addr) {
			continue
		}
		e := r.addr
		if r.invite != "" {
			e += "," + r.invite
		}
		keep = append(keep, e)
	}
	var closing []string
	for _, c := range n.relays.closing {
		closing = append(closing, strconv.FormatInt(c.since.UnixMilli(), 10)+" "+c.addr)
	}
	n.relays.mu.Unlock()
	if err := n.store.PutSetting(ctx, relaysSetting, []byte(strings.Join(keep, "\n"))); err != nil {
		return fmt.Errorf("save relays: %w", err)
	}
	if err := n.store.PutSetting(ctx, closingSetting, []byte(strings.Join(closing, "\n"))); err != nil {
		return fmt.Errorf("save relays: %w", err)
	}
	return nil
}

// reserveLoop keeps a reservation with every relay, renewing each before it
// expires and retrying failed ones with backoff, and measures their latency.
// The circuit addresses of held reservations are published in the device
// list.
func (n *Node) reserveLoop(ctx context.Context) {
	log := n.log.With("sub", "relays")
	changed := n.relays.watch()
	for {
		now := time.Now()
		wake := now.Add(pingEvery)
		n.relays.mu.Lock()
		due := slices.Clone(n.relays.relays)
		n.relays.mu.Unlock()
		for _, r := range due {
			n.relays.mu.Lock()
			next, pinged := r.next, r.pinged
			n.relays.mu.Unlock()
			if !now.Before(next) {
				rctx, cancel := context.WithTimeout(ctx, 10*time.Second)
				rsvp, err := client.Reserve(rctx, n.host, r.info)
				cancel()
				if ctx.Err() != nil {
					return
				}
				n.relays.mu.Lock()
				if err != nil {
					log.Debug("relay reservation failed", "relay", r.info.ID, "err", err)
					r.lastErr = err.Error()
					if !r.until.IsZero() && now.After(r.until) {
						r.until = time.Time{}
					}
					r.next = now.Add(r.backoff.next())
				} else {
					r.lastErr = ""
					r.until = rsvp.Expiration
					r.backoff.reset()
					r.next = rsvp.Expiration.Add(-reservationMargin)
					if r.next.Before(now.Add(time.Minute)) {
						r.next = now.Add(time.Minute)
					}
				}
				next = r.next
				n.relays.mu.Unlock()
			}
			if now.Sub(pinged) >= pingEvery {
				pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
				res := <-ping.Ping(pctx, n.host, r.info.ID)
				cancel()
				n.relays.mu.Lock()
				r.pinged = now
				r.down = res.Error != nil
				if res.Error == nil {
					r.latency = res.RTT
				}
				n.relays.mu.Unlock()
			}
			wake = minTime(wake, next)
		}
		n.rechoose()
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

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
