package group

import (
	"errors"
	"testing"
)

// crew is a group with an owner, an admin and a member, plus an outsider.
type crew struct {
	owner, admin, member, outsider *testDevice
	log                            *Log
}

func newCrew(t *testing.T) *crew {
	t.Helper()
	c := &crew{
		owner:    newDevice(t, "owner", 1, 1),
		admin:    newDevice(t, "admin", 2, 1),
		member:   newDevice(t, "member", 3, 1),
		outsider: newDevice(t, "outsider", 4, 1),
	}
	c.log = newLog(t, c.owner.genesis(t, 100))
	c.owner.op(t, c.log, &Add{Account: c.admin.account, Role: RoleAdmin})
	c.admin.op(t, c.log, &Add{Account: c.member.account, Role: RoleMember})
	c.mustAccept(t)
	return c
}

func (c *crew) mustAccept(t *testing.T) {
	t.Helper()
	if r := rejections(c.log); r != "" {
		t.Fatalf("ops rejected: %s", r)
	}
}

// try signs body by d on the crew's log and returns the fold's verdict.
func (c *crew) try(t *testing.T, d *testDevice, body Body) error {
	t.Helper()
	op := d.op(t, c.log, body)
	return c.log.Rejected(op.Hash)
}

func TestFoldRules(t *testing.T) {
	type step struct {
		by   func(*crew) *testDevice
		body func(*crew) Body
		want error
	}
	owner := func(c *crew) *testDevice { return c.owner }
	admin := func(c *crew) *testDevice { return c.admin }
	member := func(c *crew) *testDevice { return c.member }
	outsider := func(c *crew) *testDevice { return c.outsider }
	add := func(who func(*crew) *testDevice, r Role) func(*crew) Body {
		return func(c *crew) Body { return &Add{Account: who(c).account, Role: r} }
	}
	remove := func(who func(*crew) *testDevice) func(*crew) Body {
		return func(c *crew) Body { return &Remove{Account: who(c).account} }
	}
	setRole := func(who func(*crew) *testDevice, r Role) func(*crew) Body {
		return func(c *crew) Body { return &SetRole{Account: who(c).account, Role: r} }
	}
	settings := func(s Settings) func(*crew) Body { return func(*crew) Body { return &SetSettings{Settings: s} } }
	info := func(name string) func(*crew) Body { return func(*crew) Body { return &SetInfo{Name: name} } }
	leave := func(*crew) Body { return &Leave{} }

	cases := map[string][]step{
		"member adds (default settings)":    {{member, add(outsider, RoleMember), nil}},
		"member cannot add an admin":        {{member, add(outsider, RoleAdmin), ErrNotAllowed}},
		"outsider cannot add":               {{outsider, add(outsider, RoleMember), ErrNotAllowed}},
		"adding a member again":             {{admin, add(member, RoleMember), ErrNoEffect}},
		"member cannot add when admins add": {{admin, settings(Settings{Add: Admins}), nil}, {member, add(outsider, RoleMember), ErrNotAllowed}},
		"admin adds when admins add":        {{owner, settings(Settings{Add: Admins}), nil}, {admin, add(outsider, RoleMember), nil}},
		"member cannot change settings":     {{member, settings(Settings{Post: Admins}), ErrNotAllowed}},
		"same settings":                     {{admin, settings(Settings{}), ErrNoEffect}},
		"admin removes member":              {{admin, remove(member), nil}, {member, info("x"), ErrNotAllowed}},
		"member cannot remove":              {{member, remove(admin), ErrNotAllowed}},
		"admin removes admin":               {{owner, add(outsider, RoleAdmin), nil}, {admin, remove(outsider), nil}},
		"nobody removes the owner":          {{admin, remove(owner), ErrNotAllowed}},
		"removing a non-member":             {{admin, remove(outsider), ErrNoEffect}},
		"removing oneself":                  {{admin, remove(admin), ErrNotAllowed}},
		"admin promotes":                    {{admin, setRole(member, RoleAdmin), nil}, {member, add(outsider, RoleAdmin), nil}},
		"admin cannot demote an admin":      {{owner, add(outsider, RoleAdmin), nil}, {admin, setRole(outsider, RoleMember), ErrNotAllowed}},
		"owner demotes an admin":            {{owner, setRole(admin, RoleMember), nil}, {admin, remove(member), ErrNotAllowed}},
		"member cannot promote":             {{member, setRole(member, RoleAdmin), ErrNotAllowed}},
		"nobody changes the owner":          {{admin, setRole(owner, RoleMember), ErrNotAllowed}},
		"promoting a non-member":            {{admin, setRole(outsider, RoleAdmin), ErrNoEffect}},
		"member edits info":                 {{member, info("renamed"), nil}},
		"member cannot edit info":           {{admin, settings(Settings{EditInfo: Admins}), nil}, {member, info("renamed"), ErrNotAllowed}},
		"same info":                         {{member, info("team"), nil}, {member, info("team"), ErrNoEffect}},
		"leave":                             {{member, leave, nil}, {member, leave, ErrNoEffect}},
		"owner leaves":                      {{owner, leave, nil}, {owner, info("x"), ErrNotAllowed}},
		"outsider leaves":                   {{outsider, leave, ErrNoEffect}},
		"removed member re-added":           {{admin, remove(member), nil}, {admin, add(member, RoleMember), nil}, {member, info("back"), nil}},
	}
	for name, steps := range cases {
		t.Run(name, func(t *testing.T) {
			c := newCrew(t)
			for i, s := range steps {
				if got := c.try(t, s.by(c), s.body(c)); !errors.Is(got, s.want) || (s.want == nil && got != nil) {
					t.Fatalf("step %d: got %v, want %v", i, got, s.want)
				}
			}
		})
	}
}

