package node

import (
	"context"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

// Info describes the running node.
type Info struct {
	Account identity.AccountID
	Device  uint32
	PeerID  peer.ID
	Addrs   []ma.Multiaddr // full addresses including /p2p/<peer>
}

// MaxTextSize is the largest text message, in bytes of UTF-8.
const MaxTextSize = 64 << 10

// Info returns the node's identity and listen addresses; it is the zero
// Info before Start.
func (n *Node) Info() Info {
	if n.ready() != nil {
		return Info{}
	}
	addrs, _ := peer.AddrInfoToP2pAddrs(&peer.AddrInfo{ID: n.host.ID(), Addrs: n.host.Addrs()})
	return Info{Account: n.self, Device: n.device, PeerID: n.host.ID(), Addrs: addrs}
}

// Send queues text for the account to and returns the message ID. The
// message is stored durably (state pending) before Send returns (see
// WithDurableAcks); delivery continues
// in the background, across restarts, until every device of the recipient
// has it. Sending to an account that is neither a contact nor findable in
// the DHT fails with ErrUnknownAccount.
func (n *Node) Send(ctx context.Context, to identity.AccountID, text string) (storage.MessageID, error) {
	const op = "send"
	if err := n.ready(); err != nil {
		return storage.MessageID{}, fmt.Errorf("%s: %w", op, err)
	}
	switch {
	case text == "":
		return storage.MessageID{}, fmt.Errorf("%s: %w", op, ErrEmpty)
	case len(text) > MaxTextSize:
		return storage.MessageID{}, fmt.Errorf("%s: %w: %d bytes, limit %d", op, ErrTooLarge, len(text), MaxTextSize)
	case !utf8.ValidString(text):
		return storage.MessageID{}, fmt.Errorf("%s: text is not valid UTF-8", op)
	case to == n.self:
		return storage.MessageID{}, fmt.Errorf("%s: %w", op, ErrSelf)
	}
	if err := n.contacts.CheckRecipient(ctx, to); err != nil {
		return storage.MessageID{}, fmt.Errorf("%s: %w", op, err)
	}
	now := wireNow()
	id := storage.NewMessageID(now)
	raw, err := encodeContent(textContent(id, now, text))
	if err != nil {
		return storage.MessageID{}, fmt.Errorf("%s: %w", op, err)
	}
	item := storage.OutboxItem{ID: id, Recipient: storageAccount(to), Content: raw, CreatedAt: now}
	store := func(ctx context.Context) error {
		err := n.store.InsertMessage(ctx, storage.Message{
			ID:           id,
			Peer:         storageAccount(to),
			Sender:       storageAccount(n.self),
			SenderDevice: n.device,
			Direction:    storage.Outgoing,
			Text:         text,
			SentAt:       now,
			StoredAt:     now,
			State:        storage.Pending,
		})
		if err != nil {
			return err
		}
		return n.store.PutOutbox(ctx, item)
	}
	stored, err := n.outbox.preseal(ctx, to, &item, store)
	if err == nil && !stored {
		err = n.store.Update(ctx, store)
	}
	if err != nil {
		return storage.MessageID{}, fmt.Errorf("%s: %w", op, err)
	}
	n.outbox.enqueue(item)
	if err := n.durable(ctx); err != nil {
		return id, fmt.Errorf("%s: %w", op, err)
	}
	return id, nil
}

// wireNow is rt.WireNow.
func wireNow() time.Time { return rt.WireNow() }

// MarkRead marks every received message from peer as read and sends one
// read receipt for them. It returns how many messages changed.
func (n *Node) MarkRead(ctx context.Context, peer identity.AccountID) (int, error) {
	if err := n.ready(); err != nil {
		return 0, fmt.Errorf("mark read: %w", err)
	}
	var (
		events []Event
		items  []storage.OutboxItem
		count  int
	)
	err := n.store.Update(ctx, func(ctx context.Context) error {
		events, items, count = events[:0], items[:0], 0
		unread, err := n.store.UnreadIncoming(ctx, storageAccount(peer))
		if err != nil {
			return err
		}
		var ids []storage.MessageID
		for _, m := range unread {
			ev, err := n.setState(ctx, m.ID, storage.Read)
			if err != nil {
				return err
			}
			events = append(events, ev...)
			ids = append(ids, m.ID)
		}
		count = len(ids)
		for len(ids) > 0 {
			k := min(len(ids), maxReceiptIDs)
			item, err := n.putReceipt(ctx, peer, pb.Receipt_READ, ids[:k])
			if err != nil {
				return err
			}
			items = append(items, item)
			ids = ids[k:]
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("mark read: %w", err)
	}
	for _, it := range items {
		n.outbox.enqueue(it)
	}
	for _, e := range events {
		n.bus.publish(e)
	}
	return count, nil
}

// Conversations lists chats, most recent first.
func (n *Node) Conversations(ctx context.Context) ([]storage.Conversation, error) {
	if err := n.ready(); err != nil {
		return nil, fmt.Errorf("conversations: %w", err)
	}
	return n.store.Conversations(ctx)
}

// History returns up to limit messages with peer older than before (zero:
// the newest), oldest first.
func (n *Node) History(ctx context.Context, peer identity.AccountID, before storage.MessageID, limit int) ([]storage.Message, error) {
	if err := n.ready(); err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	return n.store.History(ctx, storageAccount(peer), before, limit)
}

// Message returns one message by ID.
func (n *Node) Message(ctx context.Context, id storage.MessageID) (storage.Message, error) {
	if err := n.ready(); err != nil {
		return storage.Message{}, fmt.Errorf("message: %w", err)
	}
	return n.store.Message(ctx, id)
}
