package link

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/makiuchi-d/gozxing/qrcode/decoder"
	"github.com/makiuchi-d/gozxing/qrcode/encoder"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/pigeon-net/pigeon/protocol/identity"
)

// testPeer returns a deterministic Ed25519 peer ID.
func testPeer(t testing.TB, seed byte) peer.ID {
	t.Helper()
	priv, err := crypto.UnmarshalEd25519PrivateKey(ed25519.NewKeyFromSeed(bytes.Repeat([]byte{seed}, ed25519.SeedSize)))
	if err != nil {
		t.Fatal(err)
	}
	p, err := peer.IDFromPrivateKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func testAccountID(seed byte) identity.AccountID {
	var id identity.AccountID
	copy(id[:], ed25519.NewKeyFromSeed(bytes.Repeat([]byte{seed}, ed25519.SeedSize)).Public().(ed25519.PublicKey))
	return id
}

func addrs(t testing.TB, ss ...string) []ma.Multiaddr {
	t.Helper()
	var out []ma.Multiaddr
	for _, s := range ss {
		a, err := ma.NewMultiaddr(s)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, a)
	}
	return out
}

// typicalAddrs are what a device behind a home router with a relay
// reservation listens on, as h.Addrs() gives them.
func typicalAddrs(t testing.TB) []ma.Multiaddr {
	relay := testPeer(t, 9)
	return addrs(t,
		"/ip4/127.0.0.1/tcp/4517",
		"/ip4/127.0.0.1/udp/4517/quic-v1",
		"/ip4/192.168.1.20/tcp/4517",
		"/ip4/192.168.1.20/udp/4517/quic-v1",
		"/ip4/192.168.1.20/udp/4517/quic-v1/webtransport/certhash/uEiAkH5a4DPGKUuOBjYw0CgwjvcJCJMD2K_1aluKR_tpevQ/certhash/uEiBsPJnCHNoBDv5SJDS7KMtT8Aq2GmHHIOD0bTNNZHa3mw",
		"/ip6/::1/tcp/4517",
		"/ip4/203.0.113.7/tcp/4001/p2p/"+relay.String()+"/p2p-circuit",
	)
}

