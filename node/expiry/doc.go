// Package expiry is a node's disappearing messages (node.Node.Expiry()).
//
// Every 1:1 chat and group has a timer: off, or from 30 seconds to 365
// days. Changing it sends a timer_set content to the other side (the
// group) and records an account-log operation ("expiry.timer") for this
// account's other devices; every message also carries its sender's
// current timer as meta, so both sides converge even when a change is
// lost. Concurrent changes (from both sides, or from several devices of
// one account) converge on the same timer everywhere: the highest version
// wins, ties go to the higher setter account, then the higher carrying
// message ID; a new change takes the highest version seen plus one. In a
// group only members allowed to edit its info may change the timer,
// which receivers check.
//
// Every change shows in the chat's history as a notice
// (storage.KindTimerNotice) with the ID of the message that carried it, on
// every device of both sides; notices are never unread.
//
// Messages sent disappear their timer after they were sent; received ones
// after they were first read on any device of the reader's account (the
// read's account-log time, so every device computes the same deadline).
// Files are messages like texts: node/media calls the same hooks (Stamp
// on send, Receive and Stored on receive and on folding a sibling's
// media.message operation, which keeps the timer the file carried), and
// the store's DeleteMessage takes the file's attachment with it; its
// blocks go at the next compaction.
// A deadline index lets the sweep worker (Run) find due messages without
// reading history; it removes them with the store's DeleteMessage, a few
// per transaction, and publishes MessageExpired.
//
// Relay copies end with the message: an outbox item of a disappearing
// text or file (and an account op carrying one to this account's other
// devices) carries its deadline (storage.OutboxItem.Expires, set from the
// content's timer), its deposits ask relays for that TTL
// (mailbox.WithTTL), and a group message names the group's timer
// (pb.GroupEnvelope.ttl_ms) for the relays keeping it; nothing is
// deposited past the deadline. For an incoming message not read yet the
// op copy ends the timer after the op was made.
//
// The default timer of new chats is an account setting ("expiry.default",
// the latest change wins), applied when this account sends a chat's
// first message.
package expiry
