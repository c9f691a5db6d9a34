package relays

import "errors"

var (
	// ErrUnknownRelay is returned when removing a relay the node does not
	// use.
	ErrUnknownRelay = errors.New("unknown relay")
	// ErrBadAddress is returned for relay addresses that do not parse or
	// lack /p2p/<peer id>, for invites with commas or spaces, and for peer
	// IDs that do not parse.
	ErrBadAddress = errors.New("bad relay address")
	// ErrBadSetting is returned for a push endpoint whose format is wrong
	// (a URL that does not parse, a missing token or topic).
	ErrBadSetting = errors.New("bad setting")
)
