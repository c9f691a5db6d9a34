// Package search is the node's local full-text index of message history:
// text, captions and file names of 1:1 and group chats, searched newest
// first or by relevance, with snippets.
//
// # Engine
//
// SQLite FTS5 through modernc.org/sqlite (pure Go, no cgo), one database
// file (FileName) in the index directory. FTS5 was measured against bleve
// v2 before it was chosen: it indexes within the budget and
// answers a newest-first query from the index's rowid order (rows sort as
// message IDs do) instead of collecting and sorting every match; see the
// benchmarks in bench_test.go for the commands and the commit that added
// this package for the numbers.
//
// # What matches
//
// A query is words; every word must match (AND). Text is folded before it
// is indexed and queried: compatibility forms (full-width letters,
// ligatures) decomposed, accents (U+0300–U+036F) removed, lower case.
//
//   - A word matches any word that starts with it: "hel" finds "Hello",
//     "creme" finds "Crème".
//   - CJK text (Han, kana, Hangul) matches anywhere inside a longer run:
//     "東京" finds "東京都", "京" finds both. Runs are indexed as
//     overlapping bigrams plus their last character, so a query of n ≥ 2
//     characters is a phrase of n-1 bigrams and a single character is a
//     bigram prefix.
//   - Punctuation, quotes and FTS5 operators in the query are separators:
//     user input never reaches SQLite's query language.
//
// Queries are bounded: MaxQueryBytes bytes and MaxQueryTerms words (a CJK
// character counts as one). Bad queries fail with ErrEmptyQuery,
// ErrQueryTooLong, ErrTooManyTerms or ErrBadCursor, each telling the user
// what to do.
//
// # Snippets
//
// Each Hit carries a Snippet: plain text cut from the first field that
// matches (text, then caption, then file name) around the first match,
// with the matching parts as byte ranges. A UI escapes the text and marks
// the ranges; nothing in it is markup.
//
// # Writes and deletes
//
// Changes go in a Batch applied in one SQLite transaction (Index.Apply):
// Put adds or replaces (an edit) a document, Delete removes one (a delete
// for me or for everyone, an expiry), DeleteChat removes a conversation.
// A query that starts after Apply returns sees the change. Deleted text
// leaves the index's pages at once (FTS5 secure-delete, SQLite
// secure_delete); Index.Purge then merges the index, vacuums and truncates
// the write-ahead log, after which no file of the directory holds it. The
// node calls Purge when it compacts the store after deletions.
//
// # Keeping up with the store
//
// The store is the truth; the index can always be rebuilt from it. A
// batch may carry a high-water mark (Batch.SetMark), committed with its
// changes; Index.Mark reads it back. The node (package node/search, over
// storage/badger's change queue) does this:
//
//  1. keep a change sequence in the store, advanced in the same Badger
//     transaction as every insert, edit, delete or expiry of a message,
//     and write the change itself to a small queue under that sequence;
//  2. after the Badger commit, apply the queued changes to the index in one
//     batch with SetMark(sequence) — before it answers the next search, so
//     an edit or a delete is never visible in search after it is visible
//     in history — then trim the queue up to Mark;
//  3. at start, compare Mark with the store's sequence: replay the queued
//     changes after Mark, or, if the queue no longer reaches back that
//     far (or the index is missing or fails to open), delete the index
//     directory and rebuild it from History in batches, setting the mark
//     last.
//
// A crash between the Badger commit and Apply therefore loses nothing:
// the index is behind, the mark says so, and step 3 catches it up.
package search
