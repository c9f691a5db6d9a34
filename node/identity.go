package node

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/routing"
	ma "github.com/multiformats/go-multiaddr"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/e2e"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/storage"
	"github.com/pigeon-net/pigeon/storage/badger"
)

// firstDevice is the device number of the device that creates an account.
const firstDevice = 1

// loadOrCreateIdentity returns the stored identity, creating the account
// and first device when there is none.
// A non-nil accountSeed restores an existing account on this new device.
func loadOrCreateIdentity(ctx context.Context, st *badger.Store, accountSeed []byte) (*storage.LocalIdentity, bool, error) {
	local, err := st.LocalIdentity(ctx)
	if err == nil {
		return local, false, nil
	}
	if !errors.Is(err, storage.ErrNotFound) {
		return nil, false, fmt.Errorf("load identity: %w", err)
	}
	acct, err := identity.NewAccount()
	if accountSeed != nil {
		acct, err = identity.AccountFromSeed(accountSeed)
	}
	if err != nil {
		return nil, false, err
	}
	peerKey, _, err := crypto.GenerateEd25519Key(nil)
	if err != nil {
		return nil, false, fmt.Errorf("create peer key: %w", err)
	}
	pid, err := peer.IDFromPrivateKey(peerKey)
	if err != nil {
		return nil, false, err
	}
	rawPeerKey, err := crypto.MarshalPrivateKey(peerKey)
	if err != nil {
		return nil, false, err
	}
	keys, err := e2e.GenerateLocalKeys()
	if err != nil {
		return nil, false, err
	}
	pub := keys.IdentityKeyPair.PublicKey().Serialize()
	priv := keys.IdentityKeyPair.PrivateKey().Serialize()
	cert, err := acct.IssueCertificate(firstDevice, pid, pub, time.Now())
	if err != nil {
		return nil, false, err
	}
	rawCert, err := proto.Marshal(cert)
	if err != nil {
		return nil, false, err
	}
	local = &storage.LocalIdentity{
		AccountSeed:    acct.Seed(),
		DeviceID:       firstDevice,
		PeerKey:        rawPeerKey,
		SignalPublic:   pub,
		SignalPrivate:  priv[:],
		RegistrationID: keys.RegistrationID,
		Certificate:    rawCert,
	}
	if err := st.SaveLocalIdentity(ctx, local); err != nil {
		return nil, false, fmt.Errorf("save identity: %w", err)
	}
	return local, true, nil
}

// publishInterval is how often the device list and the prekey bundle are
// re-published (DHT records expire after 48 hours) and the signed prekey is
// checked for rotation.
const publishInterval = 30 * time.Minute

// publishLoop signs and publishes this account's device list and this
// device's prekey bundle (signed prekey and last-resort key, for senders
// that cannot reach the device to fetch a one-time prekey), retrying until
// the DHT accepts them, again whenever the listen addresses change, and
// every publishInterval.
func (n *Node) publishLoop(ctx context.Context) {
	log := n.log.With("sub", "publish")
	backoff := newBackoff(100*time.Millisecond, time.Minute)
	var published []ma.Multiaddr
	var list, bundle []byte
	next := time.Now()
	// The DHT keeps a record at the peers closest to its key when it is
	// put; peers that join later and are closer do not get it, and a
	// lookup that meets only them comes back empty. While this node is
	// young (its routing table filling, or the network around it), put the
	// records again at doubling intervals: 5 s, 10 s, 20 s, ... up to
	// publishInterval.
	started := time.Now()
	for {
		addrs := append(n.host.Addrs(), n.relays.CircuitAddrs()...)
		if list == nil || !sameAddrs(addrs, published) || !time.Now().Before(next) {
			var err error
			if list, err = n.signDeviceList(ctx, addrs); err == nil {
				bundle, err = n.publishedBundle(ctx)
			}
			if err != nil {
				log.Error("sign records", "err", err)
				list = nil
				if !sleepCtx(ctx, backoff.next()) {
					return
				}
				continue
			}
			published = addrs
			next = time.Now()
		}
		if !time.Now().Before(next) {
			pctx, cancel := context.WithTimeout(ctx, 30*time.Second)
			err := n.dht.PutValue(pctx, identity.DeviceListKey(n.self), list)
			if err == nil {
				err = n.dht.PutValue(pctx, e2e.BundleKey(e2e.Address{Account: n.self, Device: n.device}), bundle)
			}
			cancel()
			if err != nil {
				log.Debug("publish records", "err", err)
				next = time.Now().Add(backoff.next())
			} else {
				log.Debug("records published")
				backoff.reset()
				next = time.Now().Add(min(max(time.Since(started), 5*time.Second), publishInterval))
			}
		}
		t := time.NewTimer(min(time.Until(next), 2*time.Second))
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		case <-n.republish:
			t.Stop()
			next = time.Now()
		}
	}
}

