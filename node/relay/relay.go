// Package relay is the relay role: a node run by a community on a public
// address that gives personal nodes reach. It is a DHT server and bootstrap
// peer and runs a circuit relay v2 service with resource limits, so nodes
// behind NAT (or listening nowhere) are reachable through it, and serves
// store-and-forward mailboxes (/pigeon/mailbox/1) for the devices
// registered with it, in its own Badger database (HOME/mailbox), including
// the messages of the group topics they follow (groups.go), a media cache
// (HOME/media: copies of encrypted attachments pinned for away devices over
// /pigeon/pin/1 while a deposit refers to them, served to anyone over
// /pigeon/blocks/1), and a presence hub (/pigeon/presence/1) holding online and last-seen in memory
// for the devices registered with it (presenceRegistry),
// and, when configured, wakes away devices through their push gateways.
//
// # Memory
//
// A relay holds a connection for every device that uses it, and on it the
// device's mailbox subscription and presence stream.
// BenchmarkRelayIdleConnections measures what that costs with the relay
// alone in its process: about 66-70 KB of resident memory per idle device
// at 5,000 devices over TCP, of which about 40 KB is the libp2p connection
// itself (TCP, Noise and yamux: four goroutines, their stacks and
// buffers). A device that runs a full node also opens a GossipSub stream
// pair with the relay (the relay follows group topics), which the
// benchmark's clients do not. Over QUIC, which go-libp2p dialers try first when the relay
// listens on both, it is about 103 KB, of which 74 KB is quic-go's
// connection. Between collections the Go runtime lets the heap grow to
// twice its live size; a relay short of memory can run with GOGC=50 (61
// instead of 66 KB per device over TCP in the benchmark, for more
// collection work) or with GOMEMLIMIT set below the memory it may use.
package relay

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p"
	dht "github.com/libp2p/go-libp2p-kad-dht"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"
	rcmgr "github.com/libp2p/go-libp2p/p2p/host/resource-manager"
	"github.com/libp2p/go-libp2p/p2p/muxer/yamux"
	"github.com/libp2p/go-libp2p/p2p/net/connmgr"
	relayv2 "github.com/libp2p/go-libp2p/p2p/protocol/circuitv2/relay"
	"github.com/libp2p/go-libp2p/p2p/security/noise"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/relay/push"
	"github.com/pigeon-net/pigeon/protocol/groupcast"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/mailbox"
	"github.com/pigeon-net/pigeon/protocol/media"
	"github.com/pigeon-net/pigeon/protocol/presence"
	"github.com/pigeon-net/pigeon/storage/mailboxstore"
)

// Relay is a running relay.
type Relay struct {
	cfg *config
	log *slog.Logger

	mu     sync.Mutex // guards started and closed
	start  bool
	closed bool

	host     host.Host
	dht      *dht.IpfsDHT
	boxes    *mailboxstore.Store
	mailbox  *mailbox.Service
	presence *presence.Hub
	push     *push.Dispatcher
	refused  refusals // endpoints push gave up on, told at registration
	caster   *groupcast.Caster
	groups   *groupKeeper
	media    *mediaStore
	wg       sync.WaitGroup // the push refused-event reader
	admitted admitted
}

// admitted is the set of peers whose mailbox registration passed the invite
// policy; under it only they may reserve circuit slots.
type admitted struct {
	mu    sync.Mutex // guards peers
	peers map[peer.ID]bool
}

// AllowReserve implements relayv2.ACLFilter.
func (a *admitted) AllowReserve(p peer.ID, _ ma.Multiaddr) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.peers[p]
}

// AllowConnect implements relayv2.ACLFilter: anyone may connect to a peer
// holding a reservation (that is how senders reach it).
func (a *admitted) AllowConnect(peer.ID, ma.Multiaddr, peer.ID) bool { return true }

// Option configures a Relay; giving one twice is an error.
type Option func(*config) error

