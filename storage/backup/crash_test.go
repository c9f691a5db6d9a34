package backup

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// The crash test re-runs this test binary as a helper that backs up to a
// directory and is killed with SIGKILL half-way.
const (
	crashDirEnv = "PIGEON_BACKUP_CRASH_DIR"
	crashKeyEnv = "PIGEON_BACKUP_CRASH_KEY"
	// crashModeEnv "rename": the helper stops before the first renames of
	// staged chunks (they are flushed, not yet under their names), and
	// tells the parent to kill it there.
	crashModeEnv = "PIGEON_BACKUP_CRASH_MODE"
)

func crashSecond() map[string][]byte {
	return map[string][]byte{"acctlog": records(12, 5000), "media/big": randomBytes(13, 16<<20)}
}

// TestCrashHelper is the helper process; it does nothing in a normal run.
func TestCrashHelper(t *testing.T) {
	dir := os.Getenv(crashDirEnv)
	if dir == "" {
		t.Skip("helper process for TestCrashKill")
	}
	s, err := ParseRecoveryKey(os.Getenv(crashKeyEnv))
	if err != nil {
		t.Fatal(err)
	}
	d, err := NewDir(filepath.Join(dir, "repo"))
	if err != nil {
		t.Fatal(err)
	}
	ft := &faultTarget{Target: d}
	if os.Getenv(crashModeEnv) == "rename" {
		testHookBeforeRename = func() {
			os.WriteFile(filepath.Join(dir, "started"), nil, 0o600)
			select {} // killed here
		}
	} else {
		ft.putHook = func(ctx context.Context, n int64, name string) error {
			if n == 5 { // some chunks are stored: tell the parent to kill us
				os.WriteFile(filepath.Join(dir, "started"), nil, 0o600)
			}
			if n >= 5 {
				time.Sleep(100 * time.Millisecond) // a slow link, so the kill lands mid-backup
			}
			return nil
		}
	}
	r, err := Open(bg, ft, s)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := r.Backup(bg, itemsOf(crashSecond()), BackupOptions{}); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "finished"), nil, 0o600)
}

func TestCrashKill(t *testing.T) {
	dir := t.TempDir()
	d, err := NewDir(filepath.Join(dir, "repo"))
	if err != nil {
		t.Fatal(err)
	}
	s, key := testSecret(t)
	r, err := Init(bg, d, s)
	if err != nil {
		t.Fatal(err)
	}
	first := map[string][]byte{"acctlog": records(12, 4000)}
	if _, _, err := r.Backup(bg, itemsOf(first), BackupOptions{}); err != nil {
		t.Fatal(err)
	}

	killHelper(t, dir, key, "")

	r, err = Open(bg, d, s)
	if err != nil {
		t.Fatal(err)
	}
	snaps, err := r.Snapshots(bg)
	if err != nil || len(snaps) != 1 {
		t.Fatalf("after the kill: %d snapshots, %v", len(snaps), err)
	}
	mustRestoreEqual(t, r, "latest", first)
	_, st, err := r.Backup(bg, itemsOf(crashSecond()), BackupOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if st.NewChunks >= st.Chunks {
		t.Fatalf("the run after the crash reused nothing: %d new of %d", st.NewChunks, st.Chunks)
	}
	mustRestoreEqual(t, r, "latest", crashSecond())
	if _, err := r.Verify(bg, true, nil); err != nil {
		t.Fatal(err)
	}
}

// TestCrashBeforeRename: a backup killed after writing its chunks to
// temporary files and flushing them, before any is renamed into place.
// The previous snapshot restores, and the next backup completes and
// removes the stale temporary files.
func TestCrashBeforeRename(t *testing.T) {
	dir := t.TempDir()
	repoDir := filepath.Join(dir, "repo")
	d, err := NewDir(repoDir)
	if err != nil {
		t.Fatal(err)
	}
	s, key := testSecret(t)
	r, err := Init(bg, d, s)
	if err != nil {
		t.Fatal(err)
	}
	first := map[string][]byte{"acctlog": records(12, 4000)}
	if _, _, err := r.Backup(bg, itemsOf(first), BackupOptions{}); err != nil {
		t.Fatal(err)
	}
	chunksBefore := len(objectFiles(t, repoDir, "data"))

	killHelper(t, dir, key, "rename")

	temps, _ := filepath.Glob(filepath.Join(repoDir, "data", ".tmp-*"))
	if len(temps) == 0 {
		t.Fatal("the killed backup left no temporary files: it did not stop where this test means")
	}
	r, err = Open(bg, d, s)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(objectFiles(t, repoDir, "data")) - len(temps); n != chunksBefore {
		t.Fatalf("%d chunks under their names after the kill, %d before", n, chunksBefore)
	}
	snaps, err := r.Snapshots(bg)
	if err != nil || len(snaps) != 1 {
		t.Fatalf("after the kill: %d snapshots, %v", len(snaps), err)
	}
	mustRestoreEqual(t, r, "latest", first)

	// An hour later (temporary files younger than that may be another
	// device's backup in progress), the next backup completes and cleans up.
	r.now = func() time.Time { return time.Now().Add(pruneGrace + time.Minute) }
	if _, _, err := r.Backup(bg, itemsOf(crashSecond()), BackupOptions{}); err != nil {
		t.Fatal(err)
	}
	if left, _ := filepath.Glob(filepath.Join(repoDir, "*", ".tmp-*")); len(left) != 0 {
		t.Fatalf("temporary files left after the next backup: %v", left)
	}
	mustRestoreEqual(t, r, "latest", crashSecond())
	if _, err := r.Verify(bg, true, nil); err != nil {
		t.Fatal(err)
	}
}

// killHelper runs TestCrashHelper backing up crashSecond to dir/repo in
// mode (see crashModeEnv), and kills it with SIGKILL once it says so.
func killHelper(t *testing.T, dir, key, mode string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashHelper$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashDirEnv+"="+dir, crashKeyEnv+"="+key, crashModeEnv+"="+mode)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() { cmd.Process.Kill(); <-done })
	waitFor(t, "the helper to store some chunks", time.Minute, func() bool {
		_, err := os.Stat(filepath.Join(dir, "started"))
		return err == nil
	})
	if err := cmd.Process.Kill(); err != nil { // SIGKILL on Unix
		t.Fatal(err)
	}
	<-done
	done <- nil // for the cleanup
	if _, err := os.Stat(filepath.Join(dir, "finished")); err == nil {
		t.Fatal("the helper finished before it was killed")
	}
}
