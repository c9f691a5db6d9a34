package prefs

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

// Forever is the MutedUntil of a chat muted for ever.
var Forever = time.UnixMilli(math.MaxInt64)

// Prefs are a chat's preferences.
type Prefs struct {
	Pinned   bool
	PinnedAt time.Time // when it was pinned (orders pinned chats)
	// MutedUntil is when a mute ends: zero when not muted, Forever for
	// ever.
	MutedUntil time.Time
	Archived   bool
}

// Muted reports whether the chat is muted at time now.
func (p Prefs) Muted(now time.Time) bool {
	return !p.MutedUntil.IsZero() && now.Before(p.MutedUntil)
}

// Change is what Set changes; nil fields stay as they are.
type Change struct {
	Pinned *bool
	// MutedUntil mutes the chat until a time (Forever: for ever); the
	// zero time unmutes it.
	MutedUntil *time.Time
	Archived   *bool
}

// Changed is published when a chat's preferences changed, here or on
// another device of the account.
type Changed struct {
	Chat  core.Chat
	Prefs Prefs
}

func (Changed) EventName() string { return "chat_prefs_changed" }

// Conversation is a chat of the list with its preferences.
type Conversation struct {
	core.Conversation
	Prefs Prefs
}

// Service is a node's conversation preferences (n.Prefs()).
type Service struct {
	d Deps
}

// New returns the prefs feature and claims its account-log operation; it
// does no I/O (node calls this).
func New(d Deps) (*Service, error) {
	if d.Store == nil || d.Ops == nil || d.Outbox == nil || d.Publish == nil || d.Ready == nil {
		return nil, errors.New("prefs: incomplete deps")
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	s := &Service{d: d}
	d.Ops.HandleOp(OpChat, s.fold)
	d.Ops.HandleState("prefs", s.digest)
	return s, nil
}

// ready returns why the node cannot serve calls (not started, closed).
func (s *Service) ready() error {
	if s == nil {
		return core.ErrNotStarted
	}
	return s.d.Ready()
}

// Set changes chat's preferences on every device of the account and
// returns them as they are now.
func (s *Service) Set(ctx context.Context, chat core.Chat, c Change) (Prefs, error) {
	const op = "set chat prefs"
	if err := s.ready(); err != nil {
		return Prefs{}, fmt.Errorf("%s: %w", op, err)
	}
	if c.Pinned == nil && c.MutedUntil == nil && c.Archived == nil {
		return s.Get(ctx, chat)
	}
	key := rt.Peer(chat)
	body := &pb.OpChatPrefs{Chat: key[:], Group: chat.IsGroup(), Pinned: c.Pinned, Archived: c.Archived}
	if c.Pinned != nil && *c.Pinned {
		body.PinnedAtMs = s.d.Now().UnixMilli()
	}
	if c.MutedUntil != nil {
		ms := int64(0)
		if !c.MutedUntil.IsZero() {
			ms = max(c.MutedUntil.UnixMilli(), 1)
		}
		body.MutedUntilMs = &ms
	}
	raw, err := proto.Marshal(body)
	if err != nil {
		return Prefs{}, fmt.Errorf("%s: %w", op, err)
	}
	var (
		items []storage.OutboxItem
		p     Prefs
	)
	err = s.d.Store.Update(ctx, func(ctx context.Context) error {
		o, its, err := s.d.Ops.Append(ctx, OpChat, raw)
		if err != nil {
			return err
		}
		items = its
		p, err = s.apply(ctx, o, body)
		return err
	})
	if err != nil {
		return Prefs{}, fmt.Errorf("%s: %w", op, err)
	}
	for _, it := range items {
		s.d.Outbox.Enqueue(it)
	}
	s.d.Publish(Changed{Chat: chat, Prefs: p})
	return p, nil
}

// Get returns chat's preferences (the zero Prefs when none were set).
func (s *Service) Get(ctx context.Context, chat core.Chat) (Prefs, error) {
	if err := s.ready(); err != nil {
		return Prefs{}, fmt.Errorf("chat prefs: %w", err)
	}
	rec, err := s.load(ctx, rt.Peer(chat))
	if err != nil {
		return Prefs{}, fmt.Errorf("chat prefs: %w", err)
	}
	return prefsOf(rec), nil
}

// Muted reports whether chat is muted now.
func (s *Service) Muted(ctx context.Context, chat core.Chat) bool {
	p, err := s.Get(ctx, chat)
	return err == nil && p.Muted(s.d.Now())
}

// Conversations lists the chats with their preferences: pinned first
// (the most recently pinned on top), then by their last message, newest
// first. archived selects the archived chats instead of the others.
func (s *Service) Conversations(ctx context.Context, archived bool) ([]Conversation, error) {
	if err := s.ready(); err != nil {
		return nil, fmt.Errorf("conversations: %w", err)
	}
	cs, err := s.d.Store.Conversations(ctx)
	if err != nil {
		return nil, fmt.Errorf("conversations: %w", err)
	}
	all := map[storage.Account]Prefs{}
	err = s.d.Store.ForEachChatPrefs(ctx, func(chat storage.Account, raw []byte) error {
		var rec pb.ChatPrefs
		if err := proto.Unmarshal(raw, &rec); err != nil {
			return fmt.Errorf("chat prefs: %w", err)
		}
		all[chat] = prefsOf(&rec)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("conversations: %w", err)
	}
	out := make([]Conversation, 0, len(cs))
	for _, c := range cs {
		p := all[c.Peer]
		if p.Archived != archived {
			continue
		}
		out = append(out, Conversation{Conversation: rt.Conversation(c), Prefs: p})
	}
	slices.SortStableFunc(out, func(a, b Conversation) int {
		switch {
		case a.Prefs.Pinned != b.Prefs.Pinned:
			if a.Prefs.Pinned {
				return -1
			}
			return 1
		case a.Prefs.Pinned:
			return b.Prefs.PinnedAt.Compare(a.Prefs.PinnedAt)
		}
		return b.Last.ID.Compare(a.Last.ID) // IDs start with their time
	})
	return out, nil
}

func prefsOf(rec *pb.ChatPrefs) Prefs {
	p := Prefs{Pinned: rec.Pinned, Archived: rec.Archived}
	if rec.Pinned {
		p.PinnedAt = time.UnixMilli(rec.PinnedAtMs)
	}
	switch rec.MutedUntilMs {
	case 0:
	case math.MaxInt64:
		p.MutedUntil = Forever
	default:
		p.MutedUntil = time.UnixMilli(rec.MutedUntilMs)
	}
	return p
}

// load returns the stored record of chat (empty when none).
func (s *Service) load(ctx context.Context, chat storage.Account) (*pb.ChatPrefs, error) {
	raw, err := s.d.Store.ChatPrefs(ctx, chat)
	if errors.Is(err, storage.ErrNotFound) {
		return &pb.ChatPrefs{}, nil
	}
	if err != nil {
		return nil, err
	}
	var rec pb.ChatPrefs
	if err := proto.Unmarshal(raw, &rec); err != nil {
		return nil, fmt.Errorf("chat prefs: %w", err)
	}
	return &rec, nil
}
