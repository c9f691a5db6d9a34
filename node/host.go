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
	"github.com/libp2p/go-libp2p/gologshim"
	"github.com/libp2p/go-libp2p/p2p/net/connmgr"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/pigeon-net/pigeon/protocol/e2e"
	"github.com/pigeon-net/pigeon/protocol/identity"
)

// dhtPrefix keeps Pigeon's DHT apart from the public IPFS network.
const dhtPrefix = "/pigeon"

var routeLibp2pLogs sync.Once

// newHost builds the libp2p host and the DHT.
func newHost(ctx context.Context, cfg *config, key crypto.PrivKey, log *slog.Logger) (host.Host, *dht.IpfsDHT, error) {
	if cfg.set["WithLogger"] {
		// libp2p's own logging is process-wide: the first node with a
		// logger routes it, at warning level and above.
		routeLibp2pLogs.Do(func() {
			h := levelFloor{log.With("sub", "libp2p").Handler(), slog.LevelWarn}
			gologshim.SetDefaultHandler(h)
			routeGoLog(h)
		})
	}
	if _, err := parseBootstrap(cfg.bootstrap); err != nil {
		return nil, nil, err
	}
	cm, err := connmgr.NewConnManager(100, 400)
	if err != nil {
		return nil, nil, err
	}
	h, err := libp2p.New(
		libp2p.Identity(key),
		libp2p.ListenAddrStrings(cfg.listen...),
		libp2p.ConnectionManager(cm),
		libp2p.UserAgent("pigeon/0.1"),
	)
	if err != nil {
		return nil, nil, fmt.Errorf("libp2p host: %w", err)
	}
	boot, _ := parseBootstrap(cfg.bootstrap)
	d, err := dht.New(h,
		dht.Mode(dht.ModeServer),
		dht.ProtocolPrefix(dhtPrefix),
		dht.NamespacedValidator(identity.Namespace, identity.Validator{}),
		dht.NamespacedValidator(e2e.BundleNamespace, e2e.BundleValidator{}),
		dht.Datastore(dssync.MutexWrap(datastore.NewMapDatastore())),
		dht.BootstrapPeers(boot...),
	)
	if err != nil {
		h.Close()
		return nil, nil, fmt.Errorf("dht: %w", err)
	}
	return h, d, nil
}

// parseBootstrap parses full multiaddrs ending in /p2p/<id>.
func parseBootstrap(addrs []string) ([]peer.AddrInfo, error) {
	var out []peer.AddrInfo
	for _, s := range addrs {
		a, err := ma.NewMultiaddr(s)
		if err != nil {
			return nil, fmt.Errorf("bootstrap address %q: %w", s, err)
		}
		ai, err := peer.AddrInfoFromP2pAddr(a)
		if err != nil {
			return nil, fmt.Errorf("bootstrap address %q: %w (need /p2p/<peer id>)", s, err)
		}
		out = append(out, *ai)
	}
	return out, nil
}

// watchConnections wakes delivery lanes waiting for a peer when it connects.
func (n *Node) watchConnections() {
	n.host.Network().Notify(&network.NotifyBundle{
		ConnectedF: func(_ network.Network, c network.Conn) {
			n.outbox.peerConnected(c.RemotePeer())
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
