package node

import (
	"context"
	"fmt"
	"sync"
	"time"

	dht "github.com/libp2p/go-libp2p-kad-dht"
	"github.com/libp2p/go-libp2p/core/event"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/node/relays"
)

// Status is what the node knows about its place in the network and about
// the messages it has not delivered yet (Node.Status).
type Status struct {
	Info
	// Reachability is AutoNAT's verdict on the listen addresses: "public",
	// "private" (behind NAT: only relays make the node reachable) or
	// "unknown" (not enough peers have tried, as on a LAN or loopback).
	Reachability string
	// CircuitAddrs are the addresses through relays holding a reservation,
	// published in the device list.
	CircuitAddrs []ma.Multiaddr
	Peers        int // connected peers
	DHT          DHTStatus
	Bootstrap    []BootstrapStatus
	Relays       []relays.Status
	// Pending are the outgoing messages not yet handed to the recipient or
	// one of its relays, oldest first (at most maxStatusPending of them),
	// and PendingTotal how many there are.
	Pending      []PendingMessage
	PendingTotal int
	// Disk is the free space on the disk holding the node's data.
	Disk DiskStatus
	// Warnings are problems a person should act on, one sentence each.
	Warnings []string
}

// DiskStatus is the free space on the fullest disk holding the node's
// data, and what the node keeps free (WithMinFreeSpace plus the room its
// database needs for its own upkeep): below MinFree it refuses new work
// (Full) until there is room again.
type DiskStatus struct {
	Free    uint64 // bytes available (math.MaxUint64 when not measurable)
	MinFree uint64
	Full    bool
}

// DHTStatus describes the node's part in the DHT.
type DHTStatus struct {
	Mode         string // "server" or "client" (behind relays)
	RoutingTable int    // peers in the routing table
}

// BootstrapStatus describes one bootstrap peer (WithBootstrap).
type BootstrapStatus struct {
	Addr      string
	PeerID    peer.ID
	Connected bool
	LastError string // of the last dial, if it failed
}

// PendingMessage is an outgoing message the outbox still works on.
type PendingMessage struct {
	ID        core.MessageID
	To        core.AccountID
	CreatedAt time.Time
	Reason    PendingReason
}

// maxStatusPending bounds the pending messages Status lists.
const maxStatusPending = 100

// Codes of PendingReason (core's).
const (
	PendingResolving         = core.PendingResolving
	PendingUnknownAccount    = core.PendingUnknownAccount
	PendingNoRelay           = core.PendingNoRelay
	PendingRelaysUnreachable = core.PendingRelaysUnreachable
	PendingRelayRefused      = core.PendingRelayRefused
	PendingCopying           = core.PendingCopying
	PendingIdentityChanged   = core.PendingIdentityChanged
	PendingRefused           = core.PendingRefused
	PendingError             = core.PendingError
)

// PendingReason says why an outgoing message is still pending (core's).
type PendingReason = core.PendingReason

// PendingReason says why the outgoing message id is still pending; ok is
// false when it is not in the outbox (delivered, handed to a relay,
// failed, or not ours).
func (n *Node) PendingReason(ctx context.Context, id core.MessageID) (r PendingReason, ok bool, err error) {
	if err := n.ready(); err != nil {
		return r, false, fmt.Errorf("pending reason: %w", err)
	}
	r, ok, err = n.post.PendingReason(ctx, id)
	if err != nil {
		return r, false, fmt.Errorf("pending reason: %w", err)
	}
	return r, ok, nil
}

