package backup

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"fmt"
	"golang.org/x/sync/errgroup"
	"io"
	"sync"
	"time"
	"unicode/utf8"
)

// Item is one thing to back up, read as a stream.
type Item struct {
	Name string // unique in a snapshot, e.g. "acctlog", "media/<cid>"
	Size int64  // -1 if unknown (for progress only)
	Open func() (io.ReadCloser, error)
}

// BackupOptions tune Backup.
type BackupOptions struct {
	Time     time.Time         // snapshot time (zero: now)
	Meta     map[string]string // small, stored encrypted in the manifest
	Sign     ed25519.PrivateKey
	Progress func(Progress) // called at most ~10 times a second, and at the end
}

// Progress of a Backup, Restore or Verify. Bytes are plaintext bytes;
// Uploaded counts bytes sent to the target.
type Progress struct {
	Items, ItemsDone int
	Bytes, BytesDone int64
	Uploaded         int64
}

// Snapshot describes a stored snapshot.
type Snapshot struct {
	ID     string
	Time   time.Time
	Items  []ItemInfo
	Meta   map[string]string
	Signer ed25519.PublicKey // nil: unsigned
}

// ItemInfo names an item in a snapshot.
type ItemInfo struct {
	Name string
	Size int64
}

// Stats of one Backup.
type Stats struct {
	Items         int
	Bytes         int64 // plaintext bytes read
	Chunks        int   // chunk references in the snapshot
	NewChunks     int   // chunks uploaded by this run
	Uploaded      int64 // bytes sent, manifest included
	ManifestBytes int64
}

// workers hashing, sealing and uploading chunks: enough to keep a second
// core busy and a few uploads in flight on a slow link.
const backupWorkers = 4

// chunkBufs keeps buffers between backups (fresh memory costs a page
// fault per page on first use): for a chunk (maxChunkSize used) or a
// sealed one (sealOverhead more).
var chunkBufs = sync.Pool{New: func() any {
	b := make([]byte, sealOverhead+maxChunkSize)
	return &b
}}

type chunkJob struct {
	item, idx int
	buf       []byte // from the pool; data is buf[:n]
	n         int
}

// Backup stores items as a new snapshot. It lists data/ once, then streams
// each item through the chunker (this goroutine) to workers that name,
// encrypt and upload the chunks the target does not have yet; the manifest
// is written last, so the snapshot exists only once all its chunks do. A
// failed or cancelled run leaves earlier snapshots intact; the next run
// reuses the chunks this one uploaded.
func (r *Repo) Backup(ctx context.Context, items []Item, o BackupOptions) (Snapshot, Stats, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := checkItems(items, o.Meta); err != nil {
		return Snapshot{}, Stats{}, fmt.Errorf("backup: %w", err)
	}
	lk, err := r.lock(ctx, "backup", "prune")
	if err != nil {
		return Snapshot{}, Stats{}, fmt.Errorf("backup: %w", err)
	}
	defer lk.unlock(ctx)
	known, err := r.listSizes(ctx, dataPrefix)
	if err != nil {
		return Snapshot{}, Stats{}, fmt.Errorf("backup: %w", err)
	}
	// Temporary files of a run killed before it committed them.
	if c, ok := r.t.(tempCleaner); ok {
		if _, _, err := c.removeStaleTemp(ctx, r.now().Add(-pruneGrace)); err != nil {
			return Snapshot{}, Stats{}, fmt.Errorf("backup: %w", err)
		}
	}

	var (
		mu    sync.Mutex // guards man, known, st, pr
		man   = make([]manifestItem, len(items))
		st    = Stats{Items: len(items)}
		pr    = Progress{Items: len(items)}
		throt = progressThrottle{fn: o.Progress}
	)
	for _, it := range items {
		if it.Size > 0 {
			pr.Bytes += it.Size
		}
	}
	sink := newChunkSink(r.t)
	g, gctx := errgroup.WithContext(ctx)
	jobs := make(chan chunkJob, backupWorkers)
	pool := make(chan []byte, 2*backupWorkers+1)
	for range cap(pool) {
		pool <- nil // allocated on first use
	}
	for range backupWorkers {
		g.Go(func() error {
			sb := chunkBufs.Get().(*[]byte)
			defer chunkBufs.Put(sb)
			sealed := (*sb)[:0] // never grows
			var id []byte
			h := r.keys.newNameHash()
			for j := range jobs {
				data := j.buf[:j.n]
				id = chunkID(h, id[:0], data)
				name := dataPrefix + hex.EncodeToString(id)
				want := int64(j.n + sealOverhead)
				mu.Lock()
				copy(man[j.item].Chunks[j.idx*idLen:], id)
				man[j.item].Sizes[j.idx] = uint32(j.n)
				size, have := known[name]
				upload := !have || size != want // a short or damaged copy is replaced
				if upload {
					known[name] = want
				}
				mu.Unlock()
				if upload {
					var err error
					if sealed, err = seal(r.keys.data, sealed, name, data); err != nil {
						return err
					}
					if err := sink.put(gctx, name, sealed); err != nil {
						return fmt.Errorf("upload chunk: %w", err)
					}
				}
				mu.Lock()
				if upload {
					st.NewChunks++
					st.Uploaded += int64(len(sealed))
					pr.Uploaded += int64(len(sealed))
				}
				pr.BytesDone += int64(j.n)
				throt.report(pr, false)
				mu.Unlock()
				pool <- j.buf
			}
			return nil
		})
	}
	g.Go(func() error {
		defer close(jobs)
		ch, err := r.keys.newCutter()
		if err != nil {
			return err
		}
		defer ch.release()
		for i, it := range items {
			rc, err := it.Open()
			if err != nil {
				return fmt.Errorf("open item %q: %w", it.Name, err)
			}
			err = r.chunkItem(gctx, ch, rc, i, it.Name, jobs, pool, &mu, man, &st)
			rc.Close()
			if err != nil {
				return err
			}
			mu.Lock()
			pr.ItemsDone++
			mu.Unlock()
		}
		return nil
	})
	err = g.Wait()
	close(pool)
	for b := range pool {
		if b != nil {
			chunkBufs.Put(&b)
		}
	}
	if cerr := sink.close(); err == nil {
		err = cerr // the chunks are durable only now
	}
	if err != nil {
		return Snapshot{}, Stats{}, fmt.Errorf("backup to %s: %w (earlier snapshots are intact; the next backup resumes)", r.t, err)
	}

	t := o.Time
	if t.IsZero() {
		t = r.now()
	}
	id, err := newSnapshotID(t)
	if err != nil {
		return Snapshot{}, Stats{}, fmt.Errorf("backup: %w", err)
	}
	body := manifestBody{V: formatVersion, ID: id, Time: t.UTC().Round(0), Meta: o.Meta, Items: man}
	plain, err := encodeManifest(body, o.Sign)
	if err != nil {
		return Snapshot{}, Stats{}, fmt.Errorf("backup: %w", err)
	}
	name := manifestPrefix + id
	obj, err := seal(r.keys.manifest, nil, name, plain)
	if err != nil {
		return Snapshot{}, Stats{}, fmt.Errorf("backup: %w", err)
	}
	if len(obj) > maxManifestSize {
		return Snapshot{}, Stats{}, fmt.Errorf("backup: manifest of %d bytes exceeds %d; back up fewer items", len(obj), maxManifestSize)
	}
	if err := r.t.Put(ctx, name, obj); err != nil {
		return Snapshot{}, Stats{}, fmt.Errorf("backup: write snapshot %s to %s: %w (earlier snapshots are intact; the next backup resumes)", name, r.t, err)
	}
	st.ManifestBytes = int64(len(obj))
	st.Uploaded += st.ManifestBytes
	pr.Uploaded += st.ManifestBytes
	pr.ItemsDone = len(items)
	throt.report(pr, true)

	snap := Snapshot{ID: id, Time: body.Time, Meta: o.Meta, Items: make([]ItemInfo, len(man))}
	if o.Sign != nil {
		snap.Signer = o.Sign.Public().(ed25519.PublicKey)
	}
	for i, it := range man {
		snap.Items[i] = ItemInfo{Name: it.Name, Size: it.Size}
	}
	return snap, st, nil
}

