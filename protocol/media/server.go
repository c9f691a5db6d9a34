package media

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/ipfs/go-cid"
	ipld "github.com/ipfs/go-ipld-format"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/protocol/streamset"
)

// BlocksProtocol is the libp2p protocol serving blocks.
const BlocksProtocol protocol.ID = "/pigeon/blocks/1"

// ServeService is the resource manager service of the streams a Server
// answers (AddLimits sets its limits); a fetch's own streams are in the
// service "pigeon.blocks".
const ServeService = "pigeon.blocks.serve"

// Stream timeouts.
const (
	// IdleTimeout is how long a blocks stream may stay silent.
	IdleTimeout = time.Minute
	// writeTimeout bounds writing one block (fetch) or one want (pin).
	writeTimeout = 30 * time.Second
	// PieceTimeout bounds the server's writing of one piece: a reader that
	// takes none of it for this long loses its stream, and the piece's
	// memory is freed.
	PieceTimeout = 15 * time.Second
	// openTimeout bounds opening a stream.
	openTimeout = 10 * time.Second
)

// pieceTimeout is PieceTimeout; tests shorten it.
var pieceTimeout = PieceTimeout

// PieceSize is how much of its blocks the server holds in memory for one
// stream at a time: it writes blocks in pieces of this size, read from the
// store one at a time (BlockOpener), so a stream costs one piece however
// slowly its reader takes them. It is the most go-yamux sends in one
// message (64 KiB with its 12-byte header): a piece of 64 KiB went out as
// two messages, one of 12 bytes.
const PieceSize = 64<<10 - 12

// StreamErrorCode is used when a stream is reset because of a bad frame.
const StreamErrorCode network.StreamErrorCode = 0x60000

// BlockOpener is implemented by stores that can read a block in pieces
// without holding it whole. The server uses it when its store has it, and
// otherwise reads each block whole.
type BlockOpener interface {
	// OpenBlock returns block c, ready to read; an error for which
	// ipld.IsNotFound is true when it is missing.
	OpenBlock(ctx context.Context, c cid.Cid) (BlockSection, error)
}

// BlockSection is an opened block.
type BlockSection interface {
	Size() int
	// ReadAt reads len(p) bytes of the block at off, as io.ReaderAt does;
	// a block deleted since it was opened fails with an error for which
	// ipld.IsNotFound is true.
	ReadAt(p []byte, off int64) (int, error)
}

// Server serves the blocks in a store to any peer that names them by CID.
// Blocks are ciphertext or UnixFS structure, so serving them reveals
// nothing but their size to whoever knows a CID.
//
// # Memory
//
// A stream holds PieceSize bytes while it has blocks to write and nothing
// while it waits for wants, and reserves that memory from the libp2p
// resource manager (service ServeService, see AddLimits) before it reads a
// block: the node-wide budget, and a bound per peer, of block serving. A
// stream that cannot get it waits, and is reset after PieceTimeout. A
// reader that takes no piece for PieceTimeout loses its stream.
type Server struct {
	h       host.Host
	opener  BlockOpener // nil: the store reads blocks whole only, with get
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
	s.opener, _ = bs.(BlockOpener)
	for _, o := range opts {
		o(s)
	}
	h.SetStreamHandler(BlocksProtocol, s.handle)
	return s
}

// wholeBlock is a block read whole.
type wholeBlock []byte

func (b wholeBlock) Size() int { return len(b) }

