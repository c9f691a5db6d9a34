package media

import (
	"bufio"
	"context"
	"errors"
	"io"
	"log/slog"
	"time"

	ipld "github.com/ipfs/go-ipld-format"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"

	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/protocol/streamset"
)

// BlocksProtocol is the libp2p protocol serving blocks.
const BlocksProtocol protocol.ID = "/pigeon/blocks/1"

// Stream timeouts.
const (
	// IdleTimeout is how long a blocks stream may stay silent.
	IdleTimeout = time.Minute
	// writeTimeout bounds writing one block.
	writeTimeout = 30 * time.Second
	// openTimeout bounds opening a stream.
	openTimeout = 10 * time.Second
)

// StreamErrorCode is used when a stream is reset because of a bad frame.
const StreamErrorCode network.StreamErrorCode = 0x60000

// Server serves the blocks in a store to any peer that names them by CID.
// Blocks are ciphertext or UnixFS structure, so serving them reveals
// nothing but their size to whoever knows a CID.
type Server struct {
	h       host.Host
	get     GetFunc
	log     *slog.Logger
	served  func(peer.ID, int)
	streams streamset.Set
	ctx     context.Context
	cancel  context.CancelFunc
}

// ServerOption configures a Server.
type ServerOption func(*Server)

// WithServerLogger sets the server's logger.
func WithServerLogger(l *slog.Logger) ServerOption { return func(s *Server) { s.log = l } }

// WithServed makes the server call f after sending each block (for upload
// progress); f must be quick and safe for concurrent use.
func WithServed(f func(to peer.ID, bytes int)) ServerOption {
	return func(s *Server) { s.served = f }
}

// NewServer serves BlocksProtocol on h from bs until Close.
func NewServer(h host.Host, bs Blocks, opts ...ServerOption) *Server {
	ctx, cancel := context.WithCancel(context.Background())
	s := &Server{h: h, get: LocalGet(bs), log: slog.New(slog.DiscardHandler), ctx: ctx, cancel: cancel}
	for _, o := range opts {
		o(s)
	}
	h.SetStreamHandler(BlocksProtocol, s.handle)
	return s
}

// Close removes the handler, resets the open streams and waits for their
// handlers. It may be called more than once.
func (s *Server) Close() {
	s.h.RemoveStreamHandler(BlocksProtocol)
	s.cancel()
	s.streams.Close()
}

func (s *Server) handle(st network.Stream) {
	if !s.streams.Add(st) {
		_ = st.Reset()
		return
	}
	defer s.streams.Done(st)
	if err := st.Scope().SetService("pigeon.blocks"); err != nil {
		_ = st.Reset()
		return
	}
	from := st.Conn().RemotePeer()
	br := bufio.NewReaderSize(st, 16<<10)
	bw := bufio.NewWriterSize(st, 64<<10)
	var frame []byte
	bp := getBlockBuf()
	defer putBlockBuf(bp)
	data := *bp
	defer func() { *bp = data[:0] }() // runs before putBlockBuf
	for {
		_ = st.SetReadDeadline(time.Now().Add(IdleTimeout))
		var err error
		frame, err = readFrame(br, frame, MaxWantFrame)
		if err != nil {
			if errors.Is(err, io.EOF) {
				_ = st.Close()
			} else {
				s.log.Debug("blocks stream ended", "peer", from, "err", err)
				_ = st.ResetWithError(StreamErrorCode + network.StreamErrorCode(statusFor(err)))
			}
			return
		}
		cids, err := DecodeWant(frame)
		if err != nil {
			s.log.Debug("bad want", "peer", from, "err", err)
			_ = st.ResetWithError(StreamErrorCode + network.StreamErrorCode(statusFor(err)))
			return
		}
		for _, c := range cids {
			// Copy the block out of the store's transaction before
			// writing: a slow reader must not hold it open.
			block, err := s.get(s.ctx, c, data[:0])
			hdr := &pb.BlockHeader{}
			switch {
			case err == nil:
				data = block
				hdr.Size = uint32(len(data))
			case ipld.IsNotFound(err):
				hdr.Status = pb.BlockStatus_BLOCK_NOT_FOUND
			default:
				s.log.Warn("read block", "err", err)
				hdr.Status = pb.BlockStatus_BLOCK_INTERNAL
			}
			_ = st.SetWriteDeadline(time.Now().Add(writeTimeout))
			if err := writeFrame(bw, hdr); err != nil {
				_ = st.Reset()
				return
			}
			if hdr.Status == pb.BlockStatus_BLOCK_OK {
				if _, err := bw.Write(data); err != nil {
					_ = st.Reset()
					return
				}
			}
			if s.served != nil && hdr.Size > 0 {
				s.served(from, int(hdr.Size))
			}
		}
		if br.Buffered() == 0 { // no more wants waiting: send what we have
			if err := bw.Flush(); err != nil {
				_ = st.Reset()
				return
			}
		}
	}
}
