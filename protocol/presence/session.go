package presence

import (
	"errors"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-msgio"

	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/pb"
)

// maxQueued bounds the frames (welcome, query results) waiting to be written
// on one stream; the stream's reader stops reading queries beyond it.
const maxQueued = 256

// errorWriteTimeout bounds writing the error frame before closing a stream.
const errorWriteTimeout = time.Second

// session is one presence stream at the hub. Its reader is the stream
// handler's goroutine; a writer goroutine runs only while frames are
// waiting, so an idle stream costs one goroutine.
type session struct {
	hub     *Hub
	st      network.Stream
	account identity.AccountID // of the certificate in the hello

	lastFrame atomic.Int64 // unix ms of the last frame read
	announced bool         // the account was counted online; handler goroutine only

	subs map[identity.AccountID]struct{} // watched accounts; guarded by hub.mu

	mu      sync.Mutex // guards out, queued, dirty, writing and dead
	cond    sync.Cond  // on mu: signals room in out, or dead
	out     []byte     // encoded frames waiting to be written
	queued  int        // frames in out
	dirty   map[identity.AccountID]struct{}
	writing bool // a writer goroutine is running
	dead    bool // no more writes
	wg      sync.WaitGroup
}

func (hub *Hub) handle(st network.Stream) {
	if !hub.streams.Add(st) {
		_ = st.Reset()
		return
	}
	defer hub.streams.Done(st)
	if err := st.Scope().SetService(ServiceName); err != nil {
		_ = st.Reset()
		return
	}
	s := &session{hub: hub, st: st}
	s.cond.L = &s.mu
	code, timeout := s.serve()
	hub.leave(s, s.announced)
	log := hub.log.With("peer", st.Conn().RemotePeer())
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
	hub := s.hub
	r := msgio.NewVarintReaderSize(s.st, MaxClientFrameSize)
	read := func() (*pb.PresenceClientFrame, pb.ErrorCode, bool) {
		_ = s.st.SetReadDeadline(time.Now().Add(hub.cfg.timeout))
		b, err := r.ReadMsg()
		if err != nil {
			var ne net.Error
			switch {
			case errors.Is(err, msgio.ErrMsgTooLarge):
				return nil, pb.ErrorCode_TOO_LARGE, false
			case errors.As(err, &ne) && ne.Timeout():
				return nil, pb.ErrorCode_OK, true
			}
			return nil, pb.ErrorCode_OK, false // closed or reset by the peer
		}
		s.lastFrame.Store(time.Now().UnixMilli())
		f, err := DecodeClientFrame(b)
		r.ReleaseMsg(b)
		switch {
		case errors.Is(err, ErrTooLarge):
			return nil, pb.ErrorCode_TOO_LARGE, false
		case err != nil:
			return nil, pb.ErrorCode_MALFORMED, false
		}
		return f, pb.ErrorCode_OK, false
	}

	f, code, timeout := read()
	if f == nil {
		return code, timeout
	}
	hello := f.GetHello()
	if hello == nil {
		return pb.ErrorCode_MALFORMED, false
	}
	cert, err := identity.VerifyCertificate(hello.Certificate)
	switch {
	case errors.Is(err, identity.ErrTooLarge):
		return pb.ErrorCode_TOO_LARGE, false
	case errors.Is(err, identity.ErrMalformed):
		return pb.ErrorCode_MALFORMED, false
	case err != nil, cert.PeerID != s.st.Conn().RemotePeer():
		return pb.ErrorCode_UNKNOWN_SENDER, false
	}
	s.account = cert.Account
	if hello.Announce {
		hub.announce(s, privacyFromPB(hello.Privacy))
		s.announced = true
	}
	// After announcing: a welcomed device is online.
	s.queue(&pb.PresenceHubFrame{Frame: &pb.PresenceHubFrame_Welcome{Welcome: &pb.PresenceWelcome{
		HeartbeatMs: hub.cfg.heartbeat.Milliseconds(),
		TimeoutMs:   hub.cfg.timeout.Milliseconds(),
	}}})

	for {
		f, code, timeout := read()
		if f == nil {
			return code, timeout
		}
		switch x := f.Frame.(type) {
		case *pb.PresenceClientFrame_Heartbeat:
		case *pb.PresenceClientFrame_SetPrivacy:
			if !s.announced {
				return pb.ErrorCode_MALFORMED, false
			}
			hub.setPrivacy(s, privacyFromPB(x.SetPrivacy))
		case *pb.PresenceClientFrame_Query:
			info := hub.lookup(s, account(x.Query.Account))
			if !s.queue(&pb.PresenceHubFrame{Frame: &pb.PresenceHubFrame_Result{Result: &pb.PresenceQueryResult{
				RequestId: x.Query.RequestId,
				Info:      info,
			}}}) {
				return pb.ErrorCode_OK, false // the writer failed
			}
		case *pb.PresenceClientFrame_Subscribe:
			hub.subscribe(s, x.Subscribe.Accounts)
		default: // a second hello
			return pb.ErrorCode_MALFORMED, false
		}
	}
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
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.dead {
		return
	}
	if s.dirty == nil {
		s.dirty = make(map[identity.AccountID]struct{})
	}
	s.dirty[a] = struct{}{}
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
		s.mu.Lock()
		if s.dead || (s.queued == 0 && len(s.dirty) == 0) {
			s.writing = false
			if cap(s.out) > 4<<10 {
				s.out = nil // an idle stream keeps no big buffer
			}
			s.mu.Unlock()
			return
		}
		buf, s.out = s.out, spare[:0]
		s.queued = 0
		dirty := s.dirty
		s.dirty = nil
		s.cond.Broadcast()
		s.mu.Unlock()

		if len(dirty) > 0 {
			buf = s.hub.appendUpdates(buf, s, dirty)
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

// appendUpdates appends the current state of the dirty accounts s still
// watches.
func (hub *Hub) appendUpdates(buf []byte, s *session, dirty map[identity.AccountID]struct{}) []byte {
	hub.mu.RLock()
	defer hub.mu.RUnlock()
	for a := range dirty {
		if _, ok := s.subs[a]; !ok {
			continue
		}
		buf = appendFrame(buf, &pb.PresenceHubFrame{Frame: &pb.PresenceHubFrame_Update{
			Update: hub.accounts[a].info(a, s.account),
		}})
	}
	return buf
}

// markDead stops further writes and reports whether a writer is running.
func (s *session) markDead() (writing bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.dead = true
	s.dirty = nil
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

// stop ends the stream, if still open, and waits for the writer.
func (s *session) stop() {
	if s.markDead() {
		_ = s.st.Reset() // unblock a writer stuck on a peer that does not read
	} else {
		_ = s.st.Close()
	}
	s.wg.Wait()
}
