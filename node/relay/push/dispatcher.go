package push

import (
	"container/heap"
	"container/list"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Defaults for Config fields left zero.
const (
	DefaultTTL            = 24 * time.Hour
	DefaultCoalesceWindow = 2 * time.Second
	DefaultMinBackoff     = 2 * time.Second
	DefaultMaxBackoff     = 5 * time.Minute
	DefaultMaxRetryAfter  = time.Hour
	DefaultMaxAttempts    = 6
	DefaultQueueSize      = 4096
	DefaultWorkers        = 4
	DefaultRequestTimeout = 30 * time.Second
	DefaultRefusedBuffer  = 256
)

// Config configures a Dispatcher. Every gateway credential is optional: a
// gateway without credentials refuses endpoints of its kind with
// ErrNoCredentials. UnifiedPush needs none.
type Config struct {
	// FCMServiceAccount is a Google service-account key file (JSON) of the
	// Firebase project the apps belong to. Access tokens come from its
	// token_uri (Google's token endpoint; tests name a local server).
	FCMServiceAccount []byte
	// FCMBaseURL replaces DefaultFCMBaseURL (tests).
	FCMBaseURL string

	// APNsKey is the team's APNs auth key (.p8: PKCS#8 EC P-256 PEM), with
	// its key ID and the team ID.
	APNsKey    []byte
	APNsKeyID  string
	APNsTeamID string
	// APNsURL and APNsSandboxURL replace DefaultAPNsURL and
	// DefaultAPNsSandboxURL (tests).
	APNsURL        string
	APNsSandboxURL string

	// HTTPClient sends every request; it must speak HTTP/2 for APNs. It is
	// used as is except that redirects are never followed. Nil means a
	// client that connects only to public addresses and to those
	// AllowPrivate and AllowLoopback allow, checked at every dial (so a
	// host name cannot resolve its way around the policy).
	HTTPClient *http.Client
	// AllowPrivate accepts UnifiedPush endpoints on these non-public
	// networks (see AllowPrivate and PrivateNetworks): a self-hosted
	// distributor on the relay's LAN. Nil refuses every private address.
	AllowPrivate []netip.Prefix
	// AllowLoopback accepts UnifiedPush endpoints on loopback (see
	// AllowLoopback); for tests and local development.
	AllowLoopback bool

	// TTL is how long a gateway keeps an undelivered wake-up.
	TTL time.Duration
	// CoalesceWindow is how long the first Notify for a device waits for
	// more; all Notify calls for that device until the push is sent (or
	// while it is retried) become one push.
	CoalesceWindow time.Duration
	// MinBackoff and MaxBackoff bound the exponential retry delay (±20%
	// jitter); a longer Retry-After, up to MaxRetryAfter, wins.
	MinBackoff    time.Duration
	MaxBackoff    time.Duration
	MaxRetryAfter time.Duration
	// MaxAttempts is the number of sends tried per push.
	MaxAttempts int
	// QueueSize bounds the devices with a pending push; when full, the
	// oldest pending push is dropped (Stats.Dropped).
	QueueSize int
	// Workers is the number of requests in flight at once.
	Workers int
	// RequestTimeout bounds one request, token fetch included.
	RequestTimeout time.Duration
	// RefusedBuffer is the capacity of the Refused channel.
	RefusedBuffer int

	// resolver replaces the default client's DNS resolver (tests).
	resolver *net.Resolver
}

// ValidateOptions are the options that validate endpoints as cfg's
// dispatcher does.
func (cfg Config) ValidateOptions() []ValidateOption {
	var opts []ValidateOption
	if cfg.AllowLoopback {
		opts = append(opts, AllowLoopback())
	}
	if len(cfg.AllowPrivate) > 0 {
		opts = append(opts, AllowPrivate(cfg.AllowPrivate...))
	}
	return opts
}

// RefusedEvent reports an endpoint the dispatcher gave up on for a reason
// that pushing again will not change: the gateway says it no longer exists
// (RefusedGone) or rejected it (RefusedRejected), or its host resolved to
// an address the relay may not connect to (RefusedLoopback,
// RefusedPrivate). The relay should stop using it if the device's
// registered endpoint still equals Endpoint, and tell the device.
type RefusedEvent struct {
	Key      string
	Endpoint Endpoint
	Refusal  Refusal
	Err      error
}

// Stats are the dispatcher's counters since New.
type Stats struct {
	Notified       uint64 // Notify calls accepted
	Coalesced      uint64 // Notify calls merged into a pending push
	Dropped        uint64 // pending pushes dropped because the queue was full
	Sent           uint64 // pushes the gateway accepted
	Retries        uint64 // sends retried after a retryable failure
	Failed         uint64 // pushes given up (rejected, refused, credentials, or out of attempts)
	Gone           uint64 // endpoints reported gone
	Refused        uint64 // refused events sent (Gone included)
	RefusedDropped uint64 // refused events dropped because the Refused channel was full
	Pending        int    // devices with a pending push now
}

// Dispatcher sends wake-ups: it coalesces bursts per device, bounds its
// queue, retries with backoff and reports gone endpoints.
//
// Lock order: mu only; no other lock is taken while holding it.
type Dispatcher struct {
	cfg      Config
	log      *slog.Logger
	gateways map[Kind]gateway
	policy   addrPolicy
	now      func() time.Time
	cancel   context.CancelFunc
	wg       sync.WaitGroup
	refused  chan RefusedEvent
	kick     chan struct{} // capacity 1: wakes the scheduler

	mu     sync.Mutex // guards closed, jobs, order, ready, timers
	cond   *sync.Cond // on mu: ready gained a job, or closed
	closed bool
	jobs   map[string]*job
	order  list.List // *job in creation order, for dropping the oldest
	ready  list.List // *job due and waiting for a worker
	timers jobHeap   // *job waiting for due

	notified, coalesced, dropped, sent, retries, failed, goneN, refusedN, refusedDropped atomic.Uint64
}

type jobState uint8

const (
	waiting jobState = iota // in timers
	queued                  // in ready
	sending                 // owned by a worker
)

type job struct {
	key     string
	ep      Endpoint
	due     time.Time
	attempt int
	state   jobState
	heapIdx int
	order   *list.Element
	readyEl *list.Element
}

// New builds a dispatcher and starts its goroutines; Close stops them.
// logger may be nil.
func New(cfg Config, logger *slog.Logger) (*Dispatcher, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	setDefault(&cfg.TTL, DefaultTTL)
	setDefault(&cfg.CoalesceWindow, DefaultCoalesceWindow)
	setDefault(&cfg.MinBackoff, DefaultMinBackoff)
	setDefault(&cfg.MaxBackoff, DefaultMaxBackoff)
	setDefault(&cfg.MaxRetryAfter, DefaultMaxRetryAfter)
	setDefault(&cfg.MaxAttempts, DefaultMaxAttempts)
	setDefault(&cfg.Workers, DefaultWorkers)
	setDefault(&cfg.QueueSize, max(DefaultQueueSize, cfg.Workers))
	setDefault(&cfg.RequestTimeout, DefaultRequestTimeout)
	setDefault(&cfg.RefusedBuffer, DefaultRefusedBuffer)
	setDefault(&cfg.FCMBaseURL, DefaultFCMBaseURL)
	setDefault(&cfg.APNsURL, DefaultAPNsURL)
	setDefault(&cfg.APNsSandboxURL, DefaultAPNsSandboxURL)
	switch {
	case cfg.TTL < time.Second:
		return nil, fmt.Errorf("push: TTL %s under a second", cfg.TTL)
	case cfg.MaxBackoff < cfg.MinBackoff:
		return nil, fmt.Errorf("push: MaxBackoff %s under MinBackoff %s", cfg.MaxBackoff, cfg.MinBackoff)
	case cfg.QueueSize < cfg.Workers:
		return nil, fmt.Errorf("push: QueueSize %d under Workers %d", cfg.QueueSize, cfg.Workers)
	}
	for _, u := range []string{cfg.FCMBaseURL, cfg.APNsURL, cfg.APNsSandboxURL} {
		if p, err := url.Parse(u); err != nil || p.Scheme != "https" && p.Scheme != "http" || p.Host == "" {
			return nil, fmt.Errorf("push: bad base URL %q", u)
		}
	}
	for _, p := range cfg.AllowPrivate {
		if !p.IsValid() {
			return nil, fmt.Errorf("push: invalid prefix in AllowPrivate")
		}
	}

	policy := newPolicy(cfg.ValidateOptions())
	client := cfg.HTTPClient
	if client == nil {
		client = defaultClient(policy, cfg.resolver)
	} else {
		c := *client
		c.CheckRedirect = noRedirects
		client = &c
	}
	ctx, cancel := context.WithCancel(context.Background())
	d := &Dispatcher{
		cfg:      cfg,
		log:      logger,
		gateways: map[Kind]gateway{},
		policy:   policy,
		now:      time.Now,
		cancel:   cancel,
		refused:  make(chan RefusedEvent, cfg.RefusedBuffer),
		kick:     make(chan struct{}, 1),
		jobs:     map[string]*job{},
	}
	d.cond = sync.NewCond(&d.mu)
	d.gateways[UnifiedPush] = &webhookGateway{client: client, ttl: cfg.TTL, now: d.clock}
	if cfg.FCMServiceAccount != nil {
		sa, err := checkServiceAccount(cfg.FCMServiceAccount)
		if err != nil {
			cancel()
			return nil, fmt.Errorf("push: %w", err)
		}
		tokens, err := newFCMTokens(ctx, cfg.FCMServiceAccount, client, cfg.RequestTimeout)
		if err != nil {
			cancel()
			return nil, fmt.Errorf("push: %w", err)
		}
		d.gateways[FCM] = &fcmGateway{
			client:  client,
			sendURL: strings.TrimSuffix(cfg.FCMBaseURL, "/") + "/v1/projects/" + url.PathEscape(sa.ProjectID) + "/messages:send",
			ttl:     cfg.TTL,
			now:     d.clock,
			tokens:  tokens,
		}
	}
	if cfg.APNsKey != nil {
		key, err := parseAPNsKey(cfg.APNsKey)
		if err != nil {
			cancel()
			return nil, fmt.Errorf("push: apns key: %w: %s", ErrCredentials, err)
		}
		if !plainID(cfg.APNsKeyID) || !plainID(cfg.APNsTeamID) {
			cancel()
			return nil, fmt.Errorf("push: apns: %w: key ID and team ID must be 1..64 letters and digits", ErrCredentials)
		}
		d.gateways[APNs] = &apnsGateway{
			client:     client,
			prodURL:    strings.TrimSuffix(cfg.APNsURL, "/"),
			sandboxURL: strings.TrimSuffix(cfg.APNsSandboxURL, "/"),
			ttl:        cfg.TTL,
			keyID:      cfg.APNsKeyID,
			teamID:     cfg.APNsTeamID,
			key:        key,
			now:        d.clock,
		}
	}

	d.wg.Add(1 + cfg.Workers)
	go d.schedule(ctx)
	for range cfg.Workers {
		go d.work(ctx)
	}
	return d, nil
}

func setDefault[T comparable](v *T, def T) {
	var zero T
	if *v == zero {
		*v = def
	}
}

func plainID(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if b := s[i]; !(b >= 'A' && b <= 'Z' || b >= 'a' && b <= 'z' || b >= '0' && b <= '9') {
			return false
		}
	}
	return true
}

