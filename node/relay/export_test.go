package relay

import (
	"context"

	"github.com/pigeon-net/pigeon/protocol/mailbox"
)

// Registration returns a box's registration as r stores it.
func Registration(r *Relay, box mailbox.Box) (mailbox.Registration, error) {
	return r.boxes.Registration(context.Background(), box)
}

// PushKey and ParsePushKey expose the dispatcher key of a device.
var (
	PushKey      = pushKey
	ParsePushKey = parsePushKey
)

// BaseHostOptions exposes the relay host's options without the relay
// services, for the idle-connection benchmark's baseline host.
var BaseHostOptions = baseHostOptions

// Queued returns what r holds for box, oldest first.
func Queued(r *Relay, box mailbox.Box) ([]mailbox.Item, error) {
	items, _, err := r.boxes.Fetch(context.Background(), box, 0, 1000, 64<<20)
	return items, err
}
