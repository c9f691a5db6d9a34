package groups

import (
	"crypto/rand"
	"errors"
	"fmt"
	"unicode/utf8"

	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/group"
	"github.com/pigeon-net/pigeon/protocol/groupcast"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

// Group wire limits.
const (
	// MaxTextSize is the largest group text, in bytes of UTF-8: the
	// whole envelope must fit groupcast's payload limit.
	MaxTextSize = 48 << 10
	// maxGroupPayload is what groupcast carries.
	maxGroupPayload = groupcast.DefaultMaxPayload
	// maxOpsChunk bounds the marshaled ops of one GroupOps (on the topic or
	// pairwise).
	maxOpsChunk = 40 << 10
	// maxOpsPerChunk bounds the ops a GroupOps may carry.
	maxOpsPerChunk = 512
	// contentPadBlock: group contents are padded to a multiple of it,
	// hiding exact lengths.
	contentPadBlock = 32
)

var errBadGroupEnvelope = errors.New("malformed group envelope")

// groupEnvelope is a decoded, field-checked pb.GroupEnvelope.
type groupEnvelope struct {
	group  group.ID
	sender identity.AccountID
	device uint32
	id     storage.MessageID
	seq    uint64
	ct     []byte
	raw    []byte // as received
}

func decodeGroupEnvelope(raw []byte) (*groupEnvelope, error) {
	if len(raw) == 0 || len(raw) > maxGroupPayload {
		return nil, fmt.Errorf("%w: %d bytes", errBadGroupEnvelope, len(raw))
	}
	var m pb.GroupEnvelope
	if err := proto.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("%w: %v", errBadGroupEnvelope, err)
	}
	e := &groupEnvelope{device: m.GetSenderDevice(), seq: m.GetSeq(), ct: m.GetCiphertext(), raw: raw}
	var err error
	if e.group, err = group.IDFromBytes(m.GetGroupId()); err != nil {
		return nil, fmt.Errorf("%w: %v", errBadGroupEnvelope, err)
	}
	if e.sender, err = identity.AccountIDFromBytes(m.GetSenderAccount()); err != nil {
		return nil, fmt.Errorf("%w: %v", errBadGroupEnvelope, err)
	}
	if e.id, err = storage.MessageIDFromBytes(m.GetMessageId()); err != nil {
		return nil, fmt.Errorf("%w: %v", errBadGroupEnvelope, err)
	}
	if e.device < 1 || e.device > identity.MaxDeviceID || len(e.ct) == 0 {
		return nil, fmt.Errorf("%w: device or ciphertext", errBadGroupEnvelope)
	}
	return e, nil
}

// encodeGroupEnvelope marshals a group envelope; ttlMs is the group's
// timer for a disappearing message (pb.GroupEnvelope.ttl_ms), else 0.
func encodeGroupEnvelope(gid group.ID, sender identity.AccountID, device uint32, id storage.MessageID, seq uint64, ct []byte, ttlMs uint64) ([]byte, error) {
	return proto.Marshal(&pb.GroupEnvelope{
		GroupId: gid[:], SenderAccount: sender[:], SenderDevice: device,
		MessageId: id[:], Seq: seq, Ciphertext: ct, TtlMs: ttlMs,
	})
}

// relayTTL is what a group message asks relays about their copies: a text
// or file of a group with a timer is kept at most the timer (in ms).
func relayTTL(c *pb.GroupContent) uint64 {
	switch c.GetBody().(type) {
	case *pb.GroupContent_Text, *pb.GroupContent_Media:
		return uint64(c.GetTimer().GetSeconds()) * 1000
	}
	return 0
}

// encodeGroupContent marshals c with padding to a multiple of
// contentPadBlock, like the node pads pairwise contents.
func encodeGroupContent(c *pb.GroupContent) ([]byte, error) {
	c.Padding = nil
	size := proto.Size(c) + 2
	pad := (contentPadBlock - size%contentPadBlock) % contentPadBlock
	if pad == 0 {
		pad = contentPadBlock
	}
	c.Padding = make([]byte, pad)
	if _, err := rand.Read(c.Padding); err != nil {
		return nil, err
	}
	return proto.Marshal(c)
}