func TestInvites(t *testing.T) {
	c := newCrew(t)
	g := c.log.ID()
	link, err := NewInviteLink(g, c.member.account)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.try(t, c.member, link.JoinBody(c.outsider.account)); !errors.Is(err, ErrInvite) {
		t.Fatalf("join before the invite exists: %v", err)
	}
	if err := c.try(t, c.member, &CreateInvite{Key: link.PublicKey()}); err != nil {
		t.Fatal(err)
	}
	if got := c.log.State().Invites(); len(got) != 1 || got[0].By != c.member.account {
		t.Fatalf("invites: %+v", got)
	}
	// Only members apply joins.
	if err := c.try(t, c.outsider, link.JoinBody(c.outsider.account)); !errors.Is(err, ErrNotAllowed) {
		t.Fatalf("join applied by an outsider: %v", err)
	}
	// A signature for another account does not count.
	stranger := newDevice(t, "stranger", 5, 1)
	forged := link.JoinBody(stranger.account)
	forged.Account = c.outsider.account
	if err := c.try(t, c.member, forged); !errors.Is(err, ErrInvite) {
		t.Fatalf("join with someone else's signature: %v", err)
	}
	if VerifyJoin(g, forged) || !VerifyJoin(g, link.JoinBody(stranger.account)) || VerifyJoin(ID{1}, link.JoinBody(stranger.account)) {
		t.Fatal("VerifyJoin")
	}
	if err := c.try(t, c.admin, link.JoinBody(c.outsider.account)); err != nil {
		t.Fatal(err)
	}
	m, ok := c.log.State().Member(c.outsider.account)
	if !ok || m.Role != RoleMember || m.By != c.member.account {
		t.Fatalf("joined member: %+v", m)
	}
	if err := c.try(t, c.member, link.JoinBody(c.outsider.account)); !errors.Is(err, ErrNoEffect) {
		t.Fatalf("joining twice: %v", err)
	}
	// An admin revokes; a later join fails.
	if err := c.try(t, c.admin, &RevokeInvite{Key: link.PublicKey()}); err != nil {
		t.Fatal(err)
	}
	if err := c.try(t, c.member, link.JoinBody(stranger.account)); !errors.Is(err, ErrInvite) {
		t.Fatalf("join after revocation: %v", err)
	}
	// Members revoke only their own invites.
	other, _ := NewInviteLink(g, c.admin.account)
	if err := c.try(t, c.admin, &CreateInvite{Key: other.PublicKey(), ExpiresAtMs: int64(c.log.NextClock(0) + 1)}); err != nil {
		t.Fatal(err)
	}
	if err := c.try(t, c.member, &RevokeInvite{Key: other.PublicKey()}); !errors.Is(err, ErrNotAllowed) {
		t.Fatalf("member revoking an admin's invite: %v", err)
	}
	// The invite expired at the clock of the next op.
	c.log.maxClock += 10
	if err := c.try(t, c.admin, other.JoinBody(stranger.account)); !errors.Is(err, ErrInvite) {
		t.Fatalf("join after expiry: %v", err)
	}
}

