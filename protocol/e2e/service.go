package e2e

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"
	"github.com/libp2p/go-msgio"
	"github.com/libp2p/go-msgio/pbio"

	"github.com/pigeon-net/pigeon/protocol/pb"
)

// PreKeyProtocol is the stream protocol that hands out prekey bundles. The
// client sends one varint-delimited pb.PreKeyRequest, the server answers
// with one pb.PreKeyResponse and closes the stream.
const PreKeyProtocol protocol.ID = "/pigeon/prekey/1"

const (
	serviceName   = "pigeon.prekey"
	streamTimeout = 10 * time.Second
)

// Serve registers the PreKeyProtocol handler on h. Call Stop to remove it.
// Calling Serve again, or after Stop, does nothing.
//
// Each remote peer may fetch 10 bundles at once, then one every 6 seconds;
// requests over the limit are answered RATE_LIMITED (see peerLimiter).
func (m *Manager) Serve(h host.Host) {
	m.serve(h, newPeerLimiter(preKeyBurst, preKeyEvery, maxLimitedPeers, nil))
}

// serve is Serve with the rate limiter given.
func (m *Manager) serve(h host.Host, lim *peerLimiter) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.host != nil || m.stopped {
		return
	}
	m.host = h
	h.SetStreamHandler(PreKeyProtocol, func(s network.Stream) { m.handle(s, lim) })
}

// Stop removes the handler, aborts requests in flight and waits for their
// handlers to return. It is idempotent.
func (m *Manager) Stop() {
	m.mu.Lock()
	if !m.stopped && m.host != nil {
		m.host.RemoveStreamHandler(PreKeyProtocol)
	}
	m.stopped = true
	m.mu.Unlock()
	m.streams.Close()
}

func (m *Manager) handle(s network.Stream, lim *peerLimiter) {
	if !m.streams.Add(s) {
		_ = s.Reset()
		return
	}
	defer m.streams.Done(s)
	defer func() {
		if r := recover(); r != nil {
			m.log.Error("prekey handler panic", "panic", fmt.Sprint(r))
			_ = s.Reset()
		}
	}()
	log := m.log.With("peer", s.Conn().RemotePeer())
	if err := s.Scope().SetService(serviceName); err != nil {
		log.Debug("prekey stream refused by resource manager", "err", err)
		_ = s.Reset()
		return
	}
	_ = s.SetDeadline(time.Now().Add(streamTimeout))
	w := pbio.NewDelimitedWriter(s)

	var req pb.PreKeyRequest
	if err := pbio.NewDelimitedReader(s, MaxPreKeyRequestSize).ReadMsg(&req); err != nil {
		log.Debug("bad prekey request", "err", err)
		refuse(s, w, pb.ErrorCode_MALFORMED)
		return
	}
	if n := len(req.GetRequesterAccount()); n != 0 && n != 32 {
		refuse(s, w, pb.ErrorCode_MALFORMED)
		return
	}
	if !lim.allow(s.Conn().RemotePeer()) {
		log.Debug("prekey request rate limited")
		refuse(s, w, pb.ErrorCode_RATE_LIMITED)
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), streamTimeout)
	defer cancel()
	resp := &pb.PreKeyResponse{Code: pb.ErrorCode_OK}
	b, err := m.Bundle(ctx)
	if err != nil {
		log.Warn("prekey bundle failed", "err", err)
		resp = &pb.PreKeyResponse{Code: pb.ErrorCode_INTERNAL}
	} else {
		resp.Bundle = b
	}
	if err := w.WriteMsg(resp); err != nil {
		_ = s.Reset()
		return
	}
	_ = s.Close()
}

// refuse answers with an error code and ends the stream. It closes rather
// than resets: a reset would discard the answer before the client read it.
// Whatever else the client sent is dropped unread.
func refuse(s network.Stream, w pbio.Writer, code pb.ErrorCode) {
	if err := w.WriteMsg(&pb.PreKeyResponse{Code: code}); err != nil {
		_ = s.Reset()
		return
	}
	_ = s.Close()
}

// FetchBundle asks peer p for a prekey bundle over PreKeyProtocol. The
// bundle is not verified; pass it to VerifyBundle. A peer answering with an
// error code yields an error wrapping ErrRefused, and also ErrRateLimited
// when we asked too often (fall back to the published bundle, BundleKey).
func FetchBundle(ctx context.Context, h host.Host, p peer.ID) (*pb.PreKeyBundle, error) {
	const op = "fetch bundle"
	s, err := h.NewStream(network.WithAllowLimitedConn(ctx, "pigeon-prekey"), p, PreKeyProtocol) // a bundle is small enough for relayed circuits
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	defer s.Close()
	deadline := time.Now().Add(streamTimeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	_ = s.SetDeadline(deadline)
	stop := context.AfterFunc(ctx, func() { _ = s.Reset() })
	defer stop()

	if err := pbio.NewDelimitedWriter(s).WriteMsg(&pb.PreKeyRequest{}); err != nil {
		_ = s.Reset()
		return nil, fmt.Errorf("%s: %w", op, ctxErr(ctx, err))
	}
	_ = s.CloseWrite()
	r := msgio.NewVarintReaderSize(s, MaxPreKeyResponseSize)
	raw, err := r.ReadMsg()
	if err != nil {
		_ = s.Reset()
		if errors.Is(err, msgio.ErrMsgTooLarge) {
			return nil, fmt.Errorf("%s: %w: %w", op, ErrTooLarge, err)
		}
		return nil, fmt.Errorf("%s: %w", op, ctxErr(ctx, err))
	}
	resp, err := DecodePreKeyResponse(raw)
	r.ReleaseMsg(raw)
	if err != nil {
		_ = s.Reset()
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	switch resp.GetCode() {
	case pb.ErrorCode_OK:
	case pb.ErrorCode_RATE_LIMITED:
		return nil, fmt.Errorf("%s: %w: %w", op, ErrRefused, ErrRateLimited)
	default:
		return nil, fmt.Errorf("%s: %w: %v", op, ErrRefused, resp.GetCode())
	}
	return resp.GetBundle(), nil
}

// ctxErr prefers the context's error over the stream error it caused.
func ctxErr(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return err
}
