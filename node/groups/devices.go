package groups

import (
	"context"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/storage"
)

// WelcomeSiblings hands this account's other devices every group this
// device is an active member of (the log and the members' device lists,
// as a new member gets them) and hands out this device's sender keys at
// once, so a device linked to the account joins the account's groups.
// For node's wiring: called when a device was linked.
func (s *Service) WelcomeSiblings(ctx context.Context) {
	for _, run := range s.set.all() {
		run.mu.Lock()
		active := run.rec.Status == storage.GroupActive
		run.mu.Unlock()
		if active {
			s.send.sendWelcome(ctx, run, s.self)
			run.poke()
		}
	}
}

// DevicesChanged hears that the resolver learned a device list of
// account a: the groups a is a member of hand their sender keys out now,
// to a device it linked (or rotate them, for one it revoked). For node's
// wiring.
func (s *Service) DevicesChanged(a core.AccountID) {
	for _, run := range s.set.all() {
		run.mu.Lock()
		member := run.rec.Status == storage.GroupActive && run.log.State().IsMember(rt.Account(a))
		run.mu.Unlock()
		if member {
			run.poke()
		}
	}
}
