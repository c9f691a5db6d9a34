// Package relays is a node's use of its own relays (node.Relays returns
// its Service): the relays it keeps (given with node.WithRelays, or added
// and removed at run time and stored), a circuit reservation at each so
// peers reach the node through them, their latency and region, the choice
// of the mailbox relays its device list names, and its mailbox at each:
// registered (with the push endpoint, the deposit-secret keys, the device
// list version, one-time prekeys and the group topics to follow) and
// drained, every deposit handed to the node's receive path and acked once
// durable. A removed relay's box is drained and closed, in the background
// while the relay cannot be reached.
//
// The deposit secrets live in the node's runtime; RotateDepositSecret asks
// it for a new one and registers it with every relay.
//
// Goroutines (started by Start through Deps.Go, so the node waits for
// them): reserveLoop (reservations and pings), mailboxLoop (one drainRelay
// goroutine per relay, each cancelled when its relay is removed) and
// closeLoop (closing removed relays' boxes). Deposits reach the node
// through Deps.OpenDeposit, called from drainRelay and closeLoop.
//
// Lock order: relaySet.mu and pushState.mu are leaf locks, never held
// together or while calling out of the package.
package relays
