package groups_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/groups"
	"github.com/pigeon-net/pigeon/protocol/group"
	"github.com/pigeon-net/pigeon/protocol/identity"
)

// TestGroupJoinRefusals: a join through an invite that expired, one the
// maker never made, or one whose maker is offline ends with an error that
// says so at once; the group does not show up.
func TestGroupJoinRefusals(t *testing.T) {
	nw, ns := nodes(t, 3)
	ctx := context.Background()
	a, joiner := ns[0], ns[2]
	id := makeGroup(t, ns[:2])

	// An invite that expired (made with its expiry past: no clock to wait).
	expired, err := group.NewInviteLink(group.ID(id), member(a))
	if err != nil {
		t.Fatal(err)
	}
	err = hooks(a).Change(ctx, id, &group.CreateInvite{Key: expired.PublicKey(), ExpiresAtMs: time.Now().Add(-time.Hour).UnixMilli()})
	if err != nil {
		t.Fatal(err)
	}
	// A link the maker never published.
	unknown, err := group.NewInviteLink(group.ID(id), member(a))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		link *group.InviteLink
		want string
	}{{expired, "expired"}, {unknown, "no such invite"}} {
		_, err := joiner.Groups().Join(ctx, c.link.String())
		if !errors.Is(err, groups.ErrInviteRefused) || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "ask for a new invite link") {
			t.Errorf("join through %s invite: %v", c.want, err)
		}
	}
	if _, err := joiner.Groups().Info(ctx, id); !errors.Is(err, groups.ErrUnknownGroup) {
		t.Fatalf("a refused joiner knows the group: %v", err)
	}
	info, err := a.Groups().Info(ctx, id)
	if err != nil || len(info.Members) != 2 {
		t.Fatalf("members after refused joins: %+v %v", info, err)
	}

	// A live invite whose maker is gone.
	live, err := a.Groups().CreateInvite(ctx, id, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, func() bool { return hooks(joiner).Resolve(ctx, self(a), false) == nil }, "joiner knows the maker")
	nw.Stop(0)
	if _, err := joiner.Groups().Join(ctx, live); !errors.Is(err, groups.ErrUnreachable) || !strings.Contains(err.Error(), "try again") {
		t.Fatalf("join with the maker offline: %v", err)
	}
}

// TestAddUnknownAccount: adding an account without a device list fails
// with an error naming it, and adds nobody (nor makes the group).
func TestAddUnknownAccount(t *testing.T) {
	_, ns := nodes(t, 2)
	a, b := ns[0], ns[1]
	ctx := context.Background()
	ghost, err := identity.NewAccount()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Groups().Create(ctx, "g", "", groups.Settings{}, self(b), core.AccountID(ghost.ID())); !errors.Is(err, node.ErrUnknownAccount) || !strings.Contains(err.Error(), ghost.ID().Short()) {
		t.Fatalf("create with an unknown member: %v", err)
	}
	if list, err := a.Groups().List(ctx); err != nil || len(list) != 0 {
		t.Fatalf("groups after a failed create: %v, %v", list, err)
	}
	id, err := a.Groups().Create(ctx, "g", "", groups.Settings{})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Groups().AddMembers(ctx, id, groups.RoleMember, self(b), core.AccountID(ghost.ID())); !errors.Is(err, node.ErrUnknownAccount) || !strings.Contains(err.Error(), ghost.ID().Short()) {
		t.Fatalf("add an unknown account: %v", err)
	}
	if info, err := a.Groups().Info(ctx, id); err != nil || len(info.Members) != 1 {
		t.Fatalf("members after a failed add: %+v, %v", info, err)
	}
}
