package node

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	dht "github.com/libp2p/go-libp2p-kad-dht"
	"github.com/libp2p/go-libp2p/core/event"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/peerstore"
	"github.com/libp2p/go-libp2p/p2p/net/swarm"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/node/relays"
	"github.com/pigeon-net/pigeon/protocol/delivery"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/mailbox"
	"github.com/pigeon-net/pigeon/storage"
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
	// Warnings are problems a person should act on, one sentence each.
	Warnings []string
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

// Codes of PendingReason.
const (
	// PendingResolving: no attempt finished yet (the outbox is looking the
	// recipient up, or the message waits behind earlier ones).
	PendingResolving = "resolving"
	// PendingUnknownAccount: the recipient's device list is not in the DHT
	// (not published yet, or the network the node is in does not reach it).
	PendingUnknownAccount = "unknown_account"
	// PendingNoRelay: no device of the recipient answers and its device
	// list names no relay to leave the message at.
	PendingNoRelay = "no_relay"
	// PendingRelaysUnreachable: no device answers and none of the
	// recipient's relays could be reached either.
	PendingRelaysUnreachable = "relays_unreachable"
	// PendingRelayRefused: no device answers and the recipient's relays
	// refused the deposit (quota, not registered, ...).
	PendingRelayRefused = "relay_refused"
	// PendingCopying: the recipient's relays are copying the message's
	// file before they take the message.
	PendingCopying = "copying"
	// PendingIdentityChanged: the recipient's identity changed since the
	// user verified it; sending waits for VerifyContact.
	PendingIdentityChanged = "identity_changed"
	// PendingRefused: a device of the recipient refused the message (an
	// error code in its ack).
	PendingRefused = "refused"
	// PendingError: any other failure; the outbox retries.
	PendingError = "error"
)

// PendingReason says why an outgoing message is still pending.
type PendingReason struct {
	Code string // one of the Pending* codes
	Text string // one short sentence for people
	// Attempts is how many due attempts failed, and NextAttempt when the
	// outbox tries again (earlier when one of the recipient's devices or
	// relays connects); both zero before the first attempt.
	Attempts    int
	NextAttempt time.Time
}

func (r PendingReason) String() string { return r.Text }

var resolvingReason = PendingReason{Code: PendingResolving, Text: "resolving recipient"}

// Errors the outbox wraps so pendingReason can tell why an attempt failed.
var (
	errNoRelay           = errors.New("recipient not reachable; no relay known for them")
	errRelaysUnreachable = errors.New("no relay of the recipient is reachable")
)

// depositError is one relay's failure to take a deposit.
type depositError struct {
	relay peer.ID
	err   error
}

func (e *depositError) Error() string { return fmt.Sprintf("relay %s: %v", e.relay, e.err) }
func (e *depositError) Unwrap() error { return e.err }

// pendingReason explains a failed delivery attempt, most specific first;
// relays says whether the recipient's device list names relays.
func pendingReason(err error, relays bool) PendingReason {
	var (
		de *depositError
		ce *delivery.CodeError
	)
	switch {
	case errors.Is(err, ErrIdentityUnverified):
		return PendingReason{Code: PendingIdentityChanged, Text: "recipient's identity changed since you verified it; compare safety numbers and verify again"}
	case errors.Is(err, ErrUnknownAccount):
		return PendingReason{Code: PendingUnknownAccount, Text: "recipient's device list not found (not published yet, or not in the network this node reaches)"}
	case errors.As(err, &de):
		var me *mailbox.CodeError
		if errors.As(de.err, &me) {
			what := strings.ToLower(strings.TrimPrefix(me.Mailbox.String(), "MAILBOX_"))
			if me.Mailbox == 0 {
				what = strings.ToLower(me.Code.String())
			}
			what = strings.ReplaceAll(what, "_", " ")
			if errors.Is(me, mailbox.ErrQuotaExceeded) {
				what = "quota"
			}
			return PendingReason{Code: PendingRelayRefused, Text: fmt.Sprintf("recipient not reachable; relay %s refused: %s", shortPeer(de.relay), what)}
		}
		return PendingReason{Code: PendingRelaysUnreachable, Text: fmt.Sprintf("recipient not reachable; relay %s failed: %s", shortPeer(de.relay), short(de.err))}
	case errors.Is(err, errRelaysUnreachable):
		return PendingReason{Code: PendingRelaysUnreachable, Text: "recipient not reachable; none of their relays answers"}
	case errors.Is(err, errCopying):
		return PendingReason{Code: PendingCopying, Text: "recipient not reachable; their relays are copying the file"}
	case errors.Is(err, errNoRelay), unreachable(err) && !relays:
		return PendingReason{Code: PendingNoRelay, Text: errNoRelay.Error()}
	case unreachable(err):
		return PendingReason{Code: PendingRelaysUnreachable, Text: "recipient not reachable; none of their relays answers"}
	case errors.As(err, &ce):
		return PendingReason{Code: PendingRefused, Text: "recipient's device refused it: " + strings.ToLower(ce.Code.String())}
	}
	return PendingReason{Code: PendingError, Text: "delivery failed: " + short(err)}
}

