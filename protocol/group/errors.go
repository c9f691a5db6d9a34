package group

import "errors"

var (
	// ErrMalformed is returned for ops, invites and fields that do not
	// decode or fail a field check.
	ErrMalformed = errors.New("malformed")
	// ErrTooLarge is returned for ops or fields over their limit.
	ErrTooLarge = errors.New("too large")
	// ErrBadSignature is returned when an op's device signature, its
	// author's certificate or an invite signature does not verify.
	ErrBadSignature = errors.New("bad signature")
	// ErrWrongGroup is returned when an op belongs to another group.
	ErrWrongGroup = errors.New("op of another group")
	// ErrNotGenesis is returned by NewLog for an op that is not a group's
	// first (a GroupCreate without parents).
	ErrNotGenesis = errors.New("not a genesis op")
	// ErrLogFull is returned when a log would hold more than MaxOps ops.
	ErrLogFull = errors.New("op log full")

	// Reasons an op is skipped by the fold (see Log.Rejected). Skipped ops
	// stay in the log: they are part of its history and parents of later
	// ops, but change nothing.

	// ErrNotAllowed: the author's role or the group's settings do not allow
	// the op at its place in the order.
	ErrNotAllowed = errors.New("not allowed")
	// ErrNoEffect: the op would change nothing (adding a member, removing a
	// non-member, revoking an unknown invite...).
	ErrNoEffect = errors.New("no effect")
	// ErrBadClock: the op's clock is not above every parent's.
	ErrBadClock = errors.New("clock not above parents")
	// ErrInvite: a join names an invite that does not exist, was revoked or
	// has expired, or its invite signature is wrong.
	ErrInvite = errors.New("invite not valid")
	// ErrFull: the group has MaxMembers members.
	ErrFull = errors.New("group full")
)
