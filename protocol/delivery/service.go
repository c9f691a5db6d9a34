package delivery

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"log/slog"
	"time"

	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"
	"github.com/libp2p/go-msgio"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/protocol/streamset"
)

// ProtocolID is the libp2p protocol of direct envelope delivery.
const ProtocolID protocol.ID = "/pigeon/msg/1"

// IdleTimeout is how long a server stream may stay silent before it is closed.
const IdleTimeout = 5 * time.Minute

// Handler processes well-formed envelopes that arrived, in this order, from
// the authenticated peer from, and returns the codes to ack them with: one
// per envelope, or fewer when processing stopped at a code that closes the
// stream (see Fatal), which must then be the last. Envelopes arrive in
// batches when the sender pipelines: all frames already buffered, up to
// MaxBatch, are handed over together. It must not keep envs. It runs on the
// stream's goroutine, so one stream's envelopes are handled in order.
type Handler func(ctx context.Context, from peer.ID, envs []*pb.Envelope) []pb.ErrorCode

// MaxBatch bounds the envelopes handed to a Handler at once.
const MaxBatch = 64

// Service serves ProtocolID.
type Service struct {
	h           host.Host
	handler     Handler
	log         *slog.Logger
	listVersion func() uint64

	ctx    context.Context // cancelled by Close; bounds handlers
	cancel context.CancelFunc

	streams streamset.Set
}

// ServiceOption configures a Service.
type ServiceOption func(*Service)

// WithListVersion gives the service the version of the device list the
// receiving device has published (see Envelope.recipient_list_version):
// an envelope naming an older one is still handled, and its ack carries
// the current version so the sender fetches the list again.
func WithListVersion(current func() uint64) ServiceOption {
	return func(s *Service) { s.listVersion = current }
}

// NewService registers the stream handler on h.
func NewService(h host.Host, handler Handler, log *slog.Logger, opts ...ServiceOption) *Service {
	ctx, cancel := context.WithCancel(context.Background())
	s := &Service{h: h, handler: handler, log: log, ctx: ctx, cancel: cancel}
	for _, o := range opts {
		o(s)
	}
	h.SetStreamHandler(ProtocolID, s.handle)
	return s
}

// newerList returns the device list version to put in the ack of env: the
// current one when env names an older one, else 0.
func (s *Service) newerList(env *pb.Envelope) uint64 {
	if s.listVersion == nil || env.RecipientListVersion == 0 {
		return 0
	}
	if cur := s.listVersion(); env.RecipientListVersion < cur {
		return cur
	}
	return 0
}

// Close removes the handler, resets open streams and waits for their
// goroutines.
func (s *Service) Close() {
	s.h.RemoveStreamHandler(ProtocolID)
	s.cancel()
	s.streams.Close()
}

func (s *Service) handle(st network.Stream) {
	if !s.streams.Add(st) {
		_ = st.Reset()
		return
	}
	defer s.streams.Done(st)
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
	var batch []*pb.Envelope
	for {
		_ = st.SetReadDeadline(time.Now().Add(IdleTimeout))
		// Read one frame, waiting for it, then every further frame that is
		// already complete in the buffer.
		batch = batch[:0]
		var bad pb.ErrorCode // code of a frame that ends the batch and the stream
		for len(batch) == 0 || (len(batch) < MaxBatch && frameBuffered(br)) {
			frame, err := r.ReadMsg()
			if err != nil {
				switch {
				case len(batch) > 0:
					bad = pb.ErrorCode_OK // handle what we have; the next read fails again
				case errors.Is(err, io.EOF):
					_ = st.Close()
					return
				case errors.Is(err, msgio.ErrMsgTooLarge):
					log.Debug("envelope frame too large")
					s.reject(st, w, bw, make([]byte, 16), pb.ErrorCode_TOO_LARGE)
					return
				default:
					_ = st.Reset()
					return
				}
				break
			}
			env, derr := DecodeEnvelope(frame)
			r.ReleaseMsg(frame)
			if derr != nil {
				bad = pb.ErrorCode_MALFORMED
				if errors.Is(derr, ErrTooLarge) {
					bad = pb.ErrorCode_TOO_LARGE
				}
				break
			}
			batch = append(batch, env)
		}
		var codes []pb.ErrorCode
		if len(batch) > 0 {
			codes = s.handler(s.ctx, from, batch)
			if len(codes) == 0 || len(codes) > len(batch) || (len(codes) < len(batch) && !Fatal(codes[len(codes)-1])) {
				log.Error("delivery handler returned wrong number of codes", "got", len(codes), "want", len(batch))
				_ = st.Reset()
				return
			}
		}
		for i, code := range codes {
			if Fatal(code) {
				log.Debug("envelope rejected", "code", code)
				s.reject(st, w, bw, batch[i].MessageId, code)
				return
			}
			if code != pb.ErrorCode_OK {
				log.Debug("envelope not accepted", "code", code)
			}
			ack, _ := proto.Marshal(&pb.EnvelopeAck{MessageId: batch[i].MessageId, Code: code, ListVersion: s.newerList(batch[i])})
			if err := w.WriteMsg(ack); err != nil {
				_ = st.Reset()
				return
			}
		}
		if bad != pb.ErrorCode_OK {
			log.Debug("envelope frame rejected", "code", bad)
			s.reject(st, w, bw, make([]byte, 16), bad) // malformed: ack with a zero ID
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

// frameBuffered reports whether a whole frame is already in br, so reading
// it will not block.
func frameBuffered(br *bufio.Reader) bool {
	n := br.Buffered()
	if n == 0 {
		return false
	}
	b, _ := br.Peek(min(n, binary.MaxVarintLen64))
	size, k := binary.Uvarint(b)
	return k > 0 && uint64(n-k) >= size
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
