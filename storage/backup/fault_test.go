package backup

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"
)

func flipByte(t *testing.T, path string, at int) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if at < 0 {
		at += len(b)
	}
	b[at] ^= 0x10
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

func objectFiles(t *testing.T, dir, sub string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, sub, "*"))
	if err != nil || len(m) == 0 {
		t.Fatalf("no objects in %s: %v", sub, err)
	}
	sort.Strings(m)
	return m
}

func TestTamperChunk(t *testing.T) {
	for _, where := range []int{0, 5, 40, -1} { // version, nonce, body, tag
		t.Run(fmt.Sprint(where), func(t *testing.T) {
			r, _, dir := newDirRepo(t)
			if _, _, err := r.Backup(bg, []Item{bytesItem("acctlog", records(7, 5000))}, BackupOptions{}); err != nil {
				t.Fatal(err)
			}
			chunk := objectFiles(t, dir, "data")[0]
			name := "data/" + filepath.Base(chunk)
			flipByte(t, chunk, where)
			_, err := restoreAll(t, r, "latest", RestoreOptions{})
			if err == nil || !strings.Contains(err.Error(), name) || !(errors.Is(err, ErrTampered) || errors.Is(err, ErrCorrupt)) {
				t.Fatalf("restore after flipping %s: %v", name, err)
			}
			rep, err := r.Verify(bg, true, nil)
			if !errors.Is(err, ErrCorrupt) || len(rep.Problems) != 1 || !strings.Contains(rep.Problems[0], name) {
				t.Fatalf("full verify: %+v %v", rep, err)
			}
		})
	}
}

func TestTamperSwapChunks(t *testing.T) {
	r, _, dir := newDirRepo(t)
	if _, _, err := r.Backup(bg, []Item{bytesItem("acctlog", records(8, 10000))}, BackupOptions{}); err != nil {
		t.Fatal(err)
	}
	c := objectFiles(t, dir, "data")
	a, _ := os.ReadFile(c[0])
	b, _ := os.ReadFile(c[1])
	os.WriteFile(c[0], b, 0o600)
	os.WriteFile(c[1], a, 0o600)
	if _, err := restoreAll(t, r, "latest", RestoreOptions{}); !errors.Is(err, ErrTampered) {
		t.Fatalf("restore after swapping chunks: %v", err)
	}
	if _, err := r.Verify(bg, true, nil); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("verify after swapping chunks: %v", err)
	}
	// A missing and a truncated chunk: the light verify (List only) names them.
	os.Remove(c[2])
	os.Truncate(c[3], 100)
	rep, err := r.Verify(bg, false, nil)
	if !errors.Is(err, ErrCorrupt) || len(rep.Problems) < 2 || // the swapped ones may differ in size too

		!strings.Contains(strings.Join(rep.Problems, "\n"), filepath.Base(c[2])+" is missing") ||
		!strings.Contains(strings.Join(rep.Problems, "\n"), filepath.Base(c[3])+" has 100 bytes") {
		t.Fatalf("light verify: %q %v", rep.Problems, err)
	}
}

