package post

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/peerstore"

	"github.com/pigeon-net/pigeon/protocol/delivery"
	"github.com/pigeon-net/pigeon/protocol/e2e"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

// laneBatch bounds how many queued messages one delivery attempt pipelines.
const laneBatch = 128

// encryptChunk is how many messages one session write covers.
const encryptChunk = 16

// laneLinger is how long an idle lane waits for more work before its
// goroutine exits.
const laneLinger = 30 * time.Second

// sendTimeout bounds dialling, writing and waiting for the acks of one
// batch.
const sendTimeout = 30 * time.Second

// outbox delivers queued messages. Each recipient account has a lane: one
// goroutine that delivers that recipient's messages in order (so a
// conversation keeps its order) and backs off when the recipient is
// unreachable. Lanes exist only while they have work.
type outbox struct {
	n     *env
	files Attachments // copies of files at recipients' relays (the media feature)

	mu    sync.Mutex // guards lanes, every lane's queue, peers and recheck, presealed and refreshing
	lanes map[identity.AccountID]*lane
	// presealed holds the ciphertexts Send made in the transaction that
	// queued a message (see preseal), for the first attempt only: a copy
	// is taken when it is sent, so identical bytes never go out twice
	// (a retry encrypts afresh, and the receiver dedups by message ID).
	presealed map[storage.MessageID]presealedCopy
	// refreshing holds the recipients whose device list is being fetched
	// again because an ack said it is out of date.
	refreshing map[identity.AccountID]bool
}

type presealedCopy struct {
	device uint32
	sealed e2e.Sealed
}

type lane struct {
	to    identity.AccountID
	queue []storage.OutboxItem // ordered by ID
	peers map[peer.ID]bool     // devices and relays the lane waits for
	wake  chan struct{}        // cap 1: retry now
	// recheck is a newer device list of the recipient to check the
	// custody records against (see requeueCustody), before the next
	// attempt.
	recheck *identity.DeviceList
	// devices are the recipient's devices in the last attempt, and down
	// those it could not reach: items that wait only for down devices do
	// not count towards a batch (window).
	devices []uint32
	down    map[uint32]bool
}

// maxWindow bounds the items one attempt looks at when the head of the
// queue waits for devices that are down.
const maxWindow = 16 * laneBatch

// window returns the head of l's queue an attempt works on: laneBatch
// items that some reachable device still lacks, and the items before and
// among them that wait only for devices that are down. Without it, a
// recipient device that stays unreachable (no relay) would hold the
// queue's head, and its other devices would get nothing newer. o.mu is
// held.
func (o *outbox) window(l *lane) []storage.OutboxItem {
	if len(l.down) == 0 {
		return l.queue[:min(len(l.queue), laneBatch)]
	}
	n, counted := 0, 0
	for n < len(l.queue) && counted < laneBatch && n < maxWindow {
		if !waitsOnlyFor(l.queue[n], l.devices, l.down) {
			counted++
		}
		n++
	}
	return l.queue[:n]
}

// waitsOnlyFor reports whether every device of devices that lacks it
// is down.
func waitsOnlyFor(it storage.OutboxItem, devices []uint32, down map[uint32]bool) bool {
	for _, d := range devices {
		if !down[d] && !slices.Contains(it.Done, d) {
			return false
		}
	}
	return true
}

func newOutbox(n *env) *outbox {
	return &outbox{
		n: n, files: n.files, lanes: make(map[identity.AccountID]*lane),
		presealed:  make(map[storage.MessageID]presealedCopy),
		refreshing: make(map[identity.AccountID]bool),
	}
}

// load queues everything left in the stored outbox.
func (o *outbox) load(ctx context.Context) error {
	items, err := o.n.store.Outbox(ctx)
	if err != nil {
		return fmt.Errorf("load outbox: %w", err)
	}
	for _, it := range items {
		o.enqueue(it)
	}
	return nil
}

// enqueue hands a stored outbox item to its lane.
func (o *outbox) enqueue(it storage.OutboxItem) {
	o.toLane(identity.AccountID(it.Recipient), func(l *lane) { l.queue = append(l.queue, it) })
}

