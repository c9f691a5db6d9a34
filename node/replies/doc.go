// Package replies is a node's replies: a text or a file (1:1 or in a
// group) may quote an earlier message of its chat, and carries the quote
// (pb.Quote: the original's author, the start of its text, and for a file
// its name and a small preview) so that a receiver lacking the original
// still shows what was answered.
//
// The features that send and receive messages (chats, groups, media) use
// Service through their Quotes dependency: Quote builds the quote of a
// stored original for a send, ReplyTo reads the original's ID from a
// received quote, and Keep stores a reply's quote (Badger prefix "Q",
// reply ID → quote) in the transaction that stores the reply, with an
// account-log operation (OpQuote, "replies.quote") so the account's other
// devices keep it too, whatever carries the message itself to them.
//
// Reading: Of returns a message's reply with the state of the original:
// StateOK when it is stored here, StateDeleted when it was deleted for
// everyone (a tombstone of the actions feature), else StateUnknown (never
// received, or removed here). The quote of a deleted original shows no
// snippet or preview. A reply's quote is removed with the reply
// (Store.DeleteMessage); removing an original blanks the text, preview and
// file name in the quotes of replies to it, which then show it as unknown
// (or deleted).
//
// Goroutines: none. Locks: none.
package replies
