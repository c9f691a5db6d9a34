package node

import (
	"sync"
	"sync/atomic"

	"github.com/pigeon-net/pigeon/node/core"
)

// Event is implemented by every event type the node publishes (see
// core.Event). Subscribe to Event itself to receive all of them.
type Event = core.Event

// ReceiptReceived is published when a contact's device sends a delivery or
// read receipt.
type ReceiptReceived = core.ReceiptReceived

// MessagePending is published when the reason outgoing messages to a peer
// wait changes (see PendingReason).
type MessagePending = core.MessagePending

// subscriberBuffer is how many events a subscriber may fall behind before
// events are dropped for it.
const subscriberBuffer = 1024

// Subscription delivers events of type T. A subscriber that falls more than
// 1024 events behind loses the newest events (Dropped counts them); the node
// never blocks on a slow subscriber. Clients that must not miss state can
// re-read history after a drop.
type Subscription[T Event] struct {
	ch      chan T
	bus     *bus
	dropped atomic.Uint64
	once    sync.Once
}

// Events returns the channel events arrive on; it is closed by Close or when
// the node closes.
func (s *Subscription[T]) Events() <-chan T { return s.ch }

// Dropped counts events lost because the subscriber was too slow.
func (s *Subscription[T]) Dropped() uint64 { return s.dropped.Load() }

// Close stops the subscription and closes its channel.
func (s *Subscription[T]) Close() { s.bus.remove(s) }

func (s *Subscription[T]) deliver(e Event) {
	t, ok := e.(T)
	if !ok {
		return
	}
	select {
	case s.ch <- t:
	default:
		s.dropped.Add(1)
	}
}

func (s *Subscription[T]) close() { s.once.Do(func() { close(s.ch) }) }

type subscriber interface {
	deliver(Event)
	close()
}

// bus fans events out to subscribers.
type bus struct {
	mu     sync.Mutex // guards subs and closed
	subs   map[subscriber]struct{}
	closed bool
}

func newBus() *bus { return &bus{subs: make(map[subscriber]struct{})} }

func (b *bus) publish(e Event) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for s := range b.subs {
		s.deliver(e)
	}
}

func (b *bus) add(s subscriber) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		s.close()
		return
	}
	b.subs[s] = struct{}{}
}

func (b *bus) remove(s subscriber) {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.subs, s)
	s.close()
}

func (b *bus) close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closed = true
	for s := range b.subs {
		s.close()
	}
	clear(b.subs)
}

// Subscribe returns a subscription to events of type T (use Event for all).
func Subscribe[T Event](n *Node) *Subscription[T] {
	s := &Subscription[T]{ch: make(chan T, subscriberBuffer), bus: n.bus}
	n.bus.add(s)
	return s
}
