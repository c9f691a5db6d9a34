package node

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	dht "github.com/libp2p/go-libp2p-kad-dht"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/node/actions"
	"github.com/pigeon-net/pigeon/node/backup"
	"github.com/pigeon-net/pigeon/node/chats"
	"github.com/pigeon-net/pigeon/node/contacts"
	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/devices"
	"github.com/pigeon-net/pigeon/node/expiry"
	"github.com/pigeon-net/pigeon/node/groups"
	"github.com/pigeon-net/pigeon/node/internal/accountlog"
	"github.com/pigeon-net/pigeon/node/internal/devlists"
	"github.com/pigeon-net/pigeon/node/internal/post"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/node/media"
	"github.com/pigeon-net/pigeon/node/prefs"
	"github.com/pigeon-net/pigeon/node/presence"
	"github.com/pigeon-net/pigeon/node/profiles"
	"github.com/pigeon-net/pigeon/node/relays"
	"github.com/pigeon-net/pigeon/node/replies"
	"github.com/pigeon-net/pigeon/node/search"
	"github.com/pigeon-net/pigeon/protocol/e2e"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage/badger"
)

// Node is a Pigeon node. Create it with New, bring it up with Start and stop
// it with Close. Its methods are safe for concurrent use.
type Node struct {
	cfg      *config
	log      *slog.Logger
	bus      *bus
	handlers *post.Registry // content kinds and their handlers; set by Start, read-only after

	mu      sync.Mutex // guards started, closed, stop
	started bool
	closed  bool
	// live mirrors started and closed for ready, which must not wait for
	// mu: Close holds it while it waits for the node's goroutines, and
	// those ask ready (a group timer change arriving during Close hung
	// TestGroupTimer so).
	live   atomic.Int32
	stop   context.CancelFunc // cancels the context every goroutine runs under
	runCtx func() context.Context
	wg     sync.WaitGroup

	// Set by Start, read-only afterwards.
	store     *badger.Store
	account   *identity.Account
	self      identity.AccountID
	device    uint32
	cert      *identity.Certificate
	host      host.Host
	dht       *dht.IpfsDHT
	e2e       *e2e.Manager
	resolver  *devlists.Resolver
	post      *post.Service       // the delivery runtime
	pub       *devlists.Publisher // our device list and prekey bundle
	alog      *accountlog.Service // the account log
	devices   *devices.Service
	contacts  *contacts.Service
	chats     *chats.Service
	replies   *replies.Service
	prefs     *prefs.Service
	expiry    *expiry.Service
	backup    *backup.Service
	relays    *relays.Service
	presence  *presence.Service
	groups    *groups.Service
	media     *media.Service
	profiles  *profiles.Service
	actions   *actions.Service
	search    *search.Service
	searchTmp string // an in-memory node's index directory
	// profilesRef is profiles for the features' event hooks, which run
	// while Start or Close holds mu.
	profilesRef atomic.Pointer[profiles.Service]
	bootIDs     map[peer.ID]bool // bootstrap peers; read-only after Start
	infraLost   chan struct{}    // cap 1: a bootstrap peer or relay disconnected

	// For Status (status.go).
	boot         bootPeers    // how dialling the bootstrap peers went
	reachability atomic.Int32 // a network.Reachability, from AutoNAT
	// spaceBack (cap 1) tells spaceLoop the disk has room again.
	spaceBack chan struct{}
}

// Errors of the node; those core declares are core's, so errors.Is works
// with either name.
var (
	// ErrClosed is returned by methods called after Close.
	ErrClosed = core.ErrClosed
	// ErrNotStarted is returned by methods called before Start.
	ErrNotStarted = core.ErrNotStarted
	// ErrUnknownAccount is returned when an account's device list cannot be
	// found.
	ErrUnknownAccount = core.ErrUnknownAccount
	// ErrTooLarge is returned for texts over chats.MaxTextSize.
	ErrTooLarge = core.ErrTooLarge
	// ErrEmpty is returned for empty texts.
	ErrEmpty = core.ErrEmpty
	// ErrIdentityUnverified is returned when sending to a verified contact
	// whose device identity changed; verifying it again accepts the change.
	ErrIdentityUnverified = core.ErrIdentityUnverified
	// ErrSelf is returned when sending to the node's own account.
	ErrSelf = core.ErrSelf
	// ErrBadSetting is returned for setting values out of range.
	ErrBadSetting = core.ErrBadSetting
	// ErrNoAccountKey is returned by what only a device holding the
	// account key may do (sign device lists, link and revoke devices, hand
	// out the account seed) on a linked device that does not hold it.
	ErrNoAccountKey = core.ErrNoAccountKey
	// ErrNotInitialised is returned by Start on a home without an account
	// when the caller asked not to create one.
	ErrNotInitialised = errors.New("home not initialised")
)

