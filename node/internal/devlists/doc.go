// Package devlists keeps the device lists of accounts: the Resolver finds
// and caches them (memory, the store, the DHT) with the certificates of
// devices verified on the way, and the Publisher signs and publishes this
// account's own list and this device's prekey bundle. RelayDialer dials
// the relays a contact's list names as DHT peers, so a node joins the
// network its contacts live in.
//
// It is the node's runtime, internal: node builds the three (New*, the
// Deps are wiring) and hands the Resolver to the delivery runtime
// (node/internal/post) and the features as their narrow Devices
// interfaces. Lists reach other parts through the Resolver's OnLearned
// hooks (post's custody recheck, the Publisher's own-list state, the
// RelayDialer), which node registers before Start.
//
// Lock order: Resolver.mu, Publisher.mu and RelayDialer.mu are leaf locks,
// never held while taking another lock or calling a hook.
//
// Goroutines: the Publisher's Run (node starts it through its goroutine
// owner) and one short dial per learned relay (through the Go func of
// RelayDialer). The Resolver has none.
package devlists