// publishedBundle rotates the signed prekey when due, refills one-time
// prekeys, and returns the signed bundle record to publish.
func (n *Node) publishedBundle(ctx context.Context) ([]byte, error) {
	if err := n.e2e.Init(ctx); err != nil {
		return nil, err
	}
	_, rec, err := n.e2e.PublishedBundle(ctx)
	return rec, err
}

// signDeviceList makes the next version of this account's device list.
func (n *Node) signDeviceList(ctx context.Context, addrs []ma.Multiaddr) ([]byte, error) {
	var raw []byte
	err := n.store.Update(ctx, func(ctx context.Context) error {
		local, err := n.store.LocalIdentity(ctx)
		if err != nil {
			return err
		}
		// Versions are at least the current Unix time in milliseconds, so a
		// restored account on a fresh home still outranks its old records.
		local.DeviceListVersion = max(local.DeviceListVersion+1, uint64(time.Now().UnixMilli()))
		list := &identity.DeviceList{
			Account:  n.self,
			Version:  local.DeviceListVersion,
			Devices:  []identity.Device{{Cert: n.cert, Addrs: addrs}},
			Relays:   n.relays.MailboxAddrs(),
			IssuedAt: time.Now(),
		}
		if raw, err = n.account.SignDeviceList(list); err != nil {
			return err
		}
		if err := n.store.PutDeviceList(ctx, storageAccount(n.self), raw); err != nil {
			return err
		}
		return n.store.SaveLocalIdentity(ctx, local)
	})
	if err != nil {
		return nil, err
	}
	n.resolver.remember(n.self, raw)
	return raw, nil
}

func sameAddrs(a, b []ma.Multiaddr) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !a[i].Equal(b[i]) {
			return false
		}
	}
	return true
}

// resolver finds and caches device lists: memory, then the store, then the
// DHT. Only verified records are cached, and never an older version over a
// newer one.
type resolver struct {
	n *Node

	mu      sync.Mutex // guards lists, certs and fetched
	lists   map[identity.AccountID]*identity.DeviceList
	certs   map[e2e.Address]*identity.Certificate // from prekey messages
	fetched map[identity.AccountID]time.Time      // last DHT lookup
}

func newResolver(n *Node) *resolver {
	return &resolver{
		n:       n,
		lists:   make(map[identity.AccountID]*identity.DeviceList),
		certs:   make(map[e2e.Address]*identity.Certificate),
		fetched: make(map[identity.AccountID]time.Time),
	}
}

// lookupTimeout bounds one DHT lookup.
const lookupTimeout = 10 * time.Second

// minRefresh rate-limits forced DHT lookups per account.
const minRefresh = 500 * time.Millisecond

