package groups

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/pigeon-net/pigeon/node/core"

	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/e2e"
	"github.com/pigeon-net/pigeon/protocol/group"
	"github.com/pigeon-net/pigeon/protocol/groupcast"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

// receiver takes what arrives for groups: envelopes from the topics, the
// relays' mailboxes and repairs, and pairwise control contents.
type receiver struct{ *env }

// typingTTL is how long a member's typing indicator lasts unless repeated
// (as a 1:1 one does).
const typingTTL = 6 * time.Second

// maxPendingRetry bounds the waiting envelopes retried at once.
const maxPendingRetry = 1000

// validator decides about each message of run's topic before the
// router delivers or forwards it: the author must be a certified device of
// a member (or of a departed member, within its cut).
func (g *receiver) validator(run *groupRun) groupcast.Validator {
	self := g.d.Host.ID()
	return func(ctx context.Context, from peer.ID, payload []byte) groupcast.Verdict {
		if from == self {
			return groupcast.Accept // our own publish: checked when made
		}
		env, err := decodeGroupEnvelope(payload)
		if err != nil || env.group != run.id {
			return groupcast.Reject
		}
		run.mu.Lock()
		st := run.log.State()
		member := st.IsMember(env.sender)
		cut, departed := st.Cut(env.sender, env.device)
		run.mu.Unlock()
		switch {
		case member:
		case departed && env.seq > 0 && env.seq <= cut:
		case departed:
			// Past its cut, as far as we know: not forwarded. It may
			// still carry an op that changes what we know (two admins
			// removing each other), so we take it ourselves: only its
			// ops can count.
			run.aside(payload)
			return groupcast.Ignore
		default:
			return groupcast.Ignore // perhaps added by an op we lack: repair brings it
		}
		// Only what is at hand: validators run in the router's workers
		// and must not wait for the network.
		cert := g.d.Devices.Cert(rt.CoreAccount(env.sender), env.device)
		if cert == nil {
			if list := g.d.Devices.Known(ctx, rt.CoreAccount(env.sender)); list != nil {
				if d, ok := list.Device(env.device); ok {
					cert = d.Cert
				}
			}
		}
		if cert == nil {
			// We cannot tell whether this peer is the device it names, so
			// we do not forward it; but we keep it for ourselves: the
			// sender key's signature authenticates it when we decrypt.
			run.aside(payload)
			return groupcast.Ignore
		}
		if cert.PeerID != from {
			return groupcast.Reject // not signed by the device it names
		}
		return groupcast.Accept
	}
}

// groupReceived is what one group envelope produced, acted on after its
// transaction commits.
type groupReceived struct {
	msg    *storage.Message
	expiry func()    // after commit: the expiry feature's events
	ext    rt.Result // what a kind another feature handles produced
	lists  [][]byte  // members' device lists
	ops    []*group.Op
	typing *pb.Typing
	contig uint64
}

// take handles one group envelope, from the topic, a relay's
// mailbox or a member repairing a gap: it checks the sender against the
// group's state, decrypts with the sender's key and stores the message (or
// applies the ops it carries) in one transaction. Envelopes that cannot be
// taken yet (no sender key, or a sender not known as a member) wait in the
// store. It returns INTERNAL only when storing failed (retry later).
func (g *receiver) take(ctx context.Context, raw []byte) pb.ErrorCode {
	return g.takeGroup(ctx, raw, false)
}

