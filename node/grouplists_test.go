package node

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/protocol/group"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

// olderList returns the list of n's account that holder holds, and n's
// account's signature of it with an older version: valid, but older.
func olderList(t *testing.T, n, holder *Node) (older, current []byte) {
	t.Helper()
	ctx := context.Background()
	current, err := holder.store.DeviceList(ctx, storageAccount(n.self))
	if err != nil {
		t.Fatal(err)
	}
	l, err := identity.OpenDeviceList(current)
	if err != nil {
		t.Fatal(err)
	}
	l.Version--
	older, err = n.account.SignDeviceList(l)
	if err != nil {
		t.Fatal(err)
	}
	return older, current
}

// forgetCached drops a's list from n's memory, as a restart does.
func forgetCached(n *Node, a identity.AccountID) {
	n.resolver.mu.Lock()
	delete(n.resolver.lists, a)
	n.resolver.mu.Unlock()
}

// sendControl sends a pairwise group control message from one node to
// another and waits until it was delivered.
func sendControl(t testing.TB, from, to *Node, gc *pb.GroupControl) {
	t.Helper()
	ctx := context.Background()
	if err := from.queuePairwise(ctx, to.self, &pb.Content{Body: &pb.Content_Group{Group: gc}}); err != nil {
		t.Fatal(err)
	}
	eventually(t, func() bool {
		items, err := from.store.Outbox(ctx)
		return err == nil && len(items) == 0
	}, "control message delivered")
}

func versionOf(t *testing.T, raw []byte) uint64 {
	t.Helper()
	l, err := identity.OpenDeviceList(raw)
	if err != nil {
		t.Fatal(err)
	}
	return l.Version
}

func storedVersion(t *testing.T, n *Node, a identity.AccountID) uint64 {
	t.Helper()
	raw, err := n.store.DeviceList(context.Background(), storageAccount(a))
	if errors.Is(err, storage.ErrNotFound) {
		return 0
	}
	if err != nil {
		t.Fatal(err)
	}
	l, err := identity.OpenDeviceList(raw)
	if err != nil {
		t.Fatal(err)
	}
	return l.Version
}

// TestDeviceListRollbackByStranger is the report's attack: a stranger
// sends, pairwise, a validly signed older device list of someone else in a
// GroupControl for a random group. Neither the older list nor a list of an
// account the node never looked up is kept, whether or not the current
// list is in memory.
func TestDeviceListRollbackByStranger(t *testing.T) {
	ns := nodes(t, 3)
	ctx := context.Background()
	victim, owner, stranger := ns[0], ns[1], ns[2]
	if _, err := victim.resolver.get(ctx, owner.self, true); err != nil {
		t.Fatal(err)
	}
	older, current := olderList(t, owner, victim)
	fresh, err := identity.NewAccount()
	if err != nil {
		t.Fatal(err)
	}
	unknown, err := fresh.SignDeviceList(&identity.DeviceList{Version: 5})
	if err != nil {
		t.Fatal(err)
	}
	for _, cached := range []bool{false, true} {
		if !cached {
			forgetCached(victim, owner.self) // as after a restart
		}
		gid := randomGroup()
		sendControl(t, stranger, victim, &pb.GroupControl{GroupId: gid[:], Body: &pb.GroupControl_DeviceLists{DeviceLists: &pb.DeviceLists{Lists: [][]byte{older, unknown}}}})
		// (The victim may look a newer one up meanwhile: fine.)
		if v := storedVersion(t, victim, owner.self); v < versionOf(t, current) {
			t.Fatalf("cached %v: a stranger rolled the stored list back", cached)
		}
		if l, err := victim.resolver.get(ctx, owner.self, false); err != nil || l.Version < versionOf(t, current) {
			t.Fatalf("cached %v: the node uses %v, %v", cached, l, err)
		}
		if v := storedVersion(t, victim, fresh.ID()); v != 0 {
			t.Fatalf("cached %v: a stranger planted a list of an account the node never looked up", cached)
		}
	}
	// The account's own device may hand over its list.
	if kept := victim.rememberLists(ctx, fresh.ID(), randomGroup(), [][]byte{unknown}); kept != 1 {
		t.Fatal("an account's own list was not kept")
	}
}

