package core

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/pigeon-net/pigeon/protocol/group"
	"github.com/pigeon-net/pigeon/protocol/identity"
)

// AccountID identifies an account: its Ed25519 public key. Its text form
// is the checksummed "pg…" string people share.
type AccountID [32]byte

// ParseAccountID parses the text form of an account ID.
func ParseAccountID(s string) (AccountID, error) {
	id, err := identity.ParseAccountID(s)
	return AccountID(id), err
}

// String returns the text form people share.
func (a AccountID) String() string { return identity.AccountID(a).String() }

// Short returns the first 12 characters of the text form, for display.
func (a AccountID) Short() string { return identity.AccountID(a).Short() }

// IsZero reports whether the ID is unset.
func (a AccountID) IsZero() bool { return a == AccountID{} }

// MarshalText implements encoding.TextMarshaler.
func (a AccountID) MarshalText() ([]byte, error) { return []byte(a.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (a *AccountID) UnmarshalText(b []byte) error {
	id, err := ParseAccountID(string(b))
	if err != nil {
		return err
	}
	*a = id
	return nil
}

// GroupID identifies a group: the hash of its first membership operation.
// Its text form is 64 hex characters.
type GroupID [32]byte

// ParseGroupID parses the text form of a group ID.
func ParseGroupID(s string) (GroupID, error) {
	id, err := group.ParseID(s)
	return GroupID(id), err
}

// String returns the 64-character hex form.
func (g GroupID) String() string { return group.ID(g).String() }

// Short returns the first 12 characters of the hex form, for display.
func (g GroupID) Short() string { return group.ID(g).Short() }

// IsZero reports whether the ID is unset.
func (g GroupID) IsZero() bool { return g == GroupID{} }

// MarshalText implements encoding.TextMarshaler.
func (g GroupID) MarshalText() ([]byte, error) { return []byte(g.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (g *GroupID) UnmarshalText(b []byte) error {
	id, err := ParseGroupID(string(b))
	if err != nil {
		return err
	}
	*g = id
	return nil
}

// MessageID identifies a message on every device that holds it: 6 bytes of
// the sender's Unix milliseconds and 10 random bytes, so IDs sort by the
// time they were made. Its text form is 32 hex characters.
type MessageID [16]byte

// ParseMessageID parses the text form of a message ID.
func ParseMessageID(s string) (MessageID, error) {
	var id MessageID
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != len(id) {
		return id, fmt.Errorf("parse message id %q: want 32 hex characters", s)
	}
	copy(id[:], b)
	return id, nil
}

// String returns the 32-character hex form.
func (id MessageID) String() string { return hex.EncodeToString(id[:]) }

// Time returns when the ID was made, by its maker's clock (millisecond
// precision).
func (id MessageID) Time() time.Time {
	var ms [8]byte
	copy(ms[2:], id[:6])
	return time.UnixMilli(int64(binary.BigEndian.Uint64(ms[:])))
}

// Compare orders IDs by when they were made (IDs made in one millisecond
// by their random part, or by the order their maker made them in):
// -1 when id comes before o, +1 after, 0 when they are equal.
func (id MessageID) Compare(o MessageID) int { return bytes.Compare(id[:], o[:]) }

// IsZero reports whether the ID is unset.
func (id MessageID) IsZero() bool { return id == MessageID{} }

// MarshalText implements encoding.TextMarshaler.
func (id MessageID) MarshalText() ([]byte, error) { return []byte(id.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (id *MessageID) UnmarshalText(b []byte) error {
	m, err := ParseMessageID(string(b))
	if err != nil {
		return err
	}
	*id = m
	return nil
}
