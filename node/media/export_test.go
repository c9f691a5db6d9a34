package media

import (
	"context"
	"time"

	"github.com/ipfs/go-cid"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	pmedia "github.com/pigeon-net/pigeon/protocol/media"
	"github.com/pigeon-net/pigeon/storage"
)

// SaveWith is Save with the temporary file made by create, to inject
// faults (a full disk).
func (s *Service) SaveWith(ctx context.Context, id core.MessageID, path string, create pmedia.CreateTemp) error {
	_, err := s.save(ctx, id, path, SaveOptions{}, create)
	return err
}

// DropEveryOtherLeaf deletes about half of the large blocks in the store,
// leaving a partial copy of every attachment.
func (s *Service) DropEveryOtherLeaf(ctx context.Context) (int, error) {
	var drop []cid.Cid
	i := 0
	err := s.d.Blocks.ForEachBlock(ctx, func(c cid.Cid, size int) error {
		if size > pmedia.LeafSize/2 {
			if i%2 == 0 {
				drop = append(drop, c)
			}
			i++
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return len(drop), s.d.Blocks.DeleteBlocks(ctx, drop)
}

// Downloading reports whether a download of message id's file runs.
func (s *Service) Downloading(id core.MessageID) bool {
	s.dl.mu.Lock()
	defer s.dl.mu.Unlock()
	_, ok := s.dl.running[id]
	return ok
}

// CheckSpace is the store's check that extra bytes fit on the disk.
func (s *Service) CheckSpace(extra uint64) error { return s.d.Store.CheckSpace(extra) }

// SetFileName rewrites the file name in the stored manifest of message
// id, as a sender that does not clean its names would have sent it.
func (s *Service) SetFileName(ctx context.Context, id core.MessageID, name string) error {
	_, err := s.d.Store.UpdateAttachment(ctx, rt.ID(id), func(a *storage.Attachment) {
		m, err := pmedia.DecodeManifest(a.Manifest)
		if err != nil {
			return
		}
		m.FileName = name
		a.Manifest, _ = proto.Marshal(m)
	})
	return err
}

// SetClock replaces the clock of download retry deadlines.
func (s *Service) SetClock(now func() time.Time) {
	s.dl.mu.Lock()
	s.dl.now = now
	s.dl.mu.Unlock()
}
