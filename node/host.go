package node

import (
	"context"
	"fmt"
	"log/slog"
	"sync"

	"github.com/ipfs/go-datastore"
	dssync "github.com/ipfs/go-datastore/sync"
	"github.com/libp2p/go-libp2p"
	dht "github.com/libp2p/go-libp2p-kad-dht"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"
	"github.com/libp2p/go-libp2p/gologshim"
	"github.com/libp2p/go-libp2p/p2p/host/autorelay"
	rcmgr "github.com/libp2p/go-libp2p/p2p/host/resource-manager"
	"github.com/libp2p/go-libp2p/p2p/net/connmgr"

	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/e2e"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/media"
)

// dhtPrefix keeps Pigeon's DHT apart from the public IPFS network.
const dhtPrefix = "/pigeon"

// DHTProtocol is the protocol of Pigeon's DHT (kad-dht under dhtPrefix).
const DHTProtocol protocol.ID = dhtPrefix + "/kad/1.0.0"

var routeLibp2pLogs sync.Once

// RouteLibp2pLogs sends the logs of libp2p and kad-dht (warnings and
// errors) to log. Their logging is process-wide: the first call wins.
func RouteLibp2pLogs(log *slog.Logger) {
	routeLibp2pLogs.Do(func() {
		h := levelFloor{log.With("sub", "libp2p").Handler(), slog.LevelWarn}
		gologshim.SetDefaultHandler(h)
		routeGoLog(h)
	})
}

// DHTOptions are the kad-dht options every Pigeon DHT participant (node or
// relay) uses: Pigeon's own protocol prefix, the validators of its record
// namespaces, and an in-memory record store (records are re-published).
func DHTOptions(mode dht.ModeOpt, bootstrap []peer.AddrInfo) []dht.Option {
	return []dht.Option{
		dht.Mode(mode),
		dht.ProtocolPrefix(dhtPrefix),
		dht.NamespacedValidator(identity.Namespace, identity.Validator{}),
		dht.NamespacedValidator(e2e.BundleNamespace, e2e.BundleValidator{}),
		dht.Datastore(dssync.MutexWrap(datastore.NewMapDatastore())),
		dht.BootstrapPeers(bootstrap...),
	}
}

// newHost builds the libp2p host and the DHT.
func newHost(cfg *config, key crypto.PrivKey, log *slog.Logger) (host.Host, *dht.IpfsDHT, error) {
	if cfg.set["WithLogger"] {
		RouteLibp2pLogs(log)
	}
	boot, err := ParseAddrInfos(cfg.bootstrap)
	if err != nil {
		return nil, nil, fmt.Errorf("bootstrap: %w", err)
	}
	relays, err := ParseAddrInfos(relayAddrs(cfg.relays))
	if err != nil {
		return nil, nil, fmt.Errorf("relays: %w", err)
	}
	cm, err := connmgr.NewConnManager(100, 400)
	if err != nil {
		return nil, nil, err
	}
	rm, err := resourceManager()
	if err != nil {
		return nil, nil, err
	}
	opts := []libp2p.Option{
		libp2p.Identity(key),
		libp2p.ListenAddrStrings(cfg.listen...),
		libp2p.ConnectionManager(cm),
		libp2p.ResourceManager(rm),
		libp2p.UserAgent("pigeon/0.1"),
		libp2p.EnableRelay(), // dial and accept circuits
		libp2p.EnableHolePunching(),
	}
	if len(cfg.listen) == 0 {
		opts = append(opts, libp2p.NoListenAddrs)
	}
	mode := dht.ModeServer
	if len(relays) > 0 {
		// Behind relays: reachable through circuits, so a DHT client (a
		// server must be dialable directly).
		opts = append(opts, libp2p.EnableAutoRelayWithStaticRelays(relays, autorelay.WithNumRelays(len(relays))))
		mode = dht.ModeClient
	}
	h, err := libp2p.New(opts...)
	if err != nil {
		return nil, nil, fmt.Errorf("libp2p host: %w", err)
	}
	d, err := dht.New(h, DHTOptions(mode, append(boot, relays...))...)
	if err != nil {
		h.Close()
		return nil, nil, fmt.Errorf("dht: %w", err)
	}
	return h, d, nil
}

// resourceManager is libp2p's default resource manager (limits scaled to
// the machine's memory and file descriptors) with the limits of block
// serving (media.AddLimits): the node-wide budget and the per-peer bound
// of the /pigeon/blocks/1 streams it answers.
func resourceManager() (network.ResourceManager, error) {
	limits := rcmgr.DefaultLimits
	libp2p.SetDefaultServiceLimits(&limits)
	media.AddLimits(&limits)
	rm, err := rcmgr.NewResourceManager(rcmgr.NewFixedLimiter(limits.AutoScale()))
	if err != nil {
		return nil, fmt.Errorf("resource manager: %w", err)
	}
	return rm, nil
}

// ParseAddrInfos parses full multiaddrs ending in /p2p/<id>.
func ParseAddrInfos(addrs []string) ([]peer.AddrInfo, error) { return rt.ParseAddrInfos(addrs) }

// watchConnections wakes delivery lanes and downloads waiting for a peer
// when it connects, republishes our DHT records when a bootstrap peer or
// relay connects, and has connectBootstrap dial one that disconnected.
func (n *Node) watchConnections() {
	n.bootIDs = make(map[peer.ID]bool)
	n.infraLost = make(chan struct{}, 1)
	boot, _ := ParseAddrInfos(n.cfg.bootstrap)
	for _, p := range boot {
		n.bootIDs[p.ID] = true
	}
	infra := func(p peer.ID) bool { return n.bootIDs[p] || n.relays.Has(p) }
	n.host.Network().Notify(&network.NotifyBundle{
		ConnectedF: func(_ network.Network, c network.Conn) {
			n.post.PeerConnected(c.RemotePeer())
			n.media.PeerConnected()
			n.alog.PeerConnected(c.RemotePeer())
			n.devices.PeerConnected(c.RemotePeer())
			if infra(c.RemotePeer()) {
				// A bootstrap peer or relay (re)connected: it may have lost
				// our DHT records (they live in memory); publish again.
				n.pub.Republish()
			}
		},
		DisconnectedF: func(nw network.Network, c network.Conn) {
			n.devices.PeerDisconnected(c.RemotePeer())
			if p := c.RemotePeer(); infra(p) && nw.Connectedness(p) != network.Connected {
				select {
				case n.infraLost <- struct{}{}:
				default:
				}
			}
		},
	})
}

// levelFloor drops records below a level.
type levelFloor struct {
	slog.Handler
	min slog.Level
}

func (l levelFloor) Enabled(ctx context.Context, level slog.Level) bool {
	return level >= l.min && l.Handler.Enabled(ctx, level)
}

func (l levelFloor) WithAttrs(attrs []slog.Attr) slog.Handler {
	return levelFloor{l.Handler.WithAttrs(attrs), l.min}
}

func (l levelFloor) WithGroup(name string) slog.Handler {
	return levelFloor{l.Handler.WithGroup(name), l.min}
}
