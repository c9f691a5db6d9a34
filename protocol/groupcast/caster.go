package groupcast

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	pubsub "github.com/libp2p/go-libp2p-pubsub"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"
)

// Verdict is a Validator's decision about one message.
type Verdict int

const (
	// Accept delivers the message to Messages and forwards it.
	Accept Verdict = iota
	// Reject drops the message and penalises the peer that forwarded it:
	// use it for messages no honest member could have forwarded (a bad
	// signature inside the payload, garbage, an author who was never a
	// member).
	Reject
	// Ignore drops the message without penalty. Use it whenever an honest
	// member might have forwarded the message: a sender removed a moment
	// ago (the forwarder may not know yet), a key this node has not
	// received yet, a validator that could not decide.
	Ignore
)

// Validator decides about each message of a group before it is delivered or
// forwarded. from is the message's author: the router has checked that
// from's key signed it (StrictSign). The payload must not be modified or
// kept. A validator also runs on the node's own publishes.
//
// Validators run in the router's validation workers (as many as CPUs, shared
// by all groups of the host), one message after the other, because a
// goroutine per message cost measurable latency: a validator must be quick
// and must not block (no network I/O; reads of local state are fine). It
// runs concurrently with itself. Its ctx ends after the validator timeout
// (WithValidatorTimeout); a verdict given after that counts as Ignore.
type Validator func(ctx context.Context, from peer.ID, payload []byte) Verdict

// Message is one message of a group, received from another peer. A node's
// own publishes are not delivered back to it.
type Message struct {
	// From is the author, whose signature the router checked.
	From peer.ID
	// ID is MessageID(From, Payload). The router delivers each ID once (for
	// two minutes; see the package doc).
	ID string
	// Payload is the opaque payload; the receiver owns it.
	Payload []byte
	// ReceivedFrom is the neighbour that forwarded the message.
	ReceivedFrom peer.ID
}

// Caster is a host's GossipSub router for group fan-out. Make one per host
// with New; Join a topic per group.
type Caster struct {
	h      host.Host
	cfg    *config
	log    *slog.Logger
	ps     *pubsub.PubSub
	cancel context.CancelFunc
	tracer *tracer
	pumps  sync.WaitGroup // one goroutine per joined Group

	mu     sync.Mutex // guards groups and closed
	groups map[string]*Group
	closed bool
}

// New starts a GossipSub router on h speaking ProtocolID only, with the
// parameters described in the package doc. It registers a stream handler
// on h; Close removes it.
func New(h host.Host, opts ...Option) (*Caster, error) {
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	params := gossipParams()
	if cfg.params != nil {
		params = *cfg.params
	}
	c := &Caster{
		h:      h,
		cfg:    cfg,
		log:    cfg.log.With("subsystem", "groupcast"),
		tracer: &tracer{},
		groups: make(map[string]*Group),
	}
	psOpts := []pubsub.Option{
		pubsub.WithGossipSubProtocols([]protocol.ID{cfg.proto}, features(cfg.proto)),
		pubsub.WithGossipSubParams(params),
		pubsub.WithMessageSignaturePolicy(pubsub.StrictSign),
		pubsub.WithMessageIdFn(messageID),
		pubsub.WithPeerExchange(false),
		pubsub.WithFloodPublish(cfg.floodPublish),
		pubsub.WithMaxMessageSize(cfg.maxPayload + envelopeOverhead),
		pubsub.WithMaxControlMessageSize(maxControlSize),
		pubsub.WithPeerOutboundQueueSize(outboundQueueSize),
		pubsub.WithValidateQueueSize(validateQueueSize),
		pubsub.WithLogger(slog.New(quietInfo{cfg.log.Handler()}).With("subsystem", "pubsub")),
		pubsub.WithRPCLogger(slog.New(quietInfo{cfg.log.Handler()}).With("subsystem", "pubsub/rpc")),
		pubsub.WithRawTracer(c.tracer),
	}
	if !cfg.noScore {
		psOpts = append(psOpts, pubsub.WithPeerScore(peerScoreParams(), peerScoreThresholds()))
	}
	if cfg.tracer != nil {
		psOpts = append(psOpts, pubsub.WithRawTracer(cfg.tracer))
	}
	ctx, cancel := context.WithCancel(context.Background())
	ps, err := pubsub.NewGossipSub(ctx, h, psOpts...)
	if err != nil {
		cancel()
		return nil, fmt.Errorf("new groupcast: %w", err)
	}
	c.ps, c.cancel = ps, cancel
	return c, nil
}

