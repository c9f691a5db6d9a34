package presence

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/pigeon-net/pigeon/protocol/identity"
)

// Defaults of the hub and the client.
const (
	// DefaultHeartbeat is how often devices heartbeat.
	DefaultHeartbeat = 30 * time.Second
	// DefaultRetention is how long the hub remembers the last-seen time of
	// an account none of whose devices is connected.
	DefaultRetention = 7 * 24 * time.Hour
	// DefaultMinBackoff and DefaultMaxBackoff bound the client's re-dial delay.
	DefaultMinBackoff = time.Second
	DefaultMaxBackoff = time.Minute

	// DefaultLastSeenBudget bounds the memory the hub gives the last-seen
	// state of accounts none of whose devices is connected: about 200
	// bytes per account plus 8 per account its CONTACTS setting lists,
	// so some 80,000 accounts without lists or 4,500 with 400 contacts.
	DefaultLastSeenBudget = 16 << 20
)

// Default subscription limits (see SubscriptionLimits). A device watches
// its contacts, at most MaxSubscriptions, over one stream per relay.
const (
	DefaultMaxStreamSubscriptions  = MaxSubscriptions
	DefaultMaxPeerSubscriptions    = MaxSubscriptions
	DefaultMaxAccountSubscriptions = 4 * MaxSubscriptions
	// DefaultMaxSubscriptions bounds every stream's subscriptions
	// together: about 32 MB of watch lists at 32 bytes each.
	DefaultMaxSubscriptions = 1_000_000
)

// SubscriptionLimits bound the accounts the hub's streams watch. A
// subscribe frame that would take a stream, its peer or its account over
// their limit closes the stream with TOO_LARGE; one that would take the
// hub over Total closes it with RATE_LIMITED. A stream's watches count
// until it ends.
type SubscriptionLimits struct {
	PerStream  int // one stream (at most MaxSubscriptions)
	PerPeer    int // every stream of one peer (device)
	PerAccount int // every stream whose hello certificate names the account
	Total      int // every stream
}

// DefaultSubscriptionLimits returns the default limits.
func DefaultSubscriptionLimits() SubscriptionLimits {
	return SubscriptionLimits{
		PerStream:  DefaultMaxStreamSubscriptions,
		PerPeer:    DefaultMaxPeerSubscriptions,
		PerAccount: DefaultMaxAccountSubscriptions,
		Total:      DefaultMaxSubscriptions,
	}
}

// Registry tells the hub which devices the relay it runs on serves.
type Registry interface {
	// RegisteredUntil returns when the live registration of the device
	// (account, device) at this relay expires, or the zero time when it
	// holds none.
	RegisteredUntil(ctx context.Context, account identity.AccountID, device uint32) (time.Time, error)
}

// HubOption configures a Hub.
type HubOption func(*hubConfig) error

type hubConfig struct {
	log       *slog.Logger
	heartbeat time.Duration
	timeout   time.Duration
	retention time.Duration
	budget    int64
	limits    SubscriptionLimits
	registry  Registry
	now       func() time.Time // the clock; tests replace it
	set       map[string]bool
}

func (c *hubConfig) once(name string) error {
	if c.set[name] {
		return fmt.Errorf("%w: %s", ErrOptionTwice, name)
	}
	c.set[name] = true
	return nil
}

// WithHubLogger sets the hub's logger (default: discard).
func WithHubLogger(l *slog.Logger) HubOption {
	return func(c *hubConfig) error {
		if l == nil {
			return fmt.Errorf("%w: nil logger", ErrBadOption)
		}
		c.log = l
		return c.once("logger")
	}
}

// WithHeartbeat sets the interval the hub asks devices to heartbeat at
// (default DefaultHeartbeat). Unless WithTimeout is given, the timeout is
// 2.5 times this.
func WithHeartbeat(d time.Duration) HubOption {
	return func(c *hubConfig) error {
		if d < time.Millisecond {
			return fmt.Errorf("%w: heartbeat %v", ErrBadOption, d)
		}
		c.heartbeat = d
		return c.once("heartbeat")
	}
}

// WithTimeout sets how long a stream may stay silent before the hub resets
// it and, when it was the account's last device, reports the account
// offline. It must exceed the heartbeat interval. The hub also resets a
// stream whose reader takes none of its frames for this long.
func WithTimeout(d time.Duration) HubOption {
	return func(c *hubConfig) error {
		if d < time.Millisecond {
			return fmt.Errorf("%w: timeout %v", ErrBadOption, d)
		}
		c.timeout = d
		return c.once("timeout")
	}
}

// WithRetention sets how long the hub remembers the last-seen time of an
// account none of whose devices is connected (default DefaultRetention);
// after it the account is Unknown.
func WithRetention(d time.Duration) HubOption {
	return func(c *hubConfig) error {
		if d < time.Millisecond {
			return fmt.Errorf("%w: retention %v", ErrBadOption, d)
		}
		c.retention = d
		return c.once("retention")
	}
}

