// Package groupcast fans group messages out over GossipSub: one topic per
// group, one router per host.
//
// A Caster (New) runs go-libp2p-pubsub's GossipSub router on a host under
// Pigeon's own protocol ID (ProtocolID), so it never meshes with a public
// pubsub network. Join subscribes to a group's Topic, which the caller
// derives from the group ID and the group secret (TopicFor), so outsiders
// can neither find nor join it. Every message is signed by its author's
// peer key (StrictSign) and passes the group's Validator before it is
// delivered or forwarded; the validator gets the author, and Reject
// penalises the forwarding peer in the router's peer score. Payloads are
// opaque here: sender-key ciphertexts with a small header.
//
// # Delivery
//
// Fan-out is best effort. Each message is delivered at most once per node
// (message ID = SHA-256 of author and payload, so identical payloads from
// two authors are two messages, and copies arriving over several paths are
// one). The router remembers IDs for two minutes. A message can be missed:
// a node offline or not yet in the mesh, a consumer that fell behind
// (Group.Dropped), a validator timeout. Callers number their messages and
// repair gaps over a stream; relays Join the topics of their accounts'
// groups to keep messages for offline members (Join works on a host that
// is not a member: the validator decides).
//
// # Limits
//
// Payloads are at most DefaultMaxPayload (64 KiB; WithMaxPayload): Publish
// refuses bigger ones with ErrTooLarge, the validator rejects them from
// peers, and the router refuses frames larger than the payload limit plus
// 4 KiB of envelope, and control frames over 256 KiB. Queues are enlarged
// from the router's default of 32, which drops silently under bursts.
//
// # Parameters
//
// See params.go; the measured reasons are in the sections below.
package groupcast
