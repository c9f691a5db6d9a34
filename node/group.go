package node

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/peerstore"

	"github.com/pigeon-net/pigeon/protocol/e2e"
	"github.com/pigeon-net/pigeon/protocol/group"
	"github.com/pigeon-net/pigeon/protocol/groupcast"
	"github.com/pigeon-net/pigeon/protocol/groupsync"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/storage"
)

// Groups
//
// A group's membership is a log of signed ops (protocol/group) kept in
// storage and folded into a State; its messages are sender-key ciphertexts
// (e2e.Groups) published once on the group's GossipSub topic
// (protocol/groupcast), archived by every member for gap repair
// (protocol/groupsync), and kept for away members by their relays (mailbox
// Follow). Sender keys travel pairwise, as GroupControl contents through the
// outbox. Each active group has a run: its log, its record, its topic, a
// pump goroutine taking what the topic delivers and a worker goroutine that
// connects to members, hands out this device's sender key, repairs gaps and
// republishes what had no listener.
//
// Lock order: groupSet.welcomeMu, then groupSet.mu, then groupRun.sendMu,
// then groupRun.mu, then groupHold.mu. A groupRun.mu holder never waits
// for the network or for another group.

var (
	// ErrUnknownGroup is returned for groups this node is not in.
	ErrUnknownGroup = errors.New("unknown group")
	// ErrNotAllowed is returned when this node's role or the group's
	// settings do not allow an action.
	ErrNotAllowed = errors.New("not allowed in this group")
	// ErrNotMember is returned for actions on a group this account left or
	// was removed from.
	ErrNotMember = errors.New("not a member of the group")
	// ErrInviteRefused is returned by JoinGroup when the invite's maker
	// refused the join; the error says why (the invite was revoked or
	// expired, the maker knows no such invite, the group is full). A new
	// invite link is the way in.
	ErrInviteRefused = errors.New("invite refused")
	// ErrUnreachable is returned when the node an action needs to talk to
	// now (the invite's maker) cannot be reached.
	ErrUnreachable = errors.New("not reachable")
)

// groupTick is how often a group's worker runs on its own (repair, key
// hand-out, connections); tests shorten it.
var groupTick = 30 * time.Second

// groupConnectMembers bounds the members whose devices one round of
// connecting looks up in the DHT.
const groupConnectMembers = 8

// groupDialEvery is the least time between two rounds of dialling members.
const groupDialEvery = 5 * time.Second

type groupSet struct {
	n      *Node
	caster *groupcast.Caster
	keys   *e2e.Groups
	signer *group.Signer
	sync   *groupsync.Service
	rcpts  *groupReceipts

	hold *groupHold // ops and lists that wait for their group (grouphold.go)

	// welcomeMu serializes taking what comes for a group this node does
	// not know: finding the group unknown, holding, and starting it once
	// its log makes this account a member, so nothing is held for a group
	// that has just started.
	welcomeMu sync.Mutex

	mu       sync.Mutex // guards runs, followed and activated
	runs     map[group.ID]*groupRun
	followed map[peer.ID]int // topics last followed at each relay
	// activated is closed (and replaced) whenever a group becomes active
	// here; nil until someone waits.
	activated chan struct{}
}

// groupRun is one group this node knows.
type groupRun struct {
	id    group.ID
	name  string // sender-key group name: the hex ID
	topic groupcast.Topic

	sendMu sync.Mutex // serializes sends: sequence numbers and publishes in order
	distMu sync.Mutex // serializes sender-key hand-outs

	mu       sync.Mutex // guards the fields below
	log      *group.Log
	rec      storage.Group
	gc       *groupcast.Group           // nil unless active
	stop     context.CancelFunc         // stops pump and worker; nil unless active
	unsent   []unsentGroup              // own envelopes published with no topic peer
	repaired time.Time                  // last repair
	dialed   time.Time                  // last round of dialling members
	kick     chan struct{}              // cap 1: run the worker now
	keyKick  chan struct{}              // cap 1: hand out the sender key now
	side     chan []byte                // envelopes the validator held back, for the pump
	retry    chan struct{}              // cap 1: the pump takes the waiting envelopes again
	typing   map[e2e.Address]heldTyping // indicators waiting for their sender's key
}

func newGroupRun(l *group.Log, rec storage.Group) *groupRun {
	return &groupRun{
		id:      l.ID(),
		name:    l.ID().String(),
		topic:   topicOf(l),
		log:     l,
		rec:     rec,
		kick:    make(chan struct{}, 1),
		keyKick: make(chan struct{}, 1),
		side:    make(chan []byte, groupSideQueue),
		retry:   make(chan struct{}, 1),
	}
}

func topicOf(l *group.Log) groupcast.Topic {
	id := l.ID()
	return groupcast.TopicFor(id[:], l.State().Secret())
}

// groupSideQueue bounds the envelopes the validator holds back for the
// pump; past it they are dropped (gap repair brings them).
const groupSideQueue = 256

// heldTyping is a typing indicator that waits for its sender's key.
type heldTyping struct {
	raw   []byte
	until time.Time
}

