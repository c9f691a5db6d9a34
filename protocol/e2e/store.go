package e2e

import (
	"context"

	"go.mau.fi/libsignal/keys/identity"
	"go.mau.fi/libsignal/protocol"
	"go.mau.fi/libsignal/state/record"
	"go.mau.fi/libsignal/state/store"
)

// Store is everything the e2e layer needs from persistent storage. The
// libsignal interfaces must follow the pitfalls in the libsignal guide:
// LoadSession returns a fresh copy (never a shared pointer) and never nil,
// prekey loaders return (nil, nil) on a miss.
//
// Every method called with a context obtained inside Update joins that
// transaction.
type Store interface {
	store.SignalProtocol

	// Update runs fn in one read-write transaction. Store calls made with
	// the ctx handed to fn are part of it; if fn returns an error nothing is
	// written. When ctx already carries a transaction, fn joins it. On a
	// write conflict the store retries fn (so fn must be safe to re-run).
	Update(ctx context.Context, fn func(ctx context.Context) error) error

	// RemoteIdentity returns the saved identity key for addr, or (nil, nil)
	// when none is saved.
	RemoteIdentity(ctx context.Context, addr *protocol.SignalAddress) (*identity.Key, error)

	// ReplaceIdentity overwrites the saved identity of addr and deletes its
	// session (used after a certified identity change).
	ReplaceIdentity(ctx context.Context, addr *protocol.SignalAddress, key *identity.Key) error

	// AllocatePreKeyIDs reserves n consecutive one-time prekey IDs and
	// returns the first. IDs start at 1, never reach LastResortPreKeyID and
	// are never reused.
	AllocatePreKeyIDs(ctx context.Context, n uint32) (uint32, error)

	// IssuePreKey returns a stored one-time prekey that has never been handed
	// out, and marks it handed out, or (nil, nil) when none is left. The
	// record stays stored until a PreKeySignalMessage uses it.
	IssuePreKey(ctx context.Context) (*record.PreKey, error)

	// UnissuedPreKeys counts one-time prekeys not yet handed out.
	UnissuedPreKeys(ctx context.Context) (int, error)
}
