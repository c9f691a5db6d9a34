package node

import (
	"context"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
)

// DeleteStoredMessage removes message id from this node's store, as
// every removal does (Store.DeleteMessage), for tests of what refers to
// it.
func (n *Node) DeleteStoredMessage(ctx context.Context, id core.MessageID) error {
	return n.store.DeleteMessage(ctx, rt.ID(id))
}