// New checks the options and returns a node that is not started yet. It does
// no I/O.
func New(opts ...Option) (*Node, error) {
	cfg := defaultConfig()
	for _, o := range opts {
		if err := o(cfg); err != nil {
			return nil, err
		}
	}
	if cfg.home == "" && !cfg.inMemory {
		return nil, errors.New("node: need WithHome or WithInMemory")
	}
	if cfg.home != "" && cfg.inMemory {
		return nil, errors.New("node: WithHome and WithInMemory are exclusive")
	}
	return &Node{cfg: cfg, log: cfg.logger, bus: newBus(), spaceBack: make(chan struct{}, 1)}, nil
}

// Init creates the account and first device in home if it has none yet and
// returns the account ID; created reports whether a new account was made.
// Of opts, those about storage apply (WithMinFreeSpace, WithSyncWrites,
// WithLogger for the store's logs); a home option is ignored.
func Init(home string, opts ...Option) (id core.AccountID, created bool, err error) {
	cfg := defaultConfig()
	for _, o := range opts {
		if err := o(cfg); err != nil {
			return id, false, err
		}
	}
	cfg.inMemory = false
	st, err := openStore(home, cfg, nil, cfg.logger.With("sub", "badger"))
	if err != nil {
		return id, false, err
	}
	defer st.Close()
	local, created, err := loadOrCreateIdentity(context.Background(), st, nil)
	if err != nil {
		return id, false, err
	}
	cert, err := localCertificate(local)
	if err != nil {
		return id, false, err
	}
	return rt.CoreAccount(cert.Account), created, nil
}

// openStore opens the store of cfg's home (in memory with
// cfg.inMemory); space, if set, hears of a full disk.
func openStore(home string, cfg *config, space func(badger.Space), log *slog.Logger) (*badger.Store, error) {
	opts := badger.Options{
		Logger: log, SyncWrites: cfg.syncWrites, MinFree: cfg.minFree, SpaceChanged: space, SyncHook: cfg.syncHook,
	}
	if cfg.inMemory {
		opts.InMemory = true
		return badger.Open(opts)
	}
	if err := os.MkdirAll(home, 0o700); err != nil {
		return nil, fmt.Errorf("create home: %w", err)
	}
	opts.Dir, opts.BlocksDir = filepath.Join(home, "db"), filepath.Join(home, "blocks")
	return badger.Open(opts)
}