// unreachable reports whether err is a failure to dial a peer.
func unreachable(err error) bool {
	var de *swarm.DialError
	return errors.As(err, &de) || errors.Is(err, swarm.ErrDialBackoff) || errors.Is(err, swarm.ErrAllDialsFailed) ||
		errors.Is(err, swarm.ErrNoAddresses) || errors.Is(err, swarm.ErrNoGoodAddresses)
}

// short is the last part of an error chain's text, at most a line.
func short(err error) string {
	if err == nil {
		return ""
	}
	s := strings.Join(strings.Fields(err.Error()), " ")
	if len(s) > 160 {
		s = s[:157] + "..."
	}
	return s
}

// shortPeer is a peer ID's last characters, as in logs.
func shortPeer(p peer.ID) string {
	s := p.String()
	if len(s) > 12 {
		return "…" + s[len(s)-8:]
	}
	return s
}

// waitReasons holds why each delivery lane waits. It is a leaf lock: never
// held while taking another.
type waitReasons struct {
	mu     sync.Mutex // guards byLane
	byLane map[identity.AccountID]PendingReason
}

func (w *waitReasons) get(to identity.AccountID) (PendingReason, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	r, ok := w.byLane[to]
	return r, ok
}

// set records the reason a lane waits and reports whether its code or text
// changed.
func (w *waitReasons) set(to identity.AccountID, r PendingReason) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.byLane == nil {
		w.byLane = make(map[identity.AccountID]PendingReason)
	}
	old, ok := w.byLane[to]
	w.byLane[to] = r
	return !ok || old.Code != r.Code || old.Text != r.Text
}

func (w *waitReasons) clear(to identity.AccountID) {
	w.mu.Lock()
	defer w.mu.Unlock()
	delete(w.byLane, to)
}

// noteAttempt records, after a delivery attempt of lane l, why the
// messages still pending wait (err, and when the next attempt is due), or
// forgets the lane's reason when nothing of the attempt is left. A reason
// that changed is published as MessagePending for the lane's messages.
func (o *outbox) noteAttempt(l *lane, items []storage.OutboxItem, err error) {
	n := o.n
	i := slices.IndexFunc(items, pending)
	if err == nil || i < 0 {
		n.waiting.clear(l.to)
		return
	}
	list := n.resolver.cached(l.to)
	r := pendingReason(err, list != nil && len(list.Relays) > 0)
	r.Attempts, r.NextAttempt = items[i].Attempts, items[i].NextAttempt
	if !n.waiting.set(l.to, r) {
		return
	}
	var ids []storage.MessageID
	o.mu.Lock()
	for _, it := range l.queue {
		if !it.Receipt {
			ids = append(ids, it.ID)
		}
	}
	o.mu.Unlock()
	for _, it := range items { // the attempt's items are back in the queue only later
		if pending(it) && !it.Receipt && !slices.Contains(ids, it.ID) {
			ids = append(ids, it.ID)
		}
	}
	if len(ids) > 0 {
		slices.SortFunc(ids, func(a, b storage.MessageID) int { return cmp.Compare(a.String(), b.String()) })
		n.bus.publish(MessagePending{IDs: rt.CoreIDs(ids), Peer: rt.CoreAccount(l.to), Reason: r})
	}
}