func (d *Dispatcher) clock() time.Time { return d.now() }

// Accept decodes an endpoint (a marshaled pb.PushEndpoint, as devices
// register it) and checks that this dispatcher would push to it: it
// validates under the dispatcher's address policy, and its kind has a
// gateway. RefusalOf the error says why not.
func (d *Dispatcher) Accept(raw []byte) (Endpoint, error) {
	ep, err := UnmarshalEndpoint(raw, d.cfg.ValidateOptions()...)
	if err != nil {
		return Endpoint{}, fmt.Errorf("push accept: %w", err)
	}
	if err := d.check(ep); err != nil {
		return Endpoint{}, fmt.Errorf("push accept: %w", err)
	}
	return ep, nil
}

func (d *Dispatcher) check(ep Endpoint) error {
	if err := ep.validate(d.policy); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidEndpoint, err)
	}
	if d.gateways[ep.Kind] == nil {
		return fmt.Errorf("%w: %s", ErrNoCredentials, ep.Kind)
	}
	return nil
}

// Notify asks for a wake-up of the device identified by key through ep. It
// never blocks on the network: the push is sent after CoalesceWindow, and
// every further Notify for key until then (or while the push is retried)
// joins it, the latest ep winning. It returns an error for an endpoint
// Accept would refuse, or after Close.
func (d *Dispatcher) Notify(ep Endpoint, key string) error {
	if err := d.check(ep); err != nil {
		return fmt.Errorf("push notify: %w", err)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return fmt.Errorf("push notify: %w", ErrClosed)
	}
	d.notified.Add(1)
	if j := d.jobs[key]; j != nil {
		j.ep = ep
		d.coalesced.Add(1)
		return nil
	}
	if len(d.jobs) >= d.cfg.QueueSize && !d.dropOldestLocked() {
		d.dropped.Add(1)
		return nil
	}
	j := &job{key: key, ep: ep, due: d.now().Add(d.cfg.CoalesceWindow)}
	j.order = d.order.PushBack(j)
	d.jobs[key] = j
	d.waitLocked(j)
	return nil
}

