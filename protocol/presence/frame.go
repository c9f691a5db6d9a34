package presence

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/pb"
)

// Size limits of the protocol.
const (
	// MaxAllowed bounds the accounts a CONTACTS privacy setting lists.
	MaxAllowed = 5000
	// MaxSubscriptions bounds the accounts one stream watches.
	MaxSubscriptions = 5000
	// MaxClientFrameSize bounds one encoded pb.PresenceClientFrame: a hello
	// with a full allowed list (5,000 × 34 bytes) and a certificate fits.
	MaxClientFrameSize = 192 << 10
	// MaxHubFrameSize bounds one encoded pb.PresenceHubFrame.
	MaxHubFrameSize = 128

	accountSize = len(identity.AccountID{})
	maxCertWire = identity.MaxCertificateSize + 128
)

// State is an account's presence as the asker may see it.
type State uint8

const (
	// Unknown: never seen, forgotten, or hidden from the asker by privacy.
	Unknown State = iota
	// Online: at least one device heartbeats.
	Online
	// Offline: no device heartbeats; Presence.LastSeen says since when.
	Offline
)

func (s State) String() string {
	switch s {
	case Online:
		return "online"
	case Offline:
		return "offline"
	}
	return "unknown"
}

// Visibility is who may see an account's presence.
type Visibility uint8

const (
	// Nobody sees the account's presence (the default).
	Nobody Visibility = iota
	// Contacts: only the accounts in Privacy.Allowed.
	Contacts
	// Everyone sees it.
	Everyone
)

func (v Visibility) String() string {
	switch v {
	case Contacts:
		return "contacts"
	case Everyone:
		return "everyone"
	}
	return "nobody"
}

// Privacy is an account's presence privacy setting.
type Privacy struct {
	Visibility Visibility
	// Allowed lists who sees the account when Visibility is Contacts (at
	// most MaxAllowed); it must be empty otherwise.
	Allowed []identity.AccountID
}

// Presence is one account's presence.
type Presence struct {
	Account identity.AccountID
	State   State
	// LastSeen is the time of the account's last heartbeat, set when State
	// is Offline (millisecond precision).
	LastSeen time.Time
}

// DecodeClientFrame decodes and checks one frame a device sent to a hub.
func DecodeClientFrame(b []byte) (*pb.PresenceClientFrame, error) {
	const op = "decode presence client frame"
	if len(b) > MaxClientFrameSize {
		return nil, fmt.Errorf("%s: %w: %d bytes", op, ErrTooLarge, len(b))
	}
	var f pb.PresenceClientFrame
	if err := proto.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("%s: %w: %v", op, ErrMalformed, err)
	}
	if err := checkClientFrame(&f); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return &f, nil
}

func checkClientFrame(f *pb.PresenceClientFrame) error {
	switch x := f.Frame.(type) {
	case *pb.PresenceClientFrame_Hello:
		c := x.Hello.GetCertificate()
		switch {
		case c == nil:
			return fmt.Errorf("%w: hello without certificate", ErrMalformed)
		case len(c.Body)+len(c.Signature) > maxCertWire:
			return fmt.Errorf("%w: certificate", ErrTooLarge)
		case !x.Hello.GetAnnounce() && x.Hello.GetPrivacy() != nil:
			return fmt.Errorf("%w: privacy on a hello that does not announce", ErrMalformed)
		}
		return checkPrivacy(x.Hello.GetPrivacy())
	case *pb.PresenceClientFrame_Heartbeat:
		return nil
	case *pb.PresenceClientFrame_SetPrivacy:
		return checkPrivacy(x.SetPrivacy)
	case *pb.PresenceClientFrame_Query:
		if len(x.Query.GetAccount()) != accountSize {
			return fmt.Errorf("%w: query account of %d bytes", ErrMalformed, len(x.Query.GetAccount()))
		}
		return nil
	case *pb.PresenceClientFrame_Subscribe:
		accs := x.Subscribe.GetAccounts()
		if len(accs) > MaxSubscriptions {
			return fmt.Errorf("%w: %d subscriptions", ErrTooLarge, len(accs))
		}
		return checkAccounts(accs)
	}
	return fmt.Errorf("%w: empty frame", ErrMalformed)
}

func checkPrivacy(p *pb.PresencePrivacy) error {
	if p == nil {
		return nil // nobody
	}
	if _, ok := pb.PresenceVisibility_name[int32(p.Visibility)]; !ok {
		return fmt.Errorf("%w: visibility %d", ErrMalformed, p.Visibility)
	}
	if len(p.Allowed) > MaxAllowed {
		return fmt.Errorf("%w: %d allowed accounts", ErrTooLarge, len(p.Allowed))
	}
	if len(p.Allowed) > 0 && p.Visibility != pb.PresenceVisibility_PRESENCE_VISIBILITY_CONTACTS {
		return fmt.Errorf("%w: allowed accounts without contacts visibility", ErrMalformed)
	}
	return checkAccounts(p.Allowed)
}