func TestAcceptsAndCuts(t *testing.T) {
	c := newCrew(t)
	s := c.log.State()
	if !s.Accepts(c.member.account, 1, 99) || s.Accepts(c.outsider.account, 1, 1) {
		t.Fatal("accepts before removal")
	}
	if err := c.try(t, c.admin, &Remove{Account: c.member.account, Cuts: []Cut{{Device: 1, Seq: 5}}}); err != nil {
		t.Fatal(err)
	}
	s = c.log.State()
	if !s.Accepts(c.member.account, 1, 5) || s.Accepts(c.member.account, 1, 6) || s.Accepts(c.member.account, 2, 1) {
		t.Fatal("cut not applied")
	}
	if seq, ok := s.Cut(c.member.account, 1); !ok || seq != 5 {
		t.Fatalf("cut: %d %v", seq, ok)
	}
	if _, ok := s.Cut(c.admin.account, 1); ok {
		t.Fatal("a member has a cut")
	}
	if err := c.try(t, c.admin, &SetSettings{Settings: Settings{Post: Admins}}); err != nil {
		t.Fatal(err)
	}
	if err := c.try(t, c.admin, &Add{Account: c.outsider.account, Role: RoleMember}); err != nil {
		t.Fatal(err)
	}
	s = c.log.State()
	if !s.Accepts(c.outsider.account, 1, 1) || !s.CanPost(c.admin.account) || s.CanPost(c.outsider.account) {
		t.Fatal("post permission not applied")
	}
	if !s.Accepts(c.member.account, 1, 5) {
		t.Fatal("post permission changed a departed member's cut")
	}
}

// TestConcurrentRemovals: two admins remove each other without seeing the
// other's op. Every arrival order ends with the same one removed.
func TestConcurrentRemovals(t *testing.T) {
	c := newCrew(t)
	c.owner.op(t, c.log, &Add{Account: c.outsider.account, Role: RoleAdmin})
	heads, clock := c.log.Heads(), c.log.NextClock(0)
	a, err := c.admin.signer.Sign(c.log.ID(), clock, heads, &Remove{Account: c.outsider.account})
	if err != nil {
		t.Fatal(err)
	}
	b, err := c.outsider.signer.Sign(c.log.ID(), clock, heads, &Remove{Account: c.admin.account})
	if err != nil {
		t.Fatal(err)
	}
	var results []string
	for _, order := range [][]*Op{{a, b}, {b, a}} {
		l := newLog(t, c.log.Ops()[0])
		if _, err := l.Add(c.log.Ops()[1:]...); err != nil {
			t.Fatal(err)
		}
		for _, op := range order {
			if _, err := l.Add(op); err != nil {
				t.Fatal(err)
			}
		}
		s := l.State()
		if s.IsMember(c.admin.account) == s.IsMember(c.outsider.account) {
			t.Fatalf("both or neither admin left: %s", summary(s))
		}
		results = append(results, summary(s))
	}
	if results[0] != results[1] {
		t.Fatalf("arrival order changed the outcome:\n%s\n---\n%s", results[0], results[1])
	}
}

