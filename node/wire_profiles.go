package node

import (
	"context"

	"github.com/pigeon-net/pigeon/node/contacts"
	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/groups"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/node/profiles"
)

// Profiles returns the node's profiles: our display name and avatar, and
// those of contacts and group members.
func (n *Node) Profiles() *profiles.Service {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.profiles
}

// newProfiles builds the profiles feature; it claims the profile kinds.
func newProfiles(n *Node) (*profiles.Service, error) {
	return profiles.New(profiles.Deps{
		Self:     rt.CoreAccount(n.self),
		Ready:    n.ready,
		Store:    n.store,
		Ops:      n.alog,
		Enqueue:  n.post.Enqueue,
		Pairwise: n.post,
		Groups:   n.groups,
		Quiet: func(ctx context.Context, a core.AccountID) (bool, error) {
			if blocked, err := n.contacts.IsBlocked(ctx, a); err != nil || blocked {
				return blocked, err
			}
			return n.contacts.IsRequest(ctx, a)
		},
		Registry: n.handlers,
		Publish:  n.bus.publish,
		Log:      n.log.With("sub", "profiles"),
	})
}

// shareOnEvent has our profile go where an event says it is now wanted: a
// contact added (or unblocked), a group created or joined, a member
// joined one of ours. Features' events pass through it (their Publish).
func (n *Node) shareOnEvent(e core.Event) {
	n.bus.publish(e)
	p := n.profilesFeature()
	switch e := e.(type) {
	case contacts.Changed:
		if !e.Removed {
			p.Share(e.Account)
		}
	case contacts.BlockedChanged:
		if !e.Blocked {
			p.Share(e.Account)
		}
	case groups.Changed:
		self := rt.CoreAccount(n.self)
		switch {
		case e.Change == groups.Created,
			(e.Change == groups.MemberAdded || e.Change == groups.MemberJoined) && e.Account == self:
			p.ShareGroup(e.Group, false)
		case e.Change == groups.MemberAdded || e.Change == groups.MemberJoined:
			p.ShareGroup(e.Group, true)
		}
	}
}

// profilesFeature is the profiles feature (nil before Start made it),
// without n.mu: features publish while Start and Close hold it.
func (n *Node) profilesFeature() *profiles.Service { return n.profilesRef.Load() }

// recipients is the contacts' recipient check as chats and media ask it:
// writing to an account answers its message request, and it gets our
// profile (once per version).
type recipients struct{ n *Node }

func (r recipients) CheckRecipient(ctx context.Context, to core.AccountID) error {
	if err := r.n.contacts.CheckRecipient(ctx, to); err != nil {
		return err
	}
	if err := r.n.contacts.Replied(ctx, to); err != nil {
		return err
	}
	r.n.profilesFeature().Share(to)
	return nil
}
