// Package contacts is a node's address book: contacts (add, rename,
// remove, list), safety numbers, verification, the identity changes of
// contacts' devices, and the send policy the runtime asks before anything
// goes to an account (a verified contact whose identity changed since is
// blocked until the user verifies again).
//
// The embedding API is Service's List, Add, Remove, SafetyNumber and
// Verify, and the events Changed and IdentityChanged. Allowed,
// CheckRecipient and IdentityChanged are for node's wiring: the delivery
// runtime, chats, media and groups call them.
//
// Goroutines: none. Lock order: policies.mu is never held while taking
// another lock.
//
// Content: none of its own; the runtime reports identity changes it meets
// while decrypting or starting a session (IdentityChanged).
package contacts
