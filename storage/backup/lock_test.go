package backup

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestLocks(t *testing.T) {
	r, ft, _ := newDirRepo(t)
	first := map[string][]byte{"a": records(40, 2000)}
	if _, _, err := r.Backup(bg, itemsOf(first), BackupOptions{}); err != nil {
		t.Fatal(err)
	}
	if locks, err := ft.List(bg, lockPrefix); err != nil || len(locks) != 0 {
		t.Fatalf("locks left after a backup: %v %v", locks, err)
	}

	// Another device's backup (or one killed a minute ago) holds a lock:
	// prune waits; once the lock is stale it proceeds.
	if err := ft.Put(bg, lockPrefix+"backup-0123456789abcdef", []byte("x")); err != nil {
		t.Fatal(err)
	}
	if _, _, err := r.Prune(bg); !errors.Is(err, ErrBusy) {
		t.Fatalf("prune beside a backup lock: %v", err)
	}
	r.now = func() time.Time { return time.Now().Add(lockStale + time.Minute) }
	if _, _, err := r.Prune(bg); err != nil {
		t.Fatalf("prune beside a stale lock: %v", err)
	}
	r.now = time.Now
	ft.Delete(bg, lockPrefix+"backup-0123456789abcdef")

	// A prune elsewhere: the backup gives up and leaves the repo as it was.
	if err := ft.Put(bg, lockPrefix+"prune-0123456789abcdef", []byte("x")); err != nil {
		t.Fatal(err)
	}
	if _, _, err := r.Backup(bg, itemsOf(map[string][]byte{"b": []byte("new")}), BackupOptions{}); !errors.Is(err, ErrBusy) {
		t.Fatalf("backup beside a prune lock: %v", err)
	}
	mustRestoreEqual(t, r, "latest", first)
	locks, _ := ft.List(bg, lockPrefix)
	if len(locks) != 1 {
		t.Fatalf("the refused backup left its lock: %v", locks)
	}
	// Backups from two devices at once do not block each other.
	ft.Delete(bg, lockPrefix+"prune-0123456789abcdef")
	ft.Put(bg, lockPrefix+"backup-fedcba9876543210", []byte("x"))
	if _, _, err := r.Backup(context.Background(), itemsOf(first), BackupOptions{}); err != nil {
		t.Fatalf("backup beside another backup: %v", err)
	}
}

// TestPruneRemovesStaleTemp: a process killed mid-Put leaves a temporary
// file in the directory; Prune removes it once it is an hour old.
func TestPruneRemovesStaleTemp(t *testing.T) {
	dir := t.TempDir()
	d, _ := NewDir(dir)
	s, _ := testSecret(t)
	r, err := Init(bg, d, s)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := r.Backup(bg, itemsOf(map[string][]byte{"a": []byte("x")}), BackupOptions{}); err != nil {
		t.Fatal(err)
	}
	tmp := filepath.Join(dir, "data", ".tmp-123")
	if err := os.WriteFile(tmp, make([]byte, 1000), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, freed, err := r.Prune(bg); err != nil || freed != 0 {
		t.Fatalf("prune removed a fresh temporary file: %d %v", freed, err)
	}
	r.now = func() time.Time { return time.Now().Add(2 * time.Hour) }
	if _, freed, err := r.Prune(bg); err != nil || freed != 1000 {
		t.Fatalf("prune freed %d: %v", freed, err)
	}
	if _, err := os.Stat(tmp); !os.IsNotExist(err) {
		t.Fatalf("temporary file still there: %v", err)
	}
	mustRestoreEqual(t, r, "latest", map[string][]byte{"a": []byte("x")})
}
