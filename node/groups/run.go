package groups

import (
	"bytes"
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pigeon-net/pigeon/protocol/e2e"
	"github.com/pigeon-net/pigeon/protocol/group"
	"github.com/pigeon-net/pigeon/protocol/groupcast"
	"github.com/pigeon-net/pigeon/storage"
)

// groupRun is one group this node knows.
type groupRun struct {
	id    group.ID
	name  string // sender-key group name: the hex ID
	topic groupcast.Topic

	// Lock order: checkMu, then distMu, then sendMu, then mu.
	checkMu sync.Mutex // a send's check of the key's holders (devicesChanged)
	sendMu  sync.Mutex // serializes sends: sequence numbers and publishes in order
	distMu  sync.Mutex // serializes sender-key hand-outs

	// devicesChanged says a member's device list changed since the last
	// send: the next send checks the key's holders first (DevicesChanged).
	devicesChanged atomic.Bool

	mu       sync.Mutex // guards the fields below
	log      *group.Log
	rec      storage.Group
	gc       *groupcast.Group           // nil unless active
	stop     context.CancelFunc         // stops pump and worker; nil unless active
	unsent   []unsentGroup              // own envelopes published with no topic peer
	repaired time.Time                  // last repair
	dialed   time.Time                  // last round of dialling members
	kick     chan struct{}              // cap 1: run the worker now
	keyKick  chan struct{}              // cap 1: hand out the sender key now
	side     chan []byte                // envelopes the validator held back, for the pump
	retry    chan struct{}              // cap 1: the pump takes the waiting envelopes again
	typing   map[e2e.Address]heldTyping // indicators waiting for their sender's key
}

func newGroupRun(l *group.Log, rec storage.Group) *groupRun {
	return &groupRun{
		id:      l.ID(),
		name:    l.ID().String(),
		topic:   topicOf(l),
		log:     l,
		rec:     rec,
		kick:    make(chan struct{}, 1),
		keyKick: make(chan struct{}, 1),
		side:    make(chan []byte, groupSideQueue),
		retry:   make(chan struct{}, 1),
	}
}

func topicOf(l *group.Log) groupcast.Topic {
	id := l.ID()
	return groupcast.TopicFor(id[:], l.State().Secret())
}

// groupSideQueue bounds the envelopes the validator holds back for the
// pump; past it they are dropped (gap repair brings them).
const groupSideQueue = 256

// heldTyping is a typing indicator that waits for its sender's key.
type heldTyping struct {
	raw   []byte
	until time.Time
}

// holdTyping keeps the latest typing indicator of a sender whose key has
// not arrived, for as long as it would last.
func (r *groupRun) holdTyping(env *groupEnvelope, raw []byte) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.typing == nil {
		r.typing = make(map[e2e.Address]heldTyping)
	}
	r.typing[e2e.Address{Account: env.sender, Device: env.device}] = heldTyping{raw: raw, until: time.Now().Add(typingTTL)}
}

// heldTyping takes the indicators still worth showing.
func (r *groupRun) heldTyping() [][]byte {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out [][]byte
	for _, h := range r.typing {
		if time.Now().Before(h.until) {
			out = append(out, h.raw)
		}
	}
	clear(r.typing)
	return out
}

// aside hands the pump an envelope the validator did not let through.
func (r *groupRun) aside(payload []byte) {
	select {
	case r.side <- bytes.Clone(payload):
	default:
	}
}

// retryPending has the pump take the envelopes that wait for a key or a
// membership again (something they may wait for arrived).
func (r *groupRun) retryPending() {
	select {
	case r.retry <- struct{}{}:
	default:
	}
}

// poke runs the group's worker and key hand-out now.
func (r *groupRun) poke() {
	for _, c := range []chan struct{}{r.kick, r.keyKick} {
		select {
		case c <- struct{}{}:
		default:
		}
	}
}
