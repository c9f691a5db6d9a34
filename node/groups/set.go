package groups

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/peerstore"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/group"
	"github.com/pigeon-net/pigeon/protocol/groupcast"
	"github.com/pigeon-net/pigeon/protocol/groupsync"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/storage"
)

// Defaults of Tuning; this package's tests shorten them.
var (
	// groupTick is how often a group's worker runs on its own (repair,
	// key hand-out, connections).
	groupTick = 30 * time.Second
	// groupRepairEvery is the least time between two repairs of one group
	// that were not asked for by its timer.
	groupRepairEvery = 2 * time.Second
)

// groupConnectMembers bounds the members whose devices one round of
// connecting looks up in the DHT.
const groupConnectMembers = 8

// groupDialEvery is the least time between two rounds of dialling members.
const groupDialEvery = 5 * time.Second

// env is what the parts of the feature share: the node's deps, settings,
// and the parts themselves, so that each reaches the others (g.set,
// g.send, g.recv ...). Every part embeds it.
type env struct {
	d           Deps
	self        identity.AccountID
	device      uint32
	log         *slog.Logger
	tick        time.Duration
	repairEvery time.Duration

	set   *groupSet      // the groups, their logs and membership (set.go)
	send  *sender        // publishing, sender keys, welcomes (send.go)
	recv  *receiver      // what arrives: topic, relays, repair, pairwise (receive.go)
	lists *lists         // members' device lists passed on (lists.go)
	sync  *syncer        // /pigeon/group/1: repair and joins (sync.go, join.go)
	rcpts *groupReceipts // receipts of group messages (receipts.go)
	hold  *groupHold     // what waits for its group (hold.go)
}

// goRun runs f(ctx) as one of the node's goroutines; stop ends ctx, and
// so does the node's closing.
func (e *env) goRun(ctx context.Context, stop context.CancelFunc, f func(context.Context)) bool {
	return e.d.Go(func(node context.Context) {
		defer context.AfterFunc(node, stop)()
		f(ctx)
	})
}

// groupSet is the groups this node knows: their runs, the topics they
// use, and what changes their membership.
type groupSet struct {
	*env
	caster *groupcast.Caster  // set by Start
	served *groupsync.Service // answers /pigeon/group/1; set by Start

	// welcomeMu serializes taking what comes for a group this node does
	// not know: finding the group unknown, holding, and starting it once
	// its log makes this account a member, so nothing is held for a group
	// that has just started.
	welcomeMu sync.Mutex

	mu   sync.Mutex // guards runs and activated
	runs map[group.ID]*groupRun
	// activated is closed (and replaced) whenever a group becomes active
	// here; nil until someone waits.
	activated chan struct{}
}

// load rebuilds every stored group and activates those this node is in.
func (g *groupSet) load(ctx context.Context) error {
	// Versions before the hold stored the ops of any group ID forever.
	if pruned, err := g.d.Store.PruneGroupOps(ctx); err != nil {
		g.log.Warn("prune ops of unknown groups", "err", err)
	} else if pruned > 0 {
		g.log.Info("pruned ops of unknown groups", "ops", pruned)
	}
	recs, err := g.d.Store.Groups(ctx)
	if err != nil {
		return fmt.Errorf("load groups: %w", err)
	}
	for _, rec := range recs {
		l, err := g.loadLog(ctx, rec.ID)
		if err != nil {
			g.log.Warn("group not loaded", "group", group.ID(rec.ID).Short(), "err", err)
			continue
		}
		run := newGroupRun(l, rec)
		g.mu.Lock()
		g.runs[run.id] = run
		g.mu.Unlock()
		if rec.Status == storage.GroupActive {
			g.activate(run)
		}
	}
	return nil
}

// loadLog builds a group's log from its stored ops.
func (g *groupSet) loadLog(ctx context.Context, id group.ID) (*group.Log, error) {
	raws, err := g.d.Store.GroupOps(ctx, id)
	if err != nil {
		return nil, err
	}
	var genesis *group.Op
	ops := make([]*group.Op, 0, len(raws))
	for _, raw := range raws {
		op, err := group.DecodeOp(raw)
		if err != nil || op.Group != id {
			continue
		}
		if op.IsGenesis() {
			genesis = op
			continue
		}
		ops = append(ops, op)
	}
	if genesis == nil {
		return nil, fmt.Errorf("%w: no genesis op stored", ErrUnknownGroup)
	}
	l, err := group.NewLog(genesis)
	if err != nil {
		return nil, err
	}
	if _, err := l.Add(ops...); err != nil {
		return nil, err
	}
	for _, op := range l.Ops() {
		g.d.Devices.RememberCert(op.Author)
	}
	return l, nil
}

