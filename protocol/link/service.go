package link

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"
	"github.com/libp2p/go-msgio"

	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/protocol/streamset"
)

// ProtocolID is the libp2p protocol of device linking.
const ProtocolID protocol.ID = "/pigeon/link/1"

// Deadlines of the protocol. The wait for the user's answer is bounded by
// the code's expiry instead.
const (
	// HelloTimeout bounds the wait for a new device's hello once its stream
	// is open.
	HelloTimeout = 30 * time.Second
	// AnswerTimeout bounds the new device's wait for the first answer to
	// its hello, and each side's writes.
	AnswerTimeout = 30 * time.Second
	// DialTimeout bounds the new device's dial and stream negotiation.
	DialTimeout = 30 * time.Second
	// MaxStreams bounds the link streams a device serves at once, and
	// MaxStreamsPerPeer those of one peer; more are refused as busy. A
	// peer that holds its streams open without a word (until HelloTimeout)
	// then blocks only itself, not a new device linking meanwhile.
	MaxStreams        = 16
	MaxStreamsPerPeer = 2
)

// StreamErrorCodeBase plus a pb.LinkStatus resets a link stream when the
// refusal with that status could not be written. Media uses 0x60000, the
// protocols with pb.ErrorCode 0x50000.
const StreamErrorCodeBase network.StreamErrorCode = 0x70000

// Option configures a Service.
type Option func(*config) error

type config struct {
	log *slog.Logger
}

// WithLogger sets the service's logger (default: discard).
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		if c.log != nil {
			return fmt.Errorf("WithLogger: %w", ErrOptionTwice)
		}
		c.log = l
		return nil
	}
}

// Service serves ProtocolID on an existing device that holds the account
// key: it answers new devices that present a code of its Offers.
type Service struct {
	h       host.Host
	offers  *Offers
	confirm ConfirmFunc
	log     *slog.Logger

	ctx    context.Context // cancelled by Close; bounds confirmations
	cancel context.CancelFunc

	mu      sync.Mutex // a leaf; guards serving and byPeer
	serving int        // streams being served, at most MaxStreams
	byPeer  map[peer.ID]int

	streams   streamset.Set
	closeOnce sync.Once
}

// NewService registers the link handler on h. A new device presenting a
// code held by offers is confirmed with confirm.
func NewService(h host.Host, offers *Offers, confirm ConfirmFunc, opts ...Option) (*Service, error) {
	var cfg config
	for _, o := range opts {
		if err := o(&cfg); err != nil {
			return nil, fmt.Errorf("new link service: %w", err)
		}
	}
	if cfg.log == nil {
		cfg.log = slog.New(slog.DiscardHandler)
	}
	if offers == nil || confirm == nil {
		return nil, errors.New("new link service: offers and confirm are required")
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Service{
		h: h, offers: offers, confirm: confirm, log: cfg.log.With("subsystem", "link"),
		ctx: ctx, cancel: cancel,
		byPeer: make(map[peer.ID]int),
	}
	h.SetStreamHandler(ProtocolID, s.handle)
	return s, nil
}

// Close removes the handler, ends the confirmations under way (their
// offers stay open) and waits for every stream handler. A second Close
// returns ErrClosed.
func (s *Service) Close() error {
	err := ErrClosed
	s.closeOnce.Do(func() {
		err = nil
		s.h.RemoveStreamHandler(ProtocolID)
		s.cancel()
		s.streams.Close()
	})
	return err
}

func (s *Service) handle(st network.Stream) {
	if !s.streams.Add(st) {
		_ = st.Reset()
		return
	}
	defer s.streams.Done(st)
	if err := st.Scope().SetService("pigeon.link"); err != nil {
		_ = st.Reset()
		return
	}
	from := st.Conn().RemotePeer()
	log := s.log.With("peer", from)
	w := msgio.NewVarintWriter(st)
	if !s.take(from) {
		log.Info("link request refused: too many at once")
		s.refuse(st, w, pb.LinkStatus_LINK_BUSY)
		return
	}
	defer s.give(from)

	_ = st.SetReadDeadline(time.Now().Add(HelloTimeout))
	// Unbuffered: msgio reads no further than the frame, so anything more
	// the new device sends reaches the watcher in serveClaimed.
	r := msgio.NewVarintReaderSize(st, MaxHelloSize)
	frame, err := r.ReadMsg()
	if errors.Is(err, msgio.ErrMsgTooLarge) {
		log.Debug("link hello too large")
		s.refuse(st, w, pb.LinkStatus_LINK_TOO_LARGE)
		return
	}
	if err != nil {
		_ = st.Reset()
		return
	}
	hello, err := decodeHello(frame)
	if err != nil {
		log.Debug("link hello rejected", "err", err)
		status := pb.LinkStatus_LINK_MALFORMED
		if errors.Is(err, ErrTooLarge) {
			status = pb.LinkStatus_LINK_TOO_LARGE
		}
		s.refuse(st, w, status)
		return
	}
	t := &transcript{
		server:    s.h.ID(),
		client:    from,
		signalKey: hello.GetSignalIdentityKey(),
		name:      hello.GetName(),
		platform:  hello.GetPlatform(),
	}
	id := offerID(hello.GetOffer())
	code, status := s.offers.claim(id, hello.GetProof(), t)
	if status != pb.LinkStatus_LINK_STATUS_NONE {
		log.Info("link request refused", "status", status)
		s.refuse(st, w, status)
		return
	}
	s.serveClaimed(st, w, log, id, code, t)
}

// take counts a stream of p as served, unless the service or p has as
// many as it may.
func (s *Service) take(p peer.ID) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.serving >= MaxStreams || s.byPeer[p] >= MaxStreamsPerPeer {
		return false
	}
	s.serving++
	s.byPeer[p]++
	return true
}

