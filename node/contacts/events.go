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
// Signal identity key under a device number it used before with another
// (a reinstall, or someone in between, even if the contact's account key
// certified it). The safety number, over the account keys, stays the same;
// if the contact was verified, sending is held until the user checks the
// number with the contact and verifies again. A contact linking a new
// device is not an identity change.
type IdentityChanged struct {
	Account core.AccountID
	Device  uint32
}

func (Changed) EventName() string         { return "contact_changed" }
func (IdentityChanged) EventName() string { return "identity_changed" }
