package contacts

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/e2e"
	"github.com/pigeon-net/pigeon/storage"
)

// Allowed refuses sending to a verified contact whose identity changed
// since (core.ErrIdentityUnverified); known reports whether to is a
// contact. For node's wiring: the outbox asks it before every attempt.
func (s *Service) Allowed(ctx context.Context, to core.AccountID) (known bool, err error) {
	p, err := s.policies.get(ctx, s.d.Store, to)
	if err != nil {
		return false, err
	}
	if p.blocked {
		return true, fmt.Errorf("%w: %s", core.ErrIdentityUnverified, to.Short())
	}
	return p.known, nil
}

// CheckRecipient checks that a message may be queued for to: sending is
// allowed (Allowed), and an account that is not a contact has a device
// list (an unknown account fails now, not in the outbox forever). For
// node's wiring: chats, media and groups call it before queueing.
func (s *Service) CheckRecipient(ctx context.Context, to core.AccountID) error {
	p, err := s.policies.get(ctx, s.d.Store, to)
	if err != nil {
		return err
	}
	if p.barred {
		return fmt.Errorf("%w: %s", ErrBlocked, to.Short())
	}
	known, err := s.Allowed(ctx, to)
	if err != nil || known {
		return err
	}
	_, err = s.d.Devices.Get(ctx, to, false)
	return err
}

// IdentityChanged records that a contact's device presented a new
// certified identity key and publishes IdentityChanged. For a verified
// contact, sending stops until the user verifies again. For node's wiring:
// the runtime calls it when decrypting or starting a session reveals the
// change.
func (s *Service) IdentityChanged(ctx context.Context, ch *e2e.IdentityChange) {
	acct := rt.CoreAccount(ch.Address.Account)
	s.d.Log.Warn("contact device identity changed", "account", acct.Short(), "device", ch.Address.Device)
	err := s.updateIn(ctx, acct, false, func(c *storage.Contact) { c.IdentityChangedAt = time.Now() })
	if err != nil {
		s.d.Log.Error("record identity change", "err", err)
	}
	s.d.Publish(IdentityChanged{Account: acct, Device: ch.Address.Device})
}

// ErrBlocked refuses writing to an account the user blocked.
var ErrBlocked = errors.New("account is blocked: unblock it to write to it")

// TypingAllowed refuses typing indicators to an account that is blocked
// or whose message request is pending, then asks Allowed. For node's
// wiring (presence).
func (s *Service) TypingAllowed(ctx context.Context, to core.AccountID) (bool, error) {
	p, err := s.policies.get(ctx, s.d.Store, to)
	if err != nil {
		return false, err
	}
	if p.barred {
		return false, fmt.Errorf("%w: %s", ErrBlocked, to.Short())
	}
	if pending, err := s.d.Store.Request(ctx, storage.Account(to)); err != nil || pending {
		if err == nil {
			err = fmt.Errorf("%w: accept the message request of %s first", ErrRequestPending, to.Short())
		}
		return false, err
	}
	return s.Allowed(ctx, to)
}

// ErrRequestPending refuses what waits for a message request to be
// accepted.
var ErrRequestPending = errors.New("message request pending")

// sendPolicy is what sending needs to know about a contact.
type sendPolicy struct {
	known   bool // a contact
	blocked bool // verified, then its identity changed
	barred  bool // the user blocked the account
}

// policies caches sendPolicy per account, so the send path does not read
// the contact on every message. Every contact write calls forget after it
// commits.
type policies struct {
	mu  sync.Mutex // guards m and gen
	m   map[core.AccountID]sendPolicy
	gen uint64 // bumped by forget: a read that began before it is not cached
}

func (p *policies) get(ctx context.Context, st interface {
	Contact(context.Context, storage.Account) (storage.Contact, error)
	Blocked(context.Context, storage.Account) (bool, error)
}, a core.AccountID) (sendPolicy, error) {
	p.mu.Lock()
	got, ok := p.m[a]
	gen := p.gen
	p.mu.Unlock()
	if !ok {
		c, err := st.Contact(ctx, storage.Account(a))
		switch {
		case errors.Is(err, storage.ErrNotFound):
		case err != nil:
			return sendPolicy{}, err
		default:
			got = sendPolicy{known: true, blocked: c.Verified && !c.IdentityChangedAt.IsZero()}
		}
		p.mu.Lock()
		if p.m == nil {
			p.m = make(map[core.AccountID]sendPolicy)
		}
		if p.gen == gen { // no write committed meanwhile: what was read is current
			p.m[a] = got
		}
		p.mu.Unlock()
	}
	// Whether the account is blocked is read every time (one point read):
	// a cached answer could outlive an unblock folded from another device
	// while a receive, reading in its own transaction's older snapshot,
	// filled the cache (TestBlock saw a linked device refuse an
	// unblocked sender for good).
	var err error
	if got.barred, err = st.Blocked(ctx, storage.Account(a)); err != nil {
		return sendPolicy{}, err
	}
	return got, nil
}

func (p *policies) forget(a core.AccountID) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.m, a)
	p.gen++
}
