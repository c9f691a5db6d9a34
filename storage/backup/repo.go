package backup

import (
	"context"
	"crypto/cipher"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"sort"
	"sync"
	"time"

	"github.com/restic/chunker"
)

// Chunking of repositories made before the header recorded a chunker
// (chunkerRabin; new ones: chunk.go): restic's Rabin chunker with a
// per-repository polynomial. Chunks are smaller than restic's (512 KiB-8 MiB, ~1 MiB): 256 KiB
// minimum, ~384 KiB average (256 KiB + 2^17), 2 MiB maximum. Smaller
// chunks re-upload a smaller tail when a large item grows (restic's sizes
// would put BenchmarkIncremental near its 3% limit: ~1.5 MiB of tail per
// 0.5 MB appended); a minimum twice the average gap between cut points
// lets the chunker skip hashing two thirds of the bytes (it starts looking
// for a cut only after the minimum), which doubled its throughput in
// BenchmarkDirThroughput over a 128 KiB minimum with the same average.
const (
	minChunkSize = 256 << 10
	maxChunkSize = 2 << 20
	averageBits  = 17

	sealVersion  = 1
	nonceSize    = 12
	sealOverhead = 1 + nonceSize + 16

	// pruneGrace: Prune leaves unreferenced chunks younger than this
	// alone, since a backup running elsewhere may be about to name them.
	pruneGrace = time.Hour
)

// Repo is an open repository. Its methods are safe for concurrent use;
// Backup, Forget and Prune run one at a time (mu).
type Repo struct {
	t      Target
	hdr    Header // guarded by hdrMu
	master repoKeys
	keys   cryptoKeys
	now    func() time.Time // injectable clock (tests)

	// Lock order: mu, then hdrMu.
	mu    sync.Mutex // serialises Backup, Forget, Prune and ChangeSecret
	hdrMu sync.Mutex // guards hdr; held only to read or swap it
}

// Init creates a repository in t opened by s. It fails with ErrExists if
// t already holds one.
func Init(ctx context.Context, t Target, s Secret) (*Repo, error) {
	if _, err := t.Get(ctx, configName); err == nil {
		return nil, fmt.Errorf("init backup in %s: %w", t, ErrExists)
	} else if !errors.Is(err, ErrNotFound) {
		return nil, fmt.Errorf("init backup in %s: %w", t, err)
	}
	return initFormat(ctx, t, s, newFormat)
}

// initFormat is Init of a repository of format f (tests make old ones).
func initFormat(ctx context.Context, t Target, s Secret, f repoFormat) (*Repo, error) {
	keys := repoKeys{master: make([]byte, masterKeyLen)}
	if f.Chunker == chunkerRabin {
		pol, err := chunker.RandomPolynomial()
		if err != nil {
			return nil, fmt.Errorf("init backup: %w", err)
		}
		keys.poly = uint64(pol)
	}
	if _, err := io.ReadFull(rand.Reader, keys.master); err != nil {
		return nil, fmt.Errorf("init backup: %w", err)
	}
	h, err := newHeader(s, keys, "", f)
	if err != nil {
		return nil, fmt.Errorf("init backup: %w", err)
	}
	if err := t.Put(ctx, configName, h.Marshal()); err != nil {
		return nil, fmt.Errorf("init backup in %s: %w", t, err)
	}
	return newRepo(t, h, keys), nil
}

func newRepo(t Target, h Header, k repoKeys) *Repo {
	return &Repo{t: t, hdr: h, master: k, keys: k.derive(h.h.RepoID, h.h.format()), now: time.Now}
}

// ChangeSecret makes s the secret that opens the repository, from now on
// instead of the old one: it rewrites only the config object (the data
// keys stay, so nothing is re-encrypted). s may be of the other kind
// (a passphrase instead of a recovery key, or back). Anyone holding the
// old config and the old secret can still decrypt the data: after a
// suspected leak, start a new repository instead.
func (r *Repo) ChangeSecret(ctx context.Context, s Secret) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	old := r.Header().h
	h, err := newHeader(s, r.master, old.RepoID, old.format())
	if err != nil {
		return fmt.Errorf("change backup secret: %w", err)
	}
	if err := r.t.Put(ctx, configName, h.Marshal()); err != nil {
		return fmt.Errorf("change backup secret in %s: %w (the old secret still opens it)", r.t, err)
	}
	r.hdrMu.Lock()
	r.hdr = h
	r.hdrMu.Unlock()
	return nil
}

