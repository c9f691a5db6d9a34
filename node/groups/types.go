package groups

import (
	"crypto/ed25519"
	"time"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/group"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/storage"
)

// Info describes a group this node is or was in.
type Info struct {
	ID          core.GroupID
	Name        string
	Description string
	Settings    Settings
	Members     []Member // ordered by account
	Invites     []Invite // the live ones
	Status      Status
	Role        Role // this account's
	Ops         int  // membership ops in the group's log
}

// Member is one member of a group.
type Member struct {
	Account core.AccountID
	Role    Role
	// Since is when it became a member, by the group's clock (the time
	// of the op that added it).
	Since time.Time
	// By added it; for a join through an invite, the invite's maker.
	By core.AccountID
}

// Invite is a live invite, named by its public key (the link itself is
// shown once, by CreateInvite).
type Invite struct {
	Key       ed25519.PublicKey
	ExpiresAt time.Time // zero: until revoked
	By        core.AccountID
}

// The values of Status, Role and Permission are the store's and the
// protocol's (types_test.go): converting is a cast.

// Status says whether this node takes part in a group.
type Status uint8

const (
	Active  Status = iota + 1 // this account is a member
	Left                      // it left
	Removed                   // an admin removed it
)

func (s Status) String() string { return storage.GroupStatus(s).String() }

// Role is a member's role in a group; RoleNone is not a member.
type Role uint8

const (
	RoleNone Role = iota
	RoleMember
	RoleAdmin
	RoleOwner
)

func (r Role) String() string { return group.Role(r).String() }

// ParseRole parses "member" or "admin", the roles a member may be given.
func ParseRole(s string) (Role, error) {
	r, err := group.ParseRole(s)
	return Role(r), err
}

// Permission says who may do something in a group.
type Permission uint8

const (
	Members Permission = iota // every member
	Admins                    // admins and the owner
)

func (p Permission) String() string { return group.Permission(p).String() }

// ParsePermission parses "members" or "admins".
func ParsePermission(s string) (Permission, error) {
	p, err := group.ParsePermission(s)
	return Permission(p), err
}

// Settings are a group's permissions; the zero value lets members do
// everything.
type Settings struct {
	Post     Permission // who may send messages
	Add      Permission // who may add members and create invites
	EditInfo Permission // who may change the name and description
	// AdminsDelete lets admins delete any member's message for everyone
	// (node/actions).
	AdminsDelete bool
}

func (s Settings) wire() group.Settings {
	return group.Settings{Post: group.Permission(s.Post), Add: group.Permission(s.Add), EditInfo: group.Permission(s.EditInfo), AdminsDelete: s.AdminsDelete}
}

func settingsOf(s group.Settings) Settings {
	return Settings{Post: Permission(s.Post), Add: Permission(s.Add), EditInfo: Permission(s.EditInfo), AdminsDelete: s.AdminsDelete}
}

// infoOf describes a group from its state.
func infoOf(id group.ID, st *group.State, status storage.GroupStatus, self identity.AccountID, ops int) Info {
	info := Info{
		ID: rt.CoreGroup(id), Name: st.Name(), Description: st.Description(), Settings: settingsOf(st.Settings()),
		Status: Status(status), Role: Role(st.Role(self)), Ops: ops,
	}
	for _, m := range st.Members() {
		info.Members = append(info.Members, Member{Account: rt.CoreAccount(m.Account), Role: Role(m.Role), Since: time.UnixMilli(int64(m.Since)), By: rt.CoreAccount(m.By)})
	}
	for _, inv := range st.Invites() {
		i := Invite{Key: inv.Key, By: rt.CoreAccount(inv.By)}
		if inv.ExpiresAtMs != 0 {
			i.ExpiresAt = time.UnixMilli(inv.ExpiresAtMs)
		}
		info.Invites = append(info.Invites, i)
	}
	return info
}