type config struct {
	set       map[string]bool
	home      string
	listen    []string
	announce  []string
	bootstrap []string
	logger    *slog.Logger
	resources relayv2.Resources
	push      *push.Config
	invites   []string
	region    string
	pinQuota  int64
	mailbox   []mailbox.Option
	presence  []presence.HubOption
}

func (c *config) once(name string) error {
	if c.set[name] {
		return fmt.Errorf("relay: option %s given twice", name)
	}
	c.set[name] = true
	return nil
}

// DefaultResources are the circuit relay limits of a Pigeon relay: more
// slots than libp2p's defaults, and circuits long and large enough for
// messaging (not for bulk media, which goes peer to peer).
func DefaultResources() relayv2.Resources {
	r := relayv2.DefaultResources()
	r.MaxReservations = 4096
	r.MaxCircuits = 64
	r.MaxReservationsPerIP = 64
	r.MaxReservationsPerASN = 256
	r.Limit = &relayv2.RelayLimit{Duration: 10 * time.Minute, Data: 16 << 20}
	return r
}

// WithHome keeps the relay's key (relay.key) in dir; without it the relay
// has a fresh identity every start.
func WithHome(dir string) Option {
	return func(c *config) error { c.home = dir; return c.once("WithHome") }
}

// WithListenAddrs sets the listen multiaddrs (default TCP and QUIC on port
// 4518 of every interface).
func WithListenAddrs(addrs ...string) Option {
	return func(c *config) error { c.listen = append([]string(nil), addrs...); return c.once("WithListenAddrs") }
}

// WithAnnounceAddrs sets the public addresses the relay advertises (when
// it listens behind a port forward or a load balancer).
func WithAnnounceAddrs(addrs ...string) Option {
	return func(c *config) error {
		c.announce = append([]string(nil), addrs...)
		return c.once("WithAnnounceAddrs")
	}
}

// WithBootstrap sets other relays or DHT servers to join through.
func WithBootstrap(addrs ...string) Option {
	return func(c *config) error { c.bootstrap = append([]string(nil), addrs...); return c.once("WithBootstrap") }
}

// WithLogger sets the logger (default: discard).
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		if l == nil {
			return errors.New("relay: WithLogger: nil logger")
		}
		c.logger = l
		return c.once("WithLogger")
	}
}

// WithInviteTokens makes the relay serve invited accounts only: a device's
// mailbox registration must carry one of tokens, and only registered
// devices may reserve circuit slots. Without it the relay is open.
func WithInviteTokens(tokens ...string) Option {
	return func(c *config) error {
		for _, t := range tokens {
			if t == "" {
				return errors.New("relay: WithInviteTokens: empty token")
			}
		}
		c.invites = append([]string(nil), tokens...)
		return c.once("WithInviteTokens")
	}
}

// WithRegion sets the region the relay says it runs in (free text such as
// "eu-west", told to registering devices so they can spread their
// mailboxes over regions).
func WithRegion(region string) Option {
	return func(c *config) error { c.region = region; return c.once("WithRegion") }
}

// WithPresenceOptions passes options to the relay's presence hub, such as
// presence.WithSubscriptionLimits and presence.WithLastSeenBudget (their
// defaults are documented there). The hub always announces only the
// devices registered at the relay (presence.WithRegistry).
func WithPresenceOptions(opts ...presence.HubOption) Option {
	return func(c *config) error {
		c.presence = append([]presence.HubOption(nil), opts...)
		return c.once("WithPresenceOptions")
	}
}

// presenceRegistry answers the presence hub from the mailbox
// registrations: a device is registered while its mailbox registration
// here is live.
type presenceRegistry struct{ boxes *mailboxstore.Store }

func (p presenceRegistry) RegisteredUntil(ctx context.Context, account identity.AccountID, device uint32) (time.Time, error) {
	reg, err := p.boxes.Registration(ctx, mailbox.Box{Account: account, Device: device})
	switch {
	case errors.Is(err, mailbox.ErrNotRegistered):
		return time.Time{}, nil
	case err != nil:
		return time.Time{}, err
	}
	return reg.ExpiresAt, nil
}