func (b wholeBlock) ReadAt(p []byte, off int64) (int, error) {
	if off >= int64(len(b)) {
		return 0, io.EOF
	}
	n := copy(p, b[off:])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// Close removes the handler, resets the open streams and waits for their
// handlers. It may be called more than once.
func (s *Server) Close() {
	s.h.RemoveStreamHandler(BlocksProtocol)
	s.cancel()
	s.streams.Close()
}

// pieces recycles the servers' piece buffers.
var pieces = sync.Pool{New: func() any {
	b := make([]byte, 0, PieceSize)
	return &b
}}

func (s *Server) handle(st network.Stream) {
	if !s.streams.Add(st) {
		_ = st.Reset()
		return
	}
	defer s.streams.Done(st)
	if err := st.Scope().SetService(ServeService); err != nil {
		_ = st.Reset() // over the service's (or its per-peer) stream limit
		return
	}
	ss := &serving{s: s, st: st, from: st.Conn().RemotePeer()}
	defer ss.release()
	if err := ss.serve(); err != nil {
		s.log.Debug("blocks stream ended", "peer", ss.from, "err", err)
	}
}

// serving is one stream being served.
type serving struct {
	s    *Server
	st   network.Stream
	from peer.ID

	out   *[]byte // the piece buffer while held: frames waiting to be written
	whole *[]byte // while held, a buffer for a block read whole (stores without BlockOpener)
}

// errReset ends serve after it reset the stream itself.
var errReset = errors.New("stream reset")

// serve answers wants until the stream ends.
func (ss *serving) serve() error {
	st := ss.st
	br := bufio.NewReaderSize(st, 4<<10)
	var frame []byte
	for {
		_ = st.SetReadDeadline(time.Now().Add(IdleTimeout))
		var err error
		frame, err = readFrame(br, frame, MaxWantFrame)
		if err != nil {
			if errors.Is(err, io.EOF) {
				_ = st.Close()
				return nil
			}
			_ = st.ResetWithError(StreamErrorCode + network.StreamErrorCode(statusFor(err)))
			return err
		}
		cids, err := DecodeWant(frame)
		if err != nil {
			_ = st.ResetWithError(StreamErrorCode + network.StreamErrorCode(statusFor(err)))
			return err
		}
		if err := ss.hold(); err != nil {
			_ = st.ResetWithError(network.StreamResourceLimitExceeded)
			return err
		}
		for _, c := range cids {
			if err := ss.block(c); err != nil {
				if !errors.Is(err, errReset) {
					_ = st.Reset()
				}
				return err
			}
		}
		if br.Buffered() == 0 { // no more wants waiting: send what we have
			if err := ss.flush(); err != nil {
				_ = st.Reset()
				return err
			}
			ss.release() // an idle stream holds no piece
		}
	}
}

// hold takes a piece buffer, and for a store without BlockOpener a block
// buffer, reserving their memory first.
func (ss *serving) hold() error {
	if ss.out != nil {
		return nil
	}
	if err := ss.reserve(PieceSize); err != nil {
		return err
	}
	ss.out = pieces.Get().(*[]byte)
	*ss.out = (*ss.out)[:0]
	if ss.s.opener != nil {
		return nil
	}
	if err := ss.reserve(MaxBlockSize); err != nil {
		return err
	}
	ss.whole = getBlockBuf()
	return nil
}

// reserve reserves n bytes from the stream's scope; while the resource
// manager refuses, it waits, up to PieceTimeout.
func (ss *serving) reserve(n int) error {
	wait := 10 * time.Millisecond
	deadline := time.Now().Add(pieceTimeout)
	for {
		err := ss.st.Scope().ReserveMemory(n, network.ReservationPriorityAlways)
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("reserve %d bytes: %w", n, err)
		}
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ss.s.ctx.Done():
			t.Stop()
			return ss.s.ctx.Err()
		}
		wait = min(2*wait, time.Second)
	}
}

// release gives the buffers back, with their memory.
func (ss *serving) release() {
	if ss.out != nil {
		pieces.Put(ss.out)
		ss.out = nil
		ss.st.Scope().ReleaseMemory(PieceSize)
	}
	if ss.whole != nil {
		putBlockBuf(ss.whole)
		ss.whole = nil
		ss.st.Scope().ReleaseMemory(MaxBlockSize)
	}
}

// block answers one want: a header, then the block in pieces.
func (ss *serving) block(c cid.Cid) error {
	s := ss.s
	sec, err := ss.open(c)
	hdr := &pb.BlockHeader{}
	switch {
	case err == nil:
		hdr.Size = uint32(sec.Size())
	case ipld.IsNotFound(err):
		hdr.Status = pb.BlockStatus_BLOCK_NOT_FOUND
	default:
		s.log.Warn("read block", "err", err)
		hdr.Status = pb.BlockStatus_BLOCK_INTERNAL
	}
	if err := ss.appendHeader(hdr); err != nil {
		return err
	}
	for off := 0; off < int(hdr.Size); {
		out := *ss.out
		if len(out) == cap(out) {
			if err := ss.flush(); err != nil {
				return err
			}
			continue
		}
		n := min(cap(out)-len(out), int(hdr.Size)-off)
		if k, err := sec.ReadAt(out[len(out):len(out)+n], int64(off)); k < n || (err != nil && !errors.Is(err, io.EOF)) {
			// The header promised the block: all the peer can be told is
			// that the stream failed.
			if err == nil || errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			s.log.Warn("read block", "cid", c, "err", err)
			_ = ss.st.Reset()
			return errReset
		}
		*ss.out = out[:len(out)+n]
		off += n
	}
	if s.served != nil && hdr.Size > 0 {
		s.served(ss.from, int(hdr.Size))
	}
	return nil
}

// open opens block c: in pieces from a BlockOpener, or read whole.
func (ss *serving) open(c cid.Cid) (BlockSection, error) {
	s := ss.s
	if s.opener != nil {
		return s.opener.OpenBlock(s.ctx, c)
	}
	b, err := s.get(s.ctx, c, (*ss.whole)[:0])
	if err != nil {
		return nil, err
	}
	*ss.whole = b
	return wholeBlock(b), nil
}

// appendHeader adds a header frame to the piece buffer.
func (ss *serving) appendHeader(hdr *pb.BlockHeader) error {
	if cap(*ss.out)-len(*ss.out) < maxHeaderFrame+binary.MaxVarintLen64 {
		if err := ss.flush(); err != nil {
			return err
		}
	}
	n := proto.Size(hdr)
	out := binary.AppendUvarint(*ss.out, uint64(n))
	out, err := proto.MarshalOptions{}.MarshalAppend(out, hdr)
	if err != nil {
		return err
	}
	*ss.out = out
	return nil
}

// flush writes the piece buffer out, within PieceTimeout.
func (ss *serving) flush() error {
	if ss.out == nil || len(*ss.out) == 0 {
		return nil
	}
	_ = ss.st.SetWriteDeadline(time.Now().Add(pieceTimeout))
	if _, err := ss.st.Write(*ss.out); err != nil {
		return err
	}
	*ss.out = (*ss.out)[:0]
	return nil
}
