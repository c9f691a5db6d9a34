package localapi

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestSearchEndpoint: GET /v1/search finds a sent message with its
// snippet marked, filters by chat, pages, and answers bad queries with 400
// and storage/search's message.
func TestSearchEndpoint(t *testing.T) {
	na := startNode(t)
	nb := startNode(t, na)
	a := startServer(t, na)
	var ib Info
	call(t, startServer(t, nb), "GET", "/v1/info", nil, &ib)
	for _, text := range []string{"Grüße aus Zürich", "zurück nach Hause", "東京都"} {
		body, _ := json.Marshal(SendRequest{To: ib.Account, Text: text})
		poll(t, "A to find B", func() bool {
			r := do(t, "POST", a.url+"/v1/messages", testToken, bytes.NewReader(body))
			if r.status != http.StatusCreated && r.status != http.StatusNotFound {
				t.Fatalf("send: %d %s", r.status, r.body)
			}
			return r.status == http.StatusCreated
		})
	}

	var res SearchResponse
	call(t, a, "GET", "/v1/search?q=zur", nil, &res)
	if len(res.Hits) != 2 || res.NextCursor != "" {
		t.Fatalf("zur: %+v", res)
	}
	h := res.Hits[1] // newest first: "zurück" then "Zürich"
	if h.Message.Text != "Grüße aus Zürich" || h.Message.Peer != ib.Account || h.Snippet.Field != "text" {
		t.Fatalf("hit %+v", h)
	}
	if len(h.Snippet.Ranges) != 1 {
		t.Fatalf("ranges %v", h.Snippet.Ranges)
	}
	if r := h.Snippet.Ranges[0]; h.Snippet.Text[r[0]:r[1]] != "Zür" {
		t.Fatalf("marked %q", h.Snippet.Text[r[0]:r[1]])
	}

	// Paging, relevance, a chat filter and CJK.
	call(t, a, "GET", "/v1/search?q=zur&limit=1&order=relevance", nil, &res)
	if len(res.Hits) != 1 || res.NextCursor == "" {
		t.Fatalf("page 1: %+v", res)
	}
	first, cursor := res.Hits[0].Message.ID, res.NextCursor
	res = SearchResponse{}
	call(t, a, "GET", "/v1/search?q=zur&limit=1&order=relevance&cursor="+url.QueryEscape(cursor), nil, &res)
	if len(res.Hits) != 1 || res.NextCursor != "" || res.Hits[0].Message.ID == first {
		t.Fatalf("page 2: %+v", res)
	}
	call(t, a, "GET", "/v1/search?q=zur&chat="+ib.Account, nil, &res)
	if len(res.Hits) != 2 {
		t.Fatalf("in B's chat: %d hits", len(res.Hits))
	}
	call(t, a, "GET", "/v1/search?q=zur&chat="+strings.Repeat("ab", 32), nil, &res)
	if len(res.Hits) != 0 {
		t.Fatalf("in another group: %d hits", len(res.Hits))
	}
	call(t, a, "GET", "/v1/search?q="+url.QueryEscape("京都"), nil, &res)
	if len(res.Hits) != 1 {
		t.Fatalf("京都: %d hits", len(res.Hits))
	}

	for _, tc := range []struct{ query, want string }{
		{"q=", "empty query"},
		{"q=" + url.QueryEscape("?!"), "empty query"},
		{"q=" + strings.Repeat("a", 300), "query too long"},
		{"q=" + strings.Repeat("a+", 17), "too many words"},
		{"q=a&cursor=zz", "bad cursor"},
		{"q=a&order=oldest", "order"},
		{"q=a&limit=0", "limit"},
		{"q=a&chat=nope", "chat"},
	} {
		r := do(t, "GET", a.url+"/v1/search?"+tc.query, testToken, nil)
		if r.status != http.StatusBadRequest || !strings.Contains(r.apiError(t).Message, tc.want) {
			t.Errorf("%s: %d %s, want 400 with %q", tc.query, r.status, r.body, tc.want)
		}
	}
}
