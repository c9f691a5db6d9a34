// Package media is Pigeon's attachment layer: files are encrypted on the
// sender, stored as content-addressed blocks, and fetched by the recipient
// from whoever holds them.
//
// # Encryption
//
// Every file gets a fresh random 32-byte key. The plaintext is cut into
// segments of SegmentSize bytes (the last one may be shorter, and an empty
// file is one empty segment); segment i is sealed with AES-256-GCM under
// the nonce
//
//	uint64 big-endian i || 0x00 0x00 0x00 || final
//
// where final is 1 on the last segment and 0 on every other, and the
// additional data is the format label "pigeon-media/1". This is the STREAM
// construction of Hoang, Reyhanitabar, Rogaway and Vizár ("Online
// authenticated-encryption and its nonce-reuse misuse-resistance", 2015),
// which is what age and Tink's streaming AEAD use:
//
//   - it streams: encrypting and decrypting need one segment of memory, and
//     every segment is authenticated before any of its plaintext is
//     released, so a reader never acts on forged bytes;
//   - reordering or dropping segments changes the index in some nonce and
//     fails authentication; cutting the stream at a segment boundary leaves
//     a last segment sealed with final = 0, which fails when opened as the
//     last; appending after a final segment is impossible because only
//     the true last segment verifies with final = 1;
//   - nonces never repeat because the key is used for one file only, so a
//     counter is enough (no random nonces, no 2^32 limit concerns: a 2 GiB
//     file is 32,768 segments);
//   - AES-GCM runs at about 6 GB/s on this hardware (AES-NI), far above
//     disk and network rates.
//
// The manifest also carries SHA-256 digests of the plaintext and the
// ciphertext; a download is only moved into place when both match and the
// size is the one announced.
//
// # Blocks
//
// The ciphertext is chunked into 1 MiB raw leaves of a balanced UnixFS DAG
// (CIDv1, BLAKE3-256), built with boxo's importer. Leaves of 1 MiB keep the
// block count low (2,048 for 2 GiB) and the per-block overhead small.
//
// # Transfer
//
// /pigeon/blocks/1 is a windowed block protocol: the client walks the DAG
// from the root (internal nodes first, then leaves in file order), skips
// every block it already has, and keeps a window of wants in flight on one
// stream per provider; the server answers each want in order with the
// block's bytes. The client checks every block's hash against its CID
// before storing it. Several providers (the sender, relays, other group
// members) are used at once; a block one of them lacks is asked of the
// others. Resuming an interrupted download is the same walk: what arrived
// before is in the local store and is not asked for again.
//
// Why not bitswap: boxo's bitswap (kept as the comparison in
// bench_test.go) reached 0.20–0.30 of a raw libp2p stream's throughput for
// 64 MiB between two loopback hosts, against 0.39–0.61 for
// /pigeon/blocks/1 in the same runs (2 shared cores under outside load of
// 5–12; a fetch also hashes every block, writes it to disk and the server
// reads it from disk, about 1.8 times the CPU of the raw stream per byte).
// Fetching 4,096 blocks ran at 0.95 of the 256-block rate (bitswap through
// merkledag.FetchGraph: 0.77). Bitswap also announces every want to every
// connected peer, which tells all of them which files a node is fetching;
// here wants go only to the providers the caller names.
//
// A provider reached through a relay only (it listens nowhere else) is
// fetched from over the relayed connection, as messages are; a direct
// connection is tried first, since a relay's circuits are small. A
// provider that cannot be reached, or whose stream breaks, is an
// ErrUnavailable in the fetch's error, which callers retry later (the node
// does, for a day by default); one that answers without the blocks is an
// ErrNotFound.
//
// The server holds PieceSize bytes of blocks per stream at a time, read
// from the store in pieces (BlockOpener), never a whole block for a reader
// that does not take it: a piece not taken within PieceTimeout ends the
// stream. Pieces are reserved from the libp2p resource manager (service
// ServeService; AddLimits sets a node-wide budget and a bound of
// ServeStreamsPerPeer streams per peer). BenchmarkStalledStreams
// reproduces 300 streams that want a 1 MiB block and never read.
//
// /pigeon/pin/1 asks a relay to keep a copy of a DAG for a device it holds
// a mailbox for: the relay fetches the blocks from the requester with the
// same client, so it only ever holds ciphertext whose hashes it checked.
//
// # Saving
//
// A file's name comes from its sender and is hostile input: SafeName
// makes it a plain, visible name in the directory the user chose (no
// path parts, no control characters, no leading dot, not over-long), and
// Target.Save writes the file beside its destination and moves it into
// place with renameat2(RENAME_NOREPLACE) (or a hard link), trying "name
// (1).ext" and on when the name is taken: an existing file is never
// replaced, not even one created at the same moment.
package media