// recheck has the lane of list's account check the custody records
// against list before its next attempt.
func (o *outbox) recheck(list *identity.DeviceList) {
	o.toLane(list.Account, func(l *lane) {
		if l.recheck == nil || l.recheck.Version < list.Version {
			l.recheck = list
		}
	})
}

// toLane applies change to the lane of to under o.mu, starting the lane if
// needed, and wakes it.
func (o *outbox) toLane(to identity.AccountID, change func(*lane)) {
	o.mu.Lock()
	l := o.lanes[to]
	start := l == nil
	if start {
		l = &lane{to: to, peers: make(map[peer.ID]bool), wake: make(chan struct{}, 1)}
		o.lanes[to] = l
	}
	change(l)
	o.mu.Unlock()
	if start && !o.n.goroutine(func(ctx context.Context) { o.run(ctx, l) }) {
		o.mu.Lock()
		delete(o.lanes, to)
		o.mu.Unlock()
	}
	l.signal()
}

// applyRecheck hands over again what relays the recipient no longer uses
// hold (see requeueCustody), putting the items in the lane's queue. It
// runs on the lane's goroutine between attempts, when nothing else changes
// the queue's items.
func (o *outbox) applyRecheck(ctx context.Context, l *lane) {
	o.mu.Lock()
	list := l.recheck
	l.recheck = nil
	o.mu.Unlock()
	if list == nil {
		return
	}
	items, err := o.n.custody.requeue(ctx, list)
	if err != nil {
		if ctx.Err() == nil {
			o.n.log.Warn("hand over messages again", "to", l.to.Short(), "err", err)
		}
		return
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, it := range items {
		i, found := slices.BinarySearchFunc(l.queue, it.ID, func(q storage.OutboxItem, id storage.MessageID) int {
			return bytes.Compare(q.ID[:], id[:])
		})
		if found {
			l.queue[i] = it
		} else {
			l.queue = slices.Insert(l.queue, i, it)
		}
	}
}

func (l *lane) signal() {
	select {
	case l.wake <- struct{}{}:
	default:
	}
}

// wake makes the lane for an account retry now.
func (o *outbox) wake(to identity.AccountID) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if l := o.lanes[to]; l != nil {
		l.signal()
	}
}

// peerConnected wakes the lanes waiting for p.
func (o *outbox) peerConnected(p peer.ID) {
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, l := range o.lanes {
		if l.peers[p] {
			l.signal()
		}
	}
}

func (o *outbox) run(ctx context.Context, l *lane) {
	log := o.n.log.With("sub", "outbox", "to", l.to.Short())
	var idle *time.Timer
	defer func() {
		if idle != nil {
			idle.Stop()
		}
	}()
	for {
		o.applyRecheck(ctx, l)
		o.mu.Lock()
		if l.recheck != nil { // arrived meanwhile
			o.mu.Unlock()
			continue
		}
		if len(l.queue) == 0 {
			o.mu.Unlock()
			// Linger a while: a conversation sends again soon, and a
			// fresh goroutine would grow its stack anew for every message.
			if idle == nil {
				idle = time.NewTimer(laneLinger)
			} else {
				idle.Reset(laneLinger)
			}
			select {
			case <-ctx.Done():
				return
			case <-l.wake:
				continue
			case <-idle.C:
			}
			o.mu.Lock()
			if len(l.queue) > 0 || l.recheck != nil {
				o.mu.Unlock()
				continue
			}
			delete(o.lanes, l.to)
			o.mu.Unlock()
			return
		}
		batch := slices.Clone(o.window(l))
		o.mu.Unlock()

		// An attempt made before the head's retry time (woken by a new
		// message or a peer that connected) does not lengthen the backoff
		// when it fails: only due attempts count.
		due := !time.Now().Before(batch[0].NextAttempt)
		if wait := time.Until(batch[0].NextAttempt); wait > 0 {
			t := time.NewTimer(wait)
			select {
			case <-ctx.Done():
				t.Stop()
				return
			case <-t.C:
				due = true
			case <-l.wake:
				t.Stop()
			}
		}
		select { // a wake that arrived before this attempt is used up by it
		case <-l.wake:
		default:
		}
		if ctx.Err() != nil {
			return
		}
		items, err := o.deliver(ctx, l, batch)
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			o.giveUp(ctx, items)
		}
		if i := slices.IndexFunc(items, pending); err != nil && i >= 0 {
			head := &items[i]
			if due || head.Attempts == 0 {
				head.Attempts++
			}
			head.NextAttempt = time.Now().Add(rt.RetryDelay(head.Attempts, o.n.cfg.RetryMin, o.n.cfg.RetryMax))
			log.Debug("delivery attempt failed", "attempts", head.Attempts, "err", err)
			if perr := o.rewrite(ctx, *head); perr != nil && ctx.Err() == nil {
				log.Warn("store outbox retry", "err", perr)
			}
		}
		o.noteAttempt(l, items, err) // why what is left waits (pending.go)
		// The batch is the head of the queue (enqueue only appends), so
		// replace it by what is still pending.
		var left []storage.OutboxItem
		for _, it := range items {
			if pending(it) {
				left = append(left, it)
			}
		}
		o.mu.Lock()
		l.queue = append(left, l.queue[len(items):]...)
		o.mu.Unlock()
	}
}

