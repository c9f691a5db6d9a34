package badger_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	bdg "github.com/dgraph-io/badger/v4"
	"go.mau.fi/libsignal/logger"

	"github.com/pigeon-net/pigeon/storage"
	"github.com/pigeon-net/pigeon/storage/badger"
)

// quietSignal discards libsignal's logs: the default logger prints key
// material.
type quietSignal struct{}

func (quietSignal) Debug(string, string)   {}
func (quietSignal) Info(string, string)    {}
func (quietSignal) Warning(string, string) {}
func (quietSignal) Error(string, string)   {}
func (quietSignal) Configure(string)       {}

func TestMain(m *testing.M) {
	var l logger.Loggable = quietSignal{}
	logger.Setup(&l)
	os.Exit(m.Run())
}

func newMem(t testing.TB) *badger.Store {
	t.Helper()
	s, err := badger.Open(badger.Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func openDir(t testing.TB, dir string) *badger.Store {
	t.Helper()
	s, err := badger.Open(badger.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func acct(b byte) storage.Account {
	var a storage.Account
	a[0] = b
	a[31] = b
	return a
}

func TestOpenCloseReopen(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "db")
	s := openDir(t, dir)
	fi, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o700 {
		t.Errorf("dir mode %v, want 0700", fi.Mode().Perm())
	}
	ctx := context.Background()
	if err := s.PutSetting(ctx, "x", []byte("list")); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); !errors.Is(err, storage.ErrClosed) {
		t.Fatalf("second Close = %v, want ErrClosed", err)
	}
	if _, err := s.Setting(ctx, "x"); !errors.Is(err, storage.ErrClosed) {
		t.Fatalf("use after close = %v, want ErrClosed", err)
	}
	s = openDir(t, dir)
	defer s.Close()
	got, err := s.Setting(ctx, "x")
	if err != nil || string(got) != "list" {
		t.Fatalf("after reopen: %q, %v", got, err)
	}
}

func TestOpenNeedsDir(t *testing.T) {
	if _, err := badger.Open(badger.Options{}); !errors.Is(err, badger.ErrInvalid) {
		t.Fatalf("Open without dir = %v", err)
	}
}

func TestSchemaMismatch(t *testing.T) {
	dir := t.TempDir()
	s := openDir(t, dir)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	db, err := bdg.Open(bdg.DefaultOptions(dir).WithLogger(nil))
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(txn *bdg.Txn) error { return txn.Set([]byte("V"), []byte{0, 0, 0, 99}) }); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := badger.Open(badger.Options{Dir: dir}); !errors.Is(err, storage.ErrSchema) {
		t.Fatalf("Open with version 99 = %v, want ErrSchema", err)
	}
}

func TestLoggerReceivesBadgerLogs(t *testing.T) {
	var buf syncBuffer
	log := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	s, err := badger.Open(badger.Options{Dir: t.TempDir(), Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(buf.Bytes(), []byte("msg=badger")) {
		t.Fatalf("no badger logs in slog output: %q", buf.Bytes())
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) Bytes() []byte {
	b.mu.Lock()
	defer b.mu.Unlock()
	return bytes.Clone(b.b.Bytes())
}

func TestUpdateRollsBackOnError(t *testing.T) {
	s := newMem(t)
	ctx := context.Background()
	boom := errors.New("boom")
	m := testMessage(acct(1), time.Now(), storage.Incoming, storage.Received)
	err := s.Update(ctx, func(ctx context.Context) error {
		if err := s.InsertMessage(ctx, m); err != nil {
			return err
		}
		if err := s.PutContact(ctx, storage.Contact{Account: acct(1), Name: "a"}); err != nil {
			return err
		}
		// Visible inside the transaction.
		if _, err := s.Message(ctx, m.ID); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Update = %v, want boom", err)
	}
	if _, err := s.Message(ctx, m.ID); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("message after rollback: %v", err)
	}
	if _, err := s.Contact(ctx, acct(1)); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("contact after rollback: %v", err)
	}
	convs, err := s.Conversations(ctx)
	if err != nil || len(convs) != 0 {
		t.Fatalf("conversations after rollback: %v, %v", convs, err)
	}
}

func TestNestedUpdateJoins(t *testing.T) {
	s := newMem(t)
	ctx := context.Background()
	boom := errors.New("boom")
	err := s.Update(ctx, func(ctx context.Context) error {
		if err := s.Update(ctx, func(ctx context.Context) error {
			return s.PutContact(ctx, storage.Contact{Account: acct(1), Name: "a"})
		}); err != nil {
			return err
		}
		return boom // the outer transaction fails, so the inner write is lost
	})
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}
	if _, err := s.Contact(ctx, acct(1)); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("inner write survived outer rollback: %v", err)
	}
}

func TestViewIsReadOnly(t *testing.T) {
	s := newMem(t)
	ctx := context.Background()
	if err := s.PutContact(ctx, storage.Contact{Account: acct(1), Name: "a"}); err != nil {
		t.Fatal(err)
	}
	err := s.View(ctx, func(ctx context.Context) error {
		if _, err := s.Contact(ctx, acct(1)); err != nil {
			return err
		}
		return s.PutContact(ctx, storage.Contact{Account: acct(2)})
	})
	if !errors.Is(err, badger.ErrReadOnly) {
		t.Fatalf("write in View = %v, want ErrReadOnly", err)
	}
	err = s.View(ctx, func(ctx context.Context) error {
		return s.Update(ctx, func(context.Context) error { return nil })
	})
	if !errors.Is(err, badger.ErrReadOnly) {
		t.Fatalf("Update in View = %v, want ErrReadOnly", err)
	}
}

// TestConflictRetry runs two writers that read-modify-write one counter;
// every conflict must be retried so no increment is lost.
func TestConflictRetry(t *testing.T) {
	s := newMem(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 2)
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 100 {
				if _, err := s.AllocatePreKeyIDs(ctx, 1); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	next, err := s.AllocatePreKeyIDs(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if next != 201 {
		t.Fatalf("after 200 allocations the next ID is %d, want 201", next)
	}
}

func TestTxnTooBig(t *testing.T) {
	s := newMem(t)
	ctx := context.Background()
	big := bytes.Repeat([]byte{7}, 64<<10)
	err := s.Update(ctx, func(ctx context.Context) error {
		for i := range 200 {
			if err := s.PutSetting(ctx, fmt.Sprintf("s%d", i), big); err != nil {
				return err
			}
		}
		return nil
	})
	if !errors.Is(err, badger.ErrTxnTooBig) {
		t.Fatalf("huge Update = %v, want ErrTxnTooBig", err)
	}
	if _, err := s.Setting(ctx, "s0"); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("partial write visible: %v", err)
	}
}

func TestCloseWaitsForUpdate(t *testing.T) {
	s, err := badger.Open(badger.Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	inside := make(chan struct{})
	proceed := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- s.Update(ctx, func(ctx context.Context) error {
			close(inside)
			<-proceed
			return s.PutContact(ctx, storage.Contact{Account: acct(1)})
		})
	}()
	<-inside
	closed := make(chan error, 1)
	go func() { closed <- s.Close() }()
	close(proceed)
	if err := <-done; err != nil {
		t.Fatalf("Update racing Close: %v", err)
	}
	if err := <-closed; err != nil {
		t.Fatal(err)
	}
}

func TestSettings(t *testing.T) {
	st := newMem(t)
	ctx := context.Background()
	if _, err := st.Setting(ctx, "relays"); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("missing setting: %v", err)
	}
	if err := st.PutSetting(ctx, "relays", []byte("a\nb")); err != nil {
		t.Fatal(err)
	}
	if v, err := st.Setting(ctx, "relays"); err != nil || string(v) != "a\nb" {
		t.Fatalf("setting = %q, %v", v, err)
	}
	if err := st.PutSetting(ctx, "", nil); err == nil {
		t.Fatal("empty name accepted")
	}
}
