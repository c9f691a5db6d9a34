package node

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/peerstore"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/delivery"
	"github.com/pigeon-net/pigeon/protocol/e2e"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/mailbox"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/protocol/sealed"
	"github.com/pigeon-net/pigeon/storage"
)

// mailboxTTL is how long a registration with a relay lasts; it is renewed
// at half-life.
const mailboxTTL = 24 * time.Hour

// depositRelays is how many of a recipient's relays get a copy of an
// envelope the recipient cannot take directly.
const depositRelays = 2

// replayedCustody is how long the sender assumes a relay keeps a deposit
// it refused as already held (its receipt was lost): as long as relays
// keep deposits by default.
const replayedCustody = 30 * 24 * time.Hour

// mailboxLoop keeps this device registered with each of its relays and
// subscribed to its mailbox there: whatever was deposited while it was away
// arrives first, then new deposits as they come. Items are opened, handled
// like direct envelopes, and acked so the relay deletes them.
func (n *Node) mailboxLoop(ctx context.Context) {
	running := make(map[peer.ID]context.CancelFunc)
	changed := n.relays.watch()
	defer func() {
		for _, stop := range running {
			stop()
		}
	}()
	for {
		want := make(map[peer.ID]*relayState)
		n.relays.mu.Lock()
		for _, r := range n.relays.relays {
			want[r.info.ID] = r
		}
		n.relays.mu.Unlock()
		for id, r := range want {
			if running[id] == nil {
				rctx, stop := context.WithCancel(ctx)
				running[id] = stop
				info, invite := r.info, r.invite
				if !n.goroutine(func(context.Context) { n.drainRelay(rctx, info, invite) }) {
					stop()
				}
			}
		}
		for id, stop := range running {
			if _, ok := want[id]; !ok {
				stop()
				delete(running, id)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-changed:
		}
	}
}

// drainRelay registers with one relay and consumes its mailbox until ctx
// ends, re-registering and re-subscribing with backoff after failures.
func (n *Node) drainRelay(ctx context.Context, relay peer.AddrInfo, invite string) {
	log := n.log.With("sub", "mailbox", "relay", relay.ID)
	box := mailbox.Box{Account: n.self, Device: n.device}
	backoff := newBackoff(200*time.Millisecond, time.Minute)
	changed := n.relays.watch() // also signalled when the push endpoint changes
	for ctx.Err() == nil {
		n.host.Peerstore().AddAddrs(relay.ID, relay.Addrs, peerstore.PermanentAddrTTL)
		var opts []mailbox.RegisterOption
		ep := n.pushEndpoint()
		if ep != nil {
			opts = append(opts, mailbox.WithPush(ep))
		}
		if invite != "" {
			opts = append(opts, mailbox.WithInvite(invite))
		}
		// Deposits made with a list older than the one that named our
		// current relays are refused (their senders fetch it again), and
		// only our contacts' credentials use the whole quota.
		opts = append(opts, mailbox.WithListVersion(n.mailboxListVersion()),
			mailbox.WithDepositKeys(n.deposits.keys(relay.ID)...))
		reg, err := mailbox.Register(ctx, n.host, relay.ID, n.cert.Signed, mailboxTTL, opts...)
		if err != nil {
			log.Debug("mailbox registration failed", "err", err)
			sleepCtx(ctx, backoff.next())
			continue
		}
		n.relays.setRegion(relay.ID, reg.Region)
		n.notePush(relay.ID, ep, reg.Push)
		n.rechoose()
		if reg.RefillPreKeys {
			n.refillRelayPreKeys(ctx, relay.ID, box)
		}
		n.followGroups(ctx, relay.ID, box)
		renew := time.NewTimer(time.Until(reg.ExpiresAt) / 2)
		sub, err := mailbox.Subscribe(ctx, n.host, relay.ID, box, 0)
		if err != nil {
			renew.Stop()
			log.Debug("mailbox subscription failed", "err", err)
			sleepCtx(ctx, backoff.next())
			continue
		}
		backoff.reset()
	consume:
		for {
			select {
			case <-ctx.Done():
				break consume
			case <-renew.C:
				break consume // register again, then resubscribe
			case <-changed:
				break consume // the push endpoint may have changed
			case page, ok := <-sub.Pages():
				if !ok {
					log.Debug("mailbox subscription ended", "err", sub.Err())
					sleepCtx(ctx, backoff.next())
					break consume
				}
				n.takeMailbox(ctx, relay.ID, box, page.Items)
				if page.RefillPreKeys {
					n.refillRelayPreKeys(ctx, relay.ID, box)
				}
			}
		}
		renew.Stop()
		sub.Close()
	}
}

// closeTimeout bounds one attempt at closing a box.
const closeTimeout = 30 * time.Second

// closeLoop closes this device's box at each relay it removed, with
// backoff while the relay cannot be reached, until the registration there
// would have expired anyway (mailboxTTL after the removal: from then on
// the relay refuses deposits as unregistered).
func (n *Node) closeLoop(ctx context.Context) {
	changed := n.relays.watch()
	for {
		now := time.Now()
		wake := now.Add(time.Hour)
		n.relays.mu.Lock()
		var due []*closingRelay
		for _, c := range n.relays.closing {
			if !now.Before(c.next) {
				due = append(due, c)
			} else {
				wake = minTime(wake, c.next)
			}
		}
		n.relays.mu.Unlock()
		changedSet := false
		for _, c := range due {
			err := n.closeBox(ctx, c)
			if ctx.Err() != nil {
				return
			}
			done := err == nil || time.Since(c.since) > mailboxTTL
			n.relays.mu.Lock()
			if done {
				n.relays.closing = slices.DeleteFunc(n.relays.closing, func(x *closingRelay) bool { return x == c })
				changedSet = true
			} else {
				c.lastErr = err.Error()
				c.next = time.Now().Add(c.backoff.next())
				wake = minTime(wake, c.next)
			}
			readded := slices.ContainsFunc(n.relays.relays, func(r *relayState) bool { return r.info.ID == c.info.ID })
			n.relays.mu.Unlock()
			switch {
			case err == nil:
				n.log.Info("mailbox closed at a removed relay", "relay", c.info.ID)
			case done:
				n.log.Info("gave up closing the mailbox at a removed relay; its registration has expired", "relay", c.info.ID, "err", err)
			default:
				n.log.Debug("closing the mailbox at a removed relay failed", "relay", c.info.ID, "err", err)
			}
			if readded {
				n.relays.signal() // added again meanwhile: register again, which reopens the box
			}
		}
		if changedSet {
			if err := n.saveRelays(ctx); err != nil && ctx.Err() == nil {
				n.log.Warn("save relays", "err", err)
			}
		}
		t := time.NewTimer(time.Until(wake))
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		case <-changed:
			t.Stop()
		}
	}
}

