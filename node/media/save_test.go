package media_test

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pigeon-net/pigeon/node/media"
	"github.com/pigeon-net/pigeon/node/nodetest"
)

// A sender's file name never makes SaveMediaTo write outside the chosen
// directory, create a hidden file, or replace an existing file, whatever
// the name; two saves of one file get two names.
func TestSaveMediaHostileNames(t *testing.T) {
	nw := nodetest.New(t, 3)
	a, b := nw.Nodes[1], nw.Nodes[2]
	ctx := context.Background()
	data := testFile(100 << 10)
	id := sendMedia(t, a, b.Info().Account, data, media.File{Name: "photo.png"})
	nodetest.Eventually(t, wait, func() bool { return mediaState(t, b, id) == media.Local }, "downloaded")

	root := t.TempDir()
	dir := filepath.Join(root, "a", "b", "downloads")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	mine := []byte("my own file")
	for _, p := range []string{filepath.Join(root, "x"), filepath.Join(root, "a", "x"), filepath.Join(dir, "_bashrc"), filepath.Join(dir, ".bashrc")} {
		if err := os.WriteFile(p, mine, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	fallback := "pigeon-" + id.String() // and the extension of its type
	cases := []struct{ name, want string }{
		{"photo.png", "photo.png"},
		{"photo.png", "photo (1).png"},
		{"../../x", "x"},
		{"../../../x", "x (1)"},
		{".bashrc", "_bashrc (1)"},
		{"a/b", "b"},
		{`..\..\evil.sh`, "evil.sh"},
		{"con", fallback + ".png"},
		{"con", fallback + " (1).png"},
		{"", fallback + " (2).png"},
		{"two\nlines.txt", "two_lines.txt"},
		{strings.Repeat("n", 250) + ".bin", strings.Repeat("n", 196) + ".bin"},
	}
	for _, c := range cases {
		if err := b.Media().SetFileName(ctx, id, c.name); err != nil {
			t.Fatal(err)
		}
		path, err := b.Media().SaveTo(ctx, id, dir, media.SaveOptions{})
		if err != nil {
			t.Fatalf("save %q: %v", c.name, err)
		}
		if path != filepath.Join(dir, c.want) {
			t.Fatalf("%q saved at %q, want %q", c.name, path, filepath.Join(dir, c.want))
		}
		if got, _ := os.ReadFile(path); !bytes.Equal(got, data) {
			t.Fatalf("%s differs", path)
		}
	}
	for _, p := range []string{filepath.Join(root, "x"), filepath.Join(root, "a", "x"), filepath.Join(dir, "_bashrc"), filepath.Join(dir, ".bashrc")} {
		if got, _ := os.ReadFile(p); !bytes.Equal(got, mine) {
			t.Fatalf("%s was replaced", p)
		}
	}
	es, _ := os.ReadDir(dir)
	if len(es) != len(cases)+2 { // and the two files that were there
		t.Fatalf("%d files in the directory, want %d", len(es), len(cases)+2)
	}
	for _, e := range es {
		if strings.Contains(e.Name(), ".part") {
			t.Fatalf("temporary file %s left", e.Name())
		}
	}
	// A path the caller names: refused when it exists, unless Replace.
	taken := filepath.Join(dir, "photo.png")
	if _, err := b.Media().SaveTo(ctx, id, taken, media.SaveOptions{}); !errors.Is(err, fs.ErrExist) {
		t.Fatalf("save over an existing file: %v", err)
	}
	if err := os.WriteFile(taken, mine, 0o600); err != nil {
		t.Fatal(err)
	}
	if path, err := b.Media().SaveTo(ctx, id, taken, media.SaveOptions{Replace: true}); err != nil || path != taken {
		t.Fatalf("replace: %q %v", path, err)
	}
	if got, _ := os.ReadFile(taken); !bytes.Equal(got, data) {
		t.Fatal("the file was not replaced")
	}
	// The name the node shows is the one it saves under.
	if err := b.Media().SetFileName(ctx, id, ".bashrc"); err != nil {
		t.Fatal(err)
	}
	if mi, err := b.Media().Info(ctx, id); err != nil || mi.Name != "_bashrc" {
		t.Fatalf("media info name %q, %v", mi.Name, err)
	}
}
