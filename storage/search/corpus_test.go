package search

import (
	"math/rand/v2"
	"strings"
	"time"

	"github.com/pigeon-net/pigeon/storage"
)

// A synthetic corpus: words built from syllables (some accented), Zipf
// distributed like real text, and one message in ten with a run of common
// Han characters.
var (
	syllables = []string{"ka", "lo", "mi", "ne", "ru", "ta", "vo", "shi", "el", "an", "or", "ip", "zu", "bé", "çe", "ño"}
	hanRunes  = []rune("的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可里后")
)

type corpusGen struct {
	r     *rand.Rand
	vocab []string
	zipf  *rand.Zipf
	chats []storage.Account
	t     time.Time
}

func newCorpusGen(seed uint64, vocab, chats int) *corpusGen {
	r := rand.New(rand.NewPCG(seed, 1))
	g := &corpusGen{r: r, t: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	for range vocab {
		var b strings.Builder
		for range 2 + r.IntN(3) {
			b.WriteString(syllables[r.IntN(len(syllables))])
		}
		w := b.String()
		if r.IntN(8) == 0 {
			rs := []rune(w)
			w = strings.ToUpper(string(rs[:1])) + string(rs[1:])
		}
		g.vocab = append(g.vocab, w)
	}
	g.zipf = rand.NewZipf(r, 1.1, 1, uint64(vocab-1))
	for i := range chats {
		var c storage.Account
		c[0], c[1], c[31] = byte(i), byte(i>>8), 7
		g.chats = append(g.chats, c)
	}
	return g
}

func (g *corpusGen) word() string { return g.vocab[g.zipf.Uint64()] }

func (g *corpusGen) han(n int) string {
	rs := make([]rune, n)
	for i := range rs {
		rs[i] = hanRunes[g.r.IntN(len(hanRunes))]
	}
	return string(rs)
}

func (g *corpusGen) text(words int) string {
	ws := make([]string, 0, words+1)
	for range words {
		ws = append(ws, g.word())
	}
	if g.r.IntN(10) == 0 {
		ws = append(ws, g.han(2+g.r.IntN(8)))
	}
	return strings.Join(ws, " ")
}

// msgID is an ID of time t with a random tail, made like
// storage.NewMessageID but without its process-wide counter.
func msgID(r *rand.Rand, t time.Time) storage.MessageID {
	var id storage.MessageID
	ms := uint64(t.UnixMilli())
	for i := range 6 {
		id[i] = byte(ms >> (40 - 8*i))
	}
	for i := 6; i < len(id); i++ {
		id[i] = byte(r.Uint32())
	}
	id[6] &= 0x7f
	return id
}

// doc returns the next document: one second after the previous one, so
// IDs never share a millisecond.
func (g *corpusGen) doc() Doc {
	g.t = g.t.Add(time.Second)
	c := g.chats[g.r.IntN(len(g.chats))]
	d := Doc{ID: msgID(g.r, g.t), Chat: c, Sender: c, At: g.t, Text: g.text(5 + g.r.IntN(20))}
	switch g.r.IntN(20) {
	case 0:
		d.Caption, d.Text = d.Text, ""
		d.FileName = g.word() + "_" + g.word() + ".jpg"
	case 1:
		d.FileName = g.word() + ".pdf"
	}
	return d
}

// prefix returns the first n runes of w.
func prefix(w string, n int) string {
	rs := []rune(w)
	return string(rs[:min(n, len(rs))])
}
