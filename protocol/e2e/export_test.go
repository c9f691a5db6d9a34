package e2e

import "time"

// SetClock replaces the manager's clock (signed prekey rotation).
func SetClock(m *Manager, now func() time.Time) { m.now = now }

// LockEntries returns the number of live per-address lock entries.
func LockEntries(m *Manager) int { return m.locks.size() }

// DedupeStates is dedupeStates, the repair of a record whose archived
// states libsignal listed twice.
var DedupeStates = dedupeStates
