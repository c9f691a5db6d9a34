package post

import (
	"errors"
	"fmt"
	"testing"

	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/p2p/net/swarm"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/protocol/delivery"
	"github.com/pigeon-net/pigeon/protocol/mailbox"
	"github.com/pigeon-net/pigeon/protocol/pb"
)

// Each way an attempt fails gets its own reason, however the outbox
// wrapped and joined the error.
func TestPendingReasonClassifies(t *testing.T) {
	relay, _ := peer.Decode("12D3KooWPLHdvdCou534KFMehLjbRb6kHq1HRmQHg7NpDDtnKrZp")
	dial := fmt.Errorf("open stream: failed to dial: %w", swarm.ErrAllDialsFailed)
	quota := &depositError{relay: relay, err: fmt.Errorf("deposit: %w", &mailbox.CodeError{Mailbox: pb.MailboxError_MAILBOX_QUOTA_COUNT})}
	for _, c := range []struct {
		err    error
		relays bool
		code   string
		text   string
	}{
		{fmt.Errorf("device 1: %w", dial), false, core.PendingNoRelay, "recipient not reachable; no relay known for them"},
		{fmt.Errorf("device 1: %w: %w", errNoRelay, errors.New("stream reset")), false, core.PendingNoRelay, "recipient not reachable; no relay known for them"},
		{fmt.Errorf("device 1: %w", dial), true, core.PendingRelaysUnreachable, "recipient not reachable; none of their relays answers"},
		{errors.Join(fmt.Errorf("device 1: %w", dial), errRelaysUnreachable), true, core.PendingRelaysUnreachable, "recipient not reachable; none of their relays answers"},
		{errors.Join(dial, quota), true, core.PendingRelayRefused, "recipient not reachable; relay …DDtnKrZp refused: quota"},
		{&depositError{relay: relay, err: &mailbox.CodeError{Mailbox: pb.MailboxError_MAILBOX_NOT_REGISTERED}}, true, core.PendingRelayRefused, "recipient not reachable; relay …DDtnKrZp refused: not registered"},
		{fmt.Errorf("look up: %w: pgabc: no device list found", core.ErrUnknownAccount), false, core.PendingUnknownAccount, ""},
		{fmt.Errorf("%w: pgabc", core.ErrIdentityUnverified), false, core.PendingIdentityChanged, ""},
		{errors.Join(dial, errCopying), true, core.PendingCopying, "recipient not reachable; their relays are copying the file"},
		{fmt.Errorf("device 2: %w", &delivery.CodeError{Code: pb.ErrorCode_RATE_LIMITED}), true, core.PendingRefused, "recipient's device refused it: rate_limited"},
		{errors.New("disk on fire"), false, core.PendingError, "delivery failed: disk on fire"},
	} {
		r := pendingReason(c.err, c.relays)
		if r.Code != c.code || (c.text != "" && r.Text != c.text) {
			t.Errorf("%v (relays %v): got %s %q, want %s %q", c.err, c.relays, r.Code, r.Text, c.code, c.text)
		}
	}
}
