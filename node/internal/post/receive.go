package post

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/delivery"
	"github.com/pigeon-net/pigeon/protocol/e2e"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

// handleEnvelopes is the /pigeon/msg/1 handler. For each envelope it
// authenticates the sender device, then decrypts and stores in one
// transaction, and returns the ack codes; nothing of an envelope is stored
// unless all of it succeeds. Consecutive envelopes from one device (a
// pipelined burst) are decrypted and stored in one transaction; if any of
// them fails, they are handled one by one instead so each gets its own code.
// Processing stops at the first code that closes the stream. What was
// stored is durable before the codes go out.
func (n *receiver) handleEnvelopes(ctx context.Context, from peer.ID, envs []*pb.Envelope) []pb.ErrorCode {
	return n.acked(ctx, n.handle(ctx, from, envs, false))
}

// handleRelayed handles an envelope a relay held for us (see
// handleEnvelopes); the caller waits for durability before acking it.
func (n *receiver) handleRelayed(ctx context.Context, from peer.ID, env *pb.Envelope) pb.ErrorCode {
	return n.handle(ctx, from, []*pb.Envelope{env}, true)[0]
}

// handle handles envelopes from a peer, directly (relayed false) or held
// by a relay. On a full disk it takes none (STORAGE_FULL: the sender
// keeps them).
func (n *receiver) handle(ctx context.Context, from peer.ID, envs []*pb.Envelope, relayed bool) []pb.ErrorCode {
	if err := n.store.CheckSpace(0); err != nil {
		return refuseFull(len(envs))
	}
	codes := make([]pb.ErrorCode, len(envs))
	for i := 0; i < len(envs); {
		cert, code := n.checkEnvelope(ctx, from, envs[i], nil)
		if code != pb.ErrorCode_OK {
			codes[i] = code
			if delivery.Fatal(code) {
				return codes[:i+1]
			}
			i++
			continue
		}
		j := i + 1
		for j < len(envs) && j-i < maxDecryptRun {
			if c, code := n.checkEnvelope(ctx, from, envs[j], cert); code != pb.ErrorCode_OK || c != cert {
				break
			}
			j++
		}
		if j-i > 1 && n.acceptRun(ctx, cert, envs[i:j], relayed) == nil {
			i = j // codes are OK
			continue
		}
		for ; i < j; i++ {
			if codes[i] = n.acceptOne(ctx, cert, envs[i], relayed); delivery.Fatal(codes[i]) {
				return codes[:i+1]
			}
		}
	}
	return codes
}

// maxDecryptRun bounds the envelopes decrypted in one transaction.
const maxDecryptRun = 64

// checkEnvelope checks the addressing of env and finds the sending device's
// certificate. With same non-nil, env must come from that device.
func (n *receiver) checkEnvelope(ctx context.Context, from peer.ID, env *pb.Envelope, same *identity.Certificate) (*identity.Certificate, pb.ErrorCode) {
	if identity.AccountID(env.RecipientAccount) != n.self || env.RecipientDevice != n.device {
		return nil, pb.ErrorCode_WRONG_RECIPIENT
	}
	sender := identity.AccountID(env.SenderAccount)
	if sender == n.self && env.SenderDevice == n.device {
		return nil, pb.ErrorCode_WRONG_RECIPIENT
	}
	if same != nil {
		if sender != same.Account || env.SenderDevice != same.DeviceID ||
			(env.SenderCertificate != nil && !sameSigned(env.SenderCertificate, same.Signed)) {
			return nil, pb.ErrorCode_UNKNOWN_SENDER // not part of the run
		}
		return same, pb.ErrorCode_OK
	}
	return n.senderCertificate(ctx, from, sender, env)
}