// takeGroup is take. An envelope put aside to wait is tried
// once more right after (again set): what it waits for may have landed
// between the first try and the put, and the retry that the arrival
// triggers may have looked before the put.
func (g *receiver) takeGroup(ctx context.Context, raw []byte, again bool) pb.ErrorCode {
	env, err := decodeGroupEnvelope(raw)
	if err != nil {
		return pb.ErrorCode_MALFORMED
	}
	run := g.set.get(env.group)
	if run == nil {
		return pb.ErrorCode_WRONG_RECIPIENT
	}
	if env.sender == g.self && env.device == g.device {
		return pb.ErrorCode_OK // our own
	}
	run.mu.Lock()
	st := run.log.State()
	accepts := st.Accepts(env.sender, env.device, env.seq)
	_, departed := st.Cut(env.sender, env.device)
	member := st.IsMember(env.sender)
	// A departed member's texts within its cut were sent while it was a
	// member: they count whatever its role was.
	canPost := st.CanPost(env.sender) || (departed && accepts)
	active := run.rec.Status == storage.GroupActive
	// Gone, we still take what was sent while we were in (the relay's
	// mailbox and the repair deliver concurrently, so the op that removed
	// us may be folded before a message sent ahead of it).
	within := active || (env.seq > 0 && uint64(env.id.Time().UnixMilli()) < lastDeparture(run.log, g.self).clock)
	run.mu.Unlock()
	switch {
	case !within:
		return pb.ErrorCode_OK // we left or were removed: nothing more is ours
	case env.seq == 0 && !member:
		return pb.ErrorCode_OK // a typing indicator that does not concern us
	case !accepts && !departed:
		g.log.Debug("group envelope from a non-member waits", "group", run.id.Short(), "from", env.sender.Short(), "seq", env.seq)
		// Perhaps an op adding the sender has not reached us: keep it.
		if err := g.d.Store.PutPendingGroup(ctx, run.id, env.id, raw); err != nil {
			return pb.ErrorCode_INTERNAL
		}
		run.poke()
		if !again {
			return g.takeGroup(ctx, raw, true)
		}
		return pb.ErrorCode_OK
	}
	// Past its sender's cut: a text is refused everywhere, but ops count
	// (the fold decides): they may undo the departure we know of.
	pastCut := !accepts
	var got groupReceived
	addr := e2e.Address{Account: env.sender, Device: env.device}
	err = g.d.Keys.GroupDecrypt(ctx, run.name, addr, env.ct, func(ctx context.Context, pt []byte) error {
		got = groupReceived{}
		c, err := decodeGroupContent(pt)
		if err != nil {
			return err
		}
		if !bytes.Equal(c.MessageId, env.id[:]) || c.Seq != env.seq {
			return errBadContent
		}
		switch body := c.Body.(type) {
		case *pb.GroupContent_Typing:
			got.typing = body.Typing
			return nil
		case *pb.GroupContent_Text:
			// A profile is no post: any member shares its own.
			if pastCut || (!canPost && rt.GroupKindOf(c) != rt.GroupKindProfile) {
				return errGroupRefused
			}
			m := received(storage.Message{
				ID: env.id, Peer: storage.Account(run.id), Group: true,
				Sender: storage.Account(env.sender), SenderDevice: env.device,
				Text: body.Text.Body, SentAt: time.UnixMilli(c.SentAtMs), StoredAt: time.Now(),
				ReplyTo: g.d.Quotes.ReplyTo(c.Quote),
			}, g.self)
			g.readElsewhere(ctx, &m)
			expired, err := g.d.Expiry.Receive(ctx, m.Peer, true, c.GetTimer(), &m)
			if err != nil {
				return err
			}
			switch err := g.d.Store.InsertMessage(ctx, m); {
			case errors.Is(err, storage.ErrExists):
			case err != nil:
				return err
			default:
				if err := g.d.Expiry.Stored(ctx, m); err != nil {
					return err
				}
				if err := g.noteText(ctx, m); err != nil {
					return err
				}
				if _, err := g.d.Quotes.Keep(ctx, m.ID, c.Quote, false); err != nil {
					return err
				}
				got.msg, got.expiry = &m, expired
			}
		case *pb.GroupContent_DeviceLists:
			got.lists = body.DeviceLists.Lists
		case *pb.GroupContent_Ops:
			got.ops = openOps(run.id, body.Ops.Ops)
			for _, op := range got.ops {
				raw, err := op.Marshal()
				if err != nil {
					return err
				}
				if err := g.d.Store.PutGroupOp(ctx, run.id, op.Hash, raw); err != nil {
					return err
				}
			}
		default:
			// A kind another feature handles (a file): a message of the
			// group, which its sender must be allowed to post.
			h, ok := g.d.Registry.GroupHandler(c)
			if !ok {
				return fmt.Errorf("%w: no handler for group content kind %d", errBadContent, rt.GroupKindOf(c))
			}
			if pastCut || !canPost {
				return errGroupRefused
			}
			got.ext, err = h(ctx, rt.GroupIncoming{Group: run.id, From: addr, ID: env.id, Seq: env.seq,
				SentAt: time.UnixMilli(c.SentAtMs), Raw: raw, Content: c})
			if err != nil {
				return err
			}
		}
		if err := g.d.Store.DeletePendingGroup(ctx, run.id, env.id); err != nil {
			return err
		}
		_, got.contig, err = g.d.Store.ArchiveGroupEnvelope(ctx, run.id, storage.ArchivedEnvelope{
			Account: storage.Account(env.sender), Device: env.device, Seq: env.seq, ID: env.id, Raw: raw,
		})
		return err
	})
	switch {
	case err == nil:
	case errors.Is(err, e2e.ErrNoSenderKey):
		g.log.Debug("group envelope waits for its sender key", "group", run.id.Short(), "from", env.sender.Short(), "seq", env.seq)
		// The sender's key has not arrived (it travels pairwise): keep
		// the message until it does (a typing indicator in memory, for
		// as long as it would last).
		if env.seq == 0 {
			run.holdTyping(env, raw)
			return pb.ErrorCode_OK
		}
		if !active {
			return pb.ErrorCode_OK // no key will come to a member that is gone
		}
		if err := g.d.Store.PutPendingGroup(ctx, run.id, env.id, raw); err != nil {
			return pb.ErrorCode_INTERNAL
		}
		if !again {
			return g.takeGroup(ctx, raw, true)
		}
		return pb.ErrorCode_OK
	case errors.Is(err, e2e.ErrReplay), errors.Is(err, errGroupRefused):
		return pb.ErrorCode_OK
	case errors.Is(err, errBadContent), errors.Is(err, e2e.ErrMalformed):
		return pb.ErrorCode_MALFORMED
	case errors.Is(err, e2e.ErrDecrypt):
		g.log.Debug("group message does not decrypt", "group", run.id.Short(), "from", env.sender.Short(), "err", err)
		return pb.ErrorCode_DECRYPT_FAILED
	case errors.Is(err, storage.ErrStorageFull):
		return pb.ErrorCode_STORAGE_FULL // repair or the relay brings it again
	default:
		g.log.Warn("store group message", "group", run.id.Short(), "err", err)
		return pb.ErrorCode_INTERNAL
	}
	run.mu.Lock()
	run.rec.Clock = max(run.rec.Clock, uint64(env.id.Time().UnixMilli()))
	run.mu.Unlock()
	if got.typing != nil {
		ev := Typing{Group: rt.CoreGroup(run.id), From: rt.CoreAccount(env.sender), Active: got.typing.Active}
		if ev.Active {
			ev.Until = time.Now().Add(typingTTL)
		}
		g.d.Publish(ev)
	}
	g.log.Debug("group envelope taken", "group", run.id.Short(), "from", env.sender.Short(), "seq", env.seq, "text", got.msg != nil, "ops", len(got.ops))
	if got.msg != nil {
		if got.expiry != nil {
			got.expiry()
		}
		g.d.Publish(core.MessageReceived{Message: rt.Message(*got.msg)})
	}
	if got.ext.After != nil {
		got.ext.After(ctx)
	}
	if (got.msg != nil || (got.ext.Message && got.ext.New)) && env.sender != g.self {
		g.rcpts.add(run.id, env.sender, pb.Receipt_DELIVERED, env.id)
	}
	if got.lists != nil {
		g.lists.remember(ctx, env.sender, run.id, got.lists)
	}
	if len(got.ops) > 0 {
		if _, err := g.set.commitOps(ctx, run, got.ops); err != nil {
			g.log.Warn("apply group ops", "group", run.id.Short(), "err", err)
		}
	}
	if env.seq > 0 && got.contig < env.seq {
		run.poke() // a gap below this message: repair
	}
	return pb.ErrorCode_OK
}

