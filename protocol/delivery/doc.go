// Package delivery implements /pigeon/msg/1, the direct device-to-device
// envelope protocol.
//
// A sender opens one long-lived stream per peer and writes Envelope frames;
// the receiver answers every frame with an EnvelopeAck, in order, on the same
// stream. Frames are uvarint-length-delimited protobuf (pb.Envelope and
// pb.EnvelopeAck) with explicit size limits. Senders may pipeline: several
// envelopes can be in flight on one stream, and acks resolve them in order.
//
// The receiver decides what an envelope means through a Handler, which
// returns the ack code. A code that says the peer misbehaved (malformed,
// oversized, replayed, misaddressed, undecryptable) is written as the ack and
// then the stream is closed (reset with StreamErrorCodeBase + code if the ack
// cannot be written); the node keeps serving every other stream. The codes
// that ask the sender to keep the envelope and retry later (INTERNAL,
// RATE_LIMITED, and STORAGE_FULL from a receiver short of disk space) leave
// the stream open.
//
// An OK ack means the receiver has the envelope's content durably: a node
// acks only after the fsync that covers what it stored.
//
// An envelope names the version of the recipient's device list its sender
// used. A receiver that has published a newer one (WithListVersion) still
// handles the envelope, and says its version in the ack: the sender reads
// it from Call.ListVersion and fetches the list again (its relays may have
// changed).
package delivery
