package relays

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/storage"
)

// relaysSetting is the store setting holding the relays added at run time,
// one full multiaddr per line.
const relaysSetting = "relays"

// closingSetting is the store setting holding the relays removed whose box
// is still to be closed, one per line: the Unix milliseconds of the
// removal, a space, the full multiaddr.
const closingSetting = "mailbox-closes"

// relaySet holds the node's relays (configured and added at run time) and
// their reservations.
type relaySet struct {
	mu       sync.Mutex // guards the fields below
	relays   []*relayState
	watchers []chan struct{} // cap 1 each: the set changed
	// mailboxes are the relays published in the device list, in order of
	// preference (see chooseMailboxRelays).
	mailboxes []peer.ID
	// closing are the relays removed whose box is still to be closed.
	closing []*closingRelay
	// followed is how many group topics each relay last followed for us.
	followed map[peer.ID]int
}

// closingRelay is a relay the node stopped using whose box there it has
// not closed yet.
type closingRelay struct {
	info    peer.AddrInfo
	addr    string
	since   time.Time // when it was removed
	next    time.Time // next attempt
	lastErr string
	backoff *rt.Backoff
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
	backoff *rt.Backoff
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
	s.relays = append(s.relays, &relayState{info: info, addr: addr, invite: invite, backoff: rt.NewBackoff(200*time.Millisecond, time.Minute)})
	return true
}

// addrOf returns the address relay id was added with ("" if unknown).
func (s *relaySet) addrOf(id peer.ID) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range s.relays {
		if r.info.ID == id {
			return r.addr
		}
	}
	return ""
}

// storedRelay is a relay of the set that was added (not configured).
type storedRelay struct{ addr, invite string }

// stored returns the relays of the set not given by configured.
func (s *relaySet) stored(configured []string) []storedRelay {
	var given []string
	for _, e := range configured {
		addr, _, _ := strings.Cut(e, ",")
		given = append(given, addr)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []storedRelay
	for _, r := range s.relays {
		if !slices.Contains(given, r.addr) {
			out = append(out, storedRelay{r.addr, r.invite})
		}
	}
	return out
}

// remove stops using relay id, which is to be closed from now on; it
// reports whether id was one of the set's.
func (s *relaySet) remove(id peer.ID) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := slices.IndexFunc(s.relays, func(r *relayState) bool { return r.info.ID == id })
	if i < 0 {
		return false
	}
	r := s.relays[i]
	s.relays = slices.Delete(s.relays, i, i+1)
	s.closing = slices.DeleteFunc(s.closing, func(c *closingRelay) bool { return c.info.ID == id })
	s.closing = append(s.closing, &closingRelay{info: r.info, addr: r.addr, since: time.Now(),
		backoff: rt.NewBackoff(time.Second, 10*time.Minute)})
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

// infos returns the address of every relay in the set.
func (s *relaySet) infos() []peer.AddrInfo {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]peer.AddrInfo, len(s.relays))
	for i, r := range s.relays {
		out[i] = r.info
	}
	return out
}

// has reports whether p is one of the node's relays.
func (s *relaySet) has(p peer.ID) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.ContainsFunc(s.relays, func(r *relayState) bool { return r.info.ID == p })
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

// load fills the set from the configured relays (WithRelays entries) and
// the stored settings.
func (s *relaySet) load(ctx context.Context, st Store, configured []string, log *slog.Logger) error {
	addrs := slices.Clone(configured)
	stored, err := st.Setting(ctx, relaysSetting)
	switch {
	case err == nil:
		addrs = append(addrs, strings.Fields(string(stored))...)
	case !errors.Is(err, storage.ErrNotFound):
		return fmt.Errorf("load relays: %w", err)
	}
	closing, err := st.Setting(ctx, closingSetting)
	switch {
	case err == nil:
		for _, line := range strings.Split(string(closing), "\n") {
			ms, addr, ok := strings.Cut(line, " ")
			since, err := strconv.ParseInt(ms, 10, 64)
			if !ok || err != nil {
				continue
			}
			info, err := parseAddr(addr)
			if err != nil {
				continue
			}
			s.closing = append(s.closing, &closingRelay{info: info, addr: addr,
				since: time.UnixMilli(since), backoff: rt.NewBackoff(time.Second, 10*time.Minute)})
		}
	case !errors.Is(err, storage.ErrNotFound):
		return fmt.Errorf("load relays: %w", err)
	}
	for _, a := range addrs {
		addr, invite, _ := strings.Cut(a, ",")
		info, err := parseAddr(addr)
		if err != nil {
			log.Warn("ignoring bad relay address", "addr", addr, "err", err)
			continue
		}
		s.add(addr, invite, info)
	}
	return nil
}

// save stores the relays not configured (WithRelays entries), and those
// still to be closed.
func (s *relaySet) save(ctx context.Context, st Store, configured []string) error {
	var given []string
	for _, e := range configured {
		addr, _, _ := strings.Cut(e, ",")
		given = append(given, addr)
	}
	var keep []string
	s.mu.Lock()
	for _, r := range s.relays {
		if slices.Contains(given, r.addr) {
			continue
		}
		e := r.addr
		if r.invite != "" {
			e += "," + r.invite
		}
		keep = append(keep, e)
	}
	var closing []string
	for _, c := range s.closing {
		closing = append(closing, strconv.FormatInt(c.since.UnixMilli(), 10)+" "+c.addr)
	}
	s.mu.Unlock()
	if err := st.PutSetting(ctx, relaysSetting, []byte(strings.Join(keep, "\n"))); err != nil {
		return fmt.Errorf("save relays: %w", err)
	}
	if err := st.PutSetting(ctx, closingSetting, []byte(strings.Join(closing, "\n"))); err != nil {
		return fmt.Errorf("save relays: %w", err)
	}
	return nil
}

// parseAddr parses a relay's full multiaddr, which ends in /p2p/<peer id>.
func parseAddr(s string) (peer.AddrInfo, error) {
	a, err := ma.NewMultiaddr(s)
	if err != nil {
		return peer.AddrInfo{}, fmt.Errorf("address %q: %w", s, err)
	}
	ai, err := peer.AddrInfoFromP2pAddr(a)
	if err != nil {
		return peer.AddrInfo{}, fmt.Errorf("address %q: %w (need /p2p/<peer id>)", s, err)
	}
	return *ai, nil
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
