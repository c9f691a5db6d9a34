// Package contacts is a node's address book: contacts (add, rename,
// remove, list), safety numbers, verification, the identity changes of
// contacts' devices, and the send policy the runtime asks before anything
// goes to an account (a verified contact whose identity changed since is
// blocked until the user verifies again).
//
// The embedding API is Service's List, Add, Remove, SafetyNumber,
// Verify, Block, Unblock, Blocked, Requests, Accept and DeleteRequest, and
// the events Changed, IdentityChanged, BlockedChanged and RequestChanged. Allowed,
// CheckRecipient and IdentityChanged are for node's wiring: the delivery
// runtime, chats, media and groups call them.
//
// Goroutines: none. Lock order: policies.mu is never held while taking
// another lock.
//
// Content: none of its own; the runtime reports identity changes it meets
// while decrypting or starting a session (IdentityChanged).
//
// # Blocking
//
// Block and Unblock are the account-log operation "contacts.block"
// (pb.OpBlock, the latest about an account wins; part of the state hash),
// so every device of the account blocks. The runtime asks IsBlocked for
// every 1:1 content from another account: texts, files, actions and timer
// changes that reach us directly are refused (the sender keeps them
// pending, never delivered, and they arrive after an unblock), those a
// relay held are dropped (they stay sent); typing, receipts and profiles
// are dropped; nothing of it is stored and no receipt goes back. Group
// control passes: groups refuses a welcome from, or an addition by, a
// blocked account; groups already shared go on and show its messages (as
// WhatsApp; Signal hides them: every member should see one group). We
// send a blocked account nothing: CheckRecipient refuses it (ErrBlocked),
// typing and profiles skip it, no read receipt goes to it.
//
// # Message requests
//
// Received files every new 1:1 message from another account: when the
// account is no contact and the message is the first of the conversation
// (we never wrote to it), the conversation becomes a request (kept per
// device; each device decides from the same messages). While it is
// pending no read receipt, typing indicator or profile goes to the
// account; delivery receipts do (as in Signal). Accept adds the contact
// (which clears the request on every device, through contacts.contact);
// DeleteRequest removes the request and its messages on this device;
// Block closes it; writing to the account (Replied) accepts the chat
// without adding the contact.
package contacts