func TestTamperManifest(t *testing.T) {
	r, _, dir := newDirRepo(t)
	s1, _, err := r.Backup(bg, []Item{bytesItem("a", []byte("one"))}, BackupOptions{})
	if err != nil {
		t.Fatal(err)
	}
	s2, _, err := r.Backup(bg, []Item{bytesItem("a", []byte("two"))}, BackupOptions{Time: s1.Time.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	flipByte(t, filepath.Join(dir, "snapshots", s2.ID), 30)
	name := "snapshots/" + s2.ID
	snaps, err := r.Snapshots(bg)
	if !errors.Is(err, ErrTampered) || !strings.Contains(err.Error(), name) || len(snaps) != 1 || snaps[0].ID != s1.ID {
		t.Fatalf("snapshots after flipping %s: %v %v", name, snaps, err)
	}
	if _, err := restoreAll(t, r, s2.ID, RestoreOptions{}); !errors.Is(err, ErrTampered) || !strings.Contains(err.Error(), name) {
		t.Fatalf("restore of the flipped manifest: %v", err)
	}
	// latest falls back to the newest readable snapshot.
	mustRestoreEqual(t, r, "latest", map[string][]byte{"a": []byte("one")})
	if _, _, err := r.Prune(bg); err == nil || !strings.Contains(err.Error(), name) {
		t.Fatalf("prune with an unreadable manifest: %v", err)
	}
	// A manifest renamed to another snapshot's name is caught too.
	os.Rename(filepath.Join(dir, "snapshots", s1.ID), filepath.Join(dir, "snapshots", "20990101T000000Z-00000000"))
	if _, err := r.Snapshots(bg); !errors.Is(err, ErrTampered) {
		t.Fatalf("renamed manifest: %v", err)
	}
}

func TestTamperConfig(t *testing.T) {
	for _, where := range []int{2, 60, 200, -5} {
		r, _, dir := newDirRepo(t)
		_ = r
		flipByte(t, filepath.Join(dir, "config"), where)
		d, _ := NewDir(dir)
		_, err := Open(bg, d, Secret{kind: kindRecovery, material: make([]byte, 32)})
		if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "config") {
			t.Fatalf("open after flipping config[%d]: %v", where, err)
		}
	}
}

// faultRun: a first snapshot, then a backup of more data that a fault
// interrupts; the first snapshot must stay restorable and the next clean
// run must upload less than the whole second data set.
func faultRun(t *testing.T, hook func(ctx context.Context, n int64, name string) error, ctxFor func() (context.Context, context.CancelFunc)) {
	r, ft, _ := newDirRepo(t)
	first := map[string][]byte{"acctlog": records(9, 5000)}
	if _, _, err := r.Backup(bg, itemsOf(first), BackupOptions{}); err != nil {
		t.Fatal(err)
	}
	second := map[string][]byte{"acctlog": records(9, 5000), "media/big": randomBytes(10, 8<<20)}
	ft.setHook(hook)
	ctx, cancel := ctxFor()
	_, _, err := r.Backup(ctx, itemsOf(second), BackupOptions{})
	cancel()
	if err == nil {
		t.Fatal("backup through a faulty target succeeded")
	}
	t.Logf("interrupted backup: %v", err)
	ft.setHook(nil)
	snaps, err := r.Snapshots(bg)
	if err != nil || len(snaps) != 1 {
		t.Fatalf("after the fault: %d snapshots, %v", len(snaps), err)
	}
	mustRestoreEqual(t, r, "latest", first)
	_, st, err := r.Backup(bg, itemsOf(second), BackupOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if st.NewChunks >= st.Chunks-1 || st.NewChunks == 0 {
		t.Fatalf("resumed run uploaded %d of %d chunks", st.NewChunks, st.Chunks)
	}
	mustRestoreEqual(t, r, "latest", second)
	if _, err := r.Verify(bg, true, nil); err != nil {
		t.Fatal(err)
	}
}

func TestFaultErrorMidUpload(t *testing.T) {
	faultRun(t, func(_ context.Context, n int64, name string) error {
		if n > 6 {
			return fmt.Errorf("put %s: 503 slow down", name)
		}
		return nil
	}, func() (context.Context, context.CancelFunc) { return context.WithCancel(bg) })
}

func TestFaultStoreFull(t *testing.T) {
	faultRun(t, func(_ context.Context, n int64, name string) error {
		if n > 10 {
			return &os.PathError{Op: "write", Path: name, Err: syscall.ENOSPC}
		}
		return nil
	}, func() (context.Context, context.CancelFunc) { return context.WithCancel(bg) })
}

func TestFaultSlowPutsCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(bg)
	faultRun(t, func(pctx context.Context, n int64, name string) error {
		if n == 8 {
			cancel() // the user gives up while uploads crawl
		}
		if n >= 8 {
			<-pctx.Done()
			return pctx.Err()
		}
		return nil
	}, func() (context.Context, context.CancelFunc) { return ctx, cancel })
}

func TestRetentionAndPrune(t *testing.T) {
	r, _, dir := newDirRepo(t)
	clock := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	r.now = func() time.Time { return clock }
	// Two snapshots a day for 100 days, each with a unique item besides a
	// shared one.
	shared := records(11, 3000)
	type snap struct {
		id   string
		t    time.Time
		data map[string][]byte
	}
	var all []snap
	for day := range 100 {
		for h := range 2 {
			tm := clock.AddDate(0, 0, day).Add(time.Duration(h) * 6 * time.Hour)
			data := map[string][]byte{"acctlog": shared, "daily": []byte(fmt.Sprintf("day %d %d", day, h))}
			s, _, err := r.Backup(bg, itemsOf(data), BackupOptions{Time: tm})
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, snap{s.ID, tm, data})
		}
	}
	now := clock.AddDate(0, 0, 99).Add(8 * time.Hour) // day 99 (Apr 10), 20:00
	removed, err := r.Forget(bg, Retention{Daily: 7, Monthly: 3}, now)
	if err != nil {
		t.Fatal(err)
	}
	snaps, err := r.Snapshots(bg)
	if err != nil {
		t.Fatal(err)
	}
	var kept []string
	for _, s := range snaps {
		kept = append(kept, s.Time.Format("2006-01-02T15"))
	}
	// Apr 4..10 at 18h, plus the newest of March and February (April is
	// covered by Apr 10); January is outside the 3 months.
	if len(removed)+len(snaps) != 200 {
		t.Fatalf("removed %d, kept %d", len(removed), len(snaps))
	}
	wantKept := map[string]bool{}
	last := now
	for d := range 7 {
		wantKept[time.Date(last.Year(), last.Month(), last.Day()-d, 18, 0, 0, 0, time.UTC).Format("2006-01-02T15")] = true
	}
	wantKept["2026-03-31T18"] = true
	wantKept["2026-02-28T18"] = true
	if len(kept) != len(wantKept) {
		t.Fatalf("kept %v, want %v", kept, wantKept)
	}
	for _, k := range kept {
		if !wantKept[k] {
			t.Fatalf("kept %v, want %v", kept, wantKept)
		}
	}
	// Prune: nothing is older than an hour by the repo's clock yet.
	before := len(objectFiles(t, dir, "data"))
	if n, _, err := r.Prune(bg); err != nil || n != 0 {
		t.Fatalf("prune within the grace period deleted %d: %v", n, err)
	}
	clock = time.Now().Add(2 * time.Hour)
	n, freed, err := r.Prune(bg)
	if err != nil {
		t.Fatal(err)
	}
	after := len(objectFiles(t, dir, "data"))
	if n != 200-len(kept) || freed <= 0 || after != before-n {
		t.Fatalf("prune deleted %d chunks (%d bytes), %d -> %d", n, freed, before, after)
	}
	byID := map[string]snap{}
	for _, s := range all {
		byID[s.id] = s
	}
	for _, s := range snaps {
		mustRestoreEqual(t, r, s.ID, byID[s.ID].data)
	}
	if _, err := r.Verify(bg, true, nil); err != nil {
		t.Fatal(err)
	}
}

