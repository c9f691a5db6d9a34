package group

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"unicode/utf8"

	"github.com/libp2p/go-libp2p/core/crypto"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/pb"
)

const (
	opDomain   = "pigeon/group-op/v1"
	joinDomain = "pigeon/group-join/v1"

	// MaxOpSize bounds a marshaled GroupOp (body and signature).
	MaxOpSize = 8 << 10
	// MaxParents bounds an op's parents.
	MaxParents = 32
	// MaxNameSize and MaxDescriptionSize bound the group's info, in bytes
	// of UTF-8.
	MaxNameSize        = 128
	MaxDescriptionSize = 2048
	// MaxMembers bounds a group's members.
	MaxMembers = 10000

	nonceSize     = 16
	secretSize    = 32
	maxSignature  = 128 // Ed25519 is 64; leave room for nothing else
	hashSize      = sha256.Size
	inviteKeySize = ed25519.PublicKeySize
)

// ID names a group: the hash of its genesis op.
type ID [hashSize]byte

// String is the lowercase hex form.
func (id ID) String() string { return hex.EncodeToString(id[:]) }

// Short returns the first characters of the hex form, for logs.
func (id ID) Short() string { return id.String()[:12] }

// IsZero reports whether the ID is unset.
func (id ID) IsZero() bool { return id == ID{} }

// ParseID parses the hex form.
func ParseID(s string) (ID, error) {
	var id ID
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != len(id) {
		return id, fmt.Errorf("parse group id: %w: want %d hex characters", ErrMalformed, 2*len(id))
	}
	copy(id[:], b)
	return id, nil
}

// IDFromBytes converts a 32-byte wire field.
func IDFromBytes(b []byte) (ID, error) {
	var id ID
	if len(b) != len(id) {
		return id, fmt.Errorf("group id: %w: %d bytes", ErrMalformed, len(b))
	}
	copy(id[:], b)
	return id, nil
}

// Hash names an op: SHA-256 of its signed body.
type Hash [hashSize]byte

func (h Hash) String() string { return hex.EncodeToString(h[:]) }

// Role is a member's role; RoleNone is not a member.
type Role int

const (
	RoleNone Role = iota
	RoleMember
	RoleAdmin
	RoleOwner
)

func (r Role) String() string {
	switch r {
	case RoleNone:
		return "none"
	case RoleMember:
		return "member"
	case RoleAdmin:
		return "admin"
	case RoleOwner:
		return "owner"
	}
	return "unknown"
}

// ParseRole parses "member" or "admin" (the roles ops may grant).
func ParseRole(s string) (Role, error) {
	switch s {
	case "member":
		return RoleMember, nil
	case "admin":
		return RoleAdmin, nil
	}
	return RoleNone, fmt.Errorf("%w: role %q (member or admin)", ErrMalformed, s)
}

// Permission says who may do something.
type Permission int

const (
	// Members lets every member do it.
	Members Permission = iota
	// Admins lets admins and the owner do it.
	Admins
)

func (p Permission) String() string {
	if p == Admins {
		return "admins"
	}
	return "members"
}

// ParsePermission parses "members" or "admins".
func ParsePermission(s string) (Permission, error) {
	switch s {
	case "members":
		return Members, nil
	case "admins":
		return Admins, nil
	}
	return Members, fmt.Errorf("%w: permission %q (members or admins)", ErrMalformed, s)
}

// Settings are a group's permissions.
type Settings struct {
	Post     Permission // who may send messages
	Add      Permission // who may add members and create invites
	EditInfo Permission // who may change name and description
	// AdminsDelete lets admins delete any member's message for everyone.
	AdminsDelete bool
}

// Body is the operation an op carries: one of *Create, *Add, *Remove,
// *SetRole, *SetInfo, *SetSettings, *CreateInvite, *RevokeInvite, *Join,
// *Leave.
type Body interface{ isBody() }

