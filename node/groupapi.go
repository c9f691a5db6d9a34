package node

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/pigeon-net/pigeon/protocol/group"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

// GroupInfo describes a group this node is or was in.
type GroupInfo struct {
	ID          group.ID
	Name        string
	Description string
	Settings    group.Settings
	Members     []group.Member // ordered by account
	Invites     []group.Invite
	Status      storage.GroupStatus
	Role        group.Role // this account's
	Ops         int        // ops in the log
}

func (n *Node) groupRun(id group.ID) (*groupRun, error) {
	if err := n.ready(); err != nil {
		return nil, err
	}
	run := n.groups.get(id)
	if run == nil {
		return nil, fmt.Errorf("%w: %s", ErrUnknownGroup, id.Short())
	}
	return run, nil
}

func (n *Node) groupInfo(run *groupRun) GroupInfo {
	run.mu.Lock()
	defer run.mu.Unlock()
	st := run.log.State()
	return GroupInfo{
		ID: run.id, Name: st.Name(), Description: st.Description(), Settings: st.Settings(),
		Members: st.Members(), Invites: st.Invites(), Status: run.rec.Status,
		Role: st.Role(n.self), Ops: run.log.Len(),
	}
}

// Groups lists the groups this node is or was in, ordered by ID.
func (n *Node) Groups(ctx context.Context) ([]GroupInfo, error) {
	if err := n.ready(); err != nil {
		return nil, fmt.Errorf("groups: %w", err)
	}
	recs, err := n.store.Groups(ctx)
	if err != nil {
		return nil, err
	}
	var out []GroupInfo
	for _, rec := range recs {
		if run := n.groups.get(rec.ID); run != nil {
			out = append(out, n.groupInfo(run))
		}
	}
	return out, nil
}

// GroupInfo describes one group.
func (n *Node) GroupInfo(ctx context.Context, id group.ID) (GroupInfo, error) {
	run, err := n.groupRun(id)
	if err != nil {
		return GroupInfo{}, fmt.Errorf("group info: %w", err)
	}
	return n.groupInfo(run), nil
}

// CreateGroup creates a group owned by this account, with members added
// (as plain members) at once. The members get the group's log pairwise and
// join its topic when it reaches them. A member whose device list cannot
// be found fails the call (ErrUnknownAccount, naming it) before anything
// is made.
func (n *Node) CreateGroup(ctx context.Context, name, description string, s group.Settings, members ...identity.AccountID) (group.ID, error) {
	const op = "create group"
	if err := n.ready(); err != nil {
		return group.ID{}, fmt.Errorf("%s: %w", op, err)
	}
	if err := n.checkAccounts(ctx, members); err != nil {
		return group.ID{}, fmt.Errorf("%s: %w", op, err)
	}
	create, err := group.NewCreate(name, description, s)
	if err != nil {
		return group.ID{}, fmt.Errorf("%s: %w", op, err)
	}
	genesis, err := n.groups.signer.Genesis(uint64(time.Now().UnixMilli()), create)
	if err != nil {
		return group.ID{}, fmt.Errorf("%s: %w", op, err)
	}
	l, err := group.NewLog(genesis)
	if err != nil {
		return group.ID{}, fmt.Errorf("%s: %w", op, err)
	}
	rec := storage.Group{ID: genesis.Group, Status: storage.GroupActive, Clock: genesis.Clock, JoinedAt: time.Now()}
	raw, err := genesis.Marshal()
	if err != nil {
		return group.ID{}, fmt.Errorf("%s: %w", op, err)
	}
	err = n.store.Update(ctx, func(ctx context.Context) error {
		if err := n.store.PutGroupOp(ctx, genesis.Group, genesis.Hash, raw); err != nil {
			return err
		}
		return n.store.PutGroup(ctx, rec)
	})
	if err != nil {
		return group.ID{}, fmt.Errorf("%s: %w", op, err)
	}
	run := newGroupRun(l, rec)
	n.groups.mu.Lock()
	n.groups.runs[run.id] = run
	n.groups.mu.Unlock()
	n.groups.activate(run)
	n.bus.publish(changeOf(genesis))
	if len(members) > 0 {
		if err := n.AddGroupMembers(ctx, run.id, group.RoleMember, members...); err != nil {
			return run.id, fmt.Errorf("%s: %w", op, err)
		}
	}
	return run.id, nil
}