// TestLateOpRefolds: an op that sorts before ops already applied changes
// what they did.
func TestLateOpRefolds(t *testing.T) {
	c := newCrew(t)
	heads, clock := c.log.Heads(), c.log.NextClock(0)
	// The owner demotes the admin at `clock`; the admin (not knowing) adds
	// the outsider as admin one tick later.
	demote, err := c.owner.signer.Sign(c.log.ID(), clock, heads, &SetRole{Account: c.admin.account, Role: RoleMember})
	if err != nil {
		t.Fatal(err)
	}
	addAdmin, err := c.admin.signer.Sign(c.log.ID(), clock+1, heads, &Add{Account: c.outsider.account, Role: RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.log.Add(addAdmin); err != nil {
		t.Fatal(err)
	}
	if c.log.State().Role(c.outsider.account) != RoleAdmin {
		t.Fatal("add not applied")
	}
	if _, err := c.log.Add(demote); err != nil {
		t.Fatal(err)
	}
	if c.log.State().IsMember(c.outsider.account) || !errors.Is(c.log.Rejected(addAdmin.Hash), ErrNotAllowed) {
		t.Fatalf("late demotion did not undo the add: %s", summary(c.log.State()))
	}
}

func TestWaitingOps(t *testing.T) {
	c := newCrew(t)
	full := newLog(t, c.log.Ops()[0])
	if _, err := full.Add(c.log.Ops()[1:]...); err != nil {
		t.Fatal(err)
	}
	x := c.member.op(t, full, &SetInfo{Name: "x"})
	y := c.member.op(t, full, &SetInfo{Name: "y"})
	// Deliver y before x: it waits for its parent.
	changed, err := c.log.Add(y)
	if err != nil || changed {
		t.Fatalf("add with a missing parent: changed %v, err %v", changed, err)
	}
	if m := c.log.Missing(); len(m) != 1 || m[0] != x.Hash {
		t.Fatalf("missing: %v", m)
	}
	if w := c.log.Waiting(); len(w) != 1 || w[0] != y {
		t.Fatalf("waiting: %v", w)
	}
	if c.log.State().Name() != "team" || !c.log.Has(y.Hash) {
		t.Fatal("a waiting op was applied")
	}
	if changed, err := c.log.Add(x); err != nil || !changed {
		t.Fatalf("add the parent: changed %v, err %v", changed, err)
	}
	if c.log.State().Name() != "y" || len(c.log.Waiting()) != 0 || len(c.log.Missing()) != 0 {
		t.Fatalf("after the parent: name %q", c.log.State().Name())
	}
	if h := c.log.Heads(); len(h) != 1 || h[0] != y.Hash {
		t.Fatalf("heads: %v", h)
	}
}

func TestLogRefusesForeignOps(t *testing.T) {
	c := newCrew(t)
	other := newLog(t, c.admin.genesis(t, 5))
	foreign := c.admin.op(t, other, &SetInfo{Name: "elsewhere"})
	if _, err := c.log.Add(foreign); !errors.Is(err, ErrWrongGroup) {
		t.Fatalf("foreign op: %v", err)
	}
	if _, err := c.log.Add(other.Ops()[0]); !errors.Is(err, ErrWrongGroup) {
		t.Fatalf("foreign genesis: %v", err)
	}
	if _, err := NewLog(foreign); !errors.Is(err, ErrNotGenesis) {
		t.Fatalf("log from a non-genesis op: %v", err)
	}
	// The genesis again is a no-op.
	if changed, err := c.log.Add(c.log.Ops()[0]); err != nil || changed {
		t.Fatalf("genesis again: %v %v", changed, err)
	}
}

func TestBadClockIsSkipped(t *testing.T) {
	c := newCrew(t)
	op, err := c.member.signer.Sign(c.log.ID(), c.log.MaxClock(), c.log.Heads(), &SetInfo{Name: "x"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.log.Add(op); err != nil {
		t.Fatal(err)
	}
	if !errors.Is(c.log.Rejected(op.Hash), ErrBadClock) || c.log.State().Name() != "team" {
		t.Fatal("an op with a clock not above its parent's was applied")
	}
}

func TestSince(t *testing.T) {
	c := newCrew(t)
	ops := c.log.Ops()
	mid := c.log.Heads()
	x := c.member.op(t, c.log, &SetInfo{Name: "x"})
	y := c.admin.op(t, c.log, &SetInfo{Name: "y"})
	got := c.log.Since(mid)
	if len(got) != 2 || got[0] != x || got[1] != y {
		t.Fatalf("since mid: %v", got)
	}
	if got := c.log.Since(c.log.Heads()); len(got) != 0 {
		t.Fatalf("since heads: %v", got)
	}
	if got := c.log.Since([]Hash{{1}}); len(got) != len(ops)+2 {
		t.Fatalf("since an unknown head: %d ops", len(got))
	}
	if got := c.log.Since(nil); len(got) != len(ops)+2 {
		t.Fatalf("since nothing: %d ops", len(got))
	}
}