// rewrite stores it's progress unless it left the outbox meanwhile (its
// message was deleted): a deleted message's content is never written
// back.
func (o *outbox) rewrite(ctx context.Context, it storage.OutboxItem) error {
	return o.n.store.Update(ctx, func(ctx context.Context) error {
		switch _, err := o.n.store.OutboxItem(ctx, it.ID); {
		case errors.Is(err, storage.ErrNotFound):
			return nil
		case err != nil:
			return err
		}
		return o.n.store.PutOutbox(ctx, it)
	})
}

// giveUp marks the items of a failed attempt that have waited longer than
// the node's give-up time failed, drops them from the outbox and zeroes
// their Recipient (so the lane forgets them).
func (o *outbox) giveUp(ctx context.Context, items []storage.OutboxItem) {
	n := o.n
	var old []int
	for i, it := range items {
		if pending(it) && time.Since(it.CreatedAt) > n.cfg.GiveUpAfter {
			old = append(old, i)
		}
	}
	if len(old) == 0 {
		return
	}
	var events []core.Event
	err := n.store.Update(ctx, func(ctx context.Context) error {
		events = events[:0]
		for _, i := range old {
			if err := n.store.DeleteOutbox(ctx, items[i].ID); err != nil {
				return err
			}
			if items[i].Receipt {
				continue
			}
			ev, err := n.setState(ctx, items[i].ID, storage.Failed)
			if err != nil {
				return err
			}
			events = append(events, ev...)
		}
		return nil
	})
	if err != nil {
		n.log.Warn("give up undelivered messages", "err", err)
		return
	}
	o.mu.Lock()
	for _, i := range old {
		delete(o.presealed, items[i].ID)
		o.files.ForgetCopy(rt.CoreID(items[i].ID))
		items[i].Recipient = storage.Account{}
	}
	o.mu.Unlock()
	n.log.Info("gave up undelivered messages", "count", len(old), "after", n.cfg.GiveUpAfter)
	for _, e := range events {
		n.publish(e)
	}
}

// anyConnected reports whether any device of list has a live connection.
func anyConnected(n *env, list *identity.DeviceList) bool {
	for _, d := range list.Devices {
		if n.host.Network().Connectedness(d.Cert.PeerID) == network.Connected {
			return true
		}
	}
	return false
}

// pending reports whether deliver left an item undelivered.
func pending(it storage.OutboxItem) bool { return it.Recipient != (storage.Account{}) }

