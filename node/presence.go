package node

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

	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/presence"
	"github.com/pigeon-net/pigeon/storage"
)

// privacySetting is the store setting holding who sees our presence:
// "everyone", "contacts" or "nobody".
const privacySetting = "presence-privacy"

// presenceTimeout bounds one presence query.
const presenceTimeout = 10 * time.Second

// Presence is a contact's online state as its relays report it.
type Presence = presence.Presence

// presences holds the presence clients: one announcing client per own relay
// (our heartbeat, with our privacy setting) and one asking client per relay
// of a contact we looked up.
type presences struct {
	mu      sync.Mutex // guards own, asking and privacy
	own     map[peer.ID]*presence.Client
	asking  map[peer.ID]*presence.Client
	privacy presence.Visibility
}

// privacy returns the setting and the accounts allowed to see us.
func (n *Node) presencePrivacy(ctx context.Context) (presence.Privacy, error) {
	n.presences.mu.Lock()
	v := n.presences.privacy
	n.presences.mu.Unlock()
	p := presence.Privacy{Visibility: v}
	if v == presence.Contacts {
		cs, err := n.store.Contacts(ctx)
		if err != nil {
			return p, err
		}
		for _, c := range cs {
			if len(p.Allowed) == presence.MaxAllowed {
				break
			}
			p.Allowed = append(p.Allowed, identity.AccountID(c.Account))
		}
	}
	return p, nil
}

func parseVisibility(s string) (presence.Visibility, error) {
	switch strings.TrimSpace(s) {
	case "everyone":
		return presence.Everyone, nil
	case "contacts":
		return presence.Contacts, nil
	case "nobody":
		return presence.Nobody, nil
	}
	return 0, fmt.Errorf("%w: presence privacy %q (want everyone, contacts or nobody)", ErrBadSetting, s)
}

// ErrBadSetting is returned for setting values out of range.
var ErrBadSetting = errors.New("bad setting")

// loadPresence prepares the presence clients and reads the privacy
// setting (default: contacts).
func (n *Node) loadPresence(ctx context.Context) error {
	n.presences.own = make(map[peer.ID]*presence.Client)
	n.presences.asking = make(map[peer.ID]*presence.Client)
	n.presences.privacy = presence.Contacts
	raw, err := n.store.Setting(ctx, privacySetting)
	switch {
	case errors.Is(err, storage.ErrNotFound):
		return nil
	case err != nil:
		return fmt.Errorf("load presence privacy: %w", err)
	}
	if n.presences.privacy, err = parseVisibility(string(raw)); err != nil {
		return fmt.Errorf("load presence privacy: %w", err)
	}
	return nil
}

// presenceLoop keeps an announcing presence client at each own relay.
func (n *Node) presenceLoop(ctx context.Context) {
	defer n.closePresence()
	changed := n.relays.Watch()
	for {
		want := make(map[peer.ID]peer.AddrInfo)
		for _, r := range n.relays.Infos() {
			want[r.ID] = r
		}
		priv, err := n.presencePrivacy(ctx)
		if err != nil && ctx.Err() == nil {
			n.log.Warn("presence privacy", "err", err)
		}
		n.presences.mu.Lock()
		if n.presences.own == nil { // closed
			n.presences.mu.Unlock()
			return
		}
		for id, info := range want {
			if n.presences.own[id] != nil {
				continue
			}
			n.host.Peerstore().AddAddrs(id, info.Addrs, peerstore.PermanentAddrTTL)
			c, err := presence.NewClient(n.host, id, n.cert.Signed, presence.WithPrivacy(priv), presence.WithClientLogger(n.log.With("sub", "presence")))
			if err != nil {
				n.log.Warn("presence client", "relay", id, "err", err)
				continue
			}
			n.presences.own[id] = c
		}
		for id, c := range n.presences.own {
			if _, ok := want[id]; !ok {
				c.Close()
				delete(n.presences.own, id)
			}
		}
		n.presences.mu.Unlock()
		select {
		case <-ctx.Done():
			return
		case <-changed:
		}
	}
}

func (n *Node) closePresence() {
	n.presences.mu.Lock()
	defer n.presences.mu.Unlock()
	for _, c := range n.presences.own {
		c.Close()
	}
	for _, c := range n.presences.asking {
		c.Close()
	}
	n.presences.own, n.presences.asking = nil, nil
}

// updatePresencePrivacy sends the current privacy to every own relay (after
// the setting or the contacts changed).
func (n *Node) updatePresencePrivacy(ctx context.Context) {
	select { // the contacts watched may have changed too
	case n.contactsChanged <- struct{}{}:
	default:
	}
	priv, err := n.presencePrivacy(ctx)
	if err != nil {
		n.log.Warn("presence privacy", "err", err)
		return
	}
	n.presences.mu.Lock()
	defer n.presences.mu.Unlock()
	for _, c := range n.presences.own {
		if err := c.SetPrivacy(priv); err != nil {
			n.log.Debug("set presence privacy", "err", err)
		}
	}
}

