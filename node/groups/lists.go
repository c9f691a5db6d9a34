package groups

import (
	"context"
	"errors"
	"fmt"

	"github.com/pigeon-net/pigeon/node/internal/rt"
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

// lists takes the device lists members pass on, and hands out those this
// node holds.
type lists struct{ *env }

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

// known returns the raw device lists this node holds of accounts
// (its own included), skipping those it has not seen.
func (g *lists) known(ctx context.Context, accounts []identity.AccountID) [][]byte {
	var out [][]byte
	for _, a := range accounts {
		if a != g.self && g.d.Devices.Known(ctx, rt.CoreAccount(a)) == nil {
			continue
		}
		if raw, err := g.d.Store.DeviceList(ctx, storage.Account(a)); err == nil {
			out = append(out, raw)
		}
	}
	return out
}

// remember takes the device lists that from passed on for group gid
// (pairwise, or published on the group's topic). A list is the account's
// own signed record, as the DHT would give it, but it is kept only from
// someone who may speak for its account: the account itself (its own
// devices), or a member of a group this account is in, for the members of
// that group. A list whose account is not a member yet (a welcome's lists
// come before the log that makes their accounts members; a newcomer's list
// can come before the op that adds it) waits in the hold until the group's
// ops decide (release). The store never takes an older version than
// it holds, whoever offers it. It returns how many lists were kept now.
func (g *lists) remember(ctx context.Context, from identity.AccountID, gid group.ID, raws [][]byte) (kept int) {
	var later []heldList
	for _, raw := range raws {
		l, err := identity.OpenDeviceList(raw)
		if err != nil || l.Account == g.self {
			continue
		}
		if l.Account == from {
			if g.keep(ctx, l, raw) {
				kept++
			}
			continue
		}
		later = append(later, heldList{list: l, raw: raw})
	}
	if len(later) > 0 {
		kept += g.vouched(ctx, from, gid, later)
	}
	g.log.Debug("device lists passed on", "group", gid.Short(), "from", from.Short(), "got", len(raws), "kept", kept)
	return kept
}

// vouched keeps the lists that from, a member of gid, may give of its
// members, holds those of accounts that may become members, and drops the
// rest.
func (g *lists) vouched(ctx context.Context, from identity.AccountID, gid group.ID, lists []heldList) (kept int) {
	run := g.set.get(gid)
	if run == nil {
		g.set.welcomeMu.Lock()
		if run = g.set.get(gid); run == nil {
			// A group we are not in (yet): its ops decide.
			g.hold.addLists(from, gid, lists)
			g.set.welcomeMu.Unlock()
			return 0
		}
		g.set.welcomeMu.Unlock()
	}
	return g.ofMembers(ctx, from, run, lists)
}

// ofMembers is vouched for a group this node knows.
func (g *lists) ofMembers(ctx context.Context, from identity.AccountID, run *groupRun, lists []heldList) (kept int) {
	gid := run.id
	var now []heldList
	run.mu.Lock()
	st := run.log.State()
	if run.rec.Status == storage.GroupActive && st.IsMember(g.self) && st.IsMember(from) {
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
		// release finds them).
		g.hold.addLists(from, gid, wait)
	}
	run.mu.Unlock()
	for _, l := range now {
		if g.keep(ctx, l.list, l.raw) {
			kept++
		}
	}
	return kept
}

// release keeps the held lists of run's group whose accounts are now
// members, passed on by members, and holds again those still waiting for
// a member's addition. The run need not be registered yet.
func (g *lists) release(ctx context.Context, run *groupRun) {
	held := g.hold.takeLists(run.id)
	if len(held) == 0 {
		return
	}
	bySender := make(map[identity.AccountID][]heldList)
	for _, l := range held {
		bySender[l.from] = append(bySender[l.from], l)
	}
	kept := 0
	for from, lists := range bySender {
		kept += g.ofMembers(ctx, from, run, lists)
	}
	g.log.Debug("held device lists released", "group", run.id.Short(), "held", len(held), "kept", kept)
}

// keep keeps a verified list when it is newer than the one this node
// holds, and reports whether it did.
func (g *lists) keep(ctx context.Context, l *identity.DeviceList, raw []byte) bool {
	cur, err := g.d.Devices.Accept(ctx, l, raw)
	if err != nil && !errors.Is(err, storage.ErrStale) {
		g.log.Warn("store device list", "err", err)
	}
	return err == nil && cur == l
}

// welcome returns the messages that hand a newcomer the device lists
// this node holds of the group's members.
func (g *lists) welcome(ctx context.Context, run *groupRun) []*pb.GroupControl {
	run.mu.Lock()
	var members []identity.AccountID
	for _, m := range run.log.State().Members() {
		members = append(members, m.Account)
	}
	run.mu.Unlock()
	var out []*pb.GroupControl
	for _, c := range chunkLists(g.known(ctx, members)) {
		out = append(out, &pb.GroupControl{GroupId: run.id[:], Body: &pb.GroupControl_DeviceLists{DeviceLists: c}})
	}
	return out
}

// shareLists publishes the device lists of newcomers on the topic for the
// other members, looking them up first (once, here, rather than once by
// every member).
func (g *sender) shareLists(ctx context.Context, run *groupRun, newcomers []identity.AccountID) {
	var fresh []identity.AccountID
	for _, a := range newcomers {
		if _, err := g.d.Devices.Get(ctx, rt.CoreAccount(a), false); err == nil {
			fresh = append(fresh, a)
		}
	}
	for _, c := range chunkLists(g.lists.known(ctx, fresh)) {
		_, err := g.publish(ctx, run, groupPublish{anyone: true, build: func(uint64) (*pb.GroupContent, error) {
			return &pb.GroupContent{Body: &pb.GroupContent_DeviceLists{DeviceLists: c}}, nil
		}})
		if err != nil {
			g.log.Debug("publish member device lists", "group", run.id.Short(), "err", err)
		}
	}
}
