package groups

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/group"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

// groupReceipts batches receipts for group messages like the node does for
// 1:1 ones: one pairwise receipt per (group, sender, kind) for whatever
// accumulated over receiptDelay. Receipts go only to the sender, so a
// message costs its sender one receipt per member, never members × members.
type groupReceipts struct {
	e *env

	mu      sync.Mutex // guards pending
	pending map[groupReceiptKey][]storage.MessageID
	wake    chan struct{} // cap 1
}

type groupReceiptKey struct {
	group group.ID
	to    identity.AccountID
	typ   pb.Receipt_Type
}

// Receipt limits and timing.
const (
	// receiptDelay is how long receipts accumulate before they are sent
	// (a DH step of the Signal ratchet costs more than a receipt).
	receiptDelay = 500 * time.Millisecond
)

func newGroupReceipts(e *env) *groupReceipts {
	return &groupReceipts{e: e, pending: make(map[groupReceiptKey][]storage.MessageID), wake: make(chan struct{}, 1)}
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
		if !rt.Sleep(ctx, receiptDelay) {
			return
		}
		if err := r.e.d.Durable(ctx); err != nil { // the messages, before saying so
			r.e.log.Warn("group receipts wait: sync failed", "err", err)
			continue // they stay pending until the next message
		}
		r.mu.Lock()
		batch := r.pending
		r.pending = make(map[groupReceiptKey][]storage.MessageID)
		r.mu.Unlock()
		for k, ids := range batch {
			for len(ids) > 0 {
				m := min(len(ids), rt.MaxReceiptIDs)
				c := receiptContent(k.group, k.typ, ids[:m])
				if err := r.e.d.Pairwise.QueuePairwise(ctx, rt.CoreAccount(k.to), c); err != nil && ctx.Err() == nil {
					r.e.log.Warn("queue group receipt", "err", err)
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
func (g *receiver) applyReceipt(ctx context.Context, sender identity.AccountID, r *pb.Receipt) ([]core.Event, error) {
	gid, err := group.IDFromBytes(r.GroupId)
	if err != nil {
		return nil, nil
	}
	run := g.set.get(gid)
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
	var events []core.Event
	var ids []storage.MessageID
	for _, raw := range r.MessageIds {
		id, _ := storage.MessageIDFromBytes(raw)
		m, err := g.d.Store.Message(ctx, id)
		if errors.Is(err, storage.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if !m.Group || m.Peer != storage.Account(gid) || m.Direction != storage.Outgoing {
			continue // a receipt only speaks for our messages in that group
		}
		changed, err := g.d.Store.SetGroupReceipt(ctx, id, storage.Account(sender), state)
		if err != nil {
			return nil, err
		}
		if !changed {
			continue
		}
		ids = append(ids, id)
		all, err := g.d.Store.GroupReceipts(ctx, id)
		if err != nil {
			return nil, err
		}
		agg := storage.Read
		sent := uint64(id.Time().UnixMilli())
		for _, mem := range members {
			if mem.Account == g.self || mem.Since > sent {
				continue // joined after the message
			}
			if got := all[storage.Account(mem.Account)]; got.Rank() < agg.Rank() {
				agg = got
			}
		}
		if agg == storage.Delivered || agg == storage.Read {
			ev, err := g.d.States.SetState(ctx, rt.CoreID(id), core.State(agg))
			if err != nil {
				return nil, err
			}
			events = append(events, ev...)
		}
	}
	if len(ids) > 0 {
		events = append(events, Receipt{Group: rt.CoreGroup(gid), From: rt.CoreAccount(sender), Read: state == storage.Read, IDs: rt.CoreIDs(ids)})
	}
	return events, nil
}

// receiptContent is a receipt of our messages ids in group gid, to queue
// pairwise (the outbox gives it its ID and time).
func receiptContent(gid group.ID, typ pb.Receipt_Type, ids []storage.MessageID) *pb.Content {
	r := &pb.Receipt{Type: typ, GroupId: gid[:]}
	for _, m := range ids {
		r.MessageIds = append(r.MessageIds, m[:])
	}
	return &pb.Content{Body: &pb.Content_Receipt{Receipt: r}}
}
