package backup

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// MinPassphraseLen is the shortest passphrase PassphraseSecret accepts, in
// characters (Unicode code points after NFC normalisation).
const MinPassphraseLen = 10

// Recovery keys are 64 characters of Crockford base32 (0-9, A-Z without
// I, L, O, U): 40 bytes, of which 32 are the key (256 bits) and 8 a check
// (the first 8 bytes of SHA-256 over a label and the key). The check lets
// ParseRecoveryKey reject a typo at once, before any KDF or network.
const (
	recoveryKeyBytes   = 32
	recoveryCheckBytes = 8
	recoveryKeyChars   = 64 // (32+8)*8/5
	maxPassphraseBytes = 1024
	maxRecoveryKeyText = 256 // ParseRecoveryKey input, separators included
)

const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

type secretKind byte

const (
	kindRecovery   secretKind = 1
	kindPassphrase secretKind = 2
)

func (k secretKind) String() string {
	switch k {
	case kindRecovery:
		return "recovery-key"
	case kindPassphrase:
		return "passphrase"
	}
	return "unknown"
}

// Secret is what opens a repository: a recovery key or a passphrase. It
// never prints its value (fmt shows "backup.Secret(passphrase)").
type Secret struct {
	kind     secretKind
	material []byte // the 32-byte recovery key, or the NFC passphrase bytes
}

// String hides the secret.
func (s Secret) String() string { return "backup.Secret(" + s.kind.String() + ")" }

// GoString hides the secret from %#v.
func (s Secret) GoString() string { return s.String() }

// IsRecoveryKey reports whether s is a recovery key (else a passphrase).
func (s Secret) IsRecoveryKey() bool { return s.kind == kindRecovery }

func (s Secret) valid() bool { return s.kind != 0 && len(s.material) > 0 }

// NewRecoveryKey returns a fresh random recovery key in its display form:
// 64 characters in 16 groups of 4 separated by dashes
// ("7K2M-..."). Show it once; ParseRecoveryKey reads it back.
func NewRecoveryKey() (string, error) {
	key := make([]byte, recoveryKeyBytes)
	if _, err := rand.Read(key); err != nil {
		return "", fmt.Errorf("new recovery key: %w", err)
	}
	return formatRecoveryKey(key), nil
}

func recoveryCheck(key []byte) []byte {
	h := sha256.New()
	h.Write([]byte("pigeon backup recovery key check v1\x00"))
	h.Write(key)
	return h.Sum(nil)[:recoveryCheckBytes]
}

func formatRecoveryKey(key []byte) string {
	raw := append(append([]byte{}, key...), recoveryCheck(key)...)
	chars := encodeBase32(raw)
	var b strings.Builder
	for i := 0; i < len(chars); i += 4 {
		if i > 0 {
			b.WriteByte('-')
		}
		b.WriteString(chars[i : i+4])
	}
	return b.String()
}

// encodeBase32 encodes a multiple of 5 bytes, 5 bits a character.
func encodeBase32(raw []byte) string {
	out := make([]byte, 0, len(raw)*8/5)
	var acc uint64
	bits := 0
	for _, c := range raw {
		acc = acc<<8 | uint64(c)
		bits += 8
		for bits >= 5 {
			bits -= 5
			out = append(out, crockford[(acc>>bits)&31])
		}
	}
	return string(out)
}

func crockfordValue(c byte) (byte, bool) {
	switch {
	case c >= 'a' && c <= 'z':
		c -= 'a' - 'A'
	}
	switch c {
	case 'O':
		return 0, true
	case 'I', 'L':
		return 1, true
	}
	i := strings.IndexByte(crockford, c)
	if i < 0 {
		return 0, false
	}
	return byte(i), true
}

// ParseRecoveryKey reads a recovery key as typed: spaces, dashes and case
// do not matter, and O/I/L are read as 0/1/1. A key with a typo fails with
// ErrBadRecoveryKey (its built-in check catches it) without touching any
// repository.
func ParseRecoveryKey(s string) (Secret, error) {
	if len(s) > maxRecoveryKeyText {
		return Secret{}, fmt.Errorf("parse recovery key: too long: %w", ErrBadRecoveryKey)
	}
	vals := make([]byte, 0, recoveryKeyChars)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case ' ', '-', '\t', '\n', '\r', '_', '.':
			continue
		}
		v, ok := crockfordValue(c)
		if !ok {
			return Secret{}, fmt.Errorf("parse recovery key: character %q is not used in recovery keys: %w", rune(c), ErrBadRecoveryKey)
		}
		vals = append(vals, v)
	}
	if len(vals) != recoveryKeyChars {
		return Secret{}, fmt.Errorf("parse recovery key: %d characters, want %d: %w", len(vals), recoveryKeyChars, ErrBadRecoveryKey)
	}
	raw := make([]byte, 0, recoveryKeyBytes+recoveryCheckBytes)
	var acc uint64
	bits := 0
	for _, v := range vals {
		acc = acc<<5 | uint64(v)
		bits += 5
		if bits >= 8 {
			bits -= 8
			raw = append(raw, byte(acc>>bits))
		}
	}
	key, check := raw[:recoveryKeyBytes], raw[recoveryKeyBytes:]
	if subtle.ConstantTimeCompare(check, recoveryCheck(key)) != 1 {
		return Secret{}, fmt.Errorf("parse recovery key: check failed (a character is wrong or two are swapped): %w", ErrBadRecoveryKey)
	}
	return Secret{kind: kindRecovery, material: append([]byte(nil), key...)}, nil
}

// PassphraseSecret makes a Secret from a passphrase of at least
// MinPassphraseLen characters (else ErrWeakPassphrase). The passphrase is
// NFC-normalised so the same text typed on another system matches.
func PassphraseSecret(p string) (Secret, error) {
	if !utf8.ValidString(p) {
		return Secret{}, fmt.Errorf("passphrase: not valid UTF-8")
	}
	n := norm.NFC.String(p)
	if len(n) > maxPassphraseBytes {
		return Secret{}, fmt.Errorf("passphrase: longer than %d bytes", maxPassphraseBytes)
	}
	if utf8.RuneCountInString(n) < MinPassphraseLen {
		return Secret{}, fmt.Errorf("passphrase: %w", ErrWeakPassphrase)
	}
	return Secret{kind: kindPassphrase, material: []byte(n)}, nil
}