// Create is the genesis op's body.
type Create struct {
	Nonce       [nonceSize]byte
	Secret      [secretSize]byte
	Name        string
	Description string
	Settings    Settings
}

// Add makes an account a member (Role RoleMember or RoleAdmin).
type Add struct {
	Account identity.AccountID
	Role    Role
}

// Cut is the last message sequence number of one device that still counts
// after its account left or was removed.
type Cut struct {
	Device uint32
	Seq    uint64
}

// Remove removes a member; Cuts bound its devices' messages.
type Remove struct {
	Account identity.AccountID
	Cuts    []Cut
}

// SetRole changes a member's role (RoleMember or RoleAdmin).
type SetRole struct {
	Account identity.AccountID
	Role    Role
}

// SetInfo changes name and description.
type SetInfo struct {
	Name        string
	Description string
}

// SetSettings changes the permissions.
type SetSettings struct {
	Settings Settings
}

// CreateInvite publishes an invite key; ExpiresAtMs (0 = never) is compared
// with the clock of the join op.
type CreateInvite struct {
	Key         ed25519.PublicKey
	ExpiresAtMs int64
}

// RevokeInvite withdraws an invite.
type RevokeInvite struct {
	Key ed25519.PublicKey
}

// Join adds Account through an invite. A member authors it (the one the
// joining account asked); Signature is the invite key's over the group and
// Account, which only a holder of the invite link can make.
type Join struct {
	Account   identity.AccountID
	InviteKey ed25519.PublicKey
	Signature []byte
}

// Leave is authored by the leaving member; Cuts bound its devices'
// messages.
type Leave struct {
	Cuts []Cut
}

func (*Create) isBody()       {}
func (*Add) isBody()          {}
func (*Remove) isBody()       {}
func (*SetRole) isBody()      {}
func (*SetInfo) isBody()      {}
func (*SetSettings) isBody()  {}
func (*CreateInvite) isBody() {}
func (*RevokeInvite) isBody() {}
func (*Join) isBody()         {}
func (*Leave) isBody()        {}

// Op is a verified control operation.
type Op struct {
	Hash    Hash
	Group   ID // for the genesis op, its own hash
	Clock   uint64
	Parents []Hash
	Author  *identity.Certificate
	Body    Body
	// Wire is the signed form the op was made or verified from.
	Wire *pb.GroupOp
}

// IsGenesis reports whether op is a group's first op.
func (op *Op) IsGenesis() bool {
	_, ok := op.Body.(*Create)
	return ok && len(op.Parents) == 0
}

// Marshal returns the wire form.
func (op *Op) Marshal() ([]byte, error) { return proto.Marshal(op.Wire) }

// Signer signs ops for one device: its libp2p peer key and its account
// certificate, which must name that key's peer ID.
type Signer struct {
	key  crypto.PrivKey
	cert *identity.Certificate
}

// NewSigner checks that cert verifies and certifies key's peer ID.
func NewSigner(key crypto.PrivKey, cert *pb.Signed) (*Signer, error) {
	c, err := identity.VerifyCertificate(cert)
	if err != nil {
		return nil, fmt.Errorf("new signer: %w", err)
	}
	if key == nil || !c.PeerID.MatchesPrivateKey(key) {
		return nil, fmt.Errorf("new signer: %w: key is not the certified device's", ErrBadSignature)
	}
	return &Signer{key: key, cert: c}, nil
}

// Certificate returns the signer's verified certificate.
func (s *Signer) Certificate() *identity.Certificate { return s.cert }

// Genesis signs the first op of a new group. Nonce and Secret of c are
// filled with random bytes by the caller (see NewCreate).
func (s *Signer) Genesis(clock uint64, c *Create) (*Op, error) {
	return s.sign(ID{}, clock, nil, c)
}

