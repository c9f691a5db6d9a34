package group

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/pb"
)

func everyBody(tb testing.TB, other *testDevice) []Body {
	tb.Helper()
	key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{9}, 32)).Public().(ed25519.PublicKey)
	return []Body{
		&Add{Account: other.account, Role: RoleMember},
		&Add{Account: other.account, Role: RoleAdmin},
		&Remove{Account: other.account, Cuts: []Cut{{Device: 1, Seq: 7}, {Device: 2, Seq: 0}}},
		&SetRole{Account: other.account, Role: RoleAdmin},
		&SetInfo{Name: "renamed", Description: "ünïcode"},
		&SetSettings{Settings: Settings{Post: Admins, Add: Admins, EditInfo: Members}},
		&CreateInvite{Key: key, ExpiresAtMs: 123},
		&RevokeInvite{Key: key},
		&Join{Account: other.account, InviteKey: key, Signature: make([]byte, 64)},
		&Leave{Cuts: []Cut{{Device: 3, Seq: 1}}},
	}
}

func TestOpRoundTrip(t *testing.T) {
	owner := newDevice(t, "owner", 1, 1)
	other := newDevice(t, "other", 2, 1)
	g := owner.genesis(t, 10)
	if g.Group != ID(g.Hash) || !g.IsGenesis() || g.Author.Account != owner.account {
		t.Fatalf("genesis: %+v", g)
	}
	raw, err := g.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	back, err := DecodeOp(raw)
	if err != nil {
		t.Fatal(err)
	}
	if back.Hash != g.Hash || back.Body.(*Create).Secret != g.Body.(*Create).Secret {
		t.Fatal("genesis changed in a round trip")
	}
	for _, body := range everyBody(t, other) {
		op, err := owner.signer.Sign(g.Group, 11, []Hash{g.Hash}, body)
		if err != nil {
			t.Fatalf("%T: %v", body, err)
		}
		raw, err := op.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		back, err := DecodeOp(raw)
		if err != nil {
			t.Fatalf("%T: %v", body, err)
		}
		if back.Hash != op.Hash || back.Group != g.Group || back.Clock != 11 || len(back.Parents) != 1 || back.Parents[0] != g.Hash {
			t.Fatalf("%T: header changed: %+v", body, back)
		}
		again, _ := proto.Marshal(&pb.GroupOp{Body: back.Wire.Body, Signature: back.Wire.Signature})
		if !bytes.Equal(again, raw) {
			t.Fatalf("%T: wire form changed", body)
		}
	}
}

func TestSignRefusesBadInput(t *testing.T) {
	owner := newDevice(t, "owner", 1, 1)
	other := newDevice(t, "other", 2, 1)
	g := owner.genesis(t, 10)
	cases := map[string]struct {
		group   ID
		parents []Hash
		body    Body
	}{
		"no group":        {ID{}, []Hash{g.Hash}, &Leave{}},
		"no parents":      {g.Group, nil, &Leave{}},
		"owner role":      {g.Group, []Hash{g.Hash}, &Add{Account: other.account, Role: RoleOwner}},
		"long name":       {g.Group, []Hash{g.Hash}, &SetInfo{Name: string(make([]byte, MaxNameSize+1))}},
		"bad utf8":        {g.Group, []Hash{g.Hash}, &SetInfo{Name: "\xff"}},
		"short key":       {g.Group, []Hash{g.Hash}, &CreateInvite{Key: make([]byte, 5)}},
		"negative expiry": {g.Group, []Hash{g.Hash}, &CreateInvite{Key: make([]byte, 32), ExpiresAtMs: -1}},
		"nil body":        {g.Group, []Hash{g.Hash}, nil},
		"duplicate cut":   {g.Group, []Hash{g.Hash}, &Leave{Cuts: []Cut{{1, 1}, {1, 2}}}},
	}
	for name, c := range cases {
		if _, err := owner.signer.Sign(c.group, 11, c.parents, c.body); err == nil {
			t.Errorf("%s: signed", name)
		}
	}
	if _, err := NewSigner(other.signer.key, owner.signer.cert.Signed); !errors.Is(err, ErrBadSignature) {
		t.Errorf("signer with another device's key: %v", err)
	}
}

