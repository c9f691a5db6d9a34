package mailbox

import (
	"fmt"

	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/pb"
)

// Size limits of the protocol.
const (
	// MaxEnvelopeSize bounds one deposited envelope.
	MaxEnvelopeSize = 256 << 10
	// MaxPreKeyBundleSize bounds one prekey bundle.
	MaxPreKeyBundleSize = 2 << 10
	// MaxPreKeysPerUpload bounds the one-time prekeys in one upload.
	MaxPreKeysPerUpload = 100
	// MaxPins bounds the media roots one deposit names.
	MaxPins = 16
	// MaxAckIDs bounds the deposit IDs in one ack.
	MaxAckIDs = 1000
	// MaxFollowTopics bounds the group topics one device follows.
	MaxFollowTopics = 1000
	// MaxPageItems bounds the items in one drain page or push.
	MaxPageItems = 1000
	// MaxPageBytes bounds the envelope bytes in one page (a page holds at
	// least one item).
	MaxPageBytes = 1 << 20
	// MaxRequestSize bounds one request frame.
	MaxRequestSize = MaxEnvelopeSize + 8<<10
	// MaxResponseSize bounds one response frame.
	MaxResponseSize = MaxPageBytes + MaxEnvelopeSize + MaxPageItems*64 + 4<<10

	maxRegistrationSize = 8 << 10 // a push endpoint (FCM tokens reach 4 KiB) fits
	maxSignatureSize    = 512
	maxReceiptSize      = 512
	nonceSize           = 16
	maxPinSize          = 64 // a binary CID
)

// DecodeRequest decodes and checks one request frame.
func DecodeRequest(b []byte) (*pb.MailboxRequest, error) {
	const op = "decode request"
	if len(b) > MaxRequestSize {
		return nil, fmt.Errorf("%s: %w: %d bytes", op, ErrTooLarge, len(b))
	}
	var req pb.MailboxRequest
	if err := proto.Unmarshal(b, &req); err != nil {
		return nil, fmt.Errorf("%s: %w: %v", op, ErrMalformed, err)
	}
	if err := checkRequest(&req); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return &req, nil
}

func checkRequest(req *pb.MailboxRequest) error {
	switch m := req.Body.(type) {
	case *pb.MailboxRequest_Register:
		r := m.Register
		if len(r.GetBody()) == 0 || len(r.GetSignature()) == 0 {
			return fmt.Errorf("%w: empty registration", ErrMalformed)
		}
		if len(r.GetBody()) > maxRegistrationSize || len(r.GetSignature()) > maxSignatureSize {
			return fmt.Errorf("%w: registration", ErrTooLarge)
		}
	case *pb.MailboxRequest_Deposit:
		d := m.Deposit
		if _, err := checkBox(d.GetAccount(), d.GetDevice()); err != nil {
			return err
		}
		if len(d.GetDepositId()) != len(DepositID{}) {
			return fmt.Errorf("%w: deposit id of %d bytes", ErrMalformed, len(d.GetDepositId()))
		}
		if len(d.GetEnvelope()) == 0 {
			return fmt.Errorf("%w: empty envelope", ErrMalformed)
		}
		if len(d.GetEnvelope()) > MaxEnvelopeSize {
			return fmt.Errorf("%w: envelope of %d bytes", ErrTooLarge, len(d.GetEnvelope()))
		}
		if len(d.GetPins()) > MaxPins {
			return fmt.Errorf("%w: %d pins", ErrTooLarge, len(d.GetPins()))
		}
		for _, p := range d.GetPins() {
			if len(p) == 0 || len(p) > maxPinSize {
				return fmt.Errorf("%w: pin of %d bytes", ErrMalformed, len(p))
			}
		}
		if c := len(d.GetCredential()); c != 0 && c != CredentialSize {
			return fmt.Errorf("%w: credential of %d bytes", ErrMalformed, c)
		}
	case *pb.MailboxRequest_Drain:
		if _, err := checkBox(m.Drain.GetAccount(), m.Drain.GetDevice()); err != nil {
			return err
		}
		if m.Drain.GetMax() > MaxPageItems {
			return fmt.Errorf("%w: page of %d items", ErrTooLarge, m.Drain.GetMax())
		}
	case *pb.MailboxRequest_Ack:
		a := m.Ack
		if _, err := checkBox(a.GetAccount(), a.GetDevice()); err != nil {
			return err
		}
		if len(a.GetDepositIds()) == 0 {
			return fmt.Errorf("%w: ack without ids", ErrMalformed)
		}
		if len(a.GetDepositIds()) > MaxAckIDs {
			return fmt.Errorf("%w: ack of %d ids", ErrTooLarge, len(a.GetDepositIds()))
		}
		for _, id := range a.GetDepositIds() {
			if len(id) != len(DepositID{}) {
				return fmt.Errorf("%w: deposit id of %d bytes", ErrMalformed, len(id))
			}
		}
	case *pb.MailboxRequest_Subscribe:
		if _, err := checkBox(m.Subscribe.GetAccount(), m.Subscribe.GetDevice()); err != nil {
			return err
		}
	case *pb.MailboxRequest_UploadPrekeys:
		u := m.UploadPrekeys
		if _, err := checkBox(u.GetAccount(), u.GetDevice()); err != nil {
			return err
		}
		if len(u.GetOneTime()) > MaxPreKeysPerUpload {
			return fmt.Errorf("%w: %d prekeys", ErrTooLarge, len(u.GetOneTime()))
		}
		if len(u.GetOneTime()) == 0 && len(u.GetSignedBundle()) == 0 {
			return fmt.Errorf("%w: empty prekey upload", ErrMalformed)
		}
		if len(u.GetSignedBundle()) > MaxPreKeyBundleSize {
			return fmt.Errorf("%w: signed bundle", ErrTooLarge)
		}
		for _, pk := range u.GetOneTime() {
			if pk.GetId() == 0 || len(pk.GetBundle()) == 0 {
				return fmt.Errorf("%w: prekey without id or bundle", ErrMalformed)
			}
			if len(pk.GetBundle()) > MaxPreKeyBundleSize {
				return fmt.Errorf("%w: prekey bundle", ErrTooLarge)
			}
		}
	case *pb.MailboxRequest_FetchPrekey:
		if _, err := checkBox(m.FetchPrekey.GetAccount(), m.FetchPrekey.GetDevice()); err != nil {
			return err
		}
	case *pb.MailboxRequest_Follow:
		if _, err := checkBox(m.Follow.GetAccount(), m.Follow.GetDevice()); err != nil {
			return err
		}
		if len(m.Follow.GetTopics()) > MaxFollowTopics || len(m.Follow.GetQuietTopics()) > len(m.Follow.GetTopics()) {
			return fmt.Errorf("%w: %d topics, %d quiet", ErrTooLarge, len(m.Follow.GetTopics()), len(m.Follow.GetQuietTopics()))
		}
		for _, t := range m.Follow.GetTopics() {
			if len(t) != 32 {
				return fmt.Errorf("%w: topic of %d bytes", ErrMalformed, len(t))
			}
		}
	case *pb.MailboxRequest_Close:
		c := m.Close
		if len(c.GetBody()) == 0 || len(c.GetSignature()) == 0 {
			return fmt.Errorf("%w: empty closing", ErrMalformed)
		}
		if len(c.GetBody()) > maxClosingSize || len(c.GetSignature()) > maxSignatureSize {
			return fmt.Errorf("%w: closing", ErrTooLarge)
		}
	default:
		return fmt.Errorf("%w: empty request", ErrMalformed)
	}
	return nil
}