// SetPresencePrivacy sets who may see this account online and its last
// seen: "everyone", "contacts" (the default) or "nobody".
func (n *Node) SetPresencePrivacy(ctx context.Context, who string) error {
	if err := n.ready(); err != nil {
		return fmt.Errorf("set presence privacy: %w", err)
	}
	v, err := parseVisibility(who)
	if err != nil {
		return fmt.Errorf("set presence privacy: %w", err)
	}
	if err := n.store.PutSetting(ctx, privacySetting, []byte(v.String())); err != nil {
		return fmt.Errorf("set presence privacy: %w", err)
	}
	n.presences.mu.Lock()
	n.presences.privacy = v
	n.presences.mu.Unlock()
	n.updatePresencePrivacy(ctx)
	return nil
}

// Presence asks account's relays whether it is online, and since when it is
// not. It is online if any relay says so, else offline with the latest last
// seen any relay knows; Unknown when its privacy hides it from us or no
// relay knows it.
func (n *Node) Presence(ctx context.Context, account identity.AccountID) (Presence, error) {
	const op = "presence"
	if err := n.ready(); err != nil {
		return Presence{}, fmt.Errorf("%s: %w", op, err)
	}
	list, err := n.resolver.get(ctx, account, false)
	if err != nil {
		return Presence{}, fmt.Errorf("%s: %w", op, err)
	}
	relays, err := ParseAddrInfos(list.Relays)
	if err != nil || len(relays) == 0 {
		return Presence{Account: account}, nil // no relay: nobody tracks it
	}
	best := Presence{Account: account}
	var errs []error
	for _, r := range relays {
		c, err := n.askingClient(r)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		qctx, cancel := context.WithTimeout(ctx, presenceTimeout)
		p, err := c.Query(qctx, account)
		cancel()
		if err != nil {
			errs = append(errs, err)
			continue
		}
		switch {
		case p.State == presence.Online:
			return p, nil
		case p.State == presence.Offline && (best.State != presence.Offline || p.LastSeen.After(best.LastSeen)):
			best = p
		}
	}
	if best.State == presence.Unknown && len(errs) == len(relays) {
		return best, fmt.Errorf("%s: no relay answered: %w", op, errors.Join(errs...))
	}
	return best, nil
}

// askingClient returns the client asking relay r (our own relay's
// announcing client when r is one of ours).
func (n *Node) askingClient(r peer.AddrInfo) (*presence.Client, error) {
	n.presences.mu.Lock()
	defer n.presences.mu.Unlock()
	if c := n.presences.own[r.ID]; c != nil {
		return c, nil
	}
	if c := n.presences.asking[r.ID]; c != nil {
		return c, nil
	}
	if n.presences.asking == nil {
		return nil, ErrClosed
	}
	n.host.Peerstore().AddAddrs(r.ID, r.Addrs, peerstore.TempAddrTTL)
	c, err := presence.NewClient(n.host, r.ID, n.cert.Signed, presence.WithClientLogger(n.log.With("sub", "presence")))
	if err != nil {
		return nil, err
	}
	n.presences.asking[r.ID] = c
	return c, nil
}

// PresenceChanged is published when a contact comes online or goes offline
// (as its relays report it to us, following its privacy setting).
type PresenceChanged struct {
	Presence Presence
}

func (PresenceChanged) EventName() string { return "presence" }

// watchedRefresh is how often the contacts watched for presence are
// re-read even without a change (their relays may have changed).
const watchedRefresh = 10 * time.Minute

// watchLoop subscribes to the presence of every contact at its first relay
// and publishes the changes as PresenceChanged events. It rebuilds the
// subscriptions when contacts change.
func (n *Node) watchLoop(ctx context.Context) {
	type watching struct {
		accounts []identity.AccountID
		sub      *presence.Subscription
		stop     context.CancelFunc
	}
	subs := make(map[peer.ID]*watching)
	defer func() {
		for _, w := range subs {
			w.stop()
			w.sub.Close()
		}
	}()
	for {
		want := make(map[peer.ID][]identity.AccountID)
		infos := make(map[peer.ID]peer.AddrInfo)
		if cs, err := n.store.Contacts(ctx); err == nil {
			for _, c := range cs {
				acct := identity.AccountID(c.Account)
				lctx, cancel := context.WithTimeout(ctx, presenceTimeout)
				list, err := n.resolver.get(lctx, acct, false)
				cancel()
				if err != nil {
					continue
				}
				relays, err := ParseAddrInfos(list.Relays)
				if err != nil || len(relays) == 0 {
					continue
				}
				want[relays[0].ID] = append(want[relays[0].ID], acct)
				infos[relays[0].ID] = relays[0]
			}
		}
		for id, w := range subs {
			if !slices.Equal(w.accounts, want[id]) {
				w.stop()
				w.sub.Close()
				delete(subs, id)
			}
		}
		for id, accounts := range want {
			if subs[id] != nil {
				continue
			}
			c, err := n.askingClient(infos[id])
			if err != nil {
				continue
			}
			sub, err := c.Subscribe(accounts)
			if err != nil {
				n.log.Debug("presence subscription", "relay", id, "err", err)
				continue
			}
			wctx, stop := context.WithCancel(ctx)
			subs[id] = &watching{accounts: accounts, sub: sub, stop: stop}
			n.goroutine(func(context.Context) {
				for {
					select {
					case <-wctx.Done():
						return
					case p, ok := <-sub.Updates():
						if !ok {
							return
						}
						n.bus.publish(PresenceChanged{Presence: p})
					}
				}
			})
		}
		t := time.NewTimer(watchedRefresh)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		case <-n.contactsChanged:
			t.Stop()
		}
	}
}
