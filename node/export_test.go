package node

import (
	"context"
	"fmt"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/node/chats"
	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/acctlog"
	"github.com/pigeon-net/pigeon/protocol/e2e"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/mailbox"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

// InOutbox reports whether message id is still in the outbox.
func (n *Node) InOutbox(ctx context.Context, id core.MessageID) bool {
	_, err := n.store.OutboxItem(ctx, rt.ID(id))
	return err == nil
}

// Percentile is the benchmarks' percentile of durations.
var Percentile = percentile

// OutboxAttempts returns how many delivery attempts of message id failed
// (-1 when it is not in the outbox).
func (n *Node) OutboxAttempts(ctx context.Context, id core.MessageID) int {
	it, err := n.store.OutboxItem(ctx, rt.ID(id))
	if err != nil {
		return -1
	}
	return int(it.Attempts)
}

// FreeSpace returns the free disk space as the node's store sees it.
func (n *Node) FreeSpace() uint64 { return n.store.Space().Free }

// SpaceLimit returns the free space below which the node's store refuses
// new work: WithMinFreeSpace and the headroom its database needs.
func (n *Node) SpaceLimit() uint64 { return n.store.Space().MinFree }

// FetchDeviceList looks account's device list up in the DHT, past the
// cache (which it updates).
func (n *Node) FetchDeviceList(ctx context.Context, account core.AccountID) (*identity.DeviceList, error) {
	return n.resolver.Fetch(ctx, account)
}

// CachedDeviceList returns the device list of account the node would use
// now, without a lookup.
func (n *Node) CachedDeviceList(ctx context.Context, account core.AccountID) (*identity.DeviceList, error) {
	return n.resolver.Get(ctx, account, false)
}

// CustodyOf returns the custody records of messages to account.
func (n *Node) CustodyOf(ctx context.Context, account core.AccountID) ([]storage.Custody, error) {
	return n.store.CustodyOf(ctx, storage.Account(account))
}

// DepositCredential returns the credential n presents at relay when it
// deposits for account's device, and whether that device handed n its
// deposit secret.
func (n *Node) DepositCredential(ctx context.Context, account core.AccountID, device uint32, relay peer.ID) ([mailbox.CredentialSize]byte, bool) {
	return n.post.DepositCredential(ctx, e2e.Address{Account: rt.Account(account), Device: device}, relay)
}

// MailboxListVersion is the device-list version n registers with its
// relays.
func (n *Node) MailboxListVersion() uint64 { return n.pub.RegisteredVersion() }

// OwnDepositCredential is the credential n's contacts present at relay
// with n's current deposit secret.
func (n *Node) OwnDepositCredential(relay peer.ID) [mailbox.CredentialSize]byte {
	return n.post.OwnDepositCredential(relay)
}

// decodeContentForTest decodes a stored outbox item's content.
func decodeContentForTest(b []byte) (*pb.Content, error) {
	var c pb.Content
	return &c, proto.Unmarshal(b, &c)
}

// account is n's account in core's terms (n.self is the protocol's).
func account(n *Node) core.AccountID { return rt.CoreAccount(n.self) }

// InsertTexts stores count texts of the 1:1 chat with peer, alternately
// sent and received, each with its account-log operation (as chats
// records them), 1,000 to a transaction: a long history, made fast.
func (n *Node) InsertTexts(ctx context.Context, peer core.AccountID, count int) error {
	const batch = 1000
	for done := 0; done < count; done += batch {
		err := n.store.Update(ctx, func(ctx context.Context) error {
			for k := done; k < min(done+batch, count); k++ {
				now := time.Now()
				id := storage.NewMessageID(now)
				text := fmt.Sprintf("text %d", k)
				m := storage.Message{
					ID: id, Peer: storage.Account(peer), Sender: storage.Account(peer), Direction: storage.Incoming,
					Text: text, SentAt: now, StoredAt: now, State: storage.Received,
				}
				if k%2 == 0 {
					m.Sender, m.SenderDevice, m.Direction, m.State = n.self, n.device, storage.Outgoing, storage.Sent
				}
				if err := n.store.InsertMessage(ctx, m); err != nil {
					return err
				}
				content, err := proto.Marshal(&pb.Content{MessageId: id[:], SentAtMs: now.UnixMilli(), Body: &pb.Content_Text{Text: &pb.Text{Body: text}}})
				if err != nil {
					return err
				}
				body, err := proto.Marshal(&pb.OpMessage{Content: content, Peer: peer[:], Outgoing: m.Direction == storage.Outgoing, SenderDevice: m.SenderDevice})
				if err != nil {
					return err
				}
				if _, err := n.alog.Note(ctx, chats.OpMessage, body); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// CopyAsLegacyFile stores a copy of file message id (its message and
// attachment, the same blocks) under a new ID without an account-log
// operation, as a version before the log carried files did, and returns
// the copy's ID.
func (n *Node) CopyAsLegacyFile(ctx context.Context, id core.MessageID) (core.MessageID, error) {
	nid := storage.NewMessageID(time.Now())
	err := n.store.Update(ctx, func(ctx context.Context) error {
		m, err := n.store.Message(ctx, rt.ID(id))
		if err != nil {
			return err
		}
		a, err := n.store.Attachment(ctx, rt.ID(id))
		if err != nil {
			return err
		}
		m.ID, a.ID = nid, nid
		if err := n.store.InsertMessage(ctx, m); err != nil {
			return err
		}
		return n.store.PutAttachment(ctx, a)
	})
	return rt.CoreID(nid), err
}

// BackfillMedia runs the media feature's backfill (node runs it once per
// home, at start).
func (n *Node) BackfillMedia(ctx context.Context) (int, error) { return n.media.Backfill(ctx) }

// OutboxIDs returns the ids of the items in the outbox.
func (n *Node) OutboxIDs(ctx context.Context) []core.MessageID {
	its, err := n.store.Outbox(ctx)
	if err != nil {
		return nil
	}
	ids := make([]core.MessageID, 0, len(its))
	for _, it := range its {
		ids = append(ids, core.MessageID(it.ID))
	}
	return ids
}

// AccountOpRaw returns the signed account-log operation (device, seq)
// the node holds.
func (n *Node) AccountOpRaw(ctx context.Context, device uint32, seq uint64) ([]byte, error) {
	return n.store.AccountOp(ctx, device, seq)
}

// AccountVector returns the node's account-log vector.
func (n *Node) AccountVector(ctx context.Context) (map[uint32]uint64, error) {
	return n.store.Vector(ctx)
}

// HoldAccountOp stores a signed operation of the device cert names
// without asking the device list or folding it, as a device that had not
// yet learned of that device's revocation would have taken it.
func (n *Node) HoldAccountOp(ctx context.Context, raw []byte, cert *identity.Certificate) error {
	op, err := acctlog.Open(raw, func(uint32) (acctlog.Author, error) { return acctlog.Author{Cert: cert}, nil })
	if err != nil {
		return err
	}
	_, err = n.store.AppendOps(ctx, []*acctlog.Op{op})
	return err
}

// SyncAccountLog pulls the account log from the sibling at p now.
func (n *Node) SyncAccountLog(ctx context.Context, p peer.ID) (int, error) {
	return n.alog.Sync(ctx, p)
}

// Certificate returns this device's certificate.
func (n *Node) Certificate() *identity.Certificate { return n.cert }

// HoldReceivedTexts stores count texts from peer as received, each with
// the account-log operation the chats feature records for a received text
// (not pushed), batch texts a transaction: a long history, made quickly.
func (n *Node) HoldReceivedTexts(ctx context.Context, peer core.AccountID, count, batch int) error {
	for i := 0; i < count; i += batch {
		err := n.store.Update(ctx, func(ctx context.Context) error {
			for j := i; j < min(i+batch, count); j++ {
				now := time.Now()
				id := storage.NewMessageID(now)
				text := fmt.Sprintf("text %d of a long history", j)
				c, err := proto.Marshal(&pb.Content{MessageId: id[:], SentAtMs: now.UnixMilli(), Body: &pb.Content_Text{Text: &pb.Text{Body: text}}})
				if err != nil {
					return err
				}
				m := storage.Message{
					ID: id, Peer: storage.Account(peer), Sender: storage.Account(peer), SenderDevice: 1, Text: text,
					SentAt: time.UnixMilli(now.UnixMilli()), StoredAt: now, Direction: storage.Incoming, State: storage.Received,
				}
				if err := n.store.InsertMessage(ctx, m); err != nil {
					return err
				}
				body, err := proto.Marshal(&pb.OpMessage{Content: c, Peer: peer[:], SenderDevice: 1})
				if err != nil {
					return err
				}
				if _, err := n.alog.Note(ctx, "chats.message", body); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// DeleteMessage removes message id through the store path every removal
// takes (delete for me or for everyone, expiry): Store.DeleteMessage.
func (n *Node) DeleteMessage(ctx context.Context, id core.MessageID) error {
	return n.store.DeleteMessage(ctx, storage.MessageID(id))
}

// BlockCount returns how many media blocks the store holds.
func (n *Node) BlockCount(ctx context.Context) (int, error) {
	c := 0
	err := n.store.Blocks().ForEachBlock(ctx, func(cid.Cid, int) error { c++; return nil })
	return c, err
}

// InsertLegacyText stores a text sent to peer with its chats.message
// operation signed as versions before detached bodies did: the body
// inside the signed op. It returns the message's ID.
func (n *Node) InsertLegacyText(ctx context.Context, peer core.AccountID, text string) (core.MessageID, error) {
	now := time.Now()
	id := storage.NewMessageID(now)
	err := n.store.Update(ctx, func(ctx context.Context) error {
		m := storage.Message{
			ID: id, Peer: storage.Account(peer), Sender: n.self, SenderDevice: n.device, Direction: storage.Outgoing,
			Text: text, SentAt: now, StoredAt: now, State: storage.Sent,
		}
		if err := n.store.InsertMessage(ctx, m); err != nil {
			return err
		}
		content, err := proto.Marshal(&pb.Content{MessageId: id[:], SentAtMs: now.UnixMilli(), Body: &pb.Content_Text{Text: &pb.Text{Body: text}}})
		if err != nil {
			return err
		}
		body, err := proto.Marshal(&pb.OpMessage{Content: content, Peer: peer[:], Outgoing: true, SenderDevice: n.device})
		if err != nil {
			return err
		}
		seq, lamport, prev, err := n.store.NextOp(ctx, n.device)
		if err != nil {
			return err
		}
		signed, err := proto.MarshalOptions{Deterministic: true}.Marshal(&pb.AccountOp{
			Account: n.self[:], Device: n.device, Seq: seq, Lamport: lamport, AtMs: now.UnixMilli(),
			Kind: chats.OpMessage, Body: body, Prev: prev,
		})
		if err != nil {
			return err
		}
		key := n.host.Peerstore().PrivKey(n.host.ID())
		sig, err := key.Sign(append([]byte("pigeon/account-op/v1\x00"), signed...))
		if err != nil {
			return err
		}
		raw, err := proto.Marshal(&pb.SignedAccountOp{Op: signed, Signature: sig})
		if err != nil {
			return err
		}
		op, err := acctlog.Open(raw, func(uint32) (acctlog.Author, error) { return acctlog.Author{Cert: n.cert}, nil })
		if err != nil {
			return err
		}
		if _, err := n.store.AppendOps(ctx, []*acctlog.Op{op}); err != nil {
			return err
		}
		return n.store.NoteMessageOp(ctx, id, n.device, seq)
	})
	return core.MessageID(id), err
}