// closeBox takes what this device's box at a removed relay still holds,
// then closes it there.
func (n *Node) closeBox(ctx context.Context, c *closingRelay) error {
	ctx, cancel := context.WithTimeout(ctx, closeTimeout)
	defer cancel()
	n.host.Peerstore().AddAddrs(c.info.ID, c.info.Addrs, peerstore.TempAddrTTL)
	box := mailbox.Box{Account: n.self, Device: n.device}
	var after uint64
	for {
		page, err := mailbox.Drain(ctx, n.host, c.info.ID, box, after, 0)
		if errors.Is(err, mailbox.ErrNotRegistered) || errors.Is(err, mailbox.ErrWrongPeer) {
			break // nothing to take: the registration expired (or is not ours)
		}
		if err != nil {
			return fmt.Errorf("drain before closing: %w", err)
		}
		if left := n.takeMailbox(ctx, c.info.ID, box, page.Items); left > 0 {
			// Closing would drop what we could not store yet.
			return fmt.Errorf("drain before closing: %d items not taken yet", left)
		}
		if !page.More || len(page.Items) == 0 {
			break
		}
		after = page.Items[len(page.Items)-1].Seq
	}
	dropped, err := mailbox.CloseBox(ctx, n.host, c.info.ID, n.cert.Signed)
	if errors.Is(err, mailbox.ErrReplay) {
		return nil // closed already, by a later closing of ours
	}
	if err != nil {
		return err
	}
	if dropped > 0 {
		n.log.Debug("relay dropped deposits that arrived while closing", "relay", c.info.ID, "dropped", dropped)
	}
	return nil
}

