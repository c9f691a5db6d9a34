package core

import (
	"github.com/pigeon-net/pigeon/protocol/group"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/storage"
)

// TRANSITIONAL (issue 11): while the features move out of package node,
// the IDs are aliases of the protocol's and the store's types, so that
// moved and unmoved code interoperate without conversions. They become
// types of their own once every feature speaks core.

// AccountID identifies an account: its Ed25519 public key. Its text form
// is the checksummed "pg…" string people share.
type AccountID = identity.AccountID

// ParseAccountID parses the text form of an account ID.
func ParseAccountID(s string) (AccountID, error) { return identity.ParseAccountID(s) }

// GroupID identifies a group: the hash of its first membership operation.
type GroupID = group.ID

// ParseGroupID parses the text form of a group ID.
func ParseGroupID(s string) (GroupID, error) { return group.ParseID(s) }

// MessageID identifies a message on every device that holds it.
type MessageID = storage.MessageID

// ParseMessageID parses the text form of a message ID.
func ParseMessageID(s string) (MessageID, error) { return storage.ParseMessageID(s) }
