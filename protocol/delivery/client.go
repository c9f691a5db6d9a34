package delivery

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-msgio"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/pb"
)

// maxInFlight bounds the envelopes awaiting an ack on one stream; Send blocks
// beyond it.
const maxInFlight = 256

// Client sends envelopes, keeping one pipelined stream per peer.
type Client struct {
	h   host.Host
	log *slog.Logger

	mu     sync.Mutex // guards conns and closed
	conns  map[peer.ID]*stream
	closed bool
	wg     sync.WaitGroup // ack readers
}

// NewClient returns a client sending from h.
func NewClient(h host.Host, log *slog.Logger) *Client {
	return &Client{h: h, log: log, conns: make(map[peer.ID]*stream)}
}

// Call is an envelope in flight.
type Call struct {
	id   []byte
	code pb.ErrorCode
	list uint64 // the ack's list version
	err  error
	done chan struct{}
	s    *stream
}

// AckTimeout is how long a stream may go without any ack while envelopes
// are in flight before it is taken for dead (a peer that vanished without
// closing its connection, as a killed process on QUIC does).
const AckTimeout = 10 * time.Second

// StreamOpenTimeout bounds opening a stream (dialling and protocol
// negotiation). A connection whose peer died without closing it can hold
// NewStream until the transport's idle timeout; this is shorter.
const StreamOpenTimeout = 5 * time.Second

// ackTimeout is AckTimeout, shortened by tests.
var ackTimeout = AckTimeout

// Wait returns once the peer acked the envelope (nil error and the ack
// code), the stream failed or made no progress for AckTimeout, or ctx ended
// (the stream is then reset, which fails every envelope in flight on it).
func (c *Call) Wait(ctx context.Context) (pb.ErrorCode, error) {
	t := time.NewTimer(ackTimeout)
	defer t.Stop()
	for {
		select {
		case <-c.done:
			return c.code, c.err
		case <-ctx.Done():
			c.s.fail(fmt.Errorf("wait for ack: %w", ctx.Err()))
			<-c.done
			return c.code, c.err
		case <-t.C:
			if idle := time.Since(c.s.lastProgress()); idle < ackTimeout {
				t.Reset(ackTimeout - idle)
				continue
			}
			c.s.fail(errors.New("wait for ack: no ack for too long"))
			<-c.done
			return c.code, c.err
		}
	}
}

// ListVersion returns, once Wait has returned, the version of its device
// list the peer said it has published when the envelope named an older
// one (0 otherwise): the sender's copy of the list is out of date.
func (c *Call) ListVersion() uint64 {
	select {
	case <-c.done:
		return c.list
	default:
		return 0
	}
}

// Send writes env to p and returns without waiting for the ack. Envelopes
// sent to one peer are written, processed and acked in the order of the Send
// calls.
func (c *Client) Send(ctx context.Context, p peer.ID, env *pb.Envelope) (*Call, error) {
	frame, err := proto.Marshal(env)
	if err != nil {
		return nil, fmt.Errorf("send envelope: %w", err)
	}
	if len(frame) > MaxFrameSize {
		return nil, fmt.Errorf("send envelope: %w: %d bytes", ErrTooLarge, len(frame))
	}
	s, err := c.stream(ctx, p)
	if err != nil {
		return nil, fmt.Errorf("send envelope: %w", err)
	}
	call := &Call{id: env.MessageId, done: make(chan struct{}), s: s}
	if err := s.send(ctx, call, frame); err != nil {
		return nil, fmt.Errorf("send envelope: %w", err)
	}
	return call, nil
}

// SendBatch writes envs to p in order with one flush, and returns without
// waiting for the acks. On error the envelopes before the failing one may
// have been sent: their calls are returned.
func (c *Client) SendBatch(ctx context.Context, p peer.ID, envs []*pb.Envelope) ([]*Call, error) {
	frames := make([][]byte, len(envs))
	for i, env := range envs {
		frame, err := proto.Marshal(env)
		if err != nil {
			return nil, fmt.Errorf("send envelope: %w", err)
		}
		if len(frame) > MaxFrameSize {
			return nil, fmt.Errorf("send envelope: %w: %d bytes", ErrTooLarge, len(frame))
		}
		frames[i] = frame
	}
	s, err := c.stream(ctx, p)
	if err != nil {
		return nil, fmt.Errorf("send envelope: %w", err)
	}
	calls := make([]*Call, 0, len(envs))
	for _, env := range envs {
		calls = append(calls, &Call{id: env.MessageId, done: make(chan struct{}), s: s})
	}
	n, err := s.sendAll(ctx, calls, frames)
	if err != nil {
		return calls[:n], fmt.Errorf("send envelope: %w", err)
	}
	return calls, nil
}

// Open makes sure a stream to p is open (dialling if needed), so a caller can
// check the peer is reachable before doing work for it (encrypting
// advances Signal counters, which must not be burnt on unreachable peers).
func (c *Client) Open(ctx context.Context, p peer.ID) error {
	if _, err := c.stream(ctx, p); err != nil {
		return fmt.Errorf("open stream: %w", err)
	}
	return nil
}

// SendWait sends env and waits for its ack; a non-OK ack is a *CodeError.
func (c *Client) SendWait(ctx context.Context, p peer.ID, env *pb.Envelope) error {
	call, err := c.Send(ctx, p, env)
	if err != nil {
		return err
	}
	code, err := call.Wait(ctx)
	if err != nil {
		return err
	}
	if code != pb.ErrorCode_OK {
		return &CodeError{Code: code}
	}
	return nil
}

