package link

import (
	"errors"
	"fmt"

	"github.com/pigeon-net/pigeon/protocol/pb"
)

var (
	// ErrMalformed is returned for link codes, frames and requests that do
	// not decode or fail a field check.
	ErrMalformed = errors.New("malformed")
	// ErrTooLarge is returned for link codes and frames over their limits.
	ErrTooLarge = errors.New("too large")

	// ErrUnknownCode: the existing device has no such code (never made there,
	// withdrawn, or expired long ago).
	ErrUnknownCode = errors.New("unknown link code")
	// ErrExpired: the code expired.
	ErrExpired = errors.New("link code expired")
	// ErrUsed: the code was used already, or the request made with it was
	// declined. A code links one device once.
	ErrUsed = errors.New("link code already used")
	// ErrBadProof: the new device's proof of the code's secret did not verify.
	ErrBadProof = errors.New("link proof did not verify")
	// ErrBurned: the code was disabled after MaxBadProofs wrong proofs.
	ErrBurned = errors.New("link code disabled after too many wrong attempts")
	// ErrDeclined: the user declined the request on the existing device. A
	// ConfirmFunc returns it (wrapped) to decline.
	ErrDeclined = errors.New("link declined")
	// ErrBusy: another device is being confirmed with the same code, or the
	// existing device serves as many link requests as it allows.
	ErrBusy = errors.New("link code busy")
	// ErrRefused: the existing device failed to complete the link.
	ErrRefused = errors.New("existing device failed to link")
	// ErrBadGrant: the existing device's answer did not verify (MAC,
	// certificate or device list); nothing of it was accepted.
	ErrBadGrant = errors.New("invalid link grant")

	// ErrTooManyOffers is returned by Offers.Add when MaxOffers codes are
	// open.
	ErrTooManyOffers = errors.New("too many open link codes")
	// ErrDuplicateOffer is returned by Offers.Add for a code added before.
	ErrDuplicateOffer = errors.New("link code added twice")
	// ErrOptionTwice is returned when an option is given more than once.
	ErrOptionTwice = errors.New("option given twice")
	// ErrClosed is returned after Close.
	ErrClosed = errors.New("link service closed")
)

// refusalError maps a refusal received from the existing device to the
// sentinel it stands for, with what the user can do next.
func refusalError(s pb.LinkStatus) error {
	switch s {
	case pb.LinkStatus_LINK_MALFORMED, pb.LinkStatus_LINK_TOO_LARGE:
		return fmt.Errorf("%w: the existing device could not read the request (%s): update both devices and try again", ErrMalformed, s)
	case pb.LinkStatus_LINK_UNKNOWN_CODE:
		return fmt.Errorf("%w: make a new code on the existing device", ErrUnknownCode)
	case pb.LinkStatus_LINK_EXPIRED:
		return fmt.Errorf("%w: make a new code on the existing device", ErrExpired)
	case pb.LinkStatus_LINK_USED:
		return fmt.Errorf("%w: make a new code on the existing device", ErrUsed)
	case pb.LinkStatus_LINK_BAD_PROOF:
		return fmt.Errorf("%w: copy the code again, exactly as shown", ErrBadProof)
	case pb.LinkStatus_LINK_BURNED:
		return fmt.Errorf("%w: make a new code on the existing device", ErrBurned)
	case pb.LinkStatus_LINK_DECLINED:
		return fmt.Errorf("%w on the existing device", ErrDeclined)
	case pb.LinkStatus_LINK_BUSY:
		return fmt.Errorf("%w: finish or decline the other request on the existing device, or wait and try again", ErrBusy)
	}
	return fmt.Errorf("%w: try again", ErrRefused)
}
