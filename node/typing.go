package node

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/network"

	"github.com/pigeon-net/pigeon/protocol/delivery"
	"github.com/pigeon-net/pigeon/protocol/e2e"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

// TypingTTL is how long a typing indicator lasts at the receiver unless the
// sender repeats it; senders repeat it every few seconds while the user
// types.
const TypingTTL = 6 * time.Second

// typingTTL is TypingTTL, shortened by tests.
var typingTTL = TypingTTL

// typingTimeout bounds sending one indicator to one device.
const typingTimeout = 2 * time.Second

// Typing is published when a contact starts or stops typing to us, and
// when an indicator expires (Active false).
type Typing struct {
	From   identity.AccountID
	Active bool
	Until  time.Time // when an active indicator expires
}

func (Typing) EventName() string { return "typing" }

// SetTyping tells peer's devices that the user is (active) or stopped
// typing. Indicators are end-to-end encrypted like messages but ephemeral:
// they go only to devices connected right now, are never stored or queued,
// and expire after TypingTTL at the receiver. It returns ErrUnknownAccount
// when peer cannot be resolved; unreachable devices are skipped silently.
func (n *Node) SetTyping(ctx context.Context, peer identity.AccountID, active bool) error {
	const op = "set typing"
	if err := n.ready(); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if peer == n.self {
		return fmt.Errorf("%s: %w", op, ErrSelf)
	}
	if _, err := n.policy.Allowed(ctx, peer); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	list, err := n.resolver.get(ctx, peer, false)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	now := time.Now()
	id := storage.NewMessageID(now)
	raw, err := encodeContent(&pb.Content{MessageId: id[:], SentAtMs: now.UnixMilli(), Body: &pb.Content_Typing{Typing: &pb.Typing{Active: active}}})
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	var errs []error
	for _, d := range list.Devices {
		if n.host.Network().Connectedness(d.Cert.PeerID) != network.Connected {
			continue // ephemeral: no dialling, no queueing
		}
		addr := e2e.Address{Account: peer, Device: d.Cert.DeviceID}
		if ok, err := n.e2e.HasSession(ctx, addr); err != nil || !ok {
			continue // no conversation yet: nothing to type into
		}
		if err := n.sendEphemeral(ctx, addr, d, id, raw); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		n.log.Debug("typing indicator not delivered", "err", err)
	}
	return nil
}

// sendEphemeral encrypts content for one device and sends it directly.
func (n *Node) sendEphemeral(ctx context.Context, addr e2e.Address, d identity.Device, id storage.MessageID, content []byte) error {
	ctx, cancel := context.WithTimeout(ctx, typingTimeout)
	defer cancel()
	typ, ct, err := n.e2e.Encrypt(ctx, addr, content, nil)
	if err != nil {
		return err
	}
	env := &pb.Envelope{
		MessageId:        id[:],
		SenderAccount:    n.self[:],
		SenderDevice:     n.device,
		RecipientAccount: addr.Account[:],
		RecipientDevice:  addr.Device,
		Type:             typ,
		Ciphertext:       ct,
	}
	if typ == delivery.TypePreKeySignal {
		env.SenderCertificate = n.cert.Signed
	}
	return n.client.SendWait(ctx, d.Cert.PeerID, env)
}

// typists tracks who is typing to us and publishes the expiry of each
// indicator.
type typists struct {
	n *Node

	mu     sync.Mutex // guards timers, gen and closed
	timers map[identity.AccountID]*time.Timer
	gens   map[identity.AccountID]uint64 // the number of each running timer
	gen    uint64                        // numbers timers, so a stale one knows it was replaced
	closed bool
}

func newTypists(n *Node) *typists {
	return &typists{n: n, timers: make(map[identity.AccountID]*time.Timer), gens: make(map[identity.AccountID]uint64)}
}

// update records an indicator from a contact and publishes it.
func (t *typists) update(from identity.AccountID, active bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return
	}
	if old := t.timers[from]; old != nil {
		old.Stop()
		delete(t.timers, from)
	}
	until := time.Now().Add(typingTTL)
	if active {
		t.gen++
		gen := t.gen
		t.timers[from] = time.AfterFunc(typingTTL, func() { t.expire(from, gen) })
		t.gens[from] = gen
	} else {
		until = time.Time{}
	}
	t.n.bus.publish(Typing{From: from, Active: active, Until: until})
}

func (t *typists) expire(from identity.AccountID, gen uint64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed || t.gens[from] != gen || t.timers[from] == nil {
		return // replaced or stopped meanwhile
	}
	delete(t.timers, from)
	delete(t.gens, from)
	t.n.bus.publish(Typing{From: from})
}

// stopped ends an active indicator early (its message arrived).
func (t *typists) stopped(from identity.AccountID) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if timer := t.timers[from]; timer != nil && !t.closed {
		timer.Stop()
		delete(t.timers, from)
		t.n.bus.publish(Typing{From: from})
	}
}

// close stops every timer.
func (t *typists) close() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.closed = true
	for _, timer := range t.timers {
		timer.Stop()
	}
	clear(t.timers)
}
