package actions

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/rivo/uniseg"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

// Limits and windows of actions.
const (
	// MaxEdits is how many times a message may be edited.
	MaxEdits = 10
	// EditWindow is how long after sending a message may be edited.
	EditWindow = 24 * time.Hour
	// DeleteWindow is how long after sending a message may be deleted
	// for everyone by its author.
	DeleteWindow = 48 * time.Hour
	// Margin is added to the windows on receipt: clocks differ, and an
	// action may travel for a while.
	Margin = time.Hour
	// MaxTextSize is the largest edited text, in bytes of UTF-8.
	MaxTextSize = 64 << 10
	// MaxEmojiSize bounds a reaction, in bytes of UTF-8.
	MaxEmojiSize = 32
	// maxOpSize bounds an encoded action operation or record.
	maxOpSize = MaxTextSize + 1024
)

// act is a checked action: what it changes, who made it and what carried
// it.
type act struct {
	op     *pb.OpAction
	chat   storage.Account
	target storage.MessageID
	carry  storage.MessageID
	author storage.Account
	sentAt time.Time
}

func (a act) edit() *pb.Edit         { return a.op.GetAction().GetEdit() }
func (a act) del() *pb.Delete        { return a.op.GetAction().GetDelete() }
func (a act) reaction() *pb.Reaction { return a.op.GetAction().GetReaction() }

// decodeAction decodes and checks an encoded action (an operation's body
// or a waiting record).
func decodeAction(b []byte) (act, error) {
	if len(b) > maxOpSize {
		return act{}, fmt.Errorf("%w: action of %d bytes", rt.ErrBadContent, len(b))
	}
	var op pb.OpAction
	if err := proto.Unmarshal(b, &op); err != nil {
		return act{}, fmt.Errorf("%w: action: %v", rt.ErrBadContent, err)
	}
	return checkAction(&op)
}

// checkAction checks an action's fields: IDs and accounts of the right
// size, one known action with its bounds.
func checkAction(op *pb.OpAction) (act, error) {
	bad := func(what string) (act, error) { return act{}, fmt.Errorf("%w: action %s", rt.ErrBadContent, what) }
	var a act
	var err error
	a.op = op
	if a.chat, err = accountFrom(op.Chat); err != nil {
		return bad("chat")
	}
	if a.author, err = accountFrom(op.Author); err != nil {
		return bad("author")
	}
	if a.carry, err = storage.MessageIDFromBytes(op.CarryId); err != nil {
		return bad("carrying id")
	}
	if a.target, err = storage.MessageIDFromBytes(op.GetAction().GetTarget()); err != nil {
		return bad("target")
	}
	if a.target == a.carry {
		return bad("target")
	}
	a.sentAt = time.UnixMilli(op.SentAtMs)
	switch {
	case a.edit() != nil:
		e := a.edit()
		if e.Version < 1 || e.Version > MaxEdits {
			return bad("edit version")
		}
		if err := checkText(e.Text); err != nil {
			return bad("edit text")
		}
	case a.del() != nil:
		if a.del().ByAdmin && !op.Group {
			return bad("admin delete outside a group")
		}
	case a.reaction() != nil:
		if err := CheckEmoji(a.reaction().Emoji); err != nil {
			return bad("reaction")
		}
	default:
		return bad("kind")
	}
	return a, nil
}

func checkText(text string) error {
	switch {
	case text == "":
		return core.ErrEmpty
	case len(text) > MaxTextSize:
		return fmt.Errorf("%w: text of %d bytes, limit %d", core.ErrTooLarge, len(text), MaxTextSize)
	case !utf8.ValidString(text):
		return errors.New("text is not valid UTF-8")
	}
	return nil
}

// CheckEmoji checks a reaction: empty (removed), or one emoji (a single
// grapheme cluster of at most MaxEmojiSize bytes that is a symbol or a
// keycap).
func CheckEmoji(emoji string) error {
	if emoji == "" {
		return nil
	}
	if len(emoji) > MaxEmojiSize || !utf8.ValidString(emoji) || uniseg.GraphemeClusterCount(emoji) != 1 {
		return ErrBadEmoji
	}
	r, _ := utf8.DecodeRuneInString(emoji)
	if unicode.Is(unicode.So, r) || (r >= 0x1F1E6 && r <= 0x1F1FF) || bytes.ContainsRune([]byte(emoji), 0x20E3) {
		return nil
	}
	return ErrBadEmoji
}

func accountFrom(b []byte) (storage.Account, error) {
	a, err := identity.AccountIDFromBytes(b)
	return storage.Account(a), err
}

// now is the clock of the windows.
func (s *Service) now() time.Time {
	if s.d.Now != nil {
		return s.d.Now()
	}
	return time.Now()
}

