package backup

import (
	"io"
	"math/rand/v2"
	"runtime"
	"testing"
)

// genReader streams n pseudo-random bytes without holding them.
type genReader struct {
	c *rand.ChaCha8
	n int64
}

func (g *genReader) Read(p []byte) (int, error) {
	if g.n <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > g.n {
		p = p[:g.n]
	}
	g.c.Read(p)
	g.n -= int64(len(p))
	return len(p), nil
}

// TestBackupStreams: backing up a 128 MB item allocates far less than the
// item (buffers are pooled and reused), so items are never held whole.
func TestBackupStreams(t *testing.T) {
	r, _, _ := newDirRepo(t)
	const size = 128 << 20
	item := Item{Name: "media/huge", Size: size, Open: func() (io.ReadCloser, error) {
		return io.NopCloser(&genReader{c: rand.NewChaCha8([32]byte{9}), n: size}), nil
	}}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, st, err := r.Backup(bg, []Item{item}, BackupOptions{})
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("backup of %d MB in %d chunks allocated %d MB in all", st.Bytes>>20, st.Chunks, alloc>>20)
	if st.Bytes != size || alloc > 48<<20 {
		t.Fatalf("backup of %d bytes allocated %d bytes", st.Bytes, alloc)
	}
}