func TestOpenOpRejects(t *testing.T) {
	owner := newDevice(t, "owner", 1, 1)
	other := newDevice(t, "other", 2, 1)
	g := owner.genesis(t, 10)
	op, err := owner.signer.Sign(g.Group, 11, []Hash{g.Hash}, &Add{Account: other.account, Role: RoleMember})
	if err != nil {
		t.Fatal(err)
	}
	resign := func(mutate func(*pb.GroupOpBody)) *pb.GroupOp {
		var m pb.GroupOpBody
		if err := proto.Unmarshal(op.Wire.Body, &m); err != nil {
			t.Fatal(err)
		}
		mutate(&m)
		raw, _ := proto.Marshal(&m)
		sig, _ := owner.signer.key.Sign(domainMessage(opDomain, raw))
		return &pb.GroupOp{Body: raw, Signature: sig}
	}
	flipped := bytes.Clone(op.Wire.Body)
	flipped[len(flipped)-1] ^= 1
	badSig := bytes.Clone(op.Wire.Signature)
	badSig[0] ^= 1
	cases := map[string]struct {
		w    *pb.GroupOp
		want error
	}{
		"nil":             {nil, ErrMalformed},
		"tampered body":   {&pb.GroupOp{Body: flipped, Signature: op.Wire.Signature}, nil},
		"tampered sig":    {&pb.GroupOp{Body: op.Wire.Body, Signature: badSig}, ErrBadSignature},
		"no signature":    {&pb.GroupOp{Body: op.Wire.Body}, ErrMalformed},
		"too large":       {&pb.GroupOp{Body: make([]byte, MaxOpSize), Signature: badSig}, ErrTooLarge},
		"not protobuf":    {&pb.GroupOp{Body: []byte{0xff, 0xff}, Signature: badSig}, ErrMalformed},
		"signed by other": {&pb.GroupOp{Body: op.Wire.Body, Signature: mustSign(t, other, op.Wire.Body)}, ErrBadSignature},
		"no parents":      {resign(func(m *pb.GroupOpBody) { m.Parents = nil }), ErrMalformed},
		"short parent":    {resign(func(m *pb.GroupOpBody) { m.Parents = [][]byte{{1}} }), ErrMalformed},
		"parent twice":    {resign(func(m *pb.GroupOpBody) { m.Parents = append(m.Parents, m.Parents[0]) }), ErrMalformed},
		"short group":     {resign(func(m *pb.GroupOpBody) { m.GroupId = []byte{1} }), ErrMalformed},
		"no group":        {resign(func(m *pb.GroupOpBody) { m.GroupId = nil }), ErrMalformed},
		"no body":         {resign(func(m *pb.GroupOpBody) { m.Op = nil }), ErrMalformed},
		"no certificate":  {resign(func(m *pb.GroupOpBody) { m.AuthorCertificate = nil }), nil},
		"other's cert":    {resign(func(m *pb.GroupOpBody) { m.AuthorCertificate = other.signer.cert.Signed }), ErrBadSignature},
		"role none":       {resign(func(m *pb.GroupOpBody) { m.GetAdd().Role = pb.GroupRole_GROUP_ROLE_NONE }), ErrMalformed},
		"short account":   {resign(func(m *pb.GroupOpBody) { m.GetAdd().Account = []byte{1} }), ErrMalformed},
		"create with id":  {resign(func(m *pb.GroupOpBody) { m.Op = g.bodyPB(t).Op }), ErrMalformed},
		"bad permission": {resign(func(m *pb.GroupOpBody) {
			m.Op = &pb.GroupOpBody_SetSettings{SetSettings: &pb.GroupSetSettings{Settings: &pb.GroupSettings{Post: 7}}}
		}), ErrMalformed},
		"too many parents": {resign(func(m *pb.GroupOpBody) { m.Parents = manyHashes(MaxParents + 1) }), ErrTooLarge},
	}
	for name, c := range cases {
		_, err := OpenOp(c.w)
		if err == nil || (c.want != nil && !errors.Is(err, c.want)) {
			t.Errorf("%s: got %v, want %v", name, err, c.want)
		}
	}
}

func mustSign(tb testing.TB, d *testDevice, body []byte) []byte {
	sig, err := d.signer.key.Sign(domainMessage(opDomain, body))
	if err != nil {
		tb.Fatal(err)
	}
	return sig
}

func (op *Op) bodyPB(tb testing.TB) *pb.GroupOpBody {
	var m pb.GroupOpBody
	if err := proto.Unmarshal(op.Wire.Body, &m); err != nil {
		tb.Fatal(err)
	}
	return &m
}

func manyHashes(n int) [][]byte {
	out := make([][]byte, n)
	for i := range out {
		out[i] = bytes.Repeat([]byte{byte(i)}, 32)
	}
	return out
}

func TestInviteLinkRoundTrip(t *testing.T) {
	owner := newDevice(t, "owner", 1, 1)
	l, err := NewInviteLink(ID{7}, owner.account)
	if err != nil {
		t.Fatal(err)
	}
	s := l.String()
	back, err := ParseInviteLink("  " + s + "\n")
	if err != nil {
		t.Fatal(err)
	}
	if back.Group != l.Group || back.Inviter != l.Inviter || !back.Key.Equal(l.Key) {
		t.Fatal("invite changed in a round trip")
	}
	typo := []byte(s)
	typo[10] = map[bool]byte{true: 'b', false: 'a'}[typo[10] == 'a']
	for _, bad := range []string{"", "pgi", s[:len(s)-1], string(typo), "xyz" + s[3:], s + "a"} {
		if _, err := ParseInviteLink(bad); err == nil {
			t.Errorf("parsed %q", bad)
		}
	}
}

func TestParseIDAndRoles(t *testing.T) {
	id := ID{1, 2, 3}
	back, err := ParseID(id.String())
	if err != nil || back != id {
		t.Fatalf("parse id: %v %v", back, err)
	}
	for _, bad := range []string{"", "zz", id.String()[:10]} {
		if _, err := ParseID(bad); err == nil {
			t.Errorf("parsed id %q", bad)
		}
	}
	for _, r := range []Role{RoleMember, RoleAdmin} {
		if got, err := ParseRole(r.String()); err != nil || got != r {
			t.Errorf("role %s: %v %v", r, got, err)
		}
	}
	if _, err := ParseRole("owner"); err == nil {
		t.Error("parsed role owner")
	}
	for _, p := range []Permission{Members, Admins} {
		if got, err := ParsePermission(p.String()); err != nil || got != p {
			t.Errorf("permission %s: %v %v", p, got, err)
		}
	}
}
