package presence

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/peerstore"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/identity"
	wire "github.com/pigeon-net/pigeon/protocol/presence"
	"github.com/pigeon-net/pigeon/storage"
)

// privacySetting is the store setting holding who sees our presence:
// "everyone", "contacts" or "nobody".
const privacySetting = "presence-privacy"

// queryTimeout bounds one presence query.
const queryTimeout = 10 * time.Second

// State is an account's presence as we may see it.
type State uint8

const (
	// Unknown: never seen, forgotten, or hidden from us by its privacy.
	Unknown State = iota
	// Online: at least one of its devices is online.
	Online
	// Offline: no device is online; Presence.LastSeen says since when.
	Offline
)

func (s State) String() string {
	switch s {
	case Online:
		return "online"
	case Offline:
		return "offline"
	}
	return "unknown"
}

// Presence is one account's presence.
type Presence struct {
	Account core.AccountID
	State   State
	// LastSeen is when the account was last online, set when State is
	// Offline (millisecond precision).
	LastSeen time.Time
}

func presenceOf(p wire.Presence) Presence {
	var st State
	switch p.State {
	case wire.Online:
		st = Online
	case wire.Offline:
		st = Offline
	}
	return Presence{Account: rt.CoreAccount(p.Account), State: st, LastSeen: p.LastSeen}
}

// Service is a node's presence and typing indicators (n.Presence()).
type Service struct {
	d       Deps
	clients clients
	typists *typists
	// contactsChanged (cap 1) tells the watch loop to re-read the
	// contacts.
	contactsChanged chan struct{}
}

// clients holds the presence clients: one announcing client per own relay
// (our heartbeat, with our privacy setting) and one asking client per relay
// of a contact we looked up.
type clients struct {
	mu      sync.Mutex // guards own, asking and privacy
	own     map[peer.ID]*wire.Client
	asking  map[peer.ID]*wire.Client
	privacy wire.Visibility
}

// New returns the presence feature and claims the Typing content kind; it
// does no I/O (node calls this).
func New(d Deps) (*Service, error) {
	if d.Host == nil || d.Store == nil || d.Devices == nil || d.Relays == nil || d.Policy == nil ||
		d.Outbox == nil || d.Registry == nil || d.Publish == nil || d.Go == nil || d.Ready == nil || d.Log == nil ||
		d.Ops == nil || d.Enqueue == nil {
		return nil, errors.New("presence: incomplete deps")
	}
	s := &Service{d: d, contactsChanged: make(chan struct{}, 1)}
	s.clients.privacy = wire.Contacts
	s.typists = newTypists(d.Publish)
	d.Registry.HandleContent(kindTyping, nil, s.takeTyping)
	d.Ops.HandleOp(OpPrivacy, s.foldPrivacy)
	d.Ops.HandleState("presence", s.digest)
	return s, nil
}

// Start reads the privacy setting (default: contacts) and starts the
// announce and watch loops (node calls this).
func (s *Service) Start(ctx context.Context) error {
	raw, err := s.d.Store.Setting(ctx, privacySetting)
	switch {
	case errors.Is(err, storage.ErrNotFound):
	case err != nil:
		return fmt.Errorf("load presence privacy: %w", err)
	default:
		v, err := parseVisibility(string(raw))
		if err != nil {
			return fmt.Errorf("load presence privacy: %w", err)
		}
		s.clients.mu.Lock()
		s.clients.privacy = v
		s.clients.mu.Unlock()
	}
	s.clients.mu.Lock()
	s.clients.own = make(map[peer.ID]*wire.Client)
	s.clients.asking = make(map[peer.ID]*wire.Client)
	s.clients.mu.Unlock()
	s.d.Go(s.announceLoop)
	s.d.Go(s.watchLoop)
	return nil
}

// Close stops the typing timers; node calls it after its goroutines
// stopped (the loops close the presence clients as they end).
func (s *Service) Close() {
	s.typists.close()
}

// ready returns why the node cannot serve calls (not started, closed).
func (s *Service) ready() error {
	if s == nil {
		return core.ErrNotStarted
	}
	return s.d.Ready()
}

// SetPrivacy sets who may see this account online and its last seen:
// "everyone", "contacts" (the default) or "nobody".
func (s *Service) SetPrivacy(ctx context.Context, who string) error {
	if err := s.ready(); err != nil {
		return fmt.Errorf("set presence privacy: %w", err)
	}
	v, err := parseVisibility(who)
	if err != nil {
		return fmt.Errorf("set presence privacy: %w", err)
	}
	if err := s.recordPrivacy(ctx, v); err != nil {
		return fmt.Errorf("set presence privacy: %w", err)
	}
	s.clients.mu.Lock()
	s.clients.privacy = v
	s.clients.mu.Unlock()
	s.updatePrivacy(ctx)
	return nil
}

// Privacy returns who may see this account online and its last seen:
// "everyone", "contacts" (the default) or "nobody".
func (s *Service) Privacy(ctx context.Context) (string, error) {
	if err := s.ready(); err != nil {
		return "", fmt.Errorf("presence privacy: %w", err)
	}
	s.clients.mu.Lock()
	v := s.clients.privacy
	s.clients.mu.Unlock()
	return v.String(), nil
}

