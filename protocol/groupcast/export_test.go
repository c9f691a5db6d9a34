package groupcast

import (
	pubsub "github.com/libp2p/go-libp2p-pubsub"
	pubsubpb "github.com/libp2p/go-libp2p-pubsub/pb"
	"github.com/libp2p/go-libp2p/core/protocol"
)

// WithRawTracer adds a router tracer (tests and benchmarks count meshes,
// deliveries and duplicates with it).
func WithRawTracer(t pubsub.RawTracer) Option {
	return func(c *config) error {
		c.tracer = t
		return c.once("tracer")
	}
}

// WithGossipParams replaces the mesh parameters (benchmarks compare them).
func WithGossipParams(p pubsub.GossipSubParams) Option {
	return func(c *config) error {
		c.params = &p
		return c.once("gossip params")
	}
}

// GossipParams returns the mesh parameters New uses.
func GossipParams() pubsub.GossipSubParams { return gossipParams() }

// NoopTracer implements pubsub.RawTracer doing nothing, for embedding.
type NoopTracer = noopTracer

// RawID is the router's message ID of a payload from an author.
func RawID(from, payload []byte) string { id := rawID(from, payload); return string(id[:]) }

// MessageIDFn is the router's message-ID function.
func MessageIDFn(m *pubsubpb.Message) string { return messageID(m) }

// RouterValidator is the wrapper Join registers with the router.
func RouterValidator(maxPayload int, v Validator) pubsub.ValidatorEx {
	return routerValidator(maxPayload, v)
}

// WithoutScore turns peer scoring off (benchmarks measure its cost).
func WithoutScore() Option {
	return func(c *config) error {
		c.noScore = true
		return c.once("no score")
	}
}

// WithProtocolID replaces ProtocolID, so that benchmarks can run several
// variants on one host.
func WithProtocolID(id protocol.ID) Option {
	return func(c *config) error {
		c.proto = id
		return c.once("protocol ID")
	}
}

// WithAsyncValidator runs validators in a goroutine per message instead of
// in the router's validation workers (benchmarks measure the difference).
func WithAsyncValidator() Option {
	return func(c *config) error {
		c.async = true
		return c.once("async validator")
	}
}
