package presence

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

// TypingTTL is how long a typing indicator lasts at the receiver unless the
// sender repeats it; senders repeat it every few seconds while the user
// types.
const TypingTTL = 6 * time.Second

// typingTTL is TypingTTL, shortened by tests.
var typingTTL = TypingTTL

// kindTyping is the content kind of typing indicators.
const kindTyping = rt.KindTyping

// SetTyping tells peer's devices that the user is (active) or stopped
// typing. Indicators are end-to-end encrypted like messages but ephemeral:
// they go only to devices connected right now, are never stored or queued,
// and expire after TypingTTL at the receiver. It returns
// core.ErrUnknownAccount when peer cannot be resolved; unreachable devices
// are skipped silently.
func (s *Service) SetTyping(ctx context.Context, peer core.AccountID, active bool) error {
	const op = "set typing"
	if err := s.ready(); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if peer == s.d.Self {
		return fmt.Errorf("%s: %w", op, core.ErrSelf)
	}
	if _, err := s.d.Policy.Allowed(ctx, peer); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	now := time.Now()
	id := core.MessageID(storage.NewMessageID(now))
	raw, err := rt.EncodeContent(&pb.Content{MessageId: id[:], SentAtMs: now.UnixMilli(), Body: &pb.Content_Typing{Typing: &pb.Typing{Active: active}}})
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if err := s.d.Outbox.SendEphemeral(ctx, peer, id, raw); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	return nil
}

// Stopped ends the typing indicator of from early: a message from them
// arrived. For node's wiring (chats and media call it).
func (s *Service) Stopped(from core.AccountID) {
	s.typists.stopped(from)
}

// takeTyping shows a typing indicator (stored nowhere).
func (s *Service) takeTyping(_ context.Context, in rt.Incoming) (rt.Result, error) {
	t := in.Content.GetTyping()
	if t == nil {
		return rt.Result{}, fmt.Errorf("%w: typing", rt.ErrBadContent)
	}
	return rt.Result{After: func(context.Context) { s.typists.update(rt.CoreAccount(in.From.Account), t.Active) }}, nil
}

// typists tracks who is typing to us and publishes the expiry of each
// indicator.
type typists struct {
	publish func(core.Event)

	mu     sync.Mutex // guards timers, gens, gen and closed
	timers map[core.AccountID]*time.Timer
	gens   map[core.AccountID]uint64 // the number of each running timer
	gen    uint64                    // numbers timers, so a stale one knows it was replaced
	closed bool
}

func newTypists(publish func(core.Event)) *typists {
	return &typists{publish: publish, timers: make(map[core.AccountID]*time.Timer), gens: make(map[core.AccountID]uint64)}
}

// update records an indicator from a contact and publishes it.
func (t *typists) update(from core.AccountID, active bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return
	}
	if old := t.timers[from]; old != nil {
		old.Stop()
		delete(t.timers, from)
	}
	until := time.Now().Add(typingTTL)
	if active {
		t.gen++
		gen := t.gen
		t.timers[from] = time.AfterFunc(typingTTL, func() { t.expire(from, gen) })
		t.gens[from] = gen
	} else {
		until = time.Time{}
	}
	t.publish(Typing{From: from, Active: active, Until: until})
}

func (t *typists) expire(from core.AccountID, gen uint64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed || t.gens[from] != gen || t.timers[from] == nil {
		return // replaced or stopped meanwhile
	}
	delete(t.timers, from)
	delete(t.gens, from)
	t.publish(Typing{From: from})
}

// stopped ends an active indicator early (its message arrived).
func (t *typists) stopped(from core.AccountID) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if timer := t.timers[from]; timer != nil && !t.closed {
		timer.Stop()
		delete(t.timers, from)
		t.publish(Typing{From: from})
	}
}

// close stops every timer.
func (t *typists) close() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.closed = true
	for _, timer := range t.timers {
		timer.Stop()
	}
	clear(t.timers)
}
