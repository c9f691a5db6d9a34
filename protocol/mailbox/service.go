package mailbox

import (
	"bufio"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"slices"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"
	"github.com/libp2p/go-msgio"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/protocol/streamset"
)

// ProtocolID is the libp2p protocol of the mailbox.
const ProtocolID protocol.ID = "/pigeon/mailbox/1"

// ServiceName is the resource manager service of the mailbox's streams.
const ServiceName = "pigeon.mailbox"

// IdleTimeout is how long a request stream may stay silent before the
// relay closes it. Subscribed streams have no idle timeout.
const IdleTimeout = time.Minute

// writeTimeout bounds writing one response.
const writeTimeout = 30 * time.Second

// maxLimiters bounds the per-peer prekey fetch limiters kept in memory; the
// map is cleared when it fills.
const maxLimiters = 10000

// Service is the relay side of the mailbox protocol.
type Service struct {
	h   host.Host
	st  Store
	key crypto.PrivKey
	cfg config
	log *slog.Logger

	ctx    context.Context // cancelled by Close; bounds store calls
	cancel context.CancelFunc

	streams streamset.Set

	fetches   *limiters // prekey fetches per requesting peer
	deposits  *limiters // deposits per sending peer
	strangers *strangers

	// Lock order: mu, then subscription.mu; strangers.mu and the
	// limiters' locks are taken alone.
	mu     sync.Mutex              // guards subs and closed
	subs   map[Box][]*subscription // a box has one, or a few while a device re-subscribes
	closed bool
}

