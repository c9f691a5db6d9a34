package core

import (
	"errors"
	"net"
)

// Errors more than one feature returns. Each is wrapped with what was
// being done; test with errors.Is.
var (
	// ErrClosed is returned by calls made after the node closed.
	ErrClosed = net.ErrClosed
	// ErrNotStarted is returned by calls made before the node started.
	ErrNotStarted = errors.New("node not started")
	// ErrUnknownAccount is returned when an account's device list cannot
	// be found: the ID is wrong, or the account has not published yet.
	ErrUnknownAccount = errors.New("unknown account")
	// ErrTooLarge is returned for texts, captions and names over their
	// limits.
	ErrTooLarge = errors.New("too large")
	// ErrEmpty is returned for empty texts.
	ErrEmpty = errors.New("empty message")
	// ErrSelf is returned when sending to (or adding) the node's own
	// account.
	ErrSelf = errors.New("cannot send to own account")
	// ErrIdentityUnverified is returned when sending to a verified contact
	// whose device identity changed; verifying the contact again accepts
	// the change.
	ErrIdentityUnverified = errors.New("contact's identity changed since it was verified")
	// ErrStorageFull is returned when the disk holding the node's data is
	// short of free space: nothing was stored; free some disk space.
	ErrStorageFull = errors.New("storage full")
	// ErrBadSetting is returned for a setting's value out of its range.
	ErrBadSetting = errors.New("bad setting")
	// ErrNoAccountKey is returned by what only a device holding the
	// account key may do (link and revoke devices, sign the device list,
	// export the account seed) on a linked device that does not hold it:
	// do it on the account's first device, or one the user promoted.
	ErrNoAccountKey = errors.New("this device does not hold the account key")
)