// Sign signs an op of group with the given clock and parents (the heads
// the device had applied; see Log.Heads and Log.NextClock).
func (s *Signer) Sign(group ID, clock uint64, parents []Hash, body Body) (*Op, error) {
	if group.IsZero() {
		return nil, fmt.Errorf("sign op: %w: no group", ErrMalformed)
	}
	if len(parents) == 0 {
		return nil, fmt.Errorf("sign op: %w: no parents", ErrMalformed)
	}
	return s.sign(group, clock, parents, body)
}

func (s *Signer) sign(group ID, clock uint64, parents []Hash, body Body) (*Op, error) {
	const op = "sign op"
	m := &pb.GroupOpBody{Clock: clock, AuthorCertificate: s.cert.Signed}
	if !group.IsZero() {
		m.GroupId = group[:]
	}
	for _, p := range parents {
		m.Parents = append(m.Parents, bytes.Clone(p[:]))
	}
	if err := encodeBody(m, body); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	raw, err := proto.MarshalOptions{Deterministic: true}.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	sig, err := s.key.Sign(domainMessage(opDomain, raw))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	// Round-trip through the verifier so a signed op is exactly what
	// receivers accept.
	return OpenOp(&pb.GroupOp{Body: raw, Signature: sig})
}

// DecodeOp decodes and verifies a marshaled pb.GroupOp.
func DecodeOp(raw []byte) (*Op, error) {
	if len(raw) > MaxOpSize {
		return nil, fmt.Errorf("decode op: %w: %d bytes", ErrTooLarge, len(raw))
	}
	var w pb.GroupOp
	if err := proto.Unmarshal(raw, &w); err != nil {
		return nil, fmt.Errorf("decode op: %w: %v", ErrMalformed, err)
	}
	return OpenOp(&w)
}

// OpenOp verifies an op: size limits, field checks, the author's
// certificate, and the signature by the certified device's peer key. It
// does not check that the author may do what the op does; the fold does
// (see Log).
func OpenOp(w *pb.GroupOp) (*Op, error) {
	const op = "open op"
	if w == nil {
		return nil, fmt.Errorf("%s: %w: missing", op, ErrMalformed)
	}
	if len(w.GetBody())+len(w.GetSignature()) > MaxOpSize {
		return nil, fmt.Errorf("%s: %w: %d bytes", op, ErrTooLarge, len(w.GetBody()))
	}
	if len(w.GetSignature()) == 0 || len(w.GetSignature()) > maxSignature {
		return nil, fmt.Errorf("%s: %w: signature of %d bytes", op, ErrMalformed, len(w.GetSignature()))
	}
	var m pb.GroupOpBody
	if err := proto.Unmarshal(w.GetBody(), &m); err != nil {
		return nil, fmt.Errorf("%s: %w: %v", op, ErrMalformed, err)
	}
	o := &Op{Hash: sha256.Sum256(w.GetBody()), Clock: m.GetClock()}
	if len(m.GetParents()) > MaxParents {
		return nil, fmt.Errorf("%s: %w: %d parents", op, ErrTooLarge, len(m.GetParents()))
	}
	for _, p := range m.GetParents() {
		if len(p) != hashSize {
			return nil, fmt.Errorf("%s: %w: parent of %d bytes", op, ErrMalformed, len(p))
		}
		h := Hash(p)
		if slices.Contains(o.Parents, h) {
			return nil, fmt.Errorf("%s: %w: parent listed twice", op, ErrMalformed)
		}
		o.Parents = append(o.Parents, h)
	}
	body, err := decodeBody(&m)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	o.Body = body
	_, create := body.(*Create)
	switch {
	case len(m.GetGroupId()) == 0:
		if !create || len(o.Parents) > 0 {
			return nil, fmt.Errorf("%s: %w: no group id", op, ErrMalformed)
		}
		o.Group = ID(o.Hash)
	case create:
		return nil, fmt.Errorf("%s: %w: create op with a group id", op, ErrMalformed)
	default:
		if o.Group, err = IDFromBytes(m.GetGroupId()); err != nil {
			return nil, fmt.Errorf("%s: %w", op, err)
		}
		if len(o.Parents) == 0 {
			return nil, fmt.Errorf("%s: %w: no parents", op, ErrMalformed)
		}
	}
	cert, err := identity.VerifyCertificate(m.GetAuthorCertificate())
	if err != nil {
		return nil, fmt.Errorf("%s: author: %w", op, err)
	}
	pub, err := cert.PeerID.ExtractPublicKey()
	if err != nil {
		return nil, fmt.Errorf("%s: %w: author peer id has no key: %v", op, ErrBadSignature, err)
	}
	ok, err := pub.Verify(domainMessage(opDomain, w.GetBody()), w.GetSignature())
	if err != nil || !ok {
		return nil, fmt.Errorf("%s: %w", op, ErrBadSignature)
	}
	o.Author = cert
	o.Wire = &pb.GroupOp{Body: bytes.Clone(w.GetBody()), Signature: bytes.Clone(w.GetSignature())}
	return o, nil
}

