package presence

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-msgio"

	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/pb"
)

const (
	// dialTimeout bounds opening the stream and receiving the welcome.
	dialTimeout = 10 * time.Second
	// writeTimeout bounds one write of the client.
	writeTimeout = 10 * time.Second
	// maxHeartbeat caps the interval a hub may ask for.
	maxHeartbeat = 10 * time.Minute
)

// minHeartbeat floors the interval a hub may ask for; tests lower it.
var minHeartbeat = time.Second

// Client keeps a presence stream to one relay: it heartbeats (announcing
// its account online when made WithPrivacy), re-dials with backoff when the
// stream breaks, and restores its privacy setting and subscriptions on each
// new stream.
type Client struct {
	h     host.Host
	relay peer.ID
	cert  *pb.Signed
	cfg   *clientConfig
	log   *slog.Logger

	mu      sync.Mutex // guards every field below; taken before conn.wmu
	privacy Privacy
	subs    map[*Subscription]struct{}
	watch   map[identity.AccountID]int // union of the subscriptions: account → subscriptions watching it
	cur     *conn                      // nil while disconnected
	changed chan struct{}              // closed and replaced when cur or closed change
	nextID  uint32
	closed  bool

	cancel context.CancelFunc // cancels the run loop's context
	done   chan struct{}      // closed by Close
	wg     sync.WaitGroup     // run loop, stream readers, subscription pumps
}

// conn is one stream to the relay.
type conn struct {
	st       network.Stream
	wmu      sync.Mutex                       // serializes writes
	pending  map[uint32]chan *pb.PresenceInfo // guarded by Client.mu
	welcome  chan time.Duration               // the heartbeat interval, once
	welcomed atomic.Bool                      // the hub accepted the hello
	dead     chan struct{}                    // closed when the stream failed
	err      error                            // why; set before dead is closed
	once     sync.Once
}

// NewClient starts keeping a presence stream from h to relay. cert is the
// device's Signed certificate and must name h's peer ID. The client dials
// in the background; Query waits for the stream.
func NewClient(h host.Host, relay peer.ID, cert *pb.Signed, opts ...ClientOption) (*Client, error) {
	cfg, err := newClientConfig(opts)
	if err != nil {
		return nil, err
	}
	c, err := identity.VerifyCertificate(cert)
	if err != nil {
		return nil, fmt.Errorf("new presence client: %w", err)
	}
	if c.PeerID != h.ID() {
		return nil, fmt.Errorf("new presence client: %w", ErrWrongPeer)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cl := &Client{
		h:       h,
		relay:   relay,
		cert:    c.Signed,
		cfg:     cfg,
		log:     cfg.log.With("relay", relay),
		privacy: cfg.privacy,
		subs:    make(map[*Subscription]struct{}),
		watch:   make(map[identity.AccountID]int),
		changed: make(chan struct{}),
		cancel:  cancel,
		done:    make(chan struct{}),
	}
	cl.wg.Add(1)
	go cl.run(ctx)
	return cl, nil
}

// Close stops the client, closes every subscription and waits for every
// goroutine. A second call returns ErrClosed.
func (c *Client) Close() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return ErrClosed
	}
	c.closed = true
	c.broadcast()
	cur := c.cur
	subs := c.subs
	c.subs = nil
	c.mu.Unlock()
	c.cancel()
	close(c.done)
	if cur != nil {
		cur.fail(ErrClosed)
	}
	for s := range subs {
		s.stop()
	}
	c.wg.Wait()
	return nil
}

// broadcast wakes everyone waiting for a change. Caller holds mu.
func (c *Client) broadcast() {
	close(c.changed)
	c.changed = make(chan struct{})
}

// Connected reports whether the relay accepted the current stream (and,
// for an announcing client, counts the device online).
func (c *Client) Connected() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.cur != nil && c.cur.welcomed.Load()
}

