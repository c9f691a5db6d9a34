package media

import (
	rcmgr "github.com/libp2p/go-libp2p/p2p/host/resource-manager"
)

// Resource limits of block serving (see AddLimits). A served stream
// reserves its piece (PieceSize) while it has blocks to write; its yamux
// window is the connection's.
const (
	// ServeStreamsPerPeer bounds the blocks streams one peer may have
	// served at once: a fetch opens DefaultStreams per provider, so this
	// is several fetches (or pins) at once.
	ServeStreamsPerPeer = 16
	// ServeStreams bounds the blocks streams served at once.
	ServeStreams = 512
)

// AddLimits adds the limits of the service ServeService to a resource
// manager configuration: at most ServeStreams streams served at once,
// ServeStreamsPerPeer of them for one peer, and the memory their pieces
// take: the node-wide budget of block serving, ServeStreams pieces (32
// MiB), and ServeStreamsPerPeer pieces and a whole block for one peer. A
// server on a host whose resource manager lacks them gets libp2p's
// defaults for unknown services.
func AddLimits(cfg *rcmgr.ScalingLimitConfig) {
	cfg.AddServiceLimit(ServeService, rcmgr.BaseLimit{
		StreamsInbound: ServeStreams, Streams: ServeStreams,
		Memory: ServeStreams * PieceSize,
	}, rcmgr.BaseLimitIncrease{})
	cfg.AddServicePeerLimit(ServeService, rcmgr.BaseLimit{
		StreamsInbound: ServeStreamsPerPeer, Streams: ServeStreamsPerPeer,
		Memory: ServeStreamsPerPeer*PieceSize + MaxBlockSize,
	}, rcmgr.BaseLimitIncrease{})
}
