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
// expired or misaddressed registration, prekey pool full, box closed, stale
// device list, no credential). Malformed or oversized frames end the stream
// after the answer; every other failure leaves it open.
//
// # Closing and stale lists
//
// A device that stops using a relay closes its box there (CloseBox: a
// closing signed like a registration, with a higher sequence): the relay
// drops what it still held, forgets the prekeys and topics, and answers
// deposits with MAILBOX_CLOSED until the registration would have expired,
// or until the device registers again, which reopens the box. A
// registration also names the version of the device list the device
// published with this relay among its mailboxes (WithListVersion), and a
// deposit names the version its sender used (ForListVersion): a deposit
// naming an older one is refused with MAILBOX_STALE_LIST. Either answer
// tells the sender its copy of the device list is out of date: it fetches
// the list again and deposits where the new one says. A custody receipt
// promising to keep an envelope until a time already past is refused by
// the client (ErrReceiptExpired).
//
// # How long envelopes stay
//
// A relay keeps an envelope until the device acks it, or for its store's
// TTL (30 days by default). A deposit may ask for less (WithTTL, ttl_ms):
// a disappearing message's copy then goes when the message's timer would,
// and the custody receipt's stored-until time says so. Group messages a
// relay keeps (Follow) name their group's timer in the envelope (ttl_ms),
// which Keep passes on.
//
// # Deposit credentials
//
// Anyone may deposit, but not without limit. A device keeps a secret and
// hands it end to end encrypted to the accounts it talks to; for a relay
// the credential is an HMAC of the relay's peer ID under the secret
// (Credential), and the registration names its SHA-256 (WithDepositKeys,
// the current secret's and the previous one's). A deposit presenting a
// valid credential (WithCredential) uses the box's full quota. One without
// (a first contact) or with a wrong one is a stranger's: each sending peer
// may hold DefaultStrangerCount envelopes or DefaultStrangerBytes in a box,
// and all strangers together a quarter of the account's quota
// (WithStrangerQuota); beyond either the relay answers
// MAILBOX_NO_CREDENTIAL, and the sender retries later. Deposits are also
// rate limited per sending peer across all boxes (WithDepositRate). Every
// contact of a device presents the same credential, so the relay learns
// no more about who deposited than the transport tells it, and a
// credential shown to one relay is worthless at another.
//
// # Trust
//
// The relay sees only what the transport reveals: the depositor's peer ID
// (which it does not store; it keeps in memory how much each stranger
// holds in a box, to bound it), the recipient (account, device) and the
// size of an opaque envelope. A registration binds (account, device) to the device's
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
