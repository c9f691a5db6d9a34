package link

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"strings"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"
	manet "github.com/multiformats/go-multiaddr/net"

	"github.com/pigeon-net/pigeon/protocol/identity"
)

// Limits of a link code.
const (
	// CodePrefix starts the text form of every link code.
	CodePrefix = "pigeon-link:"
	// MaxCodeAddrs is the most addresses a code carries.
	MaxCodeAddrs = 4
	// MaxCodeAddrSize bounds one address of a code (binary form).
	MaxCodeAddrSize = 96
	// MaxCodeSize bounds the binary form of a code: with the account, the
	// secret, a peer ID and four typical addresses (LAN TCP and QUIC, a
	// relay circuit) it is about 190 bytes.
	MaxCodeSize = 256
	// MaxCodeText bounds the text form: about 420 characters (see QRText).
	MaxCodeText = len(CodePrefix) + (MaxCodeSize*8+4)/5
	// DefaultCodeLifetime is how long a code made for a user stays valid.
	DefaultCodeLifetime = 10 * time.Minute
	// MaxCodeLifetime bounds the lifetime Offers.Add accepts.
	MaxCodeLifetime = time.Hour

	codeVersion  = 1
	codeChecksum = 4
	maxPeerID    = 64
)

var codeEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// Code is a one-time link code: what the existing device shows (as text or
// a QR code) and the new device types or scans. It names the account to
// join, the existing device's libp2p peer and where to dial it, and a
// secret that only the two devices know.
//
// Anyone who reads a code can ask to be linked with it until it is used or
// expires: treat it like a password, and compare the confirmation code
// (see the package documentation).
type Code struct {
	Account identity.AccountID
	Peer    peer.ID
	Addrs   []ma.Multiaddr
	Secret  [32]byte
	Expires time.Time // second precision
}

// NewCode makes a code with a fresh random secret for the existing device
// peer of account, valid until expires (rounded down to the second). From
// addrs it keeps at most MaxCodeAddrs that a new device may dial: those
// without a certificate hash (WebTransport and WebRTC addresses are too
// long for a QR code), at most MaxCodeAddrSize bytes each and within
// MaxCodeSize in all, taking LAN, public, relay circuit and loopback
// addresses in turn so that each kind is represented; a trailing
// /p2p/<peer> is dropped.
func NewCode(account identity.AccountID, p peer.ID, addrs []ma.Multiaddr, expires time.Time) (Code, error) {
	const op = "new link code"
	c := Code{Account: account, Peer: p, Expires: time.Unix(expires.Unix(), 0)}
	if err := c.check(); err != nil {
		return Code{}, fmt.Errorf("%s: %w", op, err)
	}
	if _, err := rand.Read(c.Secret[:]); err != nil {
		return Code{}, fmt.Errorf("%s: %w", op, err)
	}
	c.Addrs = pickAddrs(p, addrs, MaxCodeSize-len(c.encode()))
	return c, nil
}

// Expired reports whether the code has expired at now.
func (c Code) Expired(now time.Time) bool { return !now.Before(c.Expires) }

// String returns the text form: CodePrefix followed by the lowercase,
// unpadded base32 of the binary form and a 4-byte checksum. It holds the
// secret: never log it.
func (c Code) String() string {
	return CodePrefix + codeEncoding.EncodeToString(c.encode())
}

// QRText returns the text form in upper case, for QR codes: upper case
// letters and digits fit the QR alphanumeric mode, which takes a quarter
// less room than bytes. A typical code then fits a QR code of version 11
// (61 modules square) and the largest one version 13 (69), both at error
// correction level M: small enough for an 80-column terminal. ParseCode
// reads it.
func (c Code) QRText() string { return strings.ToUpper(c.String()) }

