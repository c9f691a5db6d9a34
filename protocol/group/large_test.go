package group

import (
	"encoding/binary"
	"math/rand/v2"
	"testing"

	"github.com/pigeon-net/pigeon/protocol/identity"
)

// TestLargeGroupConverges: a group of 1,000 members where three admins,
// each on its own partial view, add and remove members at once. Every
// replica that gets all the ops, in any order, folds them to the same
// member list; the log's operations stay cheap at this size (the fold of
// a few thousand ops runs in well under a second).
func TestLargeGroupConverges(t *testing.T) {
	const members = 1000
	owner := newDevice(t, "owner", 1, 1)
	admins := []*testDevice{newDevice(t, "a", 2, 1), newDevice(t, "b", 3, 1), newDevice(t, "c", 4, 1)}
	genesis := owner.genesis(t, 1000)
	setup := newLog(t, genesis)
	accounts := make([]identity.AccountID, members)
	for i := range accounts {
		binary.BigEndian.PutUint64(accounts[i][:], uint64(i)+1)
		accounts[i][31] = 0xAA
	}
	for _, a := range admins {
		owner.op(t, setup, &Add{Account: a.account, Role: RoleAdmin})
	}
	for _, a := range accounts[:members-len(admins)-1] {
		owner.op(t, setup, &Add{Account: a, Role: RoleMember})
	}
	if n := len(setup.State().Members()); n != members {
		t.Fatalf("%d members after setup, want %d", n, members)
	}
	base := setup.Ops()
	rng := rand.New(rand.NewPCG(7, 7))
	all := append([]*Op(nil), base...)
	// Each admin works on its own copy of the log: the ops race.
	for _, a := range admins {
		view := newLog(t, genesis)
		if _, err := view.Add(base...); err != nil {
			t.Fatal(err)
		}
		for range 40 {
			var body Body = &Remove{Account: accounts[rng.IntN(members-len(admins)-1)]}
			if rng.IntN(3) == 0 {
				body = &Add{Account: accounts[members-len(admins)-1+rng.IntN(len(admins)+1)], Role: RoleMember}
			}
			all = append(all, a.op(t, view, body))
		}
	}
	var want string
	for k := range 4 {
		l := newLog(t, genesis)
		for _, i := range rng.Perm(len(all)) {
			if _, err := l.Add(all[i]); err != nil {
				t.Fatal(err)
			}
		}
		if len(l.Waiting()) != 0 || len(l.Ops()) != len(all) {
			t.Fatalf("replica %d: %d waiting, %d folded of %d", k, len(l.Waiting()), len(l.Ops()), len(all))
		}
		got := summary(l.State()) + rejections(l)
		if k == 0 {
			want = got
			continue
		}
		if got != want {
			t.Fatalf("replica %d diverged", k)
		}
	}
}
