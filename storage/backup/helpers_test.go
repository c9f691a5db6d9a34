package backup

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// faultTarget wraps a real Target to count calls and inject faults.
type faultTarget struct {
	Target
	gets, puts atomic.Int64
	mu         sync.Mutex
	getNames   []string
	// putHook, when set, runs before each Put; a non-nil error fails it.
	putHook func(ctx context.Context, n int64, name string) error
	// commitErr, when set, fails each commit of staged chunks.
	commitErr error
}

func (f *faultTarget) Get(ctx context.Context, name string) ([]byte, error) {
	f.gets.Add(1)
	f.mu.Lock()
	f.getNames = append(f.getNames, name)
	f.mu.Unlock()
	return f.Target.Get(ctx, name)
}

func (f *faultTarget) Put(ctx context.Context, name string, data []byte) error {
	n := f.puts.Add(1)
	f.mu.Lock()
	hook := f.putHook
	f.mu.Unlock()
	if hook != nil {
		if err := hook(ctx, n, name); err != nil {
			return err
		}
	}
	return f.Target.Put(ctx, name, data)
}

func (f *faultTarget) setHook(h func(ctx context.Context, n int64, name string) error) {
	f.mu.Lock()
	f.putHook = h
	f.mu.Unlock()
	f.puts.Store(0)
}

// records returns n deterministic ~200-byte text records, like an
// account log.
func records(seed uint64, n int) []byte {
	rng := rand.New(rand.NewPCG(seed, 1))
	var b bytes.Buffer
	words := []string{"hello", "pigeon", "meeting", "tomorrow", "ok", "see", "you", "at", "the", "station", "photo", "lol", "thanks", "group", "dinner"}
	for i := range n {
		fmt.Fprintf(&b, `{"seq":%d,"chat":"%016x","from":"%016x","at":%d,"text":"`, i, rng.Uint64()%64, rng.Uint64()%16, 1700000000000+int64(i)*rng.Int64N(100000))
		for b.Len()%200 < 180 {
			b.WriteString(words[rng.IntN(len(words))])
			b.WriteByte(' ')
		}
		b.WriteString("\"}\n")
	}
	return b.Bytes()
}

func randomBytes(seed uint64, n int) []byte {
	c := rand.NewChaCha8([32]byte{byte(seed), byte(seed >> 8)})
	b := make([]byte, n)
	c.Read(b)
	return b
}

func bytesItem(name string, b []byte) Item {
	return Item{Name: name, Size: int64(len(b)), Open: func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(b)), nil
	}}
}

func testSecret(t testing.TB) (Secret, string) {
	t.Helper()
	k, err := NewRecoveryKey()
	if err != nil {
		t.Fatal(err)
	}
	s, err := ParseRecoveryKey(k)
	if err != nil {
		t.Fatal(err)
	}
	return s, k
}

func newDirRepo(t testing.TB) (*Repo, *faultTarget, string) {
	t.Helper()
	dir := t.TempDir()
	d, err := NewDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	ft := &faultTarget{Target: d}
	s, _ := testSecret(t)
	r, err := Init(context.Background(), ft, s)
	if err != nil {
		t.Fatal(err)
	}
	return r, ft, dir
}

// restoreAll restores snapshot id into a map.
func restoreAll(t testing.TB, r *Repo, id string, o RestoreOptions) (map[string][]byte, error) {
	t.Helper()
	out := map[string][]byte{}
	err := r.Restore(context.Background(), id, o, func(name string, size int64, rd io.Reader) error {
		b, err := io.ReadAll(rd)
		if err != nil {
			return err
		}
		if int64(len(b)) != size {
			return fmt.Errorf("item %s: %d bytes, size said %d", name, len(b), size)
		}
		out[name] = b
		return nil
	})
	return out, err
}

func mustRestoreEqual(t testing.TB, r *Repo, id string, want map[string][]byte) {
	t.Helper()
	got, err := restoreAll(t, r, id, RestoreOptions{})
	if err != nil {
		t.Fatalf("restore %s: %v", id, err)
	}
	if len(got) != len(want) {
		t.Fatalf("restore %s: %d items, want %d", id, len(got), len(want))
	}
	for n, b := range want {
		if !bytes.Equal(got[n], b) {
			t.Fatalf("restore %s: item %s differs (%d bytes, want %d)", id, n, len(got[n]), len(b))
		}
	}
}

func itemsOf(m map[string][]byte) []Item {
	var items []Item
	for n, b := range m {
		items = append(items, bytesItem(n, b))
	}
	return items
}

var bg = context.Background()

func waitFor(t testing.TB, what string, d time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// staging passes the wrapped target's stager on, with putHook run before
// each stage (as before each Put).
func (f *faultTarget) staging() stager {
	st, ok := f.Target.(stagingTarget)
	if !ok {
		return nil
	}
	s := st.staging()
	if s == nil {
		return nil
	}
	return faultStager{f: f, stager: s}
}

type faultStager struct {
	f *faultTarget
	stager
}

func (s faultStager) stage(ctx context.Context, name string, data []byte) (staged, error) {
	n := s.f.puts.Add(1)
	s.f.mu.Lock()
	hook := s.f.putHook
	s.f.mu.Unlock()
	if hook != nil {
		if err := hook(ctx, n, name); err != nil {
			return staged{}, err
		}
	}
	return s.stager.stage(ctx, name, data)
}

func (s faultStager) commit(batch []staged) error {
	s.f.mu.Lock()
	err := s.f.commitErr
	s.f.mu.Unlock()
	if err != nil {
		return err
	}
	return s.stager.commit(batch)
}

func (f *faultTarget) removeStaleTemp(ctx context.Context, before time.Time) (int, int64, error) {
	if c, ok := f.Target.(tempCleaner); ok {
		return c.removeStaleTemp(ctx, before)
	}
	return 0, 0, nil
}