// ParseCode parses the text form. Surrounding space is ignored and upper
// case accepted (QR scanners may give either); errors wrap ErrMalformed or
// ErrTooLarge. It does not check the expiry: see Expired.
func ParseCode(s string) (Code, error) {
	const op = "parse link code"
	t := strings.TrimSpace(s)
	if len(t) > MaxCodeText {
		return Code{}, fmt.Errorf("%s: %w: %d characters, at most %d", op, ErrTooLarge, len(t), MaxCodeText)
	}
	t = strings.ToLower(t)
	if !strings.HasPrefix(t, CodePrefix) {
		return Code{}, fmt.Errorf("%s: %w: must start with %q", op, ErrMalformed, CodePrefix)
	}
	raw, err := codeEncoding.DecodeString(t[len(CodePrefix):])
	if err != nil {
		return Code{}, fmt.Errorf("%s: %w: not base32 (incomplete copy?)", op, ErrMalformed)
	}
	c, err := decodeCode(raw)
	if err != nil {
		return Code{}, fmt.Errorf("%s: %w", op, err)
	}
	if codeEncoding.EncodeToString(raw) != t[len(CodePrefix):] {
		// The last character may carry unused bits; only zeros are canonical.
		return Code{}, fmt.Errorf("%s: %w: not canonical", op, ErrMalformed)
	}
	return c, nil
}

// encode returns the binary form:
//
//	version (1) | account (32) | secret (32) | expiry (uvarint, Unix seconds)
//	| peer ID length (1) | peer ID | address count (1)
//	| per address: length (1) | binary multiaddr | checksum (4)
func (c Code) encode() []byte {
	b := make([]byte, 0, MaxCodeSize)
	b = append(b, codeVersion)
	b = append(b, c.Account[:]...)
	b = append(b, c.Secret[:]...)
	b = binary.AppendUvarint(b, uint64(c.Expires.Unix()))
	b = append(b, byte(len(c.Peer)))
	b = append(b, c.Peer...)
	b = append(b, byte(len(c.Addrs)))
	for _, a := range c.Addrs {
		ab := a.Bytes()
		b = append(b, byte(len(ab)))
		b = append(b, ab...)
	}
	return append(b, codeSum(b)...)
}

func codeSum(b []byte) []byte {
	h := sha256.New()
	h.Write([]byte("pigeon/link-code/v1"))
	h.Write(b)
	return h.Sum(nil)[:codeChecksum]
}

func decodeCode(raw []byte) (Code, error) {
	var c Code
	if len(raw) > MaxCodeSize {
		return c, fmt.Errorf("%w: %d bytes, at most %d", ErrTooLarge, len(raw), MaxCodeSize)
	}
	if len(raw) < 1+codeChecksum {
		return c, fmt.Errorf("%w: too short (incomplete copy?)", ErrMalformed)
	}
	body, sum := raw[:len(raw)-codeChecksum], raw[len(raw)-codeChecksum:]
	if !bytes.Equal(sum, codeSum(body)) {
		return c, fmt.Errorf("%w: checksum mismatch (typo or incomplete copy?)", ErrMalformed)
	}
	if body[0] != codeVersion {
		return c, fmt.Errorf("%w: version %d: update this device", ErrMalformed, body[0])
	}
	r := body[1:]
	take := func(n int) ([]byte, bool) {
		if n > len(r) {
			return nil, false
		}
		b := r[:n]
		r = r[n:]
		return b, true
	}
	short := fmt.Errorf("%w: truncated", ErrMalformed)
	b, ok := take(len(c.Account))
	if !ok {
		return c, short
	}
	copy(c.Account[:], b)
	if b, ok = take(len(c.Secret)); !ok {
		return c, short
	}
	copy(c.Secret[:], b)
	exp, n := binary.Uvarint(r)
	if n <= 0 || exp > 1<<40 {
		return c, fmt.Errorf("%w: expiry", ErrMalformed)
	}
	r = r[n:]
	c.Expires = time.Unix(int64(exp), 0)
	if b, ok = take(1); !ok {
		return c, short
	}
	if b, ok = take(int(b[0])); !ok {
		return c, short
	}
	p, err := peer.IDFromBytes(b)
	if err != nil {
		return c, fmt.Errorf("%w: peer id: %v", ErrMalformed, err)
	}
	c.Peer = p
	if b, ok = take(1); !ok {
		return c, short
	}
	count := int(b[0])
	if count > MaxCodeAddrs {
		return c, fmt.Errorf("%w: %d addresses, at most %d", ErrTooLarge, count, MaxCodeAddrs)
	}
	for range count {
		if b, ok = take(1); !ok {
			return c, short
		}
		if int(b[0]) > MaxCodeAddrSize {
			return c, fmt.Errorf("%w: address of %d bytes", ErrTooLarge, b[0])
		}
		if b, ok = take(int(b[0])); !ok {
			return c, short
		}
		a, err := ma.NewMultiaddrBytes(b)
		if err == nil && len(a) == 0 {
			err = fmt.Errorf("empty")
		}
		if err != nil {
			return c, fmt.Errorf("%w: address: %v", ErrMalformed, err)
		}
		c.Addrs = append(c.Addrs, a)
	}
	if len(r) != 0 {
		return c, fmt.Errorf("%w: %d trailing bytes", ErrMalformed, len(r))
	}
	if err := c.check(); err != nil {
		return c, err
	}
	if !bytes.Equal(c.encode(), raw) {
		return c, fmt.Errorf("%w: not canonical", ErrMalformed)
	}
	return c, nil
}