// deliver makes one attempt at a batch and returns the items with updated
// Done sets; completed items come back with a zero Recipient.
func (o *outbox) deliver(ctx context.Context, l *lane, batch []storage.OutboxItem) ([]storage.OutboxItem, error) {
	n := o.n
	items := slices.Clone(batch)
	if _, err := n.policy.Allowed(ctx, rt.CoreAccount(l.to)); err != nil {
		return items, err
	}
	list, err := n.resolver.Get(ctx, rt.CoreAccount(l.to), false)
	if err != nil {
		return items, err
	}
	if batch[0].Attempts > 0 && !anyConnected(n, list) {
		// The last attempt failed and no device is connected: their
		// addresses may have changed, ask the DHT.
		if list, err = n.resolver.Get(ctx, rt.CoreAccount(l.to), true); err != nil {
			return items, err
		}
	}
	if l.to == n.self {
		list = siblings(list, n.device)
		if len(list.Devices) == 0 { // no other device of ours to tell
			return o.settle(ctx, &attempt{list: list}, batch, items, nil)
		}
	}
	if len(list.Devices) == 0 {
		return items, fmt.Errorf("%s has no devices", l.to.Short())
	}
	sctx, cancel := context.WithTimeout(ctx, sendTimeout)
	defer cancel()
	a := &attempt{list: list, held: make(map[storage.MessageID][]storage.CustodyDevice)}
	var errs []error
	for round := 0; ; round++ {
		o.waitFor(l, a.list)
		errs = errs[:0]
		down := make(map[uint32]bool)
		for _, d := range a.list.Devices {
			if err := o.deliverToDevice(sctx, a, d, items); err != nil {
				errs = append(errs, fmt.Errorf("device %d: %w", d.Cert.DeviceID, err))
				down[d.Cert.DeviceID] = true
			}
		}
		o.noteDown(l, a.list, down)
		if !a.stale || round > 0 {
			break
		}
		// A relay said our copy of the recipient's list is out of date
		// (it closed the box, or the box registered a newer list): fetch
		// the list now, past the cache, and try again with it. The items
		// stay pending meanwhile.
		fresh, err := n.resolver.Fetch(ctx, rt.CoreAccount(l.to))
		if err != nil || fresh.Version <= a.list.Version {
			break
		}
		n.log.Debug("recipient's device list was out of date", "to", l.to.Short(), "had", a.list.Version, "now", fresh.Version)
		if l.to == n.self {
			fresh = siblings(fresh, n.device)
		}
		a.list, a.stale = fresh, false
	}
	if a.newer > a.list.Version {
		o.refresh(l.to)
	}
	return o.settle(ctx, a, batch, items, errors.Join(errs...))
}

// noteDown records which devices of list the attempt could not reach.
func (o *outbox) noteDown(l *lane, list *identity.DeviceList, down map[uint32]bool) {
	devs := make([]uint32, 0, len(list.Devices))
	for _, d := range list.Devices {
		devs = append(devs, d.Cert.DeviceID)
	}
	o.mu.Lock()
	l.devices, l.down = devs, down
	o.mu.Unlock()
}

// siblings returns list without device self: what this account's own
// contents (account log operations) go to.
func siblings(list *identity.DeviceList, self uint32) *identity.DeviceList {
	c := *list
	c.Devices = slices.DeleteFunc(slices.Clone(list.Devices), func(d identity.Device) bool { return d.Cert.DeviceID == self })
	return &c
}

// attempt is what one delivery attempt learned besides the items' Done
// sets.
type attempt struct {
	list *identity.DeviceList // the recipient's list it used
	// held lists, per item, the devices whose relays gave custody
	// receipts in this attempt.
	held map[storage.MessageID][]storage.CustodyDevice
	// stale says a relay refused a deposit because our list is out of
	// date.
	stale bool
	// newer is the highest list version an ack said the recipient has.
	newer uint64
}

// waitFor makes the lane wake when one of list's devices or relays
// connects (a relay coming back can take deposits again).
func (o *outbox) waitFor(l *lane, list *identity.DeviceList) {
	relays, _ := rt.ParseAddrInfos(list.Relays)
	o.mu.Lock()
	defer o.mu.Unlock()
	clear(l.peers)
	for _, d := range list.Devices {
		l.peers[d.Cert.PeerID] = true
	}
	for _, r := range relays {
		l.peers[r.ID] = true
	}
}

