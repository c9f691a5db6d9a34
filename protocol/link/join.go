package link

import (
	"bufio"
	"context"
	"crypto/hmac"
	"errors"
	"fmt"
	"time"

	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-msgio"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/pb"
)

const (
	// codeAddrTTL is how long a code's addresses stay in the peerstore.
	codeAddrTTL = MaxCodeLifetime
	// minConfirmWait is the least time Join gives the user to confirm,
	// whatever its clock says of the code's expiry.
	minConfirmWait = 2 * time.Minute
)

// Join asks the existing device named by code to link h, the new device,
// into code's account. It dials code.Peer (at code.Addrs, added to h's
// peerstore, relayed connections included), proves it knows the code's
// secret, and calls onSAS (when not nil) with the six-digit confirmation
// code as soon as the request is sent: show it, so the user can compare it
// with the one the existing device shows before confirming there. Join then
// waits for the user's answer until the existing device says the code
// expired, or ctx ends, or (should the existing device fall silent) the
// code's expiry by this device's clock has passed by AnswerTimeout (two
// minutes at least, for devices whose clocks disagree).
//
// The grant is accepted only if it verifies entirely: its MAC under the
// secret, a certificate of code.Account for h's peer ID, req.SignalKey and
// the granted device ID, and a device list of code.Account listing that
// certificate; otherwise the error wraps ErrBadGrant and nothing is
// returned. A refusal wraps ErrUnknownCode, ErrExpired, ErrUsed,
// ErrBadProof, ErrBurned, ErrDeclined, ErrBusy, ErrRefused or ErrMalformed.
//
// Join does not check the code's expiry itself (the devices' clocks may
// differ): callers that want to fail early check code.Expired.
func Join(ctx context.Context, h host.Host, code Code, req JoinRequest, onSAS func(sas string)) (*Linked, error) {
	const op = "link device"
	if err := code.check(); err != nil {
		return nil, fmt.Errorf("%s: code: %w", op, err)
	}
	if err := checkDevice(req.SignalKey, req.Name, req.Platform); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	if code.Peer == h.ID() {
		return nil, fmt.Errorf("%s: %w: the code is this device's own", op, ErrMalformed)
	}
	t := &transcript{
		account:   code.Account,
		server:    code.Peer,
		client:    h.ID(),
		signalKey: req.SignalKey,
		name:      req.Name,
		platform:  req.Platform,
	}
	offer := newOfferID(&code.Secret)
	hello, err := proto.Marshal(&pb.LinkHello{
		Offer:             offer[:],
		SignalIdentityKey: req.SignalKey,
		Name:              req.Name,
		Platform:          req.Platform,
		Proof:             t.proof(&code.Secret),
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}

	h.Peerstore().AddAddrs(code.Peer, code.Addrs, codeAddrTTL)
	dctx, cancel := context.WithTimeout(ctx, DialTimeout)
	st, err := h.NewStream(network.WithAllowLimitedConn(dctx, "pigeon-link"), code.Peer, ProtocolID)
	cancel()
	if err != nil {
		return nil, fmt.Errorf("%s: reach the existing device %s: %w (is it running, and reachable from here?)", op, code.Peer, err)
	}
	// ctx ending resets the stream, which ends any read or write.
	reset := make(chan struct{})
	stop := context.AfterFunc(ctx, func() {
		defer close(reset)
		_ = st.Reset()
	})
	defer func() {
		if !stop() {
			<-reset
		}
	}()
	done := false
	defer func() {
		if !done {
			_ = st.Reset()
		}
	}()

	w := msgio.NewVarintWriter(st)
	_ = st.SetWriteDeadline(time.Now().Add(AnswerTimeout))
	if err := w.WriteMsg(hello); err != nil {
		return nil, fmt.Errorf("%s: send request: %w", op, ctxErr(ctx, err))
	}
	if onSAS != nil {
		onSAS(t.sas(&code.Secret))
	}

	r := msgio.NewVarintReaderSize(bufio.NewReader(st), MaxServerFrameSize)
	read := func(deadline time.Time) (*pb.LinkServerFrame, error) {
		_ = st.SetReadDeadline(deadline)
		b, err := r.ReadMsg()
		if err != nil {
			return nil, ctxErr(ctx, err)
		}
		defer r.ReleaseMsg(b)
		return decodeServerFrame(b)
	}
	// First the proof's verdict, then the user's answer.
	f, err := read(time.Now().Add(AnswerTimeout))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	switch x := f.Frame.(type) {
	case *pb.LinkServerFrame_Refused:
		return nil, fmt.Errorf("%s: %w", op, refusalError(x.Refused))
	case *pb.LinkServerFrame_Grant:
		return nil, fmt.Errorf("%s: %w: grant before the request was confirmed", op, ErrBadGrant)
	}
	wait := min(max(time.Until(code.Expires), minConfirmWait), MaxCodeLifetime) + AnswerTimeout
	if f, err = read(time.Now().Add(wait)); err != nil {
		return nil, fmt.Errorf("%s: wait for the confirmation: %w", op, err)
	}
	var g *pb.LinkGrant
	switch x := f.Frame.(type) {
	case *pb.LinkServerFrame_Refused:
		return nil, fmt.Errorf("%s: %w", op, refusalError(x.Refused))
	case *pb.LinkServerFrame_Pending:
		return nil, fmt.Errorf("%s: %w: pending twice", op, ErrMalformed)
	case *pb.LinkServerFrame_Grant:
		g = x.Grant
	}
	grant := &Grant{DeviceID: g.GetDeviceId(), Certificate: g.GetCertificate(), DeviceList: g.GetDeviceList()}
	if !hmac.Equal(g.GetMac(), t.grantMAC(&code.Secret, grant)) {
		return nil, fmt.Errorf("%s: %w: mac does not verify", op, ErrBadGrant)
	}
	linked, err := verifyGrant(code.Account, h.ID(), req.SignalKey, grant)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	done = true
	_ = st.Close()
	return linked, nil
}

// ctxErr explains a stream error: ctx's end when it caused it, the
// refusal when the existing device reset the stream with one.
func ctxErr(ctx context.Context, err error) error {
	if cerr := ctx.Err(); cerr != nil {
		return cerr
	}
	if errors.Is(err, msgio.ErrMsgTooLarge) {
		return fmt.Errorf("%w: answer over %d bytes", ErrTooLarge, MaxServerFrameSize)
	}
	var se *network.StreamError
	if errors.As(err, &se) && se.Remote && se.ErrorCode > StreamErrorCodeBase {
		if status := pb.LinkStatus(se.ErrorCode - StreamErrorCodeBase); pb.LinkStatus_name[int32(status)] != "" {
			return refusalError(status)
		}
	}
	return err
}
