package groups

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/e2e"
	"github.com/pigeon-net/pigeon/protocol/group"
	"github.com/pigeon-net/pigeon/protocol/groupcast"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

func init() {
	// Group timers at test speed: the worker's round and the least time
	// between two repairs.
	groupTick = 2 * time.Second
	groupRepairEvery = 300 * time.Millisecond
}

// What the external tests (real nodes, through package node) reach inside
// a node's groups.

var ChunkOps = chunkOps

const (
	MaxOpsPerChunk  = maxOpsPerChunk
	HoldMaxItems    = holdMaxItems
	HoldMaxBytes    = holdMaxBytes
	HoldSenderShare = holdSenderShare
	HoldTTL         = holdTTL
)

// Hooks reaches into one node's groups.
type Hooks struct{ s *Service }

func HooksOf(s *Service) Hooks { return Hooks{s} }

func (h Hooks) run(id core.GroupID) *groupRun {
	run := h.s.set.get(rt.Group(id))
	if run == nil {
		panic(fmt.Sprintf("no group %s", id.Short()))
	}
	return run
}

// SignOps signs ops of group id on top of its log, without applying them.
func (h Hooks) SignOps(id core.GroupID, bodies ...group.Body) ([]*group.Op, error) {
	return h.s.set.signOps(h.run(id), bodies...)
}

// Change signs an op with body, publishes and applies it, as the
// Service's methods do, without their checks.
func (h Hooks) Change(ctx context.Context, id core.GroupID, body group.Body) error {
	return h.s.set.change(ctx, h.run(id), one(func(*group.State) error { return nil }, body))
}

// CommitOps applies ops to group id.
func (h Hooks) CommitOps(ctx context.Context, id core.GroupID, ops []*group.Op) error {
	_, err := h.s.set.commitOps(ctx, h.run(id), ops)
	return err
}

// PublishOps publishes ops on group id's topic.
func (h Hooks) PublishOps(ctx context.Context, id core.GroupID, ops []*group.Op) error {
	return h.s.send.publishOps(ctx, h.run(id), ops)
}

// RotateKey drops this device's sending chain in group id.
func (h Hooks) RotateKey(ctx context.Context, id core.GroupID) { h.s.send.rotateKey(ctx, h.run(id)) }

// DistributeKeyIn hands this device's key out to the members of st.
func (h Hooks) DistributeKeyIn(ctx context.Context, id core.GroupID, st *group.State) {
	h.s.send.distributeKeyIn(ctx, h.run(id), st)
}

// SendWelcome sends group id's welcome to account to.
func (h Hooks) SendWelcome(ctx context.Context, id core.GroupID, to core.AccountID) {
	h.s.send.sendWelcome(ctx, h.run(id), rt.Account(to))
}

// Deactivate leaves group id's topic, as a node that is away.
func (h Hooks) Deactivate(id core.GroupID) { h.s.set.deactivate(h.run(id)) }

// State returns a copy of group id's state.
func (h Hooks) State(id core.GroupID) *group.State {
	run := h.run(id)
	run.mu.Lock()
	defer run.mu.Unlock()
	return run.log.State().Clone()
}

// LogOps returns the ops of group id's log.
func (h Hooks) LogOps(id core.GroupID) []*group.Op {
	run := h.run(id)
	run.mu.Lock()
	defer run.mu.Unlock()
	return run.log.Ops()
}

// Rejected says why group id's log rejected an op.
func (h Hooks) Rejected(id core.GroupID, op group.Hash) error {
	run := h.run(id)
	run.mu.Lock()
	defer run.mu.Unlock()
	return run.log.Rejected(op)
}

// Seq is the last sequence number this device used in group id.
func (h Hooks) Seq(id core.GroupID) uint64 {
	run := h.run(id)
	run.mu.Lock()
	defer run.mu.Unlock()
	return run.rec.Seq
}

// Retired counts this device's retired sender keys in group id.
func (h Hooks) Retired(id core.GroupID) int {
	run := h.run(id)
	run.mu.Lock()
	defer run.mu.Unlock()
	return len(run.rec.Retired)
}

// Topic returns group id's topic.
func (h Hooks) Topic(id core.GroupID) [32]byte { return h.run(id).topic }

// JoinTopic joins a topic, taking everything (as a stranger who learnt
// it).
func (h Hooks) JoinTopic(topic [32]byte) (*groupcast.Group, error) {
	return h.s.set.caster.Join(topic, func(context.Context, peer.ID, []byte) groupcast.Verdict { return groupcast.Accept })
}

// Forge encrypts a text for group gid with this device's sender key (made
// if it has none) in an envelope that names sender and device.
func (h Hooks) Forge(ctx context.Context, gid core.GroupID, sender core.AccountID, device uint32, seq uint64, text string) ([]byte, error) {
	if _, _, err := h.s.d.Keys.SenderKey(ctx, gid.String()); err != nil {
		return nil, err
	}
	mid := storage.NewMessageID(time.Now())
	pt, err := encodeGroupContent(&pb.GroupContent{MessageId: mid[:], Seq: seq, SentAtMs: time.Now().UnixMilli(), Body: &pb.GroupContent_Text{Text: &pb.Text{Body: text}}})
	if err != nil {
		return nil, err
	}
	ct, err := h.s.d.Keys.GroupEncrypt(ctx, gid.String(), pt, nil)
	if err != nil {
		return nil, err
	}
	return encodeGroupEnvelope(rt.Group(gid), rt.Account(sender), device, mid, seq, ct, 0)
}