// Query asks the relay for one account's presence, waiting for the stream
// if it is down.
func (c *Client) Query(ctx context.Context, target identity.AccountID) (Presence, error) {
	const op = "query presence"
	for {
		c.mu.Lock()
		if c.closed {
			c.mu.Unlock()
			return Presence{}, fmt.Errorf("%s: %w", op, ErrClosed)
		}
		cur := c.cur
		if cur == nil {
			ch := c.changed
			c.mu.Unlock()
			select {
			case <-ch:
				continue
			case <-ctx.Done():
				return Presence{}, fmt.Errorf("%s: %w", op, ctx.Err())
			}
		}
		c.nextID++
		id := c.nextID
		reply := make(chan *pb.PresenceInfo, 1)
		cur.pending[id] = reply
		frame := appendFrame(nil, &pb.PresenceClientFrame{Frame: &pb.PresenceClientFrame_Query{
			Query: &pb.PresenceQuery{RequestId: id, Account: target[:]},
		}})
		c.sendLocked(cur, frame)
		select {
		case info := <-reply:
			if p := presenceFromPB(info); p.Account == target {
				return p, nil
			}
			cur.fail(fmt.Errorf("%w: answer for another account", ErrMalformed))
			return Presence{}, fmt.Errorf("%s: %w", op, ErrMalformed)
		case <-cur.dead:
			return Presence{}, fmt.Errorf("%s: %w: %w", op, ErrDisconnected, cur.err)
		case <-ctx.Done():
			c.mu.Lock()
			delete(cur.pending, id)
			c.mu.Unlock()
			return Presence{}, fmt.Errorf("%s: %w", op, ctx.Err())
		}
	}
}

// sendLocked writes frame on cur, keeping the order of callers: it takes
// cur's write lock before releasing mu, which the caller holds. A failed
// write fails the stream; the run loop re-dials and restores the state.
func (c *Client) sendLocked(cur *conn, frame []byte) {
	cur.wmu.Lock()
	c.mu.Unlock()
	defer cur.wmu.Unlock()
	if err := cur.write(frame); err != nil {
		cur.fail(err)
	}
}

// SetPrivacy changes who sees the account's presence, now and on every
// later stream.
func (c *Client) SetPrivacy(p Privacy) error {
	const op = "set presence privacy"
	if err := p.check(); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if !c.cfg.announce {
		return fmt.Errorf("%s: %w", op, ErrNotAnnouncing)
	}
	p.Allowed = append([]identity.AccountID(nil), p.Allowed...)
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return fmt.Errorf("%s: %w", op, ErrClosed)
	}
	c.privacy = p
	if c.cur == nil {
		c.mu.Unlock()
		return nil
	}
	frame := appendFrame(nil, &pb.PresenceClientFrame{Frame: &pb.PresenceClientFrame_SetPrivacy{SetPrivacy: p.toPB()}})
	c.sendLocked(c.cur, frame)
	return nil
}

// subscribeFrame is the subscribe frame for the current union. Caller holds mu.
func (c *Client) subscribeFrame() []byte {
	s := &pb.PresenceSubscribe{Accounts: make([][]byte, 0, len(c.watch))}
	for a := range c.watch {
		s.Accounts = append(s.Accounts, a[:])
	}
	return appendFrame(nil, &pb.PresenceClientFrame{Frame: &pb.PresenceClientFrame_Subscribe{Subscribe: s}})
}

// run keeps a stream to the relay until Close.
func (c *Client) run(ctx context.Context) {
	defer c.wg.Done()
	backoff := c.cfg.minBackoff
	refusals := 0 // in a row
	for {
		welcomed, err := c.session(ctx)
		select {
		case <-c.done:
			return
		default:
		}
		// A stream the hub closed with an error code (a subscription over
		// its limits, say) would fail again at once: back off as from a
		// failed dial.
		var ce *CodeError
		refused := errors.As(err, &ce)
		if welcomed && !refused {
			backoff = c.cfg.minBackoff
		}
		if refused {
			refusals++
		} else {
			refusals = 0
		}
		switch {
		case !refused:
			c.log.Debug("presence stream ended", "err", err, "retry_in", backoff)
		case refusals == 1:
			// A node announces itself as it registers its mailbox: the
			// first hello may come first.
			c.log.Debug("presence relay refused the stream", "err", err, "retry_in", backoff)
		default:
			c.log.Warn("presence relay refused the stream", "err", err, "retry_in", backoff)
		}
		t := time.NewTimer(backoff/2 + rand.N(backoff/2+1))
		select {
		case <-c.done:
			t.Stop()
			return
		case <-t.C:
		}
		if !welcomed || refused {
			backoff = min(backoff*2, c.cfg.maxBackoff)
		}
	}
}

