package groups

import (
	"errors"

	"github.com/pigeon-net/pigeon/node/internal/rt"
)

// Errors of groups. Each is wrapped with what was being done; test with
// errors.Is. Texts and names over their limits fail with core.ErrTooLarge,
// an empty text with core.ErrEmpty, an account without a device list with
// the node's unknown-account error (core.ErrUnknownAccount).
var (
	// ErrUnknownGroup is returned for groups this node is not in.
	ErrUnknownGroup = errors.New("unknown group")
	// ErrNotAllowed is returned when this node's role or the group's
	// settings do not allow an action.
	ErrNotAllowed = errors.New("not allowed in this group")
	// ErrNotMember is returned for actions on a group this account left or
	// was removed from.
	ErrNotMember = errors.New("not a member of the group")
	// ErrInviteRefused is returned by Join when the invite's maker
	// refused the join; the error says why (the invite was revoked or
	// expired, the maker knows no such invite, the group is full). A new
	// invite link is the way in.
	ErrInviteRefused = errors.New("invite refused")
	// ErrUnreachable is returned when the node an action needs to talk to
	// now (the invite's maker) cannot be reached.
	ErrUnreachable = errors.New("not reachable")
)

// errGroupRefused marks a group message its sender may not send (a text
// from a member without the post permission); it is dropped.
var errGroupRefused = errors.New("group message refused")

// errBadContent marks content that does not decode or fails a check.
var errBadContent = rt.ErrBadContent
