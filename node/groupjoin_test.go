package node

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/protocol/group"
	"github.com/pigeon-net/pigeon/protocol/identity"
)

// TestGroupJoinRefusals: a join through an invite that expired, one the
// maker never made, or one whose maker is offline ends with an error that
// says so at once; the group does not show up.
func TestGroupJoinRefusals(t *testing.T) {
	ns := nodes(t, 3)
	ctx := context.Background()
	a, joiner := ns[0], ns[2]
	id := makeGroup(t, ns[:2])
	run := a.groups.get(id)

	// An invite that expired (made with its expiry past: no clock to wait).
	expired, err := group.NewInviteLink(id, a.self)
	if err != nil {
		t.Fatal(err)
	}
	err = a.changeGroup(ctx, run, one(func(*group.State) error { return nil },
		&group.CreateInvite{Key: expired.PublicKey(), ExpiresAtMs: time.Now().Add(-time.Hour).UnixMilli()}))
	if err != nil {
		t.Fatal(err)
	}
	// A link the maker never published.
	unknown, err := group.NewInviteLink(id, a.self)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		link *group.InviteLink
		want string
	}{{expired, "expired"}, {unknown, "no such invite"}} {
		_, err := joiner.JoinGroup(ctx, c.link.String())
		if !errors.Is(err, ErrInviteRefused) || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "ask for a new invite link") {
			t.Errorf("join through %s invite: %v", c.want, err)
		}
	}
	if _, err := joiner.GroupInfo(ctx, id); !errors.Is(err, ErrUnknownGroup) {
		t.Fatalf("a refused joiner knows the group: %v", err)
	}
	info, err := a.GroupInfo(ctx, id)
	if err != nil || len(info.Members) != 2 {
		t.Fatalf("members after refused joins: %+v %v", info, err)
	}

	// A live invite whose maker is gone.
	live, err := a.CreateGroupInvite(ctx, id, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, func() bool { _, err := joiner.resolver.get(ctx, a.self, false); return err == nil }, "joiner knows the maker")
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := joiner.JoinGroup(ctx, live); !errors.Is(err, ErrUnreachable) || !strings.Contains(err.Error(), "try again") {
		t.Fatalf("join with the maker offline: %v", err)
	}
}

// TestAddUnknownAccount: adding an account without a device list fails
// with an error naming it, and adds nobody (nor makes the group).
func TestAddUnknownAccount(t *testing.T) {
	a, b := pair(t)
	ctx := context.Background()
	eventually(t, func() bool { _, err := a.resolver.get(ctx, b.self, true); return err == nil }, "resolve")
	ghost, err := identity.NewAccount()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.CreateGroup(ctx, "g", "", group.Settings{}, b.self, ghost.ID()); !errors.Is(err, ErrUnknownAccount) || !strings.Contains(err.Error(), ghost.ID().Short()) {
		t.Fatalf("create with an unknown member: %v", err)
	}
	if groups, err := a.Groups(ctx); err != nil || len(groups) != 0 {
		t.Fatalf("groups after a failed create: %v, %v", groups, err)
	}
	id, err := a.CreateGroup(ctx, "g", "", group.Settings{})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.AddGroupMembers(ctx, id, group.RoleMember, b.self, ghost.ID()); !errors.Is(err, ErrUnknownAccount) || !strings.Contains(err.Error(), ghost.ID().Short()) {
		t.Fatalf("add an unknown account: %v", err)
	}
	if info, err := a.GroupInfo(ctx, id); err != nil || len(info.Members) != 1 {
		t.Fatalf("members after a failed add: %+v, %v", info, err)
	}
}
