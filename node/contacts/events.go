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

// BlockedChanged is published after an account was blocked or unblocked
// (on this device or another of ours).
type BlockedChanged struct {
	Account core.AccountID
	Blocked bool
}

// RequestChanged is published when an account that is not a contact
// starts a conversation (a message request), and when its request is
// accepted (Accepted) or deleted (Removed).
type RequestChanged struct {
	Account  core.AccountID
	Accepted bool
	Removed  bool
}

func (BlockedChanged) EventName() string { return "blocked_changed" }

// EventName is request_received for a new request, request_changed when
// it was accepted or deleted.
func (e RequestChanged) EventName() string {
	if e.Accepted || e.Removed {
		return "request_changed"
	}
	return "request_received"
}

func (Changed) EventName() string         { return "contact_changed" }
func (IdentityChanged) EventName() string { return "identity_changed" }
