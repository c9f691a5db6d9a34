package search

import (
	"context"
	"errors"
	"fmt"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/storage"
	sindex "github.com/pigeon-net/pigeon/storage/search"
)

// Order is the order of hits.
type Order uint8

const (
	// Newest puts the most recent message first, as history orders.
	Newest Order = iota
	// Relevance ranks by how well the text, caption and file name match
	// (BM25); ties go to the newer message.
	Relevance
)

// ParseOrder parses "newest" (or "") and "relevance".
func ParseOrder(s string) (Order, error) {
	switch s {
	case "", "newest":
		return Newest, nil
	case "relevance":
		return Relevance, nil
	}
	return 0, fmt.Errorf("order %q: use newest or relevance", s)
}

func (o Order) String() string {
	if o == Relevance {
		return "relevance"
	}
	return "newest"
}

// Options shape a Query. The zero value searches every chat, newest
// first, DefaultLimit hits.
type Options struct {
	// Chat, if set, restricts hits to that conversation.
	Chat  core.Chat
	Order Order
	// Limit is the page size: <= 0 means DefaultLimit, capped at MaxLimit.
	Limit int
	// Cursor continues after a previous page (Result.Next of the same
	// query and order); empty starts at the top.
	Cursor string
}

// Snippet is a part of one field of the message around its first match.
// Text is plain text (escape it to show it); Ranges are the matching parts
// as byte offsets [start, end) into Text, in order, not overlapping. Text
// starts or ends with "…" where it was cut.
type Snippet struct {
	// Field is "text", "caption" or "file_name".
	Field  string
	Text   string
	Ranges [][2]int
}

// Hit is one matching message, as history has it now.
type Hit struct {
	Message core.Message
	Snippet Snippet
}

// Result is one page of hits; Next continues it (empty: no more).
type Result struct {
	Hits []Hit
	Next string
}

// Query finds the messages whose text, caption or file name match every
// word of q (see storage/search for the matching rules). It first applies
// every change the store committed before the call. Bad queries fail with
// an error for which IsBadQuery is true.
func (s *Service) Query(ctx context.Context, q string, o Options) (Result, error) {
	if s == nil {
		return Result{}, core.ErrNotStarted
	}
	if err := s.d.Ready(); err != nil {
		return Result{}, err
	}
	ix, err := s.index(ctx)
	if err != nil {
		return Result{}, fmt.Errorf("search: %w", err)
	}
	qo := sindex.QueryOptions{Limit: o.Limit, Cursor: o.Cursor}
	switch o.Order {
	case Newest:
		qo.Order = sindex.Newest
	case Relevance:
		qo.Order = sindex.Relevance
	default:
		return Result{}, fmt.Errorf("search: order %d: use newest or relevance", o.Order)
	}
	if o.Chat != (core.Chat{}) {
		qo.Chat = rt.Peer(o.Chat)
	}
	r, err := ix.Query(ctx, q, qo)
	if err != nil {
		return Result{}, err // storage/search's "search: ..." error
	}
	out := Result{Next: r.Next, Hits: make([]Hit, 0, len(r.Hits))}
	for _, h := range r.Hits {
		m, err := s.d.Store.Message(ctx, h.ID)
		if errors.Is(err, storage.ErrNotFound) {
			continue // deleted since the catch-up
		}
		if err != nil {
			return Result{}, fmt.Errorf("search: %w", err)
		}
		sn := Snippet{Field: h.Snippet.Field.String(), Text: h.Snippet.Text, Ranges: make([][2]int, len(h.Snippet.Highlights))}
		for i, r := range h.Snippet.Highlights {
			sn.Ranges[i] = [2]int{r.Start, r.End}
		}
		out.Hits = append(out.Hits, Hit{Message: rt.Message(m), Snippet: sn})
	}
	return out, nil
}
