package groups

import (
	"context"
	"time"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/group"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

// The groups feature's side of node/actions (edits, deletes, reactions).

// PublishAction publishes an action on an earlier message to group id,
// like a text (numbered, archived, repaired) but stored in no history;
// inTxn runs in the transaction that archives it, with its ID and time.
func (s *Service) PublishAction(ctx context.Context, id core.GroupID, a *pb.MessageAction,
	inTxn func(ctx context.Context, carry storage.MessageID, at time.Time) error) (core.MessageID, error) {
	run, err := s.runOf(id)
	if err != nil {
		return core.MessageID{}, err
	}
	mid, err := s.send.publish(ctx, run, groupPublish{inTxn: inTxn, build: func(uint64) (*pb.GroupContent, error) {
		return &pb.GroupContent{Body: &pb.GroupContent_Action{Action: a}}, nil
	}})
	if err != nil {
		return core.MessageID{}, err
	}
	if err := s.d.Durable(ctx); err != nil {
		return rt.CoreID(mid), err
	}
	return rt.CoreID(mid), nil
}

// MayDeleteAny reports whether account is an admin (or the owner) of
// group id and the group's settings let admins delete any member's
// message.
func (s *Service) MayDeleteAny(id core.GroupID, account core.AccountID) bool {
	if s == nil {
		return false
	}
	run := s.set.get(rt.Group(id))
	if run == nil {
		return false
	}
	run.mu.Lock()
	defer run.mu.Unlock()
	st := run.log.State()
	return st.Settings().AdminsDelete && st.Role(rt.Account(account)) >= group.RoleAdmin
}
