package node

import (
	"context"

	"github.com/pigeon-net/pigeon/node/chats"
	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

// Chats returns the node's 1:1 chats: sending texts, history,
// conversations, read receipts.
func (n *Node) Chats() *chats.Service {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.chats
}

// chatsRuntime is the outbox, message states and receipts as chats sees
// them.
type chatsRuntime struct{ n *Node }

func (r chatsRuntime) Preseal(ctx context.Context, to core.AccountID, it *storage.OutboxItem, store func(context.Context) error) (bool, error) {
	return r.n.outbox.preseal(ctx, rt.Account(to), it, store)
}

func (r chatsRuntime) Enqueue(it storage.OutboxItem)     { r.n.outbox.enqueue(it) }
func (r chatsRuntime) Durable(ctx context.Context) error { return r.n.durable(ctx) }

func (r chatsRuntime) SetState(ctx context.Context, id core.MessageID, st core.State) ([]core.Event, error) {
	return r.n.setState(ctx, rt.ID(id), storage.State(st))
}

// PutRead writes read receipts for ids, maxReceiptIDs to an item.
func (r chatsRuntime) PutRead(ctx context.Context, to core.AccountID, ids []core.MessageID) ([]storage.OutboxItem, error) {
	var items []storage.OutboxItem
	for len(ids) > 0 {
		k := min(len(ids), maxReceiptIDs)
		item, err := r.n.putReceipt(ctx, rt.Account(to), pb.Receipt_READ, rt.IDs(ids[:k]))
		if err != nil {
			return nil, err
		}
		items = append(items, item)
		ids = ids[k:]
	}
	return items, nil
}

// newChats builds the chats feature; it claims the Text kind.
func newChats(n *Node) (*chats.Service, error) {
	return chats.New(chats.Deps{
		Self:       rt.CoreAccount(n.self),
		Device:     n.device,
		Ready:      n.ready,
		Store:      n.store,
		Outbox:     chatsRuntime{n},
		States:     chatsRuntime{n},
		Receipts:   chatsRuntime{n},
		Recipients: n.contacts,
		Registry:   n.handlers,
		Publish:    n.bus.publish,
		OnMessage:  func(from core.AccountID) { n.presence.Stopped(from) },
	})
}
