package node

import (
	"context"

	"github.com/ipfs/go-cid"

	"github.com/pigeon-net/pigeon/protocol/media"
	"github.com/pigeon-net/pigeon/storage"
)

// SaveMediaWith is SaveMedia with the temporary file made by create, to
// inject faults (a full disk).
func (n *Node) SaveMediaWith(ctx context.Context, id storage.MessageID, path string, create media.CreateTemp) error {
	return n.saveMedia(ctx, id, path, create)
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

// OutboxAttempts returns how many delivery attempts of message id failed
// (-1 when it is not in the outbox).
func (n *Node) OutboxAttempts(ctx context.Context, id storage.MessageID) int {
	it, err := n.store.OutboxItem(ctx, id)
	if err != nil {
		return -1
	}
	return int(it.Attempts)
}

// Downloading reports whether a download of message id's file runs.
func (n *Node) Downloading(id storage.MessageID) bool {
	n.media.mu.Lock()
	defer n.media.mu.Unlock()
	_, ok := n.media.downloads[id]
	return ok
}

// FreeSpace returns the free disk space as the node's store sees it.
func (n *Node) FreeSpace() uint64 { return n.store.Space().Free }