// holdTyping keeps the latest typing indicator of a sender whose key has
// not arrived, for as long as it would last.
func (r *groupRun) holdTyping(env *groupEnvelope, raw []byte) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.typing == nil {
		r.typing = make(map[e2e.Address]heldTyping)
	}
	r.typing[e2e.Address{Account: env.sender, Device: env.device}] = heldTyping{raw: raw, until: time.Now().Add(typingTTL)}
}

// heldTyping takes the indicators still worth showing.
func (r *groupRun) heldTyping() [][]byte {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out [][]byte
	for _, h := range r.typing {
		if time.Now().Before(h.until) {
			out = append(out, h.raw)
		}
	}
	clear(r.typing)
	return out
}

// aside hands the pump an envelope the validator did not let through.
func (r *groupRun) aside(payload []byte) {
	select {
	case r.side <- bytes.Clone(payload):
	default:
	}
}

// retryPending has the pump take the envelopes that wait for a key or a
// membership again (something they may wait for arrived).
func (r *groupRun) retryPending() {
	select {
	case r.retry <- struct{}{}:
	default:
	}
}

// poke runs the group's worker and key hand-out now.
func (r *groupRun) poke() {
	for _, c := range []chan struct{}{r.kick, r.keyKick} {
		select {
		case c <- struct{}{}:
		default:
		}
	}
}

func newGroupSet(n *Node) (*groupSet, error) {
	key := n.host.Peerstore().PrivKey(n.host.ID())
	signer, err := group.NewSigner(key, n.cert.Signed)
	if err != nil {
		return nil, err
	}
	caster, err := groupcast.New(n.host, groupcast.WithLogger(n.log.With("sub", "groupcast")))
	if err != nil {
		return nil, err
	}
	g := &groupSet{
		n:      n,
		caster: caster,
		keys:   e2e.NewGroups(n.store, e2e.Address{Account: n.self, Device: n.device}),
		signer: signer,
		hold:   newGroupHold(n.self, time.Now),
		runs:   make(map[group.ID]*groupRun),
	}
	g.rcpts = newGroupReceipts(n)
	return g, nil
}

// serve starts answering /pigeon/group/1 (once Node.groups is set).
func (g *groupSet) serve() {
	g.sync = groupsync.NewService(g.n.host, g.n.serveGroupSync, g.n.log.With("sub", "groupsync"))
}

