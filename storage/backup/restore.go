package backup

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"
)

// RestoreOptions tune Restore.
type RestoreOptions struct {
	// Signer, when set, is the key the snapshot must be signed with;
	// nil accepts any signature or none.
	Signer   ed25519.PublicKey
	Progress func(Progress)
}

// restorePrefetch: chunks fetched ahead of the reader.
const restorePrefetch = 4

// Restore reads snapshot id ("" or "latest": the newest) and calls fn for
// each item in order with a reader of its bytes. Every chunk is
// downloaded, decrypted and checked against its keyed name before fn sees
// any of its bytes; a bad chunk ends Restore with an error naming it, so
// callers should treat what fn wrote as final only when Restore returns nil.
func (r *Repo) Restore(ctx context.Context, id string, o RestoreOptions, fn func(name string, size int64, rd io.Reader) error) error {
	m, s, err := r.findSnapshot(ctx, id)
	if err != nil {
		return err
	}
	if o.Signer != nil && !bytes.Equal(o.Signer, s.Signer) {
		if s.Signer == nil {
			return fmt.Errorf("restore: snapshot %s is not signed, but a signature by the account key is required: %w", s.ID, ErrTampered)
		}
		return fmt.Errorf("restore: snapshot %s is signed by another key: %w", s.ID, ErrTampered)
	}
	pr := Progress{Items: len(m.Items)}
	for _, it := range m.Items {
		pr.Bytes += it.Size
	}
	throt := progressThrottle{fn: o.Progress}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for _, it := range m.Items {
		cr := r.newChunkReader(ctx, it, func(n int) {
			pr.BytesDone += int64(n)
			throt.report(pr, false)
		})
		err := fn(it.Name, it.Size, cr)
		cr.close()
		if err == nil && cr.err != nil && cr.err != io.EOF {
			err = cr.err
		}
		if err == nil && cr.next < len(it.Sizes) {
			// fn stopped early: still check the rest, so a damaged
			// snapshot never restores without an error.
			_, err = io.Copy(io.Discard, r.newChunkReader(ctx, manifestItem{Name: it.Name, Chunks: it.Chunks[cr.next*idLen:], Sizes: it.Sizes[cr.next:]}, nil))
		}
		if err != nil {
			return fmt.Errorf("restore %q from snapshot %s: %w", it.Name, s.ID, err)
		}
		pr.ItemsDone++
	}
	throt.report(pr, true)
	return nil
}

func (r *Repo) findSnapshot(ctx context.Context, id string) (manifestBody, Snapshot, error) {
	if id == "" || id == "latest" {
		all, bad, err := r.loadAll(ctx)
		if err != nil {
			return manifestBody{}, Snapshot{}, fmt.Errorf("restore: %w", err)
		}
		if len(all) == 0 {
			if len(bad) > 0 {
				return manifestBody{}, Snapshot{}, fmt.Errorf("restore: no readable snapshot: %w", errors.Join(bad...))
			}
			return manifestBody{}, Snapshot{}, fmt.Errorf("restore: the backup in %s has no snapshots yet: %w", r.t, ErrNotFound)
		}
		return all[0].m, all[0].s, nil
	}
	if validName(manifestPrefix+id) != nil || strings.Contains(id, "/") {
		return manifestBody{}, Snapshot{}, fmt.Errorf("restore: bad snapshot id %q (see backup list)", id)
	}
	m, s, err := r.loadManifest(ctx, manifestPrefix+id)
	if err != nil {
		return manifestBody{}, Snapshot{}, fmt.Errorf("restore: %w", err)
	}
	return m, s, nil
}

// fetchChunk downloads, decrypts and checks one chunk.
func (r *Repo) fetchChunk(ctx context.Context, name string, size uint32) ([]byte, error) {
	obj, err := r.t.Get(ctx, name)
	if errors.Is(err, ErrNotFound) {
		return nil, fmt.Errorf("chunk %s is missing: %w; run backup verify", name, ErrCorrupt)
	}
	if err != nil {
		return nil, err
	}
	plain, err := open(r.keys.data, obj[:0:0], name, obj)
	if err != nil {
		return nil, fmt.Errorf("chunk %w; run backup verify --full", err)
	}
	if dataPrefix+hex.EncodeToString(chunkID(r.keys.newNameHash(), nil, plain)) != name {
		return nil, fmt.Errorf("chunk %s: content does not match its name: %w; run backup verify --full", name, ErrTampered)
	}
	if uint32(len(plain)) != size {
		return nil, fmt.Errorf("chunk %s: %d bytes, the manifest says %d: %w", name, len(plain), size, ErrTampered)
	}
	return plain, nil
}

type fetched struct {
	data []byte
	err  error
}

