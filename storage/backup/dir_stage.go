package backup

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
)

// The directory target's stager. A staged chunk is a ".tmp-*" file beside
// its final name, written but not flushed (the kernel starts writing it
// back at once where it can: startWriteback). commit flushes a group of
// them in parallel, renames each into place and then flushes the
// directories, so an object appears under its name only with its content
// on disk, and the renames are on disk before Backup writes the manifest.

func (d *dirTarget) staging() stager { return d }

func (d *dirTarget) stage(ctx context.Context, name string, data []byte) (staged, error) {
	if err := ctx.Err(); err != nil {
		return staged{}, fmt.Errorf("put %s: %w", name, err)
	}
	p, err := d.path(name)
	if err != nil {
		return staged{}, fmt.Errorf("put: %w", err)
	}
	dir := filepath.Dir(p)
	d.createMu.Lock()
	f, err := os.CreateTemp(dir, ".tmp-*")
	if errors.Is(err, os.ErrNotExist) {
		if err = os.MkdirAll(dir, 0o700); err == nil {
			f, err = os.CreateTemp(dir, ".tmp-*")
		}
	}
	d.createMu.Unlock()
	if err != nil {
		return staged{}, fmt.Errorf("put %s: %w", name, err)
	}
	_, err = f.Write(data)
	if err == nil {
		startWriteback(f)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return staged{}, fmt.Errorf("put %s: %w", name, err)
	}
	return staged{name: p, tmp: f.Name()}, nil
}

// commitFlushers: files flushed at once (fsync blocks a thread each).
const commitFlushers = 8

// testHookBeforeRename, when set (tests), runs in commit after the flush
// and before the renames.
var testHookBeforeRename func()

func (d *dirTarget) commit(batch []staged) error {
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
		next  = make(chan string)
	)
	for range min(commitFlushers, len(batch)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for tmp := range next {
				if err := syncPath(tmp); err != nil {
					mu.Lock()
					if first == nil {
						first = err
					}
					mu.Unlock()
				}
			}
		}()
	}
	for _, s := range batch {
		next <- s.tmp
	}
	close(next)
	wg.Wait()
	if first != nil {
		return fmt.Errorf("flush: %w", first)
	}
	return d.rename(batch)
}

// rename puts a flushed batch under its names and flushes the directories.
func (d *dirTarget) rename(batch []staged) error {
	if testHookBeforeRename != nil {
		testHookBeforeRename()
	}
	dirs := map[string]bool{}
	for _, s := range batch {
		if err := os.Rename(s.tmp, s.name); err != nil {
			return fmt.Errorf("put %s: %w", s.name, err)
		}
		dirs[filepath.Dir(s.name)] = true
	}
	for dir := range dirs {
		if err := syncPath(dir); err != nil {
			return fmt.Errorf("sync directory %s: %w", dir, err)
		}
	}
	return nil
}

func (d *dirTarget) discard(batch []staged) {
	for _, s := range batch {
		os.Remove(s.tmp) // a renamed one is gone: nothing to do
	}
}