// Join subscribes to topic t and returns its Group. v decides about every
// message of the topic, the node's own included. Join works on any host
// that knows the topic, member or not (relays join the groups of their
// accounts to keep their messages); the validator decides what passes.
func (c *Caster) Join(t Topic, v Validator) (*Group, error) {
	if v == nil {
		return nil, fmt.Errorf("groupcast join: %w: nil validator", ErrBadOption)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil, fmt.Errorf("groupcast join: %w", ErrClosed)
	}
	name := t.String()
	if _, ok := c.groups[name]; ok {
		return nil, fmt.Errorf("groupcast join: %w", ErrJoined)
	}
	g, err := c.join(t, name, v)
	if err != nil {
		return nil, fmt.Errorf("groupcast join: %w", err)
	}
	c.groups[name] = g
	c.log.Debug("joined group topic", "topic", name)
	return g, nil
}

func (c *Caster) join(t Topic, name string, v Validator) (g *Group, err error) {
	if err := c.ps.RegisterTopicValidator(name, routerValidator(c.cfg.maxPayload, v),
		pubsub.WithValidatorTimeout(c.cfg.validatorTimeout), pubsub.WithValidatorInline(!c.cfg.async)); err != nil {
		return nil, err
	}
	var pt *pubsub.Topic
	defer func() {
		if err == nil {
			return
		}
		if pt != nil {
			_ = pt.Close()
		}
		_ = c.ps.UnregisterTopicValidator(name)
	}()
	if pt, err = c.ps.Join(name); err != nil {
		return nil, err
	}
	if !c.cfg.noScore {
		if err = pt.SetScoreParams(topicScoreParams()); err != nil {
			return nil, err
		}
	}
	self := c.h.ID()
	sub, err := pt.Subscribe(
		pubsub.WithBufferSize(c.cfg.bufferSize),
		pubsub.WithMessageFilter(func(m *pubsub.Message) bool { return m.ReceivedFrom != self }))
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	g = &Group{
		c:       c,
		topic:   t,
		name:    name,
		pt:      pt,
		sub:     sub,
		msgs:    make(chan Message),
		cancel:  cancel,
		done:    make(chan struct{}),
		dropped: c.tracer.watch(name),
	}
	c.pumps.Add(1)
	go func() {
		defer c.pumps.Done()
		g.pump(ctx)
	}()
	return g, nil
}

// routerValidator wraps v for the router: it enforces the size limit, hands
// v the author rather than the forwarder, and maps verdicts (anything but
// Accept and Reject is Ignore).
func routerValidator(maxPayload int, v Validator) pubsub.ValidatorEx {
	return func(ctx context.Context, _ peer.ID, m *pubsub.Message) pubsub.ValidationResult {
		if len(m.Data) == 0 || len(m.Data) > maxPayload {
			return pubsub.ValidationReject
		}
		from, err := peer.IDFromBytes(m.From)
		if err != nil {
			return pubsub.ValidationReject
		}
		verdict := v(ctx, from, m.Data)
		if ctx.Err() != nil {
			return pubsub.ValidationIgnore // too late: the timeout passed
		}
		switch verdict {
		case Accept:
			return pubsub.ValidationAccept
		case Reject:
			return pubsub.ValidationReject
		default:
			return pubsub.ValidationIgnore
		}
	}
}

