package contacts

import "github.com/pigeon-net/pigeon/node/core"

// Changed is published after a contact is added, renamed, verified or
// removed (Removed set).
type Changed struct {
	Account core.AccountID
	Name    string
	Removed bool
}

// IdentityChanged is published when a contact's device presents a new
// Signal identity key (certified by the contact's account key). The safety
// number changes with it; if the contact was verified, sending is blocked
// until the user verifies again.
type IdentityChanged struct {
	Account         core.AccountID
	Device          uint32
	OldSafetyNumber string
	SafetyNumber    string
}

func (Changed) EventName() string         { return "contact_changed" }
func (IdentityChanged) EventName() string { return "identity_changed" }
