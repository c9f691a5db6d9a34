package groups

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/e2e"
	"github.com/pigeon-net/pigeon/protocol/group"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

// sender publishes this device's messages and hands its sender keys out.
type sender struct{ *env }

// unsentGroup is an own envelope published when the topic had no peer.
type unsentGroup struct {
	id      storage.MessageID
	payload []byte
	text    bool
	attempt uint32
}

// groupPublish describes one message to publish: build returns its content
// for the sequence number it gets (0 for ephemeral ones).
type groupPublish struct {
	build     func(seq uint64) (*pb.GroupContent, error)
	text      string              // set for texts: stored in history
	attach    *storage.Attachment // set for files: stored with the message (caption in text)
	id        storage.MessageID   // chosen by the caller (files: progress events name it first); zero: now
	ephemeral bool                // typing: no sequence number, not archived
	anyone    bool                // ops: may be sent by a member without the post permission
	// inTxn, when set, runs in the transaction that archives the message
	// (actions apply themselves here in the same transaction).
	inTxn func(ctx context.Context, id storage.MessageID, at time.Time) error
	quote *pb.Quote // a reply's quote of the message it answers
	// expireAfter is a text's disappearing-messages timer (0: none): its
	// countdown starts at the send.
	expireAfter time.Duration
	// onID, when set, sees the content once its message ID is chosen
	// (a timer change names the message that carries it).
	onID func(id storage.MessageID, c *pb.GroupContent)
	// store, when set, runs in the transaction that records the message.
	store func(ctx context.Context, id storage.MessageID) error
}

// stored reports whether the message goes to history.
func (p groupPublish) stored() bool { return p.text != "" || p.attach != nil }

// groupMessageID is the ID of a message sent now: its time is the group
// clock, above everything seen in the group, so a reply sorts after what
// it answers on every member.
func groupMessageID(now time.Time, clock, maxClock uint64) storage.MessageID {
	return storage.NewMessageID(time.UnixMilli(int64(max(uint64(now.UnixMilli()), clock+1, maxClock+1))))
}

