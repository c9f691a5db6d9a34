package acctlog_test

import (
	"testing"

	"github.com/pigeon-net/pigeon/protocol/acctlog"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/pb"
)

func FuzzOpen(f *testing.F) {
	a := newAccount(f, 1, 1, 2)
	f.Add(a.op(f, 1, 1, 8).Raw)
	f.Add(a.op(f, 2, 9, 0).Raw)
	f.Add([]byte{})
	f.Add([]byte{0x0a, 0x02, 0x08, 0x01})
	f.Fuzz(func(t *testing.T, raw []byte) {
		op, err := acctlog.Open(raw, a.certOf)
		if err != nil {
			return
		}
		if op.Account != a.id() || a.devices[op.Device] == nil || op.Seq == 0 || len(op.Kind) > acctlog.MaxKindLen || len(op.Raw) > acctlog.MaxOpSize {
			t.Fatalf("accepted a bad op: %+v", op)
		}
		again, err := acctlog.Open(op.Raw, a.certOf)
		if err != nil || string(again.Raw) != string(op.Raw) {
			t.Fatalf("canonical raw does not open to itself: %v", err)
		}
	})
}

func FuzzDecodeRequest(f *testing.F) {
	var acct identity.AccountID
	f.Add(mustMarshal(f, &pb.AcctLogRequest{Account: acct[:], Have: []*pb.AcctLogHave{{Device: 1, Seq: 5}, {Device: 3, Seq: 1}}}))
	f.Add(mustMarshal(f, &pb.AcctLogRequest{Account: acct[:]}))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		req, err := acctlog.DecodeRequest(b)
		if err != nil {
			return
		}
		if len(req.Have) > acctlog.MaxHave {
			t.Fatalf("accepted %d devices", len(req.Have))
		}
		for d := range req.Have {
			if d < 1 || d > identity.MaxDeviceID {
				t.Fatalf("accepted device %d", d)
			}
		}
	})
}

func FuzzDecodeFrame(f *testing.F) {
	a := newAccount(f, 1, 1)
	f.Add(mustMarshal(f, &pb.AcctLogFrame{Frame: &pb.AcctLogFrame_Start{Start: &pb.AcctLogStart{Total: 3}}}))
	f.Add(mustMarshal(f, &pb.AcctLogFrame{Frame: &pb.AcctLogFrame_Batch{Batch: &pb.AcctLogBatch{Ops: [][]byte{a.op(f, 1, 1, 4).Raw}}}}))
	f.Add(mustMarshal(f, &pb.AcctLogFrame{Frame: &pb.AcctLogFrame_End{End: &pb.AcctLogEnd{}}}))
	f.Add(mustMarshal(f, &pb.AcctLogFrame{Frame: &pb.AcctLogFrame_Error{Error: &pb.AcctLogError{Code: pb.ErrorCode_UNKNOWN_SENDER}}}))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := acctlog.DecodeFrame(b)
		if err != nil {
			return
		}
		if m.GetFrame() == nil || len(m.GetBatch().GetOps()) > acctlog.MaxBatchOps {
			t.Fatalf("accepted a bad frame: %v", m)
		}
	})
}
