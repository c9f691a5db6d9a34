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
	// Retired are this device's last sender keys before the current one,
	// oldest first (at most MaxRetiredKeys): a member whose addition this
	// device learned late may lack one that messages sent after its
	// addition were made with.
	Retired []RetiredKey
}

// MaxRetiredKeys bounds Group.Retired.
const MaxRetiredKeys = 8

// RetiredKey is one of this device's former sender keys in a group: its
// distribution message as created and the sequence numbers of the first
// and last messages sent with it (LastSeq < FirstSeq: none).
type RetiredKey struct {
	KeyID    uint32
	SKDM     []byte
	FirstSeq uint64
	LastSeq  uint64
}

// Retire moves the current sender key, if any, to Retired (dropping the
// oldest beyond MaxRetiredKeys) and clears it.
func (g *Group) Retire() {
	if g.KeySKDM != nil {
		g.Retired = append(g.Retired[:len(g.Retired):len(g.Retired)], RetiredKey{KeyID: g.KeyID, SKDM: g.KeySKDM, FirstSeq: max(g.KeySeq, 1), LastSeq: g.Seq})
		if over := len(g.Retired) - MaxRetiredKeys; over > 0 {
			g.Retired = append([]RetiredKey(nil), g.Retired[over:]...)
		}
	}
	g.KeyID, g.KeySKDM, g.KeySeq, g.KeyClock = 0, nil, 0, 0
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