// checkAccounts finds the device list of each account (but this one),
// concurrently, and fails with the errors of those it cannot find: each
// names its account.
func (n *Node) checkAccounts(ctx context.Context, accounts []identity.AccountID) error {
	errs := make([]error, len(accounts))
	sem := make(chan struct{}, 8)
	var wg sync.WaitGroup
	for i, a := range accounts {
		if a == n.self {
			continue
		}
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			_, errs[i] = n.resolver.get(ctx, a, false)
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// changeGroup applies a change to run's group: plan looks at the state and
// returns the op bodies to sign (none: nothing to do) and the accounts to
// welcome, or why the change is not allowed. The ops are signed, applied,
// published on the topic, and the log is sent to the accounts welcomed.
func (n *Node) changeGroup(ctx context.Context, run *groupRun, plan func(*group.State) ([]group.Body, []identity.AccountID, error)) error {
	run.mu.Lock()
	st := run.log.State()
	var (
		bodies  []group.Body
		welcome []identity.AccountID
	)
	err := ErrNotMember
	if st.IsMember(n.self) && run.rec.Status == storage.GroupActive {
		bodies, welcome, err = plan(st)
	}
	planned := st.Clone()
	run.mu.Unlock()
	if err != nil || len(bodies) == 0 {
		return err
	}
	ops, err := n.groups.signOps(run, bodies...)
	if err != nil {
		return err
	}
	// Publish before applying, and queue the key the ops went out with
	// for every member without it: a removal rotates our sender key, and
	// the member removed must still read the op that removes it.
	if err := n.publishOps(ctx, run, ops); err != nil {
		return err
	}
	n.groups.distributeKeyIn(ctx, run, planned)
	if _, err := n.groups.commitOps(ctx, run, ops); err != nil {
		return err
	}
	run.mu.Lock()
	var rejected error
	for _, op := range ops {
		if err := run.log.Rejected(op.Hash); err != nil {
			rejected = err
		}
	}
	run.mu.Unlock()
	if rejected != nil {
		return fmt.Errorf("%w: %w", ErrNotAllowed, rejected)
	}
	for _, a := range welcome {
		n.groups.sendWelcome(ctx, run, a)
	}
	if len(welcome) > 0 {
		n.goroutine(func(ctx context.Context) { n.groups.shareLists(ctx, run, welcome) })
	}
	return nil
}

// one wraps a single-op plan.
func one(check func(*group.State) error, body group.Body) func(*group.State) ([]group.Body, []identity.AccountID, error) {
	return func(st *group.State) ([]group.Body, []identity.AccountID, error) {
		if err := check(st); err != nil {
			return nil, nil, err
		}
		return []group.Body{body}, nil, nil
	}
}

// AddGroupMembers adds accounts with role (group.RoleMember or
// group.RoleAdmin); accounts already in are skipped. An account whose
// device list cannot be found (in the DHT or here) fails the call with an
// error wrapping ErrUnknownAccount that names it, and nobody is added.
func (n *Node) AddGroupMembers(ctx context.Context, id group.ID, role group.Role, accounts ...identity.AccountID) error {
	const op = "add group members"
	run, err := n.groupRun(id)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if role != group.RoleMember && role != group.RoleAdmin {
		return fmt.Errorf("%s: role must be member or admin", op)
	}
	var fresh []identity.AccountID
	run.mu.Lock()
	for _, a := range accounts {
		if !run.log.State().IsMember(a) {
			fresh = append(fresh, a)
		}
	}
	run.mu.Unlock()
	if err := n.checkAccounts(ctx, fresh); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	err = n.changeGroup(ctx, run, func(st *group.State) ([]group.Body, []identity.AccountID, error) {
		if !st.CanAdd(n.self) || (role == group.RoleAdmin && st.Role(n.self) < group.RoleAdmin) {
			return nil, nil, ErrNotAllowed
		}
		var bodies []group.Body
		var welcome []identity.AccountID
		for _, a := range accounts {
			if !st.IsMember(a) && a != n.self {
				bodies = append(bodies, &group.Add{Account: a, Role: role})
				welcome = append(welcome, a)
			}
		}
		if st.Len()+len(bodies) > group.MaxMembers {
			return nil, nil, fmt.Errorf("%w: %w", ErrNotAllowed, group.ErrFull)
		}
		return bodies, welcome, nil
	})
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	return nil
}

// RemoveGroupMember removes a member. Every remaining member's devices
// rotate their sender keys, so the removed account cannot read what is
// sent after; its messages sent after the removal (past the cut this
// node saw) never reach history anywhere.
func (n *Node) RemoveGroupMember(ctx context.Context, id group.ID, account identity.AccountID) error {
	const op = "remove group member"
	run, err := n.groupRun(id)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	cuts, err := n.cutsOf(ctx, id, account)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	err = n.changeGroup(ctx, run, one(func(st *group.State) error {
		switch r := st.Role(account); {
		case account == n.self:
			return fmt.Errorf("%w: leave instead", ErrNotAllowed)
		case r == group.RoleNone:
			return fmt.Errorf("%w: %s is not a member", ErrNotAllowed, account.Short())
		case st.Role(n.self) < group.RoleAdmin || r == group.RoleOwner:
			return ErrNotAllowed
		}
		return nil
	}, &group.Remove{Account: account, Cuts: cuts}))
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	return nil
}

// cutsOf returns, per device of account seen sending in the group, the
// highest sequence number held with none missing below.
func (n *Node) cutsOf(ctx context.Context, id group.ID, account identity.AccountID) ([]group.Cut, error) {
	senders, err := n.store.GroupSenders(ctx, id)
	if err != nil {
		return nil, err
	}
	var cuts []group.Cut
	for _, s := range senders {
		if identity.AccountID(s.Account) == account {
			cuts = append(cuts, group.Cut{Device: s.Device, Seq: s.Seq})
		}
	}
	return cuts, nil
}

// LeaveGroup leaves a group: the Leave op goes out on the topic, the node
// stops following it, and the remaining members rotate their keys.
func (n *Node) LeaveGroup(ctx context.Context, id group.ID) error {
	const op = "leave group"
	run, err := n.groupRun(id)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	run.mu.Lock()
	before := run.log.State().Clone()
	run.mu.Unlock()
	if !before.IsMember(n.self) {
		return fmt.Errorf("%s: %w", op, ErrNotMember)
	}
	// The op travels in a message of our own: its sequence number is the
	// cut, so the message itself counts.
	var ops []*group.Op
	_, err = n.publishGroup(ctx, run, groupPublish{anyone: true, build: func(seq uint64) (*pb.GroupContent, error) {
		var err error
		ops, err = n.groups.signOps(run, &group.Leave{Cuts: []group.Cut{{Device: n.device, Seq: seq}}})
		if err != nil {
			return nil, err
		}
		return &pb.GroupContent{Body: &pb.GroupContent_Ops{Ops: &pb.GroupOps{Ops: []*pb.GroupOp{ops[0].Wire}}}}, nil
	}})
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	// Members must be able to read the op (and what we sent before):
	// queue our key for whoever lacks it before we stop.
	n.groups.distributeKeyIn(ctx, run, before)
	if _, err := n.groups.commitOps(ctx, run, ops); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	return nil
}

// SetGroupRole makes a member an admin (group.RoleAdmin) or a plain member
// again (group.RoleMember; only the owner demotes admins).
func (n *Node) SetGroupRole(ctx context.Context, id group.ID, account identity.AccountID, role group.Role) error {
	const op = "set group role"
	run, err := n.groupRun(id)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if role != group.RoleMember && role != group.RoleAdmin {
		return fmt.Errorf("%s: role must be member or admin", op)
	}
	err = n.changeGroup(ctx, run, one(func(st *group.State) error {
		switch r := st.Role(account); {
		case r == group.RoleNone:
			return fmt.Errorf("%w: %s is not a member", ErrNotAllowed, account.Short())
		case r == role:
			return nil
		case st.Role(n.self) < group.RoleAdmin || r == group.RoleOwner || (r == group.RoleAdmin && st.Role(n.self) != group.RoleOwner):
			return ErrNotAllowed
		}
		return nil
	}, &group.SetRole{Account: account, Role: role}))
	if err != nil && !errors.Is(err, group.ErrNoEffect) {
		return fmt.Errorf("%s: %w", op, err)
	}
	return nil
}

// SetGroupInfo changes the group's name and description.
func (n *Node) SetGroupInfo(ctx context.Context, id group.ID, name, description string) error {
	const op = "set group info"
	run, err := n.groupRun(id)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if len(name) > group.MaxNameSize || len(description) > group.MaxDescriptionSize || !utf8.ValidString(name+description) {
		return fmt.Errorf("%s: %w: name or description", op, ErrTooLarge)
	}
	err = n.changeGroup(ctx, run, one(func(st *group.State) error {
		if !st.CanEditInfo(n.self) {
			return ErrNotAllowed
		}
		return nil
	}, &group.SetInfo{Name: name, Description: description}))
	if err != nil && !errors.Is(err, group.ErrNoEffect) {
		return fmt.Errorf("%s: %w", op, err)
	}
	return nil
}

// SetGroupSettings changes who may post, add members and edit the info
// (admins only).
func (n *Node) SetGroupSettings(ctx context.Context, id group.ID, s group.Settings) error {
	const op = "set group settings"
	run, err := n.groupRun(id)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	err = n.changeGroup(ctx, run, one(func(st *group.State) error {
		if st.Role(n.self) < group.RoleAdmin {
			return ErrNotAllowed
		}
		return nil
	}, &group.SetSettings{Settings: s}))
	if err != nil && !errors.Is(err, group.ErrNoEffect) {
		return fmt.Errorf("%s: %w", op, err)
	}
	return nil
}

// CreateGroupInvite makes an invite link valid for ttl (0: until revoked).
// Whoever holds the link can join: it goes to this account, whose node
// applies the join while the invite is live.
func (n *Node) CreateGroupInvite(ctx context.Context, id group.ID, ttl time.Duration) (string, error) {
	const op = "create group invite"
	run, err := n.groupRun(id)
	if err != nil {
		return "", fmt.Errorf("%s: %w", op, err)
	}
	link, err := group.NewInviteLink(id, n.self)
	if err != nil {
		return "", fmt.Errorf("%s: %w", op, err)
	}
	var exp int64
	if ttl > 0 {
		exp = time.Now().Add(ttl).UnixMilli()
	}
	err = n.changeGroup(ctx, run, one(func(st *group.State) error {
		if !st.CanAdd(n.self) {
			return ErrNotAllowed
		}
		return nil
	}, &group.CreateInvite{Key: link.PublicKey(), ExpiresAtMs: exp}))
	if err != nil {
		return "", fmt.Errorf("%s: %w", op, err)
	}
	return link.String(), nil
}

// RevokeGroupInvite revokes an invite link: joins applied after it fail.
func (n *Node) RevokeGroupInvite(ctx context.Context, link string) error {
	const op = "revoke group invite"
	l, err := group.ParseInviteLink(link)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	run, err := n.groupRun(l.Group)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	err = n.changeGroup(ctx, run, one(func(*group.State) error { return nil }, &group.RevokeInvite{Key: l.PublicKey()}))
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	return nil
}

// SendGroup sends text to a group and returns its ID: one encryption and
// one publish whatever the group's size. The message is stored (state
// pending) before SendGroup returns; it is sent once a peer of the topic
// takes it, delivered or read once every member has reported so.
func (n *Node) SendGroup(ctx context.Context, id group.ID, text string) (storage.MessageID, error) {
	const op = "send to group"
	switch {
	case text == "":
		return storage.MessageID{}, fmt.Errorf("%s: %w", op, ErrEmpty)
	case len(text) > MaxGroupTextSize:
		return storage.MessageID{}, fmt.Errorf("%s: %w: %d bytes, limit %d", op, ErrTooLarge, len(text), MaxGroupTextSize)
	case !utf8.ValidString(text):
		return storage.MessageID{}, fmt.Errorf("%s: text is not valid UTF-8", op)
	}
	run, err := n.groupRun(id)
	if err != nil {
		return storage.MessageID{}, fmt.Errorf("%s: %w", op, err)
	}
	mid, err := n.publishGroup(ctx, run, groupPublish{text: text, build: func(uint64) (*pb.GroupContent, error) {
		return &pb.GroupContent{Body: &pb.GroupContent_Text{Text: &pb.Text{Body: text}}}, nil
	}})
	if err != nil {
		return storage.MessageID{}, fmt.Errorf("%s: %w", op, err)
	}
	if err := n.durable(ctx); err != nil {
		return mid, fmt.Errorf("%s: %w", op, err)
	}
	return mid, nil
}

// GroupHistory returns up to limit messages of a group older than before
// (zero: the newest), oldest first. Every member holds them in the same
// order: IDs carry the group clock.
func (n *Node) GroupHistory(ctx context.Context, id group.ID, before storage.MessageID, limit int) ([]storage.Message, error) {
	if err := n.ready(); err != nil {
		return nil, fmt.Errorf("group history: %w", err)
	}
	return n.store.History(ctx, storage.Account(id), before, limit)
}

// MarkGroupRead marks every received message of a group as read and sends
// each sender one read receipt for its messages.
func (n *Node) MarkGroupRead(ctx context.Context, id group.ID) (int, error) {
	const op = "mark group read"
	if _, err := n.groupRun(id); err != nil {
		return 0, fmt.Errorf("%s: %w", op, err)
	}
	var (
		events []Event
		bySend map[identity.AccountID][]storage.MessageID
	)
	err := n.store.Update(ctx, func(ctx context.Context) error {
		events, bySend = events[:0], make(map[identity.AccountID][]storage.MessageID)
		unread, err := n.store.UnreadIncoming(ctx, storage.Account(id))
		if err != nil {
			return err
		}
		for _, m := range unread {
			ev, err := n.setState(ctx, m.ID, storage.Read)
			if err != nil {
				return err
			}
			events = append(events, ev...)
			s := identity.AccountID(m.Sender)
			bySend[s] = append(bySend[s], m.ID)
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("%s: %w", op, err)
	}
	count := 0
	for s, ids := range bySend {
		n.groups.rcpts.add(id, s, pb.Receipt_READ, ids...)
		count += len(ids)
	}
	for _, e := range events {
		n.bus.publish(e)
	}
	return count, nil
}

// GroupReceipts returns each member's state of one of our group messages
// (members that reported nothing yet are absent).
func (n *Node) GroupReceipts(ctx context.Context, id storage.MessageID) (map[identity.AccountID]storage.State, error) {
	if err := n.ready(); err != nil {
		return nil, fmt.Errorf("group receipts: %w", err)
	}
	got, err := n.store.GroupReceipts(ctx, id)
	if err != nil {
		return nil, err
	}
	out := make(map[identity.AccountID]storage.State, len(got))
	for a, st := range got {
		out[identity.AccountID(a)] = st
	}
	return out, nil
}

// SetGroupTyping tells the group's members that the user is (active) or
// stopped typing. Like 1:1 indicators it is encrypted and ephemeral: one
// publish, never stored, archived or kept by relays.
func (n *Node) SetGroupTyping(ctx context.Context, id group.ID, active bool) error {
	const op = "set group typing"
	run, err := n.groupRun(id)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	_, err = n.publishGroup(ctx, run, groupPublish{ephemeral: true, build: func(uint64) (*pb.GroupContent, error) {
		return &pb.GroupContent{Body: &pb.GroupContent_Typing{Typing: &pb.Typing{Active: active}}}, nil
	}})
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	return nil
}
