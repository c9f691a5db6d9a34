package group

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"fmt"
	"strings"

	"github.com/pigeon-net/pigeon/protocol/identity"
)

// InviteLink is what an invite hands to a future member: the group, an
// account to ask (a member that can add), and the invite's private key,
// whose public half a CreateInvite op publishes. Its text form is "pgi"
// followed by the unpadded lowercase base32 of group ID, inviter account,
// key seed and a 4-byte checksum.
type InviteLink struct {
	Group   ID
	Inviter identity.AccountID
	Key     ed25519.PrivateKey
}

const invitePrefix = "pgi"

var inviteEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// NewInviteLink makes an invite link with a fresh key.
func NewInviteLink(group ID, inviter identity.AccountID) (*InviteLink, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("new invite: %w", err)
	}
	return &InviteLink{Group: group, Inviter: inviter, Key: priv}, nil
}

// PublicKey returns the key the CreateInvite op publishes.
func (l *InviteLink) PublicKey() ed25519.PublicKey {
	return l.Key.Public().(ed25519.PublicKey)
}

// JoinBody signs a Join of account with the invite key.
func (l *InviteLink) JoinBody(account identity.AccountID) *Join {
	return &Join{Account: account, InviteKey: l.PublicKey(), Signature: ed25519.Sign(l.Key, joinMessage(l.Group, account))}
}

func inviteChecksum(b []byte) []byte {
	h := sha256.New()
	h.Write([]byte("pigeon/group-invite/v1"))
	h.Write(b)
	return h.Sum(nil)[:4]
}

// String returns the text form.
func (l *InviteLink) String() string {
	b := make([]byte, 0, 3*32+4)
	b = append(b, l.Group[:]...)
	b = append(b, l.Inviter[:]...)
	b = append(b, l.Key.Seed()...)
	b = append(b, inviteChecksum(b)...)
	return invitePrefix + inviteEncoding.EncodeToString(b)
}

// ParseInviteLink parses the text form; surrounding space is ignored.
func ParseInviteLink(s string) (*InviteLink, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	if !strings.HasPrefix(t, invitePrefix) {
		return nil, fmt.Errorf("parse invite: %w: must start with %q", ErrMalformed, invitePrefix)
	}
	t = t[len(invitePrefix):]
	if len(t) > 200 {
		return nil, fmt.Errorf("parse invite: %w", ErrTooLarge)
	}
	b, err := inviteEncoding.DecodeString(t)
	if err != nil || len(b) != 3*32+4 || inviteEncoding.EncodeToString(b) != t {
		return nil, fmt.Errorf("parse invite: %w: not an invite", ErrMalformed)
	}
	if !bytes.Equal(b[96:], inviteChecksum(b[:96])) {
		return nil, fmt.Errorf("parse invite: %w: checksum mismatch (typo?)", ErrMalformed)
	}
	return &InviteLink{Group: ID(b[:32]), Inviter: identity.AccountID(b[32:64]), Key: ed25519.NewKeyFromSeed(b[64:96])}, nil
}

// NewCreate returns a Create body with a fresh nonce and secret.
func NewCreate(name, description string, s Settings) (*Create, error) {
	c := &Create{Name: name, Description: description, Settings: s}
	if _, err := rand.Read(c.Nonce[:]); err != nil {
		return nil, err
	}
	if _, err := rand.Read(c.Secret[:]); err != nil {
		return nil, err
	}
	if err := checkInfo(name, description); err != nil {
		return nil, err
	}
	return c, nil
}