// admit is the invite policy of mailbox registrations.
func (r *Relay) admit(reg mailbox.Registration) error {
	ok := false
	for _, t := range r.cfg.invites {
		if subtle.ConstantTimeCompare([]byte(t), []byte(reg.Invite)) == 1 {
			ok = true
		}
	}
	if !ok {
		return mailbox.ErrNotInvited
	}
	r.admitted.mu.Lock()
	r.admitted.peers[reg.PeerID] = true
	r.admitted.mu.Unlock()
	return nil
}

// WithPush enables content-free wake-ups for registered devices that are
// away when something is deposited for them (see package push for the
// gateways and their credentials).
func WithPush(cfg push.Config) Option {
	return func(c *config) error { c.push = &cfg; return c.once("WithPush") }
}

// WithMailboxOptions passes options to the relay's mailbox service: its
// quotas, the room for deposits without a credential
// (mailbox.WithStrangerQuota) and the deposit rate per sender
// (mailbox.WithDepositRate); protocol/mailbox documents the defaults. The
// relay sets the logger, region, admission, push, follow and pin options
// itself.
func WithMailboxOptions(opts ...mailbox.Option) Option {
	return func(c *config) error {
		c.mailbox = append([]mailbox.Option(nil), opts...)
		return c.once("WithMailboxOptions")
	}
}

// WithResources sets the circuit relay limits (default DefaultResources).
func WithResources(r relayv2.Resources) Option {
	return func(c *config) error { c.resources = r; return c.once("WithResources") }
}

// New checks the options; it does no I/O.
func New(opts ...Option) (*Relay, error) {
	cfg := &config{
		set: make(map[string]bool),
		listen: []string{
			"/ip4/0.0.0.0/tcp/4518", "/ip4/0.0.0.0/udp/4518/quic-v1",
			"/ip6/::/tcp/4518", "/ip6/::/udp/4518/quic-v1",
		},
		logger:    slog.New(slog.DiscardHandler),
		resources: DefaultResources(),
		pinQuota:  DefaultPinQuota,
	}
	for _, o := range opts {
		if err := o(cfg); err != nil {
			return nil, err
		}
	}
	if _, err := node.ParseAddrInfos(cfg.bootstrap); err != nil {
		return nil, fmt.Errorf("relay: bootstrap: %w", err)
	}
	for _, a := range cfg.announce {
		if _, err := ma.NewMultiaddr(a); err != nil {
			return nil, fmt.Errorf("relay: announce address %q: %w", a, err)
		}
	}
	return &Relay{cfg: cfg, log: cfg.logger}, nil
}