// TestDeviceListFromMembers: a member passes on lists of members only, and
// never rolls one back: not pairwise, not on the topic.
func TestDeviceListFromMembers(t *testing.T) {
	ns := nodes(t, 4)
	ctx := context.Background()
	creator, a, m, outsider := ns[0], ns[1], ns[2], ns[3]
	id := makeGroup(t, ns[:3])
	eventually(t, func() bool { return a.resolver.known(ctx, creator.self) != nil }, "a holds the creator's list")
	olderCreator, currentCreator := olderList(t, creator, a)
	outsiderList, err := outsider.store.DeviceList(ctx, storageAccount(outsider.self))
	if err != nil {
		t.Fatal(err)
	}
	if a.resolver.known(ctx, outsider.self) != nil {
		t.Fatal("a already holds the outsider's list")
	}
	forgetCached(a, creator.self) // as after a restart

	// Pairwise.
	sendControl(t, m, a, &pb.GroupControl{GroupId: id[:], Body: &pb.GroupControl_DeviceLists{DeviceLists: &pb.DeviceLists{Lists: [][]byte{olderCreator, outsiderList}}}})
	// On the topic.
	run := m.groups.get(id)
	if _, err := m.publishGroup(ctx, run, groupPublish{anyone: true, build: func(uint64) (*pb.GroupContent, error) {
		return &pb.GroupContent{Body: &pb.GroupContent_DeviceLists{DeviceLists: &pb.DeviceLists{Lists: [][]byte{olderCreator, outsiderList}}}}, nil
	}}); err != nil {
		t.Fatal(err)
	}
	run.mu.Lock()
	seq := run.rec.Seq
	run.mu.Unlock()
	eventually(t, func() bool {
		senders, err := a.store.GroupSenders(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range senders {
			if identity.AccountID(s.Account) == m.self && s.Seq >= seq {
				return true
			}
		}
		return false
	}, "a took m's message")
	if v := storedVersion(t, a, creator.self); v < versionOf(t, currentCreator) {
		t.Fatal("a member rolled a member's list back")
	}
	if v := storedVersion(t, a, outsider.self); v != 0 {
		t.Fatal("a member spoke for an account that is not a member")
	}
	if a.resolver.cached(outsider.self) != nil {
		t.Fatal("the outsider's list is cached")
	}
}

// TestDeviceListOlderFromDHT: a list the DHT hands back that is older than
// the stored one (a DHT node that missed the last put) does not replace
// it, even with nothing in memory.
func TestDeviceListOlderFromDHT(t *testing.T) {
	a, b := pair(t)
	ctx := context.Background()
	acct, err := identity.NewAccount()
	if err != nil {
		t.Fatal(err)
	}
	v1, err := acct.SignDeviceList(&identity.DeviceList{Version: 1})
	if err != nil {
		t.Fatal(err)
	}
	v2, err := acct.SignDeviceList(&identity.DeviceList{Version: 2})
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, func() bool {
		pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		return a.dht.PutValue(pctx, identity.DeviceListKey(acct.ID()), v1) == nil
	}, "put v1 in the DHT")
	// b had v2 from the account itself, then restarted.
	if kept := b.rememberLists(ctx, acct.ID(), group.ID{}, [][]byte{v2}); kept != 1 {
		t.Fatal("v2 not kept")
	}
	forgetCached(b, acct.ID())
	l, err := b.resolver.get(ctx, acct.ID(), true)
	if err != nil || l.Version != 2 {
		t.Fatalf("resolved %v, %v; want version 2", l, err)
	}
	if v := storedVersion(t, b, acct.ID()); v != 2 {
		t.Fatalf("stored version %d after the DHT gave version 1", v)
	}
	b.resolver.mu.Lock()
	looked := !b.resolver.fetched[acct.ID()].IsZero()
	b.resolver.mu.Unlock()
	if !looked {
		t.Fatal("the DHT was not asked")
	}
	// get loads the stored list into memory before it asks the DHT; the
	// lookup itself must not depend on that.
	forgetCached(b, acct.ID())
	if l, err := b.resolver.fetch(ctx, acct.ID()); err != nil || l.Version != 2 {
		t.Fatalf("looked up %v, %v; want version 2", l, err)
	}
	if v := storedVersion(t, b, acct.ID()); v != 2 {
		t.Fatalf("a lookup stored version %d over version 2", v)
	}
}
