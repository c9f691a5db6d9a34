package groupsync

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
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/protocol/streamset"
)

// ProtocolID is the libp2p protocol of group sync.
const ProtocolID protocol.ID = "/pigeon/group/1"

// Limits.
const (
	// MaxRequestSize bounds a request frame.
	MaxRequestSize = 64 << 10
	// MaxResponseSize bounds a response frame; handlers cut their answer
	// below it and set More.
	MaxResponseSize = 4 << 20
	// MaxHave bounds the sender devices one want lists.
	MaxHave = 4096
	// MaxHeads bounds the op heads of a request.
	MaxHeads = 256
	// Timeout bounds one request, from opening the stream to the answer.
	Timeout = 30 * time.Second
)

var (
	// ErrMalformed is returned for frames that do not decode or fail a
	// field check.
	ErrMalformed = errors.New("malformed")
	// ErrTooLarge is returned for frames over their limit.
	ErrTooLarge = errors.New("too large")
	// ErrRefused is returned by Request when the peer answers with an
	// error code (*CodeError tells which).
	ErrRefused = errors.New("group sync refused")
)

// CodeError is a refusal by the peer.
type CodeError struct{ Code pb.ErrorCode }

func (e *CodeError) Error() string { return fmt.Sprintf("group sync refused: %s", e.Code) }
func (e *CodeError) Unwrap() error { return ErrRefused }

// Request is a checked request: the group, the requester's verified
// certificate (naming the stream's peer) and the body.
type Request struct {
	Group [32]byte
	Cert  *identity.Certificate
	Want  []*pb.GroupSenderSeq // nil unless a message request
	Heads [][32]byte           // op heads; Ops reports an op request
	Ops   bool
	// Join is a join request through an invite (its fields have the right
	// sizes; the handler checks the invite signature and that it names
	// the requester's account); nil unless a join request.
	Join *pb.GroupJoin
}

// Handler answers a checked request. It returns the response to send (a
// refusal is a response with a code); it must keep the response under
// MaxResponseSize.
type Handler func(ctx context.Context, req *Request) *pb.GroupSyncResponse

// Service serves ProtocolID.
type Service struct {
	h       host.Host
	handle  Handler
	log     *slog.Logger
	streams streamset.Set
}

// NewService serves ProtocolID on h with handler.
func NewService(h host.Host, handler Handler, log *slog.Logger) *Service {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Service{h: h, handle: handler, log: log}
	h.SetStreamHandler(ProtocolID, s.serve)
	return s
}

// Close removes the handler, resets open streams and waits for their
// handlers. It may be called more than once.
func (s *Service) Close() {
	s.h.RemoveStreamHandler(ProtocolID)
	s.streams.Close()
}

func (s *Service) serve(st network.Stream) {
	if !s.streams.Add(st) {
		_ = st.Reset()
		return
	}
	defer s.streams.Done(st)
	if err := st.Scope().SetService("pigeon.groupsync"); err != nil {
		_ = st.Reset()
		return
	}
	_ = st.SetDeadline(time.Now().Add(Timeout))
	ctx, cancel := context.WithTimeout(context.Background(), Timeout)
	defer cancel()
	if err := s.exchange(ctx, st, st, st.Conn().RemotePeer()); err != nil {
		_ = st.Reset()
		return
	}
	_ = st.Close()
}

// exchange is one request and its answer on a stream from peer from: it
// reads one frame from r (at most MaxRequestSize bytes; nothing past it),
// has the handler answer a request that checks out, and writes the answer
// (or a refusal code) to w. An error means no answer could be written
// (the request was cut short, or w failed): reset the stream.
func (s *Service) exchange(ctx context.Context, r io.Reader, w io.Writer, from peer.ID) error {
	frame, err := msgio.NewVarintReaderSize(r, MaxRequestSize).ReadMsg()
	var resp *pb.GroupSyncResponse
	switch {
	case errors.Is(err, msgio.ErrMsgTooLarge):
		resp = &pb.GroupSyncResponse{Code: pb.ErrorCode_TOO_LARGE}
	case err != nil:
		return fmt.Errorf("read group sync request: %w", err)
	default:
		req, err := DecodeRequest(frame, from)
		switch {
		case errors.Is(err, ErrTooLarge):
			resp = &pb.GroupSyncResponse{Code: pb.ErrorCode_TOO_LARGE}
		case err != nil:
			s.log.Debug("group sync request rejected", "peer", from, "err", err)
			resp = &pb.GroupSyncResponse{Code: pb.ErrorCode_MALFORMED}
		default:
			resp = s.handle(ctx, req)
		}
	}
	b, err := proto.Marshal(resp)
	if err == nil && len(b) > MaxResponseSize {
		b, err = proto.Marshal(&pb.GroupSyncResponse{Code: pb.ErrorCode_INTERNAL})
	}
	if err == nil {
		err = msgio.NewVarintWriter(w).WriteMsg(b)
	}
	if err != nil {
		return fmt.Errorf("answer group sync request: %w", err)
	}
	return nil
}