// publish encrypts one message with this device's sender key (one
// encryption whatever the group's size), stores it (archive, history for
// texts, the group record's sequence number and clock) in the same
// transaction as the chain step, and publishes it once on the topic.
func (g *sender) publish(ctx context.Context, run *groupRun, p groupPublish) (storage.MessageID, error) {
	// A member's device list changed since the last send: a device that
	// holds the key and left (revoked) forces a new key before this
	// message. Sends meanwhile wait for the check (checkMu).
	run.checkMu.Lock()
	if run.devicesChanged.Swap(false) {
		g.distributeKey(ctx, run)
	}
	run.checkMu.Unlock()
	run.sendMu.Lock()
	defer run.sendMu.Unlock()
	run.mu.Lock()
	rec, gc := run.rec, run.gc
	st := run.log.State()
	member, canPost := st.IsMember(g.self), st.CanPost(g.self)
	maxClock := run.log.MaxClock()
	run.mu.Unlock()
	switch {
	case gc == nil || !member:
		return storage.MessageID{}, ErrNotMember
	case !canPost && !p.anyone:
		return storage.MessageID{}, ErrNotAllowed
	}
	var seq uint64
	if !p.ephemeral {
		seq = rec.Seq + 1
	}
	c, err := p.build(seq)
	if err != nil {
		return storage.MessageID{}, err
	}
	if p.quote != nil {
		c.Quote = p.quote
	}
	now := time.UnixMilli(time.Now().UnixMilli()) // sent_at as members read it from the wire
	id := p.id
	if id.IsZero() {
		id = groupMessageID(now, rec.Clock, maxClock)
	}
	c.MessageId, c.Seq, c.SentAtMs = id[:], seq, now.UnixMilli()
	if p.onID != nil {
		p.onID(id, c)
	}
	pt, err := encodeGroupContent(c)
	if err != nil {
		return storage.MessageID{}, err
	}
	var payload []byte
	next := rec
	for attempt := 0; ; attempt++ {
		// A departure may drop the chain at any time: start a new one,
		// and keep its distribution message as created (iteration 0) for
		// the members of the group now.
		ownID, ok, err := g.d.Keys.OwnKeyID(ctx, run.name)
		if err != nil {
			return storage.MessageID{}, err
		}
		if !ok || ownID != next.KeyID || next.KeySKDM == nil {
			skdm, keyID, err := g.d.Keys.SenderKey(ctx, run.name)
			if err != nil {
				return storage.MessageID{}, err
			}
			next.Retire()
			next.KeyID, next.KeySKDM, next.KeySeq, next.KeyClock = keyID, skdm, max(seq, 1), uint64(id.Time().UnixMilli())
		}
		_, err = g.d.Keys.GroupEncrypt(ctx, run.name, pt, func(ctx context.Context, ct []byte) error {
			var err error
			if payload, err = encodeGroupEnvelope(run.id, g.self, g.device, id, seq, ct, relayTTL(c)); err != nil {
				return err
			}
			if len(payload) > maxGroupPayload {
				return fmt.Errorf("%w: group message of %d bytes", core.ErrTooLarge, len(payload))
			}
			if !p.ephemeral {
				next.Seq, next.Clock = seq, uint64(id.Time().UnixMilli())
			}
			if err := g.d.Store.PutGroup(ctx, next); err != nil {
				return err
			}
			if p.ephemeral {
				return nil
			}
			if _, _, err := g.d.Store.ArchiveGroupEnvelope(ctx, run.id, storage.ArchivedEnvelope{
				Account: storage.Account(g.self), Device: g.device, Seq: seq, ID: id, Raw: payload,
			}); err != nil {
				return err
			}
			if p.inTxn != nil {
				if err := p.inTxn(ctx, id, now); err != nil {
					return err
				}
			}
			if p.store != nil {
				if err := p.store(ctx, id); err != nil {
					return err
				}
			}
			if !p.stored() {
				return nil
			}
			m := storage.Message{
				ID: id, Peer: storage.Account(run.id), Group: true,
				Sender: storage.Account(g.self), SenderDevice: g.device,
				Direction: storage.Outgoing, Text: p.text, SentAt: now, StoredAt: now, State: storage.Pending,
				ReplyTo: g.d.Quotes.ReplyTo(p.quote),
			}
			if p.expireAfter > 0 {
				m.ExpireAfter, m.ExpiresAt = p.expireAfter, now.Add(p.expireAfter)
			}
			if err := g.d.Store.InsertMessage(ctx, m); err != nil {
				return err
			}
			// Our other devices are members: the group brings them the
			// quote; the operation is for devices linked later.
			if _, err := g.d.Quotes.Keep(ctx, id, p.quote, false); err != nil {
				return err
			}
			if err := g.d.Expiry.Stored(ctx, m); err != nil {
				return err
			}
			if p.attach == nil {
				return g.noteText(ctx, m)
			}
			a := *p.attach
			a.ID, a.Peer = id, storage.Account(run.id)
			return g.d.Store.PutAttachment(ctx, a)
		})
		if !errors.Is(err, e2e.ErrNoSenderKey) || attempt > 0 {
			break
		}
		next.KeyID = 0
	}
	if err != nil {
		return storage.MessageID{}, err
	}
	run.mu.Lock()
	newKey := run.rec.KeyID != next.KeyID
	run.rec.Seq = max(run.rec.Seq, next.Seq)
	run.rec.Clock = max(run.rec.Clock, next.Clock)
	run.rec.KeyID, run.rec.KeySKDM, run.rec.KeySeq, run.rec.KeyClock = next.KeyID, next.KeySKDM, next.KeySeq, next.KeyClock
	run.mu.Unlock()
	if newKey {
		run.poke() // hand the new key out
	}
	if err := gc.Publish(ctx, payload); err != nil {
		g.log.Debug("group publish", "group", run.id.Short(), "err", err)
	}
	if !p.ephemeral {
		if len(gc.Peers()) > 0 {
			g.sent(ctx, id, p.stored())
		} else {
			run.mu.Lock()
			run.unsent = append(run.unsent, unsentGroup{id: id, payload: payload, text: p.stored()})
			run.mu.Unlock()
			run.poke()
		}
	}
	return id, nil
}