// chunkReader streams an item's chunks in order, fetching a few ahead.
type chunkReader struct {
	cancel context.CancelFunc
	wg     sync.WaitGroup
	queue  chan chan fetched // futures, in order
	cur    []byte
	next   int // chunks consumed
	err    error
	onRead func(int)
}

func (r *Repo) newChunkReader(ctx context.Context, it manifestItem, onRead func(int)) *chunkReader {
	ctx, cancel := context.WithCancel(ctx)
	cr := &chunkReader{cancel: cancel, queue: make(chan chan fetched, restorePrefetch), onRead: onRead}
	cr.wg.Add(1)
	go func() {
		defer cr.wg.Done()
		defer close(cr.queue)
		for i := range it.Sizes {
			fut := make(chan fetched, 1)
			select {
			case cr.queue <- fut:
			case <-ctx.Done():
				return
			}
			name, size := it.chunk(i)
			cr.wg.Add(1)
			go func() {
				defer cr.wg.Done()
				d, err := r.fetchChunk(ctx, name, size)
				fut <- fetched{d, err}
			}()
		}
	}()
	return cr
}

func (c *chunkReader) Read(p []byte) (int, error) {
	for len(c.cur) == 0 {
		if c.err != nil {
			return 0, c.err
		}
		fut, ok := <-c.queue
		if !ok {
			c.err = io.EOF
			return 0, io.EOF
		}
		f := <-fut
		if f.err != nil {
			c.err = f.err
			return 0, f.err
		}
		c.cur = f.data
		c.next++
	}
	n := copy(p, c.cur)
	c.cur = c.cur[n:]
	if c.onRead != nil {
		c.onRead(n)
	}
	return n, nil
}

// close stops fetching and waits for the fetchers. c.next counts the
// chunks fn has started reading; unread bytes of the current one were
// checked already.
func (c *chunkReader) close() {
	c.cancel()
	for fut := range c.queue {
		_ = fut
	}
	c.wg.Wait()
}

// VerifyReport is what Verify found. Each problem names the object.
type VerifyReport struct {
	Snapshots, Chunks int
	Bytes             int64
	Problems          []string
}

