package mailbox

import (
	"errors"
	"fmt"

	"github.com/libp2p/go-libp2p/core/network"

	"github.com/pigeon-net/pigeon/protocol/pb"
)

var (
	// ErrMalformed is returned for frames and records that do not decode or
	// fail a field check.
	ErrMalformed = errors.New("malformed")
	// ErrTooLarge is returned for frames, envelopes or lists over their limit.
	ErrTooLarge = errors.New("too large")
	// ErrNotRegistered is returned for (account, device) pairs without a live
	// registration.
	ErrNotRegistered = errors.New("not registered")
	// ErrQuotaExceeded is returned when a deposit would take an account over
	// its count or byte quota.
	ErrQuotaExceeded = errors.New("mailbox quota exceeded")
	// ErrReplay is returned for a registration whose sequence is not above
	// the stored one, and for a deposit ID reused with other content.
	ErrReplay = errors.New("replayed")
	// ErrBadSignature is returned when a registration or receipt signature
	// does not verify.
	ErrBadSignature = errors.New("bad signature")
	// ErrWrongPeer is returned when a stream's peer is not the device the
	// request is for, or a registration's signer is not its certified peer.
	ErrWrongPeer = errors.New("wrong peer")
	// ErrExpired is returned for registrations that expired or expire too
	// far ahead.
	ErrExpired = errors.New("registration expiry out of range")
	// ErrNotInvited is returned when a relay that serves invited accounts
	// only refuses a registration's invite.
	ErrNotInvited = errors.New("not invited")
	// ErrWrongRelay is returned for registrations and receipts naming
	// another relay.
	ErrWrongRelay = errors.New("wrong relay")
	// ErrNoPreKeys is returned when a device has no prekey bundle at all.
	ErrNoPreKeys = errors.New("no prekeys")
	// ErrPreKeyPoolFull is returned when an upload would exceed the pool size.
	ErrPreKeyPoolFull = errors.New("prekey pool full")
	// ErrReceiptMismatch is returned when a custody receipt does not match
	// the deposit it answers.
	ErrReceiptMismatch = errors.New("custody receipt does not match deposit")
	// ErrInternal is returned when the relay failed; retry later.
	ErrInternal = errors.New("relay internal error")
	// ErrRateLimited is returned when the relay refuses a request for now.
	ErrRateLimited = errors.New("rate limited")
	// ErrClosed is returned after Close.
	ErrClosed = errors.New("mailbox closed")
	// ErrUnsupported is returned for requests the relay does not serve
	// (Follow on a relay without group support).
	ErrUnsupported = errors.New("unsupported by the relay")
	// ErrBoxClosed is returned for deposits into a box its device closed:
	// the device no longer uses this relay, fetch its device list again.
	ErrBoxClosed = errors.New("mailbox closed by its device")
	// ErrStaleList is returned for deposits naming an older device list of
	// the recipient than the one it registered with: fetch the list again.
	ErrStaleList = errors.New("deposit made with a stale device list")
	// ErrNoCredential is returned for deposits without a valid credential
	// once the sender's own stranger quota, or the room the box leaves to
	// strangers, is used up; retry later.
	ErrNoCredential = errors.New("no valid deposit credential")
	// ErrReceiptExpired is returned when a relay's custody receipt promises
	// to keep the envelope until a time already past.
	ErrReceiptExpired = errors.New("custody receipt already expired")
)

// StreamErrorCodeBase is added to a pb.ErrorCode when a stream is reset
// because of it.
const StreamErrorCodeBase network.StreamErrorCode = 0x50000

// CodeError is a relay's answer to a failed request. errors.Is matches it
// against the sentinel of its code.
type CodeError struct {
	Code    pb.ErrorCode
	Mailbox pb.MailboxError
}

func (e *CodeError) Error() string {
	if e.Mailbox != pb.MailboxError_MAILBOX_ERROR_NONE {
		return fmt.Sprintf("relay refused: %s", e.Mailbox)
	}
	return fmt.Sprintf("relay refused: %s", e.Code)
}

