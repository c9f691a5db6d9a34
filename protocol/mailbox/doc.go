// Package mailbox implements /pigeon/mailbox/1, the relay's store-and-forward
// mailbox: devices register with a relay, any peer deposits sealed envelopes
// for a registered device and gets a signed custody receipt back, and the
// device drains (or subscribes to) its queue and acks what it stored. The
// relay also holds one-time prekey bundles so that a first contact can start
// a Signal session while the device is offline.
//
// # Wire
//
// Every stream carries uvarint-length-delimited protobuf frames: the client
// writes a pb.MailboxRequest, the relay answers with one pb.MailboxResponse,
// and the client may send the next request on the same stream. A Subscribe
// request turns the stream into a push stream: after its first response the
// relay keeps writing responses carrying items (everything queued after the
// client's cursor, then new deposits as they arrive) until the client closes
// the stream. Requests are at most MaxRequestSize bytes, responses at most
// MaxResponseSize.
//
// A failed request is answered with a pb.ErrorCode and, where no ErrorCode
// fits, a pb.MailboxError (not registered, quota, bad signature, wrong peer,
// expired or misaddressed registration, prekey pool full). Malformed or
// oversized frames end the stream after the answer; every other failure
// leaves it open.
//
// # Trust
//
// The relay sees only what the transport reveals: the depositor's peer ID
// (which it does not store), the recipient (account, device) and the size of
// an opaque envelope. A registration binds (account, device) to the device's
// libp2p peer: it carries the device's account-signed certificate and is
// signed by the device's peer key over the relay's peer ID, an expiry, a
// strictly increasing sequence and a nonce, so it cannot be replayed at
// another relay or after a newer one. Draining, acking, subscribing and
// uploading prekeys need a stream from the registered peer.
//
// A registered device may also name the group topics its account belongs
// to (Follow): a relay run with WithFollow subscribes to them and keeps what
// is published there in the device's mailbox (Keep), so a member that is
// away misses nothing. The relay learns which topics an account follows,
// never what is said there (group payloads are sender-key ciphertexts).
//
// Custody receipts are signed by the relay's peer key over (relay, account,
// device, deposit ID, SHA-256 of the envelope, stored-until); the relay
// sends one only after the envelope is durable in its Store. Delivery is
// at least once: a device dedups by message ID.
package mailbox