// refresh fetches the device list of to again in the background (once at
// a time): an ack said the recipient has published a newer one. Learning
// it has the lane check what relays hold for the recipient (listLearned).
// It waits out the resolver's rate limit first: the lookup that found the
// list we used may have been a moment ago.
func (o *outbox) refresh(to identity.AccountID) {
	o.mu.Lock()
	if o.refreshing[to] {
		o.mu.Unlock()
		return
	}
	o.refreshing[to] = true
	o.mu.Unlock()
	started := o.n.goroutine(func(ctx context.Context) {
		defer func() {
			o.mu.Lock()
			delete(o.refreshing, to)
			o.mu.Unlock()
		}()
		if !rt.Sleep(ctx, rt.MinRefresh) {
			return
		}
		if _, err := o.n.resolver.Get(ctx, rt.CoreAccount(to), true); err != nil && ctx.Err() == nil {
			o.n.log.Debug("refresh device list", "to", to.Short(), "err", err)
		}
	})
	if !started {
		o.mu.Lock()
		delete(o.refreshing, to)
		o.mu.Unlock()
	}
}

// deliverToDevice encrypts every item the device lacks and pipelines them on
// one stream, marking acked items done.
func (o *outbox) deliverToDevice(ctx context.Context, a *attempt, d identity.Device, items []storage.OutboxItem) error {
	n := o.n
	list := a.list
	to := list.Account
	addr := e2e.Address{Account: to, Device: d.Cert.DeviceID}
	var todo []int
	for i, it := range items {
		if !slices.Contains(it.Done, d.Cert.DeviceID) {
			todo = append(todo, i)
		}
	}
	if len(todo) == 0 {
		return nil
	}
	if len(d.Addrs) > 0 {
		n.host.Peerstore().AddAddrs(d.Cert.PeerID, d.Addrs, peerstore.TempAddrTTL)
	}
	fresh, err := o.ensureSession(ctx, addr, d)
	if err != nil {
		return err
	}
	if fresh { // a copy sealed with an earlier session is useless now
		o.dropPresealed(items, todo)
	}
	calls := make([]*delivery.Call, 0, len(todo))
	// Reach the device before encrypting: every ciphertext made advances
	// the session's counter, and a receiver refuses messages more than
	// 2000 ahead, so failed attempts must not burn counters.
	sendErr := n.client.Open(ctx, d.Cert.PeerID)
	// Encrypt in small chunks (one session write per chunk) and send each
	// chunk at once, so the recipient decrypts while we encrypt the next.
	var secret handed // what of our deposit secret the envelopes carry
	for start := 0; sendErr == nil && start < len(todo); start += encryptChunk {
		chunk := todo[start:min(start+encryptChunk, len(todo))]
		sealed, v, err := o.seal(ctx, addr, items, chunk)
		if err != nil {
			sendErr = fmt.Errorf("encrypt: %w", err)
			break
		}
		if v.version != 0 {
			secret = v
		}
		envs := make([]*pb.Envelope, len(chunk))
		for k, i := range chunk {
			envs[k] = &pb.Envelope{
				MessageId:            items[i].ID[:],
				SenderAccount:        n.self[:],
				SenderDevice:         n.device,
				RecipientAccount:     to[:],
				RecipientDevice:      d.Cert.DeviceID,
				Type:                 sealed[k].Type,
				Ciphertext:           sealed[k].Ciphertext,
				RecipientListVersion: list.Version,
				SenderListVersion:    n.ownVersion(),
			}
			if envs[k].Type == delivery.TypePreKeySignal {
				envs[k].SenderCertificate = n.cert.Signed
			}
		}
		sent, err := n.client.SendBatch(ctx, d.Cert.PeerID, envs)
		calls = append(calls, sent...)
		if err != nil {
			sendErr = err
			break
		}
	}
	acked := false
	for k, call := range calls {
		code, err := call.Wait(ctx)
		if err != nil {
			sendErr = cmpOr(sendErr, err)
			continue
		}
		a.newer = max(a.newer, call.ListVersion())
		switch code {
		case pb.ErrorCode_OK:
			acked = true
			it := &items[todo[k]]
			it.Done = append(it.Done, d.Cert.DeviceID)
		case pb.ErrorCode_DECRYPT_FAILED, pb.ErrorCode_UNTRUSTED_IDENTITY:
			// The device cannot use our session (it lost state or changed
			// identity): start over from a fresh bundle next time.
			o.dropPresealed(items, todo)
			if err := n.e2e.DeleteSession(ctx, addr); err != nil {
				n.log.Warn("delete broken session", "err", err)
			}
			sendErr = cmpOr(sendErr, &delivery.CodeError{Code: code})
		default:
			sendErr = cmpOr(sendErr, &delivery.CodeError{Code: code})
		}
	}
	if acked && secret.version > 0 {
		n.deposits.markHanded(ctx, addr, secret)
	}
	var ce *delivery.CodeError
	if sendErr == nil || errors.As(sendErr, &ce) || ctx.Err() != nil {
		return sendErr
	}
	// The stream or connection failed: drop the connections to the device
	// so the next attempt does not reuse a dead one (a peer killed without
	// closing its QUIC connection looks alive for a long time), and leave
	// what it lacks at its relays.
	_ = n.host.Network().ClosePeer(d.Cert.PeerID)
	var left []int
	for _, i := range todo {
		if !slices.Contains(items[i].Done, d.Cert.DeviceID) {
			left = append(left, i)
		}
	}
	if len(left) == 0 {
		return sendErr
	}
	if len(list.Relays) == 0 {
		return fmt.Errorf("%w: %w", errNoRelay, sendErr)
	}
	custody, err := o.deposit(ctx, a, d, items, left)
	for _, i := range custody {
		items[i].Done = append(items[i].Done, d.Cert.DeviceID)
		items[i].Custody = append(items[i].Custody, d.Cert.DeviceID)
	}
	if len(custody) == len(left) {
		return nil // every item is in a relay's custody
	}
	return errors.Join(sendErr, err)
}

