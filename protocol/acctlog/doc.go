// Package acctlog is the account log: the signed operations an account's
// devices replicate among themselves, and /pigeon/acctlog/1, how one
// device pulls the operations it lacks from a sibling.
//
// # Ops
//
// Every change the user's other devices must see (a message sent or
// received, a read marker, a contact, a setting...) is an Op: the account,
// the authoring device, its seq (per device 1, 2, 3, ... with no gaps; the
// op's ID is (device, seq)), a Lamport clock (the highest seen plus one), the
// authoring time, a kind ("chats.message") and a body in the kind's own
// encoding. Sign signs it with the authoring device's libp2p peer key
// (Ed25519, under the domain "pigeon/account-op/v1"); Open (or OpenBatch,
// for many) verifies it against the author's device certificate, which the caller looks up in the
// account's device list: a device revoked since keeps its certificate
// there with the last op it may have authored (Author), so the ops it
// signed while listed stay valid and later ones are refused
// (ErrRevokedDevice); a pull skips those and goes on. Less is the
// total order (lamport, device, seq) that last-writer-wins folds use, so
// the same ops fold to the same state in any arrival order.
//
// # Chains
//
// Each op names the op its device signed before it: Prev is the SHA-256
// (Hash) of that op's signed bytes (Op.Raw) without a detached body (see
// Redaction), empty for seq 1. The author
// fills it in the transaction that assigns the seq (storage/badger's
// NextOp returns it). So the signature of a device's op also covers every
// op it chains back to, and OpenChain verifies a run of chained ops (one
// device, consecutive seqs) with the signature of its last op only; a
// pull verifies a thousand-op batch of one device with one signature
// instead of a thousand. Ops signed before the chain existed have no
// Prev: each is verified by its own signature, and the first chained op
// after one links to its hash like to any other. Ops pushed one at a
// time (the outbox) are verified one by one (OpenBatch). A run with an
// op changed, ops out of order, or whose first op does not link to the op
// before it that the requester holds is refused whole (ErrBrokenChain).
//
// # Redaction
//
// Deleting a message (for everyone, for me, or by expiry) must remove its
// text from every device, the ops that carried it included, without
// breaking the log for a device that pulls it later. So an op's body
// travels detached: Sign puts the body's SHA-256 in the signed op
// (AccountOp.body_hash) and the body next to the signature
// (SignedAccountOp.body); the signature covers the hash, and the chain
// hashes the op and signature only. Redact drops the body: the op keeps
// its ID, its Lamport clock, its place in its device's chain and a valid
// signature; Open and OpenChain return it with Redacted set and no body,
// and folds skip it. A device holding an op redacted and receiving it
// whole (or the other way round) holds one op (SameOp), not a conflict.
//
// Ops signed before bodies were detached carry theirs inside the signed
// op. Decision: such an op is redacted without its signature rather than
// kept whole or re-authored (a device cannot sign another device's op,
// and a new "redaction" op would leave the text in the old one). Redact
// makes it the signed op without its body, the old signature, and the
// hash the chain knew it by (SignedAccountOp.redacted_hash). It cannot be
// verified, so it is taken on the word of the sibling that serves it:
// only OpenChain (a pull, from a device Config.Authorize accepted)
// accepts it, never Open or OpenBatch (pushes carry fresh ops, always
// whole). The op after it still names its hash, and that op's signature
// vouches for it; the ops before it are verified by their own
// signatures, never through it (its Prev is not signed any more). What a
// sibling could do with this is make a device skip an op of the account
// in its history: a sibling can do as much by other means already.
//
// # Vectors
//
// A device's Vector says, per authoring device, the highest seq S such
// that it holds ops 1..S. Ops may arrive out of order (pushed one by one);
// a store keeps them all and counts only the contiguous prefix.
//
// # Sync
//
// Pull opens a stream to a sibling and writes one uvarint-length-delimited
// pb.AcctLogRequest: the account and the requester's vector. The sibling's
// Service checks that the peer is a device of the account (Config.Authorize)
// and answers with pb.AcctLogFrame frames: a Start with the number of ops
// to come, Batches of at most MaxBatchOps signed ops and MaxBatchBytes,
// then an End; or an Error code instead (refused, or a failure while
// answering). The requester verifies every op of a batch before it
// applies it (store, fold), and applies batches one at a time in order,
// so an interrupted pull is resumed by pulling again with the vector the
// applied ops left: it fetches exactly the rest. To keep up with the
// stream, it reads and verifies the next batch while one is applied, and
// verifies a batch by its chained runs (OpenChain, with one Ed25519 batch
// verification of the runs' last ops) on up to GOMAXPROCS goroutines. Ops the requester already holds
// beyond a gap in its vector may come again; applying is idempotent.
//
// The package needs only host.Host and the narrow Store interface it
// declares (storage/badger implements it); what an op's body means is the
// business of the features that fold it.
package acctlog
