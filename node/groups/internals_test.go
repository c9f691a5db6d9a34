package groups_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/groups"
	"github.com/pigeon-net/pigeon/protocol/e2e"
	"github.com/pigeon-net/pigeon/protocol/group"
	"github.com/pigeon-net/pigeon/storage"
)

// TestGroupRemovedCannotDecrypt: after a removal every remaining member
// rotates; what they send next is encrypted with keys the removed member
// never got, so it cannot decrypt it even with the envelope in hand.
func TestGroupRemovedCannotDecrypt(t *testing.T) {
	_, ns := nodes(t, 3)
	ctx := context.Background()
	a, b, c := ns[0], ns[1], ns[2]
	id := makeGroup(t, ns)
	before, err := a.Groups().Send(ctx, id, "before")
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, func() bool { return hasText(t, c, id, "before") }, "c reads before")
	if err := a.Groups().RemoveMember(ctx, id, self(c)); err != nil {
		t.Fatal(err)
	}
	eventually(t, func() bool {
		info, err := b.Groups().Info(ctx, id)
		return err == nil && len(info.Members) == 2
	}, "b applies the removal")
	after, err := a.Groups().Send(ctx, id, "after")
	if err != nil {
		t.Fatal(err)
	}
	fromB, err := b.Groups().Send(ctx, id, "b after")
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, func() bool { return hasText(t, b, id, "after") && hasText(t, a, id, "b after") }, "a and b read each other")
	for _, m := range []struct {
		from *node.Node
		id   core.MessageID
	}{{a, after}, {b, fromB}} {
		env := archived(t, m.from, id, m.id)
		if err := hooks(c).TryDecrypt(ctx, env.Raw); !errors.Is(err, e2e.ErrNoSenderKey) {
			t.Fatalf("the removed member decrypting a message sent after: %v", err)
		}
	}
	// What was sent before still reads (with a key c holds).
	env := archived(t, a, id, before)
	if err := hooks(c).TryDecrypt(ctx, env.Raw); !errors.Is(err, e2e.ErrReplay) {
		t.Fatalf("a message c read already: %v", err)
	}
	if hasText(t, c, id, "after") || hasText(t, c, id, "b after") {
		t.Fatal("the removed member holds a message sent after")
	}
}

// archived returns n's own message id of group gid from its archive.
func archived(t *testing.T, n *node.Node, gid core.GroupID, id core.MessageID) storage.ArchivedEnvelope {
	t.Helper()
	all, err := hooks(n).OwnArchive(context.Background(), gid)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range all {
		if e.ID == storage.MessageID(id) {
			return e
		}
	}
	t.Fatalf("message %s not archived", id)
	return storage.ArchivedEnvelope{}
}

