package groupcast

import (
	"time"

	pubsub "github.com/libp2p/go-libp2p-pubsub"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"
)

// ProtocolID is the one GossipSub protocol the Caster speaks: gossipsub
// v1.2 (IDONTWANT) under Pigeon's own name, so Pigeon's router never meshes
// with a public libp2p pubsub network and vice versa.
const ProtocolID protocol.ID = "/pigeon/meshsub/1.2.0"

// features tells the router what proto supports: the mesh, peer exchange
// and IDONTWANT of gossipsub v1.2, not the v1.3 extensions.
func features(proto protocol.ID) pubsub.GossipSubFeatureTest {
	return func(f pubsub.GossipSubFeature, p protocol.ID) bool {
		if p != proto {
			return false
		}
		switch f {
		case pubsub.GossipSubFeatureMesh, pubsub.GossipSubFeaturePX, pubsub.GossipSubFeatureIdontwant:
			return true
		}
		return false
	}
}

// Size limits.
const (
	// DefaultMaxPayload is the largest payload Publish sends and the
	// validator lets through: a sender-key ciphertext of a long text plus
	// its header fits many times over; media travel as references.
	DefaultMaxPayload = 64 << 10
	// MaxPayloadLimit is the largest value WithMaxPayload accepts.
	MaxPayloadLimit = 1 << 20
	// envelopeOverhead is what the router adds around a payload in one RPC
	// frame: author, sequence number, topic, signature, and an inline public
	// key for key types whose peer ID does not embed it (RSA).
	envelopeOverhead = 4 << 10
	// maxControlSize bounds the control part of a frame. The largest honest
	// control message is an IHAVE of MaxIHaveLength 32-byte IDs (~170 KB).
	maxControlSize = 256 << 10
)

// Queue sizes. The router's defaults (32) drop silently under a burst; the
// outbound queue is per peer, the validation queue and the subscription
// buffer per Caster and per Group.
const (
	outboundQueueSize = 1024
	validateQueueSize = 1024
	// DefaultBufferSize is how many received messages a Group holds for a
	// consumer that is not reading (WithBufferSize).
	DefaultBufferSize = 4096
)

// DefaultValidatorTimeout bounds one run of a Group's Validator
// (WithValidatorTimeout); a validator still running then counts as Ignore.
const DefaultValidatorTimeout = 2 * time.Second

// gossipParams are the mesh parameters; see the package doc for why.
func gossipParams() pubsub.GossipSubParams {
	p := pubsub.DefaultGossipSubParams()
	p.D = 3
	p.Dlo = 2
	p.Dhi = 6
	p.Dscore = 1
	p.Dout = 0
	p.Dlazy = 3
	p.GossipFactor = 0.1
	return p
}

// Score parameters. A group is a private topic whose members are checked by
// the validator, so the score has one job: drop a peer that forwards
// invalid messages (P4) or misbehaves in the protocol (P7) from the mesh,
// and stop talking to it if it keeps on. It must never push out an honest
// member of a small or quiet group, so the delivery-rate penalties (P3, P3b)
// are off: in a group where nobody speaks for an hour every mesh peer would
// fall below any delivery threshold. IP colocation (P6) is off because
// families and offices put many members behind one address, and outsiders
// cannot find the topic to mount the Sybil attack it defends against.
const (
	// invalidWeight makes one invalid message from a peer cost -100 (the
	// counter is squared: two cost -400). Any negative score prunes the
	// peer from the mesh; five invalid messages take it below the graylist
	// threshold, where its RPCs are ignored.
	invalidWeight = -100
	// invalidDecay forgets invalid messages over about an hour.
	invalidDecay = time.Hour
	// behaviourWeight: broken IWANT promises and GRAFTs during backoff.
	behaviourWeight    = -10
	behaviourThreshold = 6
	behaviourDecay     = 10 * time.Minute
	gossipThreshold    = -500
	publishThreshold   = -1000
	graylistThreshold  = -2500
)

func peerScoreParams() *pubsub.PeerScoreParams {
	return &pubsub.PeerScoreParams{
		Topics:                    make(map[string]*pubsub.TopicScoreParams),
		TopicScoreCap:             10,
		AppSpecificScore:          func(peer.ID) float64 { return 0 },
		AppSpecificWeight:         0,
		IPColocationFactorWeight:  0,
		BehaviourPenaltyWeight:    behaviourWeight,
		BehaviourPenaltyThreshold: behaviourThreshold,
		BehaviourPenaltyDecay:     pubsub.ScoreParameterDecay(behaviourDecay),
		DecayInterval:             pubsub.DefaultDecayInterval,
		DecayToZero:               pubsub.DefaultDecayToZero,
		RetainScore:               10 * time.Minute,
		SeenMsgTTL:                0, // the router's seen TTL
	}
}

func peerScoreThresholds() *pubsub.PeerScoreThresholds {
	return &pubsub.PeerScoreThresholds{
		GossipThreshold:   gossipThreshold,
		PublishThreshold:  publishThreshold,
		GraylistThreshold: graylistThreshold,
		// PX is off (members know each other from the member list), so no
		// peer is trusted with it.
		AcceptPXThreshold:           1e6,
		OpportunisticGraftThreshold: 1,
	}
}

// topicScoreParams: a little credit for time in the mesh and for first
// deliveries (so opportunistic grafting prefers useful peers), and the
// invalid-message penalty.
func topicScoreParams() *pubsub.TopicScoreParams {
	return &pubsub.TopicScoreParams{
		TopicWeight:                    1,
		TimeInMeshWeight:               0.01,
		TimeInMeshQuantum:              time.Second,
		TimeInMeshCap:                  100, // +1 after 100 s
		FirstMessageDeliveriesWeight:   0.5,
		FirstMessageDeliveriesDecay:    pubsub.ScoreParameterDecay(10 * time.Minute),
		FirstMessageDeliveriesCap:      10,
		InvalidMessageDeliveriesWeight: invalidWeight,
		InvalidMessageDeliveriesDecay:  pubsub.ScoreParameterDecay(invalidDecay),
	}
}