func domainMessage(domain string, body []byte) []byte {
	m := make([]byte, 0, len(domain)+1+len(body))
	m = append(m, domain...)
	m = append(m, 0)
	return append(m, body...)
}

func encodeBody(m *pb.GroupOpBody, body Body) error {
	switch b := body.(type) {
	case *Create:
		if err := checkInfo(b.Name, b.Description); err != nil {
			return err
		}
		m.Op = &pb.GroupOpBody_Create{Create: &pb.GroupCreate{
			Nonce: bytes.Clone(b.Nonce[:]), Secret: bytes.Clone(b.Secret[:]),
			Name: b.Name, Description: b.Description, Settings: settingsPB(b.Settings),
		}}
	case *Add:
		if b.Role != RoleMember && b.Role != RoleAdmin {
			return fmt.Errorf("%w: add with role %s", ErrMalformed, b.Role)
		}
		m.Op = &pb.GroupOpBody_Add{Add: &pb.GroupAdd{Account: bytes.Clone(b.Account[:]), Role: pb.GroupRole(b.Role)}}
	case *Remove:
		m.Op = &pb.GroupOpBody_Remove{Remove: &pb.GroupRemove{Account: bytes.Clone(b.Account[:]), Cuts: cutsPB(b.Cuts)}}
	case *SetRole:
		if b.Role != RoleMember && b.Role != RoleAdmin {
			return fmt.Errorf("%w: set role %s", ErrMalformed, b.Role)
		}
		m.Op = &pb.GroupOpBody_SetRole{SetRole: &pb.GroupSetRole{Account: bytes.Clone(b.Account[:]), Role: pb.GroupRole(b.Role)}}
	case *SetInfo:
		if err := checkInfo(b.Name, b.Description); err != nil {
			return err
		}
		m.Op = &pb.GroupOpBody_SetInfo{SetInfo: &pb.GroupSetInfo{Name: b.Name, Description: b.Description}}
	case *SetSettings:
		m.Op = &pb.GroupOpBody_SetSettings{SetSettings: &pb.GroupSetSettings{Settings: settingsPB(b.Settings)}}
	case *CreateInvite:
		if len(b.Key) != inviteKeySize || b.ExpiresAtMs < 0 {
			return fmt.Errorf("%w: invite", ErrMalformed)
		}
		m.Op = &pb.GroupOpBody_CreateInvite{CreateInvite: &pb.GroupCreateInvite{InviteKey: bytes.Clone(b.Key), ExpiresAtMs: b.ExpiresAtMs}}
	case *RevokeInvite:
		if len(b.Key) != inviteKeySize {
			return fmt.Errorf("%w: invite key", ErrMalformed)
		}
		m.Op = &pb.GroupOpBody_RevokeInvite{RevokeInvite: &pb.GroupRevokeInvite{InviteKey: bytes.Clone(b.Key)}}
	case *Join:
		if len(b.InviteKey) != inviteKeySize || len(b.Signature) != ed25519.SignatureSize {
			return fmt.Errorf("%w: join", ErrMalformed)
		}
		m.Op = &pb.GroupOpBody_Join{Join: JoinPB(b)}
	case *Leave:
		m.Op = &pb.GroupOpBody_Leave{Leave: &pb.GroupLeave{Cuts: cutsPB(b.Cuts)}}
	default:
		return fmt.Errorf("%w: unknown op body %T", ErrMalformed, body)
	}
	return nil
}

