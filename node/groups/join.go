package groups

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/libp2p/go-libp2p/core/peerstore"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/group"
	"github.com/pigeon-net/pigeon/protocol/groupsync"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

// Joining through an invite
//
// Whoever holds an invite link asks the invite's maker directly, on
// /pigeon/group/1 (groupsync), and waits for the answer: let in (the maker
// applied the Join op, published it, and sends the group's log pairwise,
// as to any new member) or refused, with the reason. A refusal is said
// only to someone who signed the request with the invite's key (it proves
// they hold the link); others hear of an unknown invite. Older joiners
// send the request pairwise (GroupControl.join); the maker lets them in
// the same way but cannot answer a refusal.

// joinTimeout bounds Join: asking the maker, and waiting for the
// group's log once it let us in (the CLI waits 30 s for an answer).
const joinTimeout = 20 * time.Second

// joinRefusals says why a maker refused, and what to do.
var joinRefusals = map[pb.GroupJoinAnswer]string{
	pb.GroupJoinAnswer_GROUP_JOIN_REVOKED:        "the invite was revoked: ask for a new invite link",
	pb.GroupJoinAnswer_GROUP_JOIN_EXPIRED:        "the invite expired: ask for a new invite link",
	pb.GroupJoinAnswer_GROUP_JOIN_UNKNOWN_INVITE: "its maker knows no such invite (or has left the group): ask for a new invite link",
	pb.GroupJoinAnswer_GROUP_JOIN_FULL:           "the group is full",
}

// Join asks to join through an invite link and waits (up to 20 s) for the
// answer of the account that made the invite. Let in, it waits for the
// group's log to arrive and returns the group's ID (the group is then
// usable; if the log is slower, it shows up with a Changed event,
// member_joined). Refused, it returns an error wrapping ErrInviteRefused
// that says why (revoked, expired, unknown invite, full group); with the
// maker's node unreachable, one wrapping ErrUnreachable.
func (s *Service) Join(ctx context.Context, link string) (core.GroupID, error) {
	const op = "join group"
	if err := s.ready(); err != nil {
		return core.GroupID{}, fmt.Errorf("%s: %w", op, err)
	}
	l, err := group.ParseInviteLink(link)
	if err != nil {
		return core.GroupID{}, fmt.Errorf("%s: %w", op, err)
	}
	if l.Inviter == s.self {
		return core.GroupID{}, fmt.Errorf("%s: %w", op, core.ErrSelf)
	}
	ctx, cancel := context.WithTimeout(ctx, joinTimeout)
	defer cancel()
	if s.set.isActiveMember(l.Group) {
		return rt.CoreGroup(l.Group), nil
	}
	list, err := s.d.Devices.Get(ctx, rt.CoreAccount(l.Inviter), false)
	if err != nil {
		return core.GroupID{}, fmt.Errorf("%s: the invite's maker: %w", op, err)
	}
	req := &pb.GroupSyncRequest{GroupId: l.Group[:], Certificate: s.d.Cert.Signed,
		Body: &pb.GroupSyncRequest_Join{Join: group.JoinPB(l.JoinBody(s.self))}}
	answer, err := s.sync.askJoin(ctx, list, req)
	if err != nil {
		return core.GroupID{}, fmt.Errorf("%s: %w", op, err)
	}
	if answer != pb.GroupJoinAnswer_GROUP_JOIN_ADMITTED {
		why, ok := joinRefusals[answer]
		if !ok {
			why = fmt.Sprintf("answer %v", answer)
		}
		return core.GroupID{}, fmt.Errorf("%s: %w: %s", op, ErrInviteRefused, why)
	}
	s.log.Debug("let into group", "group", l.Group.Short(), "by", l.Inviter.Short())
	s.set.waitActive(ctx, l.Group)
	return rt.CoreGroup(l.Group), nil
}

// askJoin sends a join request to the maker's devices until one answers.
func (g *syncer) askJoin(ctx context.Context, maker *identity.DeviceList, req *pb.GroupSyncRequest) (pb.GroupJoinAnswer, error) {
	var last error
	for _, d := range maker.Devices {
		if len(d.Addrs) > 0 {
			g.d.Host.Peerstore().AddAddrs(d.Cert.PeerID, d.Addrs, peerstore.TempAddrTTL)
		}
		resp, err := groupsync.Ask(ctx, g.d.Host, d.Cert.PeerID, req)
		var ce *groupsync.CodeError
		switch {
		case err == nil && resp.JoinAnswer != pb.GroupJoinAnswer_GROUP_JOIN_ANSWER_NONE:
			return resp.JoinAnswer, nil
		case err == nil || errors.As(err, &ce):
			// It answered, but not to a join: a node from before join
			// answers, or one that failed.
			return 0, fmt.Errorf("the invite's maker %s could not take the request (%v): its node may need an update", maker.Account.Short(), err)
		}
		last = err
	}
	if last == nil {
		last = errors.New("no device listed")
	}
	g.log.Debug("invite's maker not reachable", "account", maker.Account.Short(), "err", last)
	return 0, fmt.Errorf("%w: the invite's maker %s (%v): try again when it is online", ErrUnreachable, maker.Account.Short(), last)
}

