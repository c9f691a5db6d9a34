package node

import "github.com/pigeon-net/pigeon/node/prefs"

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
	return prefs.New(prefs.Deps{Ready: n.ready, Store: n.store, Ops: n.alog, Outbox: n.post, Publish: n.bus.publish})
}