// Open opens the repository in t with s. It reads only the "config"
// object; a wrong secret fails with ErrWrongKey after one KDF run.
func Open(ctx context.Context, t Target, s Secret) (*Repo, error) {
	b, err := t.Get(ctx, configName)
	if errors.Is(err, ErrNotFound) {
		return nil, fmt.Errorf("open backup: no backup repository in %s (check the location, or run backup init): %w", t, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("open backup in %s: %w", t, err)
	}
	h, err := ParseHeader(b)
	if err != nil {
		return nil, fmt.Errorf("open backup in %s: %w", t, err)
	}
	k, err := h.unwrap(s)
	if err != nil {
		return nil, err
	}
	if h.h.Chunker == chunkerRabin && chunker.Pol(k.poly).Deg() != 53 {
		return nil, fmt.Errorf("open backup: config: bad chunker polynomial: %w", ErrCorrupt)
	}
	return newRepo(t, h, k), nil
}

// Header returns the repository's public configuration (for CheckSecret).
func (r *Repo) Header() Header {
	r.hdrMu.Lock()
	defer r.hdrMu.Unlock()
	return r.hdr
}

// seal encrypts plain as object name: version || nonce || AEAD(plain, ad=name).
// Nonces are random 96-bit: with at most 2^32 objects under one key (1 PiB
// of chunks) the chance of a repeat stays below 2^-32.
func seal(aead cipher.AEAD, dst []byte, name string, plain []byte) ([]byte, error) {
	dst = append(dst[:0], sealVersion)
	dst = append(dst, make([]byte, nonceSize)...)
	if _, err := io.ReadFull(rand.Reader, dst[1:1+nonceSize]); err != nil {
		return nil, err
	}
	return aead.Seal(dst, dst[1:1+nonceSize], plain, []byte(name)), nil
}

func open(aead cipher.AEAD, dst []byte, name string, obj []byte) ([]byte, error) {
	if len(obj) < sealOverhead || obj[0] != sealVersion {
		return nil, fmt.Errorf("%s: not an encrypted object of this format: %w", name, ErrCorrupt)
	}
	plain, err := aead.Open(dst[:0], obj[1:1+nonceSize], obj[1+nonceSize:], []byte(name))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, ErrTampered)
	}
	return plain, nil
}

// progressThrottle calls fn at most every 100 ms, and always for final.
type progressThrottle struct {
	fn   func(Progress)
	last time.Time
}

func (p *progressThrottle) report(pr Progress, final bool) {
	if p.fn == nil {
		return
	}
	if now := time.Now(); final || now.Sub(p.last) >= 100*time.Millisecond {
		p.last = now
		p.fn(pr)
	}
}

// listSizes returns name → size of the objects under prefix.
func (r *Repo) listSizes(ctx context.Context, prefix string) (map[string]int64, error) {
	objs, err := r.t.List(ctx, prefix)
	if err != nil {
		return nil, err
	}
	m := make(map[string]int64, len(objs))
	for _, o := range objs {
		m[o.Name] = o.Size
	}
	return m, nil
}

// loadManifest reads and checks one manifest object.
func (r *Repo) loadManifest(ctx context.Context, name string) (manifestBody, Snapshot, error) {
	obj, err := r.t.Get(ctx, name)
	if err != nil {
		return manifestBody{}, Snapshot{}, fmt.Errorf("read snapshot: %w", err)
	}
	if len(obj) > maxManifestSize {
		return manifestBody{}, Snapshot{}, fmt.Errorf("%s: too large: %w", name, ErrCorrupt)
	}
	plain, err := open(r.keys.manifest, nil, name, obj)
	if err != nil {
		return manifestBody{}, Snapshot{}, fmt.Errorf("snapshot %w; run backup verify", err)
	}
	m, signer, err := decodeManifest(name, plain)
	if err != nil {
		return manifestBody{}, Snapshot{}, err
	}
	s := Snapshot{ID: m.ID, Time: m.Time, Meta: m.Meta, Signer: signer, Items: make([]ItemInfo, len(m.Items))}
	for i, it := range m.Items {
		s.Items[i] = ItemInfo{Name: it.Name, Size: it.Size}
	}
	return m, s, nil
}

type loadedSnapshot struct {
	m manifestBody
	s Snapshot
}

// loadAll reads every manifest. Unreadable ones are returned as errors
// beside the readable ones (sorted newest first).
func (r *Repo) loadAll(ctx context.Context) ([]loadedSnapshot, []error, error) {
	objs, err := r.t.List(ctx, manifestPrefix)
	if err != nil {
		return nil, nil, fmt.Errorf("list snapshots: %w", err)
	}
	var out []loadedSnapshot
	var bad []error
	for _, o := range objs {
		m, s, err := r.loadManifest(ctx, o.Name)
		if err != nil {
			if ctx.Err() != nil {
				return nil, nil, err
			}
			bad = append(bad, err)
			continue
		}
		out = append(out, loadedSnapshot{m, s})
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].s.Time.Equal(out[j].s.Time) {
			return out[i].s.Time.After(out[j].s.Time)
		}
		return out[i].s.ID > out[j].s.ID
	})
	return out, bad, nil
}

// Snapshots returns the repository's snapshots, newest first, each
// decrypted and its signature (if any) verified. If some manifests cannot
// be read it returns the others together with an error naming those.
func (r *Repo) Snapshots(ctx context.Context) ([]Snapshot, error) {
	all, bad, err := r.loadAll(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Snapshot, len(all))
	for i, l := range all {
		out[i] = l.s
	}
	if len(bad) > 0 {
		return out, fmt.Errorf("list snapshots: %w", errors.Join(bad...))
	}
	return out, nil
}
