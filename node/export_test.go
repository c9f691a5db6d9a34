package node

import (
	"context"
	"time"

	"github.com/ipfs/go-cid"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/media"
	"github.com/pigeon-net/pigeon/storage"
)

// SaveMediaWith is SaveMedia with the temporary file made by create, to
// inject faults (a full disk).
func (n *Node) SaveMediaWith(ctx context.Context, id storage.MessageID, path string, create media.CreateTemp) error {
	_, err := n.saveMedia(ctx, id, path, SaveOptions{}, create)
	return err
}

// DropEveryOtherLeaf deletes about half of the large blocks in the store,
// leaving a partial copy of every attachment.
func (n *Node) DropEveryOtherLeaf(ctx context.Context) (int, error) {
	var drop []cid.Cid
	i := 0
	err := n.store.Blocks().ForEachBlock(ctx, func(c cid.Cid, size int) error {
		if size > media.LeafSize/2 {
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
	return len(drop), n.store.Blocks().DeleteBlocks(ctx, drop)
}

// InOutbox reports whether message id is still in the outbox.
func (n *Node) InOutbox(ctx context.Context, id storage.MessageID) bool {
	_, err := n.store.OutboxItem(ctx, id)
	return err == nil
}

// Percentile is the benchmarks' percentile of durations.
var Percentile = percentile

// SetMediaFileName rewrites the file name in the stored manifest of
// message id, as a sender that does not clean its names would have sent
// it.
func (n *Node) SetMediaFileName(ctx context.Context, id storage.MessageID, name string) error {
	_, err := n.store.UpdateAttachment(ctx, id, func(a *storage.Attachment) {
		m, err := media.DecodeManifest(a.Manifest)
		if err != nil {
			return
		}
		m.FileName = name
		a.Manifest, _ = proto.Marshal(m)
	})
	return err
}

// SetMediaClock replaces the clock of download retry deadlines.
func (n *Node) SetMediaClock(now func() time.Time) {
	n.media.mu.Lock()
	n.media.now = now
	n.media.mu.Unlock()
}
