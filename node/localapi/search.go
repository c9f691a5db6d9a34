package localapi

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/search"
)

// SearchResponse is a page of GET /v1/search.
type SearchResponse struct {
	Hits []SearchHit `json:"hits"`
	// NextCursor continues the search (pass it as cursor with the same q
	// and order); empty when there are no more hits.
	NextCursor string `json:"next_cursor,omitempty"`
}

// SearchHit is one matching message.
type SearchHit struct {
	Message Message       `json:"message"`
	Snippet SearchSnippet `json:"snippet"`
}

// SearchSnippet is part of one field of the message around its first
// match. Text is plain text: escape it before showing it. Ranges are the
// matches as [start, end) byte offsets into Text's UTF-8 encoding, in
// order, not overlapping.
type SearchSnippet struct {
	// Field is "text", "caption" or "file_name".
	Field  string   `json:"field"`
	Text   string   `json:"text"`
	Ranges [][2]int `json:"ranges"`
}

// chatParam parses a chat: an account ID (a 1:1 chat) or a group ID.
func chatParam(v string) (core.Chat, error) {
	if a, err := core.ParseAccountID(v); err == nil {
		return core.With(a), nil
	}
	if g, err := core.ParseGroupID(v); err == nil {
		return core.InGroup(g), nil
	}
	return core.Chat{}, fmt.Errorf("%w: chat must be an account ID or a group ID", errBadRequest)
}

func searchOptions(r *http.Request) (search.Options, error) {
	q := r.URL.Query()
	var o search.Options
	var err error
	if v := q.Get("chat"); v != "" {
		if o.Chat, err = chatParam(v); err != nil {
			return o, err
		}
	}
	if o.Order, err = search.ParseOrder(q.Get("order")); err != nil {
		return o, fmt.Errorf("%w: %v", errBadRequest, err)
	}
	if v := q.Get("limit"); v != "" {
		o.Limit, err = strconv.Atoi(v)
		if err != nil || o.Limit < 1 || o.Limit > search.MaxLimit {
			return o, fmt.Errorf("%w: limit must be 1 to %d", errBadRequest, search.MaxLimit)
		}
	}
	o.Cursor = q.Get("cursor")
	return o, nil
}

func (s *Server) handleSearch(w http.ResponseWriter, r *http.Request) {
	o, err := searchOptions(r)
	if err != nil {
		s.fail(w, r, fmt.Errorf("search: %w", err))
		return
	}
	res, err := s.node.Search().Query(r.Context(), r.URL.Query().Get("q"), o)
	if err != nil {
		s.fail(w, r, err) // a bad query is a 400 with its message (classify)
		return
	}
	nm := s.loadNames(r.Context())
	out := SearchResponse{Hits: make([]SearchHit, len(res.Hits)), NextCursor: res.Next}
	for i, h := range res.Hits {
		out.Hits[i] = SearchHit{
			Message: s.messageOut(r, h.Message, nm),
			Snippet: SearchSnippet{Field: h.Snippet.Field, Text: h.Snippet.Text, Ranges: h.Snippet.Ranges},
		}
		if out.Hits[i].Snippet.Ranges == nil {
			out.Hits[i].Snippet.Ranges = [][2]int{}
		}
	}
	writeJSON(w, http.StatusOK, out)
}
