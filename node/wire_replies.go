package node

import "github.com/pigeon-net/pigeon/node/replies"

// Replies returns the node's replies: what a message quotes, and the
// previews of quoted files. Sending a reply goes through the chats,
// groups and media features (SendWith, media.File.ReplyTo).
func (n *Node) Replies() *replies.Service {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.replies
}

// newReplies builds the replies feature; it claims the replies.quote
// account-log operation.
func newReplies(n *Node) (*replies.Service, error) {
	return replies.New(replies.Deps{Ready: n.ready, Store: n.store, Ops: n.alog})
}
