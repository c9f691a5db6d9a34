package groupcast

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	pubsub "github.com/libp2p/go-libp2p-pubsub"
	"github.com/libp2p/go-libp2p/core/peer"
)

// Group is one joined topic.
type Group struct {
	c       *Caster
	topic   Topic
	name    string
	pt      *pubsub.Topic
	sub     *pubsub.Subscription
	msgs    chan Message
	cancel  context.CancelFunc // stops pump
	done    chan struct{}      // closed when pump has returned
	dropped *atomic.Uint64

	mu   sync.Mutex // guards left
	left bool
}

// Topic returns the group's topic.
func (g *Group) Topic() Topic { return g.topic }

// Publish signs payload with the host's key and sends it to the group's
// mesh (or, with WithFloodPublish, to every connected peer of the group).
// It copies payload. It returns ErrTooLarge or ErrEmpty without sending,
// ErrRejected when the group's validator refuses the message, and nil once
// the message is queued for the neighbours, even if there are none: fan-out
// is best effort, and the caller numbers its messages and repairs gaps. In
// particular a message published before the mesh has formed (within a
// heartbeat, one second, of Join or of the first neighbour joining) can
// reach nobody. Publishing the same payload twice within two minutes sends
// it once (the ID is the same).
func (g *Group) Publish(ctx context.Context, payload []byte) error {
	switch {
	case len(payload) == 0:
		return fmt.Errorf("groupcast publish: %w", ErrEmpty)
	case len(payload) > g.c.cfg.maxPayload:
		return fmt.Errorf("groupcast publish: %w: %d bytes, limit %d", ErrTooLarge, len(payload), g.c.cfg.maxPayload)
	}
	if err := g.usable(); err != nil {
		return fmt.Errorf("groupcast publish: %w", err)
	}
	err := g.pt.Publish(ctx, bytes.Clone(payload)) // the router keeps the slice
	var verr pubsub.ValidationError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &verr):
		return fmt.Errorf("groupcast publish: %w: %s", ErrRejected, verr.Reason)
	case errors.Is(err, pubsub.ErrTopicClosed):
		return fmt.Errorf("groupcast publish: %w", ErrLeft)
	case ctx.Err() == nil && g.usable() != nil:
		return fmt.Errorf("groupcast publish: %w", g.usable())
	}
	return fmt.Errorf("groupcast publish: %w", err)
}

// usable returns ErrLeft or ErrClosed when the group can no longer be used.
func (g *Group) usable() error {
	g.mu.Lock()
	left := g.left
	g.mu.Unlock()
	if left {
		return ErrLeft
	}
	g.c.mu.Lock()
	closed := g.c.closed
	g.c.mu.Unlock()
	if closed {
		return ErrClosed
	}
	return nil
}

// Messages returns the channel of messages from other peers that passed
// the validator, each delivered once, in the order the router accepted
// them. It is closed by Leave and Close.
//
// A slow consumer does not slow the group down: the Group holds up to the
// Caster's buffer size (WithBufferSize) of unread messages, and the router
// drops further messages for this node (Dropped counts them) while still
// forwarding them to its neighbours. The caller's gap repair recovers what
// was dropped.
func (g *Group) Messages() <-chan Message { return g.msgs }

// Dropped returns how many accepted messages were not delivered to
// Messages because the consumer fell behind by more than the buffer size.
func (g *Group) Dropped() uint64 { return g.dropped.Load() }

// Peers returns the connected peers that are subscribed to the topic,
// members and relays alike.
func (g *Group) Peers() []peer.ID { return g.pt.ListPeers() }

// Leave unsubscribes from the topic (telling the neighbours), closes
// Messages and waits for the Group's goroutine. A second Leave returns
// ErrLeft.
func (g *Group) Leave() error {
	g.mu.Lock()
	if g.left {
		g.mu.Unlock()
		return ErrLeft
	}
	g.left = true
	g.mu.Unlock()
	g.cancel()
	g.sub.Cancel()
	<-g.done
	var errs []error
	if err := g.pt.Close(); err != nil && !errors.Is(err, context.Canceled) {
		errs = append(errs, err)
	}
	if err := g.c.ps.UnregisterTopicValidator(g.name); err != nil && !errors.Is(err, context.Canceled) {
		errs = append(errs, err)
	}
	g.c.forget(g.name)
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("groupcast leave: %w", err)
	}
	return nil
}

// pump moves messages from the router's subscription to Messages until
// Leave or Close.
func (g *Group) pump(ctx context.Context) {
	defer close(g.done)
	defer close(g.msgs)
	for {
		m, err := g.sub.Next(ctx)
		if err != nil {
			return
		}
		id := m.ID
		if id == "" {
			id = messageID(m.Message)
		}
		msg := Message{
			From:         peer.ID(m.GetFrom()),
			ID:           hex.EncodeToString([]byte(id)),
			Payload:      m.GetData(),
			ReceivedFrom: m.ReceivedFrom,
		}
		select {
		case g.msgs <- msg:
		case <-ctx.Done():
			return
		}
	}
}