// sent moves an own group text from pending to sent.
func (g *sender) sent(ctx context.Context, id storage.MessageID, text bool) {
	if !text {
		return
	}
	evs, err := g.d.States.SetState(ctx, rt.CoreID(id), core.Sent)
	if err != nil {
		g.log.Warn("group message state", "err", err)
		return
	}
	for _, e := range evs {
		g.d.Publish(e)
	}
}

// republish publishes own envelopes again once the topic has peers.
func (g *sender) republish(ctx context.Context, run *groupRun) {
	run.mu.Lock()
	gc, unsent := run.gc, run.unsent
	if gc == nil || len(unsent) == 0 || len(gc.Peers()) == 0 {
		run.mu.Unlock()
		return
	}
	run.unsent = nil
	run.mu.Unlock()
	for _, u := range unsent {
		// The router remembers the bytes it published: change the
		// attempt number so it sends them again.
		var env pb.GroupEnvelope
		if err := proto.Unmarshal(u.payload, &env); err != nil {
			continue
		}
		env.Attempt = u.attempt + 1
		payload, err := proto.Marshal(&env)
		if err != nil {
			continue
		}
		if err := gc.Publish(ctx, payload); err != nil {
			g.log.Debug("group republish", "group", run.id.Short(), "err", err)
		}
		g.sent(ctx, u.id, u.text)
	}
}

// distributeKey hands this device's current sender key, pairwise, to every
// device of every member that does not hold it yet, and rotates the key
// when a device that holds it is no longer in the group (its account left,
// or the device left its account's device list).
func (g *sender) distributeKey(ctx context.Context, run *groupRun) {
	g.distributeKeyIn(ctx, run, nil)
}

