// Package presence tells a node's contacts when it is online and asks
// their relays about them (online / last seen, under each account's
// privacy setting), and carries 1:1 typing indicators.
//
// The embedding API is Service's Get, Privacy, SetPrivacy and SetTyping, and the
// events Changed and Typing. ContactsChanged and Stopped are for node's
// wiring (the contacts feature and the chats that received a message).
//
// Presence runs over /pigeon/presence/1 (protocol/presence, imported here
// as wire): one announcing client per own relay carries our heartbeat and
// privacy setting; asking clients query and subscribe at contacts' relays.
// Typing indicators are contents of kind Typing, sent to connected
// devices only (never stored or queued) and registered with the runtime's
// dispatch registry by New.
//
// Goroutines (each started through Deps.Go, so node's Close waits for
// them): the announce loop keeps a client at each own relay; the watch
// loop subscribes to the presence of every contact at its first relay and
// starts one goroutine per subscription that publishes its updates.
// Typing expiry runs on time.AfterFunc timers that Close stops.
//
// Lock order: clients.mu is never held while taking another lock;
// typists.mu is held while publishing (Deps.Publish takes the node's bus
// lock, which is taken last).
package presence