// get returns the device list of a. With refresh it asks the DHT even when a
// cached list exists (at most every minRefresh), falling back to the cache.
func (r *resolver) get(ctx context.Context, a identity.AccountID, refresh bool) (*identity.DeviceList, error) {
	r.mu.Lock()
	cached := r.lists[a]
	recent := time.Since(r.fetched[a]) < minRefresh
	r.mu.Unlock()
	if cached == nil {
		cached = r.stored(ctx, a)
	}
	if cached != nil && (!refresh || recent) {
		return cached, nil
	}
	l, err := r.fetch(ctx, a)
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
func (r *resolver) fromCerts(a identity.AccountID) *identity.DeviceList {
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

func (r *resolver) fetch(ctx context.Context, a identity.AccountID) (*identity.DeviceList, error) {
	r.mu.Lock()
	r.fetched[a] = time.Now()
	r.mu.Unlock()
	ctx, cancel := context.WithTimeout(ctx, lookupTimeout)
	defer cancel()
	raw, err := r.n.dht.GetValue(ctx, identity.DeviceListKey(a))
	if err != nil {
		if errors.Is(err, routing.ErrNotFound) || errors.Is(err, context.DeadlineExceeded) {
			return nil, fmt.Errorf("%w %s, or not published yet: check the ID, or try again in a minute", ErrUnknownAccount, a.Short())
		}
		return nil, fmt.Errorf("look up %s: %w", a.Short(), err)
	}
	l, err := identity.OpenDeviceList(raw)
	if err != nil || l.Account != a {
		return nil, fmt.Errorf("look up %s: invalid device list: %v", a.Short(), err)
	}
	// The DHT may hand back an older list than one we hold (a node that
	// missed the last put): the newer one stays.
	kept, err := r.accept(ctx, l, raw)
	if kept == nil {
		r.n.log.Warn("cache device list", "err", err)
		kept = r.keep(l)
	}
	return kept, nil
}

// accept keeps l, a verified list (raw as received), when it is newer than
// the one this node holds: the store compares versions and sets in one
// transaction, so an older list is refused whoever offers it, and the
// cache follows the store. It returns the list now current for l's
// account; with an older l, that list and an error wrapping
// storage.ErrStale.
func (r *resolver) accept(ctx context.Context, l *identity.DeviceList, raw []byte) (*identity.DeviceList, error) {
	err := r.n.store.PutDeviceList(ctx, storageAccount(l.Account), raw)
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
func (r *resolver) stored(ctx context.Context, a identity.AccountID) *identity.DeviceList {
	raw, err := r.n.store.DeviceList(ctx, storageAccount(a))
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
// one. A list newly cached has its relays dialled as DHT peers
// (learnRelays) and goes to listLearned.
func (r *resolver) keep(l *identity.DeviceList) *identity.DeviceList {
	r.mu.Lock()
	if old := r.lists[l.Account]; old != nil && old.Version >= l.Version {
		r.mu.Unlock()
		return old
	}
	r.lists[l.Account] = l
	r.mu.Unlock()
	r.n.learnRelays(l)
	r.n.listLearned(l)
	return l
}

// cached returns the device list of a if it is in memory, without any I/O.
func (r *resolver) cached(a identity.AccountID) *identity.DeviceList {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.lists[a]
}

// known returns a's device list when one is at hand (in memory or in the
// store), without asking the DHT.
func (r *resolver) known(ctx context.Context, a identity.AccountID) *identity.DeviceList {
	r.mu.Lock()
	l := r.lists[a]
	r.mu.Unlock()
	if l != nil {
		return l
	}
	return r.stored(ctx, a)
}

// remember caches a list this node signed itself.
func (r *resolver) remember(a identity.AccountID, raw []byte) {
	if l, err := identity.OpenDeviceList(raw); err == nil {
		r.keep(l)
	}
}

// cert returns a remembered certificate of a device.
func (r *resolver) cert(a identity.AccountID, device uint32) *identity.Certificate {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.certs[e2e.Address{Account: a, Device: device}]
}

// rememberCert keeps a verified device certificate.
func (r *resolver) rememberCert(c *identity.Certificate) {
	r.mu.Lock()
	defer r.mu.Unlock()
	k := e2e.Address{Account: c.Account, Device: c.DeviceID}
	if old := r.certs[k]; old == nil || !old.IssuedAt.After(c.IssuedAt) {
		r.certs[k] = c
	}
}
