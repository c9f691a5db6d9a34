package search_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/search"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
	"github.com/pigeon-net/pigeon/storage/badger"
)

// A world: a real Badger store in a directory and the search service over
// an index beside it.
type world struct {
	t     *testing.T
	dir   string
	store *badger.Store
	svc   *search.Service
}

func newWorld(t *testing.T) *world {
	w := &world{t: t, dir: t.TempDir()}
	w.open()
	t.Cleanup(w.close)
	return w
}

func (w *world) open() {
	w.t.Helper()
	var err error
	if w.store, err = badger.Open(badger.Options{Dir: filepath.Join(w.dir, "db"), MinFree: -1}); err != nil {
		w.t.Fatal(err)
	}
	w.openService()
}

func (w *world) openService() {
	w.t.Helper()
	var err error
	w.svc, err = search.Open(context.Background(), search.Deps{
		Store: w.store, Dir: filepath.Join(w.dir, "search"), Ready: func() error { return nil },
	})
	if err != nil {
		w.t.Fatal(err)
	}
}

func (w *world) close() {
	if w.svc != nil {
		w.svc.Close()
		w.svc = nil
	}
	if w.store != nil {
		w.store.Close()
		w.store = nil
	}
}

// --- A corpus of latin words (some accented, some capitalised) and CJK.

var (
	syllables = []string{"ka", "lo", "mi", "ne", "ru", "ta", "vo", "shi", "el", "an", "bé", "çe", "ño", "Ré"}
	cjkRunes  = []rune("東京都大阪北京上海的一是不人我在有中国学生日本語カタカナひらがな한국어")
)

type corpus struct {
	r     *rand.Rand
	vocab []string
	chats []storage.Account
	t     time.Time
}

func newCorpus(seed uint64) *corpus {
	c := &corpus{r: rand.New(rand.NewPCG(seed, 14)), t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	for range 300 {
		var b strings.Builder
		for range 1 + c.r.IntN(3) {
			b.WriteString(syllables[c.r.IntN(len(syllables))])
		}
		c.vocab = append(c.vocab, b.String())
	}
	for i := range 4 {
		var a storage.Account
		a[0], a[31] = byte(i+1), 9
		c.chats = append(c.chats, a)
	}
	return c
}

func (c *corpus) word() string { return c.vocab[c.r.IntN(len(c.vocab))] }

func (c *corpus) cjk(n int) string {
	rs := make([]rune, n)
	for i := range rs {
		rs[i] = cjkRunes[c.r.IntN(len(cjkRunes))]
	}
	return string(rs)
}

func (c *corpus) text() string {
	ws := []string{}
	for range 2 + c.r.IntN(8) {
		ws = append(ws, c.word())
	}
	if c.r.IntN(4) == 0 {
		ws = append(ws, c.cjk(2+c.r.IntN(5)))
	}
	sep := []string{" ", ", ", "! ", " — "}[c.r.IntN(4)]
	return strings.Join(ws, sep)
}

func (c *corpus) message() storage.Message {
	c.t = c.t.Add(time.Second)
	chat := c.chats[c.r.IntN(len(c.chats))]
	var id storage.MessageID
	ms := uint64(c.t.UnixMilli())
	for i := range 6 {
		id[i] = byte(ms >> (40 - 8*i))
	}
	for i := 6; i < len(id); i++ {
		id[i] = byte(c.r.Uint32())
	}
	return storage.Message{ID: id, Peer: chat, Sender: chat, Direction: storage.Incoming, State: storage.Received,
		Text: c.text(), SentAt: c.t, StoredAt: c.t}
}

// --- The reference: the documented matching rules over the store's
// messages, by a linear scan. A document is the text, or for a file the
// caption (the message's text) and the file name.

type refDoc struct {
	chat   storage.Account
	fields []string
}

// fold: compatibility decomposition, accents U+0300–U+036F dropped, lower
// case; CJK characters stay as they are (a dakuten is not an accent).
func fold(s string) string {
	var b strings.Builder
	for _, c := range s {
		if isCJK(c) {
			b.WriteRune(c)
			continue
		}
		for _, r := range norm.NFKD.String(string(c)) {
			if r >= 0x300 && r <= 0x36F {
				continue
			}
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

func isCJK(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) || r == 'ー'
}

func words(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return isCJK(r) || !(unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r))
	})
}

