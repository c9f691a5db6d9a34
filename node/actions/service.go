package actions

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

// Service is a node's edits, deletes and reactions (n.Actions()).
type Service struct {
	d   Deps
	log *slog.Logger
}

// New returns the actions feature and claims the action content kinds
// and operation kinds; it does no I/O (node calls this, and hands
// BeforeInsert to the store).
func New(d Deps) (*Service, error) {
	if d.Store == nil || d.Outbox == nil || d.Recipients == nil || d.Groups == nil ||
		d.Registry == nil || d.Ops == nil || d.Publish == nil || d.Ready == nil {
		return nil, errors.New("actions: incomplete deps")
	}
	log := d.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Service{d: d, log: log}
	d.Registry.HandleContent(rt.KindAction, nil, s.takeAction)
	d.Registry.HandleGroupContent(rt.GroupKindAction, s.takeGroupAction)
	d.Ops.HandleOp(OpAction, s.foldAction)
	d.Ops.HandleOp(OpDeleteForMe, s.foldDeleteForMe)
	d.Ops.CarriesMessage(OpAction, editedMessageOfOp)
	d.Ops.HandleState("actions", s.digest)
	return s, nil
}

// editedMessageOfOp names the message an edit operation carries a text
// of, so that deleting the message redacts its edits from the account
// log too. Deletes and reactions carry no text and stay: a device linked
// later still learns the tombstone.
func editedMessageOfOp(body []byte) (storage.MessageID, bool) {
	var op pb.OpAction
	if proto.Unmarshal(body, &op) != nil || op.GetAction().GetEdit() == nil {
		return storage.MessageID{}, false
	}
	id, err := storage.MessageIDFromBytes(op.Action.Target)
	return id, err == nil
}

// BeforeInsert is the store's insert hook (badger.Store.OnInsert): the
// actions that arrived before message m apply to it as it is stored.
func (s *Service) BeforeInsert(ctx context.Context, m *storage.Message) error {
	return s.beforeInsert(ctx, m)
}

func (s *Service) ready() error {
	if s == nil {
		return core.ErrNotStarted
	}
	return s.d.Ready()
}

// Version is one version of an edited message's text.
type Version struct {
	Version int       // 0: the original
	Text    string    //
	At      time.Time // by the author's clock
}

// Reaction is one emoji's reactions to a message.
type Reaction struct {
	Emoji    string
	Count    int
	Accounts []core.AccountID // who reacted with it, ordered by account
}

// Edit replaces the text (or a file's caption) of message id, which this
// account sent, for everyone in its chat. It fails with ErrNotAuthor,
// ErrTooManyEdits after MaxEdits edits, ErrTooLate past EditWindow.
func (s *Service) Edit(ctx context.Context, id core.MessageID, text string) error {
	const op = "edit"
	if err := s.ready(); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if err := checkText(text); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	m, err := s.target(ctx, id)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	switch {
	case m.Sender != storage.Account(s.d.Self):
		return fmt.Errorf("%s: %w", op, ErrNotAuthor)
	case m.Kind != storage.KindMessage:
		return fmt.Errorf("%s: %w", op, ErrNotText)
	case m.Edits >= MaxEdits:
		return fmt.Errorf("%s: %w", op, ErrTooManyEdits)
	case s.now().After(m.SentAt.Add(EditWindow)):
		return fmt.Errorf("%s: %w", op, ErrTooLate)
	}
	a := &pb.MessageAction{Target: m.ID[:], Action: &pb.MessageAction_Edit{Edit: &pb.Edit{Version: uint32(m.Edits) + 1, Text: text}}}
	return s.send(ctx, op, m, a)
}

// Delete deletes message id: for everyone in its chat (forEveryone: a
// message this account sent, within DeleteWindow; or, as an admin of a
// group that allows it, any member's), or on this account's devices
// only.
func (s *Service) Delete(ctx context.Context, id core.MessageID, forEveryone bool) error {
	const op = "delete"
	if err := s.ready(); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	m, err := s.target(ctx, id)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if !forEveryone {
		return s.deleteForMe(ctx, m)
	}
	del := &pb.Delete{}
	switch {
	case m.Sender == storage.Account(s.d.Self):
		if s.now().After(m.SentAt.Add(DeleteWindow)) {
			return fmt.Errorf("%s: %w", op, ErrTooLate)
		}
	case m.Group && s.d.Groups.MayDeleteAny(core.GroupID(m.Peer), s.d.Self):
		del.ByAdmin = true
	default:
		return fmt.Errorf("%s: %w", op, ErrNotAuthor)
	}
	return s.send(ctx, op, m, &pb.MessageAction{Target: m.ID[:], Action: &pb.MessageAction_Delete{Delete: del}})
}

