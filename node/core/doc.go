// Package core is the vocabulary a Pigeon node speaks to the programs that
// embed it: the IDs of accounts, groups and messages, messages and their
// states, conversations, the Event interface every typed event implements,
// and the errors more than one feature returns.
//
// The node (package node) and its feature packages (node/chats,
// node/groups, node/media, node/presence, node/contacts, node/relays) use
// these types in their exported APIs; wire formats (protocol/pb), storage
// records and libp2p types stay inside them. Converting between a core ID
// and the protocol's is free: both are the same bytes.
package core
