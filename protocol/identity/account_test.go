package identity

import (
	"errors"
	"strings"
	"testing"
)

func TestAccountIDRoundTrip(t *testing.T) {
	a := testAccount(t, 1)
	id := a.ID()
	s := id.String()
	if len(s) != accountIDText || !strings.HasPrefix(s, "pg") {
		t.Fatalf("text form %q: %d characters", s, len(s))
	}
	for _, in := range []string{s, strings.ToUpper(s), "  " + s + "\n"} {
		got, err := ParseAccountID(in)
		if err != nil {
			t.Fatalf("parse %q: %v", in, err)
		}
		if got != id {
			t.Fatalf("parse %q: got %x, want %x", in, got, id)
		}
	}
	var u AccountID
	txt, _ := id.MarshalText()
	if err := u.UnmarshalText(txt); err != nil || u != id {
		t.Fatalf("text round trip: %v", err)
	}
	if b, err := AccountIDFromBytes(id[:]); err != nil || b != id {
		t.Fatalf("bytes round trip: %v", err)
	}
	if _, err := AccountIDFromBytes(id[:31]); !errors.Is(err, ErrMalformedID) {
		t.Fatalf("31 bytes: %v", err)
	}
	again, err := AccountFromSeed(a.Seed())
	if err != nil || again.ID() != id {
		t.Fatalf("seed round trip: %v", err)
	}
	if id.IsZero() || !(AccountID{}).IsZero() {
		t.Fatal("IsZero")
	}
	if id.Short() != s[:12] {
		t.Fatal("Short")
	}
}

func TestAccountIDTypo(t *testing.T) {
	s := testAccount(t, 2).ID().String()
	for i := len(idPrefix); i < len(s); i++ {
		for _, c := range []byte{'a', 'q', '7'} {
			if s[i] == c {
				continue
			}
			typo := s[:i] + string(c) + s[i+1:]
			_, err := ParseAccountID(typo)
			switch {
			case err == nil:
				t.Fatalf("typo at %d (%q) accepted", i, typo)
			case i < len(s)-1 && !errors.Is(err, ErrBadChecksum):
				t.Fatalf("typo at %d: %v, want ErrBadChecksum", i, err)
			case !errors.Is(err, ErrBadChecksum) && !errors.Is(err, ErrMalformedID):
				t.Fatalf("typo at %d: %v", i, err)
			}
		}
	}
}

func TestAccountIDMalformed(t *testing.T) {
	s := testAccount(t, 3).ID().String()
	for name, in := range map[string]string{
		"empty":        "",
		"wrong prefix": "px" + s[2:],
		"no prefix":    s[2:],
		"short":        s[:len(s)-1],
		"long":         s + "a",
		"alphabet":     s[:10] + "1" + s[11:],
		"non-ascii":    s[:10] + "é" + s[12:],
	} {
		if _, err := ParseAccountID(in); !errors.Is(err, ErrMalformedID) {
			t.Errorf("%s: %v, want ErrMalformedID", name, err)
		}
	}
}
