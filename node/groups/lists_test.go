package groups_test

import (
	"context"
	"errors"
	"testing"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

// olderList returns the list of n's account that holder holds, and n's
// account's signature of it with an older version: valid, but older.
func olderList(t *testing.T, n, holder *node.Node) (older, current []byte) {
	t.Helper()
	ctx := context.Background()
	current, err := hooks(holder).StoredList(ctx, self(n))
	if err != nil {
		t.Fatal(err)
	}
	l, err := identity.OpenDeviceList(current)
	if err != nil {
		t.Fatal(err)
	}
	l.Version--
	seed, err := n.AccountSeed()
	if err != nil {
		t.Fatal(err)
	}
	acct, err := identity.AccountFromSeed(seed)
	if err != nil {
		t.Fatal(err)
	}
	older, err = acct.SignDeviceList(l)
	if err != nil {
		t.Fatal(err)
	}
	return older, current
}

func versionOf(t *testing.T, raw []byte) uint64 {
	t.Helper()
	l, err := identity.OpenDeviceList(raw)
	if err != nil {
		t.Fatal(err)
	}
	return l.Version
}

func storedVersion(t *testing.T, n *node.Node, a core.AccountID) uint64 {
	t.Helper()
	raw, err := hooks(n).StoredList(context.Background(), a)
	if errors.Is(err, storage.ErrNotFound) {
		return 0
	}
	if err != nil {
		t.Fatal(err)
	}
	return versionOf(t, raw)
}

// TestDeviceListRollbackByStranger is the report's attack: a stranger
// sends, pairwise, a validly signed older device list of someone else in a
// GroupControl for a random group. Neither the older list nor a list of an
// account the node never looked up is kept, whether or not the current
// list is in memory (it is not after a restart).
func TestDeviceListRollbackByStranger(t *testing.T) {
	nw, ns := nodes(t, 3)
	ctx := context.Background()
	// The victim is not node 0, which the others bootstrap from: it
	// restarts.
	owner, victim, stranger := ns[0], ns[1], ns[2]
	if err := hooks(victim).Resolve(ctx, self(owner), true); err != nil {
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
			victim = nw.Restart(1) // the owner's list is in the store only
		}
		gid := randomGroup()
		sendControl(t, stranger, victim, &pb.GroupControl{GroupId: gid[:], Body: &pb.GroupControl_DeviceLists{DeviceLists: &pb.DeviceLists{Lists: [][]byte{older, unknown}}}})
		// (The victim may look a newer one up meanwhile: fine.)
		if v := storedVersion(t, victim, self(owner)); v < versionOf(t, current) {
			t.Fatalf("cached %v: a stranger rolled the stored list back", cached)
		}
		if l, err := hooks(victim).Get(ctx, self(owner), false); err != nil || l.Version < versionOf(t, current) {
			t.Fatalf("cached %v: the node uses %v, %v", cached, l, err)
		}
		if v := storedVersion(t, victim, core.AccountID(fresh.ID())); v != 0 {
			t.Fatalf("cached %v: a stranger planted a list of an account the node never looked up", cached)
		}
	}
	// The account's own device may hand over its list.
	if kept := hooks(victim).RememberLists(ctx, core.AccountID(fresh.ID()), randomGroup(), [][]byte{unknown}); kept != 1 {
		t.Fatal("an account's own list was not kept")
	}
}

// TestDeviceListFromMembers: a member passes on lists of members only, and
// never rolls one back: not pairwise, not on the topic.
func TestDeviceListFromMembers(t *testing.T) {
	nw, ns := nodes(t, 4)
	ctx := context.Background()
	creator, a, m, outsider := ns[0], ns[1], ns[2], ns[3]
	id := makeGroup(t, ns[:3])
	eventually(t, func() bool { return hooks(a).Known(ctx, self(creator)) }, "a holds the creator's list")
	olderCreator, currentCreator := olderList(t, creator, a)
	outsiderList, err := hooks(outsider).StoredList(ctx, self(outsider))
	if err != nil {
		t.Fatal(err)
	}
	if hooks(a).Known(ctx, self(outsider)) {
		t.Fatal("a already holds the outsider's list")
	}
	a = nw.Restart(1) // the creator's list is in a's store only

	// Pairwise.
	sendControl(t, m, a, &pb.GroupControl{GroupId: id[:], Body: &pb.GroupControl_DeviceLists{DeviceLists: &pb.DeviceLists{Lists: [][]byte{olderCreator, outsiderList}}}})
	// On the topic.
	seq, err := hooks(m).PublishLists(ctx, id, [][]byte{olderCreator, outsiderList})
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, func() bool {
		got, err := hooks(a).SenderSeq(ctx, id, self(m))
		if err != nil {
			t.Fatal(err)
		}
		return got >= seq
	}, "a took m's message")
	if v := storedVersion(t, a, self(creator)); v < versionOf(t, currentCreator) {
		t.Fatal("a member rolled a member's list back")
	}
	if v := storedVersion(t, a, self(outsider)); v != 0 {
		t.Fatal("a member spoke for an account that is not a member")
	}
	if hooks(a).Known(ctx, self(outsider)) {
		t.Fatal("the outsider's list is held")
	}
}
