package relays

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/mailbox"
	"github.com/pigeon-net/pigeon/protocol/pb"
)

// Service is the node's relays: node.Relays returns it. Its methods are
// safe for concurrent use.
type Service struct {
	d    Deps
	log  *slog.Logger
	box  mailbox.Box // this device's mailbox at any relay
	set  relaySet
	push pushState
}

// Status describes one of the node's relays.
type Status struct {
	Addr      string // full multiaddr with /p2p/<id>
	PeerID    string
	Reserved  bool      // a reservation is held: peers can reach us through it
	Expires   time.Time // of the reservation
	Latency   time.Duration
	Region    string // as the relay says; "" until it has told us
	Mailbox   bool   // one of the relays published for senders to deposit at
	LastError string // of the last reservation attempt (or closing), if it failed
	// Closing marks a relay that was removed while it could not be
	// reached: the node keeps trying to close its mailbox there (so senders
	// with an old copy of the device list learn of the removal) until the
	// registration there would have expired.
	Closing bool

	// Push is what the relay did with our push endpoint.
	Push Push
}

// New returns the relays feature of a node; node calls it. It does no I/O.
func New(d Deps) (*Service, error) {
	if d.Host == nil || d.Store == nil || d.PreKeys == nil || d.Groups == nil || d.OpenDeposit == nil ||
		d.Durable == nil || d.DepositKeys == nil || d.QuietKeys == nil || d.RotateDepositSecret == nil || d.ListVersion == nil ||
		d.Republish == nil || d.Ready == nil || d.Go == nil || d.Log == nil || d.Cert == nil || d.Ops == nil || d.Enqueue == nil {
		return nil, errors.New("relays: incomplete deps")
	}
	s := &Service{d: d, log: d.Log, box: mailbox.Box{Account: rt.Account(d.Account), Device: d.Device}}
	d.Ops.HandleOp(OpRelay, s.foldRelay)
	d.Ops.HandleState("relays", s.digest)
	return s, nil
}

// Start loads the relays (configured and stored) and the push endpoint,
// picks the mailbox relays, and starts keeping reservations with the
// relays, draining our mailboxes there and closing those of removed
// relays; node calls it once what deposits reach is ready.
func (s *Service) Start(ctx context.Context) error {
	if err := s.set.load(ctx, s.d.Store, s.d.Configured, s.log); err != nil {
		return err
	}
	if err := s.push.load(ctx, s.d.Store); err != nil {
		return err
	}
	s.set.choose(s.d.MailboxRelays)
	s.d.Go(s.reserveLoop)
	s.d.Go(s.mailboxLoop)
	s.d.Go(s.closeLoop)
	return nil
}

// Close releases what the service holds; node calls it after its
// goroutines stopped. The service holds nothing beyond them.
func (s *Service) Close() {}

// ready returns why the service cannot serve calls, or nil.
func (s *Service) ready() error {
	if s == nil {
		return core.ErrNotStarted
	}
	return s.d.Ready()
}

// List lists the node's relays with their reservation and latency, then
// the removed ones whose mailbox is still to be closed.
func (s *Service) List(ctx context.Context) ([]Status, error) {
	if err := s.ready(); err != nil {
		return nil, fmt.Errorf("relays: %w", err)
	}
	ep := s.push.endpoint()
	s.set.mu.Lock()
	defer s.set.mu.Unlock()
	out := make([]Status, len(s.set.relays), len(s.set.relays)+len(s.set.closing))
	for i, r := range s.set.relays {
		out[i] = Status{Addr: r.addr, PeerID: r.info.ID.String(), Reserved: !r.until.IsZero(), Expires: r.until, Latency: r.latency,
			Region: r.region, Mailbox: slices.Contains(s.set.mailboxes, r.info.ID), LastError: r.lastErr,
			Push: relayPush(r, ep)}
	}
	for _, c := range s.set.closing {
		out = append(out, Status{Addr: c.addr, PeerID: c.info.ID.String(), Closing: true, LastError: c.lastErr})
	}
	return out, nil
}