// received returns group message m, which came from its author's device,
// as this device stores it: sent by us when another device of our account
// (self) sent it, received from a member otherwise.
func received(m storage.Message, self identity.AccountID) storage.Message {
	if m.Sender == storage.Account(self) {
		m.Direction, m.State = storage.Outgoing, storage.Sent
	} else {
		m.Direction, m.State = storage.Incoming, storage.Received
	}
	return m
}

// retryPending takes the envelopes of run that were waiting for a key
// or a membership again.
func (g *receiver) retryPending(ctx context.Context, run *groupRun) {
	for _, raw := range run.heldTyping() {
		g.take(ctx, raw)
	}
	raws, err := g.d.Store.PendingGroup(ctx, run.id, maxPendingRetry)
	if err != nil {
		g.log.Warn("pending group envelopes", "err", err)
		return
	}
	for _, raw := range raws {
		env, err := decodeGroupEnvelope(raw)
		if err != nil {
			continue
		}
		if err := g.d.Store.DeletePendingGroup(ctx, run.id, env.id); err != nil {
			return
		}
		if rt.RetryLater(g.take(ctx, raw)) {
			_ = g.d.Store.PutPendingGroup(ctx, run.id, env.id, raw)
		}
	}
}

// groupControlDone is the part of a pairwise group control message acted
// on after its transaction commits.
type groupControlDone struct {
	group group.ID
	from  identity.AccountID
	key   bool // a sender key arrived: retry what waited for it
	ops   []*pb.GroupOp
	join  *group.Join
	lists [][]byte // members' device lists
}

