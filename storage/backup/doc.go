// Package backup stores encrypted, deduplicated, incremental backups in a
// directory or an S3-compatible bucket, and restores them. It knows
// nothing about Pigeon's node: callers hand it named byte streams (Items)
// and get them back.
//
// # Use
//
//	key, _ := backup.NewRecoveryKey()        // show once; the user writes it down
//	s, _ := backup.ParseRecoveryKey(key)     // or backup.PassphraseSecret(p)
//	t, _ := backup.NewDir("/media/usb/pigeon") // or backup.NewS3(bucket, prefix, opts)
//	repo, _ := backup.Init(ctx, t, s)        // later: backup.Open(ctx, t, s)
//	snap, stats, _ := repo.Backup(ctx, items, backup.BackupOptions{Sign: accountKey})
//	_ = repo.Restore(ctx, "latest", backup.RestoreOptions{Signer: accountPub}, write)
//
// # Objects
//
//	config           the Header: public, JSON then a "sha256:<hex>" line
//	data/<64 hex>    one chunk each, encrypted
//	snapshots/<id>   one manifest per snapshot, encrypted; id = 20261206T221755Z-<8 hex>
//	locks/<kind>-<hex>  empty-ish marker of a running backup or prune (see Retention)
//
// A snapshot exists if and only if its manifest does. Backup uploads
// chunks first and the manifest last, so a run killed half-way leaves
// the earlier snapshots restorable and its chunks are reused by the next
// run (Backup lists data/ once and uploads only chunks not there).
//
// In a directory, an object is written to a temporary file, flushed to
// disk and then renamed into place, so a crash leaves it whole or absent.
// Backup's chunks are flushed in groups rather than one fsync each: they
// are written to temporary files, and a committer repeatedly takes all
// written so far, fsyncs them in parallel, renames them and fsyncs the
// directory; the manifest follows the last group. A chunk is never under
// its name before its content is on disk, and a run cut short still
// commits what it wrote. Temporary files of a killed run are removed by
// the next Backup or Prune once an hour old.
//
// # Keys
//
// A repository is opened by a Secret: a recovery key (64 Crockford base32
// characters = 32 key bytes + an 8-byte check that catches typos before
// any KDF) or a passphrase of at least 10 characters (NFC-normalised).
// The config holds the KDF: HKDF-SHA256 over the recovery key, or Argon2id
// with its salt and parameters (default t=3, m=128 MiB, p=4: about 0.2-0.4 s;
// headers asking for more than 1 GiB, t>16 or less than 64 MiB are
// refused, so a hostile store can neither exhaust our memory nor weaken
// the KDF). From the stretched secret come a 16-byte key-check value
// (compared locally: a wrong secret fails with ErrWrongKey after reading
// only config) and a key-encryption key that wraps, with AES-256-GCM, the
// 32-byte master key and the chunker polynomial (old repositories). A
// passphrase change rewrites only config. HKDF-SHA256 (salted with the
// repository id) derives from the master key: the chunk key, the manifest
// key, the chunk-naming key and the FastCDC Gear key.
//
// # Chunks
//
// Items are cut into content-defined chunks, and a chunk is named by a
// keyed hash of its plaintext: the store can neither confirm guessed
// contents nor learn them from where chunks are cut. How is fixed when a
// repository is made and recorded in config ("chunker", "naming"; the
// fields are bound to the wrapped keys, so changing them fails Open):
//
//   - new repositories: keyed FastCDC (go-cdc-chunkers' frozen
//     "fastcdc-v1.0.0", Gear table derived from a repository key;
//     192 KiB min, 256 KiB normal, ~320 KiB average, 2 MiB max) and
//     keyed BLAKE3 names;
//   - repositories without the fields (made before): restic's Rabin
//     chunker under the random polynomial kept with the master key
//     (256 KiB min, ~384 KiB average, 2 MiB max) and HMAC-SHA256 names.
//
// FastCDC and BLAKE3 were picked by measurement (BenchmarkChunker,
// BenchmarkChunkName): each about twice as fast as what they replace.
// Why these sizes: see the constants in repo.go and chunk.go. A chunk's
// name is data/ + hex(id). The object is
//
//	0x01 || 12-byte random nonce || AES-256-GCM(chunk key, plaintext, ad = object name)
//
// so a chunk moved to another name fails authentication, and Restore also
// re-hashes the plaintext against the name. AES-256-GCM was picked over
// XChaCha20-Poly1305 by measurement: 3.2 GB/s against 2.2 GB/s sealing a
// 384 KiB chunk on the reference machine (AES-NI; BenchmarkSeal). Random 96-bit nonces are safe for our counts: below 2^32
// objects under one key (1 PiB of chunks) a repeat has probability under
// 2^-32.
//
// # Manifests
//
// A manifest is JSON: {"body": {...}, "signer": ed25519 public key,
// "sig": signature}, where body holds the format version, the snapshot id
// (equal to the object name), the time, Meta, and per item its name,
// size, the concatenated 32-byte chunk ids and their sizes. When
// BackupOptions.Sign is set, the body is signed with Ed25519 (the account
// key) and Snapshot.Signer reports it; RestoreOptions.Signer demands it.
// It is then sealed like a chunk with the manifest key and its object
// name as associated data. The decoder refuses objects over 64 MiB, more
// than 2^20 items, names over 1 KiB, unknown fields and trailing data.
//
// # Retention
//
// Forget deletes manifests a Retention does not keep (the newest per
// calendar day for the last Daily days, per month for the last Monthly
// months, and always the newest snapshot); Prune then deletes chunks no
// manifest names, but never one younger than an hour (a backup from
// another device may be about to name it), and never while a manifest is
// unreadable. Within one Repo, Backup, Forget and Prune run one at a time.
// Across devices, Backup and Prune each write a lock object before listing
// the others' (so at least one of two overlapping runs sees the other and
// fails with ErrBusy); locks are refreshed every 10 minutes and ignored
// once an hour old (a killed run's). Backups do not block each other.
package backup
