package group

import (
	"bytes"
	"crypto/ed25519"
	"fmt"
	"maps"
	"slices"

	"github.com/pigeon-net/pigeon/protocol/identity"
)

// Member is one member of a group.
type Member struct {
	Account identity.AccountID
	Role    Role
	Since   uint64             // clock of the op that made it a member
	By      identity.AccountID // who added it (for joins: who made the invite)
}

// Invite is a live invite.
type Invite struct {
	Key         ed25519.PublicKey
	ExpiresAtMs int64 // 0 = never
	By          identity.AccountID
}

// State is a group as the fold of its op log leaves it. A State belongs to
// its Log and changes with it; Clone it to keep a copy.
type State struct {
	id       ID
	name     string
	desc     string
	settings Settings
	secret   [secretSize]byte
	members  map[identity.AccountID]Member
	// removed holds the cuts of accounts that left or were removed and
	// are not members again.
	removed map[identity.AccountID][]Cut
	invites map[[inviteKeySize]byte]Invite
}

func newState(genesis *Op) *State {
	c := genesis.Body.(*Create)
	owner := genesis.Author.Account
	return &State{
		id:       genesis.Group,
		name:     c.Name,
		desc:     c.Description,
		settings: c.Settings,
		secret:   c.Secret,
		members:  map[identity.AccountID]Member{owner: {Account: owner, Role: RoleOwner, Since: genesis.Clock, By: owner}},
		removed:  make(map[identity.AccountID][]Cut),
		invites:  make(map[[inviteKeySize]byte]Invite),
	}
}

// Clone returns a copy that does not change with the log.
func (s *State) Clone() *State {
	c := *s
	c.members = maps.Clone(s.members)
	c.removed = maps.Clone(s.removed)
	c.invites = maps.Clone(s.invites)
	return &c
}

// ID returns the group ID.
func (s *State) ID() ID { return s.id }

// Name returns the group's name.
func (s *State) Name() string { return s.name }

// Description returns the group's description.
func (s *State) Description() string { return s.desc }

// Settings returns the group's permissions.
func (s *State) Settings() Settings { return s.settings }

// Secret returns the group secret (the topic is derived from it).
func (s *State) Secret() []byte { return bytes.Clone(s.secret[:]) }

// Role returns a's role (RoleNone for non-members).
func (s *State) Role(a identity.AccountID) Role { return s.members[a].Role }

// IsMember reports whether a is a member.
func (s *State) IsMember(a identity.AccountID) bool { return s.members[a].Role != RoleNone }

// Member returns a's membership.
func (s *State) Member(a identity.AccountID) (Member, bool) {
	m, ok := s.members[a]
	return m, ok
}

// Len returns the number of members.
func (s *State) Len() int { return len(s.members) }

// Members returns the members ordered by account key.
func (s *State) Members() []Member {
	out := slices.Collect(maps.Values(s.members))
	slices.SortFunc(out, func(a, b Member) int { return bytes.Compare(a.Account[:], b.Account[:]) })
	return out
}

// Invites returns the live invites ordered by key.
func (s *State) Invites() []Invite {
	out := slices.Collect(maps.Values(s.invites))
	slices.SortFunc(out, func(a, b Invite) int { return bytes.Compare(a.Key, b.Key) })
	return out
}

// Cut returns the cut of a device of an account that left or was removed:
// its messages with a sequence number up to seq still count. ok is false
// for accounts that are members or never were.
func (s *State) Cut(a identity.AccountID, device uint32) (seq uint64, ok bool) {
	cuts, removed := s.removed[a]
	if !removed {
		return 0, false
	}
	for _, c := range cuts {
		if c.Device == device {
			return c.Seq, true
		}
	}
	return 0, true // removed, and the device had sent nothing that counts
}

// allowed reports whether a member with role r has permission p.
func allowed(r Role, p Permission) bool {
	if p == Admins {
		return r >= RoleAdmin
	}
	return r >= RoleMember
}

// CanPost reports whether a may send messages.
func (s *State) CanPost(a identity.AccountID) bool { return allowed(s.Role(a), s.settings.Post) }

// CanAdd reports whether a may add members and create invites.
func (s *State) CanAdd(a identity.AccountID) bool { return allowed(s.Role(a), s.settings.Add) }

// CanEditInfo reports whether a may change name and description.
func (s *State) CanEditInfo(a identity.AccountID) bool {
	return allowed(s.Role(a), s.settings.EditInfo)
}