// NewService serves ProtocolID on h, storing in st and signing custody
// receipts with key, which must be h's peer key.
func NewService(h host.Host, st Store, key crypto.PrivKey, opts ...Option) (*Service, error) {
	cfg := config{
		log:          slog.New(slog.DiscardHandler),
		quota:        Quota{MaxCount: DefaultMaxCount, MaxBytes: DefaultMaxBytes},
		maxEnvelope:  MaxEnvelopeSize,
		refillBelow:  DefaultRefillThreshold,
		maxPreKeys:   DefaultMaxPreKeys,
		maxRegTTL:    DefaultMaxRegistrationTTL,
		pageSize:     DefaultPageSize,
		fetchRate:    DefaultPreKeyFetchRate,
		fetchBurst:   DefaultPreKeyFetchBurst,
		storedForTTL: 30 * 24 * time.Hour,
		strangerPeer: Quota{MaxCount: DefaultStrangerCount, MaxBytes: DefaultStrangerBytes},
		depositRate:  DefaultDepositRate,
		depositBurst: DefaultDepositBurst,
		set:          map[string]bool{},
	}
	for _, o := range opts {
		if err := o(&cfg); err != nil {
			return nil, fmt.Errorf("new mailbox service: %w", err)
		}
	}
	if cfg.strangerAll != nil {
		cfg.quota.StrangerCount, cfg.quota.StrangerBytes = cfg.strangerAll.MaxCount, cfg.strangerAll.MaxBytes
	} else {
		cfg.quota.StrangerCount, cfg.quota.StrangerBytes = cfg.quota.MaxCount/4, cfg.quota.MaxBytes/4
	}
	if key == nil || !h.ID().MatchesPrivateKey(key) {
		return nil, fmt.Errorf("new mailbox service: %w: key is not the host's", ErrWrongPeer)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Service{
		h: h, st: st, key: key, cfg: cfg, log: cfg.log.With("subsystem", "mailbox"),
		ctx: ctx, cancel: cancel,
		subs:      make(map[Box][]*subscription),
		fetches:   newLimiters(cfg.fetchRate, cfg.fetchBurst),
		deposits:  newLimiters(cfg.depositRate, cfg.depositBurst),
		strangers: newStrangers(cfg.strangerPeer),
	}
	h.SetStreamHandler(ProtocolID, s.handle)
	return s, nil
}

// Close removes the handler, ends every stream and waits for their
// goroutines. It may be called more than once.
func (s *Service) Close() {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.h.RemoveStreamHandler(ProtocolID)
	s.cancel()
	s.streams.Close()
}

func (s *Service) handle(st network.Stream) {
	if !s.streams.Add(st) {
		_ = st.Reset()
		return
	}
	kept := false // a subscription outlives this handler and calls Done itself
	defer func() {
		if !kept {
			s.streams.Done(st)
		}
	}()
	if err := st.Scope().SetService(ServiceName); err != nil {
		_ = st.Reset()
		return
	}
	from := st.Conn().RemotePeer()
	br := bufio.NewReaderSize(st, 8<<10)
	r := msgio.NewVarintReaderSize(br, MaxRequestSize)
	bw := bufio.NewWriterSize(st, 8<<10)
	w := msgio.NewVarintWriter(bw)
	for {
		_ = st.SetReadDeadline(time.Now().Add(IdleTimeout))
		frame, err := r.ReadMsg()
		if err != nil {
			switch {
			case errors.Is(err, io.EOF):
				_ = st.Close()
			case errors.Is(err, msgio.ErrMsgTooLarge):
				s.fatal(st, w, bw, pb.ErrorCode_TOO_LARGE)
			default:
				_ = st.Reset()
			}
			return
		}
		req, err := DecodeRequest(frame)
		r.ReleaseMsg(frame)
		if err != nil {
			code, _ := codeFor(err)
			s.log.Debug("mailbox request rejected", "peer", from, "code", code)
			s.fatal(st, w, bw, code)
			return
		}
		if sub := req.GetSubscribe(); sub != nil {
			// Bytes after the request end the subscription at once (the
			// client sends nothing else).
			kept = s.subscribe(st, from, sub, br.Buffered() > 0)
			return
		}
		resp := s.serve(from, req)
		if resp.Code != pb.ErrorCode_OK || resp.Error != pb.MailboxError_MAILBOX_ERROR_NONE {
			s.log.Debug("mailbox request refused", "peer", from, "code", resp.Code, "error", resp.Error)
		}
		if err := writeResponse(st, w, bw, resp); err != nil {
			_ = st.Reset()
			return
		}
	}
}

func writeResponse(st network.Stream, w msgio.Writer, bw *bufio.Writer, resp *pb.MailboxResponse) error {
	b, err := proto.Marshal(resp)
	if err != nil {
		return err
	}
	_ = st.SetWriteDeadline(time.Now().Add(writeTimeout))
	if err := w.WriteMsg(b); err != nil {
		return err
	}
	return bw.Flush()
}

// fatal answers a bad frame with code and ends the stream.
func (s *Service) fatal(st network.Stream, w msgio.Writer, bw *bufio.Writer, code pb.ErrorCode) {
	if writeResponse(st, w, bw, &pb.MailboxResponse{Code: code}) != nil {
		_ = st.ResetWithError(StreamErrorCodeBase + network.StreamErrorCode(code))
		return
	}
	_ = st.Close()
}

func errorResponse(err error) *pb.MailboxResponse {
	code, merr := codeFor(err)
	return &pb.MailboxResponse{Code: code, Error: merr}
}

func (s *Service) serve(from peer.ID, req *pb.MailboxRequest) *pb.MailboxResponse {
	var resp *pb.MailboxResponse
	var err error
	switch m := req.Body.(type) {
	case *pb.MailboxRequest_Register:
		resp, err = s.register(from, m.Register)
	case *pb.MailboxRequest_Deposit:
		resp, err = s.deposit(from, m.Deposit)
	case *pb.MailboxRequest_Drain:
		resp, err = s.drain(from, m.Drain)
	case *pb.MailboxRequest_Ack:
		resp, err = s.ack(from, m.Ack)
	case *pb.MailboxRequest_UploadPrekeys:
		resp, err = s.uploadPreKeys(from, m.UploadPrekeys)
	case *pb.MailboxRequest_FetchPrekey:
		resp, err = s.fetchPreKey(from, m.FetchPrekey)
	case *pb.MailboxRequest_Follow:
		resp, err = s.follow(from, m.Follow)
	case *pb.MailboxRequest_Close:
		resp, err = s.closeBox(from, m.Close)
	default:
		err = ErrMalformed
	}
	if err != nil {
		if code, _ := codeFor(err); code == pb.ErrorCode_INTERNAL {
			s.log.Warn("mailbox store failed", "err", err)
		}
		return errorResponse(err)
	}
	return resp
}

func (s *Service) register(from peer.ID, m *pb.MailboxRegister) (*pb.MailboxResponse, error) {
	reg, err := VerifyRegistration(m, s.h.ID())
	if err != nil {
		return nil, err
	}
	if reg.PeerID != from {
		return nil, ErrWrongPeer
	}
	now := time.Now()
	if !reg.ExpiresAt.After(now) || reg.ExpiresAt.After(now.Add(s.cfg.maxRegTTL)) {
		return nil, ErrExpired
	}
	if s.cfg.admit != nil {
		if err := s.cfg.admit(reg); err != nil {
			return nil, err
		}
	}
	push := s.checkPush(&reg)
	if err := s.st.Register(s.ctx, reg); err != nil {
		return nil, err
	}
	left, err := s.st.PreKeysLeft(s.ctx, reg.Box)
	if err != nil {
		return nil, err
	}
	return &pb.MailboxResponse{Body: &pb.MailboxResponse_Registered{Registered: &pb.MailboxRegistered{
		ExpiresAtMs:   reg.ExpiresAt.UnixMilli(),
		PrekeysLeft:   uint32(left),
		RefillPrekeys: left < s.cfg.refillBelow,
		MaxCount:      uint32(s.cfg.quota.MaxCount),
		MaxBytes:      uint64(s.cfg.quota.MaxBytes),
		TtlMs:         s.cfg.storedForTTL.Milliseconds(),
		Region:        s.cfg.region,
		Push:          push,
	}}}, nil
}

func (s *Service) deposit(from peer.ID, m *pb.MailboxDeposit) (*pb.MailboxResponse, error) {
	box, err := checkBox(m.Account, m.Device)
	if err != nil {
		return nil, err
	}
	if len(m.Envelope) > s.cfg.maxEnvelope {
		return nil, fmt.Errorf("%w: envelope of %d bytes", ErrTooLarge, len(m.Envelope))
	}
	if !s.deposits.allow(from) {
		return nil, ErrRateLimited
	}
	d := NewDeposit{Box: box, Envelope: m.Envelope, ListVersion: m.ListVersion, TTL: depositTTL(m.TtlMs)}
	copy(d.ID[:], m.DepositId)
	id := d.ID
	if len(m.Credential) == CredentialSize {
		k := CredentialKey([CredentialSize]byte(m.Credential))
		d.CredentialKey = &k
	}
	// Room in the sender's own stranger quota is taken before the Store
	// says whether the deposit needs it (its credential may be invalid),
	// and given back after.
	size := int64(len(m.Envelope))
	d.StrangerAllowed = s.strangers.reserve(box, from, size)
	stored, err := s.st.Deposit(s.ctx, d, s.cfg.quota)
	if d.StrangerAllowed {
		s.strangers.settle(box, from, id, size, err == nil && stored.Stranger && !stored.Duplicate)
	}
	if err != nil {
		return nil, err
	}
	if len(m.Pins) > 0 && s.cfg.pins != nil {
		s.cfg.pins(box, id, m.Pins, stored.StoredUntil)
	}
	r := &CustodyReceipt{Relay: s.h.ID(), Box: box, DepositID: id, EnvelopeHash: sha256.Sum256(m.Envelope), StoredUntil: stored.StoredUntil}
	if err := signReceipt(s.key, r); err != nil {
		return nil, err
	}
	if !stored.Duplicate && !s.notify(box) && !stored.Quiet && s.cfg.wake != nil {
		// Nobody is subscribed: the device is away. Wake it if it asked
		// (and did not mute the sender: a quiet credential).
		if reg, err := s.st.Registration(s.ctx, box); err == nil && len(reg.Push) > 0 {
			s.cfg.wake(box, reg.Push)
		}
	}
	return &pb.MailboxResponse{Body: &pb.MailboxResponse_Receipt{Receipt: r.Signed}}, nil
}

// auth checks that from is the live registered device of box.
func (s *Service) auth(from peer.ID, account []byte, device uint32) (Box, error) {
	box, err := checkBox(account, device)
	if err != nil {
		return box, err
	}
	reg, err := s.st.Registration(s.ctx, box)
	if err != nil {
		return box, err
	}
	if !reg.ExpiresAt.After(time.Now()) {
		return box, ErrNotRegistered
	}
	if reg.PeerID != from {
		return box, ErrWrongPeer
	}
	return box, nil
}

func (s *Service) page(box Box, after uint64, max int) (*pb.MailboxItems, error) {
	if max <= 0 || max > s.cfg.pageSize {
		max = s.cfg.pageSize
	}
	items, more, err := s.st.Fetch(s.ctx, box, after, max, MaxPageBytes)
	if err != nil {
		return nil, err
	}
	left, err := s.st.PreKeysLeft(s.ctx, box)
	if err != nil {
		return nil, err
	}
	out := &pb.MailboxItems{Items: make([]*pb.MailboxItem, len(items)), More: more,
		PrekeysLeft: uint32(left), RefillPrekeys: left < s.cfg.refillBelow}
	for i, it := range items {
		out.Items[i] = &pb.MailboxItem{Seq: it.Seq, DepositId: it.ID[:], Envelope: it.Envelope,
			DepositedAtMs: it.DepositedAt.UnixMilli(), StoredUntilMs: it.StoredUntil.UnixMilli()}
	}
	return out, nil
}

func (s *Service) drain(from peer.ID, m *pb.MailboxDrain) (*pb.MailboxResponse, error) {
	box, err := s.auth(from, m.Account, m.Device)
	if err != nil {
		return nil, err
	}
	items, err := s.page(box, m.AfterSeq, int(m.Max))
	if err != nil {
		return nil, err
	}
	return &pb.MailboxResponse{Body: &pb.MailboxResponse_Items{Items: items}}, nil
}

func (s *Service) ack(from peer.ID, m *pb.MailboxAck) (*pb.MailboxResponse, error) {
	box, err := s.auth(from, m.Account, m.Device)
	if err != nil {
		return nil, err
	}
	ids := make([]DepositID, len(m.DepositIds))
	for i, id := range m.DepositIds {
		copy(ids[i][:], id)
	}
	n, err := s.st.Ack(s.ctx, box, ids)
	if err != nil {
		return nil, err
	}
	s.strangers.release(box, ids)
	if s.cfg.acked != nil {
		s.cfg.acked(box, ids)
	}
	return &pb.MailboxResponse{Body: &pb.MailboxResponse_Acked{Acked: &pb.MailboxAcked{Removed: uint32(n)}}}, nil
}

func (s *Service) uploadPreKeys(from peer.ID, m *pb.MailboxUploadPreKeys) (*pb.MailboxResponse, error) {
	box, err := s.auth(from, m.Account, m.Device)
	if err != nil {
		return nil, err
	}
	pks := make([]PreKey, len(m.OneTime))
	for i, pk := range m.OneTime {
		pks[i] = PreKey{ID: pk.Id, Bundle: pk.Bundle}
	}
	left, err := s.st.PutPreKeys(s.ctx, box, pks, m.SignedBundle, m.Replace, s.cfg.maxPreKeys)
	if err != nil {
		return nil, err
	}
	return &pb.MailboxResponse{Body: &pb.MailboxResponse_PrekeysStored{PrekeysStored: &pb.MailboxPreKeysStored{PrekeysLeft: uint32(left)}}}, nil
}

func (s *Service) fetchPreKey(from peer.ID, m *pb.MailboxFetchPreKey) (*pb.MailboxResponse, error) {
	box, err := checkBox(m.Account, m.Device)
	if err != nil {
		return nil, err
	}
	if !s.fetches.allow(from) {
		return nil, ErrRateLimited
	}
	pk, oneTime, err := s.st.TakePreKey(s.ctx, box)
	if err != nil {
		return nil, err
	}
	return &pb.MailboxResponse{Body: &pb.MailboxResponse_Prekey{Prekey: &pb.MailboxPreKey{Bundle: pk.Bundle, PrekeyId: pk.ID, OneTime: oneTime}}}, nil
}

// closeBox closes the sender's box at this relay: deposits are refused
// with MAILBOX_CLOSED until it registers again.
func (s *Service) closeBox(from peer.ID, m *pb.MailboxClose) (*pb.MailboxResponse, error) {
	c, err := VerifyClosing(m, s.h.ID())
	if err != nil {
		return nil, err
	}
	if c.PeerID != from {
		return nil, ErrWrongPeer
	}
	c.Until = time.Now().Add(DefaultClosedTTL)
	dropped, err := s.st.CloseBox(s.ctx, c)
	if err != nil {
		return nil, err
	}
	s.strangers.drop(c.Box)
	if s.cfg.acked != nil && len(dropped) > 0 {
		s.cfg.acked(c.Box, dropped) // their media copies go too
	}
	if s.cfg.follow != nil {
		if err := s.cfg.follow(c.Box, nil, nil); err != nil {
			s.log.Warn("stop following a closed box's groups", "err", err)
		}
	}
	s.log.Debug("mailbox closed", "peer", from, "dropped", len(dropped))
	return &pb.MailboxResponse{Body: &pb.MailboxResponse_Closed{Closed: &pb.MailboxClosed{Dropped: uint32(len(dropped))}}}, nil
}

func (s *Service) follow(from peer.ID, m *pb.MailboxFollow) (*pb.MailboxResponse, error) {
	if s.cfg.follow == nil {
		return nil, ErrUnsupported
	}
	box, err := s.auth(from, m.Account, m.Device)
	if err != nil {
		return nil, err
	}
	topics := make([][32]byte, len(m.Topics))
	for i, t := range m.Topics {
		topics[i] = [32]byte(t)
	}
	var quiet [][32]byte
	for _, t := range m.QuietTopics {
		if len(t) != 32 || !slices.Contains(topics, [32]byte(t)) {
			return nil, fmt.Errorf("%w: a quiet topic it does not follow", ErrMalformed)
		}
		quiet = append(quiet, [32]byte(t))
	}
	if err := s.cfg.follow(box, topics, quiet); err != nil {
		return nil, err
	}
	return &pb.MailboxResponse{Body: &pb.MailboxResponse_Followed{Followed: &pb.MailboxFollowed{Topics: uint32(len(topics))}}}, nil
}

// KeepOptions says how Keep keeps a group message.
type KeepOptions struct {
	// TTL, when positive, keeps it at most that long (a disappearing
	// message; see NewDeposit.TTL).
	TTL time.Duration
	// Quiet keeps it without waking the device (a topic it muted).
	Quiet bool
}

// GroupItemMarker starts the envelope of every item a relay keeps from a
// group topic (Keep): the marker byte, then the payload as published. Sealed
// 1:1 envelopes start with their version byte (1), so a device tells the
// two apart.
const GroupItemMarker = 'G'

// Keep queues env for box as a deposit made by the relay itself (group
// messages it received on a topic the box follows), waking the box's
// subscribers, or its push endpoint when it has none. A deposit ID already
// queued for the box is not stored again. There is no custody receipt: the
// relay is the depositor.
func (s *Service) Keep(box Box, id DepositID, env []byte, o KeepOptions) error {
	if len(env) == 0 || len(env) > s.cfg.maxEnvelope {
		return fmt.Errorf("keep: %w: envelope of %d bytes", ErrTooLarge, len(env))
	}
	stored, err := s.st.Deposit(s.ctx, NewDeposit{Box: box, ID: id, Envelope: env, Kept: true, TTL: o.TTL}, s.cfg.quota)
	if err != nil {
		return fmt.Errorf("keep: %w", err)
	}
	if !stored.Duplicate && !s.notify(box) && !o.Quiet && s.cfg.wake != nil {
		if reg, err := s.st.Registration(s.ctx, box); err == nil && len(reg.Push) > 0 {
			s.cfg.wake(box, reg.Push)
		}
	}
	return nil
}

// depositTTL turns a deposit's ttl_ms into NewDeposit.TTL: at least a
// second (the stores' TTLs count whole seconds), 0 when unset, and no
// overflow for absurd values (the store's own TTL caps it anyway).
func depositTTL(ms uint64) time.Duration {
	switch {
	case ms == 0:
		return 0
	case ms > uint64(math.MaxInt64/int64(time.Millisecond)):
		return math.MaxInt64
	}
	return max(time.Duration(ms)*time.Millisecond, time.Second)
}