// Close leaves every group, stops the router, removes its stream handler,
// resets its streams so that neighbours notice at once, and waits for the
// Caster's goroutines. The router's own goroutines end as they see the
// stop (tests check that none is left). The host stays up. A second Close
// returns ErrClosed.
func (c *Caster) Close() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return ErrClosed
	}
	c.closed = true
	groups := make([]*Group, 0, len(c.groups))
	for _, g := range c.groups {
		groups = append(groups, g)
	}
	c.mu.Unlock()
	for _, g := range groups {
		_ = g.Leave()
	}
	c.cancel()
	c.h.RemoveStreamHandler(c.cfg.proto)
	for _, conn := range c.h.Network().Conns() {
		for _, s := range conn.GetStreams() {
			if s.Protocol() == c.cfg.proto {
				_ = s.Reset()
			}
		}
	}
	c.pumps.Wait()
	return nil
}

func (c *Caster) forget(name string) {
	c.log.Debug("left group topic", "topic", name)
	c.mu.Lock()
	delete(c.groups, name)
	c.mu.Unlock()
	c.tracer.unwatch(name)
}

// tracer counts, per topic, the messages the router could not hand to a
// Group because its buffer was full. The router calls it synchronously from
// its event loop, so it takes no lock the Caster holds while calling the
// router.
type tracer struct {
	noopTracer
	drops sync.Map // topic name -> *atomic.Uint64
}

func (t *tracer) watch(name string) *atomic.Uint64 {
	n := new(atomic.Uint64)
	t.drops.Store(name, n)
	return n
}

func (t *tracer) unwatch(name string) { t.drops.Delete(name) }

func (t *tracer) UndeliverableMessage(m *pubsub.Message) {
	if n, ok := t.drops.Load(m.GetTopic()); ok {
		n.(*atomic.Uint64).Add(1)
	}
}

// noopTracer implements pubsub.RawTracer doing nothing.
type noopTracer struct{}

func (noopTracer) OnNewOutboundStream(peer.ID, protocol.ID)             {}
func (noopTracer) OnClosedOutboundStream(peer.ID)                       {}
func (noopTracer) Join(string)                                          {}
func (noopTracer) Leave(string)                                         {}
func (noopTracer) Graft(peer.ID, string)                                {}
func (noopTracer) Prune(peer.ID, string)                                {}
func (noopTracer) ValidateMessage(*pubsub.Message)                      {}
func (noopTracer) DeliverMessage(*pubsub.Message)                       {}
func (noopTracer) RejectMessage(*pubsub.Message, string)                {}
func (noopTracer) DuplicateMessage(*pubsub.Message)                     {}
func (noopTracer) ThrottlePeer(peer.ID)                                 {}
func (noopTracer) RecvRPC(*pubsub.RPC)                                  {}
func (noopTracer) SendRPC(*pubsub.RPC, peer.ID)                         {}
func (noopTracer) SendRPCCompleted(*pubsub.RPC, peer.ID, time.Duration) {}
func (noopTracer) DropRPC(*pubsub.RPC, peer.ID)                         {}
func (noopTracer) UndeliverableMessage(*pubsub.Message)                 {}

// quietInfo hands the router's records to h with Info lowered to Debug:
// its Info records are routine (start, stop), not news for a node's log.
type quietInfo struct{ slog.Handler }

func (q quietInfo) Enabled(ctx context.Context, l slog.Level) bool {
	return q.Handler.Enabled(ctx, lowered(l))
}

func (q quietInfo) Handle(ctx context.Context, r slog.Record) error {
	r.Level = lowered(r.Level)
	return q.Handler.Handle(ctx, r)
}

func (q quietInfo) WithAttrs(attrs []slog.Attr) slog.Handler {
	return quietInfo{q.Handler.WithAttrs(attrs)}
}

func (q quietInfo) WithGroup(name string) slog.Handler { return quietInfo{q.Handler.WithGroup(name)} }

func lowered(l slog.Level) slog.Level {
	if l == slog.LevelInfo {
		return slog.LevelDebug
	}
	return l
}