// Start brings the relay up; ctx bounds start-up only.
func (r *Relay) Start(ctx context.Context) (err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch {
	case r.closed:
		return net.ErrClosed
	case r.start:
		return nil
	}
	defer func() {
		if err != nil {
			r.shutdown()
			err = fmt.Errorf("start relay: %w", err)
		}
	}()
	if r.cfg.set["WithLogger"] {
		node.RouteLibp2pLogs(r.log)
	}
	key, err := loadKey(r.cfg.home)
	if err != nil {
		return err
	}
	relayOpts := []relayv2.Option{relayv2.WithResources(r.cfg.resources)}
	if len(r.cfg.invites) > 0 {
		r.admitted.peers = make(map[peer.ID]bool)
		relayOpts = append(relayOpts, relayv2.WithACL(&r.admitted))
	}
	opts, err := baseHostOptions(key, r.cfg.listen)
	if err != nil {
		return err
	}
	opts = append(opts,
		// A relay is public by configuration: serve circuits without
		// waiting for AutoNAT to agree.
		libp2p.ForceReachabilityPublic(),
		libp2p.EnableRelayService(relayOpts...),
		libp2p.EnableNATService(),
	)
	if len(r.cfg.announce) > 0 {
		announce := make([]ma.Multiaddr, len(r.cfg.announce))
		for i, a := range r.cfg.announce {
			announce[i] = ma.StringCast(a)
		}
		opts = append(opts, libp2p.AddrsFactory(func([]ma.Multiaddr) []ma.Multiaddr { return announce }))
	}
	if r.host, err = libp2p.New(opts...); err != nil {
		return fmt.Errorf("libp2p host: %w", err)
	}
	storeOpts := mailboxstore.Options{InMemory: r.cfg.home == "", Logger: r.log.With("sub", "mailbox-store")}
	if r.cfg.home != "" {
		storeOpts.Dir = filepath.Join(r.cfg.home, "mailbox")
	}
	if r.boxes, err = mailboxstore.Open(storeOpts); err != nil {
		return err
	}
	boxOpts := []mailbox.Option{mailbox.WithLogger(r.log.With("sub", "mailbox"))}
	if r.cfg.region != "" {
		boxOpts = append(boxOpts, mailbox.WithRegion(r.cfg.region))
	}
	if len(r.cfg.invites) > 0 {
		boxOpts = append(boxOpts, mailbox.WithAdmission(r.admit))
	}
	if r.cfg.push != nil {
		if r.push, err = push.New(*r.cfg.push, r.log.With("sub", "push")); err != nil {
			return err
		}
		r.wg.Add(1)
		go r.forgetRefused()
		boxOpts = append(boxOpts, mailbox.WithWake(r.wake))
	}
	boxOpts = append(boxOpts, mailbox.WithPushCheck(r.checkPush))
	if r.caster, err = groupcast.New(r.host, groupcast.WithLogger(r.log.With("sub", "groupcast"))); err != nil {
		return err
	}
	// The keeper needs the mailbox service and the service the keeper:
	// the closure reads r.mailbox once both exist.
	r.groups = newGroupKeeper(r.caster, func(box mailbox.Box, id mailbox.DepositID, env []byte, o mailbox.KeepOptions) error {
		return r.mailbox.Keep(box, id, env, o)
	}, r.log.With("sub", "groups"))
	boxOpts = append(boxOpts, mailbox.WithFollow(r.groups.follow))
	if err := r.openMedia(); err != nil {
		return err
	}
	boxOpts = append(boxOpts, mailbox.WithPins(r.media.deposited, r.media.acked))
	boxOpts = append(boxOpts, r.cfg.mailbox...)
	if r.mailbox, err = mailbox.NewService(r.host, r.boxes, key, boxOpts...); err != nil {
		return err
	}
	presenceOpts := append([]presence.HubOption{
		presence.WithHubLogger(r.log.With("sub", "presence")),
		presence.WithRegistry(presenceRegistry{r.boxes}),
	}, r.cfg.presence...)
	if r.presence, err = presence.NewHub(r.host, presenceOpts...); err != nil {
		return err
	}
	boot, _ := node.ParseAddrInfos(r.cfg.bootstrap)
	if r.dht, err = dht.New(r.host, node.DHTOptions(dht.ModeServer, boot)...); err != nil {
		return fmt.Errorf("dht: %w", err)
	}
	for _, b := range boot {
		cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		if err := r.host.Connect(cctx, b); err != nil {
			r.log.Warn("bootstrap peer unreachable", "peer", b.ID, "err", err)
		}
		cancel()
	}
	if err := r.dht.Bootstrap(ctx); err != nil {
		return fmt.Errorf("dht bootstrap: %w", err)
	}
	r.start = true
	r.log.Info("relay started", "peer", r.host.ID(), "addrs", r.host.Addrs())
	return nil
}

// Addrs returns the relay's full addresses (with /p2p/<id>), the form
// nodes take in WithRelays and WithBootstrap.
func (r *Relay) Addrs() []ma.Multiaddr {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.start {
		return nil
	}
	addrs, _ := peer.AddrInfoToP2pAddrs(&peer.AddrInfo{ID: r.host.ID(), Addrs: r.host.Addrs()})
	return addrs
}

