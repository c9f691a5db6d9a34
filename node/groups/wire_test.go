package groups

import (
	"bytes"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/group"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

func FuzzDecodeGroupEnvelope(f *testing.F) {
	raw, err := encodeGroupEnvelope(group.ID{1}, [32]byte{2}, 3, storage.MessageID{4}, 5, []byte("ciphertext"), 0)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(raw)
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		env, err := decodeGroupEnvelope(b)
		if err != nil {
			return
		}
		again, err := encodeGroupEnvelope(env.group, env.sender, env.device, env.id, env.seq, env.ct, 0)
		if err != nil {
			t.Fatal(err)
		}
		back, err := decodeGroupEnvelope(again)
		if err != nil || back.group != env.group || back.sender != env.sender || back.seq != env.seq || !bytes.Equal(back.ct, env.ct) {
			t.Fatalf("round trip: %v", err)
		}
	})
}

func FuzzDecodeGroupContent(f *testing.F) {
	id := storage.MessageID{9}
	for _, c := range []*pb.GroupContent{
		{MessageId: id[:], Seq: 1, Body: &pb.GroupContent_Text{Text: &pb.Text{Body: "hello"}}},
		{MessageId: id[:], Seq: 2, Body: &pb.GroupContent_Ops{Ops: &pb.GroupOps{Ops: []*pb.GroupOp{{Body: []byte{1}, Signature: []byte{2}}}}}},
		{MessageId: id[:], Body: &pb.GroupContent_Typing{Typing: &pb.Typing{Active: true}}},
	} {
		b, err := encodeGroupContent(c)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := decodeGroupContent(b)
		if err != nil {
			return
		}
		if len(c.MessageId) != 16 || c.Body == nil {
			t.Fatalf("accepted %+v", c)
		}
		if ops := c.GetOps(); ops != nil {
			_ = openOps(group.ID{1}, ops.Ops) // never panics
		}
	})
}

func FuzzCheckGroupControl(f *testing.F) {
	gid := make([]byte, 32)
	for _, g := range []*pb.GroupControl{
		{GroupId: gid, NextSeq: 3, Body: &pb.GroupControl_SenderKey{SenderKey: []byte{0x33, 1, 2}}},
		{GroupId: gid, Body: &pb.GroupControl_Ops{Ops: &pb.GroupOps{Ops: []*pb.GroupOp{{Body: []byte{1}, Signature: []byte{2}}}}}},
		{GroupId: gid, Body: &pb.GroupControl_Join{Join: &pb.GroupJoin{Account: make([]byte, 32), InviteKey: make([]byte, 32), InviteSignature: make([]byte, 64)}}},
	} {
		b, err := proto.Marshal(g)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var g pb.GroupControl
		if proto.Unmarshal(b, &g) != nil {
			return
		}
		if checkGroupControl(&g) != nil {
			return
		}
		if j := g.GetJoin(); j != nil {
			if _, err := group.JoinOf(j); err != nil {
				t.Fatalf("checked join does not decode: %v", err)
			}
		}
	})
}

func TestChunkOps(t *testing.T) {
	// Ops of about 1 KiB chunk at maxOpsChunk, in order, nothing lost.
	var ops []*group.Op
	for i := range 100 {
		ops = append(ops, &group.Op{Wire: &pb.GroupOp{Body: bytes.Repeat([]byte{byte(i)}, 1000), Signature: make([]byte, 64)}})
	}
	chunks := chunkOps(ops)
	if len(chunks) < 2 {
		t.Fatalf("%d chunks", len(chunks))
	}
	i := 0
	for _, c := range chunks {
		if proto.Size(c) > maxOpsChunk+2048 {
			t.Fatalf("chunk of %d bytes", proto.Size(c))
		}
		for _, w := range c.Ops {
			if w != ops[i].Wire {
				t.Fatal("chunks reorder ops")
			}
			i++
		}
	}
	if i != len(ops) {
		t.Fatalf("%d of %d ops chunked", i, len(ops))
	}
}