// refTerms splits a query as the rules do: words, and CJK runs.
func refTerms(q string) []string {
	var out []string
	var cur []rune
	cjk := false
	flush := func() {
		if len(cur) > 0 {
			out = append(out, string(cur))
		}
		cur = cur[:0]
	}
	for _, r := range fold(q) {
		word := unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
		switch {
		case !word:
			flush()
		case isCJK(r) != cjk:
			flush()
			cjk = isCJK(r)
			cur = append(cur, r)
		default:
			cur = append(cur, r)
		}
	}
	flush()
	return out
}

func refMatch(d refDoc, terms []string) bool {
	for _, t := range terms {
		found := false
		for _, f := range d.fields {
			f = fold(f)
			if isCJK([]rune(t)[0]) {
				found = found || strings.Contains(f, t)
				continue
			}
			for _, w := range words(f) {
				found = found || strings.HasPrefix(w, t)
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func (w *world) reference(q string, chat storage.Account) []storage.MessageID {
	w.t.Helper()
	ctx := context.Background()
	terms := refTerms(q)
	var out []storage.MessageID
	err := w.store.ForEachMessage(ctx, func(m storage.Message) error {
		if chat != (storage.Account{}) && m.Peer != chat {
			return nil
		}
		d := refDoc{chat: m.Peer, fields: []string{m.Text}}
		if a, err := w.store.Attachment(ctx, m.ID); err == nil {
			var md pb.Media
			if err := proto.Unmarshal(a.Manifest, &md); err != nil {
				return err
			}
			d.fields = append(d.fields, md.GetFileName())
		}
		if refMatch(d, terms) {
			out = append(out, m.ID)
		}
		return nil
	})
	if err != nil {
		w.t.Fatal(err)
	}
	slices.SortFunc(out, func(a, b storage.MessageID) int { return -bytes.Compare(a[:], b[:]) })
	return out
}

// search returns every hit of q over all pages, checking each hit's
// message and snippet.
func (w *world) search(q string, o search.Options) []storage.MessageID {
	w.t.Helper()
	ctx := context.Background()
	var out []storage.MessageID
	o.Limit = 7
	for pages := 0; ; pages++ {
		if pages > 1000 {
			w.t.Fatal("paging does not end")
		}
		res, err := w.svc.Query(ctx, q, o)
		if err != nil {
			w.t.Fatalf("query %q: %v", q, err)
		}
		for _, h := range res.Hits {
			out = append(out, storage.MessageID(h.Message.ID))
			for _, r := range h.Snippet.Ranges {
				if r[0] < 0 || r[0] >= r[1] || r[1] > len(h.Snippet.Text) {
					w.t.Fatalf("query %q: range %v outside snippet %q", q, r, h.Snippet.Text)
				}
			}
		}
		if res.Next == "" {
			return out
		}
		o.Cursor = res.Next
	}
}

func (w *world) check(q string, chat storage.Account) {
	w.t.Helper()
	want := w.reference(q, chat)
	o := search.Options{}
	if chat != (storage.Account{}) {
		o.Chat = core.With(core.AccountID(chat))
	}
	got := w.search(q, o)
	if !slices.Equal(got, want) {
		w.t.Fatalf("query %q (chat %x): %d hits, brute force %d\n got %v\nwant %v", q, chat[:2], len(got), len(want), got, want)
	}
	o.Order = search.Relevance
	rel := w.search(q, o)
	slices.SortFunc(rel, func(a, b storage.MessageID) int { return -bytes.Compare(a[:], b[:]) })
	if !slices.Equal(rel, want) {
		w.t.Fatalf("query %q by relevance: %d hits, brute force %d", q, len(rel), len(want))
	}
}

func manifest(t *testing.T, name string) []byte {
	b, err := proto.Marshal(&pb.Media{FileName: name, Caption: "ignored: the message text is the caption"})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// randomQuery is a prefix of a vocabulary word (sometimes capitalised or
// accented differently), two words, a CJK substring of a stored message,
// or a two-character CJK query.
func (c *corpus) randomQuery(live []storage.Message) string {
	switch c.r.IntN(7) {
	case 0, 1:
		w := []rune(c.word())
		q := string(w[:1+c.r.IntN(len(w))])
		if c.r.IntN(3) == 0 {
			q = strings.ToUpper(q)
		}
		return q
	case 2:
		return strings.NewReplacer("e", "é", "a", "à").Replace(c.word())
	case 3:
		return c.word() + " " + string([]rune(c.word())[:2])
	case 4:
		return c.cjk(2)
	default:
		for range 20 {
			if len(live) == 0 {
				break
			}
			var run []rune
			for _, r := range live[c.r.IntN(len(live))].Text {
				if isCJK(r) {
					run = append(run, r)
				} else if len(run) > 0 {
					break
				}
			}
			if len(run) >= 2 {
				i := c.r.IntN(len(run) - 1)
				return string(run[i : i+2])
			}
		}
		return c.cjk(2)
	}
}

// TestMatchesBruteForce inserts a random corpus through the store (files
// among it), then alternates random queries, checked against a linear
// scan of the store under the documented rules, with edits, deletes and
// inserts: a deleted message is gone from the very next query, an edited
// one found by its new words and not its old ones.
func TestMatchesBruteForce(t *testing.T) {
	for seed := uint64(1); seed <= 2; seed++ {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			w := newWorld(t)
			c := newCorpus(seed)
			ctx := context.Background()
			var live []storage.Message
			insert := func() {
				m := c.message()
				if err := w.store.InsertMessage(ctx, m); err != nil {
					t.Fatal(err)
				}
				if c.r.IntN(8) == 0 {
					a := storage.Attachment{ID: m.ID, Peer: m.Peer, Direction: m.Direction, State: storage.AttachmentRemote,
						Manifest: manifest(t, c.word()+"_"+c.word()+".jpg"), Root: []byte{1}}
					if err := w.store.PutAttachment(ctx, a); err != nil {
						t.Fatal(err)
					}
				}
				live = append(live, m)
			}
			for range 250 {
				insert()
			}
			// The 2-character CJK query the issue names, and a one-character one.
			w.check("東京", storage.Account{})
			w.check("京", storage.Account{})
			for i := range 80 {
				switch c.r.IntN(4) {
				case 0: // delete
					k := c.r.IntN(len(live))
					m := live[k]
					live = slices.Delete(live, k, k+1)
					if err := w.store.DeleteMessage(ctx, m.ID); err != nil {
						t.Fatal(err)
					}
					for _, q := range words(m.Text) {
						if slices.Contains(w.search(q, search.Options{}), m.ID) {
							t.Fatalf("deleted message %s still found by %q", m.ID, q)
						}
					}
				case 1: // edit
					k := c.r.IntN(len(live))
					old := live[k].Text
					fresh := fmt.Sprintf("neuwort%d %s", i, c.text())
					m, err := w.store.UpdateMessage(ctx, live[k].ID, func(m *storage.Message) error {
						m.Text, m.Edits = fresh, m.Edits+1
						return nil
					})
					if err != nil {
						t.Fatal(err)
					}
					live[k] = m
					if got := w.search(fmt.Sprintf("neuwort%d", i), search.Options{}); !slices.Equal(got, []storage.MessageID{m.ID}) {
						t.Fatalf("edited message not found by its new word: %v", got)
					}
					for _, q := range words(old) {
						if slices.Contains(w.reference(q, storage.Account{}), m.ID) {
							continue // the new text or the file name has it too
						}
						if slices.Contains(w.search(q, search.Options{}), m.ID) {
							t.Fatalf("edited message still found by its old word %q", q)
						}
					}
				case 2:
					insert()
				}
				chat := storage.Account{}
				if c.r.IntN(4) == 0 {
					chat = c.chats[c.r.IntN(len(c.chats))]
				}
				w.check(c.randomQuery(live), chat)
			}
		})
	}
}

func count(t *testing.T, svc *search.Service, q string) int {
	t.Helper()
	res, err := svc.Query(context.Background(), q, search.Options{Limit: search.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	return len(res.Hits)
}

// TestCommittedChangesAppliedAtStart: changes committed in Badger while
// no index applied them (the node stopped, or was killed, between the
// commit and the index batch) are applied when the service next starts.
func TestCommittedChangesAppliedAtStart(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	c := newCorpus(7)
	a, b := c.message(), c.message()
	a.Text, b.Text = "alpha first", "bravo second"
	for _, m := range []storage.Message{a, b} {
		if err := w.store.InsertMessage(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	if count(t, w.svc, "alpha") != 1 || count(t, w.svc, "bravo") != 1 {
		t.Fatal("inserted messages not found")
	}
	// The index stops here; the store goes on.
	w.svc.Close()
	w.svc = nil
	d := c.message()
	d.Text = "delta later"
	if err := w.store.InsertMessage(ctx, d); err != nil {
		t.Fatal(err)
	}
	if _, err := w.store.UpdateMessage(ctx, a.ID, func(m *storage.Message) error { m.Text = "echo edited"; return nil }); err != nil {
		t.Fatal(err)
	}
	if err := w.store.DeleteMessage(ctx, b.ID); err != nil {
		t.Fatal(err)
	}
	w.close()

	w.open()
	for q, want := range map[string]int{"alpha": 0, "echo": 1, "bravo": 0, "delta": 1, "first": 0} {
		if got := count(t, w.svc, q); got != want {
			t.Errorf("after restart %q: %d hits, want %d", q, got, want)
		}
	}
	// Everything applied is trimmed from the queue.
	if cs, _, err := w.store.IndexQueue(ctx, 0, 0); err != nil || len(cs) != 0 {
		t.Fatalf("queue after catch-up: %v, %v", cs, err)
	}
}

// TestRebuild: an index that is missing, unreadable or behind what the
// queue still holds (an old copy) is rebuilt from history.
func TestRebuild(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	c := newCorpus(8)
	var ms []storage.Message
	for i := range 30 {
		m := c.message()
		m.Text = fmt.Sprintf("zulu%d %s", i, m.Text)
		if err := w.store.InsertMessage(ctx, m); err != nil {
			t.Fatal(err)
		}
		ms = append(ms, m)
	}
	if count(t, w.svc, "zulu") != 30 {
		t.Fatal("not indexed")
	}
	ixDir := filepath.Join(w.dir, "search")
	old := filepath.Join(w.dir, "old-search")
	w.svc.Close()
	copyDir(t, ixDir, old)
	w.openService()
	// Changes the old copy misses, applied and trimmed from the queue.
	for _, m := range ms[:10] {
		if err := w.store.DeleteMessage(ctx, m.ID); err != nil {
			t.Fatal(err)
		}
	}
	if count(t, w.svc, "zulu") != 20 {
		t.Fatal("deletes not applied")
	}
	cases := []struct {
		name   string
		break_ func()
	}{
		{"old copy", func() { os.RemoveAll(ixDir); copyDir(t, old, ixDir) }},
		{"missing", func() { os.RemoveAll(ixDir) }},
		{"garbage", func() {
			os.RemoveAll(ixDir)
			os.MkdirAll(ixDir, 0o700)
			os.WriteFile(filepath.Join(ixDir, "search.db"), bytes.Repeat([]byte("not a database "), 500), 0o600)
		}},
	}
	for _, tc := range cases {
		w.close()
		tc.break_()
		w.open()
		if got := count(t, w.svc, "zulu"); got != 20 {
			t.Fatalf("%s: %d hits after restart, want 20", tc.name, got)
		}
		if got := count(t, w.svc, "zulu13"); got != 1 {
			t.Fatalf("%s: zulu13 %d hits, want 1", tc.name, got)
		}
		if got := count(t, w.svc, "zulu3"); got != 0 {
			t.Fatalf("%s: deleted zulu3 %d hits, want 0", tc.name, got)
		}
	}
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	if err := os.CopyFS(to, os.DirFS(from)); err != nil {
		t.Fatal(err)
	}
}

// TestRunAppliesAfterCommit: Run applies a commit without a query asking
// (the queue empties by itself).
func TestRunAppliesAfterCommit(t *testing.T) {
	w := newWorld(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); w.svc.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	m := newCorpus(9).message()
	if err := w.store.InsertMessage(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		cs, _, err := w.store.IndexQueue(context.Background(), 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(cs) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("Run did not apply the queued change")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestBadQueries: the storage errors reach the caller, recognisable.
func TestBadQueries(t *testing.T) {
	w := newWorld(t)
	for _, q := range []string{"", "  !? ", strings.Repeat("a", 300), strings.Repeat("a ", 20)} {
		_, err := w.svc.Query(context.Background(), q, search.Options{})
		if !search.IsBadQuery(err) {
			t.Errorf("query %q: %v, want a bad-query error", q, err)
		}
	}
	_, err := w.svc.Query(context.Background(), "a", search.Options{Cursor: "zz"})
	if !errors.Is(err, search.ErrBadCursor) {
		t.Errorf("bad cursor: %v", err)
	}
	if err := w.svc.Purge(context.Background()); err != nil {
		t.Errorf("purge: %v", err)
	}
}
