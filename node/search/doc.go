// Package search is a node's full-text search of its message history:
// texts, captions and file names of 1:1 and group chats, newest first or
// by relevance, with snippets whose matches are marked.
//
// The embedding API is Service.Query (node.Node.Search() returns the
// Service); hits carry the core.Message as history has it now. What a
// query matches (word prefixes, accents folded, CJK substrings) is
// storage/search's; see its package doc.
//
// # Keeping up with the store
//
// The index (storage/search, SQLite FTS5 in Deps.Dir) follows the store
// through the store's change queue: every write that changes a message
// for search (insert, text edit, delete, new attachment manifest) queues
// the message ID in its own Badger transaction, under a sequence. The
// Service applies the queued changes in one index batch whose mark is the
// sequence of the snapshot it read them in, then trims the queue up to
// it:
//
//   - after commits: Run wakes on the store's notification;
//   - before every query: Query catches up first, so a message edited or
//     deleted in history is never found by its old text afterwards (and a
//     hit whose message vanished between the index and the store is
//     dropped);
//   - at start: Open opens the index (a directory that fails to open is
//     deleted) and the first catch-up replays the queue after the index's
//     mark, or rebuilds the index from the whole history when it is new,
//     behind what the queue still holds, or ahead of the store (another
//     store's); the mark is set last, so an interrupted rebuild starts
//     again.
//
// A crash between a Badger commit and the index batch loses nothing: the
// change stays queued above the mark and is applied at the next start.
//
// Purge makes deleted text leave the index's files (storage/search's
// Index.Purge); the node calls it when it compacts the store.
//
// Goroutines: Run, owned by the node. Locks: turn (a one-slot channel, so
// waiting for it honours a context) serialises catch-ups, rebuilds, Purge
// and Close; nothing else is held while it is.
package search