// distributeKeyIn is distributeKey for the members of st, the state in
// which this device made ops it has just published with its key; nil means
// the group's state now. The members then must read those ops even if the
// state changes before the ops are applied here: an admin removing us at
// the same moment makes us look removed until our own removal of it sorts
// first, and the admin our op removes must still read it.
func (g *sender) distributeKeyIn(ctx context.Context, run *groupRun, st *group.State) {
	run.distMu.Lock()
	defer run.distMu.Unlock()
	keyID, ok, err := g.d.Keys.OwnKeyID(ctx, run.name)
	if err != nil || !ok {
		return // no chain yet: the first message creates one
	}
	run.mu.Lock()
	active := st != nil || run.rec.Status == storage.GroupActive
	if st == nil {
		st = run.log.State().Clone()
	}
	rec := run.rec
	run.mu.Unlock()
	if !active || rec.KeyID != keyID || rec.KeySKDM == nil {
		return // the key is being replaced; the next send records it
	}
	// Members present when the key was made get it as made (they read
	// every message sent with it); later ones get it as it is now.
	current, _, err := g.d.Keys.SenderKey(ctx, run.name)
	if err != nil {
		g.log.Warn("sender key", "err", err)
		return
	}
	sent, err := g.d.Store.GroupKeysSent(ctx, run.id)
	if err != nil {
		g.log.Warn("group keys sent", "err", err)
		return
	}
	var (
		mu       sync.Mutex // guards devices and resolved
		devices  = make(map[storage.GroupSender]bool)
		resolved = make(map[identity.AccountID]bool)
	)
	members := st.Members()
	work := make(chan group.Member)
	var wg sync.WaitGroup
	for range min(8, len(members)) {
		wg.Go(func() {
			for m := range work {
				// Device 0 marks a key queued for the account as a whole:
				// its device list is not at hand, and looking it up would
				// hold every hand-out behind the DHT; the outbox finds it.
				whole := storage.GroupSender{Account: storage.Account(m.Account)}
				var lacking []uint32
				list := g.d.Devices.Known(ctx, rt.CoreAccount(m.Account))
				mu.Lock()
				if list != nil {
					resolved[m.Account] = true
					for _, d := range list.Devices {
						if m.Account == g.self && d.Cert.DeviceID == g.device {
							continue // this device: it holds its key
						}
						k := storage.GroupSender{Account: storage.Account(m.Account), Device: d.Cert.DeviceID}
						devices[k] = true
						// A key queued for the whole account reached the
						// devices it listed then, not one linked since.
						if sent[k] != keyID {
							lacking = append(lacking, d.Cert.DeviceID)
						}
					}
				} else if sent[whole] != keyID && m.Account != g.self {
					lacking = append(lacking, 0)
				}
				mu.Unlock()
				if len(lacking) == 0 {
					continue
				}
				// A retired key is held when it went to the whole account or
				// was the last key given to every device lacking this one.
				held := func(id uint32) bool {
					if sent[whole] == id {
						return true
					}
					for _, dev := range lacking {
						if sent[storage.GroupSender{Account: whole.Account, Device: dev}] != id {
							return false
						}
					}
					return true
				}
				keys := g.keysFor(ctx, run, rec, current, m.Since, held)
				err := g.d.Store.Update(ctx, func(ctx context.Context) error {
					for _, dev := range lacking {
						if err := g.d.Store.SetGroupKeySent(ctx, run.id, storage.Account(m.Account), dev, keyID); err != nil {
							return err
						}
					}
					return nil
				})
				for _, gc := range keys {
					if err == nil {
						err = g.d.Pairwise.QueuePairwise(ctx, rt.CoreAccount(m.Account), &pb.Content{Body: &pb.Content_Group{Group: gc}})
					}
				}
				if err != nil && ctx.Err() == nil {
					g.log.Warn("hand out sender key", "group", run.id.Short(), "err", err)
				}
			}
		})
	}
	for _, m := range members {
		select {
		case work <- m:
		case <-ctx.Done():
		}
	}
	close(work)
	wg.Wait()
	// A device holding the current key that is no longer in the group
	// forces a rotation.
	for k, id := range sent {
		a := identity.AccountID(k.Account)
		if id != keyID || k.Device == 0 {
			continue
		}
		if !st.IsMember(a) || (resolved[a] && !devices[k]) {
			g.log.Info("rotating sender key: a device left", "group", run.id.Short(), "account", a.Short(), "device", k.Device)
			g.rotateKey(ctx, run)
			return
		}
	}
}

// keysFor returns the sender keys this device hands a member that joined
// at since (a group clock): for each retired key the member may lack
// (held reports the ones all its devices were given), the key from the
// first message sent with it after since, if there is one; then the
// current key, as created for a member present then, else from its first
// message after since (sent before this device learned of the member),
// else as it is now. Each names the sequence number of the first message
// it reads, so a member repairs nothing before it.
func (g *sender) keysFor(ctx context.Context, run *groupRun, rec storage.Group, current []byte, since uint64, held func(keyID uint32) bool) []*pb.GroupControl {
	key := func(skdm []byte, next uint64) *pb.GroupControl {
		return &pb.GroupControl{GroupId: run.id[:], Body: &pb.GroupControl_SenderKey{SenderKey: skdm}, NextSeq: next}
	}
	var out []*pb.GroupControl
	for _, r := range rec.Retired {
		if held(r.KeyID) {
			continue
		}
		if skdm, seq, ok := g.keyAfter(ctx, run, r.KeyID, r.SKDM, r.FirstSeq, r.LastSeq, since); ok {
			out = append(out, key(skdm, seq))
		}
	}
	if since <= rec.KeyClock {
		return append(out, key(rec.KeySKDM, rec.KeySeq))
	}
	if skdm, seq, ok := g.keyAfter(ctx, run, rec.KeyID, rec.KeySKDM, max(rec.KeySeq, 1), rec.Seq, since); ok {
		return append(out, key(skdm, seq))
	}
	return append(out, key(current, rec.Seq+1))
}