// takeMailbox handles drained items and acks every one that is finished
// with (stored, or refused for good) once what was stored is durable (the
// relay deletes what is acked); items that failed for a local reason (a
// full disk, say) stay at the relay for the next drain. It returns how many
// were not acked.
func (n *Node) takeMailbox(ctx context.Context, relay peer.ID, box mailbox.Box, items []mailbox.Item) (left int) {
	var done []mailbox.DepositID
	for _, it := range items {
		code := n.openDeposit(ctx, it.Envelope)
		if retryLater(code) {
			continue
		}
		done = append(done, it.ID)
	}
	if len(done) == 0 {
		return len(items)
	}
	if err := n.durable(ctx); err != nil {
		n.log.Warn("mailbox ack wait: sync failed", "relay", relay, "err", err)
		return len(items) // the relay keeps them for the next drain
	}
	if _, err := mailbox.Ack(ctx, n.host, relay, box, done); err != nil {
		if ctx.Err() == nil {
			n.log.Debug("mailbox ack failed", "relay", relay, "err", err)
		}
		return len(items)
	}
	return len(items) - len(done)
}

// openDeposit unseals one deposited envelope and handles it like one that
// arrived directly. The sender is authenticated by its certificate and the
// Signal session inside, since the transport peer is the relay.
func (n *Node) openDeposit(ctx context.Context, raw []byte) pb.ErrorCode {
	if len(raw) > 0 && raw[0] == mailbox.GroupItemMarker {
		return n.groups.TakeEnvelope(ctx, raw[1:]) // kept by the relay from a group topic
	}
	kp := n.store.GetIdentityKeyPair()
	priv := kp.PrivateKey().Serialize()
	plain, err := sealed.Open(priv[:], kp.PublicKey().Serialize(), raw)
	if err != nil {
		n.log.Debug("deposit does not open", "err", err)
		return pb.ErrorCode_MALFORMED
	}
	env, err := delivery.DecodeEnvelope(plain)
	if err != nil || env.SenderCertificate == nil {
		return pb.ErrorCode_MALFORMED
	}
	cert, err := identity.VerifyCertificate(env.SenderCertificate)
	if err != nil {
		return pb.ErrorCode_UNKNOWN_SENDER
	}
	return n.handleRelayed(ctx, cert.PeerID, env)
}

