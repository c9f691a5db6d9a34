// Package prefs is how the user keeps each conversation (1:1 or group):
// pinned to the top of the list, muted until a time (or for ever), or
// archived out of the default list. The choices are the account's: every
// change is an account-log operation (OpChat, "prefs.chat"; per chat and
// per field the latest change in the log's order wins), so every device
// of the account converges on the same preferences whatever order the
// operations reach it in.
//
// Conversations lists the chats with their preferences: pinned ones
// first (the most recently pinned on top), then the others by their last
// message; archived chats only when asked for. A new message in an
// archived chat leaves it archived (like WhatsApp's "keep chats
// archived"): the user unarchives it.
//
// Mute is local to the account's devices and never reaches the network:
// clients skip notifications for muted chats (the local API's
// message_received events carry "muted"; the web UI shows none). Push
// wake-ups are not affected: they are content-free and sent by relays,
// which cannot tell which chat a deposit belongs to, and the node cannot
// ask them to hold back one chat's without telling them who writes to it.
// A woken device fetches every message, muted or not; what it shows is up
// to the client, which reads "muted" on each message event.
//
// Goroutines: none. Locks: none.
package prefs
