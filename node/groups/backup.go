package groups

import (
	"context"
	"fmt"

	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

// MaxStateMessage bounds one message of Export: a welcome's device lists
// or a chunk of a group's log, as a pairwise welcome carries them.
const MaxStateMessage = 64<<10 + 4096

// Export returns the state of every group this device is an active
// member of, as the welcome a new device of the account gets
// (marshaled pb.GroupControl messages: the members' device lists, then
// the group's log in chunks): a backup holds them (node/backup), and
// Restore takes them back.
func (s *Service) Export(ctx context.Context) ([][]byte, error) {
	if err := s.ready(); err != nil {
		return nil, fmt.Errorf("export groups: %w", err)
	}
	var out [][]byte
	for _, run := range s.set.all() {
		run.mu.Lock()
		active := run.rec.Status == storage.GroupActive
		ops := run.log.Ops()
		run.mu.Unlock()
		if !active {
			continue
		}
		msgs := s.lists.welcome(ctx, run)
		for _, chunk := range chunkOps(ops) {
			msgs = append(msgs, &pb.GroupControl{GroupId: run.id[:], Body: &pb.GroupControl_Ops{Ops: chunk}})
		}
		for _, m := range msgs {
			raw, err := proto.Marshal(m)
			if err != nil {
				return nil, fmt.Errorf("export groups: %w", err)
			}
			out = append(out, raw)
		}
	}
	return out, nil
}

// Restore takes group state Export made (on device device of this
// account), as a welcome from that device: the groups become this
// device's, and their members hand it their sender keys once they see it
// in the account's device list. A malformed message is an error; one
// the groups refuse (a group left since) is skipped. For node's wiring:
// it runs while the node starts.
func (s *Service) Restore(ctx context.Context, device uint32, msgs [][]byte) error {
	for _, raw := range msgs {
		if len(raw) > MaxStateMessage {
			return fmt.Errorf("restore groups: %w: a message of %d bytes", errBadContent, len(raw))
		}
		var gc pb.GroupControl
		if err := proto.Unmarshal(raw, &gc); err != nil {
			return fmt.Errorf("restore groups: %w: %v", errBadContent, err)
		}
		if err := checkGroupControl(&gc); err != nil {
			return fmt.Errorf("restore groups: %w", err)
		}
		switch gc.Body.(type) {
		case *pb.GroupControl_Ops, *pb.GroupControl_DeviceLists:
		default:
			return fmt.Errorf("restore groups: %w: not group state", errBadContent)
		}
		var done *groupControlDone
		err := s.d.Store.Update(ctx, func(ctx context.Context) error {
			var err error
			done, err = s.recv.acceptControl(ctx, s.self, device, &gc)
			return err
		})
		if err != nil {
			s.log.Warn("restored group state not taken", "err", err)
			continue
		}
		if done != nil {
			s.recv.finishControl(ctx, done)
		}
	}
	return nil
}