// deposit seals the items a device could not take directly and leaves them
// at up to depositRelays of the recipient's relays. An item counts as handed
// over (state sent) once one relay has given a verified custody receipt;
// the attempt notes which relays did (a.held). Each deposit names the
// version of the recipient's list it was made with and, when the device
// handed us its deposit secret, presents the credential for that relay. A
// relay that says the list is out of date (the box is closed there, or
// registered a newer list) marks the attempt stale.
func (o *outbox) deposit(ctx context.Context, a *attempt, d identity.Device, items []storage.OutboxItem, todo []int) (custody []int, err error) {
	n := o.n
	list := a.list
	relays, err := ParseAddrInfos(list.Relays)
	if err != nil || len(relays) == 0 {
		return nil, errors.New("no relays to deposit at")
	}
	// Only relays we can reach now: encrypting burns session counters.
	var reachable []peer.AddrInfo
	for _, r := range relays {
		if len(reachable) == depositRelays {
			break
		}
		cctx, cancel := context.WithTimeout(ctx, mailbox.StreamOpenTimeout)
		err := n.host.Connect(cctx, r)
		cancel()
		if err == nil {
			reachable = append(reachable, r)
		}
	}
	if len(reachable) == 0 {
		return nil, errRelaysUnreachable
	}
	relays = reachable
	// Files first go to the relays in the background: a large one takes
	// minutes, and the messages queued behind it must not wait for it.
	var ready []int
	for _, i := range todo {
		if o.copyReady(list.Account, d.Cert.DeviceID, relays, items[i]) {
			ready = append(ready, i)
		}
	}
	if len(ready) == 0 {
		return nil, errCopying
	}
	todo = ready
	addr := e2e.Address{Account: list.Account, Device: d.Cert.DeviceID}
	sealedMsgs, _, err := o.seal(ctx, addr, items, todo)
	if err != nil {
		return nil, fmt.Errorf("encrypt for deposit: %w", err)
	}
	box := mailbox.Box{Account: list.Account, Device: d.Cert.DeviceID}
	var errs []error
	for k, i := range todo {
		env := &pb.Envelope{
			MessageId:            items[i].ID[:],
			SenderAccount:        n.self[:],
			SenderDevice:         n.device,
			RecipientAccount:     list.Account[:],
			RecipientDevice:      d.Cert.DeviceID,
			Type:                 sealedMsgs[k].Type,
			Ciphertext:           sealedMsgs[k].Ciphertext,
			SenderCertificate:    n.cert.Signed, // the relay is the transport peer
			RecipientListVersion: list.Version,
		}
		raw, err := proto.Marshal(env)
		if err != nil {
			return custody, err
		}
		blob, err := sealed.Seal(d.Cert.SignalIdentityKey, raw)
		if err != nil {
			return custody, fmt.Errorf("seal: %w", err)
		}
		held := storage.CustodyDevice{Device: d.Cert.DeviceID, ListVersion: list.Version}
		for _, r := range relays {
			n.host.Peerstore().AddAddrs(r.ID, r.Addrs, peerstore.TempAddrTTL)
			// Media: the relay keeps a copy while it holds the envelope.
			pins, ok := o.copiedAt(items[i].ID, r.ID)
			if !ok {
				pins = n.pinAtRelay(ctx, r.ID, list.Account, d.Cert.DeviceID, items[i])
			}
			opts := append([]mailbox.DepositOption{mailbox.WithPinned(pins...), mailbox.ForListVersion(list.Version)},
				n.deposits.depositOptions(ctx, addr, r.ID)...)
			receipt, err := mailbox.Deposit(ctx, n.host, r.ID, box, mailbox.DepositID(items[i].ID), blob, opts...)
			switch {
			case err == nil:
				// Deposit verified the custody receipt.
				held.Relays = append(held.Relays, string(r.ID))
				held.Until = maxTime(held.Until, receipt.StoredUntil)
			case errors.Is(err, mailbox.ErrReplay):
				// The relay holds this message already, from an attempt
				// whose receipt we never got; that copy decrypts too.
				held.Relays = append(held.Relays, string(r.ID))
				held.Until = maxTime(held.Until, time.Now().Add(replayedCustody))
			case errors.Is(err, mailbox.ErrBoxClosed), errors.Is(err, mailbox.ErrStaleList), errors.Is(err, mailbox.ErrNotRegistered):
				// The recipient moved on from what our list says.
				a.stale = true
				errs = append(errs, fmt.Errorf("relay %s: %w", r.ID, err))
			default:
				errs = append(errs, &depositError{relay: r.ID, err: err})
			}
		}
		if len(held.Relays) > 0 {
			custody = append(custody, i)
			a.held[items[i].ID] = append(a.held[items[i].ID], held)
		}
	}
	return custody, errors.Join(errs...)
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// copiedAt returns the roots relay pinned for message id in the
// background, if it did.
func (o *outbox) copiedAt(id storage.MessageID, relay peer.ID) ([][]byte, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	c := o.copying[id]
	if c == nil || !c.done {
		return nil, false
	}
	pins, ok := c.roots[relay]
	return pins, ok
}

// errCopying: every item of an attempt waits for a relay to copy its file.
var errCopying = errors.New("relays are copying the file")

// copyReady reports whether item can be deposited now: it carries no
// file, or the relays finished copying its file (the deposit then pins it
// again, which is quick: the relay has every block). Otherwise it starts
// the copy in the background, once, and the copy wakes the lane when done.
func (o *outbox) copyReady(account identity.AccountID, device uint32, relays []peer.AddrInfo, item storage.OutboxItem) bool {
	if _, _, ok := mediaRootOf(item.Content); !ok {
		return true
	}
	o.mu.Lock()
	c := o.copying[item.ID]
	if c == nil {
		o.copying[item.ID] = &relayCopy{roots: make(map[peer.ID][][]byte)}
	}
	o.mu.Unlock()
	if c != nil {
		return c.done
	}
	n := o.n
	started := n.goroutine(func(ctx context.Context) {
		roots := make(map[peer.ID][][]byte)
		for _, r := range relays {
			if pins := n.pinAtRelay(ctx, r.ID, account, device, item); pins != nil {
				roots[r.ID] = pins
			}
		}
		o.mu.Lock()
		if c := o.copying[item.ID]; c != nil {
			c.done, c.roots = true, roots
		}
		o.mu.Unlock()
		o.wake(account)
	})
	if !started {
		o.mu.Lock()
		delete(o.copying, item.ID)
		o.mu.Unlock()
	}
	return false
}

// relayPreKeys is how many one-time prekey bundles a device keeps at each
// relay, for senders that start a session while it is offline.
const relayPreKeys = 20

// refillRelayPreKeys hands a relay a batch of one-time prekey bundles (each
// taken from our pool, so it is given out only by that relay) and the
// signed-prekey bundle it falls back to when they run out.
func (n *Node) refillRelayPreKeys(ctx context.Context, relay peer.ID, box mailbox.Box) {
	var batch []mailbox.PreKey
	for range relayPreKeys {
		b, err := n.e2e.Bundle(ctx)
		if err != nil || b.PrekeyId == e2e.LastResortPreKeyID {
			break // our own pool ran out; the relay gets what we have
		}
		raw, err := proto.Marshal(b)
		if err != nil {
			break
		}
		batch = append(batch, mailbox.PreKey{ID: b.PrekeyId, Bundle: raw})
	}
	_, signed, err := n.e2e.PublishedBundle(ctx)
	if err != nil {
		n.log.Warn("signed bundle for relay", "err", err)
		return
	}
	if _, err := mailbox.UploadPreKeys(ctx, n.host, relay, box, batch, signed, false); err != nil && ctx.Err() == nil {
		n.log.Debug("upload prekeys to relay failed", "relay", relay, "err", err)
	}
}

// relayBundle asks the recipient's relays for a prekey bundle of a device
// that cannot be reached: a one-time prekey it left there, or its signed
// bundle.
func (o *outbox) relayBundle(ctx context.Context, list *identity.DeviceList, addr e2e.Address) (*e2e.Bundle, error) {
	n := o.n
	relays, err := ParseAddrInfos(list.Relays)
	if err != nil || len(relays) == 0 {
		return nil, errors.New("no relays")
	}
	box := mailbox.Box{Account: addr.Account, Device: addr.Device}
	var errs []error
	for _, r := range relays {
		n.host.Peerstore().AddAddrs(r.ID, r.Addrs, peerstore.TempAddrTTL)
		got, err := mailbox.FetchPreKey(ctx, n.host, r.ID, box)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		b, err := e2e.VerifyBundleRecord(got.Bundle, addr) // the signed bundle
		if err != nil {
			raw, derr := e2e.DecodePreKeyBundle(got.Bundle) // a one-time bundle
			if derr != nil {
				errs = append(errs, derr)
				continue
			}
			if b, err = e2e.VerifyBundle(raw, addr); err != nil {
				errs = append(errs, err)
				continue
			}
		}
		return b, nil
	}
	return nil, errors.Join(errs...)
}
