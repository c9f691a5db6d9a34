package post

import (
	"context"
	"time"

	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

// putPairwise writes a control content for to's devices into the outbox,
// in the caller's transaction; enqueue the item after it commits.
func (n *env) putPairwise(ctx context.Context, to identity.AccountID, c *pb.Content) (storage.OutboxItem, error) {
	now := time.Now()
	id := storage.NewMessageID(now)
	c.MessageId, c.SentAtMs = id[:], now.UnixMilli()
	raw, err := rt.EncodeContent(c)
	if err != nil {
		return storage.OutboxItem{}, err
	}
	item := storage.OutboxItem{ID: id, Recipient: storage.Account(to), Content: raw, CreatedAt: now, Receipt: true}
	return item, n.store.PutOutbox(ctx, item)
}

// queuePairwise stores and enqueues a control content for to's devices.
func (n *env) queuePairwise(ctx context.Context, to identity.AccountID, c *pb.Content) error {
	item, err := n.putPairwise(ctx, to, c)
	if err != nil {
		return err
	}
	n.outbox.enqueue(item)
	return nil
}