// Unwrap returns the sentinel for the code, if any.
func (e *CodeError) Unwrap() error {
	switch e.Mailbox {
	case pb.MailboxError_MAILBOX_NOT_REGISTERED:
		return ErrNotRegistered
	case pb.MailboxError_MAILBOX_QUOTA_COUNT, pb.MailboxError_MAILBOX_QUOTA_BYTES:
		return ErrQuotaExceeded
	case pb.MailboxError_MAILBOX_BAD_SIGNATURE:
		return ErrBadSignature
	case pb.MailboxError_MAILBOX_WRONG_PEER:
		return ErrWrongPeer
	case pb.MailboxError_MAILBOX_EXPIRED:
		return ErrExpired
	case pb.MailboxError_MAILBOX_WRONG_RELAY:
		return ErrWrongRelay
	case pb.MailboxError_MAILBOX_PREKEY_POOL_FULL:
		return ErrPreKeyPoolFull
	case pb.MailboxError_MAILBOX_NOT_INVITED:
		return ErrNotInvited
	case pb.MailboxError_MAILBOX_CLOSED:
		return ErrBoxClosed
	case pb.MailboxError_MAILBOX_STALE_LIST:
		return ErrStaleList
	case pb.MailboxError_MAILBOX_NO_CREDENTIAL:
		return ErrNoCredential
	}
	switch e.Code {
	case pb.ErrorCode_MALFORMED:
		return ErrMalformed
	case pb.ErrorCode_TOO_LARGE:
		return ErrTooLarge
	case pb.ErrorCode_REPLAY:
		return ErrReplay
	case pb.ErrorCode_NO_PREKEYS:
		return ErrNoPreKeys
	case pb.ErrorCode_INTERNAL:
		return ErrInternal
	case pb.ErrorCode_RATE_LIMITED:
		return ErrRateLimited
	case pb.ErrorCode_UNSUPPORTED:
		return ErrUnsupported
	case pb.ErrorCode_STALE_DEVICE_LIST:
		return ErrStaleList
	}
	return nil
}

// codeFor maps an error from the Store or a check to its wire code.
func codeFor(err error) (pb.ErrorCode, pb.MailboxError) {
	switch {
	case err == nil:
		return pb.ErrorCode_OK, pb.MailboxError_MAILBOX_ERROR_NONE
	case errors.Is(err, ErrQuotaCount):
		return pb.ErrorCode_OK, pb.MailboxError_MAILBOX_QUOTA_COUNT
	case errors.Is(err, ErrQuotaBytes), errors.Is(err, ErrQuotaExceeded):
		return pb.ErrorCode_OK, pb.MailboxError_MAILBOX_QUOTA_BYTES
	case errors.Is(err, ErrNotRegistered):
		return pb.ErrorCode_OK, pb.MailboxError_MAILBOX_NOT_REGISTERED
	case errors.Is(err, ErrBadSignature):
		return pb.ErrorCode_OK, pb.MailboxError_MAILBOX_BAD_SIGNATURE
	case errors.Is(err, ErrWrongPeer):
		return pb.ErrorCode_OK, pb.MailboxError_MAILBOX_WRONG_PEER
	case errors.Is(err, ErrExpired):
		return pb.ErrorCode_OK, pb.MailboxError_MAILBOX_EXPIRED
	case errors.Is(err, ErrWrongRelay):
		return pb.ErrorCode_OK, pb.MailboxError_MAILBOX_WRONG_RELAY
	case errors.Is(err, ErrPreKeyPoolFull):
		return pb.ErrorCode_OK, pb.MailboxError_MAILBOX_PREKEY_POOL_FULL
	case errors.Is(err, ErrNotInvited):
		return pb.ErrorCode_OK, pb.MailboxError_MAILBOX_NOT_INVITED
	case errors.Is(err, ErrBoxClosed):
		return pb.ErrorCode_OK, pb.MailboxError_MAILBOX_CLOSED
	case errors.Is(err, ErrStaleList):
		return pb.ErrorCode_STALE_DEVICE_LIST, pb.MailboxError_MAILBOX_STALE_LIST
	case errors.Is(err, ErrNoCredential):
		return pb.ErrorCode_OK, pb.MailboxError_MAILBOX_NO_CREDENTIAL
	case errors.Is(err, ErrReplay):
		return pb.ErrorCode_REPLAY, pb.MailboxError_MAILBOX_ERROR_NONE
	case errors.Is(err, ErrTooLarge):
		return pb.ErrorCode_TOO_LARGE, pb.MailboxError_MAILBOX_ERROR_NONE
	case errors.Is(err, ErrMalformed):
		return pb.ErrorCode_MALFORMED, pb.MailboxError_MAILBOX_ERROR_NONE
	case errors.Is(err, ErrNoPreKeys):
		return pb.ErrorCode_NO_PREKEYS, pb.MailboxError_MAILBOX_ERROR_NONE
	case errors.Is(err, ErrRateLimited):
		return pb.ErrorCode_RATE_LIMITED, pb.MailboxError_MAILBOX_ERROR_NONE
	case errors.Is(err, ErrUnsupported):
		return pb.ErrorCode_UNSUPPORTED, pb.MailboxError_MAILBOX_ERROR_NONE
	}
	return pb.ErrorCode_INTERNAL, pb.MailboxError_MAILBOX_ERROR_NONE
}