// dropOldestLocked drops the oldest job no worker holds.
func (d *Dispatcher) dropOldestLocked() bool {
	for e := d.order.Front(); e != nil; e = e.Next() {
		if j := e.Value.(*job); j.state != sending {
			d.removeLocked(j)
			d.dropped.Add(1)
			d.log.Warn("push queue full, dropped oldest", "kind", j.ep.Kind)
			return true
		}
	}
	return false
}

// waitLocked puts j in the timer heap and wakes the scheduler.
func (d *Dispatcher) waitLocked(j *job) {
	j.state = waiting
	heap.Push(&d.timers, j)
	select {
	case d.kick <- struct{}{}:
	default:
	}
}

func (d *Dispatcher) removeLocked(j *job) {
	switch j.state {
	case waiting:
		heap.Remove(&d.timers, j.heapIdx)
	case queued:
		d.ready.Remove(j.readyEl)
		j.readyEl = nil
	}
	d.order.Remove(j.order)
	delete(d.jobs, j.key)
}

// schedule moves due jobs to the ready list.
func (d *Dispatcher) schedule(ctx context.Context) {
	defer d.wg.Done()
	t := time.NewTimer(time.Hour)
	defer t.Stop()
	for {
		d.mu.Lock()
		now := d.now()
		for d.timers.Len() > 0 && !d.timers[0].due.After(now) {
			j := heap.Pop(&d.timers).(*job)
			j.state = queued
			j.readyEl = d.ready.PushBack(j)
			d.cond.Signal()
		}
		next := time.Hour
		if d.timers.Len() > 0 {
			next = d.timers[0].due.Sub(now)
		}
		d.mu.Unlock()
		t.Reset(next)
		select {
		case <-ctx.Done():
			return
		case <-d.kick:
		case <-t.C:
		}
	}
}

