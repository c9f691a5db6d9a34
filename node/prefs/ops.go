package prefs

import (
	"context"
	"fmt"
	"io"

	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

// OpChat (pb.OpChatPrefs) is a change of a chat's preferences made on
// one device; per chat and field the latest change in the log's order
// wins (rt.Wins).
const OpChat = "prefs.chat"

// MaxOpSize bounds the body of a prefs.chat operation.
const MaxOpSize = 128

// The fields of a chat's preferences, each its own last-writer-wins value.
const (
	fieldPinned   = "pinned"
	fieldMuted    = "muted"
	fieldArchived = "archived"
)

func fieldKey(chat storage.Account, field string) string {
	return OpChat + "/" + field + "/" + string(chat[:])
}

// DecodeOp decodes and checks the body of a prefs.chat operation; every
// error wraps rt.ErrBadContent.
func DecodeOp(b []byte) (*pb.OpChatPrefs, error) {
	if len(b) > MaxOpSize {
		return nil, fmt.Errorf("%w: %s of %d bytes", rt.ErrBadContent, OpChat, len(b))
	}
	var body pb.OpChatPrefs
	if err := proto.Unmarshal(b, &body); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", rt.ErrBadContent, OpChat, err)
	}
	switch {
	case len(body.Chat) != len(storage.Account{}):
		return nil, fmt.Errorf("%w: %s: chat of %d bytes", rt.ErrBadContent, OpChat, len(body.Chat))
	case body.MutedUntilMs != nil && *body.MutedUntilMs < 0:
		return nil, fmt.Errorf("%w: %s: mute until %d", rt.ErrBadContent, OpChat, *body.MutedUntilMs)
	}
	return &body, nil
}

// fold applies a change another device of ours made, field by field
// where it is the latest change of that field.
func (s *Service) fold(ctx context.Context, op rt.Op) (func(context.Context), error) {
	body, err := DecodeOp(op.Body)
	if err != nil {
		return nil, err
	}
	p, err := s.apply(ctx, op, body)
	if err != nil {
		return nil, err
	}
	chat := rt.Chat(storage.Account(body.Chat), body.Group)
	return func(context.Context) { s.d.Publish(Changed{Chat: chat, Prefs: p}) }, nil
}

// apply stores the fields of change op (body) that are the latest of
// their chat, in ctx's transaction, and returns the chat's preferences.
func (s *Service) apply(ctx context.Context, op rt.Op, body *pb.OpChatPrefs) (Prefs, error) {
	chat := storage.Account(body.Chat)
	rec, err := s.load(ctx, chat)
	if err != nil {
		return Prefs{}, err
	}
	rec.Group = body.Group
	wins := func(field string) (bool, error) { return rt.Wins(ctx, s.d.Ops, fieldKey(chat, field), op, nil) }
	if body.Pinned != nil {
		won, err := wins(fieldPinned)
		if err != nil {
			return Prefs{}, err
		}
		if won {
			rec.Pinned, rec.PinnedAtMs = *body.Pinned, 0
			if rec.Pinned {
				rec.PinnedAtMs = body.PinnedAtMs
			}
		}
	}
	if body.MutedUntilMs != nil {
		won, err := wins(fieldMuted)
		if err != nil {
			return Prefs{}, err
		}
		if won {
			rec.MutedUntilMs = *body.MutedUntilMs
		}
	}
	if body.Archived != nil {
		won, err := wins(fieldArchived)
		if err != nil {
			return Prefs{}, err
		}
		if won {
			rec.Archived = *body.Archived
		}
	}
	raw, err := proto.MarshalOptions{Deterministic: true}.Marshal(rec)
	if err != nil {
		return Prefs{}, err
	}
	if err := s.d.Store.PutChatPrefs(ctx, chat, raw); err != nil {
		return Prefs{}, err
	}
	return prefsOf(rec), nil
}

// digest writes every chat's preferences for the account's state hash,
// in chat order.
func (s *Service) digest(ctx context.Context, w io.Writer) error {
	return s.d.Store.ForEachChatPrefs(ctx, func(chat storage.Account, raw []byte) error {
		var rec pb.ChatPrefs
		if err := proto.Unmarshal(raw, &rec); err != nil {
			return err
		}
		fmt.Fprintf(w, "%x %t %t %d %d %t\n", chat, rec.Group, rec.Pinned, rec.PinnedAtMs, rec.MutedUntilMs, rec.Archived)
		return nil
	})
}