// Start opens storage, brings up the libp2p host, DHT and protocols, and
// starts delivering the outbox. ctx bounds start-up only. Calling Start on a
// started node does nothing; on a closed node it returns ErrClosed. If Start
// fails, everything it opened is closed again.
func (n *Node) Start(ctx context.Context) (err error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.closed {
		return ErrClosed
	}
	if n.started {
		return nil
	}
	defer func() {
		if err != nil {
			n.shutdown()
			err = fmt.Errorf("start node: %w", err)
		}
	}()
	runCtx, cancel := context.WithCancel(context.Background())
	n.stop = cancel
	n.runCtx = func() context.Context { return runCtx }

	n.store, err = openStore(n.cfg.home, n.cfg, n.spaceChanged, n.log.With("sub", "badger"))
	if err != nil {
		return err
	}
	local, _, err := loadOrCreateIdentity(ctx, n.store, n.cfg.accountSeed)
	if err != nil {
		return err
	}
	n.device = local.DeviceID
	var certMsg pb.Signed
	if err := proto.Unmarshal(local.Certificate, &certMsg); err != nil {
		return fmt.Errorf("load certificate: %w", err)
	}
	if n.cert, err = identity.VerifyCertificate(&certMsg); err != nil {
		return fmt.Errorf("load certificate: %w", err)
	}
	n.self = n.cert.Account
	// A linked device holds no account key (unless the user promoted it):
	// it cannot sign device lists or link devices.
	if len(local.AccountSeed) > 0 {
		if n.account, err = identity.AccountFromSeed(local.AccountSeed); err != nil {
			return err
		}
		if n.account.ID() != n.self {
			return fmt.Errorf("load identity: the account key is not the certificate's account")
		}
	}
	if n.e2e, err = e2e.NewManager(n.store, &certMsg, n.log.With("sub", "e2e")); err != nil {
		return err
	}
	if err := n.e2e.Init(ctx); err != nil {
		return err
	}
	peerKey, err := crypto.UnmarshalPrivateKey(local.PeerKey)
	if err != nil {
		return fmt.Errorf("load peer key: %w", err)
	}
	if n.host, n.dht, err = newHost(n.cfg, peerKey, n.log); err != nil {
		return err
	}
	n.resolver = devlists.NewResolver(n.store, n.dht, n.log.With("sub", "devices"))
	// Before anything that takes envelopes (group topics, the delivery
	// service).
	n.handlers = post.NewRegistry()
	n.post = n.newPost()
	if n.alog, err = n.newAccountLog(peerKey); err != nil {
		return err
	}
	if n.relays, err = relays.New(n.relaysDeps()); err != nil {
		return err
	}
	n.pub = devlists.NewPublisher(devlists.PublisherDeps{
		Account: n.account, Device: n.device, Cert: n.cert, Store: n.store, DHT: n.dht,
		Addrs: n.host.Addrs, Bundles: n.e2e, Resolver: n.resolver, Relays: n.relays, Log: n.log,
	})
	n.resolver.OnLearned(devlists.NewRelayDialer(n.self, n.host, n.goroutine, n.log).Learned)
	n.resolver.OnLearned(n.pub.Learned)
	n.resolver.OnLearned(n.post.ListLearned)
	if err := n.post.Start(ctx); err != nil {
		return err
	}
	n.pub.Load(ctx)
	n.e2e.Serve(n.host)
	if n.devices, err = n.newDevices(); err != nil {
		return err
	}
	if n.contacts, err = newContacts(n); err != nil {
		return err
	}
	if n.presence, err = newPresence(n); err != nil {
		return err
	}
	if n.replies, err = newReplies(n); err != nil {
		return err
	}
	if n.prefs, err = newPrefs(n); err != nil {
		return err
	}
	if n.expiry, err = newExpiry(n); err != nil {
		return err
	}
	if n.chats, err = newChats(n); err != nil {
		return err
	}
	// Before the delivery service: envelopes may carry group control.
	if n.groups, err = n.newGroups(); err != nil {
		return err
	}
	n.resolver.OnLearned(func(l *identity.DeviceList) { n.groups.DevicesChanged(rt.CoreAccount(l.Account), l.Version) })
	n.resolver.OnLearned(func(l *identity.DeviceList) {
		devices := make([]uint32, len(l.Devices))
		for i, d := range l.Devices {
			devices[i] = d.Cert.DeviceID
		}
		n.contacts.DevicesChanged(rt.CoreAccount(l.Account), l.Version, devices)
	})
	if n.media, err = n.newMedia(); err != nil {
		return err
	}
	if n.actions, err = n.newActions(); err != nil {
		return err
	}
	if n.search, err = n.newSearch(ctx); err != nil {
		return err
	}
	if n.profiles, err = newProfiles(n); err != nil {
		return err
	}
	n.profilesRef.Store(n.profiles)
	if n.backup, err = newBackup(n); err != nil {
		return err
	}
	if err := n.post.LoadOutbox(ctx); err != nil {
		return err
	}
	if err := n.groups.Start(ctx); err != nil {
		return err
	}
	if err := n.presence.Start(ctx); err != nil {
		return err
	}
	if err := n.media.Start(ctx); err != nil {
		return err
	}
	n.wireCompaction()
	if err := n.alog.Start(ctx); err != nil {
		return err
	}
	// Before devices names this device: the account's other devices
	// must know it (importRestored announces it) before its operations.
	if err := n.importRestored(ctx); err != nil {
		return err
	}
	if err := n.devices.Start(ctx); err != nil {
		return err
	}
	if err := n.backfill(ctx); err != nil {
		return err
	}
	// Last: envelopes use everything above.
	if err := n.post.Serve(ctx); err != nil {
		return err
	}
	// Before the device list is published: it names the relays.
	if err := n.relays.Start(ctx); err != nil {
		return err
	}
	n.started = true
	n.live.Store(liveStarted)
	n.goroutine(n.pub.Run)
	n.goroutine(n.alog.Run)
	n.goroutine(n.profiles.Run)
	n.goroutine(n.expiry.Run)
	n.goroutine(n.backup.Run)
	n.goroutine(n.restoreMedia)
	n.goroutine(n.contacts.Run)
	n.goroutine(n.reachabilityLoop)
	n.goroutine(n.spaceLoop)
	n.goroutine(n.search.Run)
	n.watchConnections()
	n.goroutine(func(ctx context.Context) { n.connectBootstrap(ctx) })
	n.log.Info("node started", "account", n.self.String(), "peer", n.host.ID(), "addrs", n.host.Addrs())
	return nil
}

