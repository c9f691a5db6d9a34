package devlists

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/peerstore"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/identity"
)

// LearnedRelayRetry is how soon a relay learned from a contact's device
// list is dialled again when it is not connected.
const LearnedRelayRetry = time.Minute

// RelayDialer connects to the relays a contact's device list names (its
// mailbox relays, and the relays of its circuit addresses) as DHT peers,
// not as relays of our own: a relay is a DHT server, so a node that
// bootstrapped elsewhere (a relay's network and a LAN's, say) joins the
// network its contacts live in.
type RelayDialer struct {
	self identity.AccountID
	host host.Host
	goFn func(func(ctx context.Context)) bool // the node's goroutine owner
	log  *slog.Logger

	mu sync.Mutex // guards at; a leaf lock
	at map[peer.ID]time.Time
}

// NewRelayDialer makes a RelayDialer (node calls this); its dials run
// through goFn.
func NewRelayDialer(self identity.AccountID, h host.Host, goFn func(func(ctx context.Context)) bool, log *slog.Logger) *RelayDialer {
	return &RelayDialer{self: self, host: h, goFn: goFn, log: log, at: make(map[peer.ID]time.Time)}
}

// Learned dials the relays l names (an OnLearned hook); it does not
// block.
func (d *RelayDialer) Learned(l *identity.DeviceList) {
	if l.Account == d.self {
		return
	}
	infos, _ := rt.ParseAddrInfos(l.Relays)
	for _, dev := range l.Devices {
		for _, a := range dev.Addrs {
			relayPart, circuit := ma.SplitFunc(a, func(c ma.Component) bool { return c.Protocol().Code == ma.P_CIRCUIT })
			if circuit != nil && relayPart != nil {
				if ai, err := peer.AddrInfoFromP2pAddr(relayPart); err == nil {
					infos = append(infos, *ai)
				}
			}
		}
	}
	now := time.Now()
	var dial []peer.AddrInfo
	d.mu.Lock()
	for _, ai := range infos {
		if ai.ID == d.host.ID() || d.host.Network().Connectedness(ai.ID) == network.Connected ||
			now.Sub(d.at[ai.ID]) < LearnedRelayRetry {
			continue
		}
		d.at[ai.ID] = now
		dial = append(dial, ai)
	}
	d.mu.Unlock()
	for _, ai := range dial {
		d.goFn(func(ctx context.Context) {
			d.host.Peerstore().AddAddrs(ai.ID, ai.Addrs, peerstore.AddressTTL)
			cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			defer cancel()
			if err := d.host.Connect(cctx, ai); err != nil {
				d.log.Debug("contact's relay unreachable", "relay", ai.ID, "err", err)
				return
			}
			d.log.Debug("connected to a contact's relay", "relay", ai.ID, "contact", l.Account.Short())
		})
	}
}
