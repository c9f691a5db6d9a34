package expiry

import (
	"bytes"
	"context"
	"errors"
	"time"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

// The hooks below are the expiry feature's part in the chats and groups
// features' paths: sending (Stamp), storing a message (Receive, Stored)
// and reading a chat (Read).

// Stamp prepares a message this device is about to send to chat: it
// returns the timer the content carries as meta (nil when the chat never
// had one) and sets m's ExpireAfter and, from m.SentAt, ExpiresAt. A chat
// that starts now (no timer, no history) first gets the default timer of
// new chats, if one is set. It runs outside any transaction.
func (s *Service) Stamp(ctx context.Context, chat storage.Account, group bool, m *storage.Message) (*pb.ChatTimer, error) {
	t, err := s.load(ctx, chat)
	if err != nil {
		return nil, err
	}
	if t == nil && !group {
		if t, err = s.startChat(ctx, chat); err != nil {
			return nil, err
		}
	}
	if t == nil || t.Seconds == 0 {
		return t, nil
	}
	m.ExpireAfter = time.Duration(t.Seconds) * time.Second
	m.ExpiresAt = m.SentAt.Add(m.ExpireAfter)
	return t, nil
}

// startChat applies the default timer to a 1:1 chat that has no messages
// yet; it returns the chat's timer then (nil: none).
func (s *Service) startChat(ctx context.Context, chat storage.Account) (*pb.ChatTimer, error) {
	def, err := s.Default(ctx)
	if err != nil || def == 0 {
		return nil, err
	}
	ms, err := s.d.Store.History(ctx, chat, storage.MessageID{}, 1)
	if err != nil || len(ms) > 0 {
		return nil, err
	}
	if _, err := s.SetTimer(ctx, core.Chat{Account: core.AccountID(chat)}, def); err != nil {
		return nil, err
	}
	return s.load(ctx, chat)
}

// Receive prepares a message about to be stored (received, or folded from
// another device of ours) in ctx's transaction: meta is the timer its
// content carried. m gets its ExpireAfter; an outgoing message (sent from
// another device of ours) its deadline from its send time, an incoming
// one already read its deadline from the chat's read. A timer change the
// meta names that this device missed is applied as if it had come itself.
// The returned function runs after commit.
func (s *Service) Receive(ctx context.Context, chat storage.Account, group bool, meta *pb.ChatTimer, m *storage.Message) (func(), error) {
	if meta == nil || meta.Seconds == 0 && meta.Version == 0 {
		return nil, nil
	}
	if checkWire(meta) != nil {
		return nil, nil // a malformed meta changes nothing; the message itself is fine
	}
	var events []core.Event
	if s.mayCarry(ctx, chat, group, meta, m) {
		var err error
		if events, err = s.apply(ctx, chat, group, meta); err != nil {
			return nil, err
		}
	}
	m.ExpireAfter = time.Duration(meta.Seconds) * time.Second
	switch {
	case m.ExpireAfter == 0:
	case m.Direction == storage.Outgoing:
		m.ExpiresAt = m.SentAt.Add(m.ExpireAfter)
	case m.State == storage.Read:
		upTo, at, err := s.d.Store.ChatRead(ctx, chat)
		if err != nil {
			return nil, err
		}
		if at.IsZero() || bytes.Compare(upTo[:], m.ID[:]) < 0 {
			at = s.d.Clock.Now()
		}
		m.ExpiresAt = at.Add(m.ExpireAfter)
	}
	return func() {
		s.publish(events)
		s.Wake()
	}, nil
}

// mayCarry reports whether message m may bring the change its meta
// names. In a 1:1 chat a received message carries only its sender's own
// changes (the other side cannot put words in our mouth; our own changes
// reach our devices through the account log), and one of ours either
// side's. In a group the setter must be a member who may edit its info.
func (s *Service) mayCarry(ctx context.Context, chat storage.Account, group bool, meta *pb.ChatTimer, m *storage.Message) bool {
	setter := storage.Account(meta.Setter)
	if !group {
		if m.Direction == storage.Incoming {
			return setter == m.Sender
		}
		return setter == chat || setter == storage.Account(s.d.Self)
	}
	if s.d.Groups == nil {
		return false
	}
	ok, err := s.d.Groups.CanEditInfo(ctx, core.GroupID(chat), core.AccountID(setter))
	return err == nil && ok
}

// Stored indexes a message that was just stored (after Stamp or Receive),
// in the transaction that stored it: a running countdown goes into the
// deadline index, an incoming message waiting for its first read into the
// chat's countdowns.
func (s *Service) Stored(ctx context.Context, m storage.Message) error {
	if m.ExpireAfter <= 0 || m.Kind != storage.KindMessage {
		return nil
	}
	if m.Direction == storage.Incoming {
		if err := s.d.Store.PutCountdown(ctx, m.Peer, storage.Countdown{ID: m.ID, ExpireAfter: m.ExpireAfter, ExpiresAt: m.ExpiresAt}); err != nil {
			return err
		}
	}
	if m.ExpiresAt.IsZero() {
		return nil
	}
	s.lowerFloor(m.ExpiresAt)
	return s.d.Store.PutDeadline(ctx, storage.Deadline{At: m.ExpiresAt, ID: m.ID, Chat: m.Peer})
}

// Read starts the countdown of chat's incoming disappearing messages up
// to and including upTo, read at at (the time of the read's account-log
// operation, the same on every device), in ctx's transaction. A message
// whose countdown started later (a read on another device of ours, which
// this one learnt of first) moves to the earlier deadline: every device
// ends with the deadline of the first read. The returned function runs
// after commit.
func (s *Service) Read(ctx context.Context, chat storage.Account, upTo storage.MessageID, at time.Time) (func(), error) {
	old, _, err := s.d.Store.ChatRead(ctx, chat)
	if err != nil {
		return nil, err
	}
	if bytes.Compare(upTo[:], old[:]) > 0 {
		if err := s.d.Store.PutChatRead(ctx, chat, upTo, at); err != nil {
			return nil, err
		}
	}
	cs, err := s.d.Store.Countdowns(ctx, chat, upTo)
	if err != nil {
		return nil, err
	}
	started := false
	for _, c := range cs {
		want := at.Add(c.ExpireAfter)
		if !c.ExpiresAt.IsZero() && !want.Before(c.ExpiresAt) {
			continue
		}
		_, err := s.d.Store.UpdateMessage(ctx, c.ID, func(m *storage.Message) error {
			m.ExpiresAt = want
			return nil
		})
		if errors.Is(err, storage.ErrNotFound) {
			if err := s.d.Store.DeleteCountdown(ctx, chat, c.ID); err != nil {
				return nil, err
			}
			continue
		}
		if err != nil {
			return nil, err
		}
		if !c.ExpiresAt.IsZero() {
			if err := s.d.Store.DeleteDeadline(ctx, c.ExpiresAt, c.ID); err != nil {
				return nil, err
			}
		}
		c.ExpiresAt = want
		if err := s.d.Store.PutCountdown(ctx, chat, c); err != nil {
			return nil, err
		}
		s.lowerFloor(want)
		if err := s.d.Store.PutDeadline(ctx, storage.Deadline{At: want, ID: c.ID, Chat: chat}); err != nil {
			return nil, err
		}
		started = true
	}
	if !started {
		return nil, nil
	}
	return s.Wake, nil
}

// Wake tells the sweep worker that a deadline was added (call after the
// transaction that added it committed).
func (s *Service) Wake() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// chatOf is the core form of a stored conversation key.
func chatOf(m storage.Message) core.Chat { return rt.Chat(m.Peer, m.Group) }
