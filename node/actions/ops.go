package actions

import (
	"context"
	"fmt"
	"io"

	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

// The account-log operations of actions, which keep the account's
// devices in step.
const (
	// OpAction (pb.OpAction) is an edit, delete for everyone or reaction
	// this account made (pushed to the other devices) or received
	// (noted: devices linked later get it in their history).
	OpAction = "actions.action"
	// OpDeleteForMe (pb.OpDeleteForMe) deletes a message on this
	// account's devices only.
	OpDeleteForMe = "actions.delete_for_me"
)

// foldAction applies an action another device of ours made or received.
// The windows were checked where it was taken.
func (s *Service) foldAction(ctx context.Context, op rt.Op) (func(context.Context), error) {
	a, err := decodeAction(op.Body)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", OpAction, err)
	}
	events, err := s.apply(ctx, a, true)
	if err != nil {
		if rejected(err) {
			s.log.Debug("action rejected", "target", a.target.String(), "err", err)
			return nil, nil
		}
		return nil, err
	}
	return func(context.Context) { s.publish(events) }, nil
}

// decodeDeleteForMe decodes and checks a delete-for-me operation.
func decodeDeleteForMe(b []byte) (storage.MessageID, *pb.ActionTombstone, error) {
	var body pb.OpDeleteForMe
	if len(b) > maxOpSize {
		return storage.MessageID{}, nil, fmt.Errorf("%w: %s of %d bytes", rt.ErrBadContent, OpDeleteForMe, len(b))
	}
	if err := proto.Unmarshal(b, &body); err != nil {
		return storage.MessageID{}, nil, fmt.Errorf("%w: %s: %v", rt.ErrBadContent, OpDeleteForMe, err)
	}
	id, err := storage.MessageIDFromBytes(body.Target)
	if err != nil {
		return storage.MessageID{}, nil, fmt.Errorf("%w: %s target", rt.ErrBadContent, OpDeleteForMe)
	}
	if _, err := accountFrom(body.Chat); err != nil {
		return storage.MessageID{}, nil, fmt.Errorf("%w: %s chat", rt.ErrBadContent, OpDeleteForMe)
	}
	return id, &pb.ActionTombstone{Chat: body.Chat, Group: body.Group}, nil
}

// foldDeleteForMe deletes a message the user deleted on another device.
// A message not here yet gets its tombstone: it is never stored.
func (s *Service) foldDeleteForMe(ctx context.Context, op rt.Op) (func(context.Context), error) {
	id, t, err := decodeDeleteForMe(op.Body)
	if err != nil {
		return nil, err
	}
	switch _, err := s.d.Store.Tombstone(ctx, id); {
	case err == nil:
		return nil, nil
	case !isNotFound(err):
		return nil, err
	}
	self := s.d.Self
	t.By = self[:]
	events, err := s.remove(ctx, id, t)
	if err != nil {
		return nil, err
	}
	return func(context.Context) { s.publish(events) }, nil
}

// digest writes the actions' state for the account's state hash:
// tombstones by message ID, then for every message edited or reacted to
// (chats in ID order, oldest message first) its version and the current
// reactions by reactor. The text shown is in the chats' and groups' parts.
func (s *Service) digest(ctx context.Context, w io.Writer) error {
	err := s.d.Store.Tombstones(ctx, func(id storage.MessageID, rec []byte) error {
		var t pb.ActionTombstone
		if err := proto.Unmarshal(rec, &t); err != nil {
			return err
		}
		fmt.Fprintf(w, "t %x %x %t %x %t\n", id, t.Chat, t.Group, t.By, t.ForEveryone)
		return nil
	})
	if err != nil {
		return err
	}
	for _, group := range []bool{false, true} {
		var ferr error
		err := rt.ChatHistories(ctx, s.d.Store, group, func(c storage.Conversation, ms []storage.Message) {
			for _, m := range ms {
				rs, err := s.reactions(ctx, m.ID)
				if err != nil {
					ferr = err
					return
				}
				if m.Edits == 0 && len(rs) == 0 {
					continue
				}
				fmt.Fprintf(w, "m %x %d %d", m.ID, m.Edits, m.EditedAt.UnixMilli())
				for _, r := range rs {
					fmt.Fprintf(w, " %q", r.Emoji)
					for _, a := range r.Accounts {
						fmt.Fprintf(w, " %x", a[:])
					}
				}
				fmt.Fprintln(w)
			}
		})
		if err != nil {
			return err
		}
		if ferr != nil {
			return ferr
		}
	}
	return nil
}