// chunkItem cuts one item and hands its chunks to the workers.
func (r *Repo) chunkItem(ctx context.Context, ch cutter, rd io.Reader, item int, name string,
	jobs chan<- chunkJob, pool chan []byte, mu *sync.Mutex, man []manifestItem, st *Stats) error {
	ch.reset(rd)
	mu.Lock()
	man[item] = manifestItem{Name: name, Chunks: []byte{}, Sizes: []uint32{}}
	mu.Unlock()
	for idx := 0; ; idx++ {
		var buf []byte
		select {
		case buf = <-pool:
		case <-ctx.Done():
			return ctx.Err()
		}
		if buf == nil {
			buf = (*chunkBufs.Get().(*[]byte))[:maxChunkSize]
		}
		n, err := ch.next(buf)
		if err == io.EOF {
			pool <- buf
			return nil
		}
		if err != nil {
			pool <- buf
			return fmt.Errorf("read item %q: %w", name, err)
		}
		mu.Lock()
		it := &man[item]
		it.Chunks = append(it.Chunks, make([]byte, idLen)...)
		it.Sizes = append(it.Sizes, 0)
		it.Size += int64(n)
		st.Chunks++
		st.Bytes += int64(n)
		mu.Unlock()
		select {
		case jobs <- chunkJob{item: item, idx: idx, buf: buf, n: n}:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func checkItems(items []Item, meta map[string]string) error {
	seen := make(map[string]bool, len(items))
	if len(items) > maxItems {
		return fmt.Errorf("%d items, at most %d", len(items), maxItems)
	}
	for _, it := range items {
		if err := checkItemName(it.Name); err != nil {
			return err
		}
		if seen[it.Name] {
			return fmt.Errorf("item %q given twice", it.Name)
		}
		seen[it.Name] = true
		if it.Open == nil {
			return fmt.Errorf("item %q: no Open function", it.Name)
		}
	}
	if len(meta) > maxMetaEntries {
		return fmt.Errorf("%d meta entries, at most %d", len(meta), maxMetaEntries)
	}
	for k, v := range meta {
		if len(k) > maxMetaKey || len(v) > maxMetaValue || !utf8.ValidString(k) || !utf8.ValidString(v) {
			return fmt.Errorf("meta %q: key at most %d bytes, value at most %d, UTF-8", k, maxMetaKey, maxMetaValue)
		}
	}
	return nil
}
