package search

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/pigeon-net/pigeon/storage"
)

func openTest(t *testing.T) (*Index, string) {
	t.Helper()
	dir := t.TempDir()
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix, dir
}

func apply(t *testing.T, ix *Index, fn func(b *Batch)) {
	t.Helper()
	var b Batch
	fn(&b)
	if err := ix.Apply(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
}

// all runs q through every page and returns the hits' IDs.
func all(t *testing.T, ix *Index, q string, o QueryOptions) []storage.MessageID {
	t.Helper()
	var ids []storage.MessageID
	for page := 0; ; page++ {
		res, err := ix.Query(context.Background(), q, o)
		if err != nil {
			t.Fatalf("query %q: %v", q, err)
		}
		for _, h := range res.Hits {
			ids = append(ids, h.ID)
		}
		if res.Next == "" {
			return ids
		}
		if page > 10000 {
			t.Fatal("paging does not end")
		}
		o.Cursor = res.Next
	}
}

// The reference: an independent, whole-string fold and a linear scan.
func refFold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFKD.String(s) {
		if r >= 0x300 && r <= 0x36F {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

func refWords(folded string) []string {
	return strings.FieldsFunc(folded, func(r rune) bool {
		return isCJK(r) || !(unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r))
	})
}

// refMatch: every term of q matches one field-independent part of d: a
// word term is a prefix of a word, a CJK term a substring.
func refMatch(d Doc, q []string) bool {
	fields := []string{refFold(d.Text), refFold(d.Caption), refFold(d.FileName)}
	for _, t := range q {
		t = refFold(t)
		found := false
		for _, f := range fields {
			if isCJK([]rune(t)[0]) {
				found = found || strings.Contains(f, t)
				continue
			}
			for _, w := range refWords(f) {
				if strings.HasPrefix(w, t) {
					found = true
				}
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func refQuery(live map[storage.MessageID]Doc, q []string, chat storage.Account) []storage.MessageID {
	var out []storage.MessageID
	for id, d := range live {
		if chat != (storage.Account{}) && d.Chat != chat {
			continue
		}
		if refMatch(d, q) {
			out = append(out, id)
		}
	}
	slices.SortFunc(out, func(a, b storage.MessageID) int { return -bytes.Compare(a[:], b[:]) })
	return out
}

var extraTexts = []string{
	"東京都に住んでいます", "我们在北京见面", "カタカナのテキスト", "한국어 텍스트 검색", "Crème brûlée à Paris",
	"naïve café", "ＦＵＬＬ width", "Straße", "東京", "京",
}

// A random query term that often matches: a prefix of a vocabulary word
// (sometimes upper case or accented), or a CJK substring of a document.
func randomTerm(g *corpusGen, docs []Doc) string {
	switch g.r.IntN(6) {
	case 0, 1:
		w := g.word()
		w = string([]rune(w)[:1+g.r.IntN(len([]rune(w)))])
		if g.r.IntN(4) == 0 {
			w = strings.ToUpper(w)
		}
		return w
	case 2:
		return strings.NewReplacer("e", "é", "o", "ö", "a", "á").Replace(g.word())
	default:
		for range 20 {
			d := docs[g.r.IntN(len(docs))]
			for _, sg := range segments(d.Text + " " + d.Caption) {
				if sg.cjk {
					n := min(len(sg.runes), []int{1, 2, 2, 3}[g.r.IntN(4)])
					i := g.r.IntN(len(sg.runes) - n + 1)
					return string(sg.runes[i : i+n])
				}
			}
		}
		return g.han(2)
	}
}

// TestMatchesBruteForce checks hits against a linear scan over random
// corpora with accents, capitals, CJK runs, captions and file names, after
// random edits and deletes, with and without a chat filter, across pages.
func TestMatchesBruteForce(t *testing.T) {
	for seed := uint64(1); seed <= 5; seed++ {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			ix, _ := openTest(t)
			g := newCorpusGen(seed, 300, 7)
			var docs []Doc
			live := map[storage.MessageID]Doc{}
			for i := range 800 {
				d := g.doc()
				if i%40 == 0 {
					d.Text += " " + extraTexts[g.r.IntN(len(extraTexts))]
				}
				docs = append(docs, d)
			}
			var b Batch
			for _, d := range docs {
				b.Put(d)
				live[d.ID] = d
			}
			// Edits and deletes in a later batch.
			for range 100 {
				d := docs[g.r.IntN(len(docs))]
				if g.r.IntN(2) == 0 {
					b.Delete(d.ID)
					delete(live, d.ID)
					continue
				}
				d.Text = g.text(6)
				b.Put(d)
				live[d.ID] = d
			}
			if err := ix.Apply(context.Background(), &b); err != nil {
				t.Fatal(err)
			}
			if n, err := ix.Count(context.Background()); err != nil || n != len(live) {
				t.Fatalf("count = %d, %v; want %d", n, err, len(live))
			}
			for range 80 {
				q := []string{randomTerm(g, docs)}
				if g.r.IntN(3) == 0 {
					q = append(q, randomTerm(g, docs))
				}
				var chat storage.Account
				if g.r.IntN(4) == 0 {
					chat = g.chats[g.r.IntN(len(g.chats))]
				}
				want := refQuery(live, q, chat)
				got := all(t, ix, strings.Join(q, " "), QueryOptions{Chat: chat, Limit: 20 + g.r.IntN(100)})
				if !slices.Equal(got, want) {
					t.Fatalf("query %q chat %x: %d hits, want %d", q, chat[:2], len(got), len(want))
				}
				if g.r.IntN(4) != 0 {
					continue
				}
				rel := all(t, ix, strings.Join(q, " "), QueryOptions{Chat: chat, Order: Relevance, Limit: 100})
				slices.SortFunc(rel, func(a, b storage.MessageID) int { return -bytes.Compare(a[:], b[:]) })
				if !slices.Equal(rel, want) {
					t.Fatalf("relevance query %q: %d hits, want %d", q, len(rel), len(want))
				}
			}
		})
	}
}

// id is a fixed message ID, sec seconds into 2025.
func id(sec int) storage.MessageID {
	return msgID(rand.New(rand.NewPCG(uint64(sec), 0)), time.Date(2025, 1, 1, 0, 0, sec, 0, time.UTC))
}

var chatA, chatB = storage.Account{1}, storage.Account{2}

func TestCJKAndFolding(t *testing.T) {
	ix, _ := openTest(t)
	docs := map[string]Doc{
		"tokyo":   {ID: id(1), Chat: chatA, Text: "明日は東京都庁で会いましょう"},
		"beijing": {ID: id(2), Chat: chatA, Text: "我们在北京见面吧"},
		"korean":  {ID: id(3), Chat: chatA, Text: "한국어 텍스트"},
		"creme":   {ID: id(4), Chat: chatA, Text: "Crème Brûlée"},
		"full":    {ID: id(5), Chat: chatA, Text: "ＦＵＬＬ width"},
		"file":    {ID: id(6), Chat: chatB, FileName: "Quarterly_Report-2024.PDF", Caption: "the numbers"},
	}
	apply(t, ix, func(b *Batch) {
		for _, d := range docs {
			b.Put(d)
		}
	})
	for q, want := range map[string][]string{
		"東京":             {"tokyo"},
		"京都":             {"tokyo"},
		"京":              {"tokyo", "beijing"},
		"北京":             {"beijing"},
		"见面":             {"beijing"},
		"北京见":            {"beijing"},
		"东京":             nil,
		"텍스":             {"korean"},
		"creme":          {"creme"},
		"CRÈME":          {"creme"},
		"brul":           {"creme"},
		"full":           {"full"},
		"ｆｕ":             {"full"},
		"quart":          {"file"},
		"2024":           {"file"},
		"pdf":            {"file"},
		"report numbers": {"file"},
		"rème":           nil, // prefix, not substring, for words
	} {
		res, err := ix.Query(context.Background(), q, QueryOptions{})
		if err != nil {
			t.Fatalf("%q: %v", q, err)
		}
		var got []string
		for _, h := range res.Hits {
			for name, d := range docs {
				if d.ID == h.ID {
					got = append(got, name)
				}
			}
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%q found %v, want %v", q, got, want)
		}
	}
}

func TestSnippets(t *testing.T) {
	ix, _ := openTest(t)
	long := strings.Repeat("filler words here ", 20) + "the Wörld is here " + strings.Repeat("more filler ", 30)
	apply(t, ix, func(b *Batch) {
		b.Put(Doc{ID: id(1), Chat: chatA, Text: "Hello wörld, hello again"})
		b.Put(Doc{ID: id(2), Chat: chatA, Text: "明日は東京都庁で"})
		b.Put(Doc{ID: id(3), Chat: chatA, Text: long})
		b.Put(Doc{ID: id(4), Chat: chatA, Caption: "a photo", FileName: "holiday_world.jpg"})
	})
	for _, tc := range []struct {
		q     string
		id    storage.MessageID
		field Field
		marks []string
		pre   bool
		post  bool
	}{
		{"hel wor", id(1), FieldText, []string{"Hel", "wör", "hel"}, false, false},
		{"東京", id(2), FieldText, []string{"東京"}, false, false},
		{"wörl", id(3), FieldText, []string{"Wörl"}, true, true},
		{"holiday", id(4), FieldFileName, []string{"holiday"}, false, false},
	} {
		res, err := ix.Query(context.Background(), tc.q, QueryOptions{})
		if err != nil {
			t.Fatal(err)
		}
		var h *Hit
		for i := range res.Hits {
			if res.Hits[i].ID == tc.id {
				h = &res.Hits[i]
			}
		}
		if h == nil {
			t.Fatalf("%q: no hit %v", tc.q, tc.id)
		}
		sn := h.Snippet
		var marks []string
		for _, r := range sn.Highlights {
			marks = append(marks, sn.Text[r.Start:r.End])
		}
		if sn.Field != tc.field || !slices.Equal(marks, tc.marks) {
			t.Errorf("%q: snippet %q field %v marks %q, want field %v marks %q", tc.q, sn.Text, sn.Field, marks, tc.field, tc.marks)
		}
		if strings.HasPrefix(sn.Text, ellipsis) != tc.pre || strings.HasSuffix(sn.Text, ellipsis) != tc.post {
			t.Errorf("%q: snippet %q: cut before %v after %v", tc.q, sn.Text, tc.pre, tc.post)
		}
		if len(sn.Text) > snippetBytes+2*len(ellipsis)+utf8Max {
			t.Errorf("%q: snippet of %d bytes", tc.q, len(sn.Text))
		}
	}
}

const utf8Max = 4

func TestOrderAndPaging(t *testing.T) {
	ix, _ := openTest(t)
	apply(t, ix, func(b *Batch) {
		for i := 1; i <= 25; i++ {
			b.Put(Doc{ID: id(i), Chat: chatA, Text: fmt.Sprintf("apple number %d", i)})
		}
		b.Put(Doc{ID: id(30), Chat: chatB, FileName: "apple.txt"})
		b.Put(Doc{ID: id(31), Chat: chatB, Text: "apple apple apple"})
	})
	got := all(t, ix, "apple", QueryOptions{Limit: 4})
	if len(got) != 27 || got[0] != id(31) || got[26] != id(1) {
		t.Fatalf("newest first: %d hits, first %v", len(got), got[0])
	}
	if !slices.IsSortedFunc(got, func(a, b storage.MessageID) int { return -bytes.Compare(a[:], b[:]) }) {
		t.Fatal("hits not newest first")
	}
	res, err := ix.Query(context.Background(), "apple", QueryOptions{Order: Relevance, Limit: 1})
	if err != nil || len(res.Hits) != 1 || res.Hits[0].ID != id(31) {
		t.Fatalf("relevance: %+v %v; want the message saying apple three times first", res.Hits, err)
	}
	rel := all(t, ix, "apple", QueryOptions{Order: Relevance, Limit: 5})
	if len(rel) != 27 || rel[26] != id(30) {
		t.Fatalf("relevance: %d hits, last %v; want the file name last", len(rel), rel[len(rel)-1])
	}
	inB := all(t, ix, "apple", QueryOptions{Chat: chatB})
	if !slices.Equal(inB, []storage.MessageID{id(31), id(30)}) {
		t.Fatalf("chat filter: %v", inB)
	}
	if _, err := ix.Query(context.Background(), "apple", QueryOptions{Order: Relevance, Cursor: "n5"}); !errors.Is(err, ErrBadCursor) {
		t.Fatalf("a newest cursor for relevance: %v", err)
	}
}

func TestEditDeleteVisibleAtOnce(t *testing.T) {
	ix, dir := openTest(t)
	ctx := context.Background()
	count := func(q string) int { return len(all(t, ix, q, QueryOptions{})) }
	apply(t, ix, func(b *Batch) {
		b.Put(Doc{ID: id(1), Chat: chatA, Text: "original words"})
		b.Put(Doc{ID: id(2), Chat: chatB, Text: "other chat words"})
		b.SetMark(7)
	})
	apply(t, ix, func(b *Batch) { b.Put(Doc{ID: id(1), Chat: chatA, Text: "edited text"}) })
	if count("original") != 0 || count("edited") != 1 || count("words") != 1 {
		t.Fatal("an edit is not visible to the next query")
	}
	apply(t, ix, func(b *Batch) { b.Delete(id(1)); b.Delete(id(99)) })
	if count("edited") != 0 {
		t.Fatal("a delete is not visible to the next query")
	}
	apply(t, ix, func(b *Batch) { b.DeleteChat(chatB) })
	if count("words") != 0 {
		t.Fatal("a chat delete is not visible to the next query")
	}
	// A bad document fails the whole batch.
	var b Batch
	b.Put(Doc{ID: id(3), Chat: chatA, Text: "kept out"})
	b.Put(Doc{Chat: chatA, Text: "no id"})
	b.SetMark(9)
	if err := ix.Apply(ctx, &b); !errors.Is(err, ErrInvalid) {
		t.Fatalf("apply without an id: %v", err)
	}
	if count("kept") != 0 {
		t.Fatal("a failed batch left a document")
	}
	if m, err := ix.Mark(ctx); err != nil || m != 7 {
		t.Fatalf("mark = %d, %v; want 7", m, err)
	}
	ix.Close()
	ix2, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix2.Close()
	if m, err := ix2.Mark(ctx); err != nil || m != 7 {
		t.Fatalf("mark after reopen = %d, %v; want 7", m, err)
	}
	if _, err := ix.Query(ctx, "x", QueryOptions{}); !errors.Is(err, ErrClosed) {
		t.Fatalf("query after close: %v", err)
	}
}

// grepDir reports the files under dir that contain s.
func grepDir(t *testing.T, dir, s string) []string {
	t.Helper()
	var hits []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if bytes.Contains(b, []byte(s)) {
			hits = append(hits, filepath.Base(p))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return hits
}

// TestPurgeRemovesDeletedText deletes a message among many and checks
// that after Purge no file of the index directory holds its text.
func TestPurgeRemovesDeletedText(t *testing.T) {
	ix, dir := openTest(t)
	ctx := context.Background()
	const secret = "zqxvbsecretword"
	g := newCorpusGen(9, 500, 5)
	apply(t, ix, func(b *Batch) {
		for range 3000 {
			b.Put(g.doc())
		}
		b.Put(Doc{ID: id(1), Chat: chatA, Text: "the code is " + secret + " today", FileName: secret + ".txt"})
	})
	if err := ix.Purge(ctx); err != nil {
		t.Fatal(err)
	}
	if hits := grepDir(t, dir, secret); len(hits) == 0 {
		t.Fatal("the grep cannot see indexed text: the test proves nothing")
	}
	apply(t, ix, func(b *Batch) {
		b.Delete(id(1))
		for range 100 {
			b.Put(g.doc())
		}
	})
	if n := len(all(t, ix, secret, QueryOptions{})); n != 0 {
		t.Fatalf("deleted message still found (%d hits)", n)
	}
	if err := ix.Purge(ctx); err != nil {
		t.Fatal(err)
	}
	if hits := grepDir(t, dir, secret); len(hits) != 0 {
		t.Fatalf("deleted text still in %v after purge", hits)
	}
	if n := len(all(t, ix, g.vocab[0][:2], QueryOptions{Limit: 200})); n == 0 {
		t.Fatal("purge lost the other documents")
	}
}

func TestQueryErrors(t *testing.T) {
	ix, _ := openTest(t)
	ctx := context.Background()
	for q, want := range map[string]error{
		"":                       ErrEmptyQuery,
		" ,.!? ":                 ErrEmptyQuery,
		`"*(:{}^-`:               ErrEmptyQuery,
		strings.Repeat("a", 300): ErrQueryTooLong,
		strings.Repeat("w ", 17): ErrTooManyTerms,
		strings.Repeat("東", 17):  ErrTooManyTerms,
	} {
		if _, err := ix.Query(ctx, q, QueryOptions{}); !errors.Is(err, want) {
			t.Errorf("%.20q: %v, want %v", q, err, want)
		}
	}
	for _, c := range []string{"x", "n", "n-1", "nzzzzzzzzzzzzzzzzzz", "r!"} {
		if _, err := ix.Query(ctx, "a", QueryOptions{Cursor: c}); !errors.Is(err, ErrBadCursor) {
			t.Errorf("cursor %q: %v", c, err)
		}
	}
	// FTS syntax is text: it neither fails nor changes the meaning.
	apply(t, ix, func(b *Batch) { b.Put(Doc{ID: id(1), Chat: chatA, Text: "near or and not"}) })
	for _, q := range []string{`NEAR(near or)`, `"near" OR`, `near*`, `{near}: not`, `near:`, `-near`, `^near`} {
		res, err := ix.Query(ctx, q, QueryOptions{})
		if err != nil || len(res.Hits) != 1 {
			t.Errorf("%q: %d hits, %v", q, len(res.Hits), err)
		}
	}
}

// TestConcurrentApplyAndQuery runs writers and readers together (run
// with -race).
func TestConcurrentApplyAndQuery(t *testing.T) {
	ix, _ := openTest(t)
	ctx := context.Background()
	done := make(chan error, 3)
	for w := range 2 {
		go func() {
			g := newCorpusGen(uint64(w+20), 100, 3)
			for range 20 {
				var b Batch
				for range 20 {
					b.Put(g.doc())
				}
				if err := ix.Apply(ctx, &b); err != nil {
					done <- err
					return
				}
			}
			done <- nil
		}()
	}
	go func() {
		g := newCorpusGen(20, 100, 3)
		for range 100 {
			if _, err := ix.Query(ctx, prefix(g.word(), 2), QueryOptions{}); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	for range 3 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	if n, err := ix.Count(ctx); err != nil || n != 800 {
		t.Fatalf("count = %d, %v", n, err)
	}
}

func TestRowCollision(t *testing.T) {
	ix, _ := openTest(t)
	// Two IDs that share their first 8 bytes take neighbouring rows.
	a, b := id(5), id(5)
	copy(b[:8], a[:8])
	b[15] ^= 1
	apply(t, ix, func(bt *Batch) {
		bt.Put(Doc{ID: a, Chat: chatA, Text: "twin one"})
		bt.Put(Doc{ID: b, Chat: chatA, Text: "twin two"})
	})
	apply(t, ix, func(bt *Batch) { bt.Put(Doc{ID: b, Chat: chatA, Text: "twin changed"}) })
	if got := all(t, ix, "twin", QueryOptions{}); len(got) != 2 {
		t.Fatalf("%d twins", len(got))
	}
	apply(t, ix, func(bt *Batch) { bt.Delete(a) })
	got := all(t, ix, "twin", QueryOptions{})
	if len(got) != 1 || got[0] != b {
		t.Fatalf("after deleting one twin: %v", got)
	}
}

// TestPurgeBusyWhileReading: a reader holding an old snapshot keeps the
// log from being truncated; Purge says so instead of reporting success,
// and succeeds once the reader is done.
func TestPurgeBusyWhileReading(t *testing.T) {
	ix, _ := openTest(t)
	ctx := context.Background()
	apply(t, ix, func(b *Batch) { b.Put(Doc{ID: id(1), Chat: chatA, Text: "first"}) })
	rows, err := ix.db.QueryContext(ctx, `SELECT id FROM docs`)
	if err != nil {
		t.Fatal(err)
	}
	if !rows.Next() {
		t.Fatal("no row")
	}
	apply(t, ix, func(b *Batch) { b.Delete(id(1)) })
	if err := ix.Purge(ctx); !errors.Is(err, ErrBusy) {
		t.Fatalf("purge under a reader: %v, want ErrBusy", err)
	}
	rows.Close()
	if err := ix.Purge(ctx); err != nil {
		t.Fatalf("purge after the reader: %v", err)
	}
}
