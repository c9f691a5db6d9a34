package presence

import (
	"context"
	"errors"
	"io"
	"math/bits"
	"net"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/pb"
)

// maxQueued bounds the frames (welcome, query results) waiting to be written
// on one stream; the stream's reader stops reading queries beyond it.
const maxQueued = 256

// errorWriteTimeout bounds writing the error frame before closing a stream.
const errorWriteTimeout = time.Second

// registryTimeout bounds one question to the registry.
const registryTimeout = 5 * time.Second

// maxUpdatesPerWrite bounds the updates encoded for one write, so a stream
// whose reader stalls holds a few kilobytes of them, however many
// accounts it watches.
const maxUpdatesPerWrite = 128

// session is one presence stream at the hub. Its reader is a goroutine of
// its own (see Hub.handle); a writer goroutine runs only while frames are
// waiting, so an idle stream costs one goroutine.
type session struct {
	hub     *Hub
	st      network.Stream
	peer    peer.ID
	account identity.AccountID // of the certificate in the hello
	device  uint32             // of the certificate in the hello

	lastFrame atomic.Int64 // unix ms of the last frame read
	announced bool         // the account was counted online; handler goroutine only

	subs []identity.AccountID // watched accounts, sorted; guarded by hub.mu

	mu     sync.Mutex // guards out, queued, dirty, ndirty, writing and dead
	cond   sync.Cond  // on mu: signals room in out, or dead
	out    []byte     // encoded frames waiting to be written
	queued int        // frames in out
	// dirty has bit i set when the state of subs[i] is to be sent; ndirty
	// counts the set bits. Both change with subs, under hub.mu too.
	dirty   []uint64
	ndirty  int
	writing bool // a writer goroutine is running
	dead    bool // no more writes
	wg      sync.WaitGroup
}

// handle hands the stream to a goroutine of its own and returns.
//
// A device keeps its presence stream open for as long as it is online, and
// its goroutine spends nearly all that time blocked reading, between
// heartbeats. The garbage collector shrinks an idle goroutine's stack only
// down to about four times the depth it is blocked at, so that depth is
// kept small: a goroutine of our own (not libp2p's handler goroutine, which
// sits under the protocol negotiation's frames) waits for the next frame
// in a shallow call (session.next). Its stack is half the size.
func (hub *Hub) handle(st network.Stream) {
	if !hub.streams.Add(st) {
		_ = st.Reset()
		return
	}
	go hub.serveStream(st)
}

// serveStream runs one presence stream until it ends.
func (hub *Hub) serveStream(st network.Stream) {
	defer hub.streams.Done(st)
	if err := st.Scope().SetService(ServiceName); err != nil {
		_ = st.Reset()
		return
	}
	s := &session{hub: hub, st: st, peer: st.Conn().RemotePeer()}
	s.cond.L = &s.mu
	s.end(s.serve())
}

// end closes the stream after serve returned.
func (s *session) end(code pb.ErrorCode, timeout bool) {
	var regUntil int64
	if s.announced {
		// The device may have registered again since its hello: keep its
		// state for as long as it is registered now.
		regUntil, _ = s.hub.registeredUntil(s.account, s.device)
	}
	s.hub.leave(s, s.announced, regUntil)
	log := s.hub.log.With("peer", s.peer)
	switch {
	case timeout:
		log.Debug("presence stream timed out")
		s.kill(StreamErrorTimeout)
	case code != pb.ErrorCode_OK:
		log.Debug("presence stream rejected", "code", code)
		s.fail(code)
	}
	s.stop()
}

// serve reads frames until the stream ends. It returns the code to close
// the stream with (OK: it ended by itself), and whether it timed out.
func (s *session) serve() (code pb.ErrorCode, timeout bool) {
	if code, timeout, ok := s.hello(s.next()); !ok {
		return code, timeout
	}
	for {
		if code, timeout, ok := s.act(s.next()); !ok {
			return code, timeout
		}
	}
}

// errFrameTooLarge is next's error for a frame length above
// MaxClientFrameSize.
var errFrameTooLarge = errors.New("frame too large")

// next reads one uvarint-delimited frame. The stream idles in its first
// Read, which is the blocking call kept shallow (see Hub.handle).
func (s *session) next() ([]byte, error) {
	_ = s.st.SetReadDeadline(time.Now().Add(s.hub.cfg.timeout))
	var b [1]byte
	n, err := s.st.Read(b[:])
	for n == 0 && err == nil {
		n, err = s.st.Read(b[:])
	}
	if err != nil {
		return nil, err
	}
	return s.rest(b[0])
}

// rest reads the rest of a frame whose first length byte was first.
func (s *session) rest(first byte) ([]byte, error) {
	size, c := uint64(first&0x7f), first
	for shift := 7; c >= 0x80; shift += 7 {
		if shift > 14 { // a fourth length byte: at least 2 MiB
			return nil, errFrameTooLarge
		}
		var b [1]byte
		if _, err := io.ReadFull(s.st, b[:]); err != nil {
			return nil, err
		}
		c = b[0]
		size |= uint64(c&0x7f) << shift
	}
	if size > MaxClientFrameSize {
		return nil, errFrameTooLarge
	}
	buf := make([]byte, size)
	if _, err := io.ReadFull(s.st, buf); err != nil {
		return nil, err
	}
	return buf, nil
}

