package devlists

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/routing"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/acctlog"
	"github.com/pigeon-net/pigeon/protocol/e2e"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

// PublishInterval is how often the device list and the prekey bundle are
// re-published (DHT records expire after 48 hours) and the signed prekey
// is checked for rotation.
const PublishInterval = 30 * time.Minute

// PublisherDeps is what the Publisher gets from node (wiring).
type PublisherDeps struct {
	// Account signs the list; nil on a linked device that does not hold
	// the account key, which publishes the list the key holder signed as
	// it is.
	Account *identity.Account
	Device  uint32                // this device
	Cert    *identity.Certificate // this device's certificate
	Store   PublisherStore
	DHT     DHTPutter
	Addrs   func() []ma.Multiaddr // the host's listen addresses
	Bundles Bundles               // the Signal session manager
	// Resolver caches the lists this device signs.
	Resolver *Resolver
	Relays   Relays
	Log      *slog.Logger
}

// PublisherStore is the store, narrowed to what signing a list uses.
type PublisherStore interface {
	Store
	Update(ctx context.Context, fn func(ctx context.Context) error) error
	LocalIdentity(ctx context.Context) (*storage.LocalIdentity, error)
	SaveLocalIdentity(ctx context.Context, id *storage.LocalIdentity) error
	// Vector is the account log's vector: what this device holds of each
	// device's operations (a revocation keeps the revoked device's).
	Vector(ctx context.Context) (acctlog.Vector, error)
}

// DHTPutter puts records into the DHT.
type DHTPutter interface {
	PutValue(ctx context.Context, key string, value []byte, opts ...routing.Option) error
}

// Bundles makes this device's prekey bundle record.
type Bundles interface {
	// Init rotates the signed prekey when due and refills one-time
	// prekeys.
	Init(ctx context.Context) error
	PublishedBundle(ctx context.Context) (*pb.PreKeyBundle, []byte, error)
}

// Relays is what the list needs of the node's own relays (the relays
// feature).
type Relays interface {
	CircuitAddrs() []ma.Multiaddr // published as the device's addresses
	MailboxAddrs() []string       // the relays senders deposit at
	Signal()                      // our list's mailbox relays changed: register again
}

// Publisher signs and publishes this account's device list and this
// device's prekey bundle, and follows the version of our own list that
// first named our current mailbox relays.
type Publisher struct {
	d         PublisherDeps
	self      identity.AccountID
	republish chan struct{} // cap 1: publish now

	mu     sync.Mutex // guards the fields below; a leaf lock
	relays []string
	// version is the version of our list that first named relays; until
	// the DHT took a version at least as new (published), relays are
	// told the one before (prev): a relay that demanded a version nobody
	// can fetch yet would refuse every sender's deposit while this
	// device is away.
	version, prev, published uint64
}

// NewPublisher makes a publisher (node calls this); it does no I/O.
func NewPublisher(d PublisherDeps) *Publisher {
	return &Publisher{d: d, self: d.Cert.Account, republish: make(chan struct{}, 1)}
}

// Load starts from the list this device last signed (node calls this in
// Start).
func (p *Publisher) Load(ctx context.Context) {
	raw, err := p.d.Store.DeviceList(ctx, storage.Account(p.self))
	if err != nil {
		return
	}
	if l, err := identity.OpenDeviceList(raw); err == nil && l.Account == p.self {
		// Whether the DHT took it is not known: relays hear of it once
		// it is published again (until then, 0: no deposit is refused
		// as stale).
		p.mu.Lock()
		p.relays, p.version = l.Relays, l.Version
		p.mu.Unlock()
	}
}

// Learned takes a list the resolver learned (an OnLearned hook): for this
// account's own, it notes a version that names new mailbox relays, and
// has the relays register it. Relays refuse deposits naming an older
// version (their senders' lists may name relays we dropped), and acks of
// envelopes naming an older one say it.
func (p *Publisher) Learned(l *identity.DeviceList) {
	if l.Account != p.self {
		return
	}
	p.mu.Lock()
	changed := l.Version > p.version && !slices.Equal(l.Relays, p.relays)
	if changed {
		p.prev = p.listVersion()
		p.relays, p.version = slices.Clone(l.Relays), l.Version
	}
	p.mu.Unlock()
	if changed {
		p.d.Relays.Signal() // register the new version with every relay
	}
}

// ListVersion is the version of the device list that first named this
// account's current mailbox relays (0: none yet). Acks of envelopes
// naming an older one tell their senders to fetch the list again: a
// sender that finds it not yet published tries again later.
func (p *Publisher) ListVersion() uint64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.version
}

