package media

import (
	"bufio"
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"

	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/protocol/streamset"
)

// PinProtocol is the libp2p protocol by which a sender asks a relay to
// keep a copy of a DAG for a device registered there.
const PinProtocol protocol.ID = "/pigeon/pin/1"

// PinRequest is a pin request as the relay sees it.
type PinRequest struct {
	From    peer.ID // the requesting peer, which the relay fetches from
	Root    cid.Cid
	Account [32]byte // the registered device the copy is for
	Device  uint32
	Size    uint64 // ciphertext bytes the requester announces
	// Own: a copy of the requester's own file (one it sent to a group) for
	// its own box; the store checks that From is that box's device.
	Own bool
}

// PinStore is what a pin service needs from the relay.
type PinStore interface {
	// AllowPin checks that req may be served (the box is registered, the
	// account's quota has room) and returns when the pin would expire.
	// Refusals wrap ErrRefused or ErrQuota.
	AllowPin(ctx context.Context, req PinRequest) (until time.Time, err error)
	// CommitPin records the pin once every block of the DAG is stored.
	CommitPin(ctx context.Context, req PinRequest, until time.Time) error
}

// pinReadTimeout bounds reading a pin request.
const pinReadTimeout = 30 * time.Second

// MinPinRate is the slowest transfer a pin fetch is given time for: a pin
// of n bytes may take n/MinPinRate plus a minute.
const MinPinRate = 256 << 10

// PinService is the relay side of PinProtocol.
type PinService struct {
	h         host.Host
	bs        Blocks
	store     PinStore
	collector *Collector
	log       *slog.Logger
	streams   streamset.Set
	ctx       context.Context
	cancel    context.CancelFunc
}

// NewPinService serves PinProtocol on h until Close: it fetches requested
// DAGs into bs (guarded by collector while in progress) and records them
// in store.
func NewPinService(h host.Host, bs Blocks, store PinStore, collector *Collector, log *slog.Logger) *PinService {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &PinService{h: h, bs: bs, store: store, collector: collector, log: log, ctx: ctx, cancel: cancel}
	h.SetStreamHandler(PinProtocol, s.handle)
	return s
}

// Close removes the handler, ends the open pins and waits for them. It may
// be called more than once.
func (s *PinService) Close() {
	s.h.RemoveStreamHandler(PinProtocol)
	s.cancel()
	s.streams.Close()
}

func (s *PinService) handle(st network.Stream) {
	if !s.streams.Add(st) {
		_ = st.Reset()
		return
	}
	defer s.streams.Done(st)
	if err := st.Scope().SetService("pigeon.pin"); err != nil {
		_ = st.Reset()
		return
	}
	_ = st.SetReadDeadline(time.Now().Add(pinReadTimeout))
	br := bufio.NewReaderSize(st, 512)
	bw := bufio.NewWriterSize(st, 512)
	frame, err := readFrame(br, nil, MaxPinFrame)
	if err != nil {
		_ = st.Reset()
		return
	}
	raw, root, err := DecodePinRequest(frame)
	resp := &pb.PinResponse{}
	if err == nil {
		req := PinRequest{From: st.Conn().RemotePeer(), Root: root, Device: raw.Device, Size: raw.Size, Own: raw.Own}
		copy(req.Account[:], raw.Account)
		var until time.Time
		until, err = s.pin(req)
		if err == nil {
			resp.ExpiresAtMs = until.UnixMilli()
		}
	}
	if err != nil {
		s.log.Debug("pin refused", "peer", st.Conn().RemotePeer(), "err", err)
		resp.Status = statusFor(err)
	}
	_ = st.SetWriteDeadline(time.Now().Add(writeTimeout))
	if writeFrame(bw, resp) != nil || bw.Flush() != nil {
		_ = st.Reset()
		return
	}
	_ = st.Close()
}

// pin checks, fetches and records one pin.
func (s *PinService) pin(req PinRequest) (time.Time, error) {
	until, err := s.store.AllowPin(s.ctx, req)
	if err != nil {
		return time.Time{}, err
	}
	ctx, cancel := context.WithTimeout(s.ctx, time.Minute+time.Duration(req.Size/MinPinRate)*time.Second)
	defer cancel()
	guard := s.collector.Guard()
	defer guard.Release() // after CommitPin: the pin keeps the blocks from then on
	err = Fetch(ctx, s.h, s.bs, req.Root, req.Size, FetchOptions{Providers: []peer.ID{req.From}, Guard: guard})
	if err != nil {
		return time.Time{}, fmt.Errorf("%w: %w", ErrFetchFailed, err)
	}
	if err := s.store.CommitPin(s.ctx, req, until); err != nil {
		return time.Time{}, err
	}
	return until, nil
}

// Pin asks relay to keep a copy of the DAG under root (of size ciphertext
// bytes) for the device (account, device) registered there. The relay
// fetches the blocks from h over BlocksProtocol before it answers, so h
// must serve them; Pin returns when the copy is complete, with the time
// the pin expires unless a deposit naming root extends it.
func Pin(ctx context.Context, h host.Host, relay peer.ID, root cid.Cid, account [32]byte, device uint32, size uint64) (time.Time, error) {
	return pin(ctx, h, relay, &pb.PinRequest{Root: root.Bytes(), Account: account[:], Device: device, Size: size})
}

// PinOwn asks relay to keep a copy of a file h sent to a group, for h's
// own box (account, device) there, so that members fetch it while h is
// away. Such a pin lasts as long as the relay keeps deposits; only the
// box's device may ask for it.
func PinOwn(ctx context.Context, h host.Host, relay peer.ID, root cid.Cid, account [32]byte, device uint32, size uint64) (time.Time, error) {
	return pin(ctx, h, relay, &pb.PinRequest{Root: root.Bytes(), Account: account[:], Device: device, Size: size, Own: true})
}

func pin(ctx context.Context, h host.Host, relay peer.ID, req *pb.PinRequest) (time.Time, error) {
	const op = "pin"
	octx, cancel := context.WithTimeout(ctx, openTimeout)
	s, err := h.NewStream(octx, relay, PinProtocol)
	cancel()
	if err != nil {
		return time.Time{}, fmt.Errorf("%s: %w", op, err)
	}
	stop := context.AfterFunc(ctx, func() { _ = s.Reset() })
	defer stop()
	bw := bufio.NewWriterSize(s, 512)
	if err := writeFrame(bw, req); err != nil || bw.Flush() != nil {
		_ = s.Reset()
		return time.Time{}, fmt.Errorf("%s: send request: %w", op, cmpErr(err, ctx.Err()))
	}
	_ = s.CloseWrite()
	frame, err := readFrame(bufio.NewReaderSize(s, 512), nil, MaxPinFrame)
	if err != nil {
		_ = s.Reset()
		if ctx.Err() != nil {
			err = ctx.Err()
		}
		return time.Time{}, fmt.Errorf("%s: read response: %w", op, err)
	}
	_ = s.Close()
	resp, err := DecodePinResponse(frame)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s: %w", op, err)
	}
	if err := statusError(resp.Status); err != nil {
		return time.Time{}, fmt.Errorf("%s: relay answered: %w", op, err)
	}
	return time.UnixMilli(resp.ExpiresAtMs), nil
}

func cmpErr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}
