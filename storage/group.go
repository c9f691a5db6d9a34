package storage

import "time"

// GroupStatus says whether this node takes part in a group.
type GroupStatus uint8

const (
	// GroupActive: the account is a member.
	GroupActive GroupStatus = iota + 1
	// GroupLeft: the account left.
	GroupLeft
	// GroupRemoved: an admin removed the account.
	GroupRemoved
)

func (s GroupStatus) String() string {
	switch s {
	case GroupActive:
		return "active"
	case GroupLeft:
		return "left"
	case GroupRemoved:
		return "removed"
	}
	return "unknown"
}

// Group is this device's own record of a group: the membership, its
// ops and messages are stored beside it.
type Group struct {
	ID     [32]byte
	Status GroupStatus
	// Seq is the last message sequence number this device used in the
	// group (numbers start at 1).
	Seq uint64
	// Clock is the highest group clock (Unix milliseconds) seen or used:
	// the next message or op is above it.
	Clock uint64
	// KeyID is the ID of this device's current sender key (0: none yet, or
	// dropped for rotation). KeySKDM is that key's distribution message as
	// created (chain iteration 0: members present then read everything sent
	// with it), KeySeq the sequence number of its first message and
	// KeyClock the group clock when it was created.
	KeyID    uint32
	KeySKDM  []byte
	KeySeq   uint64
	KeyClock uint64
	JoinedAt time.Time
}

// GroupSender is one sending device of a group with the highest sequence
// number held from it with none missing below.
type GroupSender struct {
	Account Account
	Device  uint32
	Seq     uint64
}

// ArchivedEnvelope is a group message as it travelled (a marshaled
// pb.GroupEnvelope), kept to hand to members repairing gaps.
type ArchivedEnvelope struct {
	Account Account
	Device  uint32
	Seq     uint64
	ID      MessageID
	Raw     []byte
}
