package accountlog

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/acctlog"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/storage"
)

// SyncInterval is how often a device pulls from each sibling it can reach
// besides when one connects.
const SyncInterval = 10 * time.Minute

// Sync pulls from the sibling device at p every operation this device
// lacks, applying each batch (verify, store, fold) in one transaction
// before the next; an interrupted pull resumes where it stopped when
// called again. It publishes core.HistorySync as it goes and returns how
// many operations it applied.
func (s *Service) Sync(ctx context.Context, p peer.ID) (int, error) {
	// A pull cut off by its connection (the sibling closed it: a failed
	// delivery to a device that was just linked drops its connections)
	// resumes at once, a few times, from where it stopped.
	total := 0
	backoff := rt.NewBackoff(200*time.Millisecond, 2*time.Second)
	for attempt := 1; ; attempt++ {
		n, dev, err := s.sync(ctx, p)
		total += n
		if err != nil && dev != 0 && (attempt == syncAttempts || ctx.Err() != nil || !transportError(err)) {
			s.publish(core.HistorySync{Device: dev, Done: total, Err: err.Error()})
		}
		if err == nil || attempt == syncAttempts || ctx.Err() != nil || !transportError(err) {
			return total, err
		}
		s.d.Log.Debug("account log pull cut off; resuming", "peer", p, "err", err)
		if !rt.Sleep(ctx, backoff.Next()) {
			return total, err
		}
	}
}

// syncAttempts bounds the pulls Sync makes in a row.
const syncAttempts = 3

// transportError reports whether a pull failed on its stream or
// connection rather than on what it received or the sibling refused.
func transportError(err error) bool {
	for _, content := range []error{acctlog.ErrMalformed, acctlog.ErrTooLarge, acctlog.ErrBadSignature,
		acctlog.ErrUnknownDevice, acctlog.ErrRefused, acctlog.ErrProtocol, acctlog.ErrWrongAccount, acctlog.ErrBrokenChain} {
		if errors.Is(err, content) {
			return false
		}
	}
	return true
}

// sync is one pull; it returns the sibling's device number (0: p is none).
func (s *Service) sync(ctx context.Context, p peer.ID) (int, uint32, error) {
	dev := uint32(0)
	for _, d := range s.siblings(ctx) {
		if d.Cert.PeerID == p {
			dev = d.Cert.DeviceID
		}
	}
	if dev == 0 {
		return 0, 0, fmt.Errorf("sync account log: %s is not another device of this account", p)
	}
	have, err := s.d.Store.Vector(ctx)
	if err != nil {
		return 0, dev, fmt.Errorf("sync account log: %w", err)
	}
	last := time.Time{}
	n, err := acctlog.Pull(ctx, s.d.Host, p, acctlog.PullRequest{
		Account: identity.AccountID(s.d.Self),
		Have:    have,
		CertOf:  func(dev uint32) (acctlog.Author, error) { return s.certOf(ctx, dev) },
		Held: func(dev uint32, seq uint64) ([]byte, error) {
			raw, err := s.d.Store.AccountOp(ctx, dev, seq)
			if errors.Is(err, storage.ErrNotFound) {
				return nil, nil
			}
			return raw, err
		},
		Apply: func(ctx context.Context, batch []*acctlog.Op) error {
			var after func(context.Context)
			err := s.d.Store.Update(ctx, func(ctx context.Context) error {
				var err error
				after, err = s.apply(ctx, batch)
				return err
			})
			if err == nil {
				after(ctx)
			}
			return err
		},
		Progress: func(done, total int) {
			// At most ten events a second, and the last.
			if done == total || time.Since(last) >= 100*time.Millisecond {
				last = time.Now()
				s.publish(core.HistorySync{Device: dev, Done: done, Total: total})
			}
		},
	})
	if err != nil {
		return n, dev, fmt.Errorf("sync account log from device %d: %w", dev, err)
	}
	if n > 0 {
		s.d.Log.Debug("account log synced", "device", dev, "ops", n)
	}
	return n, dev, nil
}

func (s *Service) publish(e core.Event) {
	if s.d.Publish != nil {
		s.d.Publish(e)
	}
}

// PeerConnected pulls from p in the background when it is a sibling (node
// calls it for every new connection); one pull per sibling at a time.
func (s *Service) PeerConnected(p peer.ID) {
	// This runs for every connection: only the list in memory is read,
	// and only a sibling gets a goroutine.
	l := s.d.Devices.Cached(s.d.Self)
	if l == nil {
		return
	}
	if d, ok := l.ByPeer(p); !ok || d.Cert.DeviceID == s.d.Device {
		return
	}
	s.mu.Lock()
	busy := s.pulling[p]
	s.pulling[p] = true
	s.mu.Unlock()
	if busy {
		return
	}
	ok := s.d.Go(func(ctx context.Context) {
		defer func() {
			s.mu.Lock()
			delete(s.pulling, p)
			s.mu.Unlock()
		}()
		if _, err := s.Sync(ctx, p); err != nil && ctx.Err() == nil {
			s.d.Log.Debug("account log sync", "peer", p, "err", err)
		}
	})
	if !ok {
		s.mu.Lock()
		delete(s.pulling, p)
		s.mu.Unlock()
	}
}

// Run pulls from every connected sibling now and every SyncInterval,
// dialling those it is not connected to, until ctx ends (node runs it on
// its goroutine owner).
func (s *Service) Run(ctx context.Context) {
	t := time.NewTicker(SyncInterval)
	defer t.Stop()
	first := true
	for {
		for _, d := range s.siblings(ctx) {
			p := d.Cert.PeerID
			if s.d.Host.Network().Connectedness(p) != network.Connected {
				if first {
					continue // PeerConnected pulls once it connects
				}
				if len(d.Addrs) > 0 {
					s.d.Host.Peerstore().AddAddrs(p, d.Addrs, time.Hour)
				}
				dctx, cancel := context.WithTimeout(ctx, 20*time.Second)
				err := s.d.Host.Connect(dctx, peer.AddrInfo{ID: p})
				cancel()
				if err != nil {
					continue
				}
			}
			s.PeerConnected(p)
		}
		first = false
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
