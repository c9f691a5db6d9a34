package node

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
	"go.uber.org/goleak"

	"github.com/pigeon-net/pigeon/protocol/e2e"
	"github.com/pigeon-net/pigeon/protocol/group"
	"github.com/pigeon-net/pigeon/protocol/groupcast"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

func init() {
	// Group timers at test speed: the worker's round and the least time
	// between two repairs.
	groupTick = 2 * time.Second
	groupRepairEvery = 300 * time.Millisecond
}

// nodes starts n in-memory nodes bootstrapping from the first.
func nodes(t *testing.T, n int) []*Node {
	t.Helper()
	a, b := pair(t)
	out := []*Node{a, b}
	for len(out) < n {
		m, err := New(WithInMemory(), WithListenAddrs("/ip4/127.0.0.1/tcp/0"), WithRetryBackoff(10*time.Millisecond, 200*time.Millisecond), WithBootstrap(a.Info().Addrs[0].String()))
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		if err := m.Start(ctx); err != nil {
			t.Fatal(err)
		}
		cancel()
		t.Cleanup(func() { m.Close() })
		out = append(out, m)
	}
	for _, x := range out[1:] {
		eventually(t, func() bool { _, err := out[0].resolver.get(context.Background(), x.self, true); return err == nil }, "resolve")
		eventually(t, func() bool { _, err := x.resolver.get(context.Background(), out[0].self, true); return err == nil }, "resolve")
	}
	return out
}

// makeGroup has ns[0] create a group with the others and waits until all
// are in.
func makeGroup(t *testing.T, ns []*Node) group.ID {
	t.Helper()
	var others []identity.AccountID
	for _, n := range ns[1:] {
		others = append(others, n.self)
	}
	id, err := ns[0].CreateGroup(context.Background(), "g", "", group.Settings{}, others...)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range ns {
		eventually(t, func() bool {
			info, err := n.GroupInfo(context.Background(), id)
			return err == nil && info.Status == storage.GroupActive && len(info.Members) == len(ns)
		}, "member")
	}
	return id
}

func hasText(t *testing.T, n *Node, id group.ID, text string) bool {
	t.Helper()
	h, err := n.GroupHistory(context.Background(), id, storage.MessageID{}, 1000)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range h {
		if m.Text == text {
			return true
		}
	}
	return false
}

// TestGroupRemovedCannotDecrypt: after a removal every remaining member
// rotates; what they send next is encrypted with keys the removed member
// never got, so it cannot decrypt it even with the envelope in hand.
func TestGroupRemovedCannotDecrypt(t *testing.T) {
	ns := nodes(t, 3)
	ctx := context.Background()
	a, b, c := ns[0], ns[1], ns[2]
	id := makeGroup(t, ns)
	before, err := a.SendGroup(ctx, id, "before")
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, func() bool { return hasText(t, c, id, "before") }, "c reads before")
	if err := a.RemoveGroupMember(ctx, id, c.self); err != nil {
		t.Fatal(err)
	}
	eventually(t, func() bool {
		info, err := b.GroupInfo(ctx, id)
		return err == nil && len(info.Members) == 2
	}, "b applies the removal")
	after, err := a.SendGroup(ctx, id, "after")
	if err != nil {
		t.Fatal(err)
	}
	fromB, err := b.SendGroup(ctx, id, "b after")
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, func() bool { return hasText(t, b, id, "after") && hasText(t, a, id, "b after") }, "a and b read each other")
	for _, m := range []struct {
		from *Node
		id   storage.MessageID
	}{{a, after}, {b, fromB}} {
		env := archived(t, m.from, id, m.id)
		err := c.groups.keys.GroupDecrypt(ctx, id.String(), e2e.Address{Account: env.sender, Device: env.device}, env.ct, nil)
		if !errors.Is(err, e2e.ErrNoSenderKey) {
			t.Fatalf("the removed member decrypting a message sent after: %v", err)
		}
	}
	// What was sent before still reads (with a key c holds).
	env := archived(t, a, id, before)
	if err := c.groups.keys.GroupDecrypt(ctx, id.String(), e2e.Address{Account: env.sender, Device: env.device}, env.ct, nil); !errors.Is(err, e2e.ErrReplay) {
		t.Fatalf("a message c read already: %v", err)
	}
	if hasText(t, c, id, "after") || hasText(t, c, id, "b after") {
		t.Fatal("the removed member holds a message sent after")
	}
}

