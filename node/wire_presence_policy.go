package node

import (
	"context"

	"github.com/pigeon-net/pigeon/node/core"
)

// presencePolicy is the contacts' send policy as presence asks it: typing
// indicators go to no blocked account and no pending message request.
type presencePolicy struct{ n *Node }

func (p presencePolicy) Allowed(ctx context.Context, to core.AccountID) (bool, error) {
	return p.n.contacts.TypingAllowed(ctx, to)
}
