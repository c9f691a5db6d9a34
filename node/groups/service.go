package groups

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/group"
	"github.com/pigeon-net/pigeon/protocol/groupcast"
	"github.com/pigeon-net/pigeon/protocol/groupsync"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

// Service is a node's groups: n.Groups() returns it. Before the node
// started its methods return core.ErrNotStarted, after it closed
// core.ErrClosed. Its methods are safe for concurrent use.
type Service struct {
	*env

	versionsMu sync.Mutex                // a leaf
	versions   map[core.AccountID]uint64 // the newest device-list version seen per account
}

// New returns the groups feature over d and registers the contents it
// handles with d.Registry. It does no I/O. Node calls it.
func New(d Deps) (*Service, error) {
	if d.Store == nil || d.Host == nil || d.Keys == nil || d.Signer == nil || d.Devices == nil || d.Quotes == nil ||
		d.Pairwise == nil || d.States == nil || d.Registry == nil || d.Ops == nil || d.Durable == nil || d.Ready == nil ||
		d.TopicsChanged == nil || d.Publish == nil || d.Go == nil || d.Log == nil || d.Cert == nil {
		return nil, errors.New("groups: incomplete deps")
	}
	if d.Expiry == nil {
		d.Expiry = noExpiry{}
	}
	e := &env{
		d: d, self: rt.Account(d.Account), device: d.Device, log: d.Log,
		tick: cmp(d.Tuning.Tick, groupTick), repairEvery: cmp(d.Tuning.RepairEvery, groupRepairEvery),
	}
	e.set = &groupSet{env: e, runs: make(map[group.ID]*groupRun)}
	e.send = &sender{e}
	e.recv = &receiver{e}
	e.lists = &lists{e}
	e.sync = &syncer{e}
	e.rcpts = newGroupReceipts(e)
	e.hold = newGroupHold(rt.Account(d.Account), time.Now)
	if d.Tuning.HoldItems > 0 {
		e.hold.maxItems = d.Tuning.HoldItems
	}
	if d.Tuning.HoldBytes > 0 {
		e.hold.maxBytes = d.Tuning.HoldBytes
	}
	isGroup := func(c *pb.Content) bool { return len(c.GetReceipt().GetGroupId()) > 0 }
	d.Registry.HandleContent(rt.KindGroup, nil, e.recv.takeControl)
	d.Registry.HandleContent(rt.KindReceipt, isGroup, e.recv.takeReceipt)
	d.Ops.HandleOp(OpMessage, e.foldMessage)
	d.Ops.HandleOp(OpRead, e.foldRead)
	d.Ops.CarriesMessage(OpMessage, messageOfOp)
	d.Ops.HandleState("groups", e.digest)
	return &Service{env: e}, nil
}

