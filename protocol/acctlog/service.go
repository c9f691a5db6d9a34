package acctlog

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"
	"github.com/libp2p/go-msgio"

	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/protocol/streamset"
)

// ProtocolID is the libp2p protocol of account log sync.
const ProtocolID protocol.ID = "/pigeon/acctlog/1"

// Timeouts of the sync protocol.
const (
	// RequestTimeout bounds how long a server waits for the request.
	RequestTimeout = 30 * time.Second
	// FrameTimeout bounds each frame after the request: the server's write
	// of a frame (which waits while the requester applies the batch before)
	// and the requester's wait for the next one.
	FrameTimeout = time.Minute
)

// StoredOp is a signed op as a Store holds it.
type StoredOp struct {
	Seq uint64
	Raw []byte
}

// Store is the local log as the service reads it. Implementations must be
// safe for concurrent use.
type Store interface {
	// Devices returns the authoring devices the store holds ops of,
	// ascending.
	Devices(ctx context.Context) ([]uint32, error)
	// CountAfter returns how many ops of device the store holds with a
	// seq above after.
	CountAfter(ctx context.Context, device uint32, after uint64) (int, error)
	// Range returns up to limit ops of device with a seq above after, in
	// seq order, at most maxBytes of Raw in all but at least one (when
	// there is one).
	Range(ctx context.Context, device uint32, after uint64, limit, maxBytes int) ([]StoredOp, error)
}

// Config configures a Service.
type Config struct {
	// Account is the account whose log Store holds; requests for another
	// are refused (pb.ErrorCode_WRONG_RECIPIENT).
	Account identity.AccountID
	// Store is the log served. Required.
	Store Store
	// Authorize reports whether the peer is a device of Account that may
	// read its log (a listed, unrevoked device); others are refused
	// (pb.ErrorCode_UNKNOWN_SENDER) before anything is read. Required.
	Authorize func(p peer.ID) bool
	// Logger receives the service's logs; nil discards them.
	Logger *slog.Logger
}

// Service serves ProtocolID: it streams, to the account's devices, the
// ops they lack.
type Service struct {
	h       host.Host
	cfg     Config
	log     *slog.Logger
	streams streamset.Set
}

