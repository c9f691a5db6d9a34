package mailbox

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-msgio"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/pb"
)

// StreamOpenTimeout bounds opening a stream to a relay.
const StreamOpenTimeout = 5 * time.Second

// RequestTimeout bounds one request when ctx has no earlier deadline.
const RequestTimeout = 30 * time.Second

// Registered is a relay's answer to a registration.
type Registered struct {
	ExpiresAt     time.Time
	PreKeysLeft   int
	RefillPreKeys bool
	Quota         Quota
	TTL           time.Duration // how long the relay keeps deposits
	Region        string        // where the relay says it runs; "" if unsaid
	// Push is what the relay did with the registration's push endpoint;
	// nil when the registration carried none or the relay did not say.
	Push *pb.PushStatus
}

// Page is one batch of queued items, from Drain or a Subscription.
type Page struct {
	Items []Item
	// More says items are queued after the last one (Drain again from
	// its Seq).
	More          bool
	PreKeysLeft   int
	RefillPreKeys bool
}

// FetchedPreKey is a prekey bundle handed out by a relay.
type FetchedPreKey struct {
	PreKey
	// OneTime is false when the device had no one-time prekeys left and
	// the bundle carries only the signed prekey.
	OneTime bool
}

func openStream(ctx context.Context, h host.Host, relay peer.ID) (network.Stream, error) {
	octx, cancel := context.WithTimeout(ctx, StreamOpenTimeout)
	defer cancel()
	s, err := h.NewStream(network.WithAllowLimitedConn(octx, "pigeon-mailbox"), relay, ProtocolID)
	if err != nil {
		return nil, err
	}
	deadline, ok := ctx.Deadline()
	if !ok {
		deadline = time.Now().Add(RequestTimeout)
	}
	_ = s.SetDeadline(deadline)
	return s, nil
}

func writeRequest(s network.Stream, req *pb.MailboxRequest) error {
	b, err := proto.Marshal(req)
	if err != nil {
		return err
	}
	if len(b) > MaxRequestSize {
		return fmt.Errorf("%w: request of %d bytes", ErrTooLarge, len(b))
	}
	return msgio.NewVarintWriter(s).WriteMsg(b)
}

func readResponse(r msgio.Reader) (*pb.MailboxResponse, error) {
	frame, err := r.ReadMsg()
	if err != nil {
		return nil, err
	}
	resp, err := DecodeResponse(frame)
	r.ReleaseMsg(frame)
	if err != nil {
		return nil, err
	}
	if resp.Code != pb.ErrorCode_OK || resp.Error != pb.MailboxError_MAILBOX_ERROR_NONE {
		return nil, &CodeError{Code: resp.Code, Mailbox: resp.Error}
	}
	return resp, nil
}

// roundTrip sends one request on a fresh stream and reads its response.
func roundTrip(ctx context.Context, h host.Host, relay peer.ID, req *pb.MailboxRequest) (*pb.MailboxResponse, error) {
	s, err := openStream(ctx, h, relay)
	if err != nil {
		return nil, err
	}
	stop := context.AfterFunc(ctx, func() { _ = s.Reset() })
	defer stop()
	if err := writeRequest(s, req); err != nil {
		_ = s.Reset()
		return nil, err
	}
	_ = s.CloseWrite()
	resp, err := readResponse(msgio.NewVarintReaderSize(bufio.NewReader(s), MaxResponseSize))
	if err != nil {
		var ce *CodeError
		if !errors.As(err, &ce) {
			_ = s.Reset()
			if ctx.Err() != nil {
				err = ctx.Err()
			}
			return nil, err
		}
	}
	_ = s.Close()
	return resp, err
}

// Register registers h's device, certified by cert, with relay until
// now+ttl. The registration is signed with h's peer key; its sequence is
// the current Unix time in nanoseconds.
func Register(ctx context.Context, h host.Host, relay peer.ID, cert *pb.Signed, ttl time.Duration, opts ...RegisterOption) (*Registered, error) {
	key := h.Peerstore().PrivKey(h.ID())
	if key == nil {
		return nil, fmt.Errorf("register: %w: host has no private key", ErrWrongPeer)
	}
	now := time.Now()
	req, err := SignRegistration(key, relay, cert, uint64(now.UnixNano()), now.Add(ttl), opts...)
	if err != nil {
		return nil, fmt.Errorf("register: %w", err)
	}
	return RegisterSigned(ctx, h, relay, req)
}

