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

// DevicesChanged hears that the resolver learned version version of
// account a's device list: when it replaces an older one this node knew,
// the groups a is a member of hand their sender keys out now, to a device
// it linked (or rotate them, for one it revoked). For node's wiring.
func (s *Service) DevicesChanged(a core.AccountID, version uint64) {
	s.versionsMu.Lock()
	if s.versions == nil {
		s.versions = make(map[core.AccountID]uint64)
	}
	old, known := s.versions[a]
	if version > old {
		s.versions[a] = version
	}
	s.versionsMu.Unlock()
	if known && version <= old {
		return // one already known: nothing changed
	}
	// A list seen for the first time here may name a device the groups'
	// keys never reached (a device restored from a backup announces
	// itself this way): the next send checks the holders.
	for _, run := range s.set.all() {
		run.mu.Lock()
		member := run.rec.Status == storage.GroupActive && run.log.State().IsMember(rt.Account(a))
		run.mu.Unlock()
		if member {
			// The next send must not use a key a revoked device holds:
			// it checks before it encrypts, whether or not the worker
			// got to it first.
			run.devicesChanged.Store(true)
			run.poke()
		}
	}
}
