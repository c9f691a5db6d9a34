// Package backup is a node's backups (node.Node.Backup()): the account,
// end-to-end encrypted, in a folder or an S3-compatible bucket the user
// chooses (storage/backup is the repository format), so that losing every
// device does not lose the account.
//
// What a backup holds: the account key and the account's signed device
// list (item "account", pb.BackupAccount), and every account-log
// operation this device holds (items "acctlog/DEVICE/FIRST", device by
// device in sequence order, 256 operations to an item so that a backup
// uploads only the items that grew: each signed operation,
// uvarint-length-prefixed). The log
// is what every feature folds its state from (history, contacts, groups'
// texts, settings, timers, reads), so a device restored from it folds
// the same state; operations redacted because their message was deleted
// or expired stay redacted. Never Signal session state: a restored node
// is a new device of the same account (node.RestoreBackup), its contacts
// see a device notice, and safety numbers, over the account key, stay.
// Each snapshot's manifest is signed with the account key; a restore
// refuses a snapshot whose signer is not the account it restores.
//
// Keys: a 64-character recovery key the node makes (Setup; the user
// types it back, Confirm, before any backup runs) or a passphrase
// (Argon2id). The node keeps the key in its home, beside the account
// key, so the daily backup runs unattended. CheckKey re-checks a key the
// user types against the repository's key-check value, locally; Status
// says when that is due (every 30 days), so a lost key is noticed while
// the backups still exist.
//
// Run is the daemon's schedule: a backup when the last one is a day old,
// then a light verify (every manifest decrypts, every chunk it names is
// there) and retention (7 daily, 12 monthly snapshots; unreferenced
// chunks pruned).
//
// Lock order: Service.running (one backup at a time), then Service.mu
// (a leaf). A backup's progress reaches its callback on a goroutine of
// its own (progressRelay), never under the repository's lock.
package backup