// RegisterSigned sends a registration made by SignRegistration.
func RegisterSigned(ctx context.Context, h host.Host, relay peer.ID, req *pb.MailboxRegister) (*Registered, error) {
	resp, err := roundTrip(ctx, h, relay, &pb.MailboxRequest{Body: &pb.MailboxRequest_Register{Register: req}})
	if err != nil {
		return nil, fmt.Errorf("register: %w", err)
	}
	r := resp.GetRegistered()
	if r == nil {
		return nil, fmt.Errorf("register: %w: no registration in response", ErrMalformed)
	}
	return &Registered{
		ExpiresAt:     time.UnixMilli(r.ExpiresAtMs),
		PreKeysLeft:   int(r.PrekeysLeft),
		RefillPreKeys: r.RefillPrekeys,
		Quota:         Quota{MaxCount: int(r.MaxCount), MaxBytes: int64(min(r.MaxBytes, 1<<62))},
		TTL:           time.Duration(r.TtlMs) * time.Millisecond,
		Region:        r.Region,
		Push:          r.Push,
	}, nil
}

// Deposit stores a sealed envelope for box at relay and returns the
// relay's custody receipt, verified against relay's key and this deposit.
// A receipt whose stored-until time is not in the future is refused
// (ErrReceiptExpired): the relay would drop the envelope at once.
// Depositing the same ID and envelope again returns a receipt for the
// first deposit.
func Deposit(ctx context.Context, h host.Host, relay peer.ID, box Box, id DepositID, envelope []byte, opts ...DepositOption) (*CustodyReceipt, error) {
	const op = "deposit"
	if len(envelope) > MaxEnvelopeSize {
		return nil, fmt.Errorf("%s: %w: envelope of %d bytes", op, ErrTooLarge, len(envelope))
	}
	d := &pb.MailboxDeposit{Account: box.Account[:], Device: box.Device, DepositId: id[:], Envelope: envelope}
	for _, o := range opts {
		o(d)
	}
	if len(d.Pins) > MaxPins {
		return nil, fmt.Errorf("%s: %w: %d pins", op, ErrTooLarge, len(d.Pins))
	}
	resp, err := roundTrip(ctx, h, relay, &pb.MailboxRequest{Body: &pb.MailboxRequest_Deposit{Deposit: d}})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	r, err := DecodeCustodyReceipt(resp.GetReceipt())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	if err := VerifyCustodyReceipt(r, relay); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	if err := r.Matches(box, id, envelope); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	if !r.StoredUntil.After(time.Now()) {
		return nil, fmt.Errorf("%s: %w: stored until %v", op, ErrReceiptExpired, r.StoredUntil)
	}
	return r, nil
}

// DepositOption adds to a deposit.
type DepositOption func(*pb.MailboxDeposit)

// WithPinned names the media roots (binary CIDs) the envelope refers to, in
// cleartext, so the relay keeps the copies it was asked to pin while it
// holds the envelope.
func WithPinned(roots ...[]byte) DepositOption {
	return func(d *pb.MailboxDeposit) { d.Pins = append(d.Pins, roots...) }
}

// ForListVersion names the version of the recipient's device list the
// sender used: a relay whose box registered a newer one refuses the
// deposit (ErrStaleList), and one the device closed refuses it anyway
// (ErrBoxClosed).
func ForListVersion(v uint64) DepositOption {
	return func(d *pb.MailboxDeposit) { d.ListVersion = v }
}

// WithCredential presents the box's deposit credential for this relay
// (see Credential), so the deposit uses the box's full quota.
func WithCredential(c [CredentialSize]byte) DepositOption {
	return func(d *pb.MailboxDeposit) { d.Credential = c[:] }
}

// WithTTL asks the relay to keep the envelope at most d from its arrival
// (the relay's own TTL when that is shorter): a disappearing message's
// copy goes when its timer would. d is rounded up to whole milliseconds;
// d <= 0 changes nothing.
func WithTTL(d time.Duration) DepositOption {
	return func(dep *pb.MailboxDeposit) {
		if d > 0 {
			dep.TtlMs = uint64((d + time.Millisecond - 1) / time.Millisecond)
		}
	}
}

// CloseBox closes h's device's box at relay (cert certifies h's peer):
// the relay drops what it still holds for the box and refuses deposits
// with MAILBOX_CLOSED until the device registers there again. It returns
// how many envelopes the relay dropped (drain the box first). The closing
// is signed with h's peer key; its sequence is the current Unix time in
// nanoseconds, above that of every earlier registration made by Register.
func CloseBox(ctx context.Context, h host.Host, relay peer.ID, cert *pb.Signed) (int, error) {
	key := h.Peerstore().PrivKey(h.ID())
	if key == nil {
		return 0, fmt.Errorf("close box: %w: host has no private key", ErrWrongPeer)
	}
	now := time.Now()
	req, err := SignClosing(key, relay, cert, uint64(now.UnixNano()), now)
	if err != nil {
		return 0, fmt.Errorf("close box: %w", err)
	}
	resp, err := roundTrip(ctx, h, relay, &pb.MailboxRequest{Body: &pb.MailboxRequest_Close{Close: req}})
	if err != nil {
		return 0, fmt.Errorf("close box: %w", err)
	}
	c := resp.GetClosed()
	if c == nil {
		return 0, fmt.Errorf("close box: %w: no closing in response", ErrMalformed)
	}
	return int(c.Dropped), nil
}

