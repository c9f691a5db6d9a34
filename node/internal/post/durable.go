package post

import (
	"context"
	"slices"

	"github.com/pigeon-net/pigeon/protocol/pb"
)

// Durable acknowledgements and a full disk.
//
// Everything that tells someone else "I have it" waits until what it
// speaks for is fsynced (durable): the ack of an envelope (/pigeon/msg/1),
// the acks of a mailbox drain (the relay deletes its copy), delivery
// receipts, Send's return (the local API's 201) and a download's
// completion. The store group-commits these waits (badger.WaitDurable):
// one fsync answers every caller waiting at the time, so a single writer
// pays one fsync and concurrent ones share them. WithDurableAcks(false)
// turns the waits off (acks then survive a crash of the process but not
// a power loss).
//
// The store refuses new work (a received message, a send, a download)
// with storage.ErrStorageFull when the disk is short of free space
// (WithMinFreeSpace). The node answers envelopes STORAGE_FULL then (the
// sender keeps them pending and retries), skips auto-downloads, and
// publishes StorageSpaceChanged; it takes new work again by itself once
// there is room.

// durable returns once everything the node committed before the call is
// durable (unless durable acks are off). Call it before acknowledging.
func (n *env) durable(ctx context.Context) error {
	if !n.cfg.DurableAcks {
		return nil
	}
	return n.store.WaitDurable(ctx)
}

// refuseFull answers n envelopes STORAGE_FULL.
func refuseFull(n int) []pb.ErrorCode {
	codes := make([]pb.ErrorCode, n)
	for i := range codes {
		codes[i] = pb.ErrorCode_STORAGE_FULL
	}
	return codes
}

// acked makes what the envelopes behind codes stored durable before their
// OK codes go out; if it cannot, they become INTERNAL (retry later).
func (n *receiver) acked(ctx context.Context, codes []pb.ErrorCode) []pb.ErrorCode {
	if !slices.Contains(codes, pb.ErrorCode_OK) {
		return codes
	}
	if err := n.durable(ctx); err != nil {
		n.log.Warn("ack wait: sync failed", "err", err)
		for i, c := range codes {
			if c == pb.ErrorCode_OK {
				codes[i] = pb.ErrorCode_INTERNAL
			}
		}
	}
	return codes
}