// React sets this account's reaction to message id to emoji (one emoji;
// empty removes it), for everyone in its chat.
func (s *Service) React(ctx context.Context, id core.MessageID, emoji string) error {
	const op = "react"
	if err := s.ready(); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if err := CheckEmoji(emoji); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	m, err := s.target(ctx, id)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	return s.send(ctx, op, m, &pb.MessageAction{Target: m.ID[:], Action: &pb.MessageAction_Reaction{Reaction: &pb.Reaction{Emoji: emoji}}})
}

// Versions returns the versions of message id's text, the original
// (version 0) first; nil for a message never edited.
func (s *Service) Versions(ctx context.Context, id core.MessageID) ([]Version, error) {
	if err := s.ready(); err != nil {
		return nil, fmt.Errorf("versions: %w", err)
	}
	if _, err := s.d.Store.Message(ctx, storage.MessageID(id)); err != nil {
		return nil, fmt.Errorf("versions: %w", err)
	}
	recs, err := s.d.Store.EditVersions(ctx, storage.MessageID(id))
	if err != nil {
		return nil, fmt.Errorf("versions: %w", err)
	}
	var out []Version
	for _, r := range recs {
		var v pb.ActionEditVersion
		if err := proto.Unmarshal(r, &v); err != nil {
			return nil, fmt.Errorf("versions: %w", err)
		}
		out = append(out, Version{Version: int(v.Version), Text: v.Text, At: time.UnixMilli(v.AtMs)})
	}
	return out, nil
}

// Reactions returns the reactions to message id, the most frequent emoji
// first (then by emoji).
func (s *Service) Reactions(ctx context.Context, id core.MessageID) ([]Reaction, error) {
	if err := s.ready(); err != nil {
		return nil, fmt.Errorf("reactions: %w", err)
	}
	out, err := s.reactions(ctx, storage.MessageID(id))
	if err != nil {
		return nil, fmt.Errorf("reactions: %w", err)
	}
	return out, nil
}

func (s *Service) reactions(ctx context.Context, id storage.MessageID) ([]Reaction, error) {
	recs, err := s.d.Store.Reactions(ctx, id)
	if err != nil {
		return nil, err
	}
	by := map[string]*Reaction{}
	var out []Reaction
	for _, r := range recs { // by reactor
		var rec pb.ActionReaction
		if err := proto.Unmarshal(r, &rec); err != nil {
			return nil, err
		}
		reactor, err := accountFrom(rec.Reactor)
		if rec.Emoji == "" || err != nil {
			continue
		}
		if by[rec.Emoji] == nil {
			out = append(out, Reaction{Emoji: rec.Emoji})
			by[rec.Emoji] = &Reaction{}
		}
		by[rec.Emoji].Accounts = append(by[rec.Emoji].Accounts, core.AccountID(reactor))
	}
	for i := range out {
		out[i].Accounts = by[out[i].Emoji].Accounts
		out[i].Count = len(out[i].Accounts)
	}
	slices.SortFunc(out, func(a, b Reaction) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Emoji, b.Emoji))
	})
	return out, nil
}

// target returns message id, which an action of this account changes.
func (s *Service) target(ctx context.Context, id core.MessageID) (storage.Message, error) {
	if _, err := s.d.Store.Tombstone(ctx, storage.MessageID(id)); err == nil {
		return storage.Message{}, ErrDeleted
	}
	return s.d.Store.Message(ctx, storage.MessageID(id))
}

// deleteForMe removes m from this account's devices.
func (s *Service) deleteForMe(ctx context.Context, m storage.Message) error {
	body, err := proto.Marshal(&pb.OpDeleteForMe{Target: m.ID[:], Chat: m.Peer[:], Group: m.Group})
	if err != nil {
		return fmt.Errorf("delete: %w", err)
	}
	var events []core.Event
	var items []storage.OutboxItem
	err = s.d.Store.Update(ctx, func(ctx context.Context) error {
		var err error
		if events, err = s.remove(ctx, m.ID, forMe(m, s.d.Self)); err != nil {
			return err
		}
		_, items, err = s.d.Ops.Append(ctx, OpDeleteForMe, body)
		return err
	})
	if err != nil {
		return fmt.Errorf("delete: %w", err)
	}
	for _, it := range items {
		s.d.Outbox.Enqueue(it)
	}
	s.publish(events)
	return nil
}

func forMe(m storage.Message, self core.AccountID) *pb.ActionTombstone {
	return &pb.ActionTombstone{Chat: m.Peer[:], Group: m.Group, By: self[:]}
}