// cmp returns v, or def when v is zero.
func cmp[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

// Start joins the groups' topics, answers /pigeon/group/1 and starts the
// groups this node is in. ctx bounds loading only. Node calls it once the
// outbox runs, before envelopes are taken.
func (s *Service) Start(ctx context.Context) error {
	caster, err := groupcast.New(s.d.Host, groupcast.WithLogger(s.log.With("sub", "groupcast")))
	if err != nil {
		return err
	}
	s.set.caster = caster
	s.set.served = groupsync.NewService(s.d.Host, s.sync.serve, s.log.With("sub", "groupsync"))
	if err := s.set.load(ctx); err != nil {
		return err
	}
	s.d.Go(s.rcpts.run)
	return nil
}

// Close stops what Start started. Node calls it after its goroutines
// stopped.
func (s *Service) Close() {
	s.set.close()
}

// ready returns why calls cannot be served now.
func (s *Service) ready() error {
	if s == nil {
		return core.ErrNotStarted
	}
	return s.d.Ready()
}

// runOf returns the run of group id.
func (s *Service) runOf(id core.GroupID) (*groupRun, error) {
	if err := s.ready(); err != nil {
		return nil, err
	}
	run := s.set.get(rt.Group(id))
	if run == nil {
		return nil, fmt.Errorf("%w: %s", ErrUnknownGroup, id.Short())
	}
	return run, nil
}

func (s *Service) info(run *groupRun) Info {
	run.mu.Lock()
	defer run.mu.Unlock()
	return infoOf(run.id, run.log.State(), run.rec.Status, s.self, run.log.Len())
}

// List lists the groups this node is or was in, ordered by ID.
func (s *Service) List(ctx context.Context) ([]Info, error) {
	if err := s.ready(); err != nil {
		return nil, fmt.Errorf("groups: %w", err)
	}
	recs, err := s.d.Store.Groups(ctx)
	if err != nil {
		return nil, err
	}
	var out []Info
	for _, rec := range recs {
		if run := s.set.get(rec.ID); run != nil {
			out = append(out, s.info(run))
		}
	}
	return out, nil
}

// Info describes one group.
func (s *Service) Info(ctx context.Context, id core.GroupID) (Info, error) {
	run, err := s.runOf(id)
	if err != nil {
		return Info{}, fmt.Errorf("group info: %w", err)
	}
	return s.info(run), nil
}

// Create creates a group owned by this account, with members added (as
// plain members) at once. The members get the group's log pairwise and
// join its topic when it reaches them. A member whose device list cannot
// be found fails the call (core.ErrUnknownAccount, naming it) before
// anything is made.
func (s *Service) Create(ctx context.Context, name, description string, settings Settings, members ...core.AccountID) (core.GroupID, error) {
	const op = "create group"
	if err := s.ready(); err != nil {
		return core.GroupID{}, fmt.Errorf("%s: %w", op, err)
	}
	if err := s.set.checkAccounts(ctx, rt.Accounts(members)); err != nil {
		return core.GroupID{}, fmt.Errorf("%s: %w", op, err)
	}
	create, err := group.NewCreate(name, description, settings.wire())
	if err != nil {
		return core.GroupID{}, fmt.Errorf("%s: %w", op, err)
	}
	genesis, err := s.d.Signer.Genesis(uint64(time.Now().UnixMilli()), create)
	if err != nil {
		return core.GroupID{}, fmt.Errorf("%s: %w", op, err)
	}
	l, err := group.NewLog(genesis)
	if err != nil {
		return core.GroupID{}, fmt.Errorf("%s: %w", op, err)
	}
	rec := storage.Group{ID: genesis.Group, Status: storage.GroupActive, Clock: genesis.Clock, JoinedAt: time.Now()}
	raw, err := genesis.Marshal()
	if err != nil {
		return core.GroupID{}, fmt.Errorf("%s: %w", op, err)
	}
	err = s.d.Store.Update(ctx, func(ctx context.Context) error {
		if err := s.d.Store.PutGroupOp(ctx, genesis.Group, genesis.Hash, raw); err != nil {
			return err
		}
		return s.d.Store.PutGroup(ctx, rec)
	})
	if err != nil {
		return core.GroupID{}, fmt.Errorf("%s: %w", op, err)
	}
	run := newGroupRun(l, rec)
	s.set.mu.Lock()
	s.set.runs[run.id] = run
	s.set.mu.Unlock()
	s.set.activate(run)
	s.d.Publish(changeOf(genesis))
	if len(members) > 0 {
		if err := s.AddMembers(ctx, rt.CoreGroup(run.id), RoleMember, members...); err != nil {
			return rt.CoreGroup(run.id), fmt.Errorf("%s: %w", op, err)
		}
	}
	return rt.CoreGroup(run.id), nil
}

// AddMembers adds accounts with role (RoleMember or RoleAdmin); accounts
// already in are skipped. An account whose device list cannot be found
// (in the DHT or here) fails the call with an error wrapping
// core.ErrUnknownAccount that names it, and nobody is added.
func (s *Service) AddMembers(ctx context.Context, id core.GroupID, role Role, members ...core.AccountID) error {
	const op = "add group members"
	accounts := rt.Accounts(members)
	run, err := s.runOf(id)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if role != RoleMember && role != RoleAdmin {
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
	if err := s.set.checkAccounts(ctx, fresh); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	err = s.set.change(ctx, run, func(st *group.State) ([]group.Body, []identity.AccountID, error) {
		if !st.CanAdd(s.self) || (role == RoleAdmin && st.Role(s.self) < group.RoleAdmin) {
			return nil, nil, ErrNotAllowed
		}
		var bodies []group.Body
		var welcome []identity.AccountID
		for _, a := range accounts {
			if !st.IsMember(a) && a != s.self {
				bodies = append(bodies, &group.Add{Account: a, Role: group.Role(role)})
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

// RemoveMember removes a member. Every remaining member's devices rotate
// their sender keys, so the removed account cannot read what is sent
// after; its messages sent after the removal (past the cut this node saw)
// never reach history anywhere.
func (s *Service) RemoveMember(ctx context.Context, id core.GroupID, member core.AccountID) error {
	const op = "remove group member"
	account := rt.Account(member)
	run, err := s.runOf(id)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	cuts, err := s.set.cutsOf(ctx, rt.Group(id), account)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	err = s.set.change(ctx, run, one(func(st *group.State) error {
		switch r := st.Role(account); {
		case account == s.self:
			return fmt.Errorf("%w: leave instead", ErrNotAllowed)
		case r == group.RoleNone:
			return fmt.Errorf("%w: %s is not a member", ErrNotAllowed, account.Short())
		case st.Role(s.self) < group.RoleAdmin || r == group.RoleOwner:
			return ErrNotAllowed
		}
		return nil
	}, &group.Remove{Account: account, Cuts: cuts}))
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	return nil
}

// Leave leaves a group: the Leave op goes out on the topic, the node
// stops following it, and the remaining members rotate their keys.
func (s *Service) Leave(ctx context.Context, id core.GroupID) error {
	const op = "leave group"
	run, err := s.runOf(id)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	run.mu.Lock()
	before := run.log.State().Clone()
	run.mu.Unlock()
	if !before.IsMember(s.self) {
		return fmt.Errorf("%s: %w", op, ErrNotMember)
	}
	// The op travels in a message of our own: its sequence number is the
	// cut, so the message itself counts.
	var ops []*group.Op
	_, err = s.send.publish(ctx, run, groupPublish{anyone: true, build: func(seq uint64) (*pb.GroupContent, error) {
		var err error
		ops, err = s.set.signOps(run, &group.Leave{Cuts: []group.Cut{{Device: s.device, Seq: seq}}})
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
	s.send.distributeKeyIn(ctx, run, before)
	if _, err := s.set.commitOps(ctx, run, ops); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	return nil
}

// SetRole makes a member an admin (RoleAdmin) or a plain member again
// (RoleMember; only the owner demotes admins).
func (s *Service) SetRole(ctx context.Context, id core.GroupID, member core.AccountID, role Role) error {
	const op = "set group role"
	account := rt.Account(member)
	run, err := s.runOf(id)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if role != RoleMember && role != RoleAdmin {
		return fmt.Errorf("%s: role must be member or admin", op)
	}
	want := group.Role(role)
	err = s.set.change(ctx, run, one(func(st *group.State) error {
		switch r := st.Role(account); {
		case r == group.RoleNone:
			return fmt.Errorf("%w: %s is not a member", ErrNotAllowed, account.Short())
		case r == want:
			return nil
		case st.Role(s.self) < group.RoleAdmin || r == group.RoleOwner || (r == group.RoleAdmin && st.Role(s.self) != group.RoleOwner):
			return ErrNotAllowed
		}
		return nil
	}, &group.SetRole{Account: account, Role: want}))
	if err != nil && !errors.Is(err, group.ErrNoEffect) {
		return fmt.Errorf("%s: %w", op, err)
	}
	return nil
}

// SetInfo changes the group's name and description.
func (s *Service) SetInfo(ctx context.Context, id core.GroupID, name, description string) error {
	const op = "set group info"
	run, err := s.runOf(id)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if len(name) > group.MaxNameSize || len(description) > group.MaxDescriptionSize || !utf8.ValidString(name+description) {
		return fmt.Errorf("%s: %w: name or description", op, core.ErrTooLarge)
	}
	err = s.set.change(ctx, run, one(func(st *group.State) error {
		if !st.CanEditInfo(s.self) {
			return ErrNotAllowed
		}
		return nil
	}, &group.SetInfo{Name: name, Description: description}))
	if err != nil && !errors.Is(err, group.ErrNoEffect) {
		return fmt.Errorf("%s: %w", op, err)
	}
	return nil
}

// SetSettings changes who may post, add members and edit the info
// (admins only).
func (s *Service) SetSettings(ctx context.Context, id core.GroupID, settings Settings) error {
	const op = "set group settings"
	run, err := s.runOf(id)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	err = s.set.change(ctx, run, one(func(st *group.State) error {
		if st.Role(s.self) < group.RoleAdmin {
			return ErrNotAllowed
		}
		return nil
	}, &group.SetSettings{Settings: settings.wire()}))
	if err != nil && !errors.Is(err, group.ErrNoEffect) {
		return fmt.Errorf("%s: %w", op, err)
	}
	return nil
}

// CreateInvite makes an invite link valid for ttl (0: until revoked).
// Whoever holds the link can join: it goes to this account, whose node
// applies the join while the invite is live.
func (s *Service) CreateInvite(ctx context.Context, id core.GroupID, ttl time.Duration) (string, error) {
	const op = "create group invite"
	run, err := s.runOf(id)
	if err != nil {
		return "", fmt.Errorf("%s: %w", op, err)
	}
	link, err := group.NewInviteLink(rt.Group(id), s.self)
	if err != nil {
		return "", fmt.Errorf("%s: %w", op, err)
	}
	var exp int64
	if ttl > 0 {
		exp = time.Now().Add(ttl).UnixMilli()
	}
	err = s.set.change(ctx, run, one(func(st *group.State) error {
		if !st.CanAdd(s.self) {
			return ErrNotAllowed
		}
		return nil
	}, &group.CreateInvite{Key: link.PublicKey(), ExpiresAtMs: exp}))
	if err != nil {
		return "", fmt.Errorf("%s: %w", op, err)
	}
	return link.String(), nil
}

// RevokeInvite revokes an invite link: joins applied after it fail.
func (s *Service) RevokeInvite(ctx context.Context, link string) error {
	const op = "revoke group invite"
	l, err := group.ParseInviteLink(link)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	run, err := s.runOf(rt.CoreGroup(l.Group))
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	err = s.set.change(ctx, run, one(func(*group.State) error { return nil }, &group.RevokeInvite{Key: l.PublicKey()}))
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	return nil
}

// Send sends text to a group and returns its ID: one encryption and one
// publish whatever the group's size. The message is stored (state
// pending) before Send returns; it is sent once a peer of the topic takes
// it, delivered or read once every member has reported so.
func (s *Service) Send(ctx context.Context, id core.GroupID, text string) (core.MessageID, error) {
	return s.SendWith(ctx, id, text, core.SendOptions{})
}

// SendWith is Send with options: opts.ReplyTo makes the text a reply to
// a message of the group (it carries a quote of it); a message not held
// here, or of another chat, fails with replies.ErrNotInChat.
func (s *Service) SendWith(ctx context.Context, id core.GroupID, text string, opts core.SendOptions) (core.MessageID, error) {
	const op = "send to group"
	switch {
	case text == "":
		return core.MessageID{}, fmt.Errorf("%s: %w", op, core.ErrEmpty)
	case len(text) > MaxTextSize:
		return core.MessageID{}, fmt.Errorf("%s: %w: %d bytes, limit %d", op, core.ErrTooLarge, len(text), MaxTextSize)
	case !utf8.ValidString(text):
		return core.MessageID{}, fmt.Errorf("%s: text is not valid UTF-8", op)
	}
	run, err := s.runOf(id)
	if err != nil {
		return core.MessageID{}, fmt.Errorf("%s: %w", op, err)
	}
	quote, err := s.quote(ctx, id, opts)
	if err != nil {
		return core.MessageID{}, fmt.Errorf("%s: %w", op, err)
	}
	var stamp storage.Message
	timer, err := s.d.Expiry.Stamp(ctx, storage.Account(id), true, &stamp)
	if err != nil {
		return core.MessageID{}, fmt.Errorf("%s: %w", op, err)
	}
	mid, err := s.send.publish(ctx, run, groupPublish{text: text, quote: quote, expireAfter: stamp.ExpireAfter, build: func(uint64) (*pb.GroupContent, error) {
		return &pb.GroupContent{Timer: timer, Body: &pb.GroupContent_Text{Text: &pb.Text{Body: text}}}, nil
	}})
	if err != nil {
		return core.MessageID{}, fmt.Errorf("%s: %w", op, err)
	}
	s.d.Expiry.Wake()
	if err := s.d.Durable(ctx); err != nil {
		return rt.CoreID(mid), fmt.Errorf("%s: %w", op, err)
	}
	return rt.CoreID(mid), nil
}

// quote builds the quote of the message a reply to group g answers (nil
// when opts names none).
func (s *Service) quote(ctx context.Context, g core.GroupID, opts core.SendOptions) (*pb.Quote, error) {
	if opts.ReplyTo.IsZero() {
		return nil, nil
	}
	q, err := s.d.Quotes.Quote(ctx, storage.Account(g), rt.ID(opts.ReplyTo))
	if err != nil {
		return nil, fmt.Errorf("reply to %s: %w", opts.ReplyTo, err)
	}
	return q, nil
}

// History returns up to limit messages of a group older than before
// (zero: the newest), oldest first. Every member holds them in the same
// order: IDs carry the group clock.
func (s *Service) History(ctx context.Context, id core.GroupID, before core.MessageID, limit int) ([]core.Message, error) {
	if err := s.ready(); err != nil {
		return nil, fmt.Errorf("group history: %w", err)
	}
	ms, err := s.d.Store.History(ctx, storage.Account(id), rt.ID(before), limit)
	if err != nil {
		return nil, err
	}
	return rt.Messages(ms), nil
}

// MarkRead marks every received message of a group as read and sends each
// sender one read receipt for its messages. It returns how many it marked.
func (s *Service) MarkRead(ctx context.Context, id core.GroupID) (int, error) {
	const op = "mark group read"
	if _, err := s.runOf(id); err != nil {
		return 0, fmt.Errorf("%s: %w", op, err)
	}
	var (
		events []core.Event
		bySend map[identity.AccountID][]storage.MessageID
		after  func()
		synced []storage.OutboxItem
	)
	err := s.d.Store.Update(ctx, func(ctx context.Context) error {
		events, bySend, after, synced = events[:0], make(map[identity.AccountID][]storage.MessageID), nil, nil
		unread, err := s.d.Store.UnreadIncoming(ctx, storage.Account(id))
		if err != nil {
			return err
		}
		if len(unread) > 0 {
			upTo := unread[0].ID
			for _, m := range unread {
				if bytes.Compare(m.ID[:], upTo[:]) > 0 {
					upTo = m.ID
				}
			}
			// Our other devices mark it read too, and disappearing texts
			// count down from the operation's time on all of them.
			read, items, err := s.appendRead(ctx, storage.Account(id), upTo)
			if err != nil {
				return err
			}
			synced = items
			if after, err = s.d.Expiry.Read(ctx, storage.Account(id), upTo, read.At); err != nil {
				return err
			}
		}
		for _, m := range unread {
			ev, err := s.d.States.SetState(ctx, rt.CoreID(m.ID), core.Read)
			if err != nil {
				return err
			}
			events = append(events, ev...)
			sender := identity.AccountID(m.Sender)
			bySend[sender] = append(bySend[sender], m.ID)
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("%s: %w", op, err)
	}
	for _, it := range synced {
		s.d.Pairwise.Enqueue(it)
	}
	if after != nil {
		after()
	}
	count := 0
	for sender, ids := range bySend {
		s.rcpts.add(rt.Group(id), sender, pb.Receipt_READ, ids...)
		count += len(ids)
	}
	for _, e := range events {
		s.d.Publish(e)
	}
	return count, nil
}

// Receipts returns each member's state of one of our group messages
// (members that reported nothing yet are absent).
func (s *Service) Receipts(ctx context.Context, id core.MessageID) (map[core.AccountID]core.State, error) {
	if err := s.ready(); err != nil {
		return nil, fmt.Errorf("group receipts: %w", err)
	}
	got, err := s.d.Store.GroupReceipts(ctx, rt.ID(id))
	if err != nil {
		return nil, err
	}
	out := make(map[core.AccountID]core.State, len(got))
	for a, st := range got {
		out[core.AccountID(a)] = core.State(st)
	}
	return out, nil
}

// SetTyping tells the group's members that the user is (active) or
// stopped typing. Like 1:1 indicators it is encrypted and ephemeral: one
// publish, never stored, archived or kept by relays.
func (s *Service) SetTyping(ctx context.Context, id core.GroupID, active bool) error {
	const op = "set group typing"
	run, err := s.runOf(id)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	_, err = s.send.publish(ctx, run, groupPublish{ephemeral: true, build: func(uint64) (*pb.GroupContent, error) {
		return &pb.GroupContent{Body: &pb.GroupContent_Typing{Typing: &pb.Typing{Active: active}}}, nil
	}})
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	return nil
}
