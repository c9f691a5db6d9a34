package node

import (
	"context"
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

// rememberLists keeps the device lists another member passed on, when
// they are newer than what this node holds. A list is the account's own
// signed record, as the DHT would give it: one that does not verify is
// dropped, and nothing else about the sender needs trusting (a welcome's
// lists arrive before the log that makes their accounts members).
func (n *Node) rememberLists(ctx context.Context, gid group.ID, raws [][]byte) (kept int) {
	for _, raw := range raws {
		l, err := identity.OpenDeviceList(raw)
		if err != nil || l.Account == n.self || n.resolver.keep(l) != l {
			continue
		}
		if err := n.store.PutDeviceList(ctx, storage.Account(l.Account), raw); err != nil {
			n.log.Warn("store device list", "err", err)
			continue
		}
		kept++
	}
	n.log.Debug("member device lists", "group", gid.Short(), "got", len(raws), "kept", kept)
	return kept
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
