package delivery

import (
	"bufio"
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"
	"github.com/libp2p/go-msgio"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/pb"
)

// ProtocolID is the libp2p protocol of direct envelope delivery.
const ProtocolID protocol.ID = "/pigeon/msg/1"

// IdleTimeout is how long a server stream may stay silent before it is closed.
const IdleTimeout = 5 * time.Minute

// Handler processes one well-formed envelope that arrived from the
// authenticated peer from, and returns the code to ack it with. It must not
// keep env. It runs on the stream's goroutine: envelopes of one stream are
// handled one at a time, in order.
type Handler func(ctx context.Context, from peer.ID, env *pb.Envelope) pb.ErrorCode

// Service serves ProtocolID.
type Service struct {
	h       host.Host
	handler Handler
	log     *slog.Logger

	ctx    context.Context // cancelled by Close; bounds handlers
	cancel context.CancelFunc

	mu      sync.Mutex // guards streams and closed
	streams map[network.Stream]struct{}
	closed  bool
	wg      sync.WaitGroup
}

// NewService registers the stream handler on h.
func NewService(h host.Host, handler Handler, log *slog.Logger) *Service {
	ctx, cancel := context.WithCancel(context.Background())
	s := &Service{h: h, handler: handler, log: log, ctx: ctx, cancel: cancel, streams: make(map[network.Stream]struct{})}
	h.SetStreamHandler(ProtocolID, s.handle)
	return s
}

// Close removes the handler, resets open streams and waits for their
// goroutines.
func (s *Service) Close() {
	s.h.RemoveStreamHandler(ProtocolID)
	s.mu.Lock()
	s.closed = true
	for st := range s.streams {
		_ = st.Reset()
	}
	s.mu.Unlock()
	s.cancel()
	s.wg.Wait()
}

func (s *Service) track(st network.Stream) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.streams[st] = struct{}{}
	s.wg.Add(1)
	return true
}

func (s *Service) untrack(st network.Stream) {
	s.mu.Lock()
	delete(s.streams, st)
	s.mu.Unlock()
	s.wg.Done()
}

func (s *Service) handle(st network.Stream) {
	if !s.track(st) {
		_ = st.Reset()
		return
	}
	defer s.untrack(st)
	if err := st.Scope().SetService("pigeon.msg"); err != nil {
		_ = st.Reset()
		return
	}
	from := st.Conn().RemotePeer()
	log := s.log.With("peer", from)
	br := bufio.NewReaderSize(st, 32<<10)
	r := msgio.NewVarintReaderSize(br, MaxFrameSize)
	bw := bufio.NewWriterSize(st, 4<<10)
	w := msgio.NewVarintWriter(bw)
	for {
		_ = st.SetReadDeadline(time.Now().Add(IdleTimeout))
		frame, err := r.ReadMsg()
		if err != nil {
			if errors.Is(err, io.EOF) {
				_ = st.Close()
				return
			}
			if errors.Is(err, msgio.ErrMsgTooLarge) {
				log.Debug("envelope frame too large")
				s.reject(st, w, bw, make([]byte, 16), pb.ErrorCode_TOO_LARGE)
				return
			}
			_ = st.Reset()
			return
		}
		env, derr := DecodeEnvelope(frame)
		r.ReleaseMsg(frame)
		var code pb.ErrorCode
		var id []byte
		switch {
		case errors.Is(derr, ErrTooLarge):
			code = pb.ErrorCode_TOO_LARGE
		case derr != nil:
			code = pb.ErrorCode_MALFORMED
		default:
			id = env.MessageId
			code = s.handler(s.ctx, from, env)
		}
		if code != pb.ErrorCode_OK {
			log.Debug("envelope rejected", "code", code)
		}
		if len(id) != 16 {
			id = make([]byte, 16) // malformed: ack with a zero ID
		}
		if Fatal(code) {
			s.reject(st, w, bw, id, code)
			return
		}
		ack, _ := proto.Marshal(&pb.EnvelopeAck{MessageId: id, Code: code})
		if err := w.WriteMsg(ack); err != nil {
			_ = st.Reset()
			return
		}
		if br.Buffered() == 0 { // batch acks while frames are queued
			if err := bw.Flush(); err != nil {
				_ = st.Reset()
				return
			}
		}
	}
}

// reject acks the offending frame with code and closes the stream; a
// peer that does not read the ack sees the stream end.
func (s *Service) reject(st network.Stream, w msgio.Writer, bw *bufio.Writer, id []byte, code pb.ErrorCode) {
	ack, _ := proto.Marshal(&pb.EnvelopeAck{MessageId: id, Code: code})
	if w.WriteMsg(ack) != nil || bw.Flush() != nil {
		_ = st.ResetWithError(StreamErrorCodeBase + network.StreamErrorCode(code))
		return
	}
	_ = st.Close()
}
