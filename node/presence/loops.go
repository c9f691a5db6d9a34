package presence

import (
	"context"
	"slices"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/peerstore"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	wire "github.com/pigeon-net/pigeon/protocol/presence"
)

// announceLoop keeps an announcing presence client at each own relay.
func (s *Service) announceLoop(ctx context.Context) {
	defer s.closeClients()
	changed := s.d.Relays.Watch()
	for {
		want := make(map[peer.ID]peer.AddrInfo)
		for _, info := range s.d.Relays.Infos() {
			want[info.ID] = info
		}
		priv, err := s.privacy(ctx)
		if err != nil && ctx.Err() == nil {
			s.d.Log.Warn("presence privacy", "err", err)
		}
		s.clients.mu.Lock()
		if s.clients.own == nil { // closed
			s.clients.mu.Unlock()
			return
		}
		for id, info := range want {
			if s.clients.own[id] != nil {
				continue
			}
			s.d.Host.Peerstore().AddAddrs(id, info.Addrs, peerstore.PermanentAddrTTL)
			c, err := wire.NewClient(s.d.Host, id, s.d.Cert, wire.WithPrivacy(priv), wire.WithClientLogger(s.d.Log))
			if err != nil {
				s.d.Log.Warn("presence client", "relay", id, "err", err)
				continue
			}
			s.clients.own[id] = c
		}
		for id, c := range s.clients.own {
			if _, ok := want[id]; !ok {
				c.Close()
				delete(s.clients.own, id)
			}
		}
		s.clients.mu.Unlock()
		select {
		case <-ctx.Done():
			return
		case <-changed:
		}
	}
}

func (s *Service) closeClients() {
	s.clients.mu.Lock()
	defer s.clients.mu.Unlock()
	for _, c := range s.clients.own {
		c.Close()
	}
	for _, c := range s.clients.asking {
		c.Close()
	}
	s.clients.own, s.clients.asking = nil, nil
}

// watchedRefresh is how often the contacts watched for presence are
// re-read even without a change (their relays may have changed).
const watchedRefresh = 10 * time.Minute

// watchLoop subscribes to the presence of every contact at its first relay
// and publishes the changes as Changed events. It rebuilds the
// subscriptions when contacts change.
func (s *Service) watchLoop(ctx context.Context) {
	type watching struct {
		accounts []core.AccountID
		sub      *wire.Subscription
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
		want := make(map[peer.ID][]core.AccountID)
		infos := make(map[peer.ID]peer.AddrInfo)
		if cs, err := s.d.Store.Contacts(ctx); err == nil {
			for _, c := range cs {
				acct := core.AccountID(c.Account)
				lctx, cancel := context.WithTimeout(ctx, queryTimeout)
				list, err := s.d.Devices.Get(lctx, acct, false)
				cancel()
				if err != nil {
					continue
				}
				relays := relaysOf(list)
				if len(relays) == 0 {
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
			c, err := s.askingClient(infos[id])
			if err != nil {
				continue
			}
			sub, err := c.Subscribe(rt.Accounts(accounts))
			if err != nil {
				s.d.Log.Debug("presence subscription", "relay", id, "err", err)
				continue
			}
			wctx, stop := context.WithCancel(ctx)
			subs[id] = &watching{accounts: accounts, sub: sub, stop: stop}
			s.d.Go(func(context.Context) {
				for {
					select {
					case <-wctx.Done():
						return
					case p, ok := <-sub.Updates():
						if !ok {
							return
						}
						s.d.Publish(Changed{Presence: presenceOf(p)})
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
		case <-s.contactsChanged:
			t.Stop()
		}
	}
}