// checkBox checks an (account, device) wire pair.
func checkBox(account []byte, device uint32) (Box, error) {
	id, err := identity.AccountIDFromBytes(account)
	if err != nil {
		return Box{}, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if device < 1 || device > identity.MaxDeviceID {
		return Box{}, fmt.Errorf("%w: device %d out of range", ErrMalformed, device)
	}
	return Box{Account: id, Device: device}, nil
}

// DecodeResponse decodes and checks one response frame.
func DecodeResponse(b []byte) (*pb.MailboxResponse, error) {
	const op = "decode response"
	if len(b) > MaxResponseSize {
		return nil, fmt.Errorf("%s: %w: %d bytes", op, ErrTooLarge, len(b))
	}
	var resp pb.MailboxResponse
	if err := proto.Unmarshal(b, &resp); err != nil {
		return nil, fmt.Errorf("%s: %w: %v", op, ErrMalformed, err)
	}
	if err := checkResponse(&resp); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return &resp, nil
}

func checkResponse(resp *pb.MailboxResponse) error {
	if _, ok := pb.ErrorCode_name[int32(resp.Code)]; !ok {
		return fmt.Errorf("%w: unknown code %d", ErrMalformed, resp.Code)
	}
	if _, ok := pb.MailboxError_name[int32(resp.Error)]; !ok {
		return fmt.Errorf("%w: unknown mailbox error %d", ErrMalformed, resp.Error)
	}
	switch m := resp.Body.(type) {
	case *pb.MailboxResponse_Receipt:
		if len(m.Receipt.GetBody()) > maxReceiptSize || len(m.Receipt.GetSignature()) > maxSignatureSize {
			return fmt.Errorf("%w: receipt", ErrTooLarge)
		}
	case *pb.MailboxResponse_Items:
		items := m.Items.GetItems()
		if len(items) > MaxPageItems {
			return fmt.Errorf("%w: %d items", ErrTooLarge, len(items))
		}
		for _, it := range items {
			if len(it.GetDepositId()) != len(DepositID{}) {
				return fmt.Errorf("%w: deposit id of %d bytes", ErrMalformed, len(it.GetDepositId()))
			}
			if len(it.GetEnvelope()) == 0 || len(it.GetEnvelope()) > MaxEnvelopeSize {
				return fmt.Errorf("%w: envelope of %d bytes", ErrMalformed, len(it.GetEnvelope()))
			}
		}
	case *pb.MailboxResponse_Prekey:
		if len(m.Prekey.GetBundle()) > MaxPreKeyBundleSize {
			return fmt.Errorf("%w: prekey bundle", ErrTooLarge)
		}
	}
	return nil
}
