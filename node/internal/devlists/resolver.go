package devlists

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/routing"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/e2e"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/storage"
)

// Store is where device lists are kept, narrowed to the resolver's use.
type Store interface {
	DeviceList(ctx context.Context, a storage.Account) ([]byte, error)
	// PutDeviceList refuses a list older than the one stored
	// (storage.ErrStale).
	PutDeviceList(ctx context.Context, a storage.Account, raw []byte) error
}

// DHTGetter looks records up in the DHT.
type DHTGetter interface {
	GetValue(ctx context.Context, key string, opts ...routing.Option) ([]byte, error)
}

// Resolver finds and caches device lists: memory, then the store, then the
// DHT. Only verified records are cached, and never an older version over a
// newer one.
type Resolver struct {
	store   Store
	dht     DHTGetter
	log     *slog.Logger
	learned []func(*identity.DeviceList) // set before use, read-only after

	mu      sync.Mutex // guards lists, certs and fetched; a leaf lock
	lists   map[identity.AccountID]*identity.DeviceList
	certs   map[e2e.Address]*identity.Certificate // from prekey messages
	fetched map[identity.AccountID]time.Time      // last DHT lookup
}

// NewResolver makes a resolver over the store and the DHT (node calls
// this).
func NewResolver(st Store, dht DHTGetter, log *slog.Logger) *Resolver {
	return &Resolver{
		store: st, dht: dht, log: log,
		lists:   make(map[identity.AccountID]*identity.DeviceList),
		certs:   make(map[e2e.Address]*identity.Certificate),
		fetched: make(map[identity.AccountID]time.Time),
	}
}

// OnLearned adds f to the hooks called (in the order added) whenever a
// list that is new or newer than the one cached is cached. f must not
// block. Node registers the hooks before Start; not safe for concurrent
// use with lookups.
func (r *Resolver) OnLearned(f func(*identity.DeviceList)) { r.learned = append(r.learned, f) }

// Get returns the device list of a. With refresh it asks the DHT even when
// a cached list exists (at most every rt.MinRefresh), falling back to the
// cache.
func (r *Resolver) Get(ctx context.Context, acct core.AccountID, refresh bool) (*identity.DeviceList, error) {
	a := identity.AccountID(acct)
	r.mu.Lock()
	cached := r.lists[a]
	recent := time.Since(r.fetched[a]) < rt.MinRefresh
	r.mu.Unlock()
	if cached == nil {
		cached = r.stored(ctx, a)
	}
	if cached != nil && (!refresh || recent) {
		return cached, nil
	}
	l, err := r.Fetch(ctx, acct)
	if err != nil {
		if cached != nil {
			return cached, nil
		}
		if l := r.fromCerts(a); l != nil {
			return l, nil
		}
		return nil, err
	}
	return l, nil
}

// fromCerts returns, when the DHT has no list of a's (its DHT server just
// restarted, say) and none is cached, a list of the devices of a whose
// certificates this node verified (from their prekey messages): enough to
// answer someone who has written to us. Each certificate is signed by the
// account key, as a list is; the list is neither cached nor stored, so the
// real one replaces it as soon as the DHT has it.
func (r *Resolver) fromCerts(a identity.AccountID) *identity.DeviceList {
	r.mu.Lock()
	defer r.mu.Unlock()
	var l *identity.DeviceList
	for k, c := range r.certs {
		if k.Account == a {
			if l == nil {
				l = &identity.DeviceList{Account: a}
			}
			l.Devices = append(l.Devices, identity.Device{Cert: c})
		}
	}
	if l != nil {
		slices.SortFunc(l.Devices, func(x, y identity.Device) int { return cmp.Compare(x.Cert.DeviceID, y.Cert.DeviceID) })
	}
	return l
}