// session opens one stream, says hello, restores the subscriptions and
// heartbeats until the stream fails. It reports whether the hub welcomed
// the stream.
func (c *Client) session(ctx context.Context) (welcomed bool, _ error) {
	dctx, cancel := context.WithTimeout(ctx, dialTimeout)
	defer cancel()
	st, err := c.h.NewStream(dctx, c.relay, ProtocolID)
	if err != nil {
		return false, err
	}
	cur := &conn{
		st:      st,
		pending: make(map[uint32]chan *pb.PresenceInfo),
		welcome: make(chan time.Duration, 1),
		dead:    make(chan struct{}),
	}

	hello := &pb.PresenceHello{Certificate: c.cert, Announce: c.cfg.announce}
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		_ = st.Reset()
		return false, ErrClosed
	}
	if c.cfg.announce {
		hello.Privacy = c.privacy.toPB()
	}
	frames := appendFrame(nil, &pb.PresenceClientFrame{Frame: &pb.PresenceClientFrame_Hello{Hello: hello}})
	if len(c.watch) > 0 {
		frames = append(frames, c.subscribeFrame()...)
	}
	c.cur = cur
	c.broadcast()
	c.wg.Add(1)
	go c.read(cur)
	c.sendLocked(cur, frames)

	defer func() {
		cur.fail(ErrDisconnected)
		c.mu.Lock()
		if c.cur == cur {
			c.cur = nil
			c.broadcast()
		}
		c.mu.Unlock()
	}()

	var hb time.Duration
	select {
	case hb = <-cur.welcome:
	case <-cur.dead:
		return false, cur.err
	case <-dctx.Done():
		return false, fmt.Errorf("wait for welcome: %w", dctx.Err())
	}
	t := time.NewTicker(hb)
	defer t.Stop()
	beat := appendFrame(nil, &pb.PresenceClientFrame{Frame: &pb.PresenceClientFrame_Heartbeat{Heartbeat: &pb.PresenceHeartbeat{}}})
	for {
		select {
		case <-t.C:
			cur.wmu.Lock()
			err := cur.write(beat)
			cur.wmu.Unlock()
			if err != nil {
				cur.fail(err)
				return true, err
			}
		case <-cur.dead:
			return true, cur.err
		case <-c.done:
			return true, ErrClosed
		}
	}
}

// write writes frame; caller holds wmu.
func (cur *conn) write(frame []byte) error {
	_ = cur.st.SetWriteDeadline(time.Now().Add(writeTimeout))
	_, err := cur.st.Write(frame)
	return err
}

// fail marks the stream broken and resets it.
func (cur *conn) fail(err error) {
	cur.once.Do(func() {
		cur.err = err
		close(cur.dead)
		_ = cur.st.Reset()
	})
}

// read reads the hub's frames until the stream fails.
func (c *Client) read(cur *conn) {
	defer c.wg.Done()
	r := msgio.NewVarintReaderSize(cur.st, MaxHubFrameSize)
	welcomed := false
	for {
		b, err := r.ReadMsg()
		if err != nil {
			var se *network.StreamError
			if errors.As(err, &se) && se.Remote && se.ErrorCode > StreamErrorCodeBase && se.ErrorCode < StreamErrorTimeout {
				err = &CodeError{Code: pb.ErrorCode(se.ErrorCode - StreamErrorCodeBase)}
			}
			cur.fail(err)
			return
		}
		f, err := DecodeHubFrame(b)
		r.ReleaseMsg(b)
		if err != nil {
			cur.fail(err)
			return
		}
		switch x := f.Frame.(type) {
		case *pb.PresenceHubFrame_Welcome:
			if welcomed {
				cur.fail(fmt.Errorf("%w: second welcome", ErrMalformed))
				return
			}
			welcomed = true
			cur.welcomed.Store(true)
			cur.welcome <- min(max(time.Duration(x.Welcome.HeartbeatMs)*time.Millisecond, minHeartbeat), maxHeartbeat)
		case *pb.PresenceHubFrame_Result:
			c.mu.Lock()
			reply := cur.pending[x.Result.RequestId]
			delete(cur.pending, x.Result.RequestId)
			c.mu.Unlock()
			if reply != nil {
				reply <- x.Result.Info
			}
		case *pb.PresenceHubFrame_Update:
			c.dispatch(presenceFromPB(x.Update))
		case *pb.PresenceHubFrame_Error:
			c.log.Debug("presence hub closed the stream", "code", x.Error)
			cur.fail(&CodeError{Code: x.Error})
			return
		}
	}
}

// dispatch hands an update to every subscription watching its account.
func (c *Client) dispatch(p Presence) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for s := range c.subs {
		if _, ok := s.accounts[p.Account]; ok {
			s.push(p)
		}
	}
}
