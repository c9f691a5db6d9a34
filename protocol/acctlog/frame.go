package acctlog

import (
	"errors"
	"fmt"
	"io"

	"github.com/libp2p/go-msgio"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/pb"
)

// Limits of the sync protocol.
const (
	// MaxHave bounds the devices a request's vector lists.
	MaxHave = 4096
	// MaxRequestSize bounds a request frame (an account and MaxHave
	// entries of at most 18 bytes each fit).
	MaxRequestSize = 96 << 10
	// MaxBatchOps and MaxBatchBytes bound a batch: a server puts up to
	// MaxBatchOps ops and MaxBatchBytes of them into one (a single op
	// always fits: MaxOpSize is smaller).
	MaxBatchOps   = 1000
	MaxBatchBytes = 1 << 20
	// MaxFrameSize bounds an answer frame.
	MaxFrameSize = MaxBatchBytes + 1<<10
)

// Request is a checked request: the account whose log is wanted and what
// the requester holds of it.
type Request struct {
	Account identity.AccountID
	Have    Vector
}

// encodeRequest is the request frame of account and have (entries of 0
// left out).
func encodeRequest(account identity.AccountID, have Vector) ([]byte, error) {
	m := &pb.AcctLogRequest{Account: account[:]}
	for _, d := range have.Devices() {
		m.Have = append(m.Have, &pb.AcctLogHave{Device: d, Seq: have[d]})
	}
	if len(m.Have) > MaxHave {
		return nil, fmt.Errorf("%w: vector of %d devices, at most %d", ErrTooLarge, len(m.Have), MaxHave)
	}
	b, err := proto.Marshal(m)
	if err != nil {
		return nil, err
	}
	if len(b) > MaxRequestSize {
		return nil, fmt.Errorf("%w: request of %d bytes", ErrTooLarge, len(b))
	}
	return b, nil
}

// DecodeRequest decodes and checks a request frame: sizes, the account,
// device IDs in range and listed once.
func DecodeRequest(b []byte) (*Request, error) {
	const what = "decode account log request"
	if len(b) > MaxRequestSize {
		return nil, fmt.Errorf("%s: %w: %d bytes", what, ErrTooLarge, len(b))
	}
	var m pb.AcctLogRequest
	if err := proto.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%s: %w: %v", what, ErrMalformed, err)
	}
	if len(m.GetAccount()) != len(identity.AccountID{}) {
		return nil, fmt.Errorf("%s: %w: account of %d bytes", what, ErrMalformed, len(m.GetAccount()))
	}
	if len(m.GetHave()) > MaxHave {
		return nil, fmt.Errorf("%s: %w: vector of %d devices", what, ErrTooLarge, len(m.GetHave()))
	}
	req := &Request{Account: identity.AccountID(m.GetAccount()), Have: make(Vector, len(m.GetHave()))}
	for _, h := range m.GetHave() {
		d := h.GetDevice()
		if d < 1 || d > identity.MaxDeviceID {
			return nil, fmt.Errorf("%s: %w: device %d out of range", what, ErrMalformed, d)
		}
		if _, dup := req.Have[d]; dup {
			return nil, fmt.Errorf("%s: %w: device %d listed twice", what, ErrMalformed, d)
		}
		req.Have[d] = h.GetSeq()
	}
	return req, nil
}

// DecodeFrame decodes and checks an answer frame: its size, that it holds
// exactly one of Start, Batch, End or Error, and a batch's bounds (its
// ops are checked by whoever opens them).
func DecodeFrame(b []byte) (*pb.AcctLogFrame, error) {
	const what = "decode account log frame"
	if len(b) > MaxFrameSize {
		return nil, fmt.Errorf("%s: %w: %d bytes", what, ErrTooLarge, len(b))
	}
	var m pb.AcctLogFrame
	if err := proto.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%s: %w: %v", what, ErrMalformed, err)
	}
	switch f := m.GetFrame().(type) {
	case *pb.AcctLogFrame_Start, *pb.AcctLogFrame_End:
	case *pb.AcctLogFrame_Batch:
		if n := len(f.Batch.GetOps()); n == 0 || n > MaxBatchOps {
			return nil, fmt.Errorf("%s: %w: batch of %d ops", what, ErrMalformed, n)
		}
	case *pb.AcctLogFrame_Error:
		if _, ok := pb.ErrorCode_name[int32(f.Error.GetCode())]; !ok || f.Error.GetCode() == pb.ErrorCode_OK {
			return nil, fmt.Errorf("%s: %w: error code %d", what, ErrMalformed, f.Error.GetCode())
		}
	default:
		return nil, fmt.Errorf("%s: %w: empty frame", what, ErrMalformed)
	}
	return &m, nil
}

// readFrame reads one answer frame from r (at most MaxFrameSize bytes,
// nothing past it) and decodes it.
func readFrame(r msgio.Reader) (*pb.AcctLogFrame, error) {
	b, err := r.ReadMsg()
	if err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		if errors.Is(err, msgio.ErrMsgTooLarge) {
			err = fmt.Errorf("%w: frame over %d bytes", ErrTooLarge, MaxFrameSize)
		}
		return nil, err
	}
	defer r.ReleaseMsg(b)
	return DecodeFrame(b)
}

// batchCost is what one op adds to an encoded batch.
func batchCost(raw []byte) int { return 1 + protowire.SizeBytes(len(raw)) }

func writeFrame(w msgio.WriteCloser, f *pb.AcctLogFrame) error {
	b, err := proto.Marshal(f)
	if err != nil {
		return err
	}
	return w.WriteMsg(b)
}