// allowed checks that action a may change message m: the same chat, and
// the author's rights. own says a comes from this account's log, where
// the device that made or received it checked the windows already (a
// device linked later folds actions weeks old).
func (s *Service) allowed(m storage.Message, a act, own bool) error {
	within := func(window time.Duration) bool {
		return own || !s.now().After(m.StoredAt.Add(window+Margin))
	}
	switch {
	case m.Peer != a.chat || m.Group != a.op.Group:
		return fmt.Errorf("%w: not a message of the action's chat", errRejected)
	case a.edit() != nil:
		switch {
		case a.author != m.Sender:
			return fmt.Errorf("%w: edit: %w", errRejected, ErrNotAuthor)
		case m.Kind != storage.KindMessage:
			return fmt.Errorf("%w: edit: %w", errRejected, ErrNotText)
		case !within(EditWindow):
			return fmt.Errorf("%w: edit: %w", errRejected, ErrTooLate)
		}
	case a.del() != nil:
		if a.del().ByAdmin {
			if !s.d.Groups.MayDeleteAny(core.GroupID(m.Peer), core.AccountID(a.author)) {
				return fmt.Errorf("%w: delete: not an admin allowed to", errRejected)
			}
			return nil
		}
		switch {
		case a.author != m.Sender:
			return fmt.Errorf("%w: delete: %w", errRejected, ErrNotAuthor)
		case !within(DeleteWindow):
			return fmt.Errorf("%w: delete: %w", errRejected, ErrTooLate)
		}
	case a.reaction() != nil:
		if !m.Group && a.author != m.Peer && a.author != storage.Account(s.d.Self) {
			return fmt.Errorf("%w: reaction from outside the chat", errRejected)
		}
	}
	return nil
}

// apply applies action a to its message, in ctx's transaction, and
// returns the events to publish after commit. An action whose message is
// not here waits for it; one whose message was deleted is dropped; one
// not allowed returns an error wrapping errRejected.
func (s *Service) apply(ctx context.Context, a act, own bool) ([]core.Event, error) {
	switch _, err := s.d.Store.Tombstone(ctx, a.target); {
	case err == nil:
		return nil, nil // deleted: the tombstone wins
	case !errors.Is(err, storage.ErrNotFound):
		return nil, err
	}
	m, err := s.d.Store.Message(ctx, a.target)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, s.wait(ctx, a)
	}
	if err != nil {
		return nil, err
	}
	if err := s.allowed(m, a, own); err != nil {
		return nil, err
	}
	switch {
	case a.edit() != nil:
		won, err := s.keepVersion(ctx, m, a)
		if err != nil || !won {
			return nil, err
		}
		m, err = s.d.Store.UpdateMessage(ctx, m.ID, func(m *storage.Message) error {
			setVersion(m, a)
			return nil
		})
		if err != nil {
			return nil, err
		}
		return []core.Event{edited(m)}, nil
	case a.del() != nil:
		return s.remove(ctx, m.ID, &pb.ActionTombstone{
			Chat: m.Peer[:], Group: m.Group, By: a.author[:], ForEveryone: true, AtMs: a.op.SentAtMs,
		})
	default:
		return s.react(ctx, m, a)
	}
}

func setVersion(m *storage.Message, a act) {
	m.Text, m.Edits, m.EditedAt = a.edit().Text, uint8(a.edit().Version), a.sentAt
}

func edited(m storage.Message) core.Event {
	return core.MessageEdited{ID: rt.CoreID(m.ID), Chat: rt.Chat(m.Peer, m.Group), Text: m.Text, Edits: int(m.Edits), EditedAt: m.EditedAt}
}

// keepVersion keeps edit a among message m's versions (and m's text as
// version 0 at its first edit) and reports whether it becomes the text
// shown: the highest version wins, ties go to the higher carrying ID.
func (s *Service) keepVersion(ctx context.Context, m storage.Message, a act) (bool, error) {
	e := a.edit()
	v := uint8(e.Version)
	switch old, err := s.d.Store.EditVersion(ctx, m.ID, v); {
	case err == nil:
		var o pb.ActionEditVersion
		if err := proto.Unmarshal(old, &o); err != nil {
			return false, fmt.Errorf("edit version: %w", err)
		}
		if bytes.Compare(o.CarryId, a.carry[:]) >= 0 {
			return false, nil // held, or loses the tie
		}
	case !errors.Is(err, storage.ErrNotFound):
		return false, err
	}
	if m.Edits == 0 {
		if err := s.putVersion(ctx, m.ID, &pb.ActionEditVersion{Version: 0, Text: m.Text, AtMs: m.SentAt.UnixMilli()}); err != nil {
			return false, err
		}
	}
	if err := s.putVersion(ctx, m.ID, &pb.ActionEditVersion{Version: e.Version, Text: e.Text, AtMs: a.op.SentAtMs, CarryId: a.carry[:]}); err != nil {
		return false, err
	}
	return v >= m.Edits, nil
}