// acceptControl handles a pairwise group control message inside the
// decrypt transaction of its envelope. A sender key is stored there (the
// replay guard drops one already held); ops and join requests are acted on
// after the commit (finishControl).
func (g *receiver) acceptControl(ctx context.Context, sender identity.AccountID, device uint32, gc *pb.GroupControl) (*groupControlDone, error) {
	gid := group.ID(gc.GroupId)
	done := &groupControlDone{group: gid, from: sender}
	switch b := gc.Body.(type) {
	case *pb.GroupControl_SenderKey:
		// Kept even for a group not known yet: keys from members may come
		// before the welcome that tells us the group.
		err := g.d.Keys.ProcessSenderKey(ctx, gid.String(), e2e.Address{Account: sender, Device: device}, b.SenderKey, func(ctx context.Context) error {
			if gc.NextSeq == 0 {
				return nil
			}
			return g.d.Store.SetGroupSeqFloor(ctx, gid, storage.Account(sender), device, gc.NextSeq-1)
		})
		g.log.Debug("group sender key received", "group", gid.Short(), "from", sender.Short(), "err", err)
		switch {
		case errors.Is(err, e2e.ErrDuplicateSenderKey):
			return nil, nil
		case errors.Is(err, e2e.ErrMalformed):
			return nil, errBadContent
		case err != nil:
			return nil, err
		}
		done.key = true
	case *pb.GroupControl_Ops:
		done.ops = b.Ops.Ops
	case *pb.GroupControl_Join:
		j, err := group.JoinOf(b.Join)
		if err != nil || j.Account != sender {
			return nil, nil // a join for someone else: ignore
		}
		done.join = j
	case *pb.GroupControl_DeviceLists:
		done.lists = b.DeviceLists.Lists
	}
	return done, nil
}

// finishControl acts on a pairwise group control message after its
// transaction committed.
func (g *receiver) finishControl(ctx context.Context, d *groupControlDone) {
	switch {
	case d.key:
		if run := g.set.get(d.group); run != nil {
			run.retryPending()
		}
	case d.ops != nil:
		g.receiveOps(ctx, d.from, d.group, d.ops)
	case d.join != nil:
		g.applyJoinRequest(ctx, d.group, d.join)
	case d.lists != nil:
		g.lists.remember(ctx, d.from, d.group, d.lists)
	}
}

// receiveOps takes ops that came pairwise from an account: a welcome
// to a new group (chunks of its log, the genesis first) or more ops of a
// known one. Each op is verified once, here. Ops of a group this node is
// not in wait in the hold (bounded, for a while; nothing is stored); once
// the genesis is there and the log makes this account a member, the group
// starts.
func (g *receiver) receiveOps(ctx context.Context, from identity.AccountID, gid group.ID, wire []*pb.GroupOp) {
	ops := openOps(gid, wire)
	if len(ops) == 0 {
		return
	}
	if run := g.set.get(gid); run != nil {
		if _, err := g.set.commitOps(ctx, run, ops); err != nil {
			g.log.Warn("apply group ops", "group", gid.Short(), "err", err)
		}
		return
	}
	g.set.welcomeMu.Lock()
	if run := g.set.get(gid); run != nil { // started meanwhile
		g.set.welcomeMu.Unlock()
		if _, err := g.set.commitOps(ctx, run, ops); err != nil {
			g.log.Warn("apply group ops", "group", gid.Short(), "err", err)
		}
		return
	}
	l := g.hold.addOps(from, gid, ops)
	if l == nil {
		g.set.welcomeMu.Unlock()
		g.log.Debug("group ops held", "group", gid.Short(), "from", from.Short(), "ops", len(ops))
		return
	}
	if by, refused := g.addedByBlocked(ctx, from, l); refused {
		g.set.welcomeMu.Unlock()
		g.log.Info("group add from a blocked account refused", "group", gid.Short(), "by", by.Short())
		return
	}
	run, err := g.set.start(ctx, l)
	g.set.welcomeMu.Unlock()
	if err != nil {
		g.log.Warn("start group", "group", gid.Short(), "err", err)
		return
	}
	for _, op := range l.Ops() {
		if ev := changeOf(op); rt.Account(ev.Account) == g.self && l.Rejected(op.Hash) == nil && (ev.Change == MemberAdded || ev.Change == MemberJoined) {
			g.d.Publish(ev)
		}
	}
	run.retryPending()
}

