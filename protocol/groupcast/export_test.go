package groupcast

import (
	pubsub "github.com/libp2p/go-libp2p-pubsub"
	pubsubpb "github.com/libp2p/go-libp2p-pubsub/pb"
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
