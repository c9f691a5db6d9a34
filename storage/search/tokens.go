package search

import (
	"slices"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Text is split into segments: a word (a run of letters, digits and marks
// outside the CJK scripts) or a CJK run (Han, kana, Hangul). Both are folded
// first: compatibility decomposition (full-width letters, ligatures),
// combining diacritics U+0300–U+036F removed, lower case. CJK runes are
// kept as they are (a dakuten is part of the kana, not an accent).
//
// Words are indexed as themselves and matched by prefix. CJK runs are
// indexed as overlapping bigrams plus the run's last rune alone, so any
// substring of a run is a phrase of consecutive bigrams (two runes: one
// bigram; one rune: a prefix of a bigram or the final unigram).

// segment is one word or CJK run of a text, with its place in the original.
type segment struct {
	cjk   bool
	runes []rune // folded
	// off[i] is the byte offset in the original text where the rune that
	// produced runes[i] starts; off[len(runes)] is where the segment ends.
	off []int
}

func isCJK(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) || r == 'ー'
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// segmenter splits text into folded segments, reusing its buffers.
type segmenter struct {
	cur segment
	dec []byte
}

// each calls fn with every segment of s, in order; fn must not keep the
// segment's slices. Invalid UTF-8 separates.
func (z *segmenter) each(s string, fn func(sg segment)) {
	z.cur = segment{runes: z.cur.runes[:0], off: z.cur.off[:0]}
	flush := func(end int) {
		if len(z.cur.runes) > 0 {
			z.cur.off = append(z.cur.off, end)
			fn(z.cur)
		}
		z.cur = segment{runes: z.cur.runes[:0], off: z.cur.off[:0]}
	}
	var buf [utf8.UTFMax]byte
	for i, r := range s {
		if r < utf8.RuneSelf {
			if r >= 'A' && r <= 'Z' {
				r += 'a' - 'A'
			}
			if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
				if z.cur.cjk {
					flush(i)
				}
				z.cur.runes = append(z.cur.runes, r)
				z.cur.off = append(z.cur.off, i)
			} else {
				flush(i)
			}
			continue
		}
		if isCJK(r) {
			if !z.cur.cjk {
				flush(i)
				z.cur.cjk = true
			}
			z.cur.runes = append(z.cur.runes, r)
			z.cur.off = append(z.cur.off, i)
			continue
		}
		// Decompose (NFKD) and fold each resulting rune.
		n := utf8.EncodeRune(buf[:], r)
		z.dec = norm.NFKD.Append(z.dec[:0], buf[:n]...)
		added := false
		for _, d := range string(z.dec) {
			if d >= 0x300 && d <= 0x36F {
				continue // a combining diacritic: é is e
			}
			d = unicode.ToLower(d)
			if !isWordRune(d) || isCJK(d) {
				// A compatibility form may expand to separators
				// (e.g. ⑴ to "(1)"): they split words.
				flush(i)
				continue
			}
			if z.cur.cjk {
				flush(i)
			}
			z.cur.runes = append(z.cur.runes, d)
			z.cur.off = append(z.cur.off, i)
			added = true
		}
		if !added && !unicode.IsMark(r) {
			flush(i)
		}
	}
	flush(len(s))
}

// segments returns the segments of s (copies; for tests and snippets).
func segments(s string) []segment {
	var z segmenter
	var out []segment
	z.each(s, func(sg segment) {
		out = append(out, segment{cjk: sg.cjk, runes: slices.Clone(sg.runes), off: slices.Clone(sg.off)})
	})
	return out
}

// appendTerms appends the index terms of s, separated by spaces, to b.
func (z *segmenter) appendTerms(b []byte, s string) []byte {
	z.each(s, func(sg segment) {
		if !sg.cjk {
			b = addTerm(b, sg.runes)
			return
		}
		for i := 0; i+1 < len(sg.runes); i++ {
			b = addTerm(b, sg.runes[i:i+2])
		}
		b = addTerm(b, sg.runes[len(sg.runes)-1:])
	})
	return b
}

func addTerm(b []byte, t []rune) []byte {
	if len(b) > 0 {
		b = append(b, ' ')
	}
	for _, r := range t {
		b = utf8.AppendRune(b, r)
	}
	return b
}

// terms returns the index terms of s, separated by spaces.
func (z *segmenter) terms(s string) string {
	return string(z.appendTerms(nil, s))
}