// acceptOne decrypts and stores one envelope.
func (n *receiver) acceptOne(ctx context.Context, cert *identity.Certificate, env *pb.Envelope, relayed bool) pb.ErrorCode {
	var got rt.Result
	addr := e2e.Address{Account: cert.Account, Device: cert.DeviceID}
	change, err := n.e2e.Decrypt(ctx, addr, cert, env.Type, env.Ciphertext, func(ctx context.Context, pt []byte) error {
		var err error
		got, err = n.store1(ctx, addr, env, pt, relayed)
		return err
	})
	if err != nil {
		code := decryptCode(err)
		n.log.Debug("envelope not accepted", "from", cert.PeerID, "code", code, "err", err)
		return code
	}
	n.published(ctx, change, env, got, relayed)
	return pb.ErrorCode_OK
}

// acceptRun decrypts and stores envelopes from one device in one
// transaction; on error nothing was stored.
func (n *receiver) acceptRun(ctx context.Context, cert *identity.Certificate, envs []*pb.Envelope, relayed bool) error {
	msgs := make([]e2e.Sealed, len(envs))
	for i, env := range envs {
		msgs[i] = e2e.Sealed{Type: env.Type, Ciphertext: env.Ciphertext}
	}
	got := make([]rt.Result, len(envs))
	addr := e2e.Address{Account: cert.Account, Device: cert.DeviceID}
	change, err := n.e2e.DecryptBatch(ctx, addr, cert, msgs, func(ctx context.Context, i int, pt []byte) error {
		var err error
		got[i], err = n.store1(ctx, addr, envs[i], pt, relayed)
		return err
	})
	if err != nil {
		return err
	}
	for i, env := range envs {
		n.published(ctx, change, env, got[i], relayed)
		change = nil
	}
	return nil
}

// store1 hands the decrypted content of env to the handler registered for
// its kind, inside the decrypt transaction. It may run more than once
// (transaction retries).
func (n *receiver) store1(ctx context.Context, from e2e.Address, env *pb.Envelope, pt []byte, relayed bool) (rt.Result, error) {
	c, err := decodeContent(pt)
	if err != nil {
		return rt.Result{}, err
	}
	if string(c.MessageId) != string(env.MessageId) {
		return rt.Result{}, fmt.Errorf("%w: content id differs from envelope id", errBadContent)
	}
	if ds := c.GetDepositSecret(); ds != nil {
		// The sending device's credential for deposits into its mailboxes.
		if err := n.deposits.received(ctx, from, ds); err != nil {
			return rt.Result{}, err
		}
	}
	h, ok := n.handlers.contentHandler(c)
	if !ok {
		return rt.Result{}, fmt.Errorf("%w: no handler for content kind %d", errBadContent, rt.KindOf(c))
	}
	sender := rt.CoreAccount(from.Account)
	other := from.Account != n.self
	if other {
		if drop, err := n.screen(ctx, sender, c, relayed); drop || err != nil {
			return rt.Result{}, err
		}
	}
	id, _ := storage.MessageIDFromBytes(env.MessageId)
	got, err := h(ctx, rt.Incoming{From: from, Envelope: env, Content: c, ID: id, SentAt: time.UnixMilli(c.SentAtMs), Relayed: relayed})
	if err != nil || !other || !got.New || !createsHistory(c) {
		return got, err
	}
	_, after, err := n.policy.Received(ctx, sender, core.MessageID(id))
	if err != nil || after == nil {
		return got, err
	}
	if first := got.After; first != nil {
		got.After = func(ctx context.Context) { first(ctx); after(ctx) }
	} else {
		got.After = after
	}
	return got, nil
}

// errBlockedSender refuses, on a direct stream, a message from an account
// the user blocked: nothing is decrypted for good or stored, and the
// sender keeps its message pending (never delivered) and tries again
// later; it arrives if the user unblocks the account meanwhile.
var errBlockedSender = errors.New("sender is blocked")

