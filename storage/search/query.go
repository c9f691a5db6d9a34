package search

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pigeon-net/pigeon/storage"
)

// Query limits: longer queries or more terms fail with ErrQueryTooLong or
// ErrTooManyTerms, which bounds the work of one query.
const (
	MaxQueryBytes = 256
	MaxQueryTerms = 16
	DefaultLimit  = 20
	MaxLimit      = 200
)

// Order is the order of hits.
type Order uint8

const (
	// Newest puts the most recent message first (by message ID, as
	// History orders).
	Newest Order = iota
	// Relevance ranks by BM25 over text, caption and file name; ties go
	// to the newer message.
	Relevance
)

// QueryOptions shape a Query. The zero value searches every chat, newest
// first, DefaultLimit hits.
type QueryOptions struct {
	Order Order
	// Chat, if not zero, restricts hits to that conversation.
	Chat storage.Account
	// Limit is the page size: <= 0 means DefaultLimit, capped at MaxLimit.
	Limit int
	// Cursor continues after a previous page (Result.Next with the same
	// query and order); empty starts at the top.
	Cursor string
}

// Field names the field a snippet comes from.
type Field uint8

const (
	FieldText Field = iota
	FieldCaption
	FieldFileName
)

func (f Field) String() string {
	switch f {
	case FieldText:
		return "text"
	case FieldCaption:
		return "caption"
	case FieldFileName:
		return "file_name"
	}
	return "unknown"
}

// Range is a highlighted part of a snippet: Text[Start:End], in bytes.
type Range struct{ Start, End int }

// Snippet is a part of one field around the first match. Text is plain
// text (render it escaped); Highlights are the matching parts, in order,
// not overlapping. Text starts or ends with "…" where it was cut.
type Snippet struct {
	Field      Field
	Text       string
	Highlights []Range
}

// Hit is one matching message.
type Hit struct {
	ID      storage.MessageID
	Chat    storage.Account
	Sender  storage.Account
	At      time.Time
	Snippet Snippet
}

// Result is one page of hits. Next continues it; empty when there are no
// more hits.
type Result struct {
	Hits []Hit
	Next string
}

// term is one parsed query term: a word matched by prefix, or a CJK run
// matched as a substring.
type term struct {
	cjk   bool
	runes []rune
}

// parseQuery turns user input into terms. Every term must match (AND);
// punctuation and FTS syntax are plain separators, so no input can reach
// SQLite's query language.
func parseQuery(q string) ([]term, error) {
	if len(q) > MaxQueryBytes {
		return nil, fmt.Errorf("%w (at most %d bytes)", ErrQueryTooLong, MaxQueryBytes)
	}
	var ts []term
	n := 0
	for _, sg := range segments(q) {
		if sg.cjk {
			n += len(sg.runes)
		} else {
			n++
		}
		ts = append(ts, term{cjk: sg.cjk, runes: sg.runes})
	}
	if n > MaxQueryTerms {
		return nil, fmt.Errorf("%w (at most %d)", ErrTooManyTerms, MaxQueryTerms)
	}
	if len(ts) == 0 {
		return nil, ErrEmptyQuery
	}
	return ts, nil
}

// matchExpr is the FTS5 expression of ts; every token is quoted and holds
// only letters, digits and marks.
func matchExpr(ts []term, chat storage.Account) string {
	var b strings.Builder
	b.WriteString("{text caption file} : (")
	for i, t := range ts {
		if i > 0 {
			b.WriteString(" AND ")
		}
		switch {
		case !t.cjk || len(t.runes) == 1:
			b.WriteString(`"` + string(t.runes) + `"*`)
		default:
			b.WriteByte('"')
			for j := 0; j+1 < len(t.runes); j++ {
				if j > 0 {
					b.WriteByte(' ')
				}
				b.WriteString(string(t.runes[j : j+2]))
			}
			b.WriteByte('"')
		}
	}
	b.WriteByte(')')
	if chat != (storage.Account{}) {
		b.WriteString(` AND chat : "` + chatTerm(chat) + `"`)
	}
	return b.String()
}

