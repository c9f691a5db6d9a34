package groups

import (
	"time"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/group"
	"github.com/pigeon-net/pigeon/protocol/identity"
)

// Changes a Changed event reports.
const (
	Created         = "created"          // By created the group
	MemberAdded     = "member_added"     // By added Account (Role)
	MemberJoined    = "member_joined"    // Account joined through an invite (applied by By)
	MemberRemoved   = "member_removed"   // By removed Account
	MemberLeft      = "member_left"      // By left
	RoleChanged     = "role_changed"     // By made Account Role
	InfoChanged     = "info_changed"     // By changed name or description
	SettingsChanged = "settings_changed" // By changed the permissions
	InviteCreated   = "invite_created"
	InviteRevoked   = "invite_revoked"
)

// Changed is published for every membership op that takes effect in a
// group this node is in (including the ops that add or remove this node's
// own account).
type Changed struct {
	Group   core.GroupID
	Change  string // one of the change constants (Created, MemberAdded, ...)
	By      core.AccountID
	Account core.AccountID // the member the change is about, if any
	Role    Role
}

// Typing is published when a member starts or stops typing in a group. It
// is ephemeral: an active indicator lapses at Until unless repeated.
type Typing struct {
	Group  core.GroupID
	From   core.AccountID
	Active bool
	Until  time.Time
}

// Receipt is published when a member reports delivery or reading of our
// group messages. The messages' own states (core.MessageStateChanged)
// move once every member has.
type Receipt struct {
	Group core.GroupID
	From  core.AccountID
	Read  bool
	IDs   []core.MessageID
}

func (Changed) EventName() string { return "group_changed" }
func (Typing) EventName() string  { return "group_typing" }
func (Receipt) EventName() string { return "group_receipt" }

// changeOf describes an op that took effect.
func changeOf(op *group.Op) Changed {
	ev := Changed{Group: rt.CoreGroup(op.Group), By: rt.CoreAccount(op.Author.Account)}
	var account identity.AccountID // the member the change is about
	switch b := op.Body.(type) {
	case *group.Create:
		ev.Change, account, ev.Role = Created, op.Author.Account, RoleOwner
	case *group.Add:
		ev.Change, account, ev.Role = MemberAdded, b.Account, Role(b.Role)
	case *group.Join:
		ev.Change, account, ev.Role = MemberJoined, b.Account, RoleMember
	case *group.Remove:
		ev.Change, account = MemberRemoved, b.Account
	case *group.Leave:
		ev.Change, account = MemberLeft, op.Author.Account
	case *group.SetRole:
		ev.Change, account, ev.Role = RoleChanged, b.Account, Role(b.Role)
	case *group.SetInfo:
		ev.Change = InfoChanged
	case *group.SetSettings:
		ev.Change = SettingsChanged
	case *group.CreateInvite:
		ev.Change = InviteCreated
	case *group.RevokeInvite:
		ev.Change = InviteRevoked
	}
	ev.Account = rt.CoreAccount(account)
	return ev
}