// ContactsChanged sends our privacy (whose allowed accounts are the
// contacts) to our relays again and has the watch loop re-read the
// contacts. For node's wiring: the contacts feature calls it after every
// write.
func (s *Service) ContactsChanged() {
	s.updatePrivacy(context.Background())
}

// Get asks account's relays whether it is online, and since when it is
// not. It is online if any relay says so, else offline with the latest
// last seen any relay knows; Unknown when its privacy hides it from us or
// no relay knows it.
func (s *Service) Get(ctx context.Context, account core.AccountID) (Presence, error) {
	const op = "presence"
	if err := s.ready(); err != nil {
		return Presence{}, fmt.Errorf("%s: %w", op, err)
	}
	list, err := s.d.Devices.Get(ctx, account, false)
	if err != nil {
		return Presence{}, fmt.Errorf("%s: %w", op, err)
	}
	relays := relaysOf(list)
	if len(relays) == 0 {
		return Presence{Account: account}, nil // no relay: nobody tracks it
	}
	best := wire.Presence{Account: rt.Account(account)}
	var errs []error
	for _, r := range relays {
		c, err := s.askingClient(r)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		qctx, cancel := context.WithTimeout(ctx, queryTimeout)
		p, err := c.Query(qctx, rt.Account(account))
		cancel()
		if err != nil {
			errs = append(errs, err)
			continue
		}
		switch {
		case p.State == wire.Online:
			return presenceOf(p), nil
		case p.State == wire.Offline && (best.State != wire.Offline || p.LastSeen.After(best.LastSeen)):
			best = p
		}
	}
	if best.State == wire.Unknown && len(errs) == len(relays) {
		return presenceOf(best), fmt.Errorf("%s: no relay answered: %w", op, errors.Join(errs...))
	}
	return presenceOf(best), nil
}

// relaysOf returns the relays a device list names; none when one of them
// does not parse.
func relaysOf(list *identity.DeviceList) []peer.AddrInfo {
	var out []peer.AddrInfo
	for _, s := range list.Relays {
		ai, err := peer.AddrInfoFromString(s)
		if err != nil {
			return nil
		}
		out = append(out, *ai)
	}
	return out
}

// privacy returns the setting and the accounts allowed to see us.
func (s *Service) privacy(ctx context.Context) (wire.Privacy, error) {
	s.clients.mu.Lock()
	v := s.clients.privacy
	s.clients.mu.Unlock()
	p := wire.Privacy{Visibility: v}
	if v == wire.Contacts {
		cs, err := s.d.Store.Contacts(ctx)
		if err != nil {
			return p, err
		}
		blocked, err := s.d.Store.BlockedAccounts(ctx)
		if err != nil {
			return p, err
		}
		for _, c := range cs {
			if len(p.Allowed) == wire.MaxAllowed {
				break
			}
			if !slices.Contains(blocked, c.Account) {
				p.Allowed = append(p.Allowed, identity.AccountID(c.Account))
			}
		}
	}
	return p, nil
}

func parseVisibility(s string) (wire.Visibility, error) {
	switch strings.TrimSpace(s) {
	case "everyone":
		return wire.Everyone, nil
	case "contacts":
		return wire.Contacts, nil
	case "nobody":
		return wire.Nobody, nil
	}
	return 0, fmt.Errorf("%w: presence privacy %q (want everyone, contacts or nobody)", core.ErrBadSetting, s)
}

// updatePrivacy sends the current privacy to every own relay (after the
// setting or the contacts changed).
func (s *Service) updatePrivacy(ctx context.Context) {
	select { // the contacts watched may have changed too
	case s.contactsChanged <- struct{}{}:
	default:
	}
	priv, err := s.privacy(ctx)
	if err != nil {
		s.d.Log.Warn("presence privacy", "err", err)
		return
	}
	s.clients.mu.Lock()
	defer s.clients.mu.Unlock()
	for _, c := range s.clients.own {
		if err := c.SetPrivacy(priv); err != nil {
			s.d.Log.Debug("set presence privacy", "err", err)
		}
	}
}

// askingClient returns the client asking relay r (our own relay's
// announcing client when r is one of ours).
func (s *Service) askingClient(r peer.AddrInfo) (*wire.Client, error) {
	s.clients.mu.Lock()
	defer s.clients.mu.Unlock()
	if c := s.clients.own[r.ID]; c != nil {
		return c, nil
	}
	if c := s.clients.asking[r.ID]; c != nil {
		return c, nil
	}
	if s.clients.asking == nil {
		return nil, core.ErrClosed
	}
	s.d.Host.Peerstore().AddAddrs(r.ID, r.Addrs, peerstore.TempAddrTTL)
	c, err := wire.NewClient(s.d.Host, r.ID, s.d.Cert, wire.WithClientLogger(s.d.Log))
	if err != nil {
		return nil, err
	}
	s.clients.asking[r.ID] = c
	return c, nil
}
