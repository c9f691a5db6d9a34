// Package group is the model of a Pigeon group: its ID, name, description,
// members with roles (owner, admin, member), settings (who may post, who may
// add members, who may edit the info) and invites, all derived from a log of
// signed control operations. It is pure logic: no I/O, no storage.
//
// # Ops
//
// Every change is an Op: a pb.GroupOpBody (the group, a Lamport clock, the
// hashes of the ops its author had applied last, the author device's
// account certificate and the operation) signed by the author device's
// libp2p peer key, which the certificate binds to the account. An op is
// named by the SHA-256 of its body; a group by the hash of its first op,
// the genesis (a Create with a random nonce and the group secret), whose
// author is the owner. Anyone can check an op on its own (OpenOp), so ops
// travel through any member: on the group's topic, pairwise to a new
// member, or over the sync protocol.
//
// # Convergence
//
// A Log holds a group's ops as a DAG and folds them in one total order:
// the genesis, then (clock, hash). Each op is checked against the state
// the ops before it left (is its author a member with the right role, is
// the target a member, is the invite live...) and skipped if it fails, so
// the resulting State depends only on the set of ops. Two admins removing
// each other at the same time end with one of them removed on every member:
// whichever op sorts first wins, and the second author is no longer an
// admin at its place in the order. An op that arrives late (after ops that
// sort after it) makes the log fold again. Ops whose ancestors are not all
// known wait outside the fold until they are.
//
// # Leaving and removal
//
// A Remove or Leave carries a cut per device of the departing account: the
// last message sequence number of that device that still counts.
// State.Accepts lets a departed account's messages up to the cut into
// history and refuses the rest, so every member keeps the same messages
// whether the op reached it before or after them.
//
// # Invites
//
// An invite is an Ed25519 key pair: a CreateInvite op publishes the public
// half, the InviteLink (text form "pgi…") carries the private half with the
// group ID and an account to ask. The joining account signs a join with the
// invite key (its account and the group) and sends it to that account (on
// /pigeon/group/1, see protocol/groupsync, which answers whether it was let
// in or why not); a member there checks it and authors the Join op, which counts
// while the invite is live (not revoked, and the op's clock before its
// expiry). A member, not the joiner, chooses the op's place in the order,
// so a joiner cannot date its join before a revocation.
package group
