package identity

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"fmt"
	"strings"
)

// AccountID names an account: it is the account's Ed25519 public key, so
// anything signed by the account can be checked against the ID alone.
//
// Its text form is "pg" followed by the unpadded lowercase base32 of the key
// and a 4-byte checksum (60 characters in all), so a mistyped ID is caught
// before it is used. Only the canonical encoding parses.
type AccountID [ed25519.PublicKeySize]byte

const (
	idPrefix      = "pg"
	checksumSize  = 4
	accountIDText = len(idPrefix) + (ed25519.PublicKeySize+checksumSize)*8/5 + 1 // 60
)

var idEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

func idChecksum(key []byte) []byte {
	h := sha256.New()
	h.Write([]byte("pigeon/account-id/v1"))
	h.Write(key)
	return h.Sum(nil)[:checksumSize]
}

// String returns the text form users copy and share.
func (a AccountID) String() string {
	buf := make([]byte, 0, ed25519.PublicKeySize+checksumSize)
	buf = append(buf, a[:]...)
	buf = append(buf, idChecksum(a[:])...)
	return idPrefix + idEncoding.EncodeToString(buf)
}

// Short returns the first characters of the text form, for logs and prompts.
func (a AccountID) Short() string { return a.String()[:12] }

// PublicKey returns the account's Ed25519 public key.
func (a AccountID) PublicKey() ed25519.PublicKey { return ed25519.PublicKey(bytes.Clone(a[:])) }

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

// ParseAccountID parses the text form. Surrounding space is ignored and
// upper case accepted; a wrong length, alphabet or checksum is an error
// wrapping ErrMalformedID or ErrBadChecksum.
func ParseAccountID(s string) (AccountID, error) {
	var id AccountID
	t := strings.ToLower(strings.TrimSpace(s))
	if !strings.HasPrefix(t, idPrefix) {
		return id, fmt.Errorf("parse account id: %w: must start with %q", ErrMalformedID, idPrefix)
	}
	if len(t) != accountIDText {
		return id, fmt.Errorf("parse account id: %w: %d characters, want %d", ErrMalformedID, len(t), accountIDText)
	}
	raw, err := idEncoding.DecodeString(t[len(idPrefix):])
	if err != nil || len(raw) != ed25519.PublicKeySize+checksumSize {
		return id, fmt.Errorf("parse account id: %w: not base32", ErrMalformedID)
	}
	if idEncoding.EncodeToString(raw) != t[len(idPrefix):] {
		// The last character carries two unused bits; only zeros are canonical.
		return id, fmt.Errorf("parse account id: %w: not canonical", ErrMalformedID)
	}
	key, sum := raw[:ed25519.PublicKeySize], raw[ed25519.PublicKeySize:]
	if !bytes.Equal(sum, idChecksum(key)) {
		return id, fmt.Errorf("parse account id: %w (typo?)", ErrBadChecksum)
	}
	copy(id[:], key)
	return id, nil
}

// AccountIDFromBytes converts a 32-byte wire field.
func AccountIDFromBytes(b []byte) (AccountID, error) {
	var id AccountID
	if len(b) != len(id) {
		return id, fmt.Errorf("account id: %w: %d bytes, want %d", ErrMalformedID, len(b), len(id))
	}
	copy(id[:], b)
	return id, nil
}

// Account holds an account's private key. It signs device certificates and
// device lists.
type Account struct {
	priv ed25519.PrivateKey
}

// NewAccount creates a fresh account key.
func NewAccount() (*Account, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("new account: %w", err)
	}
	return &Account{priv: priv}, nil
}

// AccountFromSeed restores an account from its 32-byte seed.
func AccountFromSeed(seed []byte) (*Account, error) {
	if len(seed) != ed25519.SeedSize {
		return nil, fmt.Errorf("account from seed: %d bytes, want %d", len(seed), ed25519.SeedSize)
	}
	return &Account{priv: ed25519.NewKeyFromSeed(seed)}, nil
}

// Seed returns the private seed; store it like a password.
func (a *Account) Seed() []byte { return bytes.Clone(a.priv.Seed()) }

// ID returns the account ID.
func (a *Account) ID() AccountID {
	var id AccountID
	copy(id[:], a.priv.Public().(ed25519.PublicKey))
	return id
}

// sign signs body under a domain-separation string.
func (a *Account) sign(domain string, body []byte) []byte {
	return ed25519.Sign(a.priv, domainMessage(domain, body))
}

// verify checks a signature made by sign.
func verify(id AccountID, domain string, body, sig []byte) bool {
	return len(sig) == ed25519.SignatureSize && ed25519.Verify(id[:], domainMessage(domain, body), sig)
}

func domainMessage(domain string, body []byte) []byte {
	m := make([]byte, 0, len(domain)+1+len(body))
	m = append(m, domain...)
	m = append(m, 0)
	return append(m, body...)
}
