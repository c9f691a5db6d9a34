package node

import (
	"context"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/e2e"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/mailbox"
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

// SpaceLimit returns the free space below which the node's store refuses
// new work: WithMinFreeSpace and the headroom its database needs.
func (n *Node) SpaceLimit() uint64 { return n.store.Space().MinFree }

// FetchDeviceList looks account's device list up in the DHT, past the
// cache (which it updates).
func (n *Node) FetchDeviceList(ctx context.Context, account identity.AccountID) (*identity.DeviceList, error) {
	return n.resolver.fetch(ctx, account)
}

// CachedDeviceList returns the device list of account the node would use
// now, without a lookup.
func (n *Node) CachedDeviceList(ctx context.Context, account identity.AccountID) (*identity.DeviceList, error) {
	return n.resolver.get(ctx, account, false)
}

// CustodyOf returns the custody records of messages to account.
func (n *Node) CustodyOf(ctx context.Context, account identity.AccountID) ([]storage.Custody, error) {
	return n.store.CustodyOf(ctx, storage.Account(account))
}

// DepositCredential returns the credential n presents at relay when it
// deposits for account's device, and whether that device handed n its
// deposit secret.
func (n *Node) DepositCredential(ctx context.Context, account identity.AccountID, device uint32, relay peer.ID) ([mailbox.CredentialSize]byte, bool) {
	s, ok := n.deposits.credential(ctx, e2e.Address{Account: account, Device: device})
	if !ok {
		return [mailbox.CredentialSize]byte{}, false
	}
	return mailbox.Credential(s.secret[:], relay), true
}

// MailboxListVersion is the device-list version n registers with its
// relays.
func (n *Node) MailboxListVersion() uint64 { return n.mailboxListVersion() }

// OwnDepositCredential is the credential n's contacts present at relay
// with n's current deposit secret.
func (n *Node) OwnDepositCredential(relay peer.ID) [mailbox.CredentialSize]byte {
	n.deposits.mu.Lock()
	defer n.deposits.mu.Unlock()
	return mailbox.Credential(n.deposits.cur.secret[:], relay)
}

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