// screen decides whether a content from another account is dropped
// because the user blocked that account. A content that would make
// history (a text, a file, an action on a message, a timer change) is
// refused when it came directly (errBlockedSender: the sender's message
// stays pending, as for a device that is offline) and dropped when a
// relay held it (the relay's copy is gone; no delivery receipt goes
// back, so the sender's message stays sent). Typing, receipts and
// profiles are dropped either way. Group control is let through: groups
// refuses being added by a blocked account itself, and the groups we
// share with it keep working.
func (n *receiver) screen(ctx context.Context, sender core.AccountID, c *pb.Content, relayed bool) (drop bool, err error) {
	switch k := rt.KindOf(c); {
	case k == rt.KindGroup, k == rt.KindDeviceList, k == rt.KindAccountOps,
		k == rt.KindReceipt && len(c.GetReceipt().GetGroupId()) > 0:
		return false, nil
	}
	blocked, err := n.policy.Blocked(ctx, sender)
	if err != nil || !blocked {
		return false, err
	}
	if createsHistory(c) && !relayed {
		return true, errBlockedSender
	}
	n.log.Debug("content from a blocked account dropped", "account", sender.Short(), "kind", rt.KindOf(c))
	return true, nil
}

// createsHistory reports whether a 1:1 content makes a message of a chat
// or changes one.
func createsHistory(c *pb.Content) bool {
	switch rt.KindOf(c) {
	case rt.KindText, rt.KindMedia, rt.KindAction, rt.KindTimerSet:
		return true
	}
	return false
}

// published acts on a stored envelope after its transaction committed:
// the handler's work, and a delivery receipt for a message that came
// through a relay.
func (n *receiver) published(ctx context.Context, change *e2e.IdentityChange, env *pb.Envelope, got rt.Result, relayed bool) {
	if change != nil {
		n.policy.IdentityChanged(ctx, change)
	}
	if got.After != nil {
		got.After(ctx)
	}
	if got.Message && relayed {
		// The sender learns of a direct delivery from our ack; of one
		// through a relay only from this receipt (also sent for a copy
		// we already had: its direct ack may have been lost).
		id, _ := storage.MessageIDFromBytes(env.MessageId)
		n.receipts.add(identity.AccountID(env.SenderAccount), id)
	}
}

// takeReceipt applies a receipt for 1:1 messages.
func (n *receiver) takeReceipt(ctx context.Context, in rt.Incoming) (rt.Result, error) {
	if err := rt.CheckReceipt(in.Content.GetReceipt()); err != nil {
		return rt.Result{}, err
	}
	ev, err := n.applyReceipt(ctx, in.From.Account, in.From.Device, in.Content.GetReceipt())
	return rt.Result{After: n.publishAll(ev)}, err
}

// publishAll returns a function publishing events, nil for none.
func (n *env) publishAll(events []core.Event) func(context.Context) {
	if len(events) == 0 {
		return nil
	}
	return func(context.Context) {
		for _, e := range events {
			n.publish(e)
		}
	}
}

// registerHandlers claims the content kinds the node handles.
func (n *receiver) registerHandlers(r rt.Registry) {
	// (Groups claims group control and the receipts that name a group.)
	isGroup := func(c *pb.Content) bool { return len(c.GetReceipt().GetGroupId()) > 0 }
	r.HandleContent(rt.KindReceipt, func(c *pb.Content) bool { return !isGroup(c) }, n.takeReceipt)
}

func decryptCode(err error) pb.ErrorCode {
	switch {
	case errors.Is(err, storage.ErrStorageFull):
		return pb.ErrorCode_STORAGE_FULL
	case errors.Is(err, errBadContent):
		return pb.ErrorCode_MALFORMED
	case errors.Is(err, e2e.ErrReplay):
		return pb.ErrorCode_REPLAY
	case errors.Is(err, e2e.ErrUntrustedIdentity):
		return pb.ErrorCode_UNTRUSTED_IDENTITY
	case errors.Is(err, e2e.ErrDecrypt), errors.Is(err, e2e.ErrNoSession), errors.Is(err, e2e.ErrUnsupportedType):
		return pb.ErrorCode_DECRYPT_FAILED
	}
	return pb.ErrorCode_INTERNAL
}

// senderCertificate finds the certificate of the sending device and checks
// that it names the authenticated peer. Prekey messages carry it; for others
// it comes from the sender's device list.
func (n *receiver) senderCertificate(ctx context.Context, from peer.ID, sender identity.AccountID, env *pb.Envelope) (*identity.Certificate, pb.ErrorCode) {
	cert, code := n.certificate(ctx, from, sender, env)
	if code != pb.ErrorCode_OK {
		return nil, code
	}
	return cert, n.listed(ctx, cert, env.SenderListVersion)
}