func cmpOr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// settle stores the outcome of an attempt in one transaction: completed
// items leave the outbox and their messages become delivered; others keep
// their progress.
func (o *outbox) settle(ctx context.Context, a *attempt, batch, items []storage.OutboxItem, attemptErr error) ([]storage.OutboxItem, error) {
	n := o.n
	list := a.list
	var events []core.Event
	err := n.store.Update(ctx, func(ctx context.Context) error {
		events = events[:0]
		for i := range items {
			it := &items[i]
			switch _, err := n.store.OutboxItem(ctx, it.ID); {
			case errors.Is(err, storage.ErrNotFound):
				// Deleted while on its way (its message was deleted or
				// expired): nothing of it is written back, and the lane
				// drops it as done.
				it.Recipient = storage.Account{}
				continue
			case err != nil:
				return err
			}
			if held := a.held[it.ID]; len(held) > 0 {
				if err := n.custody.record(ctx, *it, held); err != nil {
					return err
				}
			}
			complete := true
			for _, d := range list.Devices {
				if !slices.Contains(it.Done, d.Cert.DeviceID) {
					complete = false
				}
			}
			switch {
			case complete:
				if err := n.store.DeleteOutbox(ctx, it.ID); err != nil {
					return err
				}
				if !it.Receipt {
					// Held by a relay for some device: sent; the
					// recipient's delivery receipt does the rest.
					st := storage.Delivered
					if len(it.Custody) > 0 {
						st = storage.Sent
					}
					ev, err := n.setState(ctx, it.ID, st)
					if err != nil {
						return err
					}
					events = append(events, ev...)
				}
			case len(it.Done) != len(batch[i].Done):
				if err := n.store.PutOutbox(ctx, *it); err != nil {
					return err
				}
				if !it.Receipt {
					ev, err := n.setState(ctx, it.ID, storage.Sent)
					if err != nil {
						return err
					}
					events = append(events, ev...)
				}
			}
		}
		return nil
	})
	if err != nil {
		return items, errors.Join(attemptErr, fmt.Errorf("settle outbox: %w", err))
	}
	if len(a.held) > 0 {
		n.custody.set(list.Account, true)
	}
	for i := range items {
		complete := true
		for _, d := range list.Devices {
			if !slices.Contains(items[i].Done, d.Cert.DeviceID) {
				complete = false
			}
		}
		if complete {
			o.mu.Lock()
			delete(o.presealed, items[i].ID)
			o.files.ForgetCopy(rt.CoreID(items[i].ID))
			o.mu.Unlock()
			items[i].Recipient = storage.Account{}
		}
	}
	for _, e := range events {
		n.publish(e)
	}
	return items, attemptErr
}
