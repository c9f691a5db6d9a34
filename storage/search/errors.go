package search

import "errors"

// Errors returned by the package, wrapped with the operation.
var (
	// ErrEmptyQuery: the query has no letter or digit to search for.
	ErrEmptyQuery = errors.New("empty query: type at least one letter or digit")
	// ErrQueryTooLong: the query is longer than MaxQueryBytes.
	ErrQueryTooLong = errors.New("query too long: shorten it")
	// ErrTooManyTerms: the query has more than MaxQueryTerms words, or its
	// CJK text more than MaxQueryTerms characters.
	ErrTooManyTerms = errors.New("too many words in query: use fewer")
	// ErrBadCursor: a cursor not returned by Query for this order.
	ErrBadCursor = errors.New("bad cursor: start the search again without one")
	// ErrInvalid: a document or option the index cannot take.
	ErrInvalid = errors.New("invalid")
	// ErrBusy: Purge could not truncate the write-ahead log because a
	// query held an old snapshot; deleted text may remain until it runs
	// again.
	ErrBusy = errors.New("index busy: purge again later")
	// ErrClosed: the index was closed.
	ErrClosed = errors.New("search index closed")
)
