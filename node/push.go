package node

import (
	"context"
	"errors"
	"fmt"
	"sync"

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
	mu sync.Mutex // guards ep
	ep *pb.PushEndpoint
}

func (n *Node) pushEndpoint() *pb.PushEndpoint {
	n.push.mu.Lock()
	defer n.push.mu.Unlock()
	return n.push.ep
}

// loadPush reads the stored push endpoint.
func (n *Node) loadPush(ctx context.Context) error {
	raw, err := n.store.Setting(ctx, pushSetting)
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
	n.push.ep = &ep
	return nil
}

// SetPushEndpoint registers where this device's relays send a content-free
// wake-up when a message is left for it while it is away (UnifiedPush or a
// webhook URL, an FCM registration token, or an APNs device token and
// topic). A zero Endpoint turns push off. Options relax validation (tests
// use push.AllowLoopback()).
func (n *Node) SetPushEndpoint(ctx context.Context, ep push.Endpoint, opts ...push.ValidateOption) error {
	const op = "set push endpoint"
	if err := n.ready(); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	var raw []byte
	var m *pb.PushEndpoint
	if ep != (push.Endpoint{}) {
		var err error
		if raw, err = push.MarshalEndpoint(ep, opts...); err != nil {
			return fmt.Errorf("%s: %w: %v", op, ErrBadSetting, err)
		}
		m = new(pb.PushEndpoint)
		if err := proto.Unmarshal(raw, m); err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
	}
	if err := n.store.PutSetting(ctx, pushSetting, raw); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	n.push.mu.Lock()
	n.push.ep = m
	n.push.mu.Unlock()
	n.relays.signal() // register again with every relay
	return nil
}