// decode turns what next returned into a frame, or into the code to end
// the stream with (OK: it ended by itself) and whether it timed out.
func (s *session) decode(b []byte, err error) (*pb.PresenceClientFrame, pb.ErrorCode, bool) {
	if err != nil {
		var ne net.Error
		switch {
		case errors.Is(err, errFrameTooLarge):
			return nil, pb.ErrorCode_TOO_LARGE, false
		case errors.As(err, &ne) && ne.Timeout():
			return nil, pb.ErrorCode_OK, true
		}
		return nil, pb.ErrorCode_OK, false // closed or reset by the peer
	}
	s.lastFrame.Store(s.hub.cfg.now().UnixMilli())
	f, err := DecodeClientFrame(b)
	switch {
	case errors.Is(err, ErrTooLarge):
		return nil, pb.ErrorCode_TOO_LARGE, false
	case err != nil:
		return nil, pb.ErrorCode_MALFORMED, false
	}
	return f, pb.ErrorCode_OK, false
}

// hello handles the first frame; ok false ends the stream.
func (s *session) hello(b []byte, err error) (code pb.ErrorCode, timeout, ok bool) {
	hub := s.hub
	f, code, timeout := s.decode(b, err)
	if f == nil {
		return code, timeout, false
	}
	hello := f.GetHello()
	if hello == nil {
		return pb.ErrorCode_MALFORMED, false, false
	}
	cert, err := identity.VerifyCertificate(hello.Certificate)
	switch {
	case errors.Is(err, identity.ErrTooLarge):
		return pb.ErrorCode_TOO_LARGE, false, false
	case errors.Is(err, identity.ErrMalformed):
		return pb.ErrorCode_MALFORMED, false, false
	case err != nil, cert.PeerID != s.peer:
		return pb.ErrorCode_UNKNOWN_SENDER, false, false
	}
	s.account, s.device = cert.Account, cert.DeviceID
	if hello.Announce {
		regUntil, err := hub.registeredUntil(s.account, s.device)
		switch {
		case err != nil:
			hub.log.Warn("presence registry failed", "err", err)
			return pb.ErrorCode_INTERNAL, false, false
		case hub.cfg.registry != nil && regUntil <= hub.cfg.now().UnixMilli():
			// Only devices the relay serves are tracked.
			return pb.ErrorCode_UNKNOWN_SENDER, false, false
		}
		hub.announce(s, privacyFromPB(hello.Privacy), regUntil)
		s.announced = true
	}
	// After announcing: a welcomed device is online.
	s.queue(&pb.PresenceHubFrame{Frame: &pb.PresenceHubFrame_Welcome{Welcome: &pb.PresenceWelcome{
		HeartbeatMs: hub.cfg.heartbeat.Milliseconds(),
		TimeoutMs:   hub.cfg.timeout.Milliseconds(),
	}}})
	return pb.ErrorCode_OK, false, true
}

// act handles a frame after the hello; ok false ends the stream.
func (s *session) act(b []byte, err error) (code pb.ErrorCode, timeout, ok bool) {
	hub := s.hub
	f, code, timeout := s.decode(b, err)
	if f == nil {
		return code, timeout, false
	}
	switch x := f.Frame.(type) {
	case *pb.PresenceClientFrame_Heartbeat:
	case *pb.PresenceClientFrame_SetPrivacy:
		if !s.announced {
			return pb.ErrorCode_MALFORMED, false, false
		}
		hub.setAccountPrivacy(s, privacyFromPB(x.SetPrivacy))
	case *pb.PresenceClientFrame_Query:
		info := hub.lookup(s, account(x.Query.Account))
		if !s.queue(&pb.PresenceHubFrame{Frame: &pb.PresenceHubFrame_Result{Result: &pb.PresenceQueryResult{
			RequestId: x.Query.RequestId,
			Info:      info,
		}}}) {
			return pb.ErrorCode_OK, false, false // the writer failed
		}
	case *pb.PresenceClientFrame_Subscribe:
		if code := hub.subscribe(s, x.Subscribe.Accounts); code != pb.ErrorCode_OK {
			return code, false, false
		}
	default: // a second hello
		return pb.ErrorCode_MALFORMED, false, false
	}
	return pb.ErrorCode_OK, false, true
}

// queue adds a frame for the writer, waiting while maxQueued frames are
// waiting. It returns false once the stream is dead.
func (s *session) queue(f *pb.PresenceHubFrame) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for s.queued >= maxQueued && !s.dead {
		s.cond.Wait()
	}
	if s.dead {
		return false
	}
	s.out = appendFrame(s.out, f)
	s.queued++
	s.kick()
	return true
}