// work sends ready jobs until Close.
func (d *Dispatcher) work(ctx context.Context) {
	defer d.wg.Done()
	for {
		d.mu.Lock()
		for d.ready.Len() == 0 && !d.closed {
			d.cond.Wait()
		}
		if d.closed {
			d.mu.Unlock()
			return
		}
		j := d.ready.Remove(d.ready.Front()).(*job)
		j.readyEl = nil
		j.state = sending
		ep := j.ep
		d.mu.Unlock()

		rctx, cancel := context.WithTimeout(ctx, d.cfg.RequestTimeout)
		err := d.gateways[ep.Kind].send(rctx, ep)
		cancel()
		d.finish(j, ep, err)
	}
}

// finish records the outcome of sending j to ep.
func (d *Dispatcher) finish(j *job, ep Endpoint, err error) {
	d.mu.Lock()
	if d.closed {
		d.removeLocked(j)
		d.mu.Unlock()
		return
	}
	var re *retryError
	switch {
	case err == nil:
		d.removeLocked(j)
		d.sent.Add(1)
		d.mu.Unlock()
		return
	case errors.As(err, &re) && j.attempt+1 < d.cfg.MaxAttempts:
		j.attempt++
		attempt := j.attempt
		j.due = d.now().Add(d.retryDelay(attempt, re.after))
		d.waitLocked(j)
		d.retries.Add(1)
		d.mu.Unlock()
		d.log.Debug("push retry", "kind", ep.Kind, "attempt", attempt, "err", err)
		return
	}
	attempts := j.attempt + 1
	if j.ep != ep && d.gateways[j.ep.Kind] != nil {
		// The device registered another endpoint while this one failed: try
		// the new one from scratch.
		j.attempt = 0
		j.due = d.now()
		d.waitLocked(j)
	} else {
		d.removeLocked(j)
	}
	// Count and report before unlocking, so Stats never shows the job
	// gone without its outcome.
	if errors.Is(err, ErrGone) {
		d.goneN.Add(1)
	} else {
		d.failed.Add(1)
	}
	why := endpointRefusal(err)
	delivered := false
	if why != NotRefused {
		select {
		case d.refused <- RefusedEvent{Key: j.key, Endpoint: ep, Refusal: why, Err: err}:
			d.refusedN.Add(1)
			delivered = true
		default:
			d.refusedDropped.Add(1)
		}
	}
	d.mu.Unlock()
	switch {
	case why == NotRefused:
		d.log.Warn("push failed", "endpoint", ep, "attempts", attempts, "err", err)
	case delivered:
		// The consumer of Refused logs it, with the device it is for.
		d.log.Debug("push refused", "endpoint", ep, "reason", why, "err", err)
	default:
		d.log.Warn("push refused event dropped: channel full", "endpoint", ep, "reason", why, "err", err)
	}
}