func pageFrom(m *pb.MailboxItems) (Page, error) {
	if m == nil {
		return Page{}, fmt.Errorf("%w: no items in response", ErrMalformed)
	}
	p := Page{Items: make([]Item, len(m.Items)), More: m.More, PreKeysLeft: int(m.PrekeysLeft), RefillPreKeys: m.RefillPrekeys}
	for i, it := range m.Items {
		p.Items[i] = Item{Seq: it.Seq, Envelope: it.Envelope,
			DepositedAt: time.UnixMilli(it.DepositedAtMs), StoredUntil: time.UnixMilli(it.StoredUntilMs)}
		copy(p.Items[i].ID[:], it.DepositId)
		if i > 0 && it.Seq <= p.Items[i-1].Seq {
			return Page{}, fmt.Errorf("%w: items out of order", ErrMalformed)
		}
	}
	return p, nil
}

// Drain fetches up to limit (0: the relay's page size) of box's queued items
// with a sequence above after, in arrival order. h must be the registered
// device. Items stay queued until acked.
func Drain(ctx context.Context, h host.Host, relay peer.ID, box Box, after uint64, limit int) (Page, error) {
	resp, err := roundTrip(ctx, h, relay, &pb.MailboxRequest{Body: &pb.MailboxRequest_Drain{Drain: &pb.MailboxDrain{
		Account: box.Account[:], Device: box.Device, AfterSeq: after, Max: uint32(min(max(limit, 0), MaxPageItems)),
	}}})
	if err != nil {
		return Page{}, fmt.Errorf("drain: %w", err)
	}
	p, err := pageFrom(resp.GetItems())
	if err != nil {
		return Page{}, fmt.Errorf("drain: %w", err)
	}
	return p, nil
}

// Ack deletes box's items with these IDs from relay (at most MaxAckIDs)
// and returns how many were still queued.
func Ack(ctx context.Context, h host.Host, relay peer.ID, box Box, ids []DepositID) (int, error) {
	if len(ids) == 0 {
		return 0, nil
	}
	if len(ids) > MaxAckIDs {
		return 0, fmt.Errorf("ack: %w: %d ids", ErrTooLarge, len(ids))
	}
	raw := make([][]byte, len(ids))
	for i := range ids {
		raw[i] = ids[i][:]
	}
	resp, err := roundTrip(ctx, h, relay, &pb.MailboxRequest{Body: &pb.MailboxRequest_Ack{Ack: &pb.MailboxAck{
		Account: box.Account[:], Device: box.Device, DepositIds: raw,
	}}})
	if err != nil {
		return 0, fmt.Errorf("ack: %w", err)
	}
	return int(resp.GetAcked().GetRemoved()), nil
}

// Follow tells relay the group topics box's account belongs to (at most
// MaxFollowTopics; the list replaces the previous one), so it keeps what
// is published there in box's mailbox. quiet names those of topics the
// device muted: their messages are kept without a push wake-up. The box
// must be registered from this host. It returns how many topics the relay
// follows for the box.
func Follow(ctx context.Context, h host.Host, relay peer.ID, box Box, topics, quiet [][32]byte) (int, error) {
	if len(topics) > MaxFollowTopics {
		return 0, fmt.Errorf("follow: %w: %d topics", ErrTooLarge, len(topics))
	}
	m := &pb.MailboxFollow{Account: box.Account[:], Device: box.Device}
	for _, t := range topics {
		m.Topics = append(m.Topics, t[:])
	}
	for _, t := range quiet {
		if !slices.Contains(topics, t) {
			return 0, fmt.Errorf("follow: %w: a quiet topic not among the topics", ErrMalformed)
		}
		m.QuietTopics = append(m.QuietTopics, t[:])
	}
	resp, err := roundTrip(ctx, h, relay, &pb.MailboxRequest{Body: &pb.MailboxRequest_Follow{Follow: m}})
	if err != nil {
		return 0, fmt.Errorf("follow: %w", err)
	}
	return int(resp.GetFollowed().GetTopics()), nil
}

