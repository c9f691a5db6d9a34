package relays

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/peerstore"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/e2e"
	"github.com/pigeon-net/pigeon/protocol/mailbox"
)

// mailboxTTL is how long a registration with a relay lasts; it is renewed
// at half-life.
const mailboxTTL = 24 * time.Hour

// closeTimeout bounds one attempt at closing a box.
const closeTimeout = 30 * time.Second

// relayPreKeys is how many one-time prekey bundles a device keeps at each
// relay, for senders that start a session while it is offline.
const relayPreKeys = 20

// mailboxLoop keeps this device registered with each of its relays and
// subscribed to its mailbox there: whatever was deposited while it was away
// arrives first, then new deposits as they come. Items are opened, handled
// like direct envelopes, and acked so the relay deletes them.
func (s *Service) mailboxLoop(ctx context.Context) {
	running := make(map[peer.ID]context.CancelFunc)
	changed := s.set.watch()
	defer func() {
		for _, stop := range running {
			stop()
		}
	}()
	for {
		want := make(map[peer.ID]*relayState)
		s.set.mu.Lock()
		for _, r := range s.set.relays {
			want[r.info.ID] = r
		}
		s.set.mu.Unlock()
		for id, r := range want {
			if running[id] == nil {
				rctx, stop := context.WithCancel(ctx)
				running[id] = stop
				info, invite := r.info, r.invite
				if !s.d.Go(func(context.Context) { s.drainRelay(rctx, info, invite) }) {
					stop()
				}
			}
		}
		for id, stop := range running {
			if _, ok := want[id]; !ok {
				stop()
				delete(running, id)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-changed:
		}
	}
}

// drainRelay registers with one relay and consumes its mailbox until ctx
// ends, re-registering and re-subscribing with backoff after failures.
func (s *Service) drainRelay(ctx context.Context, relay peer.AddrInfo, invite string) {
	log := s.log.With("sub", "mailbox", "relay", relay.ID)
	box := s.box
	backoff := rt.NewBackoff(200*time.Millisecond, time.Minute)
	changed := s.set.watch() // also signalled when the push endpoint changes
	for ctx.Err() == nil {
		s.d.Host.Peerstore().AddAddrs(relay.ID, relay.Addrs, peerstore.PermanentAddrTTL)
		var opts []mailbox.RegisterOption
		ep := s.push.endpoint()
		if ep != nil {
			opts = append(opts, mailbox.WithPush(ep))
		}
		if invite != "" {
			opts = append(opts, mailbox.WithInvite(invite))
		}
		// Deposits made with a list older than the one that named our
		// current relays are refused (their senders fetch it again), and
		// only our contacts' credentials use the whole quota.
		opts = append(opts, mailbox.WithListVersion(s.d.ListVersion()),
			mailbox.WithDepositKeys(s.d.DepositKeys(relay.ID)...), mailbox.WithQuietKeys(s.d.QuietKeys(relay.ID)...))
		reg, err := mailbox.Register(ctx, s.d.Host, relay.ID, s.d.Cert, mailboxTTL, opts...)
		if err != nil {
			log.Debug("mailbox registration failed", "err", err)
			rt.Sleep(ctx, backoff.Next())
			continue
		}
		s.set.setRegion(relay.ID, reg.Region)
		s.notePush(relay.ID, ep, reg.Push)
		s.rechoose()
		if reg.RefillPreKeys {
			s.refillPreKeys(ctx, relay.ID, box)
		}
		s.followGroups(ctx, relay.ID, box)
		renew := time.NewTimer(time.Until(reg.ExpiresAt) / 2)
		sub, err := mailbox.Subscribe(ctx, s.d.Host, relay.ID, box, 0)
		if err != nil {
			renew.Stop()
			log.Debug("mailbox subscription failed", "err", err)
			rt.Sleep(ctx, backoff.Next())
			continue
		}
		backoff.Reset()
	consume:
		for {
			select {
			case <-ctx.Done():
				break consume
			case <-renew.C:
				break consume // register again, then resubscribe
			case <-changed:
				break consume // the push endpoint may have changed
			case page, ok := <-sub.Pages():
				if !ok {
					log.Debug("mailbox subscription ended", "err", sub.Err())
					rt.Sleep(ctx, backoff.Next())
					break consume
				}
				s.takeMailbox(ctx, relay.ID, box, page.Items)
				if page.RefillPreKeys {
					s.refillPreKeys(ctx, relay.ID, box)
				}
			}
		}
		renew.Stop()
		sub.Close()
	}
}

// closeLoop closes this device's box at each relay it removed, with
// backoff while the relay cannot be reached, until the registration there
// would have expired anyway (mailboxTTL after the removal: from then on
// the relay refuses deposits as unregistered).
func (s *Service) closeLoop(ctx context.Context) {
	changed := s.set.watch()
	for {
		now := time.Now()
		wake := now.Add(time.Hour)
		s.set.mu.Lock()
		var due []*closingRelay
		for _, c := range s.set.closing {
			if !now.Before(c.next) {
				due = append(due, c)
			} else {
				wake = minTime(wake, c.next)
			}
		}
		s.set.mu.Unlock()
		changedSet := false
		for _, c := range due {
			err := s.closeBox(ctx, c)
			if ctx.Err() != nil {
				return
			}
			done := err == nil || time.Since(c.since) > mailboxTTL
			s.set.mu.Lock()
			if done {
				s.set.closing = slices.DeleteFunc(s.set.closing, func(x *closingRelay) bool { return x == c })
				changedSet = true
			} else {
				c.lastErr = err.Error()
				c.next = time.Now().Add(c.backoff.Next())
				wake = minTime(wake, c.next)
			}
			readded := slices.ContainsFunc(s.set.relays, func(r *relayState) bool { return r.info.ID == c.info.ID })
			s.set.mu.Unlock()
			switch {
			case err == nil:
				s.log.Info("mailbox closed at a removed relay", "relay", c.info.ID)
			case done:
				s.log.Info("gave up closing the mailbox at a removed relay; its registration has expired", "relay", c.info.ID, "err", err)
			default:
				s.log.Debug("closing the mailbox at a removed relay failed", "relay", c.info.ID, "err", err)
			}
			if readded {
				s.set.signal() // added again meanwhile: register again, which reopens the box
			}
		}
		if changedSet {
			if err := s.set.save(ctx, s.d.Store, s.d.Configured); err != nil && ctx.Err() == nil {
				s.log.Warn("save relays", "err", err)
			}
		}
		t := time.NewTimer(time.Until(wake))
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		case <-changed:
			t.Stop()
		}
	}
}

