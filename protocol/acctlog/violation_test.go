package acctlog_test

import (
	"context"
	"encoding/binary"
	"errors"
	"io"
	"testing"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-msgio"

	"github.com/pigeon-net/pigeon/protocol/acctlog"
	"github.com/pigeon-net/pigeon/protocol/pb"
)

// TestPullProtocolViolations: a peer that breaks the protocol gets the
// pull stopped with a clear error, and nothing beyond what it announced,
// or that the requester holds, is applied.
func TestPullProtocolViolations(t *testing.T) {
	a := newAccount(t, 1, 1)
	op1, op2, op3 := a.op(t, 1, 1, 5), a.op(t, 1, 2, 5), a.op(t, 1, 3, 5)
	start := func(n uint64) *pb.AcctLogFrame {
		return &pb.AcctLogFrame{Frame: &pb.AcctLogFrame_Start{Start: &pb.AcctLogStart{Total: n}}}
	}
	batch := func(ops ...*acctlog.Op) *pb.AcctLogFrame {
		b := &pb.AcctLogBatch{}
		for _, op := range ops {
			b.Ops = append(b.Ops, op.Raw)
		}
		return &pb.AcctLogFrame{Frame: &pb.AcctLogFrame_Batch{Batch: b}}
	}
	end := &pb.AcctLogFrame{Frame: &pb.AcctLogFrame_End{End: &pb.AcctLogEnd{}}}
	cases := []struct {
		name    string
		have    acctlog.Vector
		frames  []*pb.AcctLogFrame
		raw     []byte // written after the frames
		want    error
		applied int
	}{
		{name: "batch before start", frames: []*pb.AcctLogFrame{batch(op1), end}, want: acctlog.ErrProtocol},
		{name: "more ops than announced", frames: []*pb.AcctLogFrame{start(1), batch(op1, op2), end}, want: acctlog.ErrProtocol},
		{name: "fewer ops than announced", frames: []*pb.AcctLogFrame{start(3), batch(op1, op2), end}, want: acctlog.ErrProtocol, applied: 2},
		{name: "a second start", frames: []*pb.AcctLogFrame{start(3), batch(op1), start(3)}, want: acctlog.ErrProtocol, applied: 1},
		{name: "an op the requester holds", have: acctlog.Vector{1: 1}, frames: []*pb.AcctLogFrame{start(2), batch(op2), batch(op1), end}, want: acctlog.ErrProtocol, applied: 1},
		{name: "ops of a device out of order", frames: []*pb.AcctLogFrame{start(2), batch(op2, op1), end}, want: acctlog.ErrBrokenChain},
		{name: "ops of a device out of order across batches", frames: []*pb.AcctLogFrame{start(3), batch(op1, op3), batch(op2), end}, want: acctlog.ErrBrokenChain, applied: 2},
		{name: "an empty batch", frames: []*pb.AcctLogFrame{start(1), batch()}, want: acctlog.ErrMalformed},
		{name: "no end", frames: []*pb.AcctLogFrame{start(3), batch(op1, op2, op3)}, want: io.ErrUnexpectedEOF, applied: 3},
		{name: "a frame over the limit", frames: []*pb.AcctLogFrame{start(1)}, raw: binary.AppendUvarint(nil, acctlog.MaxFrameSize+1), want: acctlog.ErrTooLarge},
		{name: "error code", frames: []*pb.AcctLogFrame{start(1), {Frame: &pb.AcctLogFrame_Error{Error: &pb.AcctLogError{Code: pb.ErrorCode_INTERNAL}}}}, want: acctlog.ErrRefused},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sh, client := newHost(t), newHost(t)
			sh.SetStreamHandler(acctlog.ProtocolID, func(st network.Stream) {
				defer st.Close()
				_, _ = msgio.NewVarintReaderSize(st, acctlog.MaxRequestSize).ReadMsg()
				w := msgio.NewVarintWriter(st)
				for _, f := range c.frames {
					if err := w.WriteMsg(mustMarshal(t, f)); err != nil {
						return
					}
				}
				_, _ = st.Write(c.raw)
			})
			connect(t, client, sh)
			ap := newApplier(newMemStore())
			n, err := acctlog.Pull(context.Background(), client, sh.ID(), a.pullReq(c.have, ap))
			if !errors.Is(err, c.want) || n != c.applied || ap.store.count() != c.applied {
				t.Fatalf("applied %d (%d stored): %v; want %d and %v", n, ap.store.count(), err, c.applied, c.want)
			}
		})
	}
}