// check checks the fields other than the addresses and the secret.
func (c Code) check() error {
	if c.Account.IsZero() {
		return fmt.Errorf("%w: no account", ErrMalformed)
	}
	if err := c.Peer.Validate(); err != nil {
		return fmt.Errorf("%w: peer id: %v", ErrMalformed, err)
	}
	if len(c.Peer) > maxPeerID {
		return fmt.Errorf("%w: peer id of %d bytes", ErrTooLarge, len(c.Peer))
	}
	if _, err := peer.IDFromBytes([]byte(c.Peer)); err != nil {
		return fmt.Errorf("%w: peer id: %v", ErrMalformed, err)
	}
	if c.Expires.Unix() <= 0 {
		return fmt.Errorf("%w: no expiry", ErrMalformed)
	}
	return nil
}

// Kinds of address, in the order pickAddrs takes them.
const (
	kindLAN = iota
	kindPublic
	kindCircuit
	kindLoopback
	kinds
)

// pickAddrs chooses the addresses of a code (see NewCode) within budget
// bytes of the binary form.
func pickAddrs(self peer.ID, addrs []ma.Multiaddr, budget int) []ma.Multiaddr {
	var byKind [kinds][]ma.Multiaddr
	seen := make(map[string]bool)
	for _, a := range addrs {
		a = trimSelf(a, self)
		if len(a) == 0 || len(a.Bytes()) > MaxCodeAddrSize || seen[string(a.Bytes())] {
			continue
		}
		k, ok := addrKind(a)
		if !ok {
			continue
		}
		seen[string(a.Bytes())] = true
		byKind[k] = append(byKind[k], a)
	}
	var out []ma.Multiaddr
	for round := 0; len(out) < MaxCodeAddrs; round++ {
		took := false
		for k := range byKind {
			if round >= len(byKind[k]) || len(out) == MaxCodeAddrs {
				continue
			}
			took = true
			a := byKind[k][round]
			if n := 1 + len(a.Bytes()); n <= budget {
				out = append(out, a)
				budget -= n
			}
		}
		if !took {
			break
		}
	}
	return out
}

// trimSelf drops a trailing /p2p/<self> (a dialler adds it back).
func trimSelf(a ma.Multiaddr, self peer.ID) ma.Multiaddr {
	if len(a) == 0 {
		return a
	}
	last := a[len(a)-1]
	if last.Code() == ma.P_P2P && last.Value() == self.String() {
		return a[:len(a)-1]
	}
	return a
}

// addrKind classifies a; false means a does not belong in a code.
func addrKind(a ma.Multiaddr) (int, bool) {
	circuit := false
	for _, c := range a {
		switch c.Code() {
		case ma.P_CERTHASH, ma.P_UNIX:
			return 0, false
		case ma.P_CIRCUIT:
			circuit = true
		}
	}
	switch {
	case circuit:
		return kindCircuit, true
	case manet.IsIPUnspecified(a), manet.IsIP6LinkLocal(a):
		return 0, false
	case manet.IsIPLoopback(a):
		return kindLoopback, true
	case manet.IsPrivateAddr(a):
		return kindLAN, true
	case manet.IsPublicAddr(a):
		return kindPublic, true
	}
	return 0, false
}
