package media_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"path/filepath"
	"testing"

	"github.com/pigeon-net/pigeon/protocol/media"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage/badger"
)

// openStore opens a real Badger store in a temp dir.
func openStore(t testing.TB) *badger.Store {
	t.Helper()
	dir := t.TempDir()
	st, err := badger.Open(badger.Options{Dir: filepath.Join(dir, "db"), BlocksDir: filepath.Join(dir, "blocks")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}

// importFile imports plain into st and returns its manifest.
func importFile(t testing.TB, st *badger.Store, plain []byte) *pb.Media {
	t.Helper()
	key, err := media.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	im, err := media.Import(context.Background(), st.Blocks(), bytes.NewReader(plain), key, nil)
	if err != nil {
		t.Fatal(err)
	}
	return media.NewManifest(im, key)
}