func (s *Service) putVersion(ctx context.Context, id storage.MessageID, v *pb.ActionEditVersion) error {
	b, err := proto.Marshal(v)
	if err != nil {
		return err
	}
	return s.d.Store.PutEditVersion(ctx, id, uint8(v.Version), b)
}

// react keeps a's reaction when it is later than the reactor's one held
// (by sent time, then carrying ID).
func (s *Service) react(ctx context.Context, m storage.Message, a act) ([]core.Event, error) {
	rec := &pb.ActionReaction{Reactor: a.author[:], Emoji: a.reaction().Emoji, SentAtMs: a.op.SentAtMs, CarryId: a.carry[:]}
	switch old, err := s.d.Store.Reaction(ctx, m.ID, a.author); {
	case err == nil:
		var o pb.ActionReaction
		if err := proto.Unmarshal(old, &o); err != nil {
			return nil, fmt.Errorf("reaction: %w", err)
		}
		if o.SentAtMs > rec.SentAtMs || (o.SentAtMs == rec.SentAtMs && bytes.Compare(o.CarryId, rec.CarryId) >= 0) {
			return nil, nil
		}
	case !errors.Is(err, storage.ErrNotFound):
		return nil, err
	}
	b, err := proto.Marshal(rec)
	if err != nil {
		return nil, err
	}
	if err := s.d.Store.PutReaction(ctx, m.ID, a.author, b); err != nil {
		return nil, err
	}
	return []core.Event{core.ReactionChanged{
		ID: rt.CoreID(m.ID), Chat: rt.Chat(m.Peer, m.Group), Account: core.AccountID(a.author), Emoji: rec.Emoji,
	}}, nil
}

// remove deletes message id, leaving tombstone t, and drops the actions
// waiting for it.
func (s *Service) remove(ctx context.Context, id storage.MessageID, t *pb.ActionTombstone) ([]core.Event, error) {
	b, err := proto.Marshal(t)
	if err != nil {
		return nil, err
	}
	if err := s.d.Store.PutTombstone(ctx, id, b); err != nil {
		return nil, err
	}
	if err := s.d.Store.DeleteMessage(ctx, id); err != nil {
		return nil, err
	}
	if _, err := s.d.Store.TakeWaitingActions(ctx, id); err != nil {
		return nil, err
	}
	chat, _ := accountFrom(t.Chat)
	by, _ := accountFrom(t.By)
	return []core.Event{core.MessageDeleted{
		ID: rt.CoreID(id), Chat: rt.Chat(chat, t.Group), By: core.AccountID(by), ForEveryone: t.ForEveryone,
	}}, nil
}

// wait keeps a until its message arrives (beforeInsert); when too many
// wait already, a is dropped.
func (s *Service) wait(ctx context.Context, a act) error {
	rec := proto.Clone(a.op).(*pb.OpAction)
	rec.WaitingSinceMs = s.now().UnixMilli()
	b, err := proto.Marshal(rec)
	if err != nil {
		return err
	}
	err = s.d.Store.PutWaitingAction(ctx, a.target, a.carry, b)
	if errors.Is(err, storage.ErrWaitingFull) {
		return fmt.Errorf("%w: %w", errRejected, err)
	}
	return err
}

// beforeInsert runs inside the store's InsertMessage, before message m is
// written: the actions that waited for m apply to it. A delete refuses m
// (an error wrapping storage.ErrExists), leaving its tombstone.
func (s *Service) beforeInsert(ctx context.Context, m *storage.Message) error {
	recs, err := s.d.Store.TakeWaitingActions(ctx, m.ID)
	if err != nil || len(recs) == 0 {
		return err
	}
	var acts []act
	for _, r := range recs {
		if a, err := decodeAction(r); err == nil && s.allowed(*m, a, false) == nil {
			acts = append(acts, a)
		}
	}
	for _, a := range acts { // a delete wins, whatever else waited
		if a.del() == nil {
			continue
		}
		if _, err := s.remove(ctx, m.ID, &pb.ActionTombstone{
			Chat: m.Peer[:], Group: m.Group, By: a.author[:], ForEveryone: true, AtMs: a.op.SentAtMs,
		}); err != nil {
			return err
		}
		return fmt.Errorf("%w: deleted", storage.ErrExists)
	}
	var events []core.Event
	for _, a := range acts {
		if a.edit() != nil {
			won, err := s.keepVersion(ctx, *m, a)
			if err != nil {
				return err
			}
			if won {
				setVersion(m, a)
			}
			continue
		}
		ev, err := s.react(ctx, *m, a)
		if err != nil {
			return err
		}
		events = append(events, ev...)
	}
	if len(events) > 0 {
		s.d.Store.AfterCommit(ctx, func() { s.publish(events) })
	}
	return nil
}

func (s *Service) publish(events []core.Event) {
	for _, e := range events {
		s.d.Publish(e)
	}
}

func rejected(err error) bool { return errors.Is(err, errRejected) }

func isNotFound(err error) bool { return errors.Is(err, storage.ErrNotFound) }
