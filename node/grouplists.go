package node

import (
	"context"
	"errors"
	"fmt"

	"github.com/pigeon-net/pigeon/protocol/group"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

// Members hand each other their signed device lists (the records of the
// DHT, which any holder can pass on: the account's signature vouches for
// them). Without this every member would look every other up in the DHT to
// hand out its sender key, members × members lookups for a new group.
// A new member gets the lists of the members from whoever added it, just
// before the group's log (so that its first sender-key hand-outs find
// them); the members get the new member's list on the topic.
const (
	// maxListsChunk bounds the lists of one DeviceLists message.
	maxListsChunk = 32 << 10
	// maxListsPerChunk bounds how many lists one message carries.
	maxListsPerChunk = 64
)

func checkDeviceLists(d *pb.DeviceLists) error {
	if d == nil || len(d.Lists) == 0 || len(d.Lists) > maxListsPerChunk {
		return fmt.Errorf("%w: device lists", errBadContent)
	}
	for _, raw := range d.Lists {
		if len(raw) == 0 || len(raw) > identity.MaxDeviceListSize {
			return fmt.Errorf("%w: device list of %d bytes", errBadContent, len(raw))
		}
	}
	return nil
}

// chunkLists splits raw lists into messages within the limits; a list
// larger than a chunk is left out (it is looked up instead).
func chunkLists(raws [][]byte) []*pb.DeviceLists {
	var out []*pb.DeviceLists
	cur, size := &pb.DeviceLists{}, 0
	for _, raw := range raws {
		if len(raw) > maxListsChunk {
			continue
		}
		if len(cur.Lists) > 0 && (size+len(raw) > maxListsChunk || len(cur.Lists) == maxListsPerChunk) {
			out = append(out, cur)
			cur, size = &pb.DeviceLists{}, 0
		}
		cur.Lists = append(cur.Lists, raw)
		size += len(raw)
	}
	if len(cur.Lists) > 0 {
		out = append(out, cur)
	}
	return out
}

// knownLists returns the raw device lists this node holds of accounts
// (its own included), skipping those it has not seen.
func (n *Node) knownLists(ctx context.Context, accounts []identity.AccountID) [][]byte {
	var out [][]byte
	for _, a := range accounts {
		if a != n.self && n.resolver.known(ctx, a) == nil {
			continue
		}
		if raw, err := n.store.DeviceList(ctx, storageAccount(a)); err == nil {
			out = append(out, raw)
		}
	}
	return out
}

// rememberLists takes the device lists that from passed on for group gid
// (pairwise, or published on the group's topic). A list is the account's
// own signed record, as the DHT would give it, but it is kept only from
// someone who may speak for its account: the account itself (its own
// devices), or a member of a group this account is in, for the members of
// that group. A list whose account is not a member yet (a welcome's lists
// come before the log that makes their accounts members; a newcomer's list
// can come before the op that adds it) waits in the hold until the group's
// ops decide (releaseLists). The store never takes an older version than
// it holds, whoever offers it. It returns how many lists were kept now.
func (n *Node) rememberLists(ctx context.Context, from identity.AccountID, gid group.ID, raws [][]byte) (kept int) {
	var later []heldList
	for _, raw := range raws {
		l, err := identity.OpenDeviceList(raw)
		if err != nil || l.Account == n.self {
			continue
		}
		if l.Account == from {
			if n.keepList(ctx, l, raw) {
				kept++
			}
			continue
		}
		later = append(later, heldList{list: l, raw: raw})
	}
	if len(later) > 0 {
		kept += n.vouchedLists(ctx, from, gid, later)
	}
	n.log.Debug("device lists passed on", "group", gid.Short(), "from", from.Short(), "got", len(raws), "kept", kept)
	return kept
}

// vouchedLists keeps the lists that from, a member of gid, may give of its
// members, holds those of accounts that may become members, and drops the
// rest.
func (n *Node) vouchedLists(ctx context.Context, from identity.AccountID, gid group.ID, lists []heldList) (kept int) {
	g := n.groups
	run := g.get(gid)
	if run == nil {
		g.welcomeMu.Lock()
		if run = g.get(gid); run == nil {
			// A group we are not in (yet): its ops decide.
			g.hold.addLists(from, gid, lists)
			g.welcomeMu.Unlock()
			return 0
		}
		g.welcomeMu.Unlock()
	}
	return n.listsOfMembers(ctx, from, run, lists)
}

// listsOfMembers is vouchedLists for a group this node knows.
func (n *Node) listsOfMembers(ctx context.Context, from identity.AccountID, run *groupRun, lists []heldList) (kept int) {
	g, gid := n.groups, run.id
	var now []heldList
	run.mu.Lock()
	st := run.log.State()
	if run.rec.Status == storage.GroupActive && st.IsMember(n.self) && st.IsMember(from) {
		var wait []heldList
		for _, l := range lists {
			if st.IsMember(l.list.Account) {
				now = append(now, l)
			} else {
				wait = append(wait, l)
			}
		}
		// Held under run.mu: an op that makes them members is applied
		// either before this (they are kept now) or after (its
		// releaseLists finds them).
		g.hold.addLists(from, gid, wait)
	}
	run.mu.Unlock()
	for _, l := range now {
		if n.keepList(ctx, l.list, l.raw) {
			kept++
		}
	}
	return kept
}

// releaseLists keeps the held lists of run's group whose accounts are now
// members, passed on by members, and holds again those still waiting for
// a member's addition. The run need not be registered yet.
func (n *Node) releaseLists(ctx context.Context, run *groupRun) {
	held := n.groups.hold.takeLists(run.id)
	if len(held) == 0 {
		return
	}
	bySender := make(map[identity.AccountID][]heldList)
	for _, l := range held {
		bySender[l.from] = append(bySender[l.from], l)
	}
	kept := 0
	for from, lists := range bySender {
		kept += n.listsOfMembers(ctx, from, run, lists)
	}
	n.log.Debug("held device lists released", "group", run.id.Short(), "held", len(held), "kept", kept)
}

// keepList keeps a verified list when it is newer than the one this node
// holds, and reports whether it did.
func (n *Node) keepList(ctx context.Context, l *identity.DeviceList, raw []byte) bool {
	cur, err := n.resolver.accept(ctx, l, raw)
	if err != nil && !errors.Is(err, storage.ErrStale) {
		n.log.Warn("store device list", "err", err)
	}
	return err == nil && cur == l
}

// welcomeLists returns the messages that hand a newcomer the device lists
// this node holds of the group's members.
func (n *Node) welcomeLists(ctx context.Context, run *groupRun) []*pb.GroupControl {
	run.mu.Lock()
	var members []identity.AccountID
	for _, m := range run.log.State().Members() {
		members = append(members, m.Account)
	}
	run.mu.Unlock()
	var out []*pb.GroupControl
	for _, c := range chunkLists(n.knownLists(ctx, members)) {
		out = append(out, &pb.GroupControl{GroupId: run.id[:], Body: &pb.GroupControl_DeviceLists{DeviceLists: c}})
	}
	return out
}

// shareLists publishes the device lists of newcomers on the topic for the
// other members, looking them up first (once, here, rather than once by
// every member).
func (g *groupSet) shareLists(ctx context.Context, run *groupRun, newcomers []identity.AccountID) {
	n := g.n
	var fresh []identity.AccountID
	for _, a := range newcomers {
		if _, err := n.resolver.get(ctx, a, false); err == nil {
			fresh = append(fresh, a)
		}
	}
	for _, c := range chunkLists(n.knownLists(ctx, fresh)) {
		_, err := n.publishGroup(ctx, run, groupPublish{anyone: true, build: func(uint64) (*pb.GroupContent, error) {
			return &pb.GroupContent{Body: &pb.GroupContent_DeviceLists{DeviceLists: c}}, nil
		}})
		if err != nil {
			n.log.Debug("publish member device lists", "group", run.id.Short(), "err", err)
		}
	}
}
