package relays

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/node/relay/push"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

// pushSetting is the store setting holding the push endpoint (a marshaled
// pb.PushEndpoint) registered with our relays.
const pushSetting = "push-endpoint"

// pushState is the push endpoint this device registers with its relays.
type pushState struct {
	mu sync.Mutex // guards ep; taken alone
	ep *pb.PushEndpoint
}

func (p *pushState) endpoint() *pb.PushEndpoint {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.ep
}

func (p *pushState) set(ep *pb.PushEndpoint) {
	p.mu.Lock()
	p.ep = ep
	p.mu.Unlock()
}

// load reads the stored push endpoint.
func (p *pushState) load(ctx context.Context, st Store) error {
	raw, err := st.Setting(ctx, pushSetting)
	switch {
	case errors.Is(err, storage.ErrNotFound) || (err == nil && len(raw) == 0):
		return nil
	case err != nil:
		return fmt.Errorf("load push endpoint: %w", err)
	}
	var ep pb.PushEndpoint
	if err := proto.Unmarshal(raw, &ep); err != nil {
		return fmt.Errorf("load push endpoint: %w", err)
	}
	p.set(&ep)
	return nil
}

// SetPush registers where this device's relays send a content-free
// wake-up when a message is left for it while it is away (UnifiedPush or a
// webhook URL, an FCM registration token, or an APNs device token and
// topic). A zero Endpoint turns push off.
//
// The endpoint is checked for its format only (ErrBadSetting): a URL
// may name a private or loopback address (over plain http when it names it
// literally), since whether a relay pushes there is the relay's policy.
// Each relay answers the next registration (started at once) with whether
// it will; PushStatus and List show the answers. opts are accepted for
// compatibility and change nothing the device accepts.
func (s *Service) SetPush(ctx context.Context, ep push.Endpoint, opts ...push.ValidateOption) error {
	const op = "set push endpoint"
	if err := s.ready(); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	var raw []byte
	var m *pb.PushEndpoint
	if ep != (push.Endpoint{}) {
		var err error
		if raw, err = push.MarshalEndpoint(ep, append(opts[:len(opts):len(opts)], push.AnyAddress())...); err != nil {
			return fmt.Errorf("%s: %w: %v", op, ErrBadSetting, err)
		}
		m = new(pb.PushEndpoint)
		if err := proto.Unmarshal(raw, m); err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
	}
	if err := s.d.Store.PutSetting(ctx, pushSetting, raw); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	s.push.set(m)
	s.set.signal() // register again with every relay
	return nil
}

// PushState is what one of the node's relays did with this device's push
// endpoint.
type PushState uint8

const (
	PushOff      PushState = iota // no push endpoint is set
	PushPending                   // set, but not registered with the relay since
	PushAccepted                  // the relay wakes this device through it
	PushRefused                   // the relay does not; Push.Refusal says why
	PushUnknown                   // the relay registered the device without saying (an older relay)
)

func (s PushState) String() string {
	switch s {
	case PushOff:
		return "off"
	case PushPending:
		return "pending"
	case PushAccepted:
		return "accepted"
	case PushRefused:
		return "refused"
	case PushUnknown:
		return "unknown"
	}
	return fmt.Sprintf("PushState(%d)", uint8(s))
}

// Push is what a relay said about this device's push endpoint when the
// device last registered it there.
type Push struct {
	State   PushState
	Refusal push.Refusal // why, when State is PushRefused
	At      time.Time    // when the relay said so; zero while off or pending
}

// RelayPush is one relay's answer in PushStatus.
type RelayPush struct {
	Addr   string // full multiaddr with /p2p/<id>
	PeerID string
	Push
}

// PushStatus is this device's push endpoint and what each of its relays
// did with it.
type PushStatus struct {
	Endpoint push.Endpoint // zero when push is off
	Relays   []RelayPush
}

// PushStatus returns this device's push endpoint and, for each relay, what
// the relay did with it at the device's last registration there.
func (s *Service) PushStatus(ctx context.Context) (PushStatus, error) {
	if err := s.ready(); err != nil {
		return PushStatus{}, fmt.Errorf("push status: %w", err)
	}
	cur := s.push.endpoint()
	var out PushStatus
	if cur != nil {
		out.Endpoint = push.Endpoint{Kind: push.Kind(cur.Kind), URL: cur.Url, Token: cur.Token, Topic: cur.Topic, Sandbox: cur.Sandbox}
	}
	s.set.mu.Lock()
	defer s.set.mu.Unlock()
	out.Relays = make([]RelayPush, len(s.set.relays))
	for i, r := range s.set.relays {
		out.Relays[i] = RelayPush{Addr: r.addr, PeerID: r.info.ID.String(), Push: relayPush(r, cur)}
	}
	return out, nil
}

// pushReport is what a relay answered about the endpoint sent (the
// pointer pushState.ep held then: a new endpoint is a new pointer).
type pushReport struct {
	sent *pb.PushEndpoint
	Push
}

// relayPush is r's push state for the current endpoint cur. Caller holds
// relaySet.mu.
func relayPush(r *relayState, cur *pb.PushEndpoint) Push {
	switch {
	case cur == nil:
		return Push{State: PushOff}
	case r.push.sent != cur:
		return Push{State: PushPending}
	}
	return r.push.Push
}

// notePush records what relay answered about sent (nil: the registration
// carried no endpoint) in a registration. A refusal is logged at warn
// when it is news.
func (s *Service) notePush(relay peer.ID, sent *pb.PushEndpoint, st *pb.PushStatus) {
	rp := Push{State: PushOff}
	switch {
	case sent == nil:
	case st == nil:
		rp.State = PushUnknown
	case st.Refusal == pb.PushRefusal_PUSH_REFUSAL_NONE:
		rp.State = PushAccepted
	default:
		rp.State, rp.Refusal = PushRefused, push.RefusalFromPB(st.Refusal)
	}
	if sent != nil {
		rp.At = time.Now()
	}
	news := false
	s.set.mu.Lock()
	for _, r := range s.set.relays {
		if r.info.ID == relay {
			prev := r.push
			news = prev.sent != sent || prev.State != rp.State || prev.Refusal != rp.Refusal
			r.push = pushReport{sent: sent, Push: rp}
		}
	}
	s.set.mu.Unlock()
	if news && rp.State == PushRefused {
		s.log.Warn("push endpoint refused by relay", "relay", relay, "reason", rp.Refusal.String())
	}
}
