package groups_test

import (
	"context"
	"crypto/rand"
	"sync"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/groups"
	"github.com/pigeon-net/pigeon/protocol/group"
	"github.com/pigeon-net/pigeon/protocol/pb"
)

// clock is an injectable clock for expiry.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func randomGroup() core.GroupID {
	var g core.GroupID
	rand.Read(g[:])
	return g
}

// TestGroupOpsOfUnknownGroupsNotStored is the report's flood: a stranger
// sends, pairwise, thousands of valid ops of a group nobody made. Nothing
// is stored, the hold keeps at most the stranger's share, and that
// expires.
func TestGroupOpsOfUnknownGroupsNotStored(t *testing.T) {
	_, ns := nodes(t, 2)
	victim, stranger := ns[0], ns[1]
	ctx := context.Background()
	clock := &clock{t: time.Now()}
	hooks(victim).SetHoldClock(clock.now)
	gid := randomGroup()
	junk := hooks(stranger).Junk(t, gid, 3*groups.MaxOpsPerChunk)
	for _, chunk := range groups.ChunkOps(junk) {
		sendControl(t, stranger, victim, &pb.GroupControl{GroupId: gid[:], Body: &pb.GroupControl_Ops{Ops: chunk}})
	}
	if n, err := hooks(victim).StoredOps(ctx, gid); err != nil || n != 0 {
		t.Fatalf("%d ops of an unknown group stored, %v", n, err)
	}
	items, bytes := hooks(victim).Held()
	if items == 0 || items > groups.HoldMaxItems/groups.HoldSenderShare || bytes > groups.HoldMaxBytes/groups.HoldSenderShare {
		t.Fatalf("held %d items, %d bytes", items, bytes)
	}
	clock.add(groups.HoldTTL)
	if items, _ := hooks(victim).Held(); items != 0 {
		t.Fatalf("%d items held after %v", items, groups.HoldTTL)
	}
}

// TestGroupWelcomeOutOfOrder: a welcome whose chunk with the genesis
// arrives last still lets the new member in.
func TestGroupWelcomeOutOfOrder(t *testing.T) {
	_, ns := nodes(t, 2)
	a, b := ns[0], ns[1]
	ctx := context.Background()
	id, err := a.Groups().Create(ctx, "g", "", groups.Settings{})
	if err != nil {
		t.Fatal(err)
	}
	ops, err := hooks(a).SignOps(id, &group.Add{Account: member(b), Role: group.RoleMember})
	if err != nil {
		t.Fatal(err)
	}
	if err := hooks(a).CommitOps(ctx, id, ops); err != nil {
		t.Fatal(err)
	}
	log := hooks(a).LogOps(id)
	for _, chunk := range [][]*group.Op{log[1:], log[:1]} {
		sendControl(t, a, b, &pb.GroupControl{GroupId: id[:], Body: &pb.GroupControl_Ops{Ops: groups.ChunkOps(chunk)[0]}})
	}
	info, err := b.Groups().Info(ctx, id)
	if err != nil || info.Status != groups.Active || len(info.Members) != 2 {
		t.Fatalf("b after the welcome: %+v, %v", info, err)
	}
	if n, err := hooks(b).StoredOps(ctx, id); err != nil || n != 2 {
		t.Fatalf("b stored %d ops, %v", n, err)
	}
}
