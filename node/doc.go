// Package node is the embeddable Pigeon node: New(opts...), Start(ctx),
// Close(). A node is one device of one account (an account may have
// several, see node/devices); it wires the
// libp2p host, the DHT, the Badger store, the delivery runtime and the
// features together, and everything below it (protocol/..., storage/...)
// is pure logic over narrow interfaces.
//
// # What a node does
//
//   - Chats (node/chats): 1:1 texts, history of 1:1 chats and groups,
//     conversations, read receipts.
//   - Groups (node/groups): signed membership logs, sender-key messages
//     on each group's GossipSub topic, roles, invites, repair.
//   - Media (node/media): files encrypted into blocks served over
//     /pigeon/blocks/1, downloads that retry, copies at relays.
//   - Search (node/search): a local full-text index (HOME/search) of
//     texts, captions and file names that follows the store's change
//     queue; Compact wipes deleted text from its files.
//   - Replies (node/replies): the quotes texts and files carry (sent
//     with chats.SendWith, groups.SendWith, media.File.ReplyTo), what
//     each message replies to and whether the original is here.
//   - Prefs (node/prefs): pinned, muted and archived chats, the same on
//     every device of the account; the conversation list in its order.
//   - Contacts (node/contacts): the address book, safety numbers,
//     verification, and the send policy the runtime asks.
//   - Presence (node/presence): online / last seen and typing.
//   - Relays (node/relays): this node's own relays: reservations, its
//     mailboxes there and their drain, the push endpoint, deposit-secret
//     rotation.
//   - Devices (node/devices): the account's devices: linking a new one
//     with a one-time code (and LinkDevice on the new one), revoking,
//     names, last seen, the account's state hash.
//   - Info, Status (reachability, DHT, bootstrap peers, relays and the
//     messages still pending with why: PendingReason), AccountSeed, and
//     Subscribe[T] for typed events (core.MessageReceived,
//     core.MessageStateChanged, MessagePending, ReceiptReceived,
//     StorageSpaceChanged and each feature's own).
//
// Underneath, internal to the module: node/internal/post is the delivery
// runtime (outbox lanes, deposits at relays with custody records and
// deposit secrets, the /pigeon/msg/1 receive path and the registry of
// content kinds, receipts, message states, pending reasons) and
// node/internal/devlists keeps device lists (the resolver, the publisher
// of our own list and prekey bundle, contacts' relays dialled as DHT
// peers). node/internal/accountlog is the account log: what one device
// does that the account's other devices must see (1:1 and group messages
// and files sent and received, read markers, contacts, relays, privacy,
// the auto-download limits, device names) is an
// operation the feature appends in the transaction that makes the change
// (rt.Ops); operations go to the other devices through the outbox and
// are pulled from any sibling on /pigeon/acctlog/1, verified, stored and
// folded by the feature that claimed their kind. Files go by reference
// (their manifests); a device fetches the blocks from whoever holds them.
// Start builds them and the features in dependency order and
// hands each its Deps (narrow interfaces, wired in wire_*.go); Close
// stops them in reverse. Relays are bootstrap peers too (host.go), and a
// connection that comes up wakes the lanes and downloads waiting for it.
//
// # How a message flows
//
// chats.Service.Send checks the recipient (contacts.Service.CheckRecipient)
// and, in one store transaction, writes the message to history and its
// outbox item; post.Service.Preseal encrypts it in that same transaction
// when the recipient has one device with a live session. After commit
// post.Service.Enqueue hands the item to the recipient's lane and Send
// waits for durability (post.Service.Durable) before it returns. The
// lane (post's outbox.run) resolves the recipient's device list
// (devlists.Resolver.Get), and outbox.deliverToDevice seals the items
// (outbox.seal) and pipelines them with delivery.Client.SendBatch; a
// device that cannot be reached gets them sealed at its relays instead
// (outbox.deposit, mailbox.Deposit). On the recipient, post's
// receiver.handleEnvelopes (the /pigeon/msg/1 handler) checks the
// addressing and finds the sender's certificate (checkEnvelope,
// senderCertificate), decrypts (e2e.Manager.Decrypt or DecryptBatch) and,
// inside that transaction, receiver.store1 decodes the content and calls
// the handler the Registry holds for its kind: for a text, chats' takeText,
// which stores it in history and returns the core.MessageReceived to
// publish after commit. The ack goes out once the transaction is durable
// (receiver.acked). Back on the sender, outbox.settle removes the item
// and moves the message to delivered (or sent, when a relay holds it,
// until the recipient drains it and its delivery receipt arrives),
// publishing core.MessageStateChanged. Every goroutine on the way runs
// under the node's goroutine owner.
//
// # Disk space and durability
//
// Every acknowledgement waits until what it speaks for is fsynced
// (WithDurableAcks), and a disk short of free space (WithMinFreeSpace)
// refuses new work with storage.ErrStorageFull instead of crashing; the
// node takes new work again once there is room (durable.go,
// StorageSpaceChanged).
//
// Goroutines: every goroutine is started through Node.goroutine, which
// refuses after Close began and is waited for by Close.
//
// Lock order: Node.mu, then bus.mu. The locks of status.go (bootPeers)
// are leaf locks. The runtime's and the features' locks are their
// packages' (see node/internal/post, node/internal/devices and each
// feature's doc); none is held while calling into node.
package node