// archived returns the envelope of n's own message id from its archive.
func archived(t *testing.T, n *Node, gid group.ID, id storage.MessageID) *groupEnvelope {
	t.Helper()
	all, err := n.store.ArchivedAfter(context.Background(), gid, storage.Account(n.self), n.device, 0, 1000, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range all {
		if e.ID == id {
			env, err := decodeGroupEnvelope(e.Raw)
			if err != nil {
				t.Fatal(err)
			}
			return env
		}
	}
	t.Fatalf("message %s not archived", id)
	return nil
}

// TestGroupRefusesForgeries: a stranger who knows the topic, a member's
// identity claimed by another peer, a removed member posting after its
// removal, and a control op signed by a member without the right role:
// none reaches history or changes the members, whichever way it arrives
// (the topic, a relay's mailbox, a repair).
func TestGroupRefusesForgeries(t *testing.T) {
	ns := nodes(t, 4)
	ctx := context.Background()
	a, b, c, stranger := ns[0], ns[1], ns[2], ns[3]
	id := makeGroup(t, ns[:3])
	run := a.groups.get(id)
	if _, err := c.SendGroup(ctx, id, "c was here"); err != nil {
		t.Fatal(err)
	}
	eventually(t, func() bool { return hasText(t, a, id, "c was here") && hasText(t, b, id, "c was here") }, "c's message")

	// The stranger learns the topic (as a removed member would) and
	// publishes with a sender key of its own, as itself and as b.
	topic := run.topic
	gc, err := stranger.groups.caster.Join(topic, func(context.Context, peer.ID, []byte) groupcast.Verdict { return groupcast.Accept })
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := stranger.groups.keys.SenderKey(ctx, id.String()); err != nil {
		t.Fatal(err)
	}
	forge := func(sender *Node, seq uint64, text string) []byte {
		mid := storage.NewMessageID(time.Now())
		pt, err := encodeGroupContent(&pb.GroupContent{MessageId: mid[:], Seq: seq, SentAtMs: time.Now().UnixMilli(), Body: &pb.GroupContent_Text{Text: &pb.Text{Body: text}}})
		if err != nil {
			t.Fatal(err)
		}
		ct, err := stranger.groups.keys.GroupEncrypt(ctx, id.String(), pt, nil)
		if err != nil {
			t.Fatal(err)
		}
		raw, err := encodeGroupEnvelope(id, sender.self, sender.device, mid, seq, ct)
		if err != nil {
			t.Fatal(err)
		}
		return raw
	}
	eventually(t, func() bool { return len(gc.Peers()) > 0 }, "stranger on the topic")
	asStranger := forge(stranger, 1, "from a stranger")
	asB := forge(b, 99, "forged as b")
	for _, raw := range [][]byte{asStranger, asB} {
		if err := gc.Publish(ctx, raw); err != nil {
			t.Fatal(err)
		}
		// As if a relay or a repairing member handed it over.
		a.takeGroupEnvelope(ctx, raw)
	}

	// A member without the role signs a removal and a rename is fine
	// for members (default settings); the removal is skipped everywhere.
	ops, err := b.groups.signOps(b.groups.get(id), &group.Remove{Account: a.self})
	if err != nil {
		t.Fatal(err)
	}
	if err := b.publishOps(ctx, b.groups.get(id), ops); err != nil {
		t.Fatal(err)
	}

	// c is removed, then posts with its still-valid old key, past its cut.
	if err := a.RemoveGroupMember(ctx, id, c.self); err != nil {
		t.Fatal(err)
	}
	eventually(t, func() bool {
		info, err := b.GroupInfo(ctx, id)
		return err == nil && len(info.Members) == 2
	}, "b applies the removal")
	cRun := c.groups.get(id)
	cRun.mu.Lock()
	seq := cRun.rec.Seq + 1
	cRun.mu.Unlock()
	mid := storage.NewMessageID(time.Now())
	pt, _ := encodeGroupContent(&pb.GroupContent{MessageId: mid[:], Seq: seq, SentAtMs: time.Now().UnixMilli(), Body: &pb.GroupContent_Text{Text: &pb.Text{Body: "after my removal"}}})
	ct, err := c.groups.keys.GroupEncrypt(ctx, id.String(), pt, nil)
	if err != nil {
		t.Fatal(err)
	}
	late, _ := encodeGroupEnvelope(id, c.self, c.device, mid, seq, ct)
	for _, n := range []*Node{a, b} {
		n.takeGroupEnvelope(ctx, late)
	}

	// A message that does count, to know everything before it was seen.
	if _, err := a.SendGroup(ctx, id, "marker"); err != nil {
		t.Fatal(err)
	}
	eventually(t, func() bool { return hasText(t, b, id, "marker") }, "marker")
	for _, n := range []*Node{a, b} {
		for _, text := range []string{"from a stranger", "forged as b", "after my removal"} {
			if hasText(t, n, id, text) {
				t.Fatalf("%q reached history", text)
			}
		}
		info, err := n.GroupInfo(ctx, id)
		if err != nil || info.Role == group.RoleNone && n == a {
			t.Fatalf("a's role after a forged removal: %+v %v", info, err)
		}
		ok := false
		for _, m := range info.Members {
			if m.Account == a.self && m.Role == group.RoleOwner {
				ok = true
			}
		}
		if !ok {
			t.Fatal("a member's removal of the owner took effect")
		}
	}
	if !hasText(t, b, id, "c was here") {
		t.Fatal("c's message from before its removal was dropped")
	}
	if errors.Is(run.log.Rejected(ops[0].Hash), group.ErrNotAllowed) == false {
		t.Fatalf("the forged removal: %v", run.log.Rejected(ops[0].Hash))
	}
}

// TestGroupInviteFlow: an invite link lets a stranger join through its
// maker; once revoked, nobody else can.
func TestGroupInviteFlow(t *testing.T) {
	ns := nodes(t, 4)
	ctx := context.Background()
	a, b, joiner, late := ns[0], ns[1], ns[2], ns[3]
	id := makeGroup(t, ns[:2])
	link, err := a.CreateGroupInvite(ctx, id, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := joiner.JoinGroup(ctx, link); err != nil || got != id {
		t.Fatalf("join: %v %v", got, err)
	}
	// JoinGroup returns once the group's log has arrived.
	if info, err := joiner.GroupInfo(ctx, id); err != nil || info.Status != storage.GroupActive || len(info.Members) != 3 {
		t.Fatalf("after join: %+v %v", info, err)
	}
	if _, err := joiner.SendGroup(ctx, id, "hi all"); err != nil {
		t.Fatal(err)
	}
	eventually(t, func() bool { return hasText(t, b, id, "hi all") }, "the joiner's message")
	if err := a.RevokeGroupInvite(ctx, link); err != nil {
		t.Fatal(err)
	}
	// The maker answers: the joiner gets a clear refusal.
	if _, err := late.JoinGroup(ctx, link); !errors.Is(err, ErrInviteRefused) || !strings.Contains(err.Error(), "revoked") || !strings.Contains(err.Error(), "ask for a new invite link") {
		t.Fatalf("join through a revoked invite: %v", err)
	}
	info, err := a.GroupInfo(ctx, id)
	if err != nil || len(info.Members) != 3 || len(info.Invites) != 0 {
		t.Fatalf("after a join through a revoked invite: %+v %v", info, err)
	}
	if _, err := late.GroupInfo(ctx, id); !errors.Is(err, ErrUnknownGroup) {
		t.Fatalf("the late joiner knows the group: %v", err)
	}
}

// TestGroupCloseLeavesNoGoroutines: a node in an active group (topic pump,
// worker, key hand-out, receipts) stops every goroutine it started.
func TestGroupCloseLeavesNoGoroutines(t *testing.T) {
	opts := []goleak.Option{
		goleak.IgnoreCurrent(),
		goleak.IgnoreAnyFunction("github.com/ipfs/go-log/v2/writer.(*MirrorWriter).logRoutine"),
		goleak.IgnoreAnyFunction("go.opencensus.io/stats/view.(*worker).start"),
		goleak.IgnoreAnyFunction("github.com/libp2p/go-libp2p/p2p/net/swarm.(*dialWorker).loop"),
	}
	a, b := pair(t)
	ctx := context.Background()
	eventually(t, func() bool { _, err := a.resolver.get(ctx, b.self, true); return err == nil }, "resolve")
	id, err := a.CreateGroup(ctx, "g", "", group.Settings{}, b.self)
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, func() bool {
		info, err := b.GroupInfo(ctx, id)
		return err == nil && info.Status == storage.GroupActive
	}, "joined")
	if _, err := b.SendGroup(ctx, id, "hello"); err != nil {
		t.Fatal(err)
	}
	eventually(t, func() bool { return hasText(t, a, id, "hello") }, "received")
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	goleak.VerifyNone(t, opts...)
}

// TestGroupMembersShareDeviceLists: members learn each other's device
// lists from the group (the welcome, the topic), not from one DHT lookup
// per member; a list that does not verify is dropped.
func TestGroupMembersShareDeviceLists(t *testing.T) {
	ns := nodes(t, 4)
	makeGroup(t, ns)
	ctx := context.Background()
	for _, a := range ns[1:] {
		for _, b := range ns[1:] {
			if a == b {
				continue
			}
			eventually(t, func() bool { return a.resolver.known(ctx, b.self) != nil }, "member list")
			a.resolver.mu.Lock()
			looked := a.resolver.fetched[b.self]
			a.resolver.mu.Unlock()
			if !looked.IsZero() {
				t.Errorf("%s looked %s up in the DHT", a.self.Short(), b.self.Short())
			}
		}
	}
	// A tampered list is not kept.
	raw, err := ns[2].store.DeviceList(ctx, storageAccount(ns[2].self))
	if err != nil {
		t.Fatal(err)
	}
	bad := append([]byte(nil), raw...)
	bad[len(bad)-1] ^= 1
	m := ns[1]
	if kept := m.rememberLists(ctx, ns[2].self, group.ID{}, [][]byte{bad}); kept != 0 {
		t.Fatal("a tampered list was kept")
	}
	if got, _ := m.store.DeviceList(ctx, storageAccount(ns[2].self)); bytes.Equal(got, bad) {
		t.Fatal("a tampered list was stored")
	}
}

// TestGroupLateViewKeepsNewcomerReading: a member that sends before it
// learns of an addition, and rotates its key (a departure it saw first)
// before it learns of it, still hands the newcomer the keys of everything
// it sent after the addition, and nothing from before.
func TestGroupLateViewKeepsNewcomerReading(t *testing.T) {
	t.Run("rotated", func(t *testing.T) { testLateView(t, true) })
	t.Run("same key", func(t *testing.T) { testLateView(t, false) })
}

func testLateView(t *testing.T, rotate bool) {
	ns := nodes(t, 3)
	ctx := context.Background()
	a, m, late := ns[0], ns[1], ns[2]
	id := makeGroup(t, ns[:2])
	if _, err := m.SendGroup(ctx, id, "before"); err != nil {
		t.Fatal(err)
	}
	eventually(t, func() bool { return hasText(t, a, id, "before") }, "before received")

	// a adds late, but m does not hear of it yet.
	runA, runM := a.groups.get(id), m.groups.get(id)
	ops, err := a.groups.signOps(runA, &group.Add{Account: late.self, Role: group.RoleMember})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.groups.commitOps(ctx, runA, ops); err != nil {
		t.Fatal(err)
	}
	eventually(t, func() bool { return uint64(time.Now().UnixMilli()) > ops[0].Clock }, "clock past the addition")
	// m sends with its key, then drops it (as for a departure) and sends
	// with a new one.
	if _, err := m.SendGroup(ctx, id, "lagging"); err != nil {
		t.Fatal(err)
	}
	if rotate {
		m.groups.rotateKey(ctx, runM)
	}
	if _, err := m.SendGroup(ctx, id, "rotated"); err != nil {
		t.Fatal(err)
	}
	runM.mu.Lock()
	retired := len(runM.rec.Retired)
	runM.mu.Unlock()
	if want := map[bool]int{true: 1}[rotate]; retired != want {
		t.Fatalf("%d retired keys", retired)
	}

	// Now m hears of the addition, and late gets its welcome.
	if err := a.publishOps(ctx, runA, ops); err != nil {
		t.Fatal(err)
	}
	eventually(t, func() bool {
		runM.mu.Lock()
		defer runM.mu.Unlock()
		return runM.log.State().IsMember(late.self)
	}, "m sees the addition")
	a.groups.sendWelcome(ctx, runA, late.self)
	for _, text := range []string{"lagging", "rotated"} {
		eventually(t, func() bool {
			_, err := late.GroupInfo(ctx, id)
			return err == nil && hasText(t, late, id, text)
		}, "late reads "+text)
	}
	if hasText(t, late, id, "before") {
		t.Fatal("late read a message sent before it was added")
	}
}

// TestGroupRemovedByConcurrentRemovalGetsKey: two admins remove each
// other; the winner (its op sorts first, sent with a key nobody holds yet)
// folds the loser's op before its own and looks removed for a moment; the
// loser still gets the key and learns it was removed.
func TestGroupRemovedByConcurrentRemovalGetsKey(t *testing.T) {
	ns := nodes(t, 3)
	ctx := context.Background()
	owner, x, y := ns[0], ns[1], ns[2]
	id := makeGroup(t, ns)
	for _, a := range []*Node{x, y} {
		if err := owner.SetGroupRole(ctx, id, a.self, group.RoleAdmin); err != nil {
			t.Fatal(err)
		}
	}
	runX, runY := x.groups.get(id), y.groups.get(id)
	for _, run := range []*groupRun{runX, runY} {
		eventually(t, func() bool {
			run.mu.Lock()
			defer run.mu.Unlock()
			st := run.log.State()
			return st.Role(x.self) == group.RoleAdmin && st.Role(y.self) == group.RoleAdmin
		}, "admins")
	}
	// x's op goes out with a key nobody holds yet (as when it is x's first
	// message, or x just rotated) ...
	x.groups.rotateKey(ctx, runX)
	// ... and x removes y first (its op sorts first) ...
	runX.mu.Lock()
	planned := runX.log.State().Clone()
	runX.mu.Unlock()
	opsX, err := x.groups.signOps(runX, &group.Remove{Account: y.self})
	if err != nil {
		t.Fatal(err)
	}
	if err := x.publishOps(ctx, runX, opsX); err != nil {
		t.Fatal(err)
	}
	eventually(t, func() bool { return uint64(time.Now().UnixMilli()) > opsX[0].Clock }, "clock past x's op")
	// ... but y's removal of x reaches x before x hands out its key.
	opsY, err := y.groups.signOps(runY, &group.Remove{Account: x.self})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := y.groups.commitOps(ctx, runY, opsY); err != nil {
		t.Fatal(err)
	}
	if _, err := x.groups.commitOps(ctx, runX, opsY); err != nil {
		t.Fatal(err)
	}
	runX.mu.Lock()
	removed := !runX.log.State().IsMember(x.self)
	runX.mu.Unlock()
	if !removed {
		t.Fatal("x does not look removed")
	}
	x.groups.distributeKeyIn(ctx, runX, planned)
	if _, err := x.groups.commitOps(ctx, runX, opsX); err != nil {
		t.Fatal(err)
	}
	eventually(t, func() bool {
		info, err := x.GroupInfo(ctx, id)
		return err == nil && info.Status == storage.GroupActive
	}, "x's removal wins at x")
	eventually(t, func() bool {
		info, err := y.GroupInfo(ctx, id)
		return err == nil && info.Status == storage.GroupRemoved
	}, "y learns it was removed")
}

// TestGroupRemovedMemberTakesEarlierMessages: a member away while a
// message was sent and it was then removed gets both from its relay's
// mailbox and from a repair at once; when it folds the removal first, the
// message sent before the removal still reaches its history, and what was
// sent after does not.
func TestGroupRemovedMemberTakesEarlierMessages(t *testing.T) {
	ns := nodes(t, 3)
	ctx := context.Background()
	a, c := ns[0], ns[2]
	id := makeGroup(t, ns)
	first, err := a.SendGroup(ctx, id, "first")
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, func() bool { return hasText(t, c, id, "first") }, "first")
	// c is away: no topic, no repair.
	c.groups.deactivate(c.groups.get(id))
	if _, err := a.SendGroup(ctx, id, "while c is away"); err != nil {
		t.Fatal(err)
	}
	if err := a.RemoveGroupMember(ctx, id, c.self); err != nil {
		t.Fatal(err)
	}
	if _, err := a.SendGroup(ctx, id, "after c left"); err != nil {
		t.Fatal(err)
	}
	all, err := a.store.ArchivedAfter(ctx, id, storage.Account(a.self), a.device, archived(t, a, id, first).seq, 10, 1<<30)
	if err != nil || len(all) != 3 {
		t.Fatalf("a's archive after its first message: %d, %v", len(all), err)
	}
	// The removal (a's second message after "first") lands first.
	for _, i := range []int{1, 0, 2} {
		c.takeGroupEnvelope(ctx, all[i].Raw)
	}
	if st := groupStatusOf(t, c, id); st != storage.GroupRemoved {
		t.Fatalf("c's status: %v", st)
	}
	if !hasText(t, c, id, "while c is away") {
		t.Fatal("the message sent before the removal was dropped")
	}
	if hasText(t, c, id, "after c left") {
		t.Fatal("the removed member holds a message sent after")
	}
}