func decodeBody(m *pb.GroupOpBody) (Body, error) {
	switch b := m.GetOp().(type) {
	case *pb.GroupOpBody_Create:
		c := b.Create
		if c == nil || len(c.GetNonce()) != nonceSize || len(c.GetSecret()) != secretSize {
			return nil, fmt.Errorf("%w: create", ErrMalformed)
		}
		if err := checkInfo(c.GetName(), c.GetDescription()); err != nil {
			return nil, err
		}
		s, err := settingsOf(c.GetSettings())
		if err != nil {
			return nil, err
		}
		return &Create{Nonce: [nonceSize]byte(c.GetNonce()), Secret: [secretSize]byte(c.GetSecret()),
			Name: c.GetName(), Description: c.GetDescription(), Settings: s}, nil
	case *pb.GroupOpBody_Add:
		a, err := accountOf(b.Add.GetAccount())
		if err != nil {
			return nil, err
		}
		r := Role(b.Add.GetRole())
		if r != RoleMember && r != RoleAdmin {
			return nil, fmt.Errorf("%w: add with role %d", ErrMalformed, r)
		}
		return &Add{Account: a, Role: r}, nil
	case *pb.GroupOpBody_Remove:
		a, err := accountOf(b.Remove.GetAccount())
		if err != nil {
			return nil, err
		}
		cuts, err := cutsOf(b.Remove.GetCuts())
		if err != nil {
			return nil, err
		}
		return &Remove{Account: a, Cuts: cuts}, nil
	case *pb.GroupOpBody_SetRole:
		a, err := accountOf(b.SetRole.GetAccount())
		if err != nil {
			return nil, err
		}
		r := Role(b.SetRole.GetRole())
		if r != RoleMember && r != RoleAdmin {
			return nil, fmt.Errorf("%w: set role %d", ErrMalformed, r)
		}
		return &SetRole{Account: a, Role: r}, nil
	case *pb.GroupOpBody_SetInfo:
		if err := checkInfo(b.SetInfo.GetName(), b.SetInfo.GetDescription()); err != nil {
			return nil, err
		}
		return &SetInfo{Name: b.SetInfo.GetName(), Description: b.SetInfo.GetDescription()}, nil
	case *pb.GroupOpBody_SetSettings:
		s, err := settingsOf(b.SetSettings.GetSettings())
		if err != nil {
			return nil, err
		}
		return &SetSettings{Settings: s}, nil
	case *pb.GroupOpBody_CreateInvite:
		k := b.CreateInvite.GetInviteKey()
		if len(k) != inviteKeySize || b.CreateInvite.GetExpiresAtMs() < 0 {
			return nil, fmt.Errorf("%w: invite", ErrMalformed)
		}
		return &CreateInvite{Key: ed25519.PublicKey(bytes.Clone(k)), ExpiresAtMs: b.CreateInvite.GetExpiresAtMs()}, nil
	case *pb.GroupOpBody_RevokeInvite:
		k := b.RevokeInvite.GetInviteKey()
		if len(k) != inviteKeySize {
			return nil, fmt.Errorf("%w: invite key", ErrMalformed)
		}
		return &RevokeInvite{Key: ed25519.PublicKey(bytes.Clone(k))}, nil
	case *pb.GroupOpBody_Join:
		return JoinOf(b.Join)
	case *pb.GroupOpBody_Leave:
		cuts, err := cutsOf(b.Leave.GetCuts())
		if err != nil {
			return nil, err
		}
		return &Leave{Cuts: cuts}, nil
	}
	return nil, fmt.Errorf("%w: no op body", ErrMalformed)
}