// GroupTopics returns how many group topics the relay follows, and for how
// many devices.
func (r *Relay) GroupTopics() (topics, devices int) {
	r.mu.Lock()
	g := r.groups
	r.mu.Unlock()
	if g == nil {
		return 0, 0
	}
	return g.count()
}

// Host returns the relay's libp2p host (nil before Start).
func (r *Relay) Host() host.Host { return r.host }

// FollowedTopics returns how many group topics the relay follows for box,
// and how many of them quietly (the device muted them: no push wake-up).
func (r *Relay) FollowedTopics(box mailbox.Box) (topics, quiet int, err error) {
	if r.groups == nil {
		return 0, 0, errors.New("relay not started")
	}
	return r.groups.followed(box)
}

// Close stops the relay; a second call returns net.ErrClosed.
func (r *Relay) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return net.ErrClosed
	}
	r.closed = true
	return r.shutdown()
}

func (r *Relay) shutdown() error {
	var errs []error
	if r.caster != nil {
		_ = r.caster.Close() // ends the keeper's pumps
		r.groups.close()
	}
	if r.mailbox != nil {
		r.mailbox.Close()
	}
	if r.media != nil {
		errs = append(errs, r.media.close())
		r.media = nil
	}
	if r.presence != nil {
		errs = append(errs, r.presence.Close())
	}
	if r.push != nil {
		if err := r.push.Close(); err != nil && !errors.Is(err, push.ErrClosed) {
			errs = append(errs, err)
		}
		r.wg.Wait()
	}
	if r.dht != nil {
		errs = append(errs, r.dht.Close())
	}
	if r.host != nil {
		errs = append(errs, r.host.Close())
	}
	if r.boxes != nil {
		errs = append(errs, r.boxes.Close())
	}
	r.start = false
	return errors.Join(errs...)
}

// baseHostOptions are the relay host's options before any relay service:
// identity, listen addresses, connection and resource managers, user agent.
// (The idle-connection benchmark builds its baseline host from them.)
func baseHostOptions(key crypto.PrivKey, listen []string) ([]libp2p.Option, error) {
	cm, err := connmgr.NewConnManager(maxConns*2/5, maxConns, connmgr.WithGracePeriod(time.Minute))
	if err != nil {
		return nil, err
	}
	rm, err := resourceManager()
	if err != nil {
		return nil, err
	}
	return []libp2p.Option{
		libp2p.Identity(key),
		libp2p.ListenAddrStrings(listen...),
		libp2p.ConnectionManager(cm),
		libp2p.ResourceManager(rm),
		libp2p.UserAgent("pigeon-relay/0.1"),
		// Noise only. After its handshake a TLS 1.3 session keeps about
		// 8 KB per connection (the handshake buffers, the peer's parsed
		// certificate, the cloned config, AES-GCM state); a Noise session
		// keeps its two cipher states. Dialers that propose TLS first
		// (go-libp2p's default order) fall back to Noise after one more
		// round trip, once per connection.
		libp2p.Security(noise.ID, noise.New),
		libp2p.Muxer(yamux.ID, muxer()),
		// Nothing exports libp2p's Prometheus metrics; recording them
		// costs every connection and stream event an allocation or more.
		libp2p.DisableMetrics(),
	}, nil
}

// acceptBacklog is how many inbound streams of one connection may wait for
// libp2p's accept loop (and how many outbound ones may wait for the peer's
// acknowledgement). yamux's default of 256 costs each connection a 2 KiB
// channel buffer; the accept loop hands every stream to a goroutine at
// once, so a few dozen is plenty.
const acceptBacklog = 32

// muxer is go-libp2p's yamux with a smaller accept backlog.
func muxer() *yamux.Transport {
	t := *yamux.DefaultTransport
	t.AcceptBacklog = acceptBacklog
	return &t
}

