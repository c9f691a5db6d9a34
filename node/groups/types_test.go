package groups

import (
	"testing"

	"github.com/pigeon-net/pigeon/protocol/group"
	"github.com/pigeon-net/pigeon/storage"
)

// TestTypesMatch: the package's statuses, roles and permissions are the
// store's and the protocol's, value for value, so converting is a cast.
func TestTypesMatch(t *testing.T) {
	for s, want := range map[Status]storage.GroupStatus{Active: storage.GroupActive, Left: storage.GroupLeft, Removed: storage.GroupRemoved} {
		if storage.GroupStatus(s) != want || s.String() != want.String() {
			t.Errorf("status %v: store's %v", s, want)
		}
	}
	for r, want := range map[Role]group.Role{RoleNone: group.RoleNone, RoleMember: group.RoleMember, RoleAdmin: group.RoleAdmin, RoleOwner: group.RoleOwner} {
		if group.Role(r) != want || r.String() != want.String() {
			t.Errorf("role %v: protocol's %v", r, want)
		}
	}
	for p, want := range map[Permission]group.Permission{Members: group.Members, Admins: group.Admins} {
		if group.Permission(p) != want || p.String() != want.String() {
			t.Errorf("permission %v: protocol's %v", p, want)
		}
	}
	s := Settings{Post: Admins, Add: Members, EditInfo: Admins}
	if settingsOf(s.wire()) != s {
		t.Fatalf("settings do not convert back: %+v", settingsOf(s.wire()))
	}
}
