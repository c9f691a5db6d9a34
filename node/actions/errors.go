package actions

import "errors"

var (
	// ErrNotAuthor is returned when editing or deleting for everyone a
	// message someone else wrote (without being a group admin allowed to).
	ErrNotAuthor = errors.New("only the message's author may do that")
	// ErrTooManyEdits is returned for the 11th edit of a message.
	ErrTooManyEdits = errors.New("message edited 10 times already: send a new message instead")
	// ErrTooLate is returned for an edit more than 24 hours, or a delete
	// for everyone more than 48 hours, after the message was sent.
	ErrTooLate = errors.New("too late to change the message for everyone: delete it for yourself instead")
	// ErrBadEmoji is returned for a reaction that is not one emoji.
	ErrBadEmoji = errors.New("a reaction is one emoji")
	// ErrNotText is returned for an edit of a message that is not a
	// text or file the user wrote (a notice).
	ErrNotText = errors.New("only texts and file captions can be edited")
	// ErrDeleted is returned for an action on a deleted message.
	ErrDeleted = errors.New("message was deleted")

	// errRejected marks an action a receiver drops (logged, not retried).
	errRejected = errors.New("action rejected")
)
