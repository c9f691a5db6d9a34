// Package media is a node's files: photos, videos, documents, sent 1:1
// and to groups.
//
// Sending (Send, SendToGroup, Forward) encrypts a file with a fresh key
// into blocks in the node's block store, streaming, and sends the
// message that carries its manifest: 1:1 through the node's outbox, to a
// group through the groups feature's PublishFile. The blocks are served
// over /pigeon/blocks/1 (protocol/media). For a recipient that is away,
// the outbox has the recipient's relays copy the file before it deposits
// the message there (CopyReady, CopiedAt, PinAtRelay); a group's file is
// copied to this node's own mailbox relays, so members fetch it while
// this node is away.
//
// Receiving: files reach the package as contents of kind rt.KindMedia
// (1:1) and rt.GroupKindMedia (groups), claimed from the node's dispatch
// registry in New; each is stored as a message with an attachment, and
// fetched at once when it is under the chat's auto-download limit.
//
// The account's devices: every file message this device sends or
// receives, 1:1 or in a group, is an account-log operation
// (OpMessage, "media.message") that carries the file by reference: its
// manifest (block root, key, size, name, type, preview, caption), not its
// bytes. Another device of the account, or one linked later in its
// history transfer, folds it into a message with an attachment not
// fetched yet; the blocks come when the file is opened or the
// auto-download limit asks for them, from any holder: the device that
// recorded the operation, the sending device, relays, a group's members.
// Sent files go to the account's other devices at once (Append); received
// ones only when the sender's copy of our device list was older than ours
// (the other devices received the file too otherwise). The auto-download
// limits are an account setting (OpAutoDownload, "media.autodownload",
// last writer wins); Backfill records the files of a home from before the
// log carried them, and the state hash covers files (not whether they
// were fetched, which differs between devices).
//
// Disappearing messages: a file sent into a chat with a timer carries
// the timer like a text (the expiry feature's hooks, Deps.Expiry) and
// counts down from its send; a received one from the chat's first read;
// the media.message operation keeps the timer, so the account's other
// devices compute the same deadline. The expiry sweep removes the message
// with its attachment; blocks no attachment references are collected.
//
// Downloads (Fetch, StartFetch, Write, WriteRange, SaveTo) run in the
// node, one goroutine per file shared by every caller, and fetch from the
// sending device, the sender's relays, a group's members, this node's
// relays and peers the caller names. A download that cannot reach any
// holder of the file waits in state Retrying and tries again, across
// restarts of the node, until node.WithMediaRetry has passed. SaveTo
// never replaces an existing file. Blocks no attachment references are
// collected every hour and on Delete.
//
// Goroutines, each started through Deps.Go (the node's owner, which Close
// waits for): one per running download, one per file being copied to
// relays, and the loop that resumes downloads at start and collects
// blocks.
//
// Lock order: downloads.mu, copies.mu and progress.mu are never held
// while taking another lock.
package media
