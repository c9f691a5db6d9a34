package localapi

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
)

func TestLoadOrCreateToken(t *testing.T) {
	home := filepath.Join(t.TempDir(), "home") // does not exist yet
	tok, err := LoadOrCreateToken(home)
	if err != nil {
		t.Fatal(err)
	}
	if len(tok) != 64 {
		t.Fatalf("token %q: want 64 hex characters", tok)
	}
	st, err := os.Stat(filepath.Join(home, TokenFile))
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" && st.Mode().Perm() != 0o600 {
		t.Fatalf("token file mode %04o, want 0600", st.Mode().Perm())
	}
	again, err := LoadOrCreateToken(home)
	if err != nil || again != tok {
		t.Fatalf("second load = %q, %v; want %q", again, err, tok)
	}
	read, err := ReadToken(home)
	if err != nil || read != tok {
		t.Fatalf("ReadToken = %q, %v; want %q", read, err, tok)
	}
	left, _ := filepath.Glob(filepath.Join(home, ".api.token-*"))
	if len(left) != 0 {
		t.Fatalf("temporary files left behind: %v", left)
	}
}

func TestLoadOrCreateTokenConcurrent(t *testing.T) {
	home := t.TempDir()
	const n = 8
	toks := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { toks[i], errs[i] = LoadOrCreateToken(home) })
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil || toks[i] != toks[0] {
			t.Fatalf("caller %d got %q, %v; caller 0 got %q", i, toks[i], errs[i], toks[0])
		}
	}
}

func TestTokenRefusesLooseMode(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix permissions")
	}
	home := t.TempDir()
	if _, err := LoadOrCreateToken(home); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(home, TokenFile), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadOrCreateToken(home); !errors.Is(err, ErrTokenPermissions) {
		t.Fatalf("loose mode: got %v, want ErrTokenPermissions", err)
	}
	if _, err := ReadToken(home); !errors.Is(err, ErrTokenPermissions) {
		t.Fatalf("ReadToken, loose mode: got %v, want ErrTokenPermissions", err)
	}
}

func TestTokenRefusesGarbage(t *testing.T) {
	home := t.TempDir()
	if err := os.WriteFile(filepath.Join(home, TokenFile), []byte("not a token\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadOrCreateToken(home); !errors.Is(err, ErrBadToken) {
		t.Fatalf("got %v, want ErrBadToken", err)
	}
}

func TestReadTokenMissing(t *testing.T) {
	if _, err := ReadToken(t.TempDir()); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("got %v, want os.ErrNotExist", err)
	}
}