// listed checks that the account's device list still names the sending
// device: a certificate stays valid after its device was revoked, the
// list does not. A list older than the one the sender says it has is
// fetched first; when the newest list we can get is still older and does
// not name the device (a device linked a moment ago), the sender is asked
// to try again later.
func (n *receiver) listed(ctx context.Context, cert *identity.Certificate, version uint64) pb.ErrorCode {
	acct := rt.CoreAccount(cert.Account)
	names := func(l *identity.DeviceList) bool {
		d, ok := l.Device(cert.DeviceID)
		return ok && d.Cert.PeerID == cert.PeerID
	}
	l := n.resolver.Cached(acct)
	if l != nil && names(l) {
		return pb.ErrorCode_OK
	}
	if l == nil || l.Version < version {
		if fresh, err := n.resolver.Get(ctx, acct, l != nil); err == nil {
			l = fresh
		}
	}
	switch {
	case l == nil:
		return pb.ErrorCode_OK // no list to be found: the certificate vouches, as for older senders
	case names(l):
		return pb.ErrorCode_OK
	case l.Version >= version:
		n.log.Debug("envelope from a device its account does not list", "account", acct.Short(), "device", cert.DeviceID)
		return pb.ErrorCode_UNKNOWN_SENDER
	default:
		return pb.ErrorCode_INTERNAL // our copy of the list is behind: try later
	}
}

// certificate finds and verifies the sending device's certificate.
func (n *receiver) certificate(ctx context.Context, from peer.ID, sender identity.AccountID, env *pb.Envelope) (*identity.Certificate, pb.ErrorCode) {
	if env.SenderCertificate != nil {
		// Every message before the peer hears from us carries the
		// certificate: skip the signature check when it is the one we
		// already verified.
		if c := n.resolver.Cert(rt.CoreAccount(sender), env.SenderDevice); c != nil && c.PeerID == from && sameSigned(c.Signed, env.SenderCertificate) {
			return c, pb.ErrorCode_OK
		}
		cert, err := identity.VerifyCertificate(env.SenderCertificate)
		if err != nil || cert.Account != sender || cert.DeviceID != env.SenderDevice || cert.PeerID != from {
			return nil, pb.ErrorCode_UNKNOWN_SENDER
		}
		n.resolver.RememberCert(cert)
		return cert, pb.ErrorCode_OK
	}
	if cert := n.resolver.Cert(rt.CoreAccount(sender), env.SenderDevice); cert != nil && cert.PeerID == from {
		return cert, pb.ErrorCode_OK
	}
	for _, refresh := range []bool{false, true} {
		list, err := n.resolver.Get(ctx, rt.CoreAccount(sender), refresh)
		if err != nil {
			continue
		}
		if d, ok := list.Device(env.SenderDevice); ok && d.Cert.PeerID == from {
			n.resolver.RememberCert(d.Cert)
			return d.Cert, pb.ErrorCode_OK
		}
	}
	return nil, pb.ErrorCode_UNKNOWN_SENDER
}

// applyReceipt moves our outgoing messages to sender forward.
func (n *receiver) applyReceipt(ctx context.Context, sender identity.AccountID, device uint32, r *pb.Receipt) ([]core.Event, error) {
	st := storage.Delivered
	if r.Type == pb.Receipt_READ {
		st = storage.Read
	}
	var events []core.Event
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
		if m.Direction != storage.Outgoing || identity.AccountID(m.Peer) != sender {
			continue // a receipt only speaks for messages sent to its author
		}
		ids = append(ids, id)
		ev, err := n.setState(ctx, id, st)
		if err != nil {
			return nil, err
		}
		events = append(events, ev...)
	}
	if len(ids) > 0 {
		// The device has them: no relay needs to hold them for it.
		if err := n.custody.receiptCustody(ctx, sender, device, ids); err != nil {
			return nil, err
		}
		events = append(events, core.ReceiptReceived{From: rt.CoreAccount(sender), Device: device, Read: st == storage.Read, IDs: rt.CoreIDs(ids)})
	}
	return events, nil
}

