package media_test

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/pigeon-net/pigeon/protocol/media"
)

func TestSafeName(t *testing.T) {
	long := strings.Repeat("é", 150) + ".png" // 304 bytes
	cases := []struct{ in, want string }{
		{"photo.png", "photo.png"},
		{"../../x", "x"},
		{"a/b", "b"},
		{`a\b`, "b"},
		{`..\..\Windows\win.ini`, "win.ini"},
		{"dir/", "fallback"},
		{".bashrc", "_bashrc"},
		{"...hidden", "_hidden"},
		{"-rf", "_rf"},
		{".", "fallback"},
		{"..", "fallback"},
		{"", "fallback"},
		{"   ", "fallback"},
		{"con", "fallback"},
		{"CON.txt", "fallback"},
		{"lpt1", "fallback"},
		{"console.log", "console.log"},
		{"com10", "com10"},
		{"a\nb.txt", "a_b.txt"},
		{"line\r\nbreak", "line__break"},
		{"invoice\u202Efdp.exe", "invoicefdp.exe"},
		{"zero\u200Bwidth", "zerowidth"},
		{`what?<>:"|*.txt`, "what_______.txt"},
		{"trailing.exe. . ", "trailing.exe"},
		{"bad\xffbyte", "bad_byte"},
		{"\uFFFD.txt", "\uFFFD.txt"},
		{"_", "_"},
		{"\n", "fallback"},
		{"snow ☃.jpg", "snow ☃.jpg"},
	}
	for _, c := range cases {
		if got := media.SafeName(c.in, "fallback"); got != c.want {
			t.Errorf("SafeName(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	got := media.SafeName(long, "fallback")
	if len(got) > media.MaxSafeName || !strings.HasSuffix(got, ".png") || !utf8.ValidString(got) {
		t.Errorf("long name cut to %q (%d bytes)", got, len(got))
	}
	if got := media.SafeName(strings.Repeat("x", 200), "f"); got != strings.Repeat("x", 200) {
		t.Errorf("a 200-byte name was changed to %d bytes", len(got))
	}
}

func TestFallbackName(t *testing.T) {
	id := "0123456789abcdef0123456789abcdef"
	for mt, want := range map[string]string{
		"image/png":                "pigeon-" + id + ".png",
		"image/jpeg":               "pigeon-" + id + ".jpg",
		"":                         "pigeon-" + id,
		"application/x-unknown-xx": "pigeon-" + id,
		"text/plain; charset=utf8": "pigeon-" + id + ".txt",
		"image/png/../../x":        "pigeon-" + id,
	} {
		if got := media.FallbackName(id, mt); got != want {
			t.Errorf("FallbackName(%q) = %q, want %q", mt, got, want)
		}
	}
}

// checkSafe fails unless name can only create a plain, visible file in
// the directory it is joined to.
func checkSafe(t *testing.T, in, name string) {
	t.Helper()
	switch {
	case name == "" || name == "." || name == "..":
		t.Fatalf("SafeName(%q) = %q", in, name)
	case strings.ContainsAny(name, `/\<>:"|?*`), strings.HasPrefix(name, "."), strings.HasPrefix(name, "-"):
		t.Fatalf("SafeName(%q) = %q", in, name)
	case len(name) > media.MaxSafeName, !utf8.ValidString(name), strings.TrimSpace(name) != name, strings.HasSuffix(name, "."):
		t.Fatalf("SafeName(%q) = %q", in, name)
	}
	for _, r := range name {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			t.Fatalf("SafeName(%q) = %q: character %U", in, name, r)
		}
	}
	if got := media.SafeName(name, "fallback"); got != name {
		t.Fatalf("SafeName(%q) = %q, but SafeName of that is %q", in, name, got)
	}
}

func FuzzSafeName(f *testing.F) {
	for _, s := range []string{"photo.png", "../../x", ".bashrc", "con.txt", "a\nb", "x\u202Ey", strings.Repeat("é", 120) + ".jpeg"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		if len(in) > 4096 {
			return // names on the wire are at most 255 bytes
		}
		checkSafe(t, in, media.SafeName(in, "fallback"))
	})
}

func writeTemp(t *testing.T, target media.Target, data string) string {
	t.Helper()
	f, err := target.CreateTemp()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(data); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return f.Name()
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func TestPlaceNeverReplaces(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "photo.png"), []byte("mine"), 0o600); err != nil {
		t.Fatal(err)
	}
	target := media.Target{Dir: dir, Name: "photo.png"}
	for i, want := range []string{"photo (1).png", "photo (2).png"} {
		path, err := target.Place(writeTemp(t, target, fmt.Sprint("got ", i)))
		if err != nil || path != filepath.Join(dir, want) {
			t.Fatalf("placed at %q (%v), want %s", path, err, want)
		}
		if got := readFile(t, path); got != fmt.Sprint("got ", i) {
			t.Fatalf("%s holds %q", want, got)
		}
	}
	if got := readFile(t, filepath.Join(dir, "photo.png")); got != "mine" {
		t.Fatalf("the existing file was replaced: %q", got)
	}
	tar := media.Target{Dir: dir, Name: "logs.tar.gz"}
	for range 2 {
		if _, err := tar.Place(writeTemp(t, tar, "x")); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{"logs (1).tar.gz", "logs.tar.gz", "photo (1).png", "photo (2).png", "photo.png"}
	if got := dirNames(t, dir); !slices.Equal(got, want) {
		t.Fatalf("directory holds %q, want %q (no temporary files)", got, want)
	}

	// A name the user chose exactly: refused when taken, replaced only
	// when asked.
	exact := media.Target{Dir: dir, Name: "photo.png", Exact: true}
	if _, err := exact.Place(writeTemp(t, exact, "new")); !errors.Is(err, fs.ErrExist) {
		t.Fatalf("exact name over an existing file: %v", err)
	} else if strings.Contains(err.Error(), ".part") {
		t.Errorf("error names the temporary file: %v", err)
	}
	exact.Replace = true
	if path, err := exact.Place(writeTemp(t, exact, "new")); err != nil || readFile(t, path) != "new" {
		t.Fatalf("replace: %q %v", path, err)
	}
	if got := dirNames(t, dir); !slices.Equal(got, want) {
		t.Fatalf("directory holds %q, want %q", got, want)
	}
}

// Saves racing for one name each get a file of their own: none replaces
// another's.
func TestPlaceRace(t *testing.T) {
	dir := t.TempDir()
	target := media.Target{Dir: dir, Name: "same.txt"}
	const n = 16
	tmps := make([]string, n)
	for i := range tmps {
		tmps[i] = writeTemp(t, target, fmt.Sprint(i))
	}
	paths := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			var err error
			if paths[i], err = target.Place(tmps[i]); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	seen := map[string]bool{}
	for i, p := range paths {
		if seen[p] {
			t.Fatalf("two saves wrote %s", p)
		}
		seen[p] = true
		if got := readFile(t, p); got != fmt.Sprint(i) {
			t.Fatalf("%s holds %q, want %d: a save replaced another's file", p, got, i)
		}
	}
	if got := len(dirNames(t, dir)); got != n {
		t.Fatalf("%d files in the directory, want %d", got, n)
	}
}

func TestTargetFor(t *testing.T) {
	dir := t.TempDir()
	existing := filepath.Join(dir, "there.txt")
	if err := os.WriteFile(existing, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		out     string
		replace bool
		want    media.Target
		err     bool
	}{
		{out: dir, want: media.Target{Dir: dir, Name: "safe.bin"}},
		{out: "", want: media.Target{Dir: ".", Name: "safe.bin"}},
		{out: filepath.Join(dir, "new.bin"), want: media.Target{Dir: dir, Name: "new.bin", Exact: true}},
		{out: existing, err: true},
		{out: existing, replace: true, want: media.Target{Dir: dir, Name: "there.txt", Exact: true, Replace: true}},
		{out: filepath.Join(dir, "missing", "x.bin"), err: true},
		{out: filepath.Join(dir, "missing") + "/", err: true},
		{out: "/dev/null", replace: true, err: true},
	}
	for _, c := range cases {
		got, err := media.TargetFor(c.out, "safe.bin", c.replace)
		if (err != nil) != c.err || (err == nil && got != c.want) {
			t.Errorf("TargetFor(%q, %v) = %+v, %v; want %+v (error %v)", c.out, c.replace, got, err, c.want, c.err)
		}
	}
	if _, err := media.TargetFor(existing, "safe.bin", false); !errors.Is(err, fs.ErrExist) {
		t.Errorf("an existing file: %v", err)
	}
}
