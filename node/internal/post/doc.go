// Package post is the node's delivery runtime: everything between a
// feature that has something to say to another account and the feature
// on the other side that hears it.
//
// Sending. A feature writes an outbox item in its own transaction
// (Service.Put, PutRead, QueuePairwise, or Preseal, which also encrypts it
// there) and hands it over after commit (Enqueue). Each recipient account
// has a lane: one goroutine that delivers that account's items in order,
// encrypting each for every device of the recipient's device list and
// pipelining them on /pigeon/msg/1 (outbox.go, seal.go); a device that
// cannot be reached gets sealed envelopes at its relays' mailboxes
// (deposit.go), each deposit presenting the credential of the deposit
// secret the device handed us (secrets.go). What relays took is kept in
// custody records and handed over again when the recipient stops using
// those relays (custody.go). Each failed attempt records why the lane
// waits (pending.go: PendingReason, Pending, core.MessagePending), and
// the states of the messages items carry move forward (pending, sent,
// delivered, failed; core.MessageStateChanged). SendEphemeral sends to
// connected devices only, storing nothing (typing).
//
// Receiving. HandleEnvelopes (the /pigeon/msg/1 handler) and OpenDeposit
// (an item a relay's mailbox held) authenticate the sending device,
// decrypt, handle the transport fields (deposit_secret) and call the
// handler the Registry holds for the content's kind inside the decrypt
// transaction; the ack goes out once that is durable (durable.go). 1:1
// receipts are post's own kind: they move our messages to delivered or
// read (core.ReceiptReceived), and delivery receipts for messages that
// came through a relay are batched and queued (receive.go).
//
// Node builds the Service (New, with Deps of narrow interfaces: the
// resolver, the contacts' send policy, media's copies at relays, groups'
// kept envelopes), calls Start (deposit secrets, custody records),
// LoadOutbox (the stored outbox's lanes, once the features are made),
// Serve (the goroutines, /pigeon/msg/1) and Close, and hands
// the Service to the features as their Outbox, States, Receipts and
// Pairwise.
//
// Lock order: outbox.mu, then the locks of the media feature's ForgetCopy
// (called with outbox.mu held; media takes no other lock while holding
// its own). receipts.mu, depositSecrets.mu, custody.mu and waitReasons.mu
// are leaf locks, never held while taking another lock or publishing. The
// Registry is written before Serve and read-only afterwards.
//
// Goroutines, all started through Deps.Go (the node's goroutine owner,
// which refuses after Close began and waits for them): one per lane with
// work (it exits after lingering idle for laneLinger), one device-list
// refresh per recipient at a time, the receipts batcher and the custody
// loop. HandleEnvelopes runs on the goroutines of libp2p's stream
// handlers.
package post
