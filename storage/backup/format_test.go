package backup

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
)

// A repository made before the chunker and naming were recorded (no such
// header fields: restic Rabin, HMAC-SHA256) keeps its format: it opens,
// restores, and a later backup deduplicates against its chunks.
func TestOldFormatRepository(t *testing.T) {
	dir := t.TempDir()
	d, _ := NewDir(dir)
	s, _ := testSecret(t)
	r, err := initFormat(bg, d, s, repoFormat{})
	if err != nil {
		t.Fatal(err)
	}
	cfg := string(r.Header().Marshal())
	if strings.Contains(cfg, `"chunker"`) || strings.Contains(cfg, `"naming"`) {
		t.Fatalf("an old-format header names its format: %s", cfg)
	}
	data := map[string][]byte{"acctlog": records(20, 20000), "media/x": randomBytes(21, 3<<20)}
	if _, _, err := r.Backup(bg, itemsOf(data), BackupOptions{}); err != nil {
		t.Fatal(err)
	}
	r, err = Open(bg, d, s)
	if err != nil {
		t.Fatal(err)
	}
	if f := r.keys.format; f != (repoFormat{}) {
		t.Fatalf("old repository opened as %+v", f)
	}
	mustRestoreEqual(t, r, "latest", data)
	_, st, err := r.Backup(bg, itemsOf(data), BackupOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if st.NewChunks != 0 {
		t.Fatalf("an unchanged backup of an old repository uploaded %d chunks", st.NewChunks)
	}
	if _, err := r.Verify(bg, true, nil); err != nil {
		t.Fatal(err)
	}
	// A new repository gets the current format, and keeps it when the
	// secret changes.
	r2, _, _ := newDirRepo(t)
	if f := r2.keys.format; f != newFormat {
		t.Fatalf("new repository has format %+v, want %+v", f, newFormat)
	}
	s2, _ := testSecret(t)
	if err := r2.ChangeSecret(bg, s2); err != nil {
		t.Fatal(err)
	}
	if f := r2.Header().h.format(); f != newFormat {
		t.Fatalf("after a secret change: format %+v", f)
	}
}

// The format fields are bound to the wrapped keys: a config whose chunker
// or naming was changed (checksum line fixed up) does not open.
func TestFormatFieldsTampered(t *testing.T) {
	for _, change := range []func(*headerJSON){
		func(h *headerJSON) { h.Chunker = chunkerRabin },
		func(h *headerJSON) { h.Naming = namingHMAC },
		func(h *headerJSON) { h.Chunker, h.Naming = "", "" },
	} {
		d, _ := NewDir(t.TempDir())
		s, _ := testSecret(t)
		r, err := Init(bg, d, s)
		if err != nil {
			t.Fatal(err)
		}
		h := r.Header()
		change(&h.h)
		if err := d.Put(bg, configName, h.Marshal()); err != nil {
			t.Fatal(err)
		}
		if _, err := Open(bg, d, s); !errors.Is(err, ErrTampered) {
			t.Fatalf("changed format fields %+v: %v", h.h.format(), err)
		}
	}
	// An unknown chunker is refused when the config is read.
	r, _, _ := newDirRepo(t)
	h := r.Header()
	h.h.Chunker = "rabin-v9"
	if _, err := ParseHeader(h.Marshal()); !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "update Pigeon") {
		t.Fatalf("unknown chunker: %v", err)
	}
}

// Chunk boundaries depend on the repository's key: the same bytes are cut
// differently in two repositories (so cut points do not reveal content).
func TestChunkBoundariesKeyed(t *testing.T) {
	data := randomBytes(22, 8<<20)
	cuts := func() []int {
		r, _, _ := newDirRepo(t)
		ch, err := r.keys.newCutter()
		if err != nil {
			t.Fatal(err)
		}
		ch.reset(bytes.NewReader(data))
		buf := make([]byte, maxChunkSize)
		var out []int
		for {
			n, err := ch.next(buf)
			if err == io.EOF {
				return out
			}
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, n)
		}
	}
	a, b := cuts(), cuts()
	if len(a) < 8 {
		t.Fatalf("8 MiB cut into %d chunks", len(a))
	}
	same := 0
	for i := range min(len(a), len(b)) {
		if a[i] == b[i] {
			same++
		}
	}
	if same > len(a)/2 {
		t.Fatalf("two repositories cut the same data alike: %v and %v", a, b)
	}
}
