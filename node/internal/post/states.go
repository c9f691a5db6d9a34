package post

import (
	"context"
	"errors"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/storage"
)

// setState moves a message forward and returns the event to publish.
func (n *env) setState(ctx context.Context, id storage.MessageID, st storage.State) ([]core.Event, error) {
	m, changed, err := n.store.SetMessageState(ctx, id, st)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, nil
	}
	if err != nil || !changed {
		return nil, err
	}
	return []core.Event{core.MessageStateChanged{ID: rt.CoreID(id), Chat: rt.Chat(m.Peer, m.Group), State: core.State(m.State)}}, nil
}