func (g *groupSet) get(id group.ID) *groupRun {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.runs[id]
}

func (g *groupSet) all() []*groupRun {
	g.mu.Lock()
	defer g.mu.Unlock()
	out := make([]*groupRun, 0, len(g.runs))
	for _, r := range g.runs {
		out = append(out, r)
	}
	return out
}

// activate joins the group's topic and starts its pump and worker.
func (g *groupSet) activate(run *groupRun) {
	run.mu.Lock()
	if run.gc != nil {
		run.mu.Unlock()
		return
	}
	gc, err := g.caster.Join(run.topic, g.recv.validator(run))
	if err != nil {
		run.mu.Unlock()
		g.log.Warn("join group topic", "group", run.id.Short(), "err", err)
		return
	}
	// The run's context ends when it is deactivated or the node closes.
	ctx, stop := context.WithCancel(context.Background())
	run.gc, run.stop = gc, stop
	run.mu.Unlock()
	if !g.goRun(ctx, stop, func(ctx context.Context) { g.pump(ctx, run, gc) }) ||
		!g.goRun(ctx, stop, func(ctx context.Context) { g.worker(ctx, run) }) ||
		!g.goRun(ctx, stop, func(ctx context.Context) { g.keyLoop(ctx, run) }) {
		stop()
	}
	g.d.TopicsChanged() // follow the topic at our relays
	g.mu.Lock()
	if g.activated != nil {
		close(g.activated)
		g.activated = nil
	}
	g.mu.Unlock()
}

// waitActive waits until group id is active here (or ctx ends) and
// reports whether it is.
func (g *groupSet) waitActive(ctx context.Context, id group.ID) bool {
	for {
		g.mu.Lock()
		if g.activated == nil {
			g.activated = make(chan struct{})
		}
		ch, run := g.activated, g.runs[id]
		g.mu.Unlock()
		if run != nil {
			run.mu.Lock()
			active := run.gc != nil && run.rec.Status == storage.GroupActive
			run.mu.Unlock()
			if active {
				return true
			}
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return false
		}
	}
}

// deactivate leaves the group's topic and stops its goroutines.
func (g *groupSet) deactivate(run *groupRun) {
	run.mu.Lock()
	gc, stop := run.gc, run.stop
	run.gc, run.stop = nil, nil
	run.mu.Unlock()
	if stop != nil {
		stop()
	}
	if gc != nil {
		_ = gc.Leave()
	}
	g.d.TopicsChanged()
}

// close stops everything groups started; the node's goroutines are
// already stopped.
func (g *groupSet) close() {
	if g.served != nil {
		g.served.Close()
	}
	if g.caster != nil {
		_ = g.caster.Close()
	}
}

// topics returns the topics of the groups this node is in.
func (g *groupSet) topics(where func(core.GroupID) bool) [][32]byte {
	var out [][32]byte
	for _, run := range g.all() {
		run.mu.Lock()
		if run.rec.Status == storage.GroupActive && (where == nil || where(rt.CoreGroup(run.id))) {
			out = append(out, run.topic)
		}
		run.mu.Unlock()
	}
	return out
}

// pump hands what the topic delivers to the receiver.
func (g *groupSet) pump(ctx context.Context, run *groupRun, gc *groupcast.Group) {
	for {
		select {
		case <-ctx.Done():
			return
		case m, ok := <-gc.Messages():
			if !ok {
				return
			}
			g.recv.take(ctx, m.Payload)
		case raw := <-run.side:
			g.recv.take(ctx, raw)
		case <-run.retry:
			g.recv.retryPending(ctx, run)
		}
	}
}

// worker keeps a group healthy: connections to members, this device's
// sender key with every member device, republishing, gap repair.
func (g *groupSet) worker(ctx context.Context, run *groupRun) {
	t := time.NewTicker(g.tick)
	defer t.Stop()
	// While the topic has no peer, or own messages wait for one, look
	// again soon; when peers appear, repair at once.
	retry := rt.NewBackoff(100*time.Millisecond, 5*time.Second)
	soon := time.NewTimer(0)
	defer soon.Stop()
	forced, hadPeers := true, false
	for {
		g.connectMembers(ctx, run)
		g.send.republish(ctx, run)
		run.mu.Lock()
		gc, waiting := run.gc, len(run.unsent) > 0
		run.mu.Unlock()
		peers := gc != nil && len(gc.Peers()) > 0
		if peers && !hadPeers {
			forced = true
		}
		hadPeers = peers
		g.sync.repair(ctx, run, forced)
		if waiting || !peers {
			soon.Reset(retry.Next())
		} else {
			retry.Reset()
		}
		select {
		case <-ctx.Done():
			return
		case <-run.kick:
			forced = false
		case <-soon.C:
			forced = false
		case <-t.C:
			forced = true
		}
	}
}