// PendingReason says why the outgoing message id is still pending; ok is
// false when it is not in the outbox (delivered, handed to a relay,
// failed, or not ours).
func (n *Node) PendingReason(ctx context.Context, id core.MessageID) (r PendingReason, ok bool, err error) {
	if err := n.ready(); err != nil {
		return r, false, fmt.Errorf("pending reason: %w", err)
	}
	it, err := n.store.OutboxItem(ctx, rt.ID(id))
	if errors.Is(err, storage.ErrNotFound) {
		return r, false, nil
	}
	if err != nil {
		return r, false, fmt.Errorf("pending reason: %w", err)
	}
	if it.Receipt {
		return r, false, nil
	}
	return n.laneReason(it), true, nil
}

// laneReason is the reason an outbox item waits: its lane's, else
// resolvingReason.
func (n *Node) laneReason(it storage.OutboxItem) PendingReason {
	if r, ok := n.waiting.get(identity.AccountID(it.Recipient)); ok {
		return r
	}
	r := resolvingReason
	r.Attempts, r.NextAttempt = it.Attempts, it.NextAttempt
	return r
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
	if st.DHT.RoutingTable == 0 {
		st.Warnings = append(st.Warnings, "no DHT peers: contacts cannot be looked up; start the daemon with --bootstrap ADDR or --relay ADDR, or add a relay")
	}
	items, err := n.store.Outbox(ctx)
	if err != nil {
		return Status{}, fmt.Errorf("status: %w", err)
	}
	for _, it := range items {
		if it.Receipt {
			continue
		}
		st.PendingTotal++
		if len(st.Pending) < maxStatusPending {
			st.Pending = append(st.Pending, PendingMessage{ID: rt.CoreID(it.ID), To: core.AccountID(it.Recipient), CreatedAt: it.CreatedAt, Reason: n.laneReason(it)})
		}
	}
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
		bp.lastErr = short(err)
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

// learnedRelayRetry is how soon a relay learned from a contact's device
// list is dialled again when it is not connected.
const learnedRelayRetry = time.Minute

// learnRelays connects to the relays a contact's device list names (its
// mailbox relays, and the relays of its circuit addresses) as DHT peers,
// not as relays of our own: a relay is a DHT server, so a node that
// bootstrapped elsewhere (a relay's network and a LAN's, say) joins the
// network its contacts live in.
func (n *Node) learnRelays(l *identity.DeviceList) {
	if l.Account == n.self || n.runCtx == nil {
		return
	}
	infos, _ := ParseAddrInfos(l.Relays)
	for _, d := range l.Devices {
		for _, a := range d.Addrs {
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
	n.learned.mu.Lock()
	if n.learned.at == nil {
		n.learned.at = make(map[peer.ID]time.Time)
	}
	for _, ai := range infos {
		if ai.ID == n.host.ID() || n.host.Network().Connectedness(ai.ID) == network.Connected ||
			now.Sub(n.learned.at[ai.ID]) < learnedRelayRetry {
			continue
		}
		n.learned.at[ai.ID] = now
		dial = append(dial, ai)
	}
	n.learned.mu.Unlock()
	for _, ai := range dial {
		n.goroutine(func(ctx context.Context) {
			n.host.Peerstore().AddAddrs(ai.ID, ai.Addrs, peerstore.AddressTTL)
			cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			defer cancel()
			if err := n.host.Connect(cctx, ai); err != nil {
				n.log.Debug("contact's relay unreachable", "relay", ai.ID, "err", err)
				return
			}
			n.log.Debug("connected to a contact's relay", "relay", ai.ID, "contact", l.Account.Short())
		})
	}
}

// learnedRelays remembers when each contact's relay was last dialled. It is
// a leaf lock.
type learnedRelays struct {
	mu sync.Mutex // guards at
	at map[peer.ID]time.Time
}