// A flush that fails (a disk error at fsync) fails the backup without a
// snapshot and removes the chunks it could not commit; the next run
// completes.
func TestFaultCommitFails(t *testing.T) {
	r, ft, dir := newDirRepo(t)
	first := map[string][]byte{"acctlog": records(9, 5000)}
	if _, _, err := r.Backup(bg, itemsOf(first), BackupOptions{}); err != nil {
		t.Fatal(err)
	}
	chunks := len(objectFiles(t, dir, "data"))
	second := map[string][]byte{"acctlog": records(9, 5000), "media/big": randomBytes(10, 4<<20)}
	ft.mu.Lock()
	ft.commitErr = &os.PathError{Op: "fsync", Path: "data/x", Err: syscall.EIO}
	ft.mu.Unlock()
	if _, _, err := r.Backup(bg, itemsOf(second), BackupOptions{}); !errors.Is(err, syscall.EIO) {
		t.Fatalf("backup with failing flushes: %v", err)
	}
	ft.mu.Lock()
	ft.commitErr = nil
	ft.mu.Unlock()
	if n := len(objectFiles(t, dir, "data")); n != chunks {
		t.Fatalf("%d files in data/ after the failed run, %d before (uncommitted chunks left behind?)", n, chunks)
	}
	snaps, err := r.Snapshots(bg)
	if err != nil || len(snaps) != 1 {
		t.Fatalf("after the failed run: %d snapshots, %v", len(snaps), err)
	}
	mustRestoreEqual(t, r, "latest", first)
	if _, _, err := r.Backup(bg, itemsOf(second), BackupOptions{}); err != nil {
		t.Fatal(err)
	}
	mustRestoreEqual(t, r, "latest", second)
}