// answerJoin answers a join request on /pigeon/group/1.
func (g *syncer) answerJoin(ctx context.Context, req *groupsync.Request) *pb.GroupSyncResponse {
	j, err := group.JoinOf(req.Join)
	if err != nil || j.Account != req.Cert.Account {
		return &pb.GroupSyncResponse{Code: pb.ErrorCode_MALFORMED} // a join for someone else
	}
	g.d.Devices.RememberCert(req.Cert)
	answer, err := g.admit(ctx, group.ID(req.Group), j)
	if err != nil {
		g.log.Warn("apply join", "group", group.ID(req.Group).Short(), "err", err)
		return &pb.GroupSyncResponse{Code: pb.ErrorCode_INTERNAL}
	}
	return &pb.GroupSyncResponse{JoinAnswer: answer}
}

// admit applies a join that j.Account asked this node for, through an
// invite of group gid: it authors the Join op, publishes it and welcomes
// the new member. It answers why not when it does not.
func (g *syncer) admit(ctx context.Context, gid group.ID, j *group.Join) (pb.GroupJoinAnswer, error) {
	run := g.set.get(gid)
	if run == nil || !group.VerifyJoin(gid, j) {
		return pb.GroupJoinAnswer_GROUP_JOIN_UNKNOWN_INVITE, nil
	}
	run.mu.Lock()
	st := run.log.State()
	answer := inviteStatus(run.log, j.InviteKey, time.Now())
	member := st.IsMember(g.self) && run.rec.Status == storage.GroupActive
	already := st.IsMember(j.Account)
	run.mu.Unlock()
	switch {
	case !member:
		return pb.GroupJoinAnswer_GROUP_JOIN_UNKNOWN_INVITE, nil // not ours to honour any more
	case answer != pb.GroupJoinAnswer_GROUP_JOIN_ADMITTED:
		g.log.Debug("join refused", "group", gid.Short(), "account", j.Account.Short(), "answer", answer)
		return answer, nil
	case already:
		g.send.sendWelcome(ctx, run, j.Account) // asked again: its welcome may be lost
		return pb.GroupJoinAnswer_GROUP_JOIN_ADMITTED, nil
	}
	ops, err := g.set.signOps(run, j)
	if err != nil {
		return 0, err
	}
	if _, err := g.set.commitOps(ctx, run, ops); err != nil {
		return 0, err
	}
	run.mu.Lock()
	rejected := run.log.Rejected(ops[0].Hash)
	if rejected != nil {
		answer = inviteStatus(run.log, j.InviteKey, time.Now())
	}
	run.mu.Unlock()
	switch {
	case errors.Is(rejected, group.ErrFull):
		return pb.GroupJoinAnswer_GROUP_JOIN_FULL, nil
	case errors.Is(rejected, group.ErrNoEffect): // let in meanwhile
	case rejected != nil && answer != pb.GroupJoinAnswer_GROUP_JOIN_ADMITTED:
		return answer, nil
	case rejected != nil: // the invite expired between the check and the op's clock
		return pb.GroupJoinAnswer_GROUP_JOIN_EXPIRED, nil
	default:
		if err := g.send.publishOps(ctx, run, ops); err != nil {
			g.log.Warn("publish join", "group", gid.Short(), "err", err) // members repair it
		}
	}
	g.send.sendWelcome(ctx, run, j.Account)
	g.d.Go(func(ctx context.Context) { g.send.shareLists(ctx, run, []identity.AccountID{j.Account}) })
	return pb.GroupJoinAnswer_GROUP_JOIN_ADMITTED, nil
}

// inviteStatus says whether the invite with key is live in l at now:
// ADMITTED when it is, else why not.
func inviteStatus(l *group.Log, key []byte, now time.Time) pb.GroupJoinAnswer {
	for _, inv := range l.State().Invites() {
		if bytes.Equal(inv.Key, key) {
			if inv.ExpiresAtMs != 0 && now.UnixMilli() >= inv.ExpiresAtMs {
				return pb.GroupJoinAnswer_GROUP_JOIN_EXPIRED
			}
			return pb.GroupJoinAnswer_GROUP_JOIN_ADMITTED
		}
	}
	for _, op := range l.Ops() {
		if r, ok := op.Body.(*group.RevokeInvite); ok && bytes.Equal(r.Key, key) && l.Rejected(op.Hash) == nil {
			return pb.GroupJoinAnswer_GROUP_JOIN_REVOKED
		}
	}
	return pb.GroupJoinAnswer_GROUP_JOIN_UNKNOWN_INVITE
}