// Accepts reports whether message number seq of device of account a
// counts: a is a member, or a left or was removed and seq is within its
// device's cut. Whether a may post texts is CanPost; control ops are
// checked by the fold.
func (s *State) Accepts(a identity.AccountID, device uint32, seq uint64) bool {
	if s.IsMember(a) {
		return true
	}
	cut, ok := s.Cut(a, device)
	return ok && seq <= cut
}

// apply checks op against the state and applies it. It changes nothing
// when it returns an error.
func (s *State) apply(op *Op) error {
	author := op.Author.Account
	role := s.Role(author)
	switch b := op.Body.(type) {
	case *Create:
		return fmt.Errorf("%w: a second create", ErrNotAllowed)
	case *Add:
		if !allowed(role, s.settings.Add) || (b.Role == RoleAdmin && role < RoleAdmin) {
			return ErrNotAllowed
		}
		if s.IsMember(b.Account) {
			return ErrNoEffect
		}
		if len(s.members) >= MaxMembers {
			return ErrFull
		}
		s.join(Member{Account: b.Account, Role: b.Role, Since: op.Clock, By: author})
	case *Remove:
		target := s.Role(b.Account)
		switch {
		case role < RoleAdmin || target == RoleOwner || b.Account == author:
			return ErrNotAllowed
		case target == RoleNone:
			return ErrNoEffect
		}
		s.leave(b.Account, b.Cuts)
	case *SetRole:
		target := s.Role(b.Account)
		switch {
		case role < RoleAdmin || target == RoleOwner:
			return ErrNotAllowed
		case target == RoleNone || target == b.Role:
			return ErrNoEffect
		case target == RoleAdmin && role != RoleOwner: // only the owner demotes admins
			return ErrNotAllowed
		}
		m := s.members[b.Account]
		m.Role = b.Role
		s.members[b.Account] = m
	case *SetInfo:
		if !allowed(role, s.settings.EditInfo) {
			return ErrNotAllowed
		}
		if s.name == b.Name && s.desc == b.Description {
			return ErrNoEffect
		}
		s.name, s.desc = b.Name, b.Description
	case *SetSettings:
		if role < RoleAdmin {
			return ErrNotAllowed
		}
		if s.settings == b.Settings {
			return ErrNoEffect
		}
		s.settings = b.Settings
	case *CreateInvite:
		if !allowed(role, s.settings.Add) {
			return ErrNotAllowed
		}
		k := [inviteKeySize]byte(b.Key)
		if _, ok := s.invites[k]; ok {
			return ErrNoEffect
		}
		s.invites[k] = Invite{Key: b.Key, ExpiresAtMs: b.ExpiresAtMs, By: author}
	case *RevokeInvite:
		k := [inviteKeySize]byte(b.Key)
		inv, ok := s.invites[k]
		switch {
		case role == RoleNone || (role < RoleAdmin && inv.By != author):
			return ErrNotAllowed
		case !ok:
			return ErrNoEffect
		}
		delete(s.invites, k)
	case *Join:
		switch {
		case role == RoleNone:
			return ErrNotAllowed
		case s.IsMember(b.Account):
			return ErrNoEffect
		}
		inv, ok := s.invites[[inviteKeySize]byte(b.InviteKey)]
		if !ok || (inv.ExpiresAtMs != 0 && op.Clock >= uint64(inv.ExpiresAtMs)) || !VerifyJoin(s.id, b) {
			return ErrInvite
		}
		if len(s.members) >= MaxMembers {
			return ErrFull
		}
		s.join(Member{Account: b.Account, Role: RoleMember, Since: op.Clock, By: inv.By})
	case *Leave:
		if role == RoleNone {
			return ErrNoEffect
		}
		s.leave(author, b.Cuts)
	default:
		return fmt.Errorf("%w: %T", ErrMalformed, op.Body)
	}
	return nil
}

func (s *State) join(m Member) {
	s.members[m.Account] = m
	delete(s.removed, m.Account)
}

func (s *State) leave(a identity.AccountID, cuts []Cut) {
	delete(s.members, a)
	s.removed[a] = slices.Clone(cuts)
}

// joinMessage is what an invite key signs for a joining account.
func joinMessage(group ID, account identity.AccountID) []byte {
	body := make([]byte, 0, 2*hashSize)
	body = append(body, group[:]...)
	body = append(body, account[:]...)
	return domainMessage(joinDomain, body)
}
