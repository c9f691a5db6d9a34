package node

import (
	"context"

	"github.com/pigeon-net/pigeon/storage/badger"
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

// StorageSpaceChanged is published when the node becomes short of disk
// space (Full: new messages, sends and downloads are refused) and when it
// has room again.
type StorageSpaceChanged struct {
	Full    bool
	Free    uint64 // bytes free on the fullest disk holding the node's data
	MinFree uint64 // the free space below which new work is refused
}

func (StorageSpaceChanged) EventName() string { return "storage" }

// spaceChanged is the store's report of a full disk or of room again
// (called on a goroutine of the store): a warning once per episode, an
// event, and with room again a nudge to spaceLoop.
func (n *Node) spaceChanged(sp badger.Space) {
	if sp.Full {
		n.log.Warn("disk full: refusing new messages, sends and downloads until there is room; free some disk space",
			"free", sp.Free, "min_free", sp.MinFree)
	} else {
		n.log.Info("disk space available again: taking new messages", "free", sp.Free, "min_free", sp.MinFree)
		select {
		case n.spaceBack <- struct{}{}:
		default:
		}
	}
	n.bus.publish(StorageSpaceChanged{Full: sp.Full, Free: sp.Free, MinFree: sp.MinFree})
}

// spaceLoop tries again what waited for disk space once there is room:
// the relays' mailboxes are drained again (what was refused is still
// there), the groups repair what they missed, and downloads refused when
// they were resumed start.
func (n *Node) spaceLoop(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-n.spaceBack:
		}
		n.relays.DrainAgain()
		n.groups.Repair()
		n.media.ResumeDownloads()
	}
}