// send sends action a on message m to m's chat, applying it here and
// recording it for this account's other devices in the same transaction.
func (s *Service) send(ctx context.Context, op string, m storage.Message, a *pb.MessageAction) error {
	var events []core.Event
	var synced []storage.OutboxItem
	// local applies the action as sent in a message carry at time at.
	local := func(ctx context.Context, carry storage.MessageID, at time.Time, push bool) error {
		self := s.d.Self
		body := &pb.OpAction{Chat: m.Peer[:], Group: m.Group, Author: self[:], CarryId: carry[:], SentAtMs: at.UnixMilli(), Action: a}
		act, err := checkAction(body)
		if err != nil {
			return err
		}
		if events, err = s.apply(ctx, act, true); err != nil {
			return err
		}
		raw, err := proto.Marshal(body)
		if err != nil {
			return err
		}
		if !push {
			_, err = s.d.Ops.Note(ctx, OpAction, raw)
			return err
		}
		_, synced, err = s.d.Ops.Append(ctx, OpAction, raw)
		return err
	}
	if m.Group {
		// Our other devices are members: they get it from the group.
		_, err := s.d.Groups.PublishAction(ctx, core.GroupID(m.Peer), a, func(ctx context.Context, carry storage.MessageID, at time.Time) error {
			return local(ctx, carry, at, false)
		})
		if err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		s.publish(events)
		return nil
	}
	to := core.AccountID(m.Peer)
	if err := s.d.Recipients.CheckRecipient(ctx, to); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	now := rt.WireNow()
	carry := storage.NewMessageID(now)
	raw, err := rt.EncodeContent(&pb.Content{MessageId: carry[:], SentAtMs: now.UnixMilli(), Body: &pb.Content_Action{Action: a}})
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	item := storage.OutboxItem{ID: carry, Recipient: m.Peer, Content: raw, CreatedAt: now}
	store := func(ctx context.Context) error {
		if err := local(ctx, carry, now, true); err != nil {
			return err
		}
		return s.d.Store.PutOutbox(ctx, item)
	}
	stored, err := s.d.Outbox.Preseal(ctx, to, &item, store)
	if err == nil && !stored {
		err = s.d.Store.Update(ctx, store)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	s.d.Outbox.Enqueue(item)
	for _, it := range synced {
		s.d.Outbox.Enqueue(it)
	}
	s.publish(events)
	if err := s.d.Outbox.Durable(ctx); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	return nil
}

// takeAction applies an action another account sent in a 1:1 chat.
func (s *Service) takeAction(ctx context.Context, in rt.Incoming) (rt.Result, error) {
	from := in.From.Account
	if rt.CoreAccount(from) == s.d.Self {
		return rt.Result{}, nil // our devices sync actions through the account log
	}
	body := &pb.OpAction{Chat: from[:], Author: from[:], CarryId: in.ID[:], SentAtMs: in.SentAt.UnixMilli(), Action: in.Content.GetAction()}
	push := s.d.ListVersion != nil && in.Envelope.GetRecipientListVersion() < s.d.ListVersion()
	return s.take(ctx, body, push)
}

// takeGroupAction applies an action a member sent to a group (our own
// other devices' too: they are members).
func (s *Service) takeGroupAction(ctx context.Context, in rt.GroupIncoming) (rt.Result, error) {
	from := in.From.Account
	body := &pb.OpAction{Chat: in.Group[:], Group: true, Author: from[:], CarryId: in.ID[:], SentAtMs: in.SentAt.UnixMilli(), Action: in.Content.GetAction()}
	return s.take(ctx, body, false)
}

// take applies a received action and notes it in the account log (a
// device linked later gets it in its history; push sends it to our other
// devices now, when the sender did not know them).
func (s *Service) take(ctx context.Context, body *pb.OpAction, push bool) (rt.Result, error) {
	a, err := checkAction(body)
	if err != nil {
		return rt.Result{}, err
	}
	events, err := s.apply(ctx, a, false)
	if errors.Is(err, errRejected) {
		s.log.Debug("action rejected", "target", a.target.String(), "err", err)
		return rt.Result{}, nil
	}
	if err != nil {
		return rt.Result{}, err
	}
	raw, err := proto.Marshal(body)
	if err != nil {
		return rt.Result{}, err
	}
	var synced []storage.OutboxItem
	if push {
		_, synced, err = s.d.Ops.Append(ctx, OpAction, raw)
	} else {
		_, err = s.d.Ops.Note(ctx, OpAction, raw)
	}
	if err != nil {
		return rt.Result{}, err
	}
	return rt.Result{After: func(context.Context) {
		for _, it := range synced {
			s.d.Outbox.Enqueue(it)
		}
		s.publish(events)
	}}, nil
}
