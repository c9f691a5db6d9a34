package groups

import (
	"context"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

// What the node and other features ask of groups. These methods are for
// node's wiring, not the embedding API.

// IsGroup reports whether id is a group this node is or was in.
func (s *Service) IsGroup(id core.GroupID) bool {
	return s != nil && s.set.get(rt.Group(id)) != nil
}

// TopicPeers returns the peers on group id's topic now (members' devices
// that may hold the group's files), nil when the group is not active
// here.
func (s *Service) TopicPeers(id core.GroupID) []peer.ID {
	if s == nil {
		return nil
	}
	run := s.set.get(rt.Group(id))
	if run == nil {
		return nil
	}
	run.mu.Lock()
	gc := run.gc
	run.mu.Unlock()
	if gc == nil {
		return nil
	}
	return gc.Peers()
}

// PublishFile sends a file to group id as one group message (media's
// send step): once this account may post, importFile encrypts and stores
// the file under the message's ID (chosen by the group clock) and returns
// its manifest and the attachment record to keep; the manifest then goes
// out with caption, and the message and its attachment are stored in one
// transaction. timer (nil: none) is the group's disappearing-messages
// timer the message carries (the media feature stamped it): the file
// counts down from its send. Errors are ErrUnknownGroup, ErrNotMember,
// ErrNotAllowed, importFile's, or the store's. The caller waits for durability before it
// reports the file sent.
func (s *Service) PublishFile(ctx context.Context, id core.GroupID, caption string, opts core.SendOptions, timer *pb.ChatTimer,
	importFile func(id core.MessageID) (*pb.Media, *storage.Attachment, error)) (core.MessageID, error) {
	run, err := s.runOf(id)
	if err != nil {
		return core.MessageID{}, err
	}
	quote, err := s.quote(ctx, id, opts)
	if err != nil {
		return core.MessageID{}, err
	}
	run.mu.Lock()
	mid := groupMessageID(time.Now(), run.rec.Clock, run.log.MaxClock())
	member, canPost := run.log.State().IsMember(s.self), run.log.State().CanPost(s.self)
	run.mu.Unlock()
	switch {
	case !member:
		return core.MessageID{}, ErrNotMember
	case !canPost:
		return core.MessageID{}, ErrNotAllowed
	}
	m, a, err := importFile(rt.CoreID(mid))
	if err != nil {
		return core.MessageID{}, err
	}
	var expireAfter time.Duration
	if timer != nil {
		expireAfter = time.Duration(timer.Seconds) * time.Second
	}
	sent, err := s.send.publish(ctx, run, groupPublish{id: mid, text: caption, attach: a, quote: quote, expireAfter: expireAfter, build: func(uint64) (*pb.GroupContent, error) {
		return &pb.GroupContent{Timer: timer, Body: &pb.GroupContent_Media{Media: m}}, nil
	}})
	return rt.CoreID(sent), err
}

// PublishContent sends a group content that is no message of the chat
// (a profile) to group id, from any member (even where only admins
// post). Errors are ErrUnknownGroup, ErrNotMember, or the send's.
func (s *Service) PublishContent(ctx context.Context, id core.GroupID, c *pb.GroupContent) error {
	run, err := s.runOf(id)
	if err != nil {
		return err
	}
	run.mu.Lock()
	member := run.log.State().IsMember(s.self)
	run.mu.Unlock()
	if !member {
		return ErrNotMember
	}
	_, err = s.send.publish(ctx, run, groupPublish{anyone: true, build: func(uint64) (*pb.GroupContent, error) { return c, nil }})
	return err
}

// Joined lists the groups this account is a member of.
func (s *Service) Joined(ctx context.Context) ([]core.GroupID, error) {
	gs, err := s.List(ctx)
	if err != nil {
		return nil, err
	}
	var out []core.GroupID
	for _, g := range gs {
		if g.Status == Active {
			out = append(out, g.ID)
		}
	}
	return out, nil
}

// Topics returns the topics of the groups this node is in (our relays
// follow them, keeping what is published there while we are away).
func (s *Service) Topics() [][32]byte {
	if s == nil {
		return nil
	}
	return s.set.topics(nil)
}

// TopicsWhere returns the topics of the groups this node is in for which
// where holds (the muted ones, which relays keep quietly).
func (s *Service) TopicsWhere(where func(core.GroupID) bool) [][32]byte {
	if s == nil {
		return nil
	}
	return s.set.topics(where)
}

// TakeEnvelope takes a group envelope a relay kept for this node (the
// mailbox item without its group marker byte), as one from the topic. It
// returns INTERNAL or STORAGE_FULL when it could not be taken now (the
// relay keeps it), OK when it was taken or is of no use.
func (s *Service) TakeEnvelope(ctx context.Context, raw []byte) pb.ErrorCode {
	return s.recv.take(ctx, raw)
}

// Repair has every group repair what it missed and hand its keys out now
// (the disk has room again).
func (s *Service) Repair() {
	for _, run := range s.set.all() {
		run.poke()
	}
}