// RegisteredVersion is the version relays are told (they refuse deposits
// naming an older one): ListVersion once the DHT has a version at least
// as new, before that the version they were told before it (0: none). A
// relay must not demand a list its senders cannot fetch: the device may
// go away before it publishes.
func (p *Publisher) RegisteredVersion() uint64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.listVersion()
}

func (p *Publisher) listVersion() uint64 {
	if p.version <= p.published {
		return p.version
	}
	return p.prev
}

// notePublished records that the DHT took version v of our list; when
// that makes a newer version the one relays are told, they hear it.
func (p *Publisher) notePublished(v uint64) {
	p.mu.Lock()
	before := p.listVersion()
	p.published = max(p.published, v)
	changed := p.listVersion() != before
	p.mu.Unlock()
	if changed {
		p.d.Relays.Signal() // register the version senders can now fetch
	}
}

// Republish has Run publish the records now (a relay or bootstrap peer
// reconnected and may have lost them, or the relays changed). It does not
// block.
func (p *Publisher) Republish() {
	select {
	case p.republish <- struct{}{}:
	default:
	}
}

// Run signs and publishes this account's device list and this device's
// prekey bundle (signed prekey and last-resort key, for senders that
// cannot reach the device to fetch a one-time prekey), retrying until the
// DHT accepts them, again whenever the listen addresses change, and every
// PublishInterval, until ctx ends. Node runs it on its goroutine owner.
func (p *Publisher) Run(ctx context.Context) {
	log := p.d.Log.With("sub", "publish")
	backoff := rt.NewBackoff(100*time.Millisecond, time.Minute)
	var published []ma.Multiaddr
	var list, bundle []byte
	next := time.Now()
	// The DHT keeps a record at the peers closest to its key when it is
	// put; peers that join later and are closer do not get it, and a
	// lookup that meets only them comes back empty. While this node is
	// young (its routing table filling, or the network around it), put the
	// records again at doubling intervals: 5 s, 10 s, 20 s, ... up to
	// PublishInterval.
	started := time.Now()
	for {
		addrs := append(p.d.Addrs(), p.d.Relays.CircuitAddrs()...)
		if list == nil || !sameAddrs(addrs, published) || !time.Now().Before(next) {
			var err error
			if list, err = p.signDeviceList(ctx, addrs); err == nil {
				bundle, err = p.publishedBundle(ctx)
			}
			if err != nil {
				log.Error("sign records", "err", err)
				list = nil
				if !rt.Sleep(ctx, backoff.Next()) {
					return
				}
				continue
			}
			published = addrs
			next = time.Now()
		}
		if !time.Now().Before(next) {
			pctx, cancel := context.WithTimeout(ctx, 30*time.Second)
			err := p.d.DHT.PutValue(pctx, identity.DeviceListKey(p.self), list)
			if err == nil {
				err = p.d.DHT.PutValue(pctx, e2e.BundleKey(e2e.Address{Account: p.self, Device: p.d.Device}), bundle)
			}
			cancel()
			if err != nil {
				log.Debug("publish records", "err", err)
				next = time.Now().Add(backoff.Next())
			} else {
				log.Debug("records published")
				if l, err := identity.OpenDeviceList(list); err == nil {
					p.notePublished(l.Version)
				}
				backoff.Reset()
				next = time.Now().Add(min(max(time.Since(started), 5*time.Second), PublishInterval))
			}
		}
		t := time.NewTimer(min(time.Until(next), 2*time.Second))
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		case <-p.republish:
			t.Stop()
			next = time.Now()
		}
	}
}

// publishedBundle rotates the signed prekey when due, refills one-time
// prekeys, and returns the signed bundle record to publish.
func (p *Publisher) publishedBundle(ctx context.Context) ([]byte, error) {
	if err := p.d.Bundles.Init(ctx); err != nil {
		return nil, err
	}
	_, rec, err := p.d.Bundles.PublishedBundle(ctx)
	return rec, err
}

// HoldsAccountKey reports whether this device signs the account's device
// list (it holds the account key).
func (p *Publisher) HoldsAccountKey() bool { return p.d.Account != nil }

// Own returns this account's device list as this device last stored it
// (signed here, or learned), nil when there is none yet.
func (p *Publisher) Own(ctx context.Context) *identity.DeviceList {
	raw, err := p.d.Store.DeviceList(ctx, storage.Account(p.self))
	if err != nil {
		return nil
	}
	l, err := identity.OpenDeviceList(raw)
	if err != nil || l.Account != p.self {
		return nil
	}
	return l
}

