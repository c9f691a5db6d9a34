package node

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/groups"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

func init() {
	// Group timers at test speed: the worker's round and the least time
	// between two repairs.
	groupTuning.Tick = 2 * time.Second
	groupTuning.RepairEvery = 300 * time.Millisecond
}

// nodes starts n in-memory nodes bootstrapping from the first, each
// resolving the first's device list and the first theirs.
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
		eventually(t, func() bool {
			_, err := out[0].resolver.Get(context.Background(), rt.CoreAccount(x.self), true)
			return err == nil
		}, "resolve")
		eventually(t, func() bool {
			_, err := x.resolver.Get(context.Background(), rt.CoreAccount(out[0].self), true)
			return err == nil
		}, "resolve")
	}
	return out
}

// makeGroup has ns[0] create a group with the others and waits until all
// are in.
func makeGroup(t *testing.T, ns []*Node) {
	t.Helper()
	var others []core.AccountID
	for _, n := range ns[1:] {
		others = append(others, account(n))
	}
	id, err := ns[0].Groups().Create(context.Background(), "g", "", groups.Settings{}, others...)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range ns {
		eventually(t, func() bool {
			info, err := n.Groups().Info(context.Background(), id)
			return err == nil && info.Status == groups.Active && len(info.Members) == len(ns)
		}, "member")
	}
}

// sendControl sends a pairwise group control message from one node to
// another and waits until it was delivered.
func sendControl(t testing.TB, from, to *Node, gc *pb.GroupControl) {
	t.Helper()
	ctx := context.Background()
	if err := from.post.QueuePairwise(ctx, rt.CoreAccount(to.self), &pb.Content{Body: &pb.Content_Group{Group: gc}}); err != nil {
		t.Fatal(err)
	}
	eventually(t, func() bool {
		items, err := from.store.Outbox(ctx)
		return err == nil && len(items) == 0
	}, "control message delivered")
}

// TestGroupMembersShareDeviceLists: members learn each other's device
// lists from the group (the welcome, the topic), not from one DHT lookup
// per member, so the resolver never asks the DHT for them; a list that
// does not verify is dropped.
func TestGroupMembersShareDeviceLists(t *testing.T) {
	ns := nodes(t, 4)
	makeGroup(t, ns)
	ctx := context.Background()
	for _, a := range ns[1:] {
		for _, b := range ns[1:] {
			if a == b {
				continue
			}
			eventually(t, func() bool { return a.resolver.Known(ctx, rt.CoreAccount(b.self)) != nil }, "member list")
			looked := a.resolver.LastLookup(rt.CoreAccount(b.self))
			if !looked.IsZero() {
				t.Errorf("%s looked %s up in the DHT", a.self.Short(), b.self.Short())
			}
		}
	}
	// A tampered list is not kept.
	raw, err := ns[2].store.DeviceList(ctx, storage.Account(ns[2].self))
	if err != nil {
		t.Fatal(err)
	}
	bad := append([]byte(nil), raw...)
	bad[len(bad)-1] ^= 1
	m := ns[1]
	sendControl(t, ns[2], m, &pb.GroupControl{GroupId: make([]byte, 32), Body: &pb.GroupControl_DeviceLists{DeviceLists: &pb.DeviceLists{Lists: [][]byte{bad}}}})
	if got, _ := m.store.DeviceList(ctx, storage.Account(ns[2].self)); bytes.Equal(got, bad) {
		t.Fatal("a tampered list was stored")
	}
}