// receipts batches delivery receipts: every stored incoming message adds its
// ID, and the run loop turns whatever has accumulated over receiptDelay into
// one receipt per sender. Receipts still pending at Close are not sent; the
// sender's device already has the direct ack.
type receipts struct {
	n *env

	mu      sync.Mutex // guards pending
	pending map[identity.AccountID][]storage.MessageID
	wake    chan struct{} // cap 1
}

func newReceipts(n *env) *receipts {
	return &receipts{n: n, pending: make(map[identity.AccountID][]storage.MessageID), wake: make(chan struct{}, 1)}
}

func (r *receipts) add(from identity.AccountID, id storage.MessageID) {
	r.mu.Lock()
	r.pending[from] = append(r.pending[from], id)
	r.mu.Unlock()
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// receiptDelay is how long delivery receipts accumulate before they are
// sent. They are only sent for messages that came through a relay (a
// direct ack tells the sending device itself), so they can wait. Batching keeps the Signal ratchet from turning on every message
// (a DH step costs more than the message itself).
const receiptDelay = 500 * time.Millisecond

func (r *receipts) run(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-r.wake:
		}
		if !rt.Sleep(ctx, receiptDelay) {
			return
		}
		if err := r.n.durable(ctx); err != nil { // the messages, before saying so
			r.n.log.Warn("delivery receipts wait: sync failed", "err", err)
			continue // they stay pending until the next message
		}
		r.mu.Lock()
		batch := r.pending
		r.pending = make(map[identity.AccountID][]storage.MessageID)
		r.mu.Unlock()
		for to, ids := range batch {
			for len(ids) > 0 {
				k := min(len(ids), rt.MaxReceiptIDs)
				if err := r.n.queueReceipt(ctx, to, pb.Receipt_DELIVERED, ids[:k]); err != nil && ctx.Err() == nil {
					r.n.log.Warn("queue delivery receipt", "err", err)
				}
				ids = ids[k:]
			}
		}
	}
}

// queueReceipt stores and enqueues a receipt for ids.
func (n *env) queueReceipt(ctx context.Context, to identity.AccountID, typ pb.Receipt_Type, ids []storage.MessageID) error {
	var item storage.OutboxItem
	err := n.store.Update(ctx, func(ctx context.Context) error {
		var err error
		item, err = n.putReceipt(ctx, to, typ, ids)
		return err
	})
	if err != nil {
		return err
	}
	n.outbox.enqueue(item)
	return nil
}

// putReceipt writes a receipt outbox item in the caller's transaction.
func (n *env) putReceipt(ctx context.Context, to identity.AccountID, typ pb.Receipt_Type, ids []storage.MessageID) (storage.OutboxItem, error) {
	now := time.Now()
	id := storage.NewMessageID(now)
	raw, err := rt.EncodeContent(receiptContent(id, now, typ, ids))
	if err != nil {
		return storage.OutboxItem{}, err
	}
	item := storage.OutboxItem{ID: id, Recipient: storage.Account(to), Content: raw, CreatedAt: now, Receipt: true}
	return item, n.store.PutOutbox(ctx, item)
}

func sameSigned(a, b *pb.Signed) bool {
	return a != nil && b != nil && bytes.Equal(a.Body, b.Body) && bytes.Equal(a.Signature, b.Signature)
}

// receiver is the /pigeon/msg/1 receive path: it authenticates, decrypts
// and dispatches envelopes, and applies 1:1 receipts.
type receiver struct{ *env }

// quiet reports whether nothing of ours but messages may go to account a
// (read receipts): the user blocked it, or its message request is
// pending.
func (n *env) quiet(ctx context.Context, a core.AccountID) (bool, error) {
	if blocked, err := n.policy.Blocked(ctx, a); err != nil || blocked {
		return blocked, err
	}
	return n.policy.Pending(ctx, a)
}