// markDirty queues the current state of a watched account. Caller holds
// hub.mu; it never blocks.
func (s *session) markDirty(a identity.AccountID) {
	i, ok := slices.BinarySearchFunc(s.subs, a, compareAccounts)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.dead || s.dirty[i/64]&(1<<(i%64)) != 0 {
		return
	}
	s.dirty[i/64] |= 1 << (i % 64)
	s.ndirty++
	s.kick()
}

// markAllDirty queues the current state of every watched account, after
// subs changed. Caller holds hub.mu (for writing); it never blocks.
func (s *session) markAllDirty() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.dirty, s.ndirty = nil, 0
	if s.dead || len(s.subs) == 0 {
		return
	}
	s.dirty = make([]uint64, (len(s.subs)+63)/64)
	for i := range s.dirty {
		s.dirty[i] = ^uint64(0)
	}
	if tail := len(s.subs) % 64; tail != 0 {
		s.dirty[len(s.dirty)-1] = 1<<tail - 1
	}
	s.ndirty = len(s.subs)
	s.kick()
}

// kick starts the writer unless it runs. Caller holds mu.
func (s *session) kick() {
	if s.writing || s.dead {
		return
	}
	s.writing = true
	s.wg.Add(1)
	go s.write()
}

// write writes waiting frames until none are left. The state of a dirty
// account is read when it is written, so a slow reader gets the latest
// state and skips the ones in between.
func (s *session) write() {
	defer s.wg.Done()
	var buf, spare []byte
	for {
		if buf = s.take(spare[:0]); buf == nil {
			return
		}
		_ = s.st.SetWriteDeadline(time.Now().Add(s.hub.cfg.timeout))
		if _, err := s.st.Write(buf); err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				s.kill(StreamErrorTimeout)
			} else {
				s.kill(0)
			}
			s.mu.Lock()
			s.writing = false
			s.mu.Unlock()
			return
		}
		spare = buf
	}
}

// take returns the next bytes to write, appended to buf: the queued frames
// and the current state of up to maxUpdatesPerWrite dirty accounts. It
// returns nil, and ends the writer, when nothing is waiting.
func (s *session) take(buf []byte) []byte {
	hub := s.hub
	hub.mu.RLock() // the subs and the states of the dirty accounts
	defer hub.mu.RUnlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.dead || (s.queued == 0 && s.ndirty == 0) {
		s.writing = false
		if cap(s.out) > 4<<10 {
			s.out = nil // an idle stream keeps no big buffer
		}
		return nil
	}
	buf = append(buf, s.out...)
	s.out, s.queued = s.out[:0], 0
	s.cond.Broadcast()
	for w, n := 0, 0; w < len(s.dirty) && s.ndirty > 0 && n < maxUpdatesPerWrite; w++ {
		for ; s.dirty[w] != 0 && n < maxUpdatesPerWrite; n++ {
			b := bits.TrailingZeros64(s.dirty[w])
			s.dirty[w] &^= 1 << b
			s.ndirty--
			a := s.subs[w*64+b]
			buf = appendFrame(buf, &pb.PresenceHubFrame{Frame: &pb.PresenceHubFrame_Update{Update: hub.info(a, s.account)}})
		}
	}
	return buf
}

// markDead stops further writes and reports whether a writer is running.
func (s *session) markDead() (writing bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.dead = true
	s.dirty, s.ndirty = nil, 0
	s.cond.Broadcast()
	return s.writing
}

// kill resets the stream with code (0: a plain reset).
func (s *session) kill(code network.StreamErrorCode) {
	s.markDead()
	if code == 0 {
		_ = s.st.Reset()
		return
	}
	_ = s.st.ResetWithError(code)
}

// fail closes the stream because of code: it lets a running writer finish,
// writes an error frame and closes; when that write fails it resets the
// stream with StreamErrorCodeBase + code.
func (s *session) fail(code pb.ErrorCode) {
	s.markDead()
	_ = s.st.SetWriteDeadline(time.Now().Add(errorWriteTimeout))
	s.wg.Wait()
	frame := appendFrame(nil, &pb.PresenceHubFrame{Frame: &pb.PresenceHubFrame_Error{Error: code}})
	_ = s.st.SetWriteDeadline(time.Now().Add(errorWriteTimeout))
	if _, err := s.st.Write(frame); err != nil {
		_ = s.st.ResetWithError(StreamErrorCodeBase + network.StreamErrorCode(code))
		return
	}
	_ = s.st.Close()
}

// registeredUntil asks the registry until when the device is registered
// (unix ms; 0: not registered, or no registry).
func (hub *Hub) registeredUntil(account identity.AccountID, device uint32) (int64, error) {
	if hub.cfg.registry == nil {
		return 0, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), registryTimeout)
	defer cancel()
	until, err := hub.cfg.registry.RegisteredUntil(ctx, account, device)
	if err != nil || until.IsZero() {
		return 0, err
	}
	return until.UnixMilli(), nil
}

// stop ends the stream, if still open, and waits for the writer.
func (s *session) stop() {
	if s.markDead() {
		_ = s.st.Reset() // unblock a writer stuck on a peer that does not read
	} else {
		_ = s.st.Close()
	}
	s.wg.Wait()
}
