package backup

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"
	"time"
)

// Backup and Prune on different devices must not overlap: a backup that
// found an old unreferenced chunk in its listing of data/ names it
// without uploading it, while a prune may be deleting it. Each writes a
// lock object (locks/backup-<rand> or locks/prune-<rand>) BEFORE it lists
// the locks; since both write before they read, at least one sees the
// other and gives up (with ErrBusy). A lock is refreshed every
// lockRefresh while its run lasts, and one not refreshed for lockStale
// (a killed run) is ignored.
const (
	lockPrefix  = "locks/"
	lockRefresh = 10 * time.Minute
	lockStale   = time.Hour
)

type repoLock struct {
	r    *Repo
	name string
	stop chan struct{}
	wg   sync.WaitGroup
}

// lock takes a lock of kind ("backup" or "prune") against conflict (the
// other kind). Release it with unlock.
func (r *Repo) lock(ctx context.Context, kind, conflict string) (*repoLock, error) {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, err
	}
	l := &repoLock{r: r, name: lockPrefix + kind + "-" + hex.EncodeToString(b[:]), stop: make(chan struct{})}
	if err := r.t.Put(ctx, l.name, []byte("pigeon backup lock\n")); err != nil {
		return nil, fmt.Errorf("write lock %s: %w", l.name, err)
	}
	objs, err := r.t.List(ctx, lockPrefix)
	if err != nil {
		r.t.Delete(context.WithoutCancel(ctx), l.name)
		return nil, fmt.Errorf("list locks: %w", err)
	}
	now := r.now()
	for _, o := range objs {
		if strings.HasPrefix(o.Name, lockPrefix+conflict+"-") && now.Sub(o.Modified) < lockStale {
			r.t.Delete(context.WithoutCancel(ctx), l.name)
			return nil, fmt.Errorf("%s holds %s: %w", r.t, o.Name, ErrBusy)
		}
	}
	l.wg.Add(1)
	go func() {
		defer l.wg.Done()
		t := time.NewTicker(lockRefresh)
		defer t.Stop()
		for {
			select {
			case <-l.stop:
				return
			case <-t.C:
				// A failed refresh only shortens the lock's life.
				r.t.Put(ctx, l.name, []byte("pigeon backup lock\n"))
			}
		}
	}()
	return l, nil
}

// unlock stops the refresher and deletes the lock (best effort: a lock
// left behind goes stale).
func (l *repoLock) unlock(ctx context.Context) {
	close(l.stop)
	l.wg.Wait()
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	l.r.t.Delete(ctx, l.name)
}