func TestCodeRoundTrip(t *testing.T) {
	self := testPeer(t, 1)
	c, err := NewCode(testAccountID(2), self, typicalAddrs(t), testTime.Add(DefaultCodeLifetime+500*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	if c.Secret == ([32]byte{}) {
		t.Fatal("no secret")
	}
	if !c.Expires.Equal(testTime.Add(DefaultCodeLifetime)) {
		t.Fatalf("expiry %v not rounded down to the second", c.Expires)
	}
	s := c.String()
	if !strings.HasPrefix(s, CodePrefix) || s != strings.ToLower(s) || len(s) > MaxCodeText {
		t.Fatalf("text form %q (%d characters)", s, len(s))
	}
	t.Logf("code of %d addresses: %d characters", len(c.Addrs), len(s))
	for _, in := range []string{s, strings.ToUpper(s), "  " + s + "\n"} {
		got, err := ParseCode(in)
		if err != nil {
			t.Fatalf("parse %q: %v", in, err)
		}
		if got.String() != s || got.Account != c.Account || got.Peer != c.Peer || got.Secret != c.Secret || !got.Expires.Equal(c.Expires) {
			t.Fatalf("round trip changed the code: %+v, want %+v", got, c)
		}
	}
	c2, err := NewCode(c.Account, self, nil, c.Expires)
	if err != nil {
		t.Fatal(err)
	}
	if c2.Secret == c.Secret {
		t.Fatal("two codes share a secret")
	}
	if _, err := ParseCode(c2.String()); err != nil {
		t.Fatalf("code without addresses: %v", err)
	}
}

// NewCode keeps a handful of dialable addresses, one of each kind first,
// and leaves out those a new device cannot use or that are too long.
func TestNewCodePicksAddrs(t *testing.T) {
	self := testPeer(t, 1)
	in := append(typicalAddrs(t), addrs(t,
		"/ip4/0.0.0.0/tcp/4517",
		"/ip6/fe80::1/tcp/4517",
		"/ip4/10.0.0.5/tcp/4517/p2p/"+self.String(),
		"/ip4/192.168.1.20/tcp/4517", // a duplicate
		"/ip4/198.51.100.1/tcp/4517", // documentation range: neither public nor private
		"/dns4/"+strings.Repeat("a", 100)+".example/tcp/4517",
		"/unix/tmp/pigeon.sock",
	)...)
	c, err := NewCode(testAccountID(2), self, in, testTime.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range c.Addrs {
		got = append(got, a.String())
	}
	want := []string{
		"/ip4/192.168.1.20/tcp/4517",
		"/ip4/203.0.113.7/tcp/4001/p2p/" + testPeer(t, 9).String() + "/p2p-circuit",
		"/ip4/127.0.0.1/tcp/4517",
		"/ip4/192.168.1.20/udp/4517/quic-v1",
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("addresses\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// The address with this device's own /p2p suffix is kept without it.
	c, err = NewCode(testAccountID(2), self, addrs(t, "/ip4/10.0.0.5/tcp/4517/p2p/"+self.String()), testTime.Add(time.Minute))
	if err != nil || len(c.Addrs) != 1 || c.Addrs[0].String() != "/ip4/10.0.0.5/tcp/4517" {
		t.Fatalf("trailing /p2p: %v %v", c.Addrs, err)
	}
}

func TestNewCodeErrors(t *testing.T) {
	if _, err := NewCode(identity.AccountID{}, testPeer(t, 1), nil, testTime); !errors.Is(err, ErrMalformed) {
		t.Fatalf("no account: %v", err)
	}
	if _, err := NewCode(testAccountID(2), "", nil, testTime); !errors.Is(err, ErrMalformed) {
		t.Fatalf("no peer: %v", err)
	}
	if _, err := NewCode(testAccountID(2), testPeer(t, 1), nil, time.Time{}); !errors.Is(err, ErrMalformed) {
		t.Fatalf("no expiry: %v", err)
	}
}

// A code's QRText fits a QR code an 80-column terminal can show with its
// quiet zone (version 13, 69 modules square, or less) at error correction
// level M, using the alphanumeric mode: a typical code version 11, the
// largest one version 13.
func TestCodeFitsQR(t *testing.T) {
	c, err := NewCode(testAccountID(2), testPeer(t, 1), typicalAddrs(t), testTime.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := ParseCode(c.QRText()); err != nil || got.String() != c.String() {
		t.Fatalf("QRText does not parse back: %v", err)
	}
	largest := strings.ToUpper(CodePrefix + codeEncoding.EncodeToString(make([]byte, MaxCodeSize)))
	if len(largest) != MaxCodeText {
		t.Fatalf("MaxCodeText %d, the largest code has %d characters", MaxCodeText, len(largest))
	}
	for _, tc := range []struct {
		name    string
		text    string
		version int
	}{
		{"typical", c.QRText(), 11},
		{"largest", largest, 13},
	} {
		qr, werr := encoder.Encoder_encodeWithoutHint(tc.text, decoder.ErrorCorrectionLevel_M)
		if werr != nil {
			t.Fatal(werr)
		}
		v := qr.GetVersion().GetVersionNumber()
		t.Logf("%s: %d characters, QR version %d, %s mode", tc.name, len(tc.text), v, qr.GetMode())
		if v > tc.version || qr.GetMode() != decoder.Mode_ALPHANUMERIC {
			t.Errorf("%s code needs QR version %d in %s mode, want at most %d in alphanumeric mode", tc.name, v, qr.GetMode(), tc.version)
		}
	}
}

func TestCodeExpired(t *testing.T) {
	c := Code{Expires: testTime}
	if c.Expired(testTime.Add(-time.Second)) || !c.Expired(testTime) || !c.Expired(testTime.Add(time.Second)) {
		t.Fatal("Expired is wrong at the edges")
	}
}

func TestParseCodeErrors(t *testing.T) {
	c, err := NewCode(testAccountID(2), testPeer(t, 1), typicalAddrs(t), testTime.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	good := c.String()
	body := good[len(CodePrefix):]
	// withRaw encodes raw with a correct checksum.
	withRaw := func(raw []byte) string {
		return CodePrefix + codeEncoding.EncodeToString(append(raw, codeSum(raw)...))
	}
	raw := c.encode()
	raw = raw[:len(raw)-codeChecksum]
	flip := []byte(body)
	flip[40] = map[bool]byte{true: 'b', false: 'a'}[flip[40] == 'a']
	version2 := append([]byte{2}, raw[1:]...)
	manyAddrs := append([]byte(nil), raw...)
	manyAddrs[1+32+32+5+1+len(c.Peer)] = MaxCodeAddrs + 1
	for _, tc := range []struct {
		name string
		in   string
		want error
		msg  string
	}{
		{"empty", "", ErrMalformed, "must start with"},
		{"account id", c.Account.String(), ErrMalformed, "must start with"},
		{"typo", CodePrefix + string(flip), ErrMalformed, "checksum"},
		{"truncated", good[:len(good)-10], ErrMalformed, ""},
		{"not base32", good + "!", ErrMalformed, "base32"},
		{"too long", good + strings.Repeat("a", MaxCodeText), ErrTooLarge, ""},
		{"non-canonical tail", CodePrefix + body[:len(body)-1] + nextChar(body[len(body)-1]), ErrMalformed, ""},
		{"version 2", withRaw(version2), ErrMalformed, "version 2"},
		{"too many addresses", withRaw(manyAddrs), ErrTooLarge, "addresses"},
		{"trailing bytes", withRaw(append(append([]byte(nil), raw...), 0)), ErrMalformed, "trailing"},
		{"overlong expiry", withRaw(overlongExpiry(raw)), ErrMalformed, "canonical"},
	} {
		_, err := ParseCode(tc.in)
		if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: error %v, want %v containing %q", tc.name, err, tc.want, tc.msg)
		}
	}
}

// nextChar returns the base32 character after b, which changes only the
// unused low bits of a last character when there are any.
func nextChar(b byte) string {
	i := strings.IndexByte("abcdefghijklmnopqrstuvwxyz234567", b)
	return string("abcdefghijklmnopqrstuvwxyz234567"[(i+1)%32])
}

// overlongExpiry re-encodes the expiry uvarint of raw with a redundant
// continuation byte.
func overlongExpiry(raw []byte) []byte {
	const at = 1 + 32 + 32
	n := 0
	for raw[at+n]&0x80 != 0 {
		n++
	}
	out := append([]byte(nil), raw[:at+n]...)
	out = append(out, raw[at+n]|0x80, 0)
	return append(out, raw[at+n+1:]...)
}