// Add starts using a relay (full multiaddr ending in /p2p/<id>) and
// remembers it across restarts. invite is the relay's invite token when it
// serves invited accounts only, else empty.
func (s *Service) Add(ctx context.Context, addr, invite string) error {
	if err := s.ready(); err != nil {
		return fmt.Errorf("add relay: %w", err)
	}
	info, err := parseAddr(addr)
	if err != nil {
		return fmt.Errorf("add relay: %w: %v", ErrBadAddress, err)
	}
	if info.ID == s.d.Host.ID() {
		return fmt.Errorf("add relay: %w", core.ErrSelf)
	}
	if strings.ContainsAny(invite, ", \n") {
		return fmt.Errorf("add relay: %w: invite must not contain commas or spaces", ErrBadAddress)
	}
	if !s.set.add(addr, invite, info) {
		return nil
	}
	s.rechoose()
	s.set.signal()
	return s.saveAndRecord(ctx, &pb.OpRelay{Addr: addr, Invite: invite}, info.ID)
}

// Remove stops using the relay with peer ID id and forgets it. The node
// closes its mailbox there after taking what it still holds: the relay
// then refuses deposits as closed, and senders with an old copy of the
// device list fetch it again. When the relay cannot be reached, the node
// keeps trying in the background (List shows it as closing meanwhile).
func (s *Service) Remove(ctx context.Context, id string) error {
	if err := s.ready(); err != nil {
		return fmt.Errorf("remove relay: %w", err)
	}
	p, err := peer.Decode(id)
	if err != nil {
		return fmt.Errorf("remove relay: %w: peer ID: %v", ErrBadAddress, err)
	}
	addr := s.set.addrOf(p)
	if !s.set.remove(p) {
		return fmt.Errorf("remove relay: %w: %s", ErrUnknownRelay, p)
	}
	s.rechoose()
	s.set.signal()
	return s.saveAndRecord(ctx, &pb.OpRelay{Addr: addr, Removed: true}, p)
}

// RotateDepositSecret replaces this device's deposit secret with a new
// one and registers it with every relay. The relays accept the previous
// one until the next rotation, so the devices this device writes to keep
// depositing as contacts while they learn the new one (it goes with this
// device's next message to each); anyone who only had an older one
// deposits as a stranger from then on.
func (s *Service) RotateDepositSecret(ctx context.Context) error {
	if err := s.ready(); err != nil {
		return fmt.Errorf("rotate deposit secret: %w", err)
	}
	if err := s.d.RotateDepositSecret(ctx); err != nil {
		return fmt.Errorf("rotate deposit secret: %w", err)
	}
	s.set.signal() // register the new keys with every relay
	return nil
}

// The methods below are for node's wiring and the other features; they
// are not part of the embedding API.

// Infos returns the address of every relay in use.
func (s *Service) Infos() []peer.AddrInfo { return s.set.infos() }

// Watch returns a channel that receives (coalesced) whenever the relays,
// the push endpoint or what is registered with them changes.
func (s *Service) Watch() <-chan struct{} { return s.set.watch() }

// Signal tells every watcher that something registered with the relays
// changed (the group topics, the device list version): the mailboxes
// register again.
func (s *Service) Signal() { s.set.signal() }

// DrainAgain has every mailbox registered and drained again, for what was
// left there while the disk was full.
func (s *Service) DrainAgain() { s.set.signal() }

// All returns the peer IDs of the relays in use.
func (s *Service) All() []peer.ID {
	infos := s.set.infos()
	out := make([]peer.ID, len(infos))
	for i, ai := range infos {
		out[i] = ai.ID
	}
	return out
}

// Mailboxes returns the peer IDs of the mailbox relays (those the device
// list names), most preferred first.
func (s *Service) Mailboxes() []peer.ID {
	s.set.mu.Lock()
	defer s.set.mu.Unlock()
	return slices.Clone(s.set.mailboxes)
}

// Has reports whether p is one of the relays in use.
func (s *Service) Has(p peer.ID) bool { return s.set.has(p) }

// CircuitAddrs returns this node's addresses through the relays holding a
// reservation, for the device list.
func (s *Service) CircuitAddrs() []ma.Multiaddr { return s.set.circuitAddrs() }

// MailboxAddrs returns the full addresses of the mailbox relays, most
// preferred first, for the device list.
func (s *Service) MailboxAddrs() []string { return s.set.mailboxAddrs() }