// Status reports the node's addresses and reachability, its DHT and
// bootstrap peers, its relays and the messages still pending with why.
func (n *Node) Status(ctx context.Context) (Status, error) {
	if err := n.ready(); err != nil {
		return Status{}, fmt.Errorf("status: %w", err)
	}
	st := Status{
		Info:         n.Info(),
		Reachability: reachabilityText(network.Reachability(n.reachability.Load())),
		CircuitAddrs: n.relays.CircuitAddrs(),
		Peers:        len(n.host.Network().Peers()),
		DHT:          DHTStatus{Mode: "server", RoutingTable: n.dht.RoutingTable().Size()},
	}
	if n.dht.Mode() == dht.ModeClient {
		st.DHT.Mode = "client"
	}
	st.Bootstrap = n.boot.status(n)
	for _, b := range st.Bootstrap {
		if !b.Connected && b.LastError != "" {
			st.Warnings = append(st.Warnings, fmt.Sprintf("bootstrap peer %s unreachable: %s", b.Addr, b.LastError))
		}
	}
	rs, err := n.relays.List(ctx)
	if err != nil {
		return Status{}, fmt.Errorf("status: %w", err)
	}
	st.Relays = rs
	for _, r := range rs {
		if !r.Reserved && r.LastError != "" {
			st.Warnings = append(st.Warnings, fmt.Sprintf("relay %s: no reservation: %s", r.Addr, r.LastError))
		}
	}
	sp := n.store.Space()
	st.Disk = DiskStatus{Free: sp.Free, MinFree: sp.MinFree, Full: sp.Full}
	if sp.Full {
		st.Warnings = append(st.Warnings, fmt.Sprintf("disk nearly full (%d MiB free, %d MiB kept): new messages, sends and downloads are refused; free some disk space", sp.Free>>20, sp.MinFree>>20))
	}
	if st.DHT.RoutingTable == 0 {
		st.Warnings = append(st.Warnings, "no DHT peers: contacts cannot be looked up; start the daemon with --bootstrap ADDR or --relay ADDR, or add a relay")
	}
	pending, total, err := n.post.Pending(ctx, maxStatusPending)
	if err != nil {
		return Status{}, fmt.Errorf("status: %w", err)
	}
	for _, p := range pending {
		st.Pending = append(st.Pending, PendingMessage(p))
	}
	st.PendingTotal = total
	return st, nil
}

func reachabilityText(r network.Reachability) string {
	switch r {
	case network.ReachabilityPublic:
		return "public"
	case network.ReachabilityPrivate:
		return "private"
	}
	return "unknown"
}

// reachabilityLoop keeps AutoNAT's latest verdict for Status.
func (n *Node) reachabilityLoop(ctx context.Context) {
	sub, err := n.host.EventBus().Subscribe(new(event.EvtLocalReachabilityChanged))
	if err != nil {
		n.log.Warn("subscribe to reachability", "err", err)
		return
	}
	defer sub.Close()
	for {
		select {
		case <-ctx.Done():
			return
		case e, ok := <-sub.Out():
			if !ok {
				return
			}
			r := e.(event.EvtLocalReachabilityChanged).Reachability
			n.reachability.Store(int32(r))
			n.log.Info("reachability changed", "reachability", reachabilityText(r))
		}
	}
}

// bootPeers tracks the dials of bootstrap peers for Status and for the
// log: an unreachable one is a warning once per outage, not at every retry.
type bootPeers struct {
	mu    sync.Mutex // guards peers
	peers map[peer.ID]*bootPeer
}

type bootPeer struct {
	addr    string
	lastErr string
}

// dialed records the outcome of dialling p (addr is how it was given) and
// reports whether it changed from reachable to not or back.
func (b *bootPeers) dialed(p peer.ID, addr string, err error) (changed bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.peers == nil {
		b.peers = make(map[peer.ID]*bootPeer)
	}
	bp := b.peers[p]
	if bp == nil {
		bp = &bootPeer{addr: addr}
		b.peers[p] = bp
	}
	was := bp.lastErr
	bp.lastErr = ""
	if err != nil {
		bp.lastErr = rt.ShortError(err)
	}
	return (was == "") != (bp.lastErr == "")
}

// status lists the configured bootstrap peers.
func (b *bootPeers) status(n *Node) []BootstrapStatus {
	infos, _ := ParseAddrInfos(n.cfg.bootstrap)
	out := make([]BootstrapStatus, 0, len(infos))
	b.mu.Lock()
	defer b.mu.Unlock()
	for i, p := range infos {
		s := BootstrapStatus{Addr: n.cfg.bootstrap[i], PeerID: p.ID, Connected: n.host.Network().Connectedness(p.ID) == network.Connected}
		if bp := b.peers[p.ID]; bp != nil && !s.Connected {
			s.LastError = bp.lastErr
		}
		out = append(out, s)
	}
	return out
}
