// Package groups is a node's end-to-end encrypted groups: n.Groups()
// creates them, sends to them (texts, typing; files through the node's
// media), and manages their members, roles, settings and invites.
//
// A group's membership is a log of signed ops (protocol/group) kept in
// the store and folded into one state in the same order by every member;
// its messages are sender-key ciphertexts (e2e.Groups) published once on
// the group's GossipSub topic (protocol/groupcast), archived by every
// member for gap repair (protocol/groupsync, /pigeon/group/1), and kept
// for away members by their relays (the node has its relays follow
// Topics). Sender keys, welcomes (the log and members' device lists) and
// receipts travel pairwise, as contents through the node's outbox. Joining
// through an invite asks the invite's maker on /pigeon/group/1. What
// arrives for a group before it can be used (ops of a group this node is
// not in, device lists of accounts not members yet) waits in memory,
// bounded (hold.go). Members hand each other their signed device lists
// (lists.go); the store never goes back to an older list.
//
// Devices of one account: a device linked to the account is welcomed
// into its groups by the device that linked it (WelcomeSiblings) and gets
// the members' sender keys. Their history comes through the account log
// (ops.go): every device records the group texts it sends and receives as
// groups.message operations, which a device linked later folds into its
// history, whether or not it knows the group yet, and without sending
// receipts; the gap repair alone could bring it only what the archives
// still hold, from senders that hand it their keys. Backfill records
// the texts of a home from before; the account state hash covers the
// groups' histories (ID, author, text). Reading a group is a groups.read
// operation, pushed to the other devices at once: they mark the texts
// read without sending receipts, a text arriving later that one of them
// read already is stored read, and disappearing texts count down from
// the operation's time on every device.
//
// How content reaches it: envelopes from the topics come through each
// group's pump; envelopes a relay kept come from the node (TakeEnvelope)
// and those a repair brings from the syncer. Pairwise, groups claims the
// group control contents and the receipts that name a group in the node's
// content registry (New). Group contents of kinds other features handle
// (files) go to the handler registered for their kind, inside the
// transaction that decrypted them, once the sender was checked.
//
// The feature is a few parts over one shared env: groupSet (the groups,
// their logs and membership), sender, receiver, lists, syncer, receipts
// and the hold; Service is the API.
//
// Goroutines, all started through the node's goroutine owner (Deps.Go)
// and stopped when the node closes: per active group a pump (what the
// topic delivers and what waits for a key), a worker (connections to
// members, republishing, gap repair) and a key loop (sender-key
// hand-out), all three also stopped when the group is left; one receipt
// batcher; short-lived hand-outs of members' device lists after a welcome.
//
// Lock order: groupSet.welcomeMu, then groupRun.distMu, then
// groupRun.sendMu, then groupRun.mu, then groupHold.mu. groupSet.mu and
// groupReceipts.mu are never held while taking another lock; nor is
// Service.versionsMu. A
// groupRun.mu holder never waits for the network or for another group.
package groups