// Close resets every stream and waits for the ack readers.
func (c *Client) Close() {
	c.mu.Lock()
	c.closed = true
	conns := c.conns
	c.conns = make(map[peer.ID]*stream)
	c.mu.Unlock()
	for _, s := range conns {
		s.fail(ErrClosed)
	}
	c.wg.Wait()
}

func (c *Client) stream(ctx context.Context, p peer.ID) (*stream, error) {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil, ErrClosed
	}
	if s := c.conns[p]; s != nil {
		c.mu.Unlock()
		return s, nil
	}
	c.mu.Unlock()

	octx, cancel := context.WithTimeout(ctx, StreamOpenTimeout)
	ns, err := c.h.NewStream(network.WithAllowLimitedConn(octx, "pigeon-msg"), p, ProtocolID)
	cancel()
	if err != nil {
		return nil, err
	}
	s := &stream{
		c:       c,
		p:       p,
		ns:      ns,
		bw:      bufio.NewWriterSize(ns, 32<<10),
		pending: make(chan *Call, maxInFlight),
		dead:    make(chan struct{}),
	}
	s.w = msgio.NewVarintWriter(s.bw)

	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		_ = ns.Reset()
		return nil, ErrClosed
	}
	if old := c.conns[p]; old != nil { // lost a race: use the winner
		_ = ns.Reset()
		return old, nil
	}
	c.conns[p] = s
	c.wg.Add(1)
	go s.readAcks()
	return s, nil
}

// stream is one pipelined outbound stream.
type stream struct {
	c  *Client
	p  peer.ID
	ns network.Stream

	wmu     sync.Mutex // guards bw, w and the order of pending
	bw      *bufio.Writer
	w       msgio.WriteCloser
	pending chan *Call // in flight, in write order

	failOnce sync.Once
	dead     chan struct{}
	err      error // set before dead is closed

	progress atomic.Int64 // unix nanos of the last ack, or of the first write after an idle spell
}

func (s *stream) lastProgress() time.Time { return time.Unix(0, s.progress.Load()) }

func (s *stream) send(ctx context.Context, call *Call, frame []byte) error {
	_, err := s.sendAll(ctx, []*Call{call}, [][]byte{frame})
	return err
}

// sendAll queues calls and writes their frames with one flush. It returns
// how many calls were queued; the ack reader resolves every queued call,
// also when a write fails.
func (s *stream) sendAll(ctx context.Context, calls []*Call, frames [][]byte) (int, error) {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	for i, call := range calls {
		select {
		case <-s.dead:
			return i, s.err
		default:
		}
		if len(s.pending) == 0 {
			s.progress.Store(time.Now().UnixNano()) // the clock starts with the first envelope in flight
		}
		if len(s.pending) == cap(s.pending) {
			// The window is full: flush what we have so acks can come.
			if err := s.bw.Flush(); err != nil {
				s.fail(err)
			}
		}
		select {
		case s.pending <- call:
		case <-s.dead:
			return i, s.err
		case <-ctx.Done():
			return i, ctx.Err()
		}
		if err := s.w.WriteMsg(frames[i]); err != nil {
			s.fail(err)
			return i + 1, nil // the reader fails the queued calls
		}
	}
	if err := s.bw.Flush(); err != nil {
		s.fail(err)
	}
	return len(calls), nil
}

// fail marks the stream broken, resets it and drops it from the client.
func (s *stream) fail(err error) {
	s.failOnce.Do(func() {
		s.err = fmt.Errorf("%w: %w", ErrStreamBroken, err)
		close(s.dead)
		_ = s.ns.Reset()
		s.c.mu.Lock()
		if s.c.conns[s.p] == s {
			delete(s.c.conns, s.p)
		}
		s.c.mu.Unlock()
	})
}

func (s *stream) readAcks() {
	defer s.c.wg.Done()
	r := msgio.NewVarintReaderSize(bufio.NewReader(s.ns), maxAckSize)
	for {
		frame, err := r.ReadMsg()
		if err != nil {
			s.fail(err)
			break
		}
		ack, err := DecodeAck(frame)
		r.ReleaseMsg(frame)
		if err != nil {
			s.fail(err)
			break
		}
		var call *Call
		select {
		case call = <-s.pending:
		default:
			s.fail(errors.New("ack with nothing in flight"))
		}
		if call == nil {
			break
		}
		if string(call.id) != string(ack.MessageId) {
			call.err = ErrAckMismatch
			s.fail(ErrAckMismatch)
			close(call.done)
			break
		}
		s.progress.Store(time.Now().UnixNano())
		call.code, call.list = ack.Code, ack.ListVersion
		if Fatal(ack.Code) {
			// Retire the stream before the caller learns the code, so its
			// next Send opens a fresh stream.
			s.fail(fmt.Errorf("peer closed the stream after %s", ack.Code))
			close(call.done)
			break
		}
		close(call.done)
	}
	// Fail everything still in flight. Senders holding wmu see dead and
	// stop adding, so draining until empty under wmu is complete.
	s.wmu.Lock()
	defer s.wmu.Unlock()
	for {
		select {
		case call := <-s.pending:
			call.err = s.err
			close(call.done)
		default:
			return
		}
	}
}
