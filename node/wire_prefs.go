package node

import (
	"time"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/prefs"
)

// Prefs returns the node's conversation preferences: pinned, muted and
// archived chats, the same on every device of the account.
func (n *Node) Prefs() *prefs.Service {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.prefs
}

// newPrefs builds the prefs feature; it claims the prefs.chat
// account-log operation.
func newPrefs(n *Node) (*prefs.Service, error) {
	publish := func(e core.Event) {
		if c, ok := e.(prefs.Changed); ok && c.Chat.IsGroup() {
			n.groupMuteChanged(c.Prefs.MutedUntil)
		}
		n.bus.publish(e)
	}
	return prefs.New(prefs.Deps{Ready: n.ready, Store: n.store, Ops: n.alog, Outbox: n.post, Publish: publish})
}

// groupMuteChanged has the relays follow our groups again, with the
// muted ones quiet (no push wake-ups), now and when a timed mute ends.
// (A muted contact gets the quiet deposit secret with what we send it
// next: post's deposit secrets.)
func (n *Node) groupMuteChanged(until time.Time) {
	r := n.relays // set before Start, like the other features
	if r == nil {
		return
	}
	r.Signal()
	if d := time.Until(until); d > 0 && d < maxMuteTimer {
		time.AfterFunc(d+time.Second, r.Signal)
	}
}

// maxMuteTimer: mutes ending later ("always", a year) are followed again
// at the relays' next registration.
const maxMuteTimer = 7 * 24 * time.Hour