// keyAfter finds the first message this device sent with sender key keyID
// (created as skdm, used for sequence numbers first..last) whose group
// clock is above since, and returns skdm moved forward to it and its
// sequence number. Own messages' clocks rise with their sequence numbers,
// so it bisects the archive.
func (g *sender) keyAfter(ctx context.Context, run *groupRun, keyID uint32, skdm []byte, first, last, since uint64) ([]byte, uint64, bool) {
	if skdm == nil || first > last {
		return nil, 0, false
	}
	// at returns the first archived own message at or after seq.
	at := func(seq uint64) (storage.ArchivedEnvelope, bool) {
		envs, err := g.d.Store.ArchivedAfter(ctx, run.id, storage.Account(g.self), g.device, seq-1, 1, 2*maxGroupPayload)
		if err != nil || len(envs) == 0 || envs[0].Seq > last {
			return storage.ArchivedEnvelope{}, false
		}
		return envs[0], true
	}
	lo, hi := first, last+1 // the answer is in [lo, hi]; hi: none
	for lo < hi {
		mid := lo + (hi-lo)/2
		switch e, ok := at(mid); {
		case !ok || uint64(e.ID.Time().UnixMilli()) > since:
			hi = mid
		default: // every message up to e (a gap before it was pruned) is older
			lo = e.Seq + 1
		}
	}
	e, ok := at(lo)
	if !ok {
		return nil, 0, false
	}
	env, err := decodeGroupEnvelope(e.Raw)
	if err == nil {
		var id uint32
		if id, err = e2e.SenderKeyID(env.ct); err == nil && id != keyID {
			err = fmt.Errorf("message %d was sent with key %d", e.Seq, id)
		}
	}
	var from []byte
	if err == nil {
		from, err = e2e.SenderKeyFrom(skdm, env.ct)
	}
	if err != nil {
		g.log.Warn("sender key for a late member", "group", run.id.Short(), "seq", e.Seq, "err", err)
		return nil, 0, false
	}
	return from, e.Seq, true
}

// rotateKey drops this device's sending chain: the next message starts a
// new one, handed only to the devices in the group then.
func (g *sender) rotateKey(ctx context.Context, run *groupRun) {
	run.sendMu.Lock()
	defer run.sendMu.Unlock()
	if err := g.d.Keys.DropOwnKey(ctx, run.name); err != nil {
		g.log.Warn("rotate sender key", "group", run.id.Short(), "err", err)
	}
	run.mu.Lock()
	run.rec.Retire()
	rec := run.rec
	run.mu.Unlock()
	if err := g.d.Store.PutGroup(ctx, rec); err != nil {
		g.log.Warn("store group", "group", run.id.Short(), "err", err)
	}
}

// sendWelcome hands a new member, pairwise, the members' device lists
// this node holds and then the group's op log in chunks (the genesis
// first): with it the member can check everything and find the topic.
func (g *sender) sendWelcome(ctx context.Context, run *groupRun, to identity.AccountID) {
	msgs := g.lists.welcome(ctx, run)
	run.mu.Lock()
	ops := run.log.Ops()
	run.mu.Unlock()
	for _, chunk := range chunkOps(ops) {
		msgs = append(msgs, &pb.GroupControl{GroupId: run.id[:], Body: &pb.GroupControl_Ops{Ops: chunk}})
	}
	for _, gc := range msgs {
		c := &pb.Content{Body: &pb.Content_Group{Group: gc}}
		if err := g.d.Pairwise.QueuePairwise(ctx, rt.CoreAccount(to), c); err != nil {
			g.log.Warn("welcome new member", "group", run.id.Short(), "err", err)
			return
		}
	}
}

// publishOps publishes ops on the group's topic (as a message with a
// sequence number, so members that miss it repair it).
func (g *sender) publishOps(ctx context.Context, run *groupRun, ops []*group.Op) error {
	for _, chunk := range chunkOps(ops) {
		_, err := g.publish(ctx, run, groupPublish{anyone: true, build: func(uint64) (*pb.GroupContent, error) {
			return &pb.GroupContent{Body: &pb.GroupContent_Ops{Ops: chunk}}, nil
		}})
		if err != nil {
			return err
		}
	}
	return nil
}