// keyLoop hands this device's sender key out whenever it changes or the
// members do, and on the group's timer (a device may have joined an
// account, or a hand-out failed). It runs apart from the worker so a slow
// repair never delays a new key.
func (g *groupSet) keyLoop(ctx context.Context, run *groupRun) {
	t := time.NewTicker(g.tick)
	defer t.Stop()
	for {
		g.send.distributeKey(ctx, run)
		select {
		case <-ctx.Done():
			return
		case <-run.keyKick:
		case <-t.C:
		}
	}
}

// connectMembers dials this device's neighbours in the group (see
// groupcast.Neighbours: every member computes the same ring, so the members
// form one connected graph without any discovery) and protects those
// connections. Members whose devices are not known yet are looked up, a
// few per round.
func (g *groupSet) connectMembers(ctx context.Context, run *groupRun) {
	run.mu.Lock()
	gc := run.gc
	members := run.log.State().Members()
	recent := time.Since(run.dialed) < groupDialEvery
	if !recent {
		run.dialed = time.Now()
	}
	run.mu.Unlock()
	if gc == nil || recent {
		return
	}
	peers := make([]peer.ID, 0, len(members))
	devices := make(map[peer.ID]identity.Device, len(members))
	lookups := 0
	for _, m := range members {
		if m.Account == g.self {
			continue
		}
		list := g.d.Devices.Known(ctx, rt.CoreAccount(m.Account))
		if list == nil && lookups < groupConnectMembers {
			lookups++
			list, _ = g.d.Devices.Get(ctx, rt.CoreAccount(m.Account), false)
		}
		if list == nil {
			continue
		}
		for _, d := range list.Devices {
			peers = append(peers, d.Cert.PeerID)
			devices[d.Cert.PeerID] = d
		}
	}
	var wg sync.WaitGroup
	for _, p := range groupcast.Neighbours(run.topic, g.d.Host.ID(), peers, groupcast.DefaultNeighbours) {
		g.d.Host.ConnManager().Protect(p, "pigeon-group")
		if g.d.Host.Network().Connectedness(p) == network.Connected {
			continue
		}
		if d := devices[p]; len(d.Addrs) > 0 {
			g.d.Host.Peerstore().AddAddrs(p, d.Addrs, peerstore.TempAddrTTL)
		}
		wg.Go(func() {
			cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			defer cancel()
			if err := g.d.Host.Connect(cctx, peer.AddrInfo{ID: p}); err != nil {
				g.log.Debug("dial group neighbour", "group", run.id.Short(), "peer", p, "err", err)
			}
		})
	}
	wg.Wait()
}

// opsDiff is what applying ops changed.
type opsDiff struct {
	applied []*group.Op // newly in effect, in fold order
	added   []identity.AccountID
	removed []identity.AccountID
	missing bool // ops wait for ancestors
	wasIn   bool // this account was a member before
	isIn    bool // and after
}