// endpointRefusal says whether a push failed for good because of its
// endpoint (rather than the relay's credentials or a gateway outage).
func endpointRefusal(err error) Refusal {
	switch why := RefusalOf(err); why {
	case RefusedGone, RefusedRejected, RefusedLoopback, RefusedPrivate:
		return why
	}
	return NotRefused
}

// retryDelay is the delay before attempt+1: exponential from MinBackoff to
// MaxBackoff with ±20% jitter, or the gateway's Retry-After (capped at
// MaxRetryAfter) when longer.
func (d *Dispatcher) retryDelay(attempt int, after time.Duration) time.Duration {
	b := d.cfg.MinBackoff
	for i := 1; i < attempt && b < d.cfg.MaxBackoff; i++ {
		b *= 2
	}
	b = min(b, d.cfg.MaxBackoff)
	b = time.Duration(float64(b) * (0.8 + 0.4*rand.Float64()))
	return max(b, min(after, d.cfg.MaxRetryAfter))
}

// Refused delivers the endpoints the dispatcher gave up on because of the
// endpoint itself (see RefusedEvent). It is closed by Close. A subscriber
// that falls RefusedBuffer events behind loses events
// (Stats.RefusedDropped); the next push to such an endpoint reports it
// again.
func (d *Dispatcher) Refused() <-chan RefusedEvent { return d.refused }

// Stats returns the dispatcher's counters.
func (d *Dispatcher) Stats() Stats {
	d.mu.Lock()
	pending := len(d.jobs)
	d.mu.Unlock()
	return Stats{
		Notified:       d.notified.Load(),
		Coalesced:      d.coalesced.Load(),
		Dropped:        d.dropped.Load(),
		Sent:           d.sent.Load(),
		Retries:        d.retries.Load(),
		Failed:         d.failed.Load(),
		Gone:           d.goneN.Load(),
		Refused:        d.refusedN.Load(),
		RefusedDropped: d.refusedDropped.Load(),
		Pending:        pending,
	}
}

// Close drops pending pushes, cancels requests in flight, waits for every
// goroutine and closes the Refused channel. A second Close returns
// ErrClosed.
func (d *Dispatcher) Close() error {
	d.mu.Lock()
	if d.closed {
		d.mu.Unlock()
		return ErrClosed
	}
	d.closed = true
	d.cond.Broadcast()
	d.mu.Unlock()
	d.cancel()
	d.wg.Wait()
	close(d.refused)
	return nil
}

// jobHeap orders waiting jobs by due time.
type jobHeap []*job

func (h jobHeap) Len() int           { return len(h) }
func (h jobHeap) Less(i, k int) bool { return h[i].due.Before(h[k].due) }
func (h jobHeap) Swap(i, k int) {
	h[i], h[k] = h[k], h[i]
	h[i].heapIdx = i
	h[k].heapIdx = k
}
func (h *jobHeap) Push(x any) {
	j := x.(*job)
	j.heapIdx = len(*h)
	*h = append(*h, j)
}
func (h *jobHeap) Pop() any {
	old := *h
	j := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	j.heapIdx = -1
	return j
}
