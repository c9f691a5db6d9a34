// Package mailboxstore is a relay's mailbox store on Badger: it implements
// mailbox.Store (registrations and closings, per-device FIFO queues of
// sealed envelopes with per-account quotas and a share of them for
// deposits without a credential, one-time prekey pools) in its own
// database, separate from the node store.
//
// # Durable custody with group commit
//
// Every write goes through one writer goroutine. It applies the operations
// waiting at that moment (up to maxGroupOps, about maxGroupBytes) to one
// Badger transaction, a group, and hands the group to Badger while it
// applies the next operations to the next group. When a group's commit
// lands, and any of its operations is a deposit or a prekey hand-out, the
// writer's callback calls db.Sync once for the whole group before any of
// them is answered. A deposit therefore returns (and the relay signs its
// custody receipt) only after its bytes are on disk, and concurrent
// depositors share one fsync instead of paying one each. With
// Options.NoSync the fsync is skipped: a deposit then survives a crash of
// the process but not of the machine. Because one goroutine writes,
// transactions never conflict (conflict detection is off); reads run in
// their own snapshots concurrently. writer.go says how a group is applied
// while the one before it is still being written.
//
// Each operation checks everything before it writes anything, so a refused
// operation (quota, replay, not registered) leaves no trace in the group's
// transaction. An operation too big to share a transaction gets a group
// of its own.
//
// # Key layout
//
// Every key starts with a one-byte ASCII prefix. Integers are big endian.
// "account" is the 32-byte account key, "device" a uint32, "seq" the uint64
// arrival sequence (one counter for the whole store, so each queue is in
// arrival order), "id" the sender's 16-byte deposit ID, "len" the
// envelope's length (uint32).
//
//	key                                 value                                                    TTL
//	"V"                                 schema version: uint32 (currently 2)                     -
//	"S"                                 last arrival sequence reserved: uint64                   -
//	"R" account device                  registration: 2 seq(8) expiresAtMs(8) listVersion(8)     registration expiry
//	                                      nKeys(1: quiet<<4|deposit) depositKey(32)... quietKey(32)... peerID
//	                                      (version 1, written before: 1 seq expiresAtMs peerID)
//	"P" account device                  push endpoint of the registration (marshaled pb.PushEndpoint) registration expiry
//	"X" account device                  closed box: 1 seq(8) closedAtMs(8) of the closing         registration's expiry
//	"Q" account device seq id len       queued envelope: 1 id(16) depositedAtMs(8) envelope      store TTL, or the deposit's if shorter
//	"K" account device prekeyID(4)      one-time prekey bundle (opaque)                          registration expiry
//	"k" account device                  signed-prekey bundle (opaque)                            registration expiry
//
// The top bit of a queue key's length marks a stranger's deposit: one
// taken without a valid credential into a box whose registration names
// deposit keys (keys written before have it clear). A closing deletes the
// box's "R", "P", "K", "k" and "Q" keys and writes "X" (deposits are then
// refused as closed; a registration with a higher sequence deletes "X").
//
// A deposit writes one "Q" key; an ack deletes it. The queue keys are
// also the deposit index: a deposit is found by its ID by scanning its
// box's queue keys (index.go says why that is cheap). Entries vanish on
// their own at their Badger TTL (default 30 days for deposits; a
// disappearing message's deposit names a shorter one, NewDeposit.TTL).
// Envelopes (values above 128 bytes) are kept in Badger's value log, the tree
// holding pointers to them. Arrival sequences are reserved 65536 at a
// time ("S" is rewritten once per block), so after a restart the sequence
// skips to the end of the block that was in use.
//
// The per-account quota counters are not stored: the writer counts an
// account's "Q" keys (which carry the lengths and the stranger mark) the
// first time it needs them and keeps the counters in memory, the
// strangers' share beside the total. They can count envelopes that
// have expired since, so when a deposit would overflow the quota and
// something counted may have expired, they are recounted first.
//
// Schema 1 had queue keys without id and len, a deposit index ("I" account
// device id → seq, sha256, depositedAtMs, len) and stored counters ("C"
// account); Open migrates such a store.
//
// What the store keeps about a deposit is what the protocol needs: the
// recipient (account, device), the sender's deposit ID, the envelope's
// length and arrival time, whether it came with a valid credential, and
// the opaque envelope. Nothing names the sender: a credential is the same
// for every contact of a device, and the registration keeps only its
// SHA-256.
package mailboxstore