// presenceStreamsPerPeer bounds the presence streams of one peer.
const presenceStreamsPerPeer = 8

// maxConns is how many connections a relay holds at most: the connection
// manager trims above it, and the resource manager admits that many (its
// memory-scaled defaults stop at a few hundred inbound connections).
const maxConns = 10000

// resourceManager is libp2p's default resource manager with connection,
// stream and file-descriptor limits raised for a relay's fan-in.
func resourceManager() (network.ResourceManager, error) {
	limits := rcmgr.DefaultLimits
	libp2p.SetDefaultServiceLimits(&limits)
	media.AddLimits(&limits) // the media cache's /pigeon/blocks/1
	// Every node keeps a mailbox subscription and a presence stream open
	// to its relay, and asks the mailbox and the DHT in bursts when it
	// (re)connects: the memory-scaled defaults (about a thousand inbound
	// streams per protocol) would refuse most nodes of a full relay.
	perNode := rcmgr.BaseLimit{
		StreamsInbound: 2 * maxConns, StreamsOutbound: 2000, Streams: 2*maxConns + 2000,
		Memory: 256 << 20,
	}
	for _, svc := range []string{mailbox.ServiceName, presence.ServiceName} {
		limits.AddServiceLimit(svc, perNode, rcmgr.BaseLimitIncrease{})
	}
	for _, p := range []protocol.ID{mailbox.ProtocolID, presence.ProtocolID, node.DHTProtocol} {
		limits.AddProtocolLimit(p, perNode, rcmgr.BaseLimitIncrease{})
	}
	// A device keeps one presence stream per relay (two for a moment
	// while it re-dials): more from one peer only cost the relay.
	limits.AddProtocolPeerLimit(presence.ProtocolID, rcmgr.BaseLimit{
		StreamsInbound: presenceStreamsPerPeer, StreamsOutbound: presenceStreamsPerPeer,
		Streams: 2 * presenceStreamsPerPeer, Memory: 16 << 20,
	}, rcmgr.BaseLimitIncrease{})
	override := rcmgr.PartialLimitConfig{
		System: rcmgr.ResourceLimits{
			Conns: maxConns + 2000, ConnsInbound: maxConns, ConnsOutbound: 2000,
			Streams: 8 * maxConns, StreamsInbound: 6 * maxConns, StreamsOutbound: 2 * maxConns,
			FD: maxConns + 2000,
		},
		Transient: rcmgr.ResourceLimits{
			Conns: 2000, ConnsInbound: 1500, ConnsOutbound: 500,
			Streams: 4000, StreamsInbound: 3000, StreamsOutbound: 1000,
			FD: 2000,
		},
	}
	rm, err := rcmgr.NewResourceManager(rcmgr.NewFixedLimiter(override.Build(limits.AutoScale())), rcmgr.WithMetricsDisabled())
	if err != nil {
		return nil, fmt.Errorf("resource manager: %w", err)
	}
	return rm, nil
}

// loadKey reads home/relay.key, creating it (mode 0600) on first start; with
// no home the key is fresh.
func loadKey(home string) (crypto.PrivKey, error) {
	if home == "" {
		k, _, err := crypto.GenerateEd25519Key(rand.Reader)
		return k, err
	}
	path := filepath.Join(home, "relay.key")
	raw, err := os.ReadFile(path)
	switch {
	case err == nil:
		return crypto.UnmarshalPrivateKey(raw)
	case !errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("read relay key: %w", err)
	}
	if err := os.MkdirAll(home, 0o700); err != nil {
		return nil, err
	}
	k, _, err := crypto.GenerateEd25519Key(rand.Reader)
	if err != nil {
		return nil, err
	}
	if raw, err = crypto.MarshalPrivateKey(k); err != nil {
		return nil, err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, raw, 0o600); err != nil {
		return nil, fmt.Errorf("write relay key: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return nil, fmt.Errorf("write relay key: %w", err)
	}
	return k, nil
}