func groupStatusOf(t *testing.T, n *Node, id group.ID) storage.GroupStatus {
	t.Helper()
	info, err := n.GroupInfo(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return info.Status
}

// TestResolverFallsBackToCertificates: with no device list in the DHT or
// the cache, an account whose device certificate this node verified (it
// wrote to us) still resolves to that device; an unknown one does not.
func TestResolverFallsBackToCertificates(t *testing.T) {
	a, _ := pair(t)
	ctx := context.Background()
	acct, err := identity.NewAccount()
	if err != nil {
		t.Fatal(err)
	}
	signed, err := acct.IssueCertificate(3, a.host.ID(), append([]byte{5}, make([]byte, 32)...), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	cert, err := identity.VerifyCertificate(signed)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.resolver.get(ctx, acct.ID(), false); !errors.Is(err, ErrUnknownAccount) {
		t.Fatalf("an account nobody published: %v", err)
	}
	a.resolver.rememberCert(cert)
	l, err := a.resolver.get(ctx, acct.ID(), true)
	if err != nil {
		t.Fatal(err)
	}
	if d, ok := l.Device(3); !ok || d.Cert.PeerID != a.host.ID() || len(l.Devices) != 1 {
		t.Fatalf("list from certificates: %+v", l)
	}
	if a.resolver.known(ctx, acct.ID()) != nil {
		t.Fatal("a list made from certificates was cached")
	}
}
