package groupcast

import (
	"fmt"
	"log/slog"
	"time"

	pubsub "github.com/libp2p/go-libp2p-pubsub"
	"github.com/libp2p/go-libp2p/core/protocol"
)

// Option configures a Caster.
type Option func(*config) error

type config struct {
	log              *slog.Logger
	maxPayload       int
	validatorTimeout time.Duration
	bufferSize       int
	floodPublish     bool
	// Benchmarks and tests only (set from _test.go files).
	params  *pubsub.GossipSubParams
	tracer  pubsub.RawTracer
	noScore bool
	proto   protocol.ID
	async   bool
	set     map[string]bool
}

func (c *config) once(name string) error {
	if c.set[name] {
		return fmt.Errorf("%w: %s", ErrOptionTwice, name)
	}
	c.set[name] = true
	return nil
}

// WithLogger sets the logger of the Caster and of its GossipSub router
// (default: discard).
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		if l == nil {
			return fmt.Errorf("%w: nil logger", ErrBadOption)
		}
		c.log = l
		return c.once("logger")
	}
}

// WithMaxPayload sets the largest payload, in bytes, that Publish sends and
// the validator lets through (default DefaultMaxPayload, at most
// MaxPayloadLimit). Every member of a group must use the same value: a
// bigger message is rejected by members with a smaller limit and counts
// against the peer that forwarded it.
func WithMaxPayload(n int) Option {
	return func(c *config) error {
		if n < 1 || n > MaxPayloadLimit {
			return fmt.Errorf("%w: max payload %d", ErrBadOption, n)
		}
		c.maxPayload = n
		return c.once("max payload")
	}
}

// WithValidatorTimeout bounds one run of a Group's Validator (default
// DefaultValidatorTimeout). The validator's context ends then and the
// message is ignored: not delivered, not forwarded, nobody penalised.
func WithValidatorTimeout(d time.Duration) Option {
	return func(c *config) error {
		if d < time.Millisecond {
			return fmt.Errorf("%w: validator timeout %v", ErrBadOption, d)
		}
		c.validatorTimeout = d
		return c.once("validator timeout")
	}
}

// WithBufferSize sets how many received messages each Group holds for a
// consumer that is not reading Messages (default DefaultBufferSize).
func WithBufferSize(n int) Option {
	return func(c *config) error {
		if n < 1 {
			return fmt.Errorf("%w: buffer size %d", ErrBadOption, n)
		}
		c.bufferSize = n
		return c.once("buffer size")
	}
}

// WithFloodPublish makes Publish send each own message to every connected
// peer of the group instead of only to the mesh (default off). It shortens
// the first hop in small groups but makes the sender's cost grow with the
// group; the package doc has the measurements.
func WithFloodPublish(on bool) Option {
	return func(c *config) error {
		c.floodPublish = on
		return c.once("flood publish")
	}
}

func newConfig(opts []Option) (*config, error) {
	c := &config{
		log:              slog.New(slog.DiscardHandler),
		maxPayload:       DefaultMaxPayload,
		validatorTimeout: DefaultValidatorTimeout,
		bufferSize:       DefaultBufferSize,
		proto:            ProtocolID,
		set:              make(map[string]bool),
	}
	for _, o := range opts {
		if err := o(c); err != nil {
			return nil, fmt.Errorf("new groupcast: %w", err)
		}
	}
	return c, nil
}
