package search

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"
)

var (
	fuzzOnce sync.Once
	fuzzIx   *Index
	fuzzErr  error
)

// FuzzQuery feeds arbitrary queries and cursors to Query on a small index:
// no panic, a result or one of the documented errors, within a deadline,
// and snippets whose highlights lie inside their text on rune boundaries.
func FuzzQuery(f *testing.F) {
	for _, s := range []string{"hello", "hel wor", "東京", "京", "Crème", `"a" OR b*`, "NEAR(a b)", "{text}:x", "a\x00b", "\xff\xfe", "ｆｕ", strings.Repeat("a ", 20)} {
		f.Add(s, "")
	}
	f.Add("hello", "n5")
	f.Add("hello", "r2")
	dir := f.TempDir()
	fuzzOnce.Do(func() {
		fuzzIx, fuzzErr = Open(dir)
		if fuzzErr != nil {
			return
		}
		g := newCorpusGen(3, 200, 3)
		var b Batch
		for i := range 300 {
			d := g.doc()
			if i%10 == 0 {
				d.Text += " " + extraTexts[i/10%len(extraTexts)]
			}
			b.Put(d)
		}
		b.Put(Doc{ID: id(1), Chat: chatA, Text: "hello wörld 東京都 a\x00b \xff\xfe ｆｕｌｌ"})
		fuzzErr = fuzzIx.Apply(context.Background(), &b)
	})
	if fuzzErr != nil {
		f.Fatal(fuzzErr)
	}
	f.Fuzz(func(t *testing.T, q, cursor string) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		for _, order := range []Order{Newest, Relevance} {
			res, err := fuzzIx.Query(ctx, q, QueryOptions{Order: order, Cursor: cursor, Limit: 5})
			if err != nil {
				if errors.Is(err, context.DeadlineExceeded) {
					t.Fatalf("query %q took over 10 s", q)
				}
				if !errors.Is(err, ErrEmptyQuery) && !errors.Is(err, ErrQueryTooLong) && !errors.Is(err, ErrTooManyTerms) && !errors.Is(err, ErrBadCursor) {
					t.Fatalf("query %q cursor %q: unexpected error %v", q, cursor, err)
				}
				continue
			}
			for _, h := range res.Hits {
				sn := h.Snippet
				end := 0
				for _, r := range sn.Highlights {
					if r.Start < end || r.End <= r.Start || r.End > len(sn.Text) {
						t.Fatalf("query %q: highlight %v in %q", q, r, sn.Text)
					}
					if !utf8.RuneStart(sn.Text[r.Start]) || r.End < len(sn.Text) && !utf8.RuneStart(sn.Text[r.End]) {
						t.Fatalf("query %q: highlight %v splits a rune of %q", q, r, sn.Text)
					}
					end = r.End
				}
			}
		}
	})
}

// FuzzSegments checks the tokenizer's offsets on arbitrary text.
func FuzzSegments(f *testing.F) {
	for _, s := range []string{"Hello, wörld", "東京都に", "e\u0301", "ﬁ⑴ｆ", "\xff", "한국어"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 4096 {
			return
		}
		prev := 0
		for _, sg := range segments(s) {
			if len(sg.off) != len(sg.runes)+1 || len(sg.runes) == 0 {
				t.Fatalf("%q: segment of %d runes with %d offsets", s, len(sg.runes), len(sg.off))
			}
			for i, o := range sg.off {
				if o < prev || o > len(s) || i < len(sg.runes) && !utf8.RuneStart(s[o]) {
					t.Fatalf("%q: offset %d out of order or inside a rune", s, o)
				}
				prev = o
			}
		}
		var z segmenter
		terms := z.terms(s)
		if !utf8.ValidString(terms) {
			t.Fatalf("%q: terms %q not UTF-8", s, terms)
		}
	})
}
