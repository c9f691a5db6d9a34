package node

import (
	"context"
	"errors"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/expiry"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/storage"
)

// Expiry returns the node's disappearing messages: each chat's timer, the
// default timer of new chats (see package expiry).
func (n *Node) Expiry() *expiry.Service {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.expiry
}

// WithClock sets the clock disappearing messages go by (countdowns of
// read messages, the sweep), and with it the times of the account log's
// operations (a read's time starts its countdowns on every device): tests
// pass an expiry.ManualClock. The default is the system clock.
func WithClock(c expiry.Clock) Option {
	return func(cfg *config) error {
		if c == nil {
			return errors.New("node: WithClock: nil clock")
		}
		cfg.clock = c
		return cfg.once("WithClock")
	}
}

// newExpiry builds the disappearing-messages feature; it claims the
// timer_set kinds. Chats (and groups) use it, so it comes first.
func newExpiry(n *Node) (*expiry.Service, error) {
	return expiry.New(expiry.Deps{
		Self:        rt.CoreAccount(n.self),
		Device:      n.device,
		Ready:       n.ready,
		Store:       n.store,
		Outbox:      n.post,
		Recipients:  n.contacts,
		Registry:    n.handlers,
		Ops:         n.alog,
		ListVersion: n.ownListVersion,
		Publish:     n.bus.publish,
		Clock:       n.cfg.clock,
		Log:         n.log.With("sub", "expiry"),
		Groups:      expiryGroups{n},
	})
}

// expiryGroups is the groups feature as expiry sees it; groups starts
// after expiry (it uses it), so the calls look n.groups up then.
type expiryGroups struct{ n *Node }

func (g expiryGroups) CanEditInfo(ctx context.Context, id core.GroupID, a core.AccountID) (bool, error) {
	if g.n.groups == nil {
		return false, core.ErrNotStarted
	}
	return g.n.groups.CanEditInfo(ctx, id, a)
}

func (g expiryGroups) PublishTimer(ctx context.Context, id core.GroupID, t expiry.TimerSet, store func(ctx context.Context, id storage.MessageID) error) error {
	if g.n.groups == nil {
		return core.ErrNotStarted
	}
	return g.n.groups.PublishTimer(ctx, id, t, store)
}
