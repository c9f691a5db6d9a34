// Package groupsync implements /pigeon/group/1, how group members repair
// what fan-out missed: a member asks another for the messages it lacks (per
// sender device, everything above the highest sequence number it holds
// with none missing below) or for the control ops it lacks (everything not
// below its op-log heads). It also carries join requests: whoever holds an
// invite link asks the invite's maker directly, and the answer says
// whether it was let in or why not (revoked, expired, unknown invite, a
// full group), so a refused joiner learns it at once.
//
// # Wire
//
// The client opens a stream, writes one uvarint-length-delimited
// pb.GroupSyncRequest and reads one pb.GroupSyncResponse; a response cut at
// the size limit says more, and the client asks again with what it then
// holds. Requests are at most MaxRequestSize bytes, responses at most
// MaxResponseSize. The request carries the requester's device certificate:
// the stream's remote peer must be that device.
//
// The package is wire and framing only. What may be answered (is the
// requester a member, which archived messages and ops to send) is the
// Handler's business: the node, which holds the group's state. Messages
// travel as the envelopes that were published, sender-key ciphertexts the
// receiver authenticates on its own, so a member serving them cannot forge
// or alter any.
package groupsync
