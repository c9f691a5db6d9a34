// Package presence implements /pigeon/presence/1: online / last-seen
// presence kept in memory by relays (the role Redis plays in a central
// design) and pushed to subscribed contacts.
//
// # Protocol
//
// A device opens one long-lived stream to a relay and writes
// uvarint-length-delimited pb.PresenceClientFrame frames; the relay's Hub
// answers with pb.PresenceHubFrame frames on the same stream. Frames have
// explicit size limits (MaxClientFrameSize, MaxHubFrameSize).
//
//  1. The first frame is a hello carrying the device's Signed device
//     certificate. With announce set it also carries the account's privacy
//     setting, and the account counts as online while the stream lives.
//     Without it the stream only asks (queries and subscriptions). A hub
//     with a Registry (a relay's: the devices with a live mailbox
//     registration there) lets only registered devices announce; another
//     announcing hello closes the stream with UNKNOWN_SENDER, and the
//     Client tries again with backoff.
//  2. The hub answers with a welcome naming the heartbeat interval H and the
//     timeout (2.5 × H by default).
//  3. The device then writes a heartbeat every H. Any frame counts as a sign
//     of life; a stream silent for the timeout is reset
//     (StreamErrorTimeout), so an account whose devices stop heartbeating is
//     offline within the timeout even when the connection stays up. Its
//     last-seen time is the time of the last frame the hub read from it.
//
// # Why the hello is not signed again
//
// The stream is already authenticated: libp2p's secure channel (Noise or
// TLS) proves the remote end holds the private key of its peer ID, and the
// hub rejects a hello whose certificate names another peer ID. The
// certificate is the account's signature that this peer ID is one of its
// devices, so every frame on the stream is attributable to that account's
// device; a fresh signature over the hello would prove nothing more, and
// replay is impossible because a replayed hello would arrive on a channel
// keyed to the replayer's own peer ID. (As everywhere in Pigeon, a
// certificate is good until its account stops listing the device; the hub
// does not consult device lists.)
//
// # Privacy
//
// An account's setting is the one in the latest hello or set-privacy frame of
// any of its devices. NOBODY hides the account from everyone, CONTACTS shows
// it only to the accounts listed (at most MaxAllowed), EVERYONE to all. An
// account always sees itself. Hidden accounts are reported UNKNOWN, exactly
// like accounts the hub has never seen, so a query does not reveal that a
// hidden account uses this relay.
//
// # Subscriptions
//
// A subscribe frame replaces the set of accounts a stream watches (at most
// MaxSubscriptions). The hub answers with each watched account's current
// state and then pushes the new state whenever it changes (online, offline
// with last-seen, or a change of visibility). Updates are coalesced per
// account: a slow reader misses intermediate states but always receives the
// latest, and the hub never waits for it; a stream whose writes stay blocked
// for the timeout is reset.
//
// # Memory
//
// Nothing a stranger sends costs the hub unbounded memory. An account has
// state at the hub (about 200 bytes, and 8 per account its CONTACTS
// setting lists) once one of its devices announced itself; watching an
// account without state costs the watching stream 32 bytes. Watches are
// limited per stream, peer (device), account and in all, and a subscribe
// frame over a limit closes its stream with TOO_LARGE (or RATE_LIMITED for
// the hub's total; see SubscriptionLimits). The last-seen state of
// accounts that went offline is bounded by WithLastSeenBudget, forgetting
// the accounts seen least recently first, and by the retention
// (WithRetention); the state of a device that is still registered (see
// WithRegistry) is kept through both while anything else can go. A
// stream's pending updates are a bit per watched account, encoded a few
// kilobytes at a time, so a reader that stalls holds no more.
// BenchmarkPresenceAttack in node/relay measures the attacks of issue 10
// against a relay.
//
// # Client
//
// Client keeps one stream to one relay, heartbeats, re-dials with backoff
// when the stream breaks, and restores its hello and subscriptions on the new
// stream. Query asks once; Subscribe returns a Subscription whose Updates
// channel coalesces like the hub does.
//
// Typing indicators are not a relay feature and are not here: they travel
// end-to-end encrypted between nodes.
package presence