// Query finds the messages that match every word of q: a word matches a
// word of the text, caption or file name that starts with it ("hel" finds
// "Hello"), ignoring case and accents; CJK text matches anywhere inside a
// longer run ("東京" in "東京都"). Bad queries fail with ErrEmptyQuery,
// ErrQueryTooLong, ErrTooManyTerms or ErrBadCursor.
func (ix *Index) Query(ctx context.Context, q string, o QueryOptions) (Result, error) {
	ts, err := parseQuery(q)
	if err != nil {
		return Result{}, fmt.Errorf("search: %w", err)
	}
	limit := o.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	limit = min(limit, MaxLimit)
	expr := matchExpr(ts, o.Chat)
	var rows *sql.Rows
	var offset int64
	switch o.Order {
	case Newest:
		before := int64(1<<63 - 1)
		if o.Cursor != "" {
			if before, err = parseCursor(o.Cursor, 'n'); err != nil {
				return Result{}, fmt.Errorf("search: %w", err)
			}
		}
		rows, err = ix.db.QueryContext(ctx, `WITH m AS (
				SELECT rowid FROM fts WHERE fts MATCH ? AND rowid < ? ORDER BY rowid DESC LIMIT ?)
			SELECT d.rowid, d.id, d.chat, d.sender, d.at, d.text, d.caption, d.file
			FROM m JOIN docs d ON d.rowid = m.rowid ORDER BY d.rowid DESC`, expr, before, limit+1)
	case Relevance:
		if o.Cursor != "" {
			if offset, err = parseCursor(o.Cursor, 'r'); err != nil {
				return Result{}, fmt.Errorf("search: %w", err)
			}
		}
		rows, err = ix.db.QueryContext(ctx, `WITH m AS (
				SELECT rowid, rank FROM fts WHERE fts MATCH ? ORDER BY rank, rowid DESC LIMIT ? OFFSET ?)
			SELECT d.rowid, d.id, d.chat, d.sender, d.at, d.text, d.caption, d.file
			FROM m JOIN docs d ON d.rowid = m.rowid ORDER BY m.rank, m.rowid DESC`, expr, limit+1, offset)
	default:
		return Result{}, fmt.Errorf("search: %w: order %d", ErrInvalid, o.Order)
	}
	if err != nil {
		return Result{}, fmt.Errorf("search: %w", wrapClosed(err))
	}
	defer rows.Close()
	var res Result
	var last int64
	for rows.Next() {
		if len(res.Hits) == limit {
			if o.Order == Newest {
				res.Next = formatCursor('n', last)
			} else {
				res.Next = formatCursor('r', offset+int64(limit))
			}
			break
		}
		var (
			h                   Hit
			id, chat, sender    []byte
			at                  int64
			text, caption, file string
		)
		if err := rows.Scan(&last, &id, &chat, &sender, &at, &text, &caption, &file); err != nil {
			return Result{}, fmt.Errorf("search: %w", err)
		}
		copy(h.ID[:], id)
		copy(h.Chat[:], chat)
		copy(h.Sender[:], sender)
		if at != 0 {
			h.At = time.UnixMilli(at)
		}
		h.Snippet = snippet(ts, [3]string{text, caption, file})
		res.Hits = append(res.Hits, h)
	}
	if err := rows.Err(); err != nil {
		return Result{}, fmt.Errorf("search: %w", err)
	}
	return res, nil
}

func formatCursor(kind byte, v int64) string {
	return string(kind) + strconv.FormatInt(v, 36)
}

func parseCursor(c string, kind byte) (int64, error) {
	if len(c) < 2 || len(c) > 16 || c[0] != kind {
		return 0, ErrBadCursor
	}
	v, err := strconv.ParseInt(c[1:], 36, 64)
	if err != nil || v < 0 {
		return 0, ErrBadCursor
	}
	return v, nil
}

// Snippet shape: up to snippetLead runes of context before the first match
// and about snippetBytes bytes in all.
const (
	snippetLead  = 24
	snippetBytes = 160
)

// snippet cuts the first field (text, caption, file name) that holds a
// match around its first match and marks every match in the cut.
func snippet(ts []term, fields [3]string) Snippet {
	for f, s := range fields {
		rs := matches(ts, s)
		if len(rs) == 0 {
			continue
		}
		return cut(Field(f), s, rs)
	}
	// The index matched terms spread over several fields: show the text.
	for f, s := range fields {
		if s != "" {
			return cut(Field(f), s, nil)
		}
	}
	return Snippet{}
}

// matches returns the byte ranges in s of every term's matches, in order,
// merged where they overlap.
func matches(ts []term, s string) []Range {
	var rs []Range
	for _, sg := range segments(s) {
		for _, t := range ts {
			if t.cjk != sg.cjk || len(t.runes) > len(sg.runes) {
				continue
			}
			if !t.cjk {
				if hasPrefix(sg.runes, t.runes) {
					rs = append(rs, Range{sg.off[0], sg.off[len(t.runes)]})
				}
				continue
			}
			for i := 0; i+len(t.runes) <= len(sg.runes); i++ {
				if hasPrefix(sg.runes[i:], t.runes) {
					rs = append(rs, Range{sg.off[i], sg.off[i+len(t.runes)]})
				}
			}
		}
	}
	return merge(rs)
}

func hasPrefix(s, p []rune) bool {
	if len(p) > len(s) {
		return false
	}
	for i := range p {
		if s[i] != p[i] {
			return false
		}
	}
	return true
}

func merge(rs []Range) []Range {
	if len(rs) < 2 {
		return rs
	}
	// Insertion sort: a field has few matches.
	for i := 1; i < len(rs); i++ {
		for j := i; j > 0 && rs[j].Start < rs[j-1].Start; j-- {
			rs[j], rs[j-1] = rs[j-1], rs[j]
		}
	}
	out := rs[:1]
	for _, r := range rs[1:] {
		l := &out[len(out)-1]
		if r.Start <= l.End {
			l.End = max(l.End, r.End)
			continue
		}
		out = append(out, r)
	}
	return out
}

const ellipsis = "…"

func cut(f Field, s string, rs []Range) Snippet {
	start := 0
	if len(rs) > 0 {
		start = rs[0].Start
		for n := 0; n < snippetLead && start > 0; n++ {
			_, size := utf8.DecodeLastRuneInString(s[:start])
			start -= size
		}
	}
	end := min(len(s), start+snippetBytes)
	if len(rs) > 0 {
		end = max(end, min(len(s), rs[0].End)) // the first match whole
	}
	for end < len(s) && !utf8.RuneStart(s[end]) {
		end++
	}
	var b strings.Builder
	shift := -start
	if start > 0 {
		b.WriteString(ellipsis)
		shift += len(ellipsis)
	}
	b.WriteString(s[start:end])
	if end < len(s) {
		b.WriteString(ellipsis)
	}
	sn := Snippet{Field: f, Text: b.String()}
	for _, r := range rs {
		if r.Start >= end {
			break
		}
		sn.Highlights = append(sn.Highlights, Range{r.Start + shift, min(r.End, end) + shift})
	}
	return sn
}