// DecodeRequest decodes and checks a request frame that arrived from peer
// from: sizes, the group ID, and the certificate (which must verify and
// name from).
func DecodeRequest(frame []byte, from peer.ID) (*Request, error) {
	const op = "decode group sync request"
	if len(frame) > MaxRequestSize {
		return nil, fmt.Errorf("%s: %w: %d bytes", op, ErrTooLarge, len(frame))
	}
	var m pb.GroupSyncRequest
	if err := proto.Unmarshal(frame, &m); err != nil {
		return nil, fmt.Errorf("%s: %w: %v", op, ErrMalformed, err)
	}
	if len(m.GetGroupId()) != 32 {
		return nil, fmt.Errorf("%s: %w: group id", op, ErrMalformed)
	}
	cert, err := identity.VerifyCertificate(m.GetCertificate())
	if err != nil {
		return nil, fmt.Errorf("%s: %w: %v", op, ErrMalformed, err)
	}
	if cert.PeerID != from {
		return nil, fmt.Errorf("%s: %w: certificate of another peer", op, ErrMalformed)
	}
	req := &Request{Group: [32]byte(m.GetGroupId()), Cert: cert}
	switch b := m.GetBody().(type) {
	case *pb.GroupSyncRequest_Want:
		if len(b.Want.GetHave()) > MaxHave {
			return nil, fmt.Errorf("%s: %w: %d senders", op, ErrTooLarge, len(b.Want.GetHave()))
		}
		req.Want = make([]*pb.GroupSenderSeq, 0, len(b.Want.GetHave()))
		for _, h := range b.Want.GetHave() {
			if len(h.GetAccount()) != 32 || h.GetDevice() < 1 || h.GetDevice() > identity.MaxDeviceID {
				return nil, fmt.Errorf("%s: %w: sender", op, ErrMalformed)
			}
			req.Want = append(req.Want, h)
		}
	case *pb.GroupSyncRequest_Join:
		j := b.Join
		if len(j.GetAccount()) != 32 || len(j.GetInviteKey()) != 32 || len(j.GetInviteSignature()) != 64 {
			return nil, fmt.Errorf("%s: %w: join", op, ErrMalformed)
		}
		req.Join = j
	case *pb.GroupSyncRequest_Ops:
		if len(b.Ops.GetHeads()) > MaxHeads {
			return nil, fmt.Errorf("%s: %w: %d heads", op, ErrTooLarge, len(b.Ops.GetHeads()))
		}
		req.Ops = true
		for _, h := range b.Ops.GetHeads() {
			if len(h) != 32 {
				return nil, fmt.Errorf("%s: %w: head", op, ErrMalformed)
			}
			req.Heads = append(req.Heads, [32]byte(h))
		}
	default:
		return nil, fmt.Errorf("%s: %w: no body", op, ErrMalformed)
	}
	return req, nil
}

// Ask sends req to p and returns its answer. A refusal is a *CodeError.
func Ask(ctx context.Context, h host.Host, p peer.ID, req *pb.GroupSyncRequest) (*pb.GroupSyncResponse, error) {
	const op = "group sync"
	frame, err := proto.Marshal(req)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	if len(frame) > MaxRequestSize {
		return nil, fmt.Errorf("%s: %w: request of %d bytes", op, ErrTooLarge, len(frame))
	}
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	st, err := h.NewStream(network.WithAllowLimitedConn(ctx, "group sync"), p, ProtocolID)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	stop := context.AfterFunc(ctx, func() { _ = st.Reset() })
	defer stop()
	if dl, ok := ctx.Deadline(); ok {
		_ = st.SetDeadline(dl)
	}
	if err := msgio.NewVarintWriter(st).WriteMsg(frame); err != nil {
		_ = st.Reset()
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	_ = st.CloseWrite()
	resp, err := readResponse(st)
	if err != nil {
		_ = st.Reset()
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	_ = st.Close()
	if resp.GetCode() != pb.ErrorCode_OK {
		return nil, fmt.Errorf("%s: %w", op, &CodeError{Code: resp.GetCode()})
	}
	return resp, nil
}

// readResponse reads one response frame from r (at most MaxResponseSize
// bytes; nothing past it) and decodes it.
func readResponse(r io.Reader) (*pb.GroupSyncResponse, error) {
	b, err := msgio.NewVarintReaderSize(r, MaxResponseSize).ReadMsg()
	if err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	return DecodeResponse(b)
}

// DecodeResponse decodes a response frame (the envelopes and ops in it are
// checked by whoever handles them).
func DecodeResponse(b []byte) (*pb.GroupSyncResponse, error) {
	if len(b) > MaxResponseSize {
		return nil, fmt.Errorf("%w: response of %d bytes", ErrTooLarge, len(b))
	}
	var m pb.GroupSyncResponse
	if err := proto.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	return &m, nil
}
