// Package badger is the node's only store: one Badger database holding the
// local identity, the Signal protocol state (identities, prekeys, signed
// prekeys, sessions, sender keys), contacts, message history, the outbox and
// the device-list cache, media (content-addressed blocks and attachment
// records) and the account log (protocol/acctlog). *Store implements
// e2e.Store, acctlog.Store and the libsignal store interfaces;
// Store.Blocks implements boxo's blockstore.Blockstore and media.Blocks.
//
// # Transactions
//
// Update and View put a Badger transaction into the context they hand to fn;
// every Store method called with such a context joins it, so a decrypt, its
// session update and the history insert commit together or not at all.
// Methods called with a plain context run in a transaction of their own.
// Update retries fn on write conflicts (up to 10 times). A transaction
// bigger than one Badger batch (about 2.4 MiB with the settings here) fails
// with an error wrapping ErrTxnTooBig and writes nothing.
//
// # Durability
//
// A commit survives a crash of the process when it returns, a crash of the
// machine only once fsynced: with Options.SyncWrites every commit is;
// otherwise WaitDurable makes everything committed before it durable, with
// one fsync round shared by every caller waiting at the time (group
// commit; see durable.go). Callers acknowledge what they stored only after
// it.
//
// # Free space
//
// Badger writes its memtable logs and value logs through memory maps of
// sparse files and creates its tables through memory maps, and such a
// write on a full disk kills the process with SIGBUS; Badger's memtables
// themselves are in the Go heap. Its flushes and compactions write new
// tables before they delete the ones they replace, so they need free
// space of their own, as much as they read. The store therefore keeps
// a headroom free for them, estimated from the LSM's current shape (level
// 0, the memtables still to flush, the base level, and one table of a
// level with what it overlaps in the next; see headroom.go): about 40 MiB
// for a new store, growing with the database. Writes of new work
// (InsertMessage, PutPendingGroup, Blocks.PutMany) fail with
// storage.ErrStorageFull below Options.MinFree plus the headroom, every
// write below a quarter of MinFree plus the headroom (the floor), and
// value-log garbage collection is skipped there. A reserve file
// (Dir/SPACE-RESERVE, half of MinFree plus the headroom) is given up when
// the disk fills from outside. Open first checks that the disk has room
// for what opening does (replaying and flushing the memtable logs, then
// the compactions the shape calls for), giving up the reserve if it must,
// and fails with storage.ErrStorageFull ("free some disk space") when
// even that is not enough. A store whose disk filled from outside reports
// it through Options.SpaceChanged and takes writes again by itself once
// there is room. See space.go.
//
// What this guarantees: while this store is what fills its disk, Badger's
// flushes and compactions always find the room they need, and the store
// opens again after a crash. What it does not: another program that fills
// the disk between two measurements of the guard (every second, or at
// every write near the floor) can still make one of Badger's memory-mapped
// writes fault, and the reserve only helps once the guard has seen it.
// The headroom is an estimate, not a proof: it counts the tables of a
// level a compaction reads with one table of the level above as at most
// ten target files, and Badger enforces that limit only every 5,000 keys,
// so a compaction through a sparse key range can read more. The guard
// measures free space on Linux only; elsewhere it counts as unlimited.
//
// # Key layout
//
// Every key starts with a one-byte ASCII prefix naming its store. Integers in
// keys are big endian so keys sort numerically. "addr" is a Signal address
// string, libsignal's SignalAddress.String(): "name:device". "account" is a
// 32-byte account key, "id" a 16-byte time-ordered storage.MessageID.
//
//	key                                 value
//	"V"                                 schema version: uint32 big endian (currently 2; see migrate.go)
//	"L"                                 LocalIdentity record
//	"I" addr                            remote identity key: 33 bytes (0x05 + Curve25519 public key)
//	"S" addr                            libsignal session record (binary, see sessioncodec.go; JSON from older versions is read too)
//	"P" prekeyID(4)                     libsignal prekey record (JSON)
//	"p" prekeyID(4)                     empty: one-time prekey not yet handed out (see IssuePreKey)
//	"N"                                 next one-time prekey ID: uint32 big endian (absent = 1)
//	"K" signedPreKeyID(4)               libsignal signed prekey record (JSON)
//	"G" len(group)(2) group addr        libsignal sender-key record (JSON) of (group, sender addr)
//	"C" account                         Contact record
//	"H" peer(32) id(16)                 Message record; the conversation with peer in ID order
//	"M" id(16)                          peer(32): global message ID index (dedup, lookup by ID)
//	"U" peer(32) id(16)                 empty: incoming message in state Received (unread)
//	"R" peer(32)                        conversation summary record
//	"O" id(16)                          OutboxItem record
//	"D" account                         raw signed device list as received, the highest version seen (PutDeviceList refuses an older one)
//	"X" name                            a node setting (name in ASCII), opaque bytes
//	"T" recipient(32) id(16)            Custody record: a message relays hold for some of the recipient's devices
//	"g" group(32)                       Group record: this device's own record of a group
//	"o" group(32) hash(32)              signed op of the group's log (marshaled pb.GroupOp)
//	"q" group(32) account(32) device(4) seq(8)   id(16) then the marshaled pb.GroupEnvelope (TTL 30 days): archive for gap repair
//	"s" group(32) account(32) device(4) highest seq held from that device with none missing below: uint64
//	"w" group(32) id(16)                marshaled pb.GroupEnvelope waiting for a sender key or a membership (TTL 30 days)
//	"d" group(32) account(32) device(4) key ID of our sender key last sent to that device: uint32
//	"y" id(16) account(32)              state (one byte, storage.State) of our group message id at that member
//	"y" id(16)                          uint64 version, bumped by every receipt (concurrent receipts conflict)
//	"B" multihash                       a content-addressed block (media ciphertext or a UnixFS node): kind(1) then
//	                                    the block (kind 0); or uvarint segment, offset and size (kind 2: the bytes
//	                                    are in the pack segment BlocksDir/pack-%016x; see packs.go); or uvarint
//	                                    size (kind 1: in memory, or in stores written before packs the file
//	                                    BlocksDir/xx/hex(multihash), xx its last byte; see blocks.go)
//	"A" "m" id(16)                      Attachment record of message id
//	"A" "c" peer(32) id(16)             empty: the conversation's media, in message ID order
//	"A" "p" account(32) device(4) root  Pin record (relays): a media DAG kept for a device
//	"A" "d" account(32) device(4) dep(16)  deposit pins (relays): until, then the roots deposit dep names
//	"i" id(16)                          empty: message id changed for the search index since it last applied it; the
//	                                    key's Badger version (the commit timestamp) is the change's sequence (searchqueue.go)
//	"i"                                 highest sequence the queue was trimmed to: uint64
//	"a" "o" device(4) seq(8)            signed op of the account log (acctlog.Op.Raw), by authoring device and seq
//	"a" "d" device(4)                   account-log record of an authoring device: contiguous prefix held(8),
//	                                    highest seq held(8), ops held(8), highest Lamport clock held(8); see acctlog.go
//	"E" id(16) version(1)               a version of message id's text (pb.ActionEditVersion; 0: the original)
//	"r" id(16) reactor(32)              reactor's reaction to message id (pb.ActionReaction; emoji empty: removed)
//	"t" id(16)                          tombstone of deleted message id (pb.ActionTombstone): never stored again
//	"W" target(16)                      the actions waiting for message target, with a TTL: each carry(16),
//	                                    uvarint length, pb.OpAction
//	"n" account                         profile record of the account (a marshaled pb.Profile, at most 70 KiB)
//	"b" account                         empty: the account is blocked
//	"k" account                         empty: the conversation with the account is a message request
//	"Q" id(16)                          marshaled pb.Quote: the message reply id quotes (removed with the reply;
//	                                    its text, preview and file name blanked when the quoted message is removed)
//	"Q" original(16) reply(16)          empty: reply quotes original
//	"c" chat(32)                        marshaled pb.ChatPrefs: pinned, muted, archived (an account or a group ID)
//	"e" deadline(8) id(16)              chat(32): message id is due to disappear at deadline (Unix nanoseconds,
//	                                    big endian), the disappearing-messages sweep's index
//	"f" "t" chat(32)                    the chat's disappearing-messages timer (node/expiry's encoding)
//	"f" "c" chat(32) id(16)             empty: an incoming disappearing message whose countdown a read starts
//	"f" "r" chat(32)                    upTo(16) at(8): the chat's latest read, for messages arriving after it
//	"m" id(16) "o" device(4) seq(8)     empty: account-log op (device, seq) carries message id (its text or file)
//	"m" id(16) "x" recipient(32) item(16)  empty: outbox item (and custody record) item carries such an op
//	"m" 0xFF                            a marker Compact writes and drops to flush the memtables (compact.go)
//
// Group messages live in the history keys (H, M, U, R) like 1:1 messages,
// with the group ID in place of the peer account: a group ID is a SHA-256
// hash and an account a public key, so the two never collide.
//
// The one-time prekey ID space is 1..0xFFFFFE; 0xFFFFFF (LastResortPreKeyID)
// is the last-resort key, stored under "P" but never marked under "p".
//
// # Deleting a message
//
// DeleteMessage removes a message and, in the same transaction, whatever
// else holds its text or its file's reference (purge.go): the account-log
// ops the "m" index names are redacted (protocol/acctlog's Redact: the op
// stays, without its body), the outbox items and custody records carrying
// them or the message dropped, its attachment records (the blocks, which
// nothing references then, go at the media's next collection), a group
// envelope waiting for it, its edit versions ("E" id ...). Badger still
// holds the old values in its files until they are compacted: Compact
// (compact.go) flushes the memtables, compacts every level into one and
// rewrites the value-log files with dead values, and the store runs it by
// itself after deletions (Options.CompactIdle, Options.CompactAfter).
// Hooks registered with OnCompact run after it.
//
// # Record encoding
//
// Our own records (L, C, H, R, O, T, g, A) start with a version byte (1;
// OutboxItem and a group Message 2), followed by the fields in the order
// below. Integers are unsigned varints; byte strings and strings are a
// uvarint length then the bytes; IDs and accounts are raw
// fixed-size arrays; booleans are one byte 0 or 1; a time is a flag byte (0
// zero time, 1 set) followed when set by a zigzag varint of Unix seconds and a
// uvarint of nanoseconds. Decoders reject unknown versions, trailing bytes and
// oversized fields with an error wrapping ErrCorrupt.
//
//	Message       1 id(16) peer(32) sender(32) senderDevice direction(1) state(1) sentAt storedAt text
//	              (version 2, group messages: the same fields, then group(1) = 1; peer is the group ID)
//	Summary       1 lastID(16) unread
//	Contact       1 account(32) name addedAt verified identityChangedAt
//	OutboxItem    2 id(16) recipient(32) content attempts nextAttempt createdAt receipt nDone doneDevice...
//	                nCustody custodyDevice...
//	              (version 1, written before, ends after the done devices)
//	LocalIdentity 1 accountSeed deviceID peerKey signalPublic signalPrivate registrationID certificate deviceListVersion
//	Group         2 id(32) status(1) seq clock keyID keySKDM keySeq keyClock joinedAt
//	                nRetired (keyID skdm firstSeq lastSeq)...
//	              (version 1, written before, ends after joinedAt)
//	Attachment    1 id(16) peer(32) direction(1) manifest root size state(1) nProviders provider... error createdAt
//	              (version 2, a download retrying: the same fields, then retryUntil)
//	Pin           1 account(32) device root size until
//	DepositPins   1 until nRoots root...
//	Custody       1 id(16) recipient(32) content receipt nDevices (device listVersion until nRelays relay...)...
//
// Opening a database whose "V" key holds another version fails with an error
// wrapping storage.ErrSchema; a new layout must bump schemaVersion and
// migrate.
package badger
