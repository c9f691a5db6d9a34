package presence

import (
	"fmt"
	"sync"

	"github.com/pigeon-net/pigeon/protocol/identity"
)

// Subscription receives the presence of a set of accounts: first the
// current state of each, then every change. Updates are coalesced per
// account: a reader that falls behind skips intermediate states of an
// account but always receives its latest state. The same state may be
// delivered twice (for example after the client re-dialled the relay).
type Subscription struct {
	c        *Client
	accounts map[identity.AccountID]struct{} // read-only after Subscribe
	ch       chan Presence

	mu      sync.Mutex // guards pending and order
	pending map[identity.AccountID]Presence
	order   []identity.AccountID // accounts in pending, oldest first

	wake     chan struct{} // 1-buffered: pending is not empty
	done     chan struct{} // closed by stop
	stopOnce sync.Once
	pumped   chan struct{} // closed when the pump returned
}

// Subscribe watches accounts (at most MaxSubscriptions across all of the
// client's subscriptions) until the subscription or the client is closed.
func (c *Client) Subscribe(accounts []identity.AccountID) (*Subscription, error) {
	const op = "subscribe presence"
	s := &Subscription{
		c:        c,
		accounts: make(map[identity.AccountID]struct{}, len(accounts)),
		ch:       make(chan Presence),
		pending:  make(map[identity.AccountID]Presence),
		wake:     make(chan struct{}, 1),
		done:     make(chan struct{}),
		pumped:   make(chan struct{}),
	}
	for _, a := range accounts {
		s.accounts[a] = struct{}{}
	}
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil, fmt.Errorf("%s: %w", op, ErrClosed)
	}
	added := 0
	for a := range s.accounts {
		if c.watch[a] == 0 {
			added++
		}
	}
	if len(c.watch)+added > MaxSubscriptions {
		c.mu.Unlock()
		return nil, fmt.Errorf("%s: %w: %d accounts watched", op, ErrTooLarge, len(c.watch)+added)
	}
	for a := range s.accounts {
		c.watch[a]++
	}
	c.subs[s] = struct{}{}
	c.wg.Add(1)
	go s.pump()
	if added == 0 || c.cur == nil {
		c.mu.Unlock()
		// Nothing new to ask the relay; the states the hub sent for the
		// accounts already watched are not repeated, so ask once.
		if added == 0 && len(s.accounts) > 0 {
			c.resubscribe()
		}
		return s, nil
	}
	c.sendLocked(c.cur, c.subscribeFrame())
	return s, nil
}

// resubscribe sends the current union again, so the hub answers with the
// current state of every watched account.
func (c *Client) resubscribe() {
	c.mu.Lock()
	if c.closed || c.cur == nil {
		c.mu.Unlock()
		return
	}
	c.sendLocked(c.cur, c.subscribeFrame())
}

// Updates returns the channel of presence updates. It is closed when the
// subscription or the client is closed.
func (s *Subscription) Updates() <-chan Presence { return s.ch }

// Close stops the subscription; the relay stops pushing accounts no other
// subscription watches.
func (s *Subscription) Close() {
	c := s.c
	c.mu.Lock()
	_, live := c.subs[s]
	if live {
		delete(c.subs, s)
	}
	removed := 0
	if live {
		for a := range s.accounts {
			if c.watch[a]--; c.watch[a] == 0 {
				delete(c.watch, a)
				removed++
			}
		}
	}
	if removed > 0 && c.cur != nil {
		c.sendLocked(c.cur, c.subscribeFrame())
	} else {
		c.mu.Unlock()
	}
	s.stop()
}

// stop ends the pump and waits for it.
func (s *Subscription) stop() {
	s.stopOnce.Do(func() { close(s.done) })
	<-s.pumped
}

// push records the latest state of an account. Caller holds c.mu; it never
// blocks.
func (s *Subscription) push(p Presence) {
	s.mu.Lock()
	if _, ok := s.pending[p.Account]; !ok {
		s.order = append(s.order, p.Account)
	}
	s.pending[p.Account] = p
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// pump hands pending states to the reader, oldest account first, each at
// its latest state.
func (s *Subscription) pump() {
	defer s.c.wg.Done()
	defer close(s.pumped)
	defer close(s.ch)
	for {
		s.mu.Lock()
		if len(s.order) == 0 {
			s.mu.Unlock()
			select {
			case <-s.wake:
				continue
			case <-s.done:
				return
			}
		}
		a := s.order[0]
		s.order = s.order[1:]
		if len(s.order) == 0 {
			s.order = nil // let the backing array go
		}
		p := s.pending[a]
		delete(s.pending, a)
		s.mu.Unlock()
		select {
		case s.ch <- p:
		case <-s.done:
			return
		}
	}
}
