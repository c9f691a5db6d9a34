package groups

import (
	"context"
	"math/rand/v2"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/group"
	"github.com/pigeon-net/pigeon/protocol/groupsync"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

// Gap repair limits.
const (
	// syncAnswerBytes bounds the envelopes and ops of one answer (the wire
	// allows more; smaller answers keep each request short).
	syncAnswerBytes = 1 << 20
	// syncPeers is how many topic peers one repair tries.
	syncPeers = 3
	// syncRounds bounds the requests of one repair (answers say more).
	syncRounds = 20
	// syncPerSender bounds the envelopes of one sender device per answer.
	syncPerSender = 512
)

// syncer speaks /pigeon/group/1: it answers members' repairs and
// joiners' requests, and repairs what this node missed.
type syncer struct{ *env }

// serve answers /pigeon/group/1 requests from members: the ops
// they lack, or the archived messages above what they hold. Messages older
// than the requester's membership are not sent (it could not read them).
func (g *syncer) serve(ctx context.Context, req *groupsync.Request) *pb.GroupSyncResponse {
	if req.Join != nil {
		return g.answerJoin(ctx, req)
	}
	run := g.set.get(req.Group)
	if run == nil {
		return &pb.GroupSyncResponse{Code: pb.ErrorCode_WRONG_RECIPIENT}
	}
	run.mu.Lock()
	m, member := run.log.State().Member(req.Cert.Account)
	var ops []*group.Op
	if member && req.Ops {
		heads := make([]group.Hash, len(req.Heads))
		for i, h := range req.Heads {
			heads[i] = group.Hash(h)
		}
		ops = run.log.Since(heads)
	}
	run.mu.Unlock()
	if !member {
		return &pb.GroupSyncResponse{Code: pb.ErrorCode_UNKNOWN_SENDER}
	}
	g.d.Devices.RememberCert(req.Cert)
	resp := &pb.GroupSyncResponse{}
	size := 0
	if req.Ops {
		for _, op := range ops {
			if size += proto.Size(op.Wire); size > syncAnswerBytes {
				resp.More = true
				break
			}
			resp.Ops = append(resp.Ops, op.Wire)
		}
		return resp
	}
	have := make(map[storage.GroupSender]uint64, len(req.Want))
	for _, w := range req.Want {
		have[storage.GroupSender{Account: storage.Account(w.Account), Device: w.Device}] = w.Seq
	}
	senders, err := g.d.Store.GroupSenders(ctx, run.id)
	if err != nil {
		return &pb.GroupSyncResponse{Code: pb.ErrorCode_INTERNAL}
	}
	since := time.UnixMilli(int64(m.Since))
	for _, s := range senders {
		after := have[storage.GroupSender{Account: s.Account, Device: s.Device}]
		envs, err := g.d.Store.ArchivedAfter(ctx, run.id, s.Account, s.Device, after, syncPerSender, syncAnswerBytes-size+1)
		if err != nil {
			return &pb.GroupSyncResponse{Code: pb.ErrorCode_INTERNAL}
		}
		for _, e := range envs {
			if e.ID.Time().Before(since) {
				continue
			}
			if size += len(e.Raw); size > syncAnswerBytes {
				resp.More = true
				return resp
			}
			resp.Envelopes = append(resp.Envelopes, e.Raw)
		}
		if len(envs) == syncPerSender {
			resp.More = true
		}
	}
	return resp
}

// repair asks a member on the topic for the ops and messages this node
// lacks and takes them like ones from the topic.
func (g *syncer) repair(ctx context.Context, run *groupRun, forced bool) {
	run.mu.Lock()
	gc := run.gc
	due := forced || time.Since(run.repaired) >= g.repairEvery
	if due {
		run.repaired = time.Now()
	}
	run.mu.Unlock()
	if gc == nil || !due {
		return
	}
	peers := gc.Peers()
	rand.Shuffle(len(peers), func(i, j int) { peers[i], peers[j] = peers[j], peers[i] })
	tried := 0
	for _, p := range peers {
		if tried == syncPeers || ctx.Err() != nil {
			return
		}
		tried++
		if g.repairFrom(ctx, run, p) {
			return
		}
	}
}

// repairFrom repairs from one peer; false means it did not answer (not a
// member device, or gone).
func (g *syncer) repairFrom(ctx context.Context, run *groupRun, p peer.ID) bool {
	run.mu.Lock()
	heads := run.log.Heads()
	run.mu.Unlock()
	req := &pb.GroupSyncRequest{GroupId: run.id[:], Certificate: g.d.Cert.Signed}
	hb := make([][]byte, len(heads))
	for i := range heads {
		hb[i] = heads[i][:]
	}
	req.Body = &pb.GroupSyncRequest_Ops{Ops: &pb.GroupHeads{Heads: hb}}
	resp, err := groupsync.Ask(ctx, g.d.Host, p, req)
	if err != nil {
		g.log.Debug("group sync", "group", run.id.Short(), "peer", p, "err", err)
		return false
	}
	if ops := openOps(run.id, resp.Ops); len(ops) > 0 {
		if _, err := g.set.commitOps(ctx, run, ops); err != nil {
			g.log.Warn("apply repaired ops", "group", run.id.Short(), "err", err)
		}
	}
	for range syncRounds {
		senders, err := g.d.Store.GroupSenders(ctx, run.id)
		if err != nil {
			return true
		}
		want := &pb.GroupWant{}
		for _, s := range senders {
			want.Have = append(want.Have, &pb.GroupSenderSeq{Account: s.Account[:], Device: s.Device, Seq: s.Seq})
		}
		req.Body = &pb.GroupSyncRequest_Want{Want: want}
		resp, err := groupsync.Ask(ctx, g.d.Host, p, req)
		if err != nil {
			g.log.Debug("group sync", "group", run.id.Short(), "peer", p, "err", err)
			return true
		}
		for _, raw := range resp.Envelopes {
			g.recv.take(ctx, raw)
		}
		if !resp.More {
			return true
		}
	}
	return true
}