// Verify checks the repository. Light: every manifest decrypts and
// verifies, and every chunk it names exists (one List) with the right
// size. Full: also downloads, decrypts and re-hashes every chunk. The
// error is nil when there are no problems, else it wraps ErrCorrupt (the
// report lists them all).
func (r *Repo) Verify(ctx context.Context, full bool, progress func(Progress)) (VerifyReport, error) {
	var rep VerifyReport
	sizes, err := r.listSizes(ctx, dataPrefix)
	if err != nil {
		return rep, fmt.Errorf("verify: %w", err)
	}
	all, bad, err := r.loadAll(ctx)
	if err != nil {
		return rep, fmt.Errorf("verify: %w", err)
	}
	for _, e := range bad {
		rep.Problems = append(rep.Problems, e.Error())
	}
	rep.Snapshots = len(all)
	type ref struct {
		size uint32
		by   string // a snapshot naming it
	}
	refs := map[string]ref{}
	for _, l := range all {
		for _, it := range l.m.Items {
			for i := range it.Sizes {
				name, size := it.chunk(i)
				if _, ok := refs[name]; !ok {
					refs[name] = ref{size, l.s.ID}
				}
			}
		}
	}
	names := make([]string, 0, len(refs))
	for n := range refs {
		names = append(names, n)
	}
	sort.Strings(names)
	pr := Progress{Items: len(names)}
	for _, n := range names {
		pr.Bytes += int64(refs[n].size)
	}
	throt := progressThrottle{fn: progress}
	var mu sync.Mutex // guards rep, pr, throt once the fetchers run
	done := func(size uint32, problem string) {
		mu.Lock()
		defer mu.Unlock()
		if problem != "" {
			rep.Problems = append(rep.Problems, problem)
		}
		pr.ItemsDone++
		pr.BytesDone += int64(size)
		throt.report(pr, false)
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(restorePrefetch) // downloads in flight for a full verify
	for _, n := range names {
		ref := refs[n]
		rep.Chunks++
		rep.Bytes += int64(ref.size)
		got, ok := sizes[n]
		switch {
		case !ok:
			done(ref.size, fmt.Sprintf("chunk %s is missing (named by snapshot %s)", n, ref.by))
		case got != int64(ref.size)+sealOverhead:
			done(ref.size, fmt.Sprintf("chunk %s has %d bytes, want %d (named by snapshot %s)", n, got, int64(ref.size)+sealOverhead, ref.by))
		case full:
			g.Go(func() error {
				if _, err := r.fetchChunk(gctx, n, ref.size); err != nil {
					if gctx.Err() != nil {
						return gctx.Err()
					}
					done(ref.size, err.Error())
					return nil
				}
				done(ref.size, "")
				return nil
			})
		default:
			done(ref.size, "")
		}
	}
	if err := g.Wait(); err != nil {
		return rep, fmt.Errorf("verify: %w", err)
	}
	sort.Strings(rep.Problems)
	throt.report(pr, true)
	if len(rep.Problems) > 0 {
		return rep, fmt.Errorf("verify %s: %d problems, first: %s: %w", r.t, len(rep.Problems), rep.Problems[0], ErrCorrupt)
	}
	return rep, nil
}

// Retention says which snapshots Forget keeps.
type Retention struct {
	Daily, Monthly int // the newest snapshot of each of the last N days / M months
}

// Forget deletes the manifests of snapshots the policy does not keep and
// returns their ids. Days and months are calendar days and months in
// now's location, counting back from now's day (month): Daily 7 keeps the
// newest snapshot of each of the 7 days ending with today. The newest
// snapshot is always kept, and so are snapshots dated after now. Chunks
// are freed by a later Prune. Manifests that cannot be read are left alone.
func (r *Repo) Forget(ctx context.Context, keep Retention, now time.Time) (removed []string, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	all, _, err := r.loadAll(ctx)
	if err != nil {
		return nil, fmt.Errorf("forget: %w", err)
	}
	loc := now.Location()
	y, mo, d := now.Date()
	today := time.Date(y, mo, d, 0, 0, 0, 0, loc)
	thisMonth := time.Date(y, mo, 1, 0, 0, 0, 0, loc)
	firstDay := today.AddDate(0, 0, -(keep.Daily - 1))
	firstMonth := thisMonth.AddDate(0, -(keep.Monthly - 1), 0)
	keptDay := map[string]bool{}
	keptMonth := map[string]bool{}
	for i, l := range all { // newest first
		t := l.s.Time.In(loc)
		kept := i == 0 || t.After(now)
		if day := t.Format("2006-01-02"); keep.Daily > 0 && !t.Before(firstDay) && !keptDay[day] {
			keptDay[day], kept = true, true
		}
		if month := t.Format("2006-01"); keep.Monthly > 0 && !t.Before(firstMonth) && !keptMonth[month] {
			keptMonth[month], kept = true, true
		}
		if kept {
			continue
		}
		if err := r.t.Delete(ctx, manifestPrefix+l.s.ID); err != nil {
			return removed, fmt.Errorf("forget snapshot %s: %w", l.s.ID, err)
		}
		removed = append(removed, l.s.ID)
	}
	return removed, nil
}

// Prune deletes chunks no snapshot names. It refuses to run while any
// manifest cannot be read (it could not know what that one names), and
// leaves chunks younger than an hour (by the target's clock against ours)
// alone: a backup that was cut off may still come back for them. It fails
// with ErrBusy while a backup from another device runs (see lock.go);
// within one Repo, Backup and Prune never overlap. On a directory target
// it also removes temporary files older than an hour (left by a crash
// mid-Put); freed counts them.
func (r *Repo) Prune(ctx context.Context) (deletedChunks int, freed int64, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	lk, err := r.lock(ctx, "prune", "backup")
	if err != nil {
		return 0, 0, fmt.Errorf("prune: %w", err)
	}
	defer lk.unlock(ctx)
	all, bad, err := r.loadAll(ctx)
	if err != nil {
		return 0, 0, fmt.Errorf("prune: %w", err)
	}
	if len(bad) > 0 {
		return 0, 0, fmt.Errorf("prune: refusing while snapshots are unreadable (run backup verify): %w", errors.Join(bad...))
	}
	used := map[string]bool{}
	for _, l := range all {
		for _, it := range l.m.Items {
			for i := range it.Sizes {
				n, _ := it.chunk(i)
				used[n] = true
			}
		}
	}
	objs, err := r.t.List(ctx, dataPrefix)
	if err != nil {
		return 0, 0, fmt.Errorf("prune: %w", err)
	}
	cutoff := r.now().Add(-pruneGrace)
	for _, o := range objs {
		if used[o.Name] || o.Modified.After(cutoff) {
			continue
		}
		if err := r.t.Delete(ctx, o.Name); err != nil {
			return deletedChunks, freed, fmt.Errorf("prune: %w", err)
		}
		deletedChunks++
		freed += o.Size
	}
	// Temporary files of Puts cut off by a crash (directory target).
	if c, ok := r.t.(tempCleaner); ok {
		_, n, err := c.removeStaleTemp(ctx, cutoff)
		freed += n
		if err != nil {
			return deletedChunks, freed, fmt.Errorf("prune: %w", err)
		}
	}
	return deletedChunks, freed, nil
}