func checkAccounts(accs [][]byte) error {
	for _, a := range accs {
		if len(a) != accountSize {
			return fmt.Errorf("%w: account of %d bytes", ErrMalformed, len(a))
		}
	}
	return nil
}

// DecodeHubFrame decodes and checks one frame a hub sent to a device.
func DecodeHubFrame(b []byte) (*pb.PresenceHubFrame, error) {
	const op = "decode presence hub frame"
	if len(b) > MaxHubFrameSize {
		return nil, fmt.Errorf("%s: %w: %d bytes", op, ErrTooLarge, len(b))
	}
	var f pb.PresenceHubFrame
	if err := proto.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("%s: %w: %v", op, ErrMalformed, err)
	}
	if err := checkHubFrame(&f); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return &f, nil
}

func checkHubFrame(f *pb.PresenceHubFrame) error {
	switch x := f.Frame.(type) {
	case *pb.PresenceHubFrame_Welcome:
		hb, to := x.Welcome.GetHeartbeatMs(), x.Welcome.GetTimeoutMs()
		if hb <= 0 || to <= hb {
			return fmt.Errorf("%w: welcome heartbeat %d ms, timeout %d ms", ErrMalformed, hb, to)
		}
		return nil
	case *pb.PresenceHubFrame_Result:
		return checkInfo(x.Result.GetInfo())
	case *pb.PresenceHubFrame_Update:
		return checkInfo(x.Update)
	case *pb.PresenceHubFrame_Error:
		if _, ok := pb.ErrorCode_name[int32(x.Error)]; !ok || x.Error == pb.ErrorCode_OK {
			return fmt.Errorf("%w: error code %d", ErrMalformed, x.Error)
		}
		return nil
	}
	return fmt.Errorf("%w: empty frame", ErrMalformed)
}

func checkInfo(i *pb.PresenceInfo) error {
	switch {
	case i == nil:
		return fmt.Errorf("%w: missing presence", ErrMalformed)
	case len(i.Account) != accountSize:
		return fmt.Errorf("%w: account of %d bytes", ErrMalformed, len(i.Account))
	case i.State == pb.PresenceState_PRESENCE_STATE_OFFLINE && i.LastSeenMs <= 0:
		return fmt.Errorf("%w: offline without last seen", ErrMalformed)
	case i.State != pb.PresenceState_PRESENCE_STATE_OFFLINE && i.LastSeenMs != 0:
		return fmt.Errorf("%w: last seen on state %v", ErrMalformed, i.State)
	case i.State != pb.PresenceState_PRESENCE_STATE_OFFLINE && i.State != pb.PresenceState_PRESENCE_STATE_ONLINE &&
		i.State != pb.PresenceState_PRESENCE_STATE_UNKNOWN:
		return fmt.Errorf("%w: state %d", ErrMalformed, i.State)
	}
	return nil
}

// account converts a checked 32-byte key.
func account(b []byte) identity.AccountID {
	var a identity.AccountID
	copy(a[:], b)
	return a
}

// privacyFromPB converts a checked setting; Allowed comes out sorted and
// without duplicates, ready for binary search.
func privacyFromPB(p *pb.PresencePrivacy) Privacy {
	out := Privacy{Visibility: Visibility(p.GetVisibility())}
	if len(p.GetAllowed()) > 0 {
		out.Allowed = make([]identity.AccountID, len(p.Allowed))
		for i, a := range p.Allowed {
			out.Allowed[i] = account(a)
		}
		slices.SortFunc(out.Allowed, compareAccounts)
		out.Allowed = slices.Clip(slices.Compact(out.Allowed))
	}
	return out
}

func (p Privacy) check() error {
	switch {
	case p.Visibility > Everyone:
		return fmt.Errorf("%w: visibility %d", ErrMalformed, p.Visibility)
	case len(p.Allowed) > MaxAllowed:
		return fmt.Errorf("%w: %d allowed accounts", ErrTooLarge, len(p.Allowed))
	case len(p.Allowed) > 0 && p.Visibility != Contacts:
		return fmt.Errorf("%w: allowed accounts without contacts visibility", ErrMalformed)
	}
	return nil
}

func (p Privacy) toPB() *pb.PresencePrivacy {
	out := &pb.PresencePrivacy{Visibility: pb.PresenceVisibility(p.Visibility)}
	for _, a := range p.Allowed {
		out.Allowed = append(out.Allowed, bytes.Clone(a[:]))
	}
	return out
}

func presenceFromPB(i *pb.PresenceInfo) Presence {
	p := Presence{Account: account(i.Account), State: State(i.State)}
	if p.State == Offline {
		p.LastSeen = time.UnixMilli(i.LastSeenMs)
	}
	return p
}

// appendFrame appends m to buf as one uvarint-delimited frame.
func appendFrame(buf []byte, m proto.Message) []byte {
	n := proto.Size(m)
	buf = binary.AppendUvarint(buf, uint64(n))
	buf, _ = proto.MarshalOptions{}.MarshalAppend(buf, m)
	return buf
}