// Fetch looks a's list up in the DHT, past the cache (which it updates
// when the DHT's is newer), and returns the list now current.
func (r *Resolver) Fetch(ctx context.Context, acct core.AccountID) (*identity.DeviceList, error) {
	a := identity.AccountID(acct)
	r.mu.Lock()
	r.fetched[a] = time.Now()
	r.mu.Unlock()
	ctx, cancel := context.WithTimeout(ctx, rt.LookupTimeout)
	defer cancel()
	raw, err := r.dht.GetValue(ctx, identity.DeviceListKey(a))
	if err != nil {
		if errors.Is(err, routing.ErrNotFound) || errors.Is(err, context.DeadlineExceeded) {
			return nil, fmt.Errorf("%w %s, or not published yet: check the ID, or try again in a minute", core.ErrUnknownAccount, a.Short())
		}
		return nil, fmt.Errorf("look up %s: %w", a.Short(), err)
	}
	l, err := identity.OpenDeviceList(raw)
	if err != nil || l.Account != a {
		return nil, fmt.Errorf("look up %s: invalid device list: %v", a.Short(), err)
	}
	// The DHT may hand back an older list than one we hold (a node that
	// missed the last put): the newer one stays.
	kept, err := r.Accept(ctx, l, raw)
	if kept == nil {
		r.log.Warn("cache device list", "err", err)
		kept = r.keep(l)
	}
	return kept, nil
}

// Accept keeps l, a verified list (raw as received), when it is newer than
// the one this node holds: the store compares versions and sets in one
// transaction, so an older list is refused whoever offers it, and the
// cache follows the store. It returns the list now current for l's
// account; with an older l, that list and an error wrapping
// storage.ErrStale.
func (r *Resolver) Accept(ctx context.Context, l *identity.DeviceList, raw []byte) (*identity.DeviceList, error) {
	err := r.store.PutDeviceList(ctx, storage.Account(l.Account), raw)
	if errors.Is(err, storage.ErrStale) {
		// The store holds a newer one (the cache may not: after a
		// restart it starts empty).
		if cur := r.stored(ctx, l.Account); cur != nil {
			return cur, err
		}
	}
	if err != nil {
		return nil, err
	}
	return r.keep(l), nil
}

// stored loads a's list from the store into the cache (unless a newer one
// is cached) and returns the cached one; nil when none is stored.
func (r *Resolver) stored(ctx context.Context, a identity.AccountID) *identity.DeviceList {
	raw, err := r.store.DeviceList(ctx, storage.Account(a))
	if err != nil {
		return nil
	}
	l, err := identity.OpenDeviceList(raw)
	if err != nil || l.Account != a {
		return nil
	}
	return r.keep(l)
}

// keep caches l unless a newer version is cached, and returns the cached
// one. A list newly cached goes to the OnLearned hooks.
func (r *Resolver) keep(l *identity.DeviceList) *identity.DeviceList {
	r.mu.Lock()
	if old := r.lists[l.Account]; old != nil && old.Version >= l.Version {
		r.mu.Unlock()
		return old
	}
	r.lists[l.Account] = l
	r.mu.Unlock()
	for _, f := range r.learned {
		f(l)
	}
	return l
}

// Cached returns the device list of a if it is in memory, without any I/O.
func (r *Resolver) Cached(a core.AccountID) *identity.DeviceList {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.lists[identity.AccountID(a)]
}

// Known returns a's device list when one is at hand (in memory or in the
// store), without asking the DHT.
func (r *Resolver) Known(ctx context.Context, a core.AccountID) *identity.DeviceList {
	r.mu.Lock()
	l := r.lists[identity.AccountID(a)]
	r.mu.Unlock()
	if l != nil {
		return l
	}
	return r.stored(ctx, identity.AccountID(a))
}

// Remember caches a list this node signed itself.
func (r *Resolver) Remember(raw []byte) {
	if l, err := identity.OpenDeviceList(raw); err == nil {
		r.keep(l)
	}
}

// Cert returns a remembered certificate of a device.
func (r *Resolver) Cert(a core.AccountID, device uint32) *identity.Certificate {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.certs[e2e.Address{Account: identity.AccountID(a), Device: device}]
}

// RememberCert keeps a verified device certificate.
func (r *Resolver) RememberCert(c *identity.Certificate) {
	r.mu.Lock()
	defer r.mu.Unlock()
	k := e2e.Address{Account: c.Account, Device: c.DeviceID}
	if old := r.certs[k]; old == nil || !old.IssuedAt.After(c.IssuedAt) {
		r.certs[k] = c
	}
}

// LastLookup returns when a's list was last looked up in the DHT (zero:
// never); for tests and diagnostics.
func (r *Resolver) LastLookup(a core.AccountID) time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.fetched[identity.AccountID(a)]
}

// Forget drops a's list from memory, as a restart does (the stored one
// stays); for tests.
func (r *Resolver) Forget(a core.AccountID) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.lists, identity.AccountID(a))
}
