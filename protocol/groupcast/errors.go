package groupcast

import "errors"

var (
	// ErrClosed is returned by every method after Caster.Close, and by
	// Close the second time.
	ErrClosed = errors.New("groupcast closed")
	// ErrLeft is returned by a Group's methods after its Leave, and by Leave
	// the second time.
	ErrLeft = errors.New("group left")
	// ErrJoined is returned by Join for a topic the Caster has joined already.
	ErrJoined = errors.New("group topic already joined")
	// ErrTooLarge is returned by Publish for a payload over the Caster's
	// maximum (DefaultMaxPayload unless WithMaxPayload says otherwise).
	ErrTooLarge = errors.New("group message too large")
	// ErrEmpty is returned by Publish for an empty payload.
	ErrEmpty = errors.New("empty group message")
	// ErrRejected is returned by Publish when the group's own validator
	// refuses the message (validators also run on local publishes).
	ErrRejected = errors.New("group message refused by validator")
	// ErrOptionTwice is returned when an option is given more than once.
	ErrOptionTwice = errors.New("option given twice")
	// ErrBadOption is returned for option values out of range.
	ErrBadOption = errors.New("bad option value")
)