// WithLastSeenBudget bounds the memory, in bytes, of the last-seen state
// of accounts none of whose devices is connected (default
// DefaultLastSeenBudget). Over it the hub forgets the accounts seen least
// recently first, those with a registered device (see WithRegistry) only
// when nothing else is left.
func WithLastSeenBudget(bytes int64) HubOption {
	return func(c *hubConfig) error {
		if bytes < 0 {
			return fmt.Errorf("%w: last-seen budget %d", ErrBadOption, bytes)
		}
		c.budget = bytes
		return c.once("last-seen budget")
	}
}

// WithSubscriptionLimits sets the limits of watched accounts (default
// DefaultSubscriptionLimits()).
func WithSubscriptionLimits(l SubscriptionLimits) HubOption {
	return func(c *hubConfig) error {
		if l.PerStream < 0 || l.PerStream > MaxSubscriptions || l.PerPeer < 0 || l.PerAccount < 0 || l.Total < 0 {
			return fmt.Errorf("%w: subscription limits %+v", ErrBadOption, l)
		}
		c.limits = l
		return c.once("subscription limits")
	}
}

// WithRegistry makes the hub announce only the devices r says are
// registered at its relay: an announcing hello from another device closes
// the stream with UNKNOWN_SENDER (streams that only ask are served to
// anyone). The last-seen state of a registered device is kept while it is
// registered, beyond the retention and ahead of the budget. Without it
// every device with a valid certificate may announce.
func WithRegistry(r Registry) HubOption {
	return func(c *hubConfig) error {
		if r == nil {
			return fmt.Errorf("%w: nil registry", ErrBadOption)
		}
		c.registry = r
		return c.once("registry")
	}
}

func newHubConfig(opts []HubOption) (*hubConfig, error) {
	c := &hubConfig{
		log:       slog.New(slog.DiscardHandler),
		heartbeat: DefaultHeartbeat,
		retention: DefaultRetention,
		budget:    DefaultLastSeenBudget,
		limits:    DefaultSubscriptionLimits(),
		now:       time.Now,
		set:       make(map[string]bool),
	}
	for _, o := range opts {
		if err := o(c); err != nil {
			return nil, fmt.Errorf("new presence hub: %w", err)
		}
	}
	if c.timeout == 0 {
		c.timeout = c.heartbeat * 5 / 2
	}
	if c.timeout <= c.heartbeat {
		return nil, fmt.Errorf("new presence hub: %w: timeout %v not above heartbeat %v", ErrBadOption, c.timeout, c.heartbeat)
	}
	return c, nil
}

// ClientOption configures a Client.
type ClientOption func(*clientConfig) error

type clientConfig struct {
	log        *slog.Logger
	announce   bool
	privacy    Privacy
	minBackoff time.Duration
	maxBackoff time.Duration
	set        map[string]bool
}

func (c *clientConfig) once(name string) error {
	if c.set[name] {
		return fmt.Errorf("%w: %s", ErrOptionTwice, name)
	}
	c.set[name] = true
	return nil
}

// WithClientLogger sets the client's logger (default: discard).
func WithClientLogger(l *slog.Logger) ClientOption {
	return func(c *clientConfig) error {
		if l == nil {
			return fmt.Errorf("%w: nil logger", ErrBadOption)
		}
		c.log = l
		return c.once("logger")
	}
}

// WithPrivacy makes the client announce its account as online to the relay,
// visible as p says. Without it the client only queries and subscribes.
func WithPrivacy(p Privacy) ClientOption {
	return func(c *clientConfig) error {
		if err := p.check(); err != nil {
			return err
		}
		c.announce = true
		c.privacy = Privacy{Visibility: p.Visibility, Allowed: append([]identity.AccountID(nil), p.Allowed...)}
		return c.once("privacy")
	}
}

// WithBackoff sets the bounds of the delay between failed dials (defaults
// DefaultMinBackoff and DefaultMaxBackoff); the delay doubles up to max and
// is jittered.
func WithBackoff(min, max time.Duration) ClientOption {
	return func(c *clientConfig) error {
		if min <= 0 || max < min {
			return fmt.Errorf("%w: backoff %v..%v", ErrBadOption, min, max)
		}
		c.minBackoff, c.maxBackoff = min, max
		return c.once("backoff")
	}
}

func newClientConfig(opts []ClientOption) (*clientConfig, error) {
	c := &clientConfig{
		log:        slog.New(slog.DiscardHandler),
		minBackoff: DefaultMinBackoff,
		maxBackoff: DefaultMaxBackoff,
		set:        make(map[string]bool),
	}
	for _, o := range opts {
		if err := o(c); err != nil {
			return nil, fmt.Errorf("new presence client: %w", err)
		}
	}
	return c, nil
}