// NewService serves ProtocolID on h. Close it when done.
func NewService(h host.Host, cfg Config) (*Service, error) {
	if cfg.Store == nil || cfg.Authorize == nil || cfg.Account.IsZero() {
		return nil, fmt.Errorf("new account log service: %w: account, store and authorize are required", ErrMalformed)
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Service{h: h, cfg: cfg, log: log}
	h.SetStreamHandler(ProtocolID, s.handle)
	return s, nil
}

// Close removes the handler, resets the streams being served and waits for
// their handlers. It may be called more than once.
func (s *Service) Close() {
	s.h.RemoveStreamHandler(ProtocolID)
	s.streams.Close()
}

func (s *Service) handle(st network.Stream) {
	if !s.streams.Add(st) {
		_ = st.Reset()
		return
	}
	defer s.streams.Done(st)
	if err := st.Scope().SetService("pigeon.acctlog"); err != nil {
		_ = st.Reset()
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	from := st.Conn().RemotePeer()
	if err := s.serve(ctx, st, from); err != nil {
		s.log.Debug("account log sync ended", "peer", from, "err", err)
		_ = st.Reset()
		return
	}
	_ = st.Close()
}

// deadliner is the part of a stream serve sets deadlines on.
type deadliner interface {
	SetReadDeadline(time.Time) error
	SetWriteDeadline(time.Time) error
}

// serve answers one request on rw from peer from. An error means the
// answer could not be written in full (reset the stream).
func (s *Service) serve(ctx context.Context, rw io.ReadWriter, from peer.ID) error {
	dl, _ := rw.(deadliner)
	w := msgio.NewVarintWriter(rw)
	refuse := func(code pb.ErrorCode) error {
		if dl != nil {
			_ = dl.SetWriteDeadline(time.Now().Add(FrameTimeout))
		}
		return writeFrame(w, &pb.AcctLogFrame{Frame: &pb.AcctLogFrame_Error{Error: &pb.AcctLogError{Code: code}}})
	}
	if !s.cfg.Authorize(from) {
		s.log.Info("account log sync refused", "peer", from, "reason", "not a device of the account")
		return refuse(pb.ErrorCode_UNKNOWN_SENDER)
	}
	if dl != nil {
		_ = dl.SetReadDeadline(time.Now().Add(RequestTimeout))
	}
	frame, err := msgio.NewVarintReaderSize(rw, MaxRequestSize).ReadMsg()
	if errors.Is(err, msgio.ErrMsgTooLarge) {
		return refuse(pb.ErrorCode_TOO_LARGE)
	}
	if err != nil {
		return fmt.Errorf("read request: %w", err)
	}
	req, err := DecodeRequest(frame)
	switch {
	case errors.Is(err, ErrTooLarge):
		return refuse(pb.ErrorCode_TOO_LARGE)
	case err != nil:
		s.log.Debug("account log request rejected", "peer", from, "err", err)
		return refuse(pb.ErrorCode_MALFORMED)
	case req.Account != s.cfg.Account:
		return refuse(pb.ErrorCode_WRONG_RECIPIENT)
	}
	if err := s.stream(ctx, w, dl, req.Have); err != nil {
		var internal *internalError
		if errors.As(err, &internal) {
			s.log.Warn("account log sync failed", "peer", from, "err", err)
			if rerr := refuse(pb.ErrorCode_INTERNAL); rerr != nil {
				return errors.Join(err, rerr)
			}
			return nil
		}
		return err
	}
	return nil
}

// internalError is a failure of the local store while answering.
type internalError struct{ err error }

func (e *internalError) Error() string { return e.err.Error() }
func (e *internalError) Unwrap() error { return e.err }

// stream writes Start, the batches of every op held above have, and End.
// The total is counted first; ops that arrive meanwhile wait for the next
// request, so the requester gets exactly the announced number.
func (s *Service) stream(ctx context.Context, w msgio.WriteCloser, dl deadliner, have Vector) error {
	st := s.cfg.Store
	devices, err := st.Devices(ctx)
	if err != nil {
		return &internalError{fmt.Errorf("list devices: %w", err)}
	}
	counts := make([]int, len(devices))
	total := 0
	for i, d := range devices {
		if counts[i], err = st.CountAfter(ctx, d, have[d]); err != nil {
			return &internalError{fmt.Errorf("count ops of device %d: %w", d, err)}
		}
		total += counts[i]
	}
	write := func(f *pb.AcctLogFrame) error {
		if dl != nil {
			_ = dl.SetWriteDeadline(time.Now().Add(FrameTimeout))
		}
		return writeFrame(w, f)
	}
	if err := write(&pb.AcctLogFrame{Frame: &pb.AcctLogFrame_Start{Start: &pb.AcctLogStart{Total: uint64(total)}}}); err != nil {
		return fmt.Errorf("write start: %w", err)
	}
	batch := make([][]byte, 0, min(total, MaxBatchOps))
	size := 0
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := write(&pb.AcctLogFrame{Frame: &pb.AcctLogFrame_Batch{Batch: &pb.AcctLogBatch{Ops: batch}}})
		batch, size = batch[:0], 0
		return err
	}
	for i, d := range devices {
		after, left := have[d], counts[i]
		for left > 0 {
			if len(batch) == MaxBatchOps || MaxBatchBytes-size < batchCost(nil)+1 {
				if err := flush(); err != nil {
					return fmt.Errorf("write batch: %w", err)
				}
			}
			limit := min(left, MaxBatchOps-len(batch))
			ops, err := st.Range(ctx, d, after, limit, MaxBatchBytes-size)
			ops = ops[:min(len(ops), limit)]
			if err != nil {
				return &internalError{fmt.Errorf("read ops of device %d: %w", d, err)}
			}
			if len(ops) == 0 {
				return &internalError{fmt.Errorf("ops of device %d above %d: %d fewer than counted", d, after, left)}
			}
			for _, op := range ops {
				if len(op.Raw) == 0 || len(op.Raw) > MaxOpSize || op.Seq <= after {
					return &internalError{fmt.Errorf("store returned a bad op %d/%d of %d bytes", d, op.Seq, len(op.Raw))}
				}
				if len(batch) > 0 && (len(batch) == MaxBatchOps || size+batchCost(op.Raw) > MaxBatchBytes) {
					if err := flush(); err != nil {
						return fmt.Errorf("write batch: %w", err)
					}
				}
				batch = append(batch, op.Raw)
				size += batchCost(op.Raw)
				after = op.Seq
				left--
			}
		}
	}
	if err := flush(); err != nil {
		return fmt.Errorf("write batch: %w", err)
	}
	if err := write(&pb.AcctLogFrame{Frame: &pb.AcctLogFrame_End{End: &pb.AcctLogEnd{}}}); err != nil {
		return fmt.Errorf("write end: %w", err)
	}
	return nil
}
