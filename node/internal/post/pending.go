package post

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/p2p/net/swarm"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/delivery"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/mailbox"
	"github.com/pigeon-net/pigeon/storage"
)

// Pending is an outgoing message the outbox still works on.
type Pending struct {
	ID        core.MessageID
	To        core.AccountID
	CreatedAt time.Time
	Reason    core.PendingReason
}

var resolvingReason = core.PendingReason{Code: core.PendingResolving, Text: "resolving recipient"}

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
func pendingReason(err error, relays bool) core.PendingReason {
	var (
		de *depositError
		ce *delivery.CodeError
	)
	switch {
	case errors.Is(err, core.ErrIdentityUnverified):
		return core.PendingReason{Code: core.PendingIdentityChanged, Text: "recipient's identity changed since you verified it; compare safety numbers and verify again"}
	case errors.Is(err, core.ErrUnknownAccount):
		return core.PendingReason{Code: core.PendingUnknownAccount, Text: "recipient's device list not found (not published yet, or not in the network this node reaches)"}
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
			return core.PendingReason{Code: core.PendingRelayRefused, Text: fmt.Sprintf("recipient not reachable; relay %s refused: %s", shortPeer(de.relay), what)}
		}
		return core.PendingReason{Code: core.PendingRelaysUnreachable, Text: fmt.Sprintf("recipient not reachable; relay %s failed: %s", shortPeer(de.relay), rt.ShortError(de.err))}
	case errors.Is(err, errRelaysUnreachable):
		return core.PendingReason{Code: core.PendingRelaysUnreachable, Text: "recipient not reachable; none of their relays answers"}
	case errors.Is(err, errCopying):
		return core.PendingReason{Code: core.PendingCopying, Text: "recipient not reachable; their relays are copying the file"}
	case errors.Is(err, errNoRelay), unreachable(err) && !relays:
		return core.PendingReason{Code: core.PendingNoRelay, Text: errNoRelay.Error()}
	case unreachable(err):
		return core.PendingReason{Code: core.PendingRelaysUnreachable, Text: "recipient not reachable; none of their relays answers"}
	case errors.As(err, &ce):
		return core.PendingReason{Code: core.PendingRefused, Text: "recipient's device refused it: " + strings.ToLower(ce.Code.String())}
	}
	return core.PendingReason{Code: core.PendingError, Text: "delivery failed: " + rt.ShortError(err)}
}

// unreachable reports whether err is a failure to dial a peer.
func unreachable(err error) bool {
	var de *swarm.DialError
	return errors.As(err, &de) || errors.Is(err, swarm.ErrDialBackoff) || errors.Is(err, swarm.ErrAllDialsFailed) ||
		errors.Is(err, swarm.ErrNoAddresses) || errors.Is(err, swarm.ErrNoGoodAddresses)
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
	byLane map[identity.AccountID]core.PendingReason
}

func (w *waitReasons) get(to identity.AccountID) (core.PendingReason, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	r, ok := w.byLane[to]
	return r, ok
}

// set records the reason a lane waits and reports whether its code or text
// changed.
func (w *waitReasons) set(to identity.AccountID, r core.PendingReason) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.byLane == nil {
		w.byLane = make(map[identity.AccountID]core.PendingReason)
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
	list := n.resolver.Cached(rt.CoreAccount(l.to))
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
		n.publish(core.MessagePending{IDs: rt.CoreIDs(ids), Peer: rt.CoreAccount(l.to), Reason: r})
	}
}

// PendingReason says why the outgoing message id is still pending; ok is
// false when it is not in the outbox (delivered, handed to a relay,
// failed, or not ours).
func (s *Service) PendingReason(ctx context.Context, id core.MessageID) (r core.PendingReason, ok bool, err error) {
	it, err := s.n.store.OutboxItem(ctx, storage.MessageID(id))
	if errors.Is(err, storage.ErrNotFound) {
		return r, false, nil
	}
	if err != nil {
		return r, false, err
	}
	if it.Receipt {
		return r, false, nil
	}
	return s.n.laneReason(it), true, nil
}

// Pending returns the outgoing messages still in the outbox with why they
// wait, oldest first, at most max of them, and how many there are.
func (s *Service) Pending(ctx context.Context, max int) ([]Pending, int, error) {
	items, err := s.n.store.Outbox(ctx)
	if err != nil {
		return nil, 0, err
	}
	var out []Pending
	total := 0
	for _, it := range items {
		if it.Receipt {
			continue
		}
		total++
		if len(out) < max {
			out = append(out, Pending{ID: rt.CoreID(it.ID), To: core.AccountID(it.Recipient), CreatedAt: it.CreatedAt, Reason: s.n.laneReason(it)})
		}
	}
	return out, total, nil
}

// laneReason is the reason an outbox item waits: its lane's, else
// resolvingReason.
func (n *env) laneReason(it storage.OutboxItem) core.PendingReason {
	if r, ok := n.waiting.get(identity.AccountID(it.Recipient)); ok {
		return r
	}
	r := resolvingReason
	r.Attempts, r.NextAttempt = it.Attempts, it.NextAttempt
	return r
}