// closeBox takes what this device's box at a removed relay still holds,
// then closes it there.
func (s *Service) closeBox(ctx context.Context, c *closingRelay) error {
	ctx, cancel := context.WithTimeout(ctx, closeTimeout)
	defer cancel()
	s.d.Host.Peerstore().AddAddrs(c.info.ID, c.info.Addrs, peerstore.TempAddrTTL)
	box := s.box
	var after uint64
	for {
		page, err := mailbox.Drain(ctx, s.d.Host, c.info.ID, box, after, 0)
		if errors.Is(err, mailbox.ErrNotRegistered) || errors.Is(err, mailbox.ErrWrongPeer) {
			break // nothing to take: the registration expired (or is not ours)
		}
		if err != nil {
			return fmt.Errorf("drain before closing: %w", err)
		}
		if left := s.takeMailbox(ctx, c.info.ID, box, page.Items); left > 0 {
			// Closing would drop what we could not store yet.
			return fmt.Errorf("drain before closing: %d items not taken yet", left)
		}
		if !page.More || len(page.Items) == 0 {
			break
		}
		after = page.Items[len(page.Items)-1].Seq
	}
	dropped, err := mailbox.CloseBox(ctx, s.d.Host, c.info.ID, s.d.Cert)
	if errors.Is(err, mailbox.ErrReplay) {
		return nil // closed already, by a later closing of ours
	}
	if err != nil {
		return err
	}
	if dropped > 0 {
		s.log.Debug("relay dropped deposits that arrived while closing", "relay", c.info.ID, "dropped", dropped)
	}
	return nil
}

// takeMailbox handles drained items and acks every one that is finished
// with (stored, or refused for good) once what was stored is durable (the
// relay deletes what is acked); items that failed for a local reason (a
// full disk, say) stay at the relay for the next drain. It returns how many
// were not acked.
func (s *Service) takeMailbox(ctx context.Context, relay peer.ID, box mailbox.Box, items []mailbox.Item) (left int) {
	var done []mailbox.DepositID
	for _, it := range items {
		code := s.d.OpenDeposit(ctx, it.Envelope)
		if rt.RetryLater(code) {
			continue
		}
		done = append(done, it.ID)
	}
	if len(done) == 0 {
		return len(items)
	}
	if err := s.d.Durable(ctx); err != nil {
		s.log.Warn("mailbox ack wait: sync failed", "relay", relay, "err", err)
		return len(items) // the relay keeps them for the next drain
	}
	if _, err := mailbox.Ack(ctx, s.d.Host, relay, box, done); err != nil {
		if ctx.Err() == nil {
			s.log.Debug("mailbox ack failed", "relay", relay, "err", err)
		}
		return len(items)
	}
	return len(items) - len(done)
}

// refillPreKeys hands a relay a batch of one-time prekey bundles (each
// taken from our pool, so it is given out only by that relay) and the
// signed-prekey bundle it falls back to when they run out.
func (s *Service) refillPreKeys(ctx context.Context, relay peer.ID, box mailbox.Box) {
	var batch []mailbox.PreKey
	for range relayPreKeys {
		b, err := s.d.PreKeys.Bundle(ctx)
		if err != nil || b.PrekeyId == e2e.LastResortPreKeyID {
			break // our own pool ran out; the relay gets what we have
		}
		raw, err := proto.Marshal(b)
		if err != nil {
			break
		}
		batch = append(batch, mailbox.PreKey{ID: b.PrekeyId, Bundle: raw})
	}
	_, signed, err := s.d.PreKeys.PublishedBundle(ctx)
	if err != nil {
		s.log.Warn("signed bundle for relay", "err", err)
		return
	}
	if _, err := mailbox.UploadPreKeys(ctx, s.d.Host, relay, box, batch, signed, false); err != nil && ctx.Err() == nil {
		s.log.Debug("upload prekeys to relay failed", "relay", relay, "err", err)
	}
}

// followGroups tells one of our relays the topics of our groups, so it
// keeps what is published there while we are away (without waking us for
// the groups we muted).
func (s *Service) followGroups(ctx context.Context, relay peer.ID, box mailbox.Box) {
	topics, quiet := s.d.Groups.Topics(), s.d.Groups.QuietTopics()
	quiet = slices.DeleteFunc(quiet, func(t [32]byte) bool { return !slices.Contains(topics, t) })
	s.set.mu.Lock()
	prev, known := s.set.followed[relay]
	s.set.mu.Unlock()
	if len(topics) == 0 && (!known || prev == 0) {
		return
	}
	if _, err := mailbox.Follow(ctx, s.d.Host, relay, box, topics, quiet); err != nil {
		s.log.Debug("follow group topics at relay", "relay", relay, "err", err)
		return
	}
	s.set.mu.Lock()
	if s.set.followed == nil {
		s.set.followed = make(map[peer.ID]int)
	}
	s.set.followed[relay] = len(topics)
	s.set.mu.Unlock()
}
