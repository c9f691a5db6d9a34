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
	ft.putHook = func(ctx context.Context, n int64, name string) error {
		if n == 5 { // some chunks are stored: tell the parent to kill us
			os.WriteFile(filepath.Join(dir, "started"), nil, 0o600)
		}
		if n >= 5 {
			time.Sleep(100 * time.Millisecond) // a slow link, so the kill lands mid-backup
		}
		return nil
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

	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashHelper$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashDirEnv+"="+dir, crashKeyEnv+"="+key)
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
