package group

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestConvergence is the property test of the log: replicas that each see
// a random part of the others' ops sign random (often conflicting) ops;
// then the full set of ops, delivered one at a time in random orders to
// fresh logs, must always fold to the same state, the same order and the
// same verdicts.
func TestConvergence(t *testing.T) {
	const (
		seeds    = 40
		rounds   = 60
		arrivals = 6
	)
	devs := []*testDevice{
		newDevice(t, "owner", 1, 1), newDevice(t, "owner2", 1, 2),
		newDevice(t, "a", 2, 1), newDevice(t, "b", 3, 1), newDevice(t, "c", 4, 1),
		newDevice(t, "d", 5, 1), newDevice(t, "e", 6, 1), newDevice(t, "x", 7, 1),
	}
	links := make([]*InviteLink, 3)
	accepted := 0
	for seed := range uint64(seeds) {
		rng := rand.New(rand.NewPCG(seed, 1))
		genesis := devs[0].genesis(t, 1000)
		for i := range links {
			links[i], _ = NewInviteLink(genesis.Group, devs[0].account)
		}
		// Each device has its own view of the log.
		views := make([]*Log, len(devs))
		for i := range views {
			views[i] = newLog(t, genesis)
		}
		// Everyone starts from the same members: a and b admins, c and d
		// members, e and x outside.
		setup := newLog(t, genesis)
		for i, d := range devs[2:6] {
			devs[0].op(t, setup, &Add{Account: d.account, Role: RoleAdmin - Role(i/2)})
		}
		all := setup.Ops()
		for _, v := range views {
			if _, err := v.Add(all...); err != nil {
				t.Fatal(err)
			}
		}
		now := setup.MaxClock()
		for range rounds {
			d := rng.IntN(len(devs))
			view := views[d]
			// Catch up on a random part of what exists (a prefix in
			// creation order plus random extras: partitions and lag).
			for _, op := range all[:rng.IntN(len(all)+1)] {
				if _, err := view.Add(op); err != nil {
					t.Fatal(err)
				}
			}
			for range 3 {
				if _, err := view.Add(all[rng.IntN(len(all))]); err != nil {
					t.Fatal(err)
				}
			}
			now += uint64(rng.IntN(3))
			op, err := devs[d].signer.Sign(genesis.Group, view.NextClock(now), view.Heads(), randomBody(rng, devs, links, d))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := view.Add(op); err != nil {
				t.Fatal(err)
			}
			all = append(all, op)
		}
		var want, wantOrder, wantRejected string
		for k := range arrivals {
			l := newLog(t, genesis)
			perm := rng.Perm(len(all))
			for _, i := range perm {
				if _, err := l.Add(all[i]); err != nil {
					t.Fatal(err)
				}
			}
			if len(l.Waiting()) != 0 || len(l.Ops()) != len(all) {
				t.Fatalf("seed %d: %d ops waiting, %d folded of %d", seed, len(l.Waiting()), len(l.Ops()), len(all))
			}
			got, order, rej := summary(l.State()), orderOf(l), rejections(l)
			if k == 0 {
				want, wantOrder, wantRejected = got, order, rej
				continue
			}
			if got != want || order != wantOrder || rej != wantRejected {
				t.Fatalf("seed %d, arrival %d diverged:\n%s\n--- want\n%s\nrejected %s\nwant %s", seed, k, got, want, rej, wantRejected)
			}
		}
		accepted += len(all) - len(strings.Split(wantRejected, ","))
		if seed == 0 {
			t.Logf("seed 0: %d ops, state:\n%s\nrejected: %s", len(all), want, wantRejected)
		}
	}
	// The property means little if the random ops mostly fail.
	if accepted < seeds*rounds/4 {
		t.Fatalf("only %d of %d random ops counted", accepted, seeds*rounds)
	}
	t.Logf("%d of %d random ops counted", accepted, seeds*rounds)
}

func orderOf(l *Log) string {
	b := make([]byte, 0, 8*l.Len())
	for _, op := range l.Ops() {
		b = append(b, op.Hash[:8]...)
	}
	return string(b)
}

func randomBody(rng *rand.Rand, devs []*testDevice, links []*InviteLink, self int) Body {
	target := devs[rng.IntN(len(devs))].account
	role := RoleMember + Role(rng.IntN(2))
	link := links[rng.IntN(len(links))]
	switch rng.IntN(10) {
	case 0, 1:
		return &Add{Account: target, Role: role}
	case 2:
		return &Remove{Account: target, Cuts: []Cut{{Device: 1, Seq: uint64(rng.IntN(20))}}}
	case 3:
		return &SetRole{Account: target, Role: role}
	case 4:
		return &SetInfo{Name: []string{"a", "b", "c"}[rng.IntN(3)]}
	case 5:
		return &SetSettings{Settings: Settings{Post: Permission(rng.IntN(2)), Add: Permission(rng.IntN(2))}}
	case 6:
		return &CreateInvite{Key: link.PublicKey(), ExpiresAtMs: int64(rng.IntN(2)) * 1100}
	case 7:
		return &RevokeInvite{Key: link.PublicKey()}
	case 8:
		return link.JoinBody(target)
	default:
		if devs[self].account == devs[0].account || rng.IntN(3) > 0 {
			return &SetInfo{Name: "d"} // the owner stays, and leaving is rare
		}
		return &Leave{Cuts: []Cut{{Device: 1, Seq: uint64(rng.IntN(20))}}}
	}
}