// commitOps stores ops of run's group and applies them, then acts on what
// changed: membership of this account, key rotation after departures,
// history of departed devices past their cut, key hand-out to new members,
// waiting envelopes, events.
func (g *groupSet) commitOps(ctx context.Context, run *groupRun, ops []*group.Op) (opsDiff, error) {
	var fresh []*group.Op
	run.mu.Lock()
	for _, op := range ops {
		if !run.log.Has(op.Hash) {
			fresh = append(fresh, op)
		}
	}
	run.mu.Unlock()
	if len(fresh) == 0 {
		return opsDiff{}, nil
	}
	err := g.d.Store.Update(ctx, func(ctx context.Context) error {
		for _, op := range fresh {
			raw, err := op.Marshal()
			if err != nil {
				return err
			}
			if err := g.d.Store.PutGroupOp(ctx, run.id, op.Hash, raw); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return opsDiff{}, fmt.Errorf("store group ops: %w", err)
	}
	for _, op := range fresh {
		g.d.Devices.RememberCert(op.Author)
	}
	run.mu.Lock()
	before := run.log.State().Clone()
	if _, err := run.log.Add(fresh...); err != nil {
		run.mu.Unlock()
		return opsDiff{}, fmt.Errorf("apply group ops: %w", err)
	}
	after := run.log.State()
	d := opsDiff{wasIn: before.IsMember(g.self), isIn: after.IsMember(g.self), missing: len(run.log.Missing()) > 0}
	for _, op := range fresh {
		if run.log.Has(op.Hash) && run.log.Rejected(op.Hash) == nil && !waiting(run.log, op) {
			d.applied = append(d.applied, op)
		}
	}
	for _, m := range after.Members() {
		if !before.IsMember(m.Account) {
			d.added = append(d.added, m.Account)
		}
	}
	for _, m := range before.Members() {
		if !after.IsMember(m.Account) {
			d.removed = append(d.removed, m.Account)
		}
	}
	if max(run.log.MaxClock(), run.rec.Clock) != run.rec.Clock {
		run.rec.Clock = run.log.MaxClock()
	}
	cuts := make(map[identity.AccountID]*group.State)
	if len(d.removed) > 0 {
		snap := after.Clone()
		for _, a := range d.removed {
			cuts[a] = snap
		}
	}
	run.mu.Unlock()

	g.applyMembership(ctx, run, d)
	for a, st := range cuts {
		if a != g.self {
			g.dropPastCut(ctx, run, st, a)
		}
	}
	for _, op := range d.applied {
		g.d.Publish(changeOf(op))
	}
	if len(d.added) > 0 || len(d.removed) > 0 || d.missing {
		run.poke()
	}
	if len(d.added) > 0 {
		run.retryPending()
		g.lists.release(ctx, run) // lists of the newcomers that came first
	}
	return d, nil
}

func waiting(l *group.Log, op *group.Op) bool {
	for _, w := range l.Waiting() {
		if w.Hash == op.Hash {
			return true
		}
	}
	return false
}

// applyMembership follows this account's membership and rotates this
// device's sender key when anyone left.
func (g *groupSet) applyMembership(ctx context.Context, run *groupRun, d opsDiff) {
	run.mu.Lock()
	rec := run.rec
	changed := false
	switch {
	case d.isIn && rec.Status != storage.GroupActive:
		rec.Status, rec.JoinedAt, changed = storage.GroupActive, time.Now(), true
	case !d.isIn && rec.Status == storage.GroupActive:
		rec.Status, changed = storage.GroupRemoved, true
		if leftOnOwn(run.log, g.self) {
			rec.Status = storage.GroupLeft
		}
	}
	run.rec = rec
	run.mu.Unlock()
	if changed {
		if err := g.d.Store.PutGroup(ctx, rec); err != nil {
			g.log.Warn("store group", "group", run.id.Short(), "err", err)
		}
	}
	if rec.Status == storage.GroupActive && len(d.removed) > 0 {
		// Whoever left holds our current chain: start a new one, handed
		// only to those still in the group, before the next message.
		g.send.rotateKey(ctx, run)
	}
	switch {
	case rec.Status == storage.GroupActive && !d.wasIn:
		g.activate(run)
	case rec.Status != storage.GroupActive && d.wasIn:
		g.deactivate(run)
	}
}

// leftOnOwn reports whether a's last departure in the log was its own
// Leave.
func leftOnOwn(l *group.Log, a identity.AccountID) bool { return lastDeparture(l, a).own }

// departure is the op that last took an account out of a group.
type departure struct {
	clock uint64 // the op's group clock; 0: none
	own   bool   // a Leave (not a Remove)
}

// lastDeparture finds the op that last took a out of the group.
func lastDeparture(l *group.Log, a identity.AccountID) departure {
	var d departure
	for _, op := range l.Ops() {
		if l.Rejected(op.Hash) != nil {
			continue
		}
		switch b := op.Body.(type) {
		case *group.Leave:
			if op.Author.Account == a {
				d = departure{op.Clock, true}
			}
		case *group.Remove:
			if b.Account == a {
				d = departure{op.Clock, false}
			}
		}
	}
	return d
}

// dropPastCut deletes from history the messages of a departed account's
// devices that its cut does not cover: they were sent (or claimed to be)
// after it left, and every member drops the same ones.
func (g *groupSet) dropPastCut(ctx context.Context, run *groupRun, st *group.State, a identity.AccountID) {
	senders, err := g.d.Store.GroupSenders(ctx, run.id)
	if err != nil {
		return
	}
	devices := map[uint32]bool{}
	for _, s := range senders {
		if identity.AccountID(s.Account) == a {
			devices[s.Device] = true
		}
	}
	for dev := range devices {
		cut, ok := st.Cut(a, dev)
		if !ok {
			continue
		}
		for {
			late, err := g.d.Store.ArchivedAfter(ctx, run.id, storage.Account(a), dev, cut, 256, 4<<20)
			if err != nil || len(late) == 0 {
				break
			}
			for _, e := range late {
				if err := g.d.Store.DeleteMessage(ctx, e.ID); err != nil {
					g.log.Warn("drop message past cut", "err", err)
				}
			}
			cut = late[len(late)-1].Seq
		}
	}
}

// signOps signs bodies on top of run's log, in order.
func (g *groupSet) signOps(run *groupRun, bodies ...group.Body) ([]*group.Op, error) {
	run.mu.Lock()
	defer run.mu.Unlock()
	// A scratch log: the ops chain on each other so they keep their order.
	heads := run.log.Heads()
	clock := run.log.NextClock(uint64(time.Now().UnixMilli()))
	clock = max(clock, run.rec.Clock+1)
	var out []*group.Op
	for _, b := range bodies {
		op, err := g.d.Signer.Sign(run.id, clock, heads, b)
		if err != nil {
			return nil, err
		}
		out = append(out, op)
		heads, clock = []group.Hash{op.Hash}, clock+1
	}
	return out, nil
}

// checkAccounts finds the device list of each account (but this one),
// concurrently, and fails with the errors of those it cannot find: each
// names its account.
func (g *groupSet) checkAccounts(ctx context.Context, accounts []identity.AccountID) error {
	errs := make([]error, len(accounts))
	sem := make(chan struct{}, 8)
	var wg sync.WaitGroup
	for i, a := range accounts {
		if a == g.self {
			continue
		}
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			_, errs[i] = g.d.Devices.Get(ctx, rt.CoreAccount(a), false)
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// change applies a change to run's group: plan looks at the state and
// returns the op bodies to sign (none: nothing to do) and the accounts to
// welcome, or why the change is not allowed. The ops are signed, applied,
// published on the topic, and the log is sent to the accounts welcomed.
func (g *groupSet) change(ctx context.Context, run *groupRun, plan func(*group.State) ([]group.Body, []identity.AccountID, error)) error {
	run.mu.Lock()
	st := run.log.State()
	var (
		bodies  []group.Body
		welcome []identity.AccountID
	)
	err := ErrNotMember
	if st.IsMember(g.self) && run.rec.Status == storage.GroupActive {
		bodies, welcome, err = plan(st)
	}
	planned := st.Clone()
	run.mu.Unlock()
	if err != nil || len(bodies) == 0 {
		return err
	}
	ops, err := g.signOps(run, bodies...)
	if err != nil {
		return err
	}
	// Publish before applying, and queue the key the ops went out with
	// for every member without it: a removal rotates our sender key, and
	// the member removed must still read the op that removes it.
	if err := g.send.publishOps(ctx, run, ops); err != nil {
		return err
	}
	g.send.distributeKeyIn(ctx, run, planned)
	if _, err := g.commitOps(ctx, run, ops); err != nil {
		return err
	}
	run.mu.Lock()
	var rejected error
	for _, op := range ops {
		if err := run.log.Rejected(op.Hash); err != nil {
			rejected = err
		}
	}
	run.mu.Unlock()
	if rejected != nil {
		return fmt.Errorf("%w: %w", ErrNotAllowed, rejected)
	}
	for _, a := range welcome {
		g.send.sendWelcome(ctx, run, a)
	}
	if len(welcome) > 0 {
		g.d.Go(func(ctx context.Context) { g.send.shareLists(ctx, run, welcome) })
	}
	return nil
}

// one wraps a single-op plan.
func one(check func(*group.State) error, body group.Body) func(*group.State) ([]group.Body, []identity.AccountID, error) {
	return func(st *group.State) ([]group.Body, []identity.AccountID, error) {
		if err := check(st); err != nil {
			return nil, nil, err
		}
		return []group.Body{body}, nil, nil
	}
}

// cutsOf returns, per device of account seen sending in the group, the
// highest sequence number held with none missing below.
func (g *groupSet) cutsOf(ctx context.Context, id group.ID, account identity.AccountID) ([]group.Cut, error) {
	senders, err := g.d.Store.GroupSenders(ctx, id)
	if err != nil {
		return nil, err
	}
	var cuts []group.Cut
	for _, s := range senders {
		if identity.AccountID(s.Account) == account {
			cuts = append(cuts, group.Cut{Device: s.Device, Seq: s.Seq})
		}
	}
	return cuts, nil
}

// isActiveMember reports whether this account is in group id now.
func (g *groupSet) isActiveMember(id group.ID) bool {
	run := g.get(id)
	if run == nil {
		return false
	}
	run.mu.Lock()
	defer run.mu.Unlock()
	return run.rec.Status == storage.GroupActive && run.log.State().IsMember(g.self)
}