// addedByBlocked reports whether a welcome to a group we are not in comes
// from, or adds us on behalf of, an account the user blocked: such a
// group is not started (the ops stay in the hold until it forgets them).
func (g *receiver) addedByBlocked(ctx context.Context, from identity.AccountID, l *group.Log) (core.AccountID, bool) {
	if g.d.Blocked == nil {
		return core.AccountID{}, false
	}
	blocked := func(a core.AccountID) bool {
		on, err := g.d.Blocked(ctx, a)
		if err != nil {
			g.log.Warn("group add: blocked check", "err", err)
			return true // refuse now; the welcome comes again
		}
		return on
	}
	if a := rt.CoreAccount(from); blocked(a) {
		return a, true
	}
	for _, op := range l.Ops() {
		ev := changeOf(op)
		if ev.Change == MemberAdded && rt.Account(ev.Account) == g.self && blocked(ev.By) {
			return ev.By, true
		}
	}
	return core.AccountID{}, false
}

// start stores the ops of a group this node was let into (its log l, made
// from held ops) and its record, and starts it. The caller holds
// welcomeMu.
func (g *groupSet) start(ctx context.Context, l *group.Log) (*groupRun, error) {
	gid := l.ID()
	ops := append(l.Ops(), l.Waiting()...)
	rec := storage.Group{ID: gid, Status: storage.GroupActive, Clock: l.MaxClock(), JoinedAt: time.Now()}
	// In batches (a large log does not fit one transaction); the record
	// goes with the last, so a group without it was never started (and
	// its ops are pruned at the next start).
	const batch = 256
	for i := 0; i < len(ops); i += batch {
		last := i+batch >= len(ops)
		err := g.d.Store.Update(ctx, func(ctx context.Context) error {
			for _, op := range ops[i:min(i+batch, len(ops))] {
				raw, err := op.Marshal()
				if err != nil {
					return err
				}
				if err := g.d.Store.PutGroupOp(ctx, gid, op.Hash, raw); err != nil {
					return err
				}
			}
			if last {
				return g.d.Store.PutGroup(ctx, rec)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("store group: %w", err)
		}
	}
	for _, op := range ops {
		g.d.Devices.RememberCert(op.Author)
	}
	run := newGroupRun(l, rec)
	// The lists of the welcome first: the worker looks up in the DHT the
	// members whose lists it lacks. (Lists that come meanwhile wait for
	// welcomeMu, then find the group.)
	g.lists.release(ctx, run)
	g.mu.Lock()
	g.runs[gid] = run
	g.mu.Unlock()
	g.activate(run)
	return run, nil
}

// applyJoinRequest applies a join that j.Account asked us for pairwise
// (nodes from before join answers): as on /pigeon/group/1, but a refusal
// is not answered.
func (g *receiver) applyJoinRequest(ctx context.Context, gid group.ID, j *group.Join) {
	answer, err := g.sync.admit(ctx, gid, j)
	if err != nil {
		g.log.Warn("apply join", "group", gid.Short(), "err", err)
		return
	}
	g.log.Debug("pairwise join request", "group", gid.Short(), "account", j.Account.Short(), "answer", answer)
}

// takeControl takes a pairwise group control message (the registry's
// handler of group control contents).
func (g *receiver) takeControl(ctx context.Context, in rt.Incoming) (rt.Result, error) {
	gc := in.Content.GetGroup()
	if err := checkGroupControl(gc); err != nil {
		return rt.Result{}, err
	}
	done, err := g.acceptControl(ctx, in.From.Account, in.From.Device, gc)
	if err != nil || done == nil {
		return rt.Result{}, err
	}
	return rt.Result{After: func(ctx context.Context) { g.finishControl(ctx, done) }}, nil
}

// takeReceipt applies a receipt for group messages (the registry's
// handler of receipts that name a group).
func (g *receiver) takeReceipt(ctx context.Context, in rt.Incoming) (rt.Result, error) {
	if err := rt.CheckReceipt(in.Content.GetReceipt()); err != nil {
		return rt.Result{}, err
	}
	events, err := g.applyReceipt(ctx, in.From.Account, in.Content.GetReceipt())
	if err != nil || len(events) == 0 {
		return rt.Result{}, err
	}
	return rt.Result{After: func(context.Context) {
		for _, e := range events {
			g.d.Publish(e)
		}
	}}, nil
}