// decodeGroupContent decodes and checks the plaintext of a group envelope.
// Ops are only decoded here; each is verified on its own (group.OpenOp).
func decodeGroupContent(b []byte) (*pb.GroupContent, error) {
	if len(b) > maxGroupPayload {
		return nil, fmt.Errorf("%w: %d bytes", errBadContent, len(b))
	}
	var c pb.GroupContent
	if err := proto.Unmarshal(b, &c); err != nil {
		return nil, fmt.Errorf("%w: %v", errBadContent, err)
	}
	if len(c.MessageId) != len(storage.MessageID{}) {
		return nil, fmt.Errorf("%w: message id", errBadContent)
	}
	switch body := c.Body.(type) {
	case *pb.GroupContent_Text:
		if body.Text == nil || body.Text.Body == "" || len(body.Text.Body) > MaxTextSize || !utf8.ValidString(body.Text.Body) {
			return nil, fmt.Errorf("%w: text", errBadContent)
		}
	case *pb.GroupContent_Ops:
		if body.Ops == nil || len(body.Ops.Ops) == 0 || len(body.Ops.Ops) > maxOpsPerChunk {
			return nil, fmt.Errorf("%w: ops", errBadContent)
		}
	case *pb.GroupContent_Typing:
		if body.Typing == nil || c.Seq != 0 {
			return nil, fmt.Errorf("%w: typing", errBadContent)
		}
	case *pb.GroupContent_DeviceLists:
		if err := checkDeviceLists(body.DeviceLists); err != nil || c.Seq == 0 {
			return nil, fmt.Errorf("%w: device lists", errBadContent)
		}
	case nil:
		return nil, fmt.Errorf("%w: no body", errBadContent)
	}
	// Other kinds are checked by the feature that handles them.
	return &c, nil
}

// checkGroupControl checks a pairwise group control message.
func checkGroupControl(g *pb.GroupControl) error {
	if g == nil || len(g.GroupId) != len(group.ID{}) {
		return fmt.Errorf("%w: group control", errBadContent)
	}
	switch b := g.Body.(type) {
	case *pb.GroupControl_SenderKey:
		if len(b.SenderKey) == 0 || len(b.SenderKey) > 1024 {
			return fmt.Errorf("%w: sender key", errBadContent)
		}
	case *pb.GroupControl_Ops:
		if b.Ops == nil || len(b.Ops.Ops) == 0 || len(b.Ops.Ops) > maxOpsPerChunk {
			return fmt.Errorf("%w: ops", errBadContent)
		}
	case *pb.GroupControl_Join:
		if _, err := group.JoinOf(b.Join); err != nil {
			return fmt.Errorf("%w: join: %v", errBadContent, err)
		}
	case *pb.GroupControl_DeviceLists:
		return checkDeviceLists(b.DeviceLists)
	default:
		return fmt.Errorf("%w: unknown group control", errBadContent)
	}
	return nil
}

// openOps verifies the ops of one group from a GroupOps; ops of another
// group or that do not verify are skipped.
func openOps(gid group.ID, in []*pb.GroupOp) []*group.Op {
	var out []*group.Op
	for _, w := range in {
		op, err := group.OpenOp(w)
		if err != nil || op.Group != gid {
			continue
		}
		out = append(out, op)
	}
	return out
}

// chunkOps splits ops into GroupOps of at most maxOpsChunk bytes, in order.
func chunkOps(ops []*group.Op) []*pb.GroupOps {
	var out []*pb.GroupOps
	cur, size := &pb.GroupOps{}, 0
	for _, op := range ops {
		n := proto.Size(op.Wire)
		if len(cur.Ops) > 0 && (size+n > maxOpsChunk || len(cur.Ops) == maxOpsPerChunk) {
			out = append(out, cur)
			cur, size = &pb.GroupOps{}, 0
		}
		cur.Ops = append(cur.Ops, op.Wire)
		size += n
	}
	if len(cur.Ops) > 0 {
		out = append(out, cur)
	}
	return out
}