// give ends what take counted.
func (s *Service) give(p peer.ID) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.serving--
	if s.byPeer[p]--; s.byPeer[p] == 0 {
		delete(s.byPeer, p)
	}
}

// serveClaimed confirms a hello whose proof verified and answers it. The
// offer id is claimed: it ends used, or released when the user gave no
// answer.
func (s *Service) serveClaimed(st network.Stream, w msgio.Writer, log *slog.Logger, id offerID, code Code, t *transcript) {
	defer s.offers.release(id) // a no-op once used
	_ = st.SetWriteDeadline(time.Now().Add(AnswerTimeout))
	if err := w.WriteMsg(marshalFrame(&pb.LinkServerFrame{Frame: &pb.LinkServerFrame_Pending{Pending: &pb.LinkPending{}}})); err != nil {
		_ = st.Reset()
		return
	}

	// The user may take minutes: wait at most until the code expires, and
	// stop when the new device goes away (its stream ends, breaks or
	// carries anything more).
	wait := code.Expires.Sub(s.offers.now())
	ctx, cancel := context.WithTimeout(s.ctx, wait)
	defer cancel()
	_ = st.SetReadDeadline(time.Now().Add(wait + AnswerTimeout))
	gone := make(chan struct{})
	watched := make(chan struct{})
	go func() {
		defer close(watched)
		var b [1]byte
		if _, err := st.Read(b[:]); !isTimeout(err) {
			close(gone)
			cancel()
		}
	}()

	req := Request{
		Account:   code.Account,
		Peer:      t.client,
		SignalKey: t.signalKey,
		Name:      t.name,
		Platform:  t.platform,
		SAS:       t.sas(&code.Secret),
	}
	log.Info("link request", "account", code.Account.Short(), "name", req.Name, "platform", req.Platform)
	grant, err := s.confirm(ctx, req)
	_ = st.SetReadDeadline(time.Now()) // stop the watcher
	<-watched
	select {
	case <-gone:
		if err == nil {
			s.offers.use(id)
			log.Warn("link granted but the new device went away before the answer", "device", grant.DeviceID)
		} else {
			log.Info("link request abandoned by the new device", "err", err)
		}
		_ = st.Reset()
		return
	default:
	}
	if err != nil {
		var status pb.LinkStatus
		switch {
		case errors.Is(err, ErrDeclined):
			s.offers.use(id)
			status = pb.LinkStatus_LINK_DECLINED
			log.Info("link request declined")
		case s.ctx.Err() != nil:
			_ = st.Reset()
			return
		case errors.Is(ctx.Err(), context.DeadlineExceeded) || code.Expired(s.offers.now()):
			status = pb.LinkStatus_LINK_EXPIRED
			log.Info("link request expired before an answer")
		default:
			status = pb.LinkStatus_LINK_INTERNAL
			log.Error("link confirmation failed", "err", err)
		}
		s.refuse(st, w, status)
		return
	}
	s.offers.use(id)
	if _, err := verifyGrant(code.Account, t.client, t.signalKey, &grant); err != nil {
		// A bug of the ConfirmFunc: say so here, where it can be fixed.
		log.Error("link grant does not verify", "err", err)
		s.refuse(st, w, pb.LinkStatus_LINK_INTERNAL)
		return
	}
	frame := &pb.LinkServerFrame{Frame: &pb.LinkServerFrame_Grant{Grant: &pb.LinkGrant{
		DeviceId:    grant.DeviceID,
		Certificate: grant.Certificate,
		DeviceList:  grant.DeviceList,
		Mac:         t.grantMAC(&code.Secret, &grant),
	}}}
	_ = st.SetWriteDeadline(time.Now().Add(AnswerTimeout))
	if err := w.WriteMsg(marshalFrame(frame)); err != nil {
		log.Warn("link granted but the answer could not be sent", "device", grant.DeviceID, "err", err)
		_ = st.Reset()
		return
	}
	log.Info("device linked", "device", grant.DeviceID)
	_ = st.Close()
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// refuse writes a refusal and closes the stream; if the refusal cannot be
// written the stream is reset with StreamErrorCodeBase + status.
func (s *Service) refuse(st network.Stream, w msgio.Writer, status pb.LinkStatus) {
	_ = st.SetWriteDeadline(time.Now().Add(AnswerTimeout))
	if err := w.WriteMsg(marshalFrame(&pb.LinkServerFrame{Frame: &pb.LinkServerFrame_Refused{Refused: status}})); err != nil {
		_ = st.ResetWithError(StreamErrorCodeBase + network.StreamErrorCode(status))
		return
	}
	_ = st.Close()
}
