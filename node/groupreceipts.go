package node

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/pigeon-net/pigeon/protocol/group"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

// groupReceipts batches receipts for group messages like receipts does for
// 1:1 ones: one pairwise receipt per (group, sender, kind) for whatever
// accumulated over receiptDelay. Receipts go only to the sender, so a
// message costs its sender one receipt per member, never members × members.
type groupReceipts struct {
	n *Node

	mu      sync.Mutex // guards pending
	pending map[groupReceiptKey][]storage.MessageID
	wake    chan struct{} // cap 1
}

type groupReceiptKey struct {
	group group.ID
	to    identity.AccountID
	typ   pb.Receipt_Type
}

func newGroupReceipts(n *Node) *groupReceipts {
	return &groupReceipts{n: n, pending: make(map[groupReceiptKey][]storage.MessageID), wake: make(chan struct{}, 1)}
}

func (r *groupReceipts) add(gid group.ID, to identity.AccountID, typ pb.Receipt_Type, ids ...storage.MessageID) {
	r.mu.Lock()
	k := groupReceiptKey{gid, to, typ}
	r.pending[k] = append(r.pending[k], ids...)
	r.mu.Unlock()
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

func (r *groupReceipts) run(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-r.wake:
		}
		if !sleepCtx(ctx, receiptDelay) {
			return
		}
		if err := r.n.durable(ctx); err != nil { // the messages, before saying so
			r.n.log.Warn("group receipts wait: sync failed", "err", err)
			continue // they stay pending until the next message
		}
		r.mu.Lock()
		batch := r.pending
		r.pending = make(map[groupReceiptKey][]storage.MessageID)
		r.mu.Unlock()
		for k, ids := range batch {
			for len(ids) > 0 {
				m := min(len(ids), maxReceiptIDs)
				c := receiptContent(storage.MessageID{}, time.Now(), k.typ, ids[:m])
				c.GetReceipt().GroupId = k.group[:]
				if err := r.n.queuePairwise(ctx, k.to, c); err != nil && ctx.Err() == nil {
					r.n.log.Warn("queue group receipt", "err", err)
				}
				ids = ids[m:]
			}
		}
	}
}

// applyGroupReceipt records a member's receipt for our group messages (in
// the receipt's decrypt transaction) and moves each message to delivered or
// read once every member that was in the group when it was sent has
// reported it.
func (n *Node) applyGroupReceipt(ctx context.Context, sender identity.AccountID, r *pb.Receipt) ([]Event, error) {
	gid, err := group.IDFromBytes(r.GroupId)
	if err != nil {
		return nil, nil
	}
	run := n.groups.get(gid)
	if run == nil {
		return nil, nil
	}
	run.mu.Lock()
	st := run.log.State()
	isMember := st.IsMember(sender)
	members := st.Members()
	run.mu.Unlock()
	if !isMember {
		return nil, nil
	}
	state := storage.Delivered
	if r.Type == pb.Receipt_READ {
		state = storage.Read
	}
	var events []Event
	var ids []storage.MessageID
	for _, raw := range r.MessageIds {
		id, _ := storage.MessageIDFromBytes(raw)
		m, err := n.store.Message(ctx, id)
		if errors.Is(err, storage.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if !m.Group || m.Peer != storage.Account(gid) || m.Direction != storage.Outgoing {
			continue // a receipt only speaks for our messages in that group
		}
		changed, err := n.store.SetGroupReceipt(ctx, id, storage.Account(sender), state)
		if err != nil {
			return nil, err
		}
		if !changed {
			continue
		}
		ids = append(ids, id)
		all, err := n.store.GroupReceipts(ctx, id)
		if err != nil {
			return nil, err
		}
		agg := storage.Read
		sent := uint64(id.Time().UnixMilli())
		for _, mem := range members {
			if mem.Account == n.self || mem.Since > sent {
				continue // joined after the message
			}
			if got := all[storage.Account(mem.Account)]; got.Rank() < agg.Rank() {
				agg = got
			}
		}
		if agg == storage.Delivered || agg == storage.Read {
			ev, err := n.setState(ctx, id, agg)
			if err != nil {
				return nil, err
			}
			events = append(events, ev...)
		}
	}
	if len(ids) > 0 {
		events = append(events, GroupReceipt{Group: gid, From: sender, Read: state == storage.Read, IDs: ids})
	}
	return events, nil
}