// AddDevice signs and stores a list that adds the device cert certifies
// (at addrs), and has Run publish it at once. Only the device holding the
// account key can: others get core.ErrNoAccountKey.
func (p *Publisher) AddDevice(ctx context.Context, cert *identity.Certificate, addrs []ma.Multiaddr) ([]byte, error) {
	return p.changeDevices(ctx, func(_ context.Context, l *identity.DeviceList) error {
		same := func(id uint32) bool { return id == cert.DeviceID }
		l.Devices = slices.DeleteFunc(l.Devices, func(d identity.Device) bool { return same(d.Cert.DeviceID) })
		// Device IDs are not reused (devices.Service.NextID); a list
		// cannot name one ID twice all the same.
		l.Revoked = slices.DeleteFunc(l.Revoked, func(r identity.RevokedDevice) bool { return same(r.Cert.DeviceID) })
		l.Devices = append(l.Devices, identity.Device{Cert: cert, Addrs: addrs})
		return nil
	})
}

// RemoveDevice signs and stores a list without device id (revocation) and
// has Run publish it at once. The list keeps the device's certificate
// among its revoked devices, with the last of the device's operations
// this device holds: those stay valid on devices linked later, and the
// device's later ones are refused. Beyond identity.MaxRevoked revoked
// devices, the oldest revocations are dropped.
func (p *Publisher) RemoveDevice(ctx context.Context, id uint32) ([]byte, error) {
	return p.changeDevices(ctx, func(ctx context.Context, l *identity.DeviceList) error {
		i := slices.IndexFunc(l.Devices, func(d identity.Device) bool { return d.Cert.DeviceID == id })
		if i < 0 {
			return nil
		}
		v, err := p.d.Store.Vector(ctx)
		if err != nil {
			return fmt.Errorf("account log vector: %w", err)
		}
		l.Revoked = append(l.Revoked, identity.RevokedDevice{Cert: l.Devices[i].Cert, OpsUpto: v[id]})
		if n := len(l.Revoked) - identity.MaxRevoked; n > 0 {
			l.Revoked = slices.Delete(l.Revoked, 0, n)
		}
		l.Devices = slices.Delete(l.Devices, i, i+1)
		return nil
	})
}

func (p *Publisher) changeDevices(ctx context.Context, change func(context.Context, *identity.DeviceList) error) ([]byte, error) {
	if p.d.Account == nil {
		return nil, core.ErrNoAccountKey
	}
	var addrs []ma.Multiaddr
	if l := p.Own(ctx); l != nil {
		if d, ok := l.Device(p.d.Device); ok {
			addrs = d.Addrs
		}
	}
	raw, err := p.sign(ctx, addrs, change)
	if err == nil {
		p.Republish()
	}
	return raw, err
}

// signDeviceList makes the next version of this account's device list,
// with this device at addrs; on a device without the account key it
// returns the stored list as it is.
func (p *Publisher) signDeviceList(ctx context.Context, addrs []ma.Multiaddr) ([]byte, error) {
	if p.d.Account == nil {
		raw, err := p.d.Store.DeviceList(ctx, storage.Account(p.self))
		if err != nil {
			return nil, fmt.Errorf("own device list: %w (the device holding the account key publishes it)", err)
		}
		return raw, nil
	}
	return p.sign(ctx, addrs, nil)
}

// sign signs the next version of the list: the stored list's devices
// (this one at addrs) and revoked devices, changed by change (in the
// transaction that stores the list) when it is not nil.
func (p *Publisher) sign(ctx context.Context, addrs []ma.Multiaddr, change func(context.Context, *identity.DeviceList) error) ([]byte, error) {
	var raw []byte
	st := p.d.Store
	err := st.Update(ctx, func(ctx context.Context) error {
		local, err := st.LocalIdentity(ctx)
		if err != nil {
			return err
		}
		list := &identity.DeviceList{
			Account: p.self,
			Devices: []identity.Device{{Cert: p.d.Cert, Addrs: addrs}},
		}
		if l := p.Own(ctx); l != nil {
			for _, d := range l.Devices {
				if d.Cert.DeviceID != p.d.Device {
					list.Devices = append(list.Devices, d)
				}
			}
			list.Revoked = l.Revoked
		}
		if change != nil {
			if err := change(ctx, list); err != nil {
				return err
			}
		}
		// Versions are at least the current Unix time in milliseconds, so a
		// restored account on a fresh home still outranks its old records.
		local.DeviceListVersion = max(local.DeviceListVersion+1, uint64(time.Now().UnixMilli()))
		list.Version = local.DeviceListVersion
		list.Relays = p.d.Relays.MailboxAddrs()
		list.IssuedAt = time.Now()
		if raw, err = p.d.Account.SignDeviceList(list); err != nil {
			return err
		}
		if err := st.PutDeviceList(ctx, storage.Account(p.self), raw); err != nil {
			return err
		}
		return st.SaveLocalIdentity(ctx, local)
	})
	if err != nil {
		return nil, err
	}
	p.d.Resolver.Remember(raw)
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