// UploadPreKeys stores one-time prekey bundles (at most
// MaxPreKeysPerUpload) and, when signed is not empty, the signed-prekey
// bundle handed out when they run out. replace drops the one-time prekeys
// stored before. It returns how many one-time prekeys the relay holds.
func UploadPreKeys(ctx context.Context, h host.Host, relay peer.ID, box Box, oneTime []PreKey, signed []byte, replace bool) (int, error) {
	m := &pb.MailboxUploadPreKeys{Account: box.Account[:], Device: box.Device, SignedBundle: signed, Replace: replace}
	for _, pk := range oneTime {
		m.OneTime = append(m.OneTime, &pb.MailboxOneTimePreKey{Id: pk.ID, Bundle: pk.Bundle})
	}
	resp, err := roundTrip(ctx, h, relay, &pb.MailboxRequest{Body: &pb.MailboxRequest_UploadPrekeys{UploadPrekeys: m}})
	if err != nil {
		return 0, fmt.Errorf("upload prekeys: %w", err)
	}
	return int(resp.GetPrekeysStored().GetPrekeysLeft()), nil
}

// FetchPreKey takes one prekey bundle of box from relay: a one-time one
// while any are left, else the signed-prekey bundle. The bundle is opaque
// here; verify it before use.
func FetchPreKey(ctx context.Context, h host.Host, relay peer.ID, box Box) (*FetchedPreKey, error) {
	resp, err := roundTrip(ctx, h, relay, &pb.MailboxRequest{Body: &pb.MailboxRequest_FetchPrekey{FetchPrekey: &pb.MailboxFetchPreKey{
		Account: box.Account[:], Device: box.Device,
	}}})
	if err != nil {
		return nil, fmt.Errorf("fetch prekey: %w", err)
	}
	pk := resp.GetPrekey()
	if pk == nil || len(pk.Bundle) == 0 {
		return nil, fmt.Errorf("fetch prekey: %w: no bundle in response", ErrMalformed)
	}
	return &FetchedPreKey{PreKey: PreKey{ID: pk.PrekeyId, Bundle: pk.Bundle}, OneTime: pk.OneTime}, nil
}

// Subscription receives box's queued items, then new deposits as they
// arrive, over one long-lived stream.
type Subscription struct {
	s     network.Stream
	pages chan Page
	stop  chan struct{}
	done  chan struct{}
	once  sync.Once
	err   error // set before done is closed
}

// Subscribe opens a push stream for box (h must be its registered device)
// starting after sequence after. ctx bounds the set-up only.
func Subscribe(ctx context.Context, h host.Host, relay peer.ID, box Box, after uint64) (*Subscription, error) {
	s, err := openStream(ctx, h, relay)
	if err != nil {
		return nil, fmt.Errorf("subscribe: %w", err)
	}
	if err := writeRequest(s, &pb.MailboxRequest{Body: &pb.MailboxRequest_Subscribe{Subscribe: &pb.MailboxSubscribe{
		Account: box.Account[:], Device: box.Device, AfterSeq: after,
	}}}); err != nil {
		_ = s.Reset()
		return nil, fmt.Errorf("subscribe: %w", err)
	}
	r := msgio.NewVarintReaderSize(bufio.NewReader(s), MaxResponseSize)
	stop := context.AfterFunc(ctx, func() { _ = s.Reset() })
	resp, err := readResponse(r)
	stop()
	if err != nil {
		_ = s.Reset()
		return nil, fmt.Errorf("subscribe: %w", err)
	}
	first, err := pageFrom(resp.GetItems())
	if err != nil {
		_ = s.Reset()
		return nil, fmt.Errorf("subscribe: %w", err)
	}
	_ = s.SetDeadline(time.Time{})
	sub := &Subscription{s: s, pages: make(chan Page), stop: make(chan struct{}), done: make(chan struct{})}
	go sub.read(r, first)
	return sub, nil
}

func (sub *Subscription) read(r msgio.Reader, first Page) {
	// done closes before pages, so Err answers once Pages is closed.
	defer close(sub.pages)
	defer close(sub.done)
	p := first
	for {
		if len(p.Items) > 0 || p.RefillPreKeys {
			select {
			case sub.pages <- p:
			case <-sub.stop:
				sub.err = ErrClosed
				return
			}
		}
		resp, err := readResponse(r)
		if err != nil {
			sub.err = fmt.Errorf("subscription: %w", err)
			return
		}
		if p, err = pageFrom(resp.GetItems()); err != nil {
			sub.err = fmt.Errorf("subscription: %w", err)
			return
		}
	}
}

// Pages delivers pushed pages in arrival order; it is closed when the
// subscription ends (see Err). A consumer that does not keep up stalls the
// stream: the relay waits, nothing is dropped.
func (sub *Subscription) Pages() <-chan Page { return sub.pages }

// Err returns why the subscription ended, once Pages is closed.
func (sub *Subscription) Err() error {
	select {
	case <-sub.done:
		return sub.err
	default:
		return nil
	}
}

// Close ends the subscription and waits for its reader.
func (sub *Subscription) Close() {
	sub.once.Do(func() {
		close(sub.stop)
		_ = sub.s.Reset()
	})
	<-sub.done
}