// JoinPB returns the wire form of a join (also the body of a join
// request).
func JoinPB(j *Join) *pb.GroupJoin {
	return &pb.GroupJoin{Account: bytes.Clone(j.Account[:]), InviteKey: bytes.Clone(j.InviteKey), InviteSignature: bytes.Clone(j.Signature)}
}

// JoinOf decodes a join (an op body or a join request) and checks its
// fields; the invite signature is checked by the fold, against the group.
func JoinOf(m *pb.GroupJoin) (*Join, error) {
	k, sig := m.GetInviteKey(), m.GetInviteSignature()
	if len(k) != inviteKeySize || len(sig) != ed25519.SignatureSize {
		return nil, fmt.Errorf("%w: join", ErrMalformed)
	}
	a, err := accountOf(m.GetAccount())
	if err != nil {
		return nil, err
	}
	return &Join{Account: a, InviteKey: ed25519.PublicKey(bytes.Clone(k)), Signature: bytes.Clone(sig)}, nil
}

// VerifyJoin checks a join's invite signature for group (not whether the
// invite is live: that depends on the log).
func VerifyJoin(group ID, j *Join) bool {
	return len(j.InviteKey) == inviteKeySize && ed25519.Verify(j.InviteKey, joinMessage(group, j.Account), j.Signature)
}

func checkInfo(name, desc string) error {
	if len(name) > MaxNameSize || len(desc) > MaxDescriptionSize {
		return fmt.Errorf("%w: name or description too long", ErrTooLarge)
	}
	if !utf8.ValidString(name) || !utf8.ValidString(desc) {
		return fmt.Errorf("%w: name or description not UTF-8", ErrMalformed)
	}
	return nil
}

func accountOf(b []byte) (identity.AccountID, error) {
	a, err := identity.AccountIDFromBytes(b)
	if err != nil {
		return a, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	return a, nil
}

func settingsPB(s Settings) *pb.GroupSettings {
	return &pb.GroupSettings{Post: pb.GroupPermission(s.Post), Add: pb.GroupPermission(s.Add), EditInfo: pb.GroupPermission(s.EditInfo),
		AdminsDelete: s.AdminsDelete}
}

func settingsOf(m *pb.GroupSettings) (Settings, error) {
	s := Settings{Post: Permission(m.GetPost()), Add: Permission(m.GetAdd()), EditInfo: Permission(m.GetEditInfo()),
		AdminsDelete: m.GetAdminsDelete()}
	for _, p := range []Permission{s.Post, s.Add, s.EditInfo} {
		if p != Members && p != Admins {
			return Settings{}, fmt.Errorf("%w: permission %d", ErrMalformed, p)
		}
	}
	return s, nil
}

func cutsPB(cuts []Cut) []*pb.GroupCut {
	var out []*pb.GroupCut
	for _, c := range cuts {
		out = append(out, &pb.GroupCut{Device: c.Device, Seq: c.Seq})
	}
	return out
}

func cutsOf(in []*pb.GroupCut) ([]Cut, error) {
	if len(in) > identity.MaxDevices {
		return nil, fmt.Errorf("%w: %d cuts", ErrTooLarge, len(in))
	}
	var out []Cut
	for _, c := range in {
		if c.GetDevice() < 1 || c.GetDevice() > identity.MaxDeviceID {
			return nil, fmt.Errorf("%w: cut device %d", ErrMalformed, c.GetDevice())
		}
		for _, o := range out {
			if o.Device == c.GetDevice() {
				return nil, fmt.Errorf("%w: device cut twice", ErrMalformed)
			}
		}
		out = append(out, Cut{Device: c.GetDevice(), Seq: c.GetSeq()})
	}
	return out, nil
}
