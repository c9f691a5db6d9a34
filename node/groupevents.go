package node

import (
	"time"

	"github.com/pigeon-net/pigeon/protocol/group"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/storage"
)

// Group changes reported by GroupChanged.
const (
	GroupCreated         = "created"          // By created the group
	GroupMemberAdded     = "member_added"     // By added Account (Role)
	GroupMemberJoined    = "member_joined"    // Account joined through an invite (applied by By)
	GroupMemberRemoved   = "member_removed"   // By removed Account
	GroupMemberLeft      = "member_left"      // By left
	GroupRoleChanged     = "role_changed"     // By made Account Role
	GroupInfoChanged     = "info_changed"     // By changed name or description
	GroupSettingsChanged = "settings_changed" // By changed the permissions
	GroupInviteCreated   = "invite_created"
	GroupInviteRevoked   = "invite_revoked"
)

// GroupChanged is published for every control op that takes effect in a
// group this node is in (including the ops that add or remove this node's
// own account).
type GroupChanged struct {
	Group   group.ID
	Change  string // one of the Group… constants
	By      identity.AccountID
	Account identity.AccountID // the member the change is about, if any
	Role    group.Role
}

// GroupTyping is published when a member starts or stops typing in a
// group. It is ephemeral: an active indicator lapses at Until unless
// repeated.
type GroupTyping struct {
	Group  group.ID
	From   identity.AccountID
	Active bool
	Until  time.Time
}

// GroupReceipt is published when a member reports delivery or reading of
// our group messages. The messages' own states (MessageStateChanged) move
// once every member has.
type GroupReceipt struct {
	Group group.ID
	From  identity.AccountID
	Read  bool
	IDs   []storage.MessageID
}

func (GroupChanged) EventName() string { return "group_changed" }
func (GroupTyping) EventName() string  { return "group_typing" }
func (GroupReceipt) EventName() string { return "group_receipt" }

// changeOf describes an op that took effect.
func changeOf(op *group.Op) GroupChanged {
	ev := GroupChanged{Group: op.Group, By: op.Author.Account}
	switch b := op.Body.(type) {
	case *group.Create:
		ev.Change, ev.Account, ev.Role = GroupCreated, op.Author.Account, group.RoleOwner
	case *group.Add:
		ev.Change, ev.Account, ev.Role = GroupMemberAdded, b.Account, b.Role
	case *group.Join:
		ev.Change, ev.Account, ev.Role = GroupMemberJoined, b.Account, group.RoleMember
	case *group.Remove:
		ev.Change, ev.Account = GroupMemberRemoved, b.Account
	case *group.Leave:
		ev.Change, ev.Account = GroupMemberLeft, op.Author.Account
	case *group.SetRole:
		ev.Change, ev.Account, ev.Role = GroupRoleChanged, b.Account, b.Role
	case *group.SetInfo:
		ev.Change = GroupInfoChanged
	case *group.SetSettings:
		ev.Change = GroupSettingsChanged
	case *group.CreateInvite:
		ev.Change = GroupInviteCreated
	case *group.RevokeInvite:
		ev.Change = GroupInviteRevoked
	}
	return ev
}