// goroutine runs f under the node's run context and makes Close wait for
// it. It refuses (returns false) once Close has begun.
func (n *Node) goroutine(f func(ctx context.Context)) bool {
	ctx := n.runCtx()
	if ctx.Err() != nil {
		return false
	}
	n.wg.Add(1)
	go func() {
		defer n.wg.Done()
		f(ctx)
	}()
	return true
}

// Close stops the node and waits for every goroutine. A second call returns
// net.ErrClosed.
func (n *Node) Close() error {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.closed {
		return ErrClosed
	}
	n.closed = true
	n.live.Store(liveClosed)
	return n.shutdown()
}

// shutdown releases everything Start opened, in reverse order. n.mu is held.
func (n *Node) shutdown() error {
	var errs []error
	if n.stop != nil {
		n.stop()
	}
	if n.post != nil {
		n.post.Close()
	}
	if n.e2e != nil && n.host != nil {
		n.e2e.Stop()
	}
	if n.media != nil {
		n.media.Close()
	}
	if n.devices != nil {
		n.devices.Close()
	}
	if n.alog != nil {
		n.alog.Close()
	}
	n.wg.Wait()
	if n.relays != nil {
		n.relays.Close()
	}
	if n.groups != nil {
		n.groups.Close()
	}
	if n.presence != nil {
		n.presence.Close()
	}
	n.closeSearch()
	if n.dht != nil {
		errs = append(errs, n.dht.Close())
	}
	if n.host != nil {
		errs = append(errs, n.host.Close())
	}
	if n.store != nil {
		errs = append(errs, n.store.Close())
	}
	n.bus.close()
	n.started = false
	if !n.closed {
		n.live.Store(liveNotStarted)
	}
	return errors.Join(errs...)
}

// ready returns ErrClosed or ErrNotStarted when the node cannot serve calls.
func (n *Node) ready() error {
	switch n.live.Load() {
	case liveStarted:
		return nil
	case liveClosed:
		return ErrClosed
	}
	return ErrNotStarted
}

// Values of Node.live.
const (
	liveNotStarted = iota
	liveStarted
	liveClosed
)

// AccountSeed returns the account's private seed, for backup or to restore
// the account on a new device with WithAccountSeed. Keep it secret.
// A linked device that does not hold the account key returns
// ErrNoAccountKey.
func (n *Node) AccountSeed() ([]byte, error) {
	if err := n.ready(); err != nil {
		return nil, err
	}
	if n.account == nil {
		return nil, ErrNoAccountKey
	}
	return n.account.Seed(), nil
}

// Host returns the node's libp2p host (nil before Start).
func (n *Node) Host() host.Host { return n.host }

// connectBootstrap dials the bootstrap peers and the relays (those given at
// start, stored, and added at run time: a relay is a DHT server, so a node
// given one joins the relay's network) until each is connected, so the DHT
// fills its routing table, and again (backing off while one is down)
// whenever one of them disconnects or a relay is added. A bootstrap peer
// that cannot be reached is a warning in the log (once per outage) and in
// Status.
func (n *Node) connectBootstrap(ctx context.Context) {
	boot, _ := ParseAddrInfos(n.cfg.bootstrap)
	relaysChanged := n.relays.Watch()
	bootstrapped := false
	for {
		backoff := rt.NewBackoff(200*time.Millisecond, 30*time.Second)
		for {
			var left int
			for i, p := range append(slices.Clone(boot), n.relays.Infos()...) {
				if n.host.Network().Connectedness(p.ID) == network.Connected {
					continue
				}
				cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
				err := n.host.Connect(cctx, p)
				cancel()
				if ctx.Err() != nil {
					return
				}
				if i < len(boot) && n.boot.dialed(p.ID, n.cfg.bootstrap[i], err) {
					if err != nil {
						n.log.Warn("bootstrap peer unreachable", "addr", n.cfg.bootstrap[i], "err", err)
					} else {
						n.log.Info("bootstrap peer reachable again", "addr", n.cfg.bootstrap[i])
					}
				}
				if err != nil {
					n.log.Debug("bootstrap dial failed", "peer", p.ID, "err", err)
					left++
				}
			}
			if left == 0 {
				break
			}
			t := time.NewTimer(backoff.Next())
			select {
			case <-ctx.Done():
				t.Stop()
				return
			case <-t.C:
			case <-relaysChanged:
				t.Stop()
			}
		}
		if !bootstrapped {
			_ = n.dht.Bootstrap(ctx)
			bootstrapped = true
		}
		// One of them dropped (a relay restarting, say, with the DHT
		// records it held gone): dial it again, so that reconnecting
		// makes this node publish its own records at once.
		select {
		case <-ctx.Done():
			return
		case <-n.infraLost:
		case <-relaysChanged:
		}
	}
}