// load rebuilds every stored group and activates those this node is in.
func (g *groupSet) load(ctx context.Context) error {
	// Versions before the hold stored the ops of any group ID forever.
	if pruned, err := g.n.store.PruneGroupOps(ctx); err != nil {
		g.n.log.Warn("prune ops of unknown groups", "err", err)
	} else if pruned > 0 {
		g.n.log.Info("pruned ops of unknown groups", "ops", pruned)
	}
	recs, err := g.n.store.Groups(ctx)
	if err != nil {
		return fmt.Errorf("load groups: %w", err)
	}
	for _, rec := range recs {
		l, err := g.loadLog(ctx, rec.ID)
		if err != nil {
			g.n.log.Warn("group not loaded", "group", group.ID(rec.ID).Short(), "err", err)
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
	raws, err := g.n.store.GroupOps(ctx, id)
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
		g.n.resolver.rememberCert(op.Author)
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
	n := g.n
	run.mu.Lock()
	if run.gc != nil {
		run.mu.Unlock()
		return
	}
	gc, err := g.caster.Join(run.topic, n.groupValidator(run))
	if err != nil {
		run.mu.Unlock()
		n.log.Warn("join group topic", "group", run.id.Short(), "err", err)
		return
	}
	ctx, stop := context.WithCancel(n.runCtx())
	run.gc, run.stop = gc, stop
	run.mu.Unlock()
	if !n.goroutine(func(context.Context) { g.pump(ctx, run, gc) }) ||
		!n.goroutine(func(context.Context) { g.worker(ctx, run) }) ||
		!n.goroutine(func(context.Context) { g.keyLoop(ctx, run) }) {
		stop()
	}
	n.relays.signal() // follow the topic at our relays
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
	g.n.relays.signal()
}

// close stops everything groups started; the node's goroutines are
// already stopped.
func (g *groupSet) close() {
	if g.sync != nil {
		g.sync.Close()
	}
	_ = g.caster.Close()
}

// topics returns the topics of the groups this node is in.
func (g *groupSet) topics() [][32]byte {
	var out [][32]byte
	for _, run := range g.all() {
		run.mu.Lock()
		if run.rec.Status == storage.GroupActive {
			out = append(out, run.topic)
		}
		run.mu.Unlock()
	}
	return out
}

// pump hands what the topic delivers to takeGroupEnvelope.
func (g *groupSet) pump(ctx context.Context, run *groupRun, gc *groupcast.Group) {
	for {
		select {
		case <-ctx.Done():
			return
		case m, ok := <-gc.Messages():
			if !ok {
				return
			}
			g.n.takeGroupEnvelope(ctx, m.Payload)
		case raw := <-run.side:
			g.n.takeGroupEnvelope(ctx, raw)
		case <-run.retry:
			g.n.retryGroupPending(ctx, run)
		}
	}
}

// worker keeps a group healthy: connections to members, this device's
// sender key with every member device, republishing, gap repair.
func (g *groupSet) worker(ctx context.Context, run *groupRun) {
	t := time.NewTicker(groupTick)
	defer t.Stop()
	// While the topic has no peer, or own messages wait for one, look
	// again soon; when peers appear, repair at once.
	retry := newBackoff(100*time.Millisecond, 5*time.Second)
	soon := time.NewTimer(0)
	defer soon.Stop()
	forced, hadPeers := true, false
	for {
		g.connectMembers(ctx, run)
		g.republish(ctx, run)
		run.mu.Lock()
		gc, waiting := run.gc, len(run.unsent) > 0
		run.mu.Unlock()
		peers := gc != nil && len(gc.Peers()) > 0
		if peers && !hadPeers {
			forced = true
		}
		hadPeers = peers
		g.n.repairGroup(ctx, run, forced)
		if waiting || !peers {
			soon.Reset(retry.next())
		} else {
			retry.reset()
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
	t := time.NewTicker(groupTick)
	defer t.Stop()
	for {
		g.distributeKey(ctx, run)
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
	n := g.n
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
		if m.Account == n.self {
			continue
		}
		list := n.resolver.known(ctx, m.Account)
		if list == nil && lookups < groupConnectMembers {
			lookups++
			list, _ = n.resolver.get(ctx, m.Account, false)
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
	for _, p := range groupcast.Neighbours(run.topic, n.host.ID(), peers, groupcast.DefaultNeighbours) {
		n.host.ConnManager().Protect(p, "pigeon-group")
		if n.host.Network().Connectedness(p) == network.Connected {
			continue
		}
		if d := devices[p]; len(d.Addrs) > 0 {
			n.host.Peerstore().AddAddrs(p, d.Addrs, peerstore.TempAddrTTL)
		}
		wg.Go(func() {
			cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			defer cancel()
			if err := n.host.Connect(cctx, peer.AddrInfo{ID: p}); err != nil {
				n.log.Debug("dial group neighbour", "group", run.id.Short(), "peer", p, "err", err)
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
	n := g.n
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
	err := n.store.Update(ctx, func(ctx context.Context) error {
		for _, op := range fresh {
			raw, err := op.Marshal()
			if err != nil {
				return err
			}
			if err := n.store.PutGroupOp(ctx, run.id, op.Hash, raw); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return opsDiff{}, fmt.Errorf("store group ops: %w", err)
	}
	for _, op := range fresh {
		n.resolver.rememberCert(op.Author)
	}
	run.mu.Lock()
	before := run.log.State().Clone()
	if _, err := run.log.Add(fresh...); err != nil {
		run.mu.Unlock()
		return opsDiff{}, fmt.Errorf("apply group ops: %w", err)
	}
	after := run.log.State()
	d := opsDiff{wasIn: before.IsMember(n.self), isIn: after.IsMember(n.self), missing: len(run.log.Missing()) > 0}
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
		if a != n.self {
			g.dropPastCut(ctx, run, st, a)
		}
	}
	for _, op := range d.applied {
		n.bus.publish(changeOf(op))
	}
	if len(d.added) > 0 || len(d.removed) > 0 || d.missing {
		run.poke()
	}
	if len(d.added) > 0 {
		run.retryPending()
		n.releaseLists(ctx, run) // lists of the newcomers that came first
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
	n := g.n
	run.mu.Lock()
	rec := run.rec
	changed := false
	switch {
	case d.isIn && rec.Status != storage.GroupActive:
		rec.Status, rec.JoinedAt, changed = storage.GroupActive, time.Now(), true
	case !d.isIn && rec.Status == storage.GroupActive:
		rec.Status, changed = storage.GroupRemoved, true
		if leftOnOwn(run.log, n.self) {
			rec.Status = storage.GroupLeft
		}
	}
	run.rec = rec
	run.mu.Unlock()
	if changed {
		if err := n.store.PutGroup(ctx, rec); err != nil {
			n.log.Warn("store group", "group", run.id.Short(), "err", err)
		}
	}
	if rec.Status == storage.GroupActive && len(d.removed) > 0 {
		// Whoever left holds our current chain: start a new one, handed
		// only to those still in the group, before the next message.
		g.rotateKey(ctx, run)
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
	n := g.n
	senders, err := n.store.GroupSenders(ctx, run.id)
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
			late, err := n.store.ArchivedAfter(ctx, run.id, storage.Account(a), dev, cut, 256, 4<<20)
			if err != nil || len(late) == 0 {
				break
			}
			for _, e := range late {
				if err := n.store.DeleteMessage(ctx, e.ID); err != nil {
					n.log.Warn("drop message past cut", "err", err)
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
		op, err := g.signer.Sign(run.id, clock, heads, b)
		if err != nil {
			return nil, err
		}
		out = append(out, op)
		heads, clock = []group.Hash{op.Hash}, clock+1
	}
	return out, nil
}
