package localapi

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"sync"
	"time"

	"github.com/pigeon-net/pigeon/node/core"
)

const (
	// replayEvents and replayBytes bound the events kept for clients that
	// reconnect with a cursor: the last 10,000, or fewer when they take
	// more than 16 MiB of JSON.
	replayEvents = 10000
	replayBytes  = 16 << 20
	// loadNamesTimeout bounds the reads of contact and group names.
	loadNamesTimeout = 10 * time.Second
)

// eventLog numbers the node's events for /v1/events and keeps the newest
// of them, so that a client that lost its stream can resume after the last
// event it saw (its cursor) without a gap or a repeat. Each event is
// encoded to JSON once, with its sequence number, when it is appended.
// Sequence numbers start at 1 and are strictly increasing; epoch tells this
// log (this daemon process) from an earlier one whose numbers started
// again.
type eventLog struct {
	epoch     string
	maxEvents int
	maxBytes  int

	mu     sync.Mutex    // guards the fields below
	ring   []loggedEvent // len maxEvents; the oldest at head
	head   int           // index of the oldest event in ring
	n      int           // events in ring
	bytes  int           // sum of the frames' lengths in ring
	last   uint64        // sequence number of the newest event; 0 before the first
	wake   chan struct{} // closed (and replaced) when an event is appended or the log closes
	closed bool          // no more events will come
}

type loggedEvent struct {
	seq   uint64
	frame []byte // the event's JSON, "seq" included; never modified
}

func newEventLog(maxEvents, maxBytes int) *eventLog {
	var e [8]byte
	rand.Read(e[:]) // never fails (crypto/rand)
	return &eventLog{
		epoch:     hex.EncodeToString(e[:]),
		maxEvents: maxEvents,
		maxBytes:  maxBytes,
		ring:      make([]loggedEvent, maxEvents),
		wake:      make(chan struct{}),
	}
}

// append numbers ev, encodes it and keeps it, dropping the oldest events
// beyond the log's bounds.
func (l *eventLog) append(ev Event) {
	l.mu.Lock()
	defer l.mu.Unlock()
	ev.Seq = l.last + 1
	b, err := json.Marshal(&ev)
	if err != nil {
		return // Event has no type that fails to encode
	}
	l.last = ev.Seq
	for l.n > 0 && (l.n == l.maxEvents || l.bytes+len(b) > l.maxBytes) {
		l.bytes -= len(l.ring[l.head].frame)
		l.ring[l.head] = loggedEvent{}
		l.head = (l.head + 1) % l.maxEvents
		l.n--
	}
	l.ring[(l.head+l.n)%l.maxEvents] = loggedEvent{seq: ev.Seq, frame: b}
	l.n++
	l.bytes += len(b)
	close(l.wake)
	l.wake = make(chan struct{})
}

// close wakes every reader for the last time.
func (l *eventLog) close() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.closed {
		l.closed = true
		close(l.wake)
	}
}

// start places a new stream's cursor. With after nil the stream starts at
// the newest event. Otherwise, when epoch is this log's and every event
// after *after is still kept, it starts there (the kept events are
// replayed); if not, reset is set and it starts at the newest event. last
// is the newest event's sequence number, for the hello frame.
func (l *eventLog) start(epoch string, after *uint64) (cursor, last uint64, reset bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if after == nil {
		return l.last, l.last, false
	}
	if epoch != l.epoch || *after > l.last || *after+1 < l.oldest() {
		return l.last, l.last, true
	}
	return *after, l.last, false
}

// oldest is the sequence number of the oldest event kept (l.last+1 when
// none is).
func (l *eventLog) oldest() uint64 { return l.last - uint64(l.n) + 1 }

// read returns up to max events after cursor. lost says that events after
// cursor are no longer kept (the reader fell more than the log's size
// behind); next is then the cursor to go on from, the newest event.
// wake is closed when there may be more to read; closed says that the log
// has ended and everything was read.
func (l *eventLog) read(cursor uint64, max int) (evs []loggedEvent, lost bool, next uint64, wake <-chan struct{}, closed bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if cursor+1 < l.oldest() {
		return nil, true, l.last, l.wake, false
	}
	for seq := cursor + 1; seq <= l.last && len(evs) < max; seq++ {
		evs = append(evs, l.ring[(l.head+int(seq-l.oldest()))%l.maxEvents])
	}
	if len(evs) > 0 {
		next = evs[len(evs)-1].seq
	} else {
		next = cursor
	}
	return evs, false, next, l.wake, l.closed && next == l.last
}

// runEventLog feeds the node's events into s.events until the
// subscription ends (Close, or the node closing). The names beside IDs are
// those at the time of the event.
func (s *Server) runEventLog() {
	defer close(s.logDone)
	defer s.events.close()
	names := func() names {
		ctx, cancel := context.WithTimeout(context.Background(), loadNamesTimeout)
		defer cancel()
		return s.loadNames(ctx)
	}
	nm := names()
	var reported uint64 // s.eventSub.Dropped() already logged as "dropped"
	for e := range s.eventSub.Events() {
		if d := s.eventSub.Dropped(); d > reported {
			// This loop fell behind the node (it only encodes, so that
			// takes a stalled machine): every client learns of the gap.
			s.events.append(Event{Type: EventDropped, Count: d - reported})
			reported = d
		}
		if changesNames(e) {
			nm = names()
		}
		if ev, ok := eventJSON(e); ok {
			if ev.Message != nil {
				// A received file arrives with its attachment, as in
				// history: the node stores it before the event.
				ctx, cancel := context.WithTimeout(context.Background(), loadNamesTimeout)
				*ev.Message = s.withMedia(ctx, *ev.Message)
				if mr, ok := e.(core.MessageReceived); ok {
					s.convoEvent(ctx, &ev, mr.Message)
				}
				cancel()
			}
			nm.event(&ev)
			s.events.append(ev)
		}
	}
}
