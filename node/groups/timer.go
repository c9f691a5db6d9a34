package groups

import (
	"context"
	"fmt"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

// CanEditInfo reports whether account a may change group g's info (name,
// description, disappearing-messages timer) under its settings now.
func (s *Service) CanEditInfo(ctx context.Context, g core.GroupID, a core.AccountID) (bool, error) {
	run, err := s.runOf(g)
	if err != nil {
		return false, err
	}
	run.mu.Lock()
	defer run.mu.Unlock()
	return run.log.State().CanEditInfo(rt.Account(a)), nil
}

// PublishTimer sends a change of group g's disappearing-messages timer to
// its members: t's message ID is set to the ID of the message carrying
// it, and store runs in the transaction that records that message.
func (s *Service) PublishTimer(ctx context.Context, g core.GroupID, t *pb.ChatTimer, store func(ctx context.Context, id storage.MessageID) error) error {
	run, err := s.runOf(g)
	if err != nil {
		return fmt.Errorf("group timer: %w", err)
	}
	_, err = s.send.publish(ctx, run, groupPublish{
		anyone: true, // the caller checked the edit-info permission
		build: func(uint64) (*pb.GroupContent, error) {
			return &pb.GroupContent{Timer: t, Body: &pb.GroupContent_TimerSet{TimerSet: t}}, nil
		},
		onID:  func(id storage.MessageID, _ *pb.GroupContent) { t.MessageId = id[:] },
		store: store,
	})
	if err != nil {
		return fmt.Errorf("group timer: %w", err)
	}
	return s.d.Durable(ctx)
}