// TryDecrypt decrypts a group envelope with the sender keys held, storing
// nothing.
func (h Hooks) TryDecrypt(ctx context.Context, raw []byte) error {
	env, err := decodeGroupEnvelope(raw)
	if err != nil {
		return err
	}
	return h.s.d.Keys.GroupDecrypt(ctx, env.group.String(), e2e.Address{Account: env.sender, Device: env.device}, env.ct, nil)
}

// OwnArchive returns this device's archived envelopes of group gid.
func (h Hooks) OwnArchive(ctx context.Context, gid core.GroupID) ([]storage.ArchivedEnvelope, error) {
	return h.s.d.Store.ArchivedAfter(ctx, gid, storage.Account(h.s.self), h.s.device, 0, 1000, 1<<30)
}

// StoredOps counts the ops stored of group gid.
func (h Hooks) StoredOps(ctx context.Context, gid core.GroupID) (int, error) {
	ops, err := h.s.d.Store.GroupOps(ctx, gid)
	return len(ops), err
}

// Held returns what the hold holds.
func (h Hooks) Held() (items, bytes int) { return h.s.hold.held() }

// SetHoldClock gives the hold a clock.
func (h Hooks) SetHoldClock(now func() time.Time) {
	h.s.hold.mu.Lock()
	h.s.hold.now = now
	h.s.hold.mu.Unlock()
}

// Junk signs n ops of a random group nobody made (parents that do not
// exist), as this device of a stranger would send them.
func (h Hooks) Junk(tb testing.TB, gid core.GroupID, n int) []*group.Op {
	return (&opSigner{signer: h.s.d.Signer}).junk(tb, rt.Group(gid), n)
}

// SendControl queues a group control content for to's devices.
func (h Hooks) SendControl(ctx context.Context, to core.AccountID, gc *pb.GroupControl) error {
	return h.s.d.Pairwise.QueuePairwise(ctx, to, &pb.Content{Body: &pb.Content_Group{Group: gc}})
}

// OutboxEmpty reports whether the node's outbox is empty (everything
// queued was delivered).
func (h Hooks) OutboxEmpty(ctx context.Context) bool {
	st, ok := h.s.d.Store.(interface {
		Outbox(context.Context) ([]storage.OutboxItem, error)
	})
	if !ok {
		panic("the store has no outbox")
	}
	items, err := st.Outbox(ctx)
	return err == nil && len(items) == 0
}

// Resolve looks a's device list up.
func (h Hooks) Resolve(ctx context.Context, a core.AccountID, refresh bool) error {
	_, err := h.s.d.Devices.Get(ctx, a, refresh)
	return err
}

// Get returns a's device list as the node would use it.
func (h Hooks) Get(ctx context.Context, a core.AccountID, refresh bool) (*identity.DeviceList, error) {
	return h.s.d.Devices.Get(ctx, a, refresh)
}

// Known reports whether a's device list is at hand (memory or store).
func (h Hooks) Known(ctx context.Context, a core.AccountID) bool {
	return h.s.d.Devices.Known(ctx, a) != nil
}

// StoredList returns the device list of a in the store.
func (h Hooks) StoredList(ctx context.Context, a core.AccountID) ([]byte, error) {
	return h.s.d.Store.DeviceList(ctx, storage.Account(a))
}

// RememberLists takes lists from passed on for group gid; it returns how
// many were kept.
func (h Hooks) RememberLists(ctx context.Context, from core.AccountID, gid core.GroupID, raws [][]byte) int {
	return h.s.lists.remember(ctx, rt.Account(from), rt.Group(gid), raws)
}

// PublishLists publishes device lists on group id's topic and returns the
// message's sequence number.
func (h Hooks) PublishLists(ctx context.Context, id core.GroupID, raws [][]byte) (uint64, error) {
	run := h.run(id)
	if _, err := h.s.send.publish(ctx, run, groupPublish{anyone: true, build: func(uint64) (*pb.GroupContent, error) {
		return &pb.GroupContent{Body: &pb.GroupContent_DeviceLists{DeviceLists: &pb.DeviceLists{Lists: raws}}}, nil
	}}); err != nil {
		return 0, err
	}
	return h.Seq(id), nil
}

// SenderSeq returns the highest sequence number held of a's devices in
// group id with none missing below.
func (h Hooks) SenderSeq(ctx context.Context, id core.GroupID, a core.AccountID) (uint64, error) {
	senders, err := h.s.d.Store.GroupSenders(ctx, id)
	var seq uint64
	for _, s := range senders {
		if core.AccountID(s.Account) == a {
			seq = max(seq, s.Seq)
		}
	}
	return seq, err
}

// DecodeOpMessage reads a groups.message operation's body.
var DecodeOpMessage = decodeOpMessage

// OpMessageBody is the body of the groups.message operation recording m.
func OpMessageBody(m core.Message) []byte {
	body, err := proto.Marshal(&pb.OpGroupMessage{
		GroupId: m.Chat.Group[:], MessageId: m.ID[:], Author: m.Sender[:], AuthorDevice: m.SenderDevice,
		SentAtMs: m.SentAt.UnixMilli(), Text: m.Text,
	})
	if err != nil {
		panic(err)
	}
	return body
}

// FoldMessage folds a groups.message operation with body, as the account
// log does with one another device of ours made.
func (h Hooks) FoldMessage(ctx context.Context, body []byte) error {
	var after func(context.Context)
	err := h.s.d.Store.Update(ctx, func(ctx context.Context) error {
		var err error
		after, err = h.s.foldMessage(ctx, rt.Op{Kind: OpMessage, Body: body})
		return err
	})
	if err == nil && after != nil {
		after(ctx)
	}
	return err
}
