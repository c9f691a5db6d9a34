package media

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// On a file system without renameat2's RENAME_NOREPLACE, Place links the
// file into place, which fails on an existing name just the same.
func TestPlaceByLink(t *testing.T) {
	renameNoReplace = func(string, string) error { return errors.ErrUnsupported }
	t.Cleanup(func() { renameNoReplace = renameat2NoReplace })
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.txt"), []byte("mine"), 0o600); err != nil {
		t.Fatal(err)
	}
	target := Target{Dir: dir, Name: "a.txt"}
	f, err := target.CreateTemp()
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("new")
	f.Close()
	path, err := target.Place(f.Name())
	if err != nil || path != filepath.Join(dir, "a (1).txt") {
		t.Fatalf("placed at %q: %v", path, err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "a.txt")); string(b) != "mine" {
		t.Fatal("the existing file was replaced")
	}
	if _, err := os.Stat(f.Name()); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("temporary file left: %v", err)
	}
}
