package localapi

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// TokenFile is the name of the API token file in the node's home directory.
const TokenFile = "api.token"

const tokenBytes = 32

// LoadOrCreateToken returns the API token kept in home/api.token, creating
// the file (mode 0600, 32 random bytes as 64 hex characters) if it does not
// exist. The file appears atomically: a concurrent caller sees either no
// file or the whole token, and two concurrent creators agree on one token.
//
// A token file that group or others may access is refused with
// ErrTokenPermissions rather than repaired, since the token may already have
// leaked: delete the file and a new token is made at the next start.
func LoadOrCreateToken(home string) (string, error) {
	tok, err := ReadToken(home)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return tok, err
	}
	if err := os.MkdirAll(home, 0o700); err != nil {
		return "", fmt.Errorf("create API token: %w", err)
	}
	var raw [tokenBytes]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", fmt.Errorf("create API token: %w", err)
	}
	tok = hex.EncodeToString(raw[:])

	f, err := os.CreateTemp(home, ".api.token-*") // mode 0600
	if err != nil {
		return "", fmt.Errorf("create API token: %w", err)
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	_, err = f.WriteString(tok + "\n")
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", fmt.Errorf("create API token: %w", err)
	}
	path := filepath.Join(home, TokenFile)
	// Link, unlike Rename, never replaces a token another process has just
	// created; the loser of that race reads the winner's token.
	switch err := os.Link(tmp, path); {
	case err == nil:
	case errors.Is(err, fs.ErrExist):
		return ReadToken(home)
	default:
		if err := os.Rename(tmp, path); err != nil { // file systems without hard links
			return "", fmt.Errorf("create API token: %w", err)
		}
	}
	if d, err := os.Open(home); err == nil {
		d.Sync() // make the new directory entry durable; best effort
		d.Close()
	}
	return tok, nil
}

// ReadToken returns the token in home/api.token without creating it; the
// error wraps fs.ErrNotExist if there is none. Clients use it to
// authenticate to the daemon.
func ReadToken(home string) (string, error) {
	path := filepath.Join(home, TokenFile)
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("read API token: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return "", fmt.Errorf("read API token: %w", err)
	}
	if runtime.GOOS != "windows" && st.Mode().Perm()&0o077 != 0 {
		return "", fmt.Errorf("read API token: %w: %s has mode %04o, want 0600 (delete it to create a new token)",
			ErrTokenPermissions, path, st.Mode().Perm())
	}
	if !st.Mode().IsRegular() {
		return "", fmt.Errorf("read API token: %w: %s is not a regular file", ErrBadToken, path)
	}
	b, err := io.ReadAll(io.LimitReader(f, 1024))
	if err != nil {
		return "", fmt.Errorf("read API token: %w", err)
	}
	tok := strings.TrimSpace(string(b))
	if raw, err := hex.DecodeString(tok); err != nil || len(raw) != tokenBytes {
		return "", fmt.Errorf("read API token: %w: %s", ErrBadToken, path)
	}
	return tok, nil
}
