// Package accountlog is the node's runtime for the account log
// (protocol/acctlog): the operations one account's devices replicate so
// that what the user does on one device shows on all.
//
// Features record what this device does with Append, in the transaction
// that makes the change, and claim the kinds they fold with HandleOp. An
// appended operation reaches the account's other devices two ways: at
// once, Signal-encrypted to each of them through the outbox like any
// message (so a device that is offline gets it from its mailbox), and by
// pulling (/pigeon/acctlog/1) whatever a device lacks from any sibling it
// meets: when it starts, when a sibling connects, and right after a new
// device is linked (its history transfer). Every operation is verified
// against its author's certificate in the account's device list before
// anything is stored or folded, and stored and folded in one transaction,
// so nothing is applied twice and an interrupted transfer resumes where
// it stopped.
//
// Kinds that carry a message (a text, a file's reference) say so with
// CarriesMessage: every such operation recorded or taken, and every
// outbox item pushing one, is indexed under the message's ID in the store
// (NoteMessageOp, NoteMessageCarrier), so that deleting the message
// (storage/badger's DeleteMessage) redacts the operation in place and
// drops the push. A redacted operation (its body gone where it comes
// from) is stored but never folded.
//
// Lock order: Service.mu is a leaf.
package accountlog