// TestGroupRefusesForgeries: a stranger who knows the topic, a member's
// identity claimed by another peer, a removed member posting after its
// removal, and a control op signed by a member without the right role:
// none reaches history or changes the members, whichever way it arrives
// (the topic, a relay's mailbox, a repair).
func TestGroupRefusesForgeries(t *testing.T) {
	_, ns := nodes(t, 4)
	ctx := context.Background()
	a, b, c, stranger := ns[0], ns[1], ns[2], ns[3]
	id := makeGroup(t, ns[:3])
	if _, err := c.Groups().Send(ctx, id, "c was here"); err != nil {
		t.Fatal(err)
	}
	eventually(t, func() bool { return hasText(t, a, id, "c was here") && hasText(t, b, id, "c was here") }, "c's message")

	// The stranger learns the topic (as a removed member would) and
	// publishes with a sender key of its own, as itself and as b.
	gc, err := hooks(stranger).JoinTopic(hooks(a).Topic(id))
	if err != nil {
		t.Fatal(err)
	}
	forge := func(sender *node.Node, seq uint64, text string) []byte {
		raw, err := hooks(stranger).Forge(ctx, id, self(sender), sender.Info().Device, seq, text)
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
		a.Groups().TakeEnvelope(ctx, raw)
	}

	// A member without the role signs a removal and a rename is fine
	// for members (default settings); the removal is skipped everywhere.
	ops, err := hooks(b).SignOps(id, &group.Remove{Account: member(a)})
	if err != nil {
		t.Fatal(err)
	}
	if err := hooks(b).PublishOps(ctx, id, ops); err != nil {
		t.Fatal(err)
	}

	// c is removed, then posts with its still-valid old key, past its cut.
	if err := a.Groups().RemoveMember(ctx, id, self(c)); err != nil {
		t.Fatal(err)
	}
	eventually(t, func() bool {
		info, err := b.Groups().Info(ctx, id)
		return err == nil && len(info.Members) == 2
	}, "b applies the removal")
	late, err := hooks(c).Forge(ctx, id, self(c), c.Info().Device, hooks(c).Seq(id)+1, "after my removal")
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []*node.Node{a, b} {
		n.Groups().TakeEnvelope(ctx, late)
	}

	// A message that does count, to know everything before it was seen.
	if _, err := a.Groups().Send(ctx, id, "marker"); err != nil {
		t.Fatal(err)
	}
	eventually(t, func() bool { return hasText(t, b, id, "marker") }, "marker")
	for _, n := range []*node.Node{a, b} {
		for _, text := range []string{"from a stranger", "forged as b", "after my removal"} {
			if hasText(t, n, id, text) {
				t.Fatalf("%q reached history", text)
			}
		}
		info, err := n.Groups().Info(ctx, id)
		if err != nil || info.Role == groups.RoleNone && n == a {
			t.Fatalf("a's role after a forged removal: %+v %v", info, err)
		}
		ok := false
		for _, m := range info.Members {
			if m.Account == self(a) && m.Role == groups.RoleOwner {
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
	if err := hooks(a).Rejected(id, ops[0].Hash); !errors.Is(err, group.ErrNotAllowed) {
		t.Fatalf("the forged removal: %v", err)
	}
}

// TestGroupInviteFlow: an invite link lets a stranger join through its
// maker; once revoked, nobody else can.
func TestGroupInviteFlow(t *testing.T) {
	_, ns := nodes(t, 4)
	ctx := context.Background()
	a, b, joiner, late := ns[0], ns[1], ns[2], ns[3]
	id := makeGroup(t, ns[:2])
	link, err := a.Groups().CreateInvite(ctx, id, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := joiner.Groups().Join(ctx, link); err != nil || got != id {
		t.Fatalf("join: %v %v", got, err)
	}
	// Join returns once the group's log has arrived.
	if info, err := joiner.Groups().Info(ctx, id); err != nil || info.Status != groups.Active || len(info.Members) != 3 {
		t.Fatalf("after join: %+v %v", info, err)
	}
	if _, err := joiner.Groups().Send(ctx, id, "hi all"); err != nil {
		t.Fatal(err)
	}
	eventually(t, func() bool { return hasText(t, b, id, "hi all") }, "the joiner's message")
	if err := a.Groups().RevokeInvite(ctx, link); err != nil {
		t.Fatal(err)
	}
	// The maker answers: the joiner gets a clear refusal.
	if _, err := late.Groups().Join(ctx, link); !errors.Is(err, groups.ErrInviteRefused) || !strings.Contains(err.Error(), "revoked") || !strings.Contains(err.Error(), "ask for a new invite link") {
		t.Fatalf("join through a revoked invite: %v", err)
	}
	info, err := a.Groups().Info(ctx, id)
	if err != nil || len(info.Members) != 3 || len(info.Invites) != 0 {
		t.Fatalf("after a join through a revoked invite: %+v %v", info, err)
	}
	if _, err := late.Groups().Info(ctx, id); !errors.Is(err, groups.ErrUnknownGroup) {
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
	nw, ns := nodes(t, 2)
	a, b := ns[0], ns[1]
	ctx := context.Background()
	id, err := a.Groups().Create(ctx, "g", "", groups.Settings{}, self(b))
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, func() bool {
		info, err := b.Groups().Info(ctx, id)
		return err == nil && info.Status == groups.Active
	}, "joined")
	if _, err := b.Groups().Send(ctx, id, "hello"); err != nil {
		t.Fatal(err)
	}
	eventually(t, func() bool { return hasText(t, a, id, "hello") }, "received")
	nw.Stop(1)
	nw.Stop(0)
	goleak.VerifyNone(t, opts...)
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
	_, ns := nodes(t, 3)
	ctx := context.Background()
	a, m, late := ns[0], ns[1], ns[2]
	id := makeGroup(t, ns[:2])
	if _, err := m.Groups().Send(ctx, id, "before"); err != nil {
		t.Fatal(err)
	}
	eventually(t, func() bool { return hasText(t, a, id, "before") }, "before received")

	// a adds late, but m does not hear of it yet.
	ops, err := hooks(a).SignOps(id, &group.Add{Account: member(late), Role: group.RoleMember})
	if err != nil {
		t.Fatal(err)
	}
	if err := hooks(a).CommitOps(ctx, id, ops); err != nil {
		t.Fatal(err)
	}
	eventually(t, func() bool { return uint64(time.Now().UnixMilli()) > ops[0].Clock }, "clock past the addition")
	// m sends with its key, then drops it (as for a departure) and sends
	// with a new one.
	if _, err := m.Groups().Send(ctx, id, "lagging"); err != nil {
		t.Fatal(err)
	}
	if rotate {
		hooks(m).RotateKey(ctx, id)
	}
	if _, err := m.Groups().Send(ctx, id, "rotated"); err != nil {
		t.Fatal(err)
	}
	if want := map[bool]int{true: 1}[rotate]; hooks(m).Retired(id) != want {
		t.Fatalf("%d retired keys", hooks(m).Retired(id))
	}

	// Now m hears of the addition, and late gets its welcome.
	if err := hooks(a).PublishOps(ctx, id, ops); err != nil {
		t.Fatal(err)
	}
	eventually(t, func() bool { return hooks(m).State(id).IsMember(member(late)) }, "m sees the addition")
	hooks(a).SendWelcome(ctx, id, self(late))
	for _, text := range []string{"lagging", "rotated"} {
		eventually(t, func() bool {
			_, err := late.Groups().Info(ctx, id)
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
	_, ns := nodes(t, 3)
	ctx := context.Background()
	owner, x, y := ns[0], ns[1], ns[2]
	id := makeGroup(t, ns)
	for _, a := range []*node.Node{x, y} {
		if err := owner.Groups().SetRole(ctx, id, self(a), groups.RoleAdmin); err != nil {
			t.Fatal(err)
		}
	}
	for _, n := range []*node.Node{x, y} {
		eventually(t, func() bool {
			st := hooks(n).State(id)
			return st.Role(member(x)) == group.RoleAdmin && st.Role(member(y)) == group.RoleAdmin
		}, "admins")
	}
	// x's op goes out with a key nobody holds yet (as when it is x's first
	// message, or x just rotated) ...
	hooks(x).RotateKey(ctx, id)
	// ... and x removes y first (its op sorts first) ...
	planned := hooks(x).State(id)
	opsX, err := hooks(x).SignOps(id, &group.Remove{Account: member(y)})
	if err != nil {
		t.Fatal(err)
	}
	if err := hooks(x).PublishOps(ctx, id, opsX); err != nil {
		t.Fatal(err)
	}
	eventually(t, func() bool { return uint64(time.Now().UnixMilli()) > opsX[0].Clock }, "clock past x's op")
	// ... but y's removal of x reaches x before x hands out its key.
	opsY, err := hooks(y).SignOps(id, &group.Remove{Account: member(x)})
	if err != nil {
		t.Fatal(err)
	}
	if err := hooks(y).CommitOps(ctx, id, opsY); err != nil {
		t.Fatal(err)
	}
	if err := hooks(x).CommitOps(ctx, id, opsY); err != nil {
		t.Fatal(err)
	}
	if hooks(x).State(id).IsMember(member(x)) {
		t.Fatal("x does not look removed")
	}
	hooks(x).DistributeKeyIn(ctx, id, planned)
	if err := hooks(x).CommitOps(ctx, id, opsX); err != nil {
		t.Fatal(err)
	}
	eventually(t, func() bool {
		info, err := x.Groups().Info(ctx, id)
		return err == nil && info.Status == groups.Active
	}, "x's removal wins at x")
	eventually(t, func() bool {
		info, err := y.Groups().Info(ctx, id)
		return err == nil && info.Status == groups.Removed
	}, "y learns it was removed")
}

// TestGroupRemovedMemberTakesEarlierMessages: a member away while a
// message was sent and it was then removed gets both from its relay's
// mailbox and from a repair at once; when it folds the removal first, the
// message sent before the removal still reaches its history, and what was
// sent after does not.
func TestGroupRemovedMemberTakesEarlierMessages(t *testing.T) {
	_, ns := nodes(t, 3)
	ctx := context.Background()
	a, c := ns[0], ns[2]
	id := makeGroup(t, ns)
	first, err := a.Groups().Send(ctx, id, "first")
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, func() bool { return hasText(t, c, id, "first") }, "first")
	// c is away: no topic, no repair.
	hooks(c).Deactivate(id)
	if _, err := a.Groups().Send(ctx, id, "while c is away"); err != nil {
		t.Fatal(err)
	}
	if err := a.Groups().RemoveMember(ctx, id, self(c)); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Groups().Send(ctx, id, "after c left"); err != nil {
		t.Fatal(err)
	}
	own, err := hooks(a).OwnArchive(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	var all []storage.ArchivedEnvelope
	for _, e := range own {
		if e.Seq > archived(t, a, id, first).Seq {
			all = append(all, e)
		}
	}
	if len(all) != 3 {
		t.Fatalf("a's archive after its first message: %d", len(all))
	}
	// The removal (a's second message after "first") lands first.
	for _, i := range []int{1, 0, 2} {
		c.Groups().TakeEnvelope(ctx, all[i].Raw)
	}
	if st := groupStatusOf(t, c, id); st != groups.Removed {
		t.Fatalf("c's status: %v", st)
	}
	if !hasText(t, c, id, "while c is away") {
		t.Fatal("the message sent before the removal was dropped")
	}
	if hasText(t, c, id, "after c left") {
		t.Fatal("the removed member holds a message sent after")
	}
}
