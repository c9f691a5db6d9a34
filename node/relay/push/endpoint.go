package push

import (
	"fmt"
	"log/slog"
	"net/netip"
	"net/url"
	"strings"

	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/pb"
)

// Kind names the gateway that delivers a device's wake-ups.
type Kind uint8

const (
	// UnifiedPush is a UnifiedPush (Web Push) endpoint or any webhook: the
	// relay POSTs to Endpoint.URL.
	UnifiedPush Kind = 1
	// FCM is Firebase Cloud Messaging HTTP v1: Endpoint.Token is the
	// registration token.
	FCM Kind = 2
	// APNs is the Apple Push Notification service: Endpoint.Token is the
	// device token (hex), Endpoint.Topic the app's bundle ID.
	APNs Kind = 3
	// Webhook is another name for UnifiedPush: the wire protocol is the same.
	Webhook = UnifiedPush
)

func (k Kind) String() string {
	switch k {
	case UnifiedPush:
		return "unifiedpush"
	case FCM:
		return "fcm"
	case APNs:
		return "apns"
	}
	return fmt.Sprintf("kind(%d)", uint8(k))
}

// Limits on endpoint fields.
const (
	// MaxURLLen is the longest UnifiedPush endpoint URL; the UnifiedPush
	// server spec caps endpoints at 1000 bytes.
	MaxURLLen = 1000
	// MaxFCMTokenLen is the longest FCM registration token accepted.
	MaxFCMTokenLen = 4096
	// MinAPNsTokenLen and MaxAPNsTokenLen bound an APNs device token in hex
	// digits (32 bytes today; Apple says the length may grow).
	MinAPNsTokenLen = 64
	MaxAPNsTokenLen = 200
	// MaxTopicLen is the longest APNs topic (bundle ID).
	MaxTopicLen = 255
	// MaxEndpointSize is the largest encoded Endpoint UnmarshalEndpoint
	// accepts.
	MaxEndpointSize = 8 << 10
)

// Endpoint is what a device registers with its relays so they can wake it.
// Which fields are set depends on Kind; the others must be empty.
type Endpoint struct {
	Kind    Kind
	URL     string // UnifiedPush / webhook endpoint URL
	Token   string // FCM registration token, or APNs device token in hex
	Topic   string // APNs topic: the app's bundle ID
	Sandbox bool   // APNs development environment
}

// Redacted describes e without its secrets, for logs and screens: a
// UnifiedPush URL's scheme and host (its path and query are the
// capability: whoever knows them can push), and of a token only its
// length. String is the same.
func (e Endpoint) Redacted() string {
	switch e.Kind {
	case UnifiedPush:
		u, err := url.Parse(e.URL)
		if err != nil || u.Host == "" {
			return fmt.Sprintf("unifiedpush (url of %d bytes)", len(e.URL))
		}
		rest := ""
		if u.Path != "" && u.Path != "/" || u.RawQuery != "" {
			rest = "/…"
		}
		return "unifiedpush " + clip(u.Scheme) + "://" + clip(u.Host) + rest
	case FCM:
		return fmt.Sprintf("fcm (token of %d bytes)", len(e.Token))
	case APNs:
		s := fmt.Sprintf("apns %s (token of %d hex digits)", clip(e.Topic), len(e.Token))
		if e.Sandbox {
			s += " sandbox"
		}
		return s
	}
	return e.Kind.String()
}

func (e Endpoint) String() string { return e.Redacted() }

// clip bounds a field Redacted shows: Describe shows endpoints that were
// not validated.
func clip(s string) string {
	const n = 100
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// LogValue keeps the endpoint's secrets out of logs (see Redacted).
func (e Endpoint) LogValue() slog.Value { return slog.StringValue(e.Redacted()) }

// ValidateOption relaxes endpoint validation.
type ValidateOption func(*addrPolicy)

// AllowLoopback accepts UnifiedPush URLs on loopback addresses (127.0.0.0/8,
// ::1, localhost), over http or https. For tests and local development only:
// a relay that allows it lets any device make it POST to its own services.
func AllowLoopback() ValidateOption { return func(p *addrPolicy) { p.loopback = true } }

// AllowPrivate accepts UnifiedPush URLs on the non-public addresses inside
// prefixes (such as a self-hosted ntfy on the relay's LAN), over http or
// https; PrivateNetworks lists the usual ones. Loopback, unspecified and
// multicast addresses stay refused whatever the prefixes say (see
// AllowLoopback). A relay that allows a network lets any device make it
// POST there.
func AllowPrivate(prefixes ...netip.Prefix) ValidateOption {
	return func(p *addrPolicy) {
		for _, pr := range prefixes {
			p.private = append(p.private, canonicalPrefix(pr))
		}
	}
}

// AnyAddress accepts URLs on any address, private and loopback included,
// as a device does when it saves its own endpoint: each of its relays
// applies its own policy and says when it refuses one.
func AnyAddress() ValidateOption {
	return func(p *addrPolicy) { p.loopback, p.anyPrivate = true, true }
}

// PrivateNetworks returns the private networks of RFC 1918 (10.0.0.0/8,
// 172.16.0.0/12, 192.168.0.0/16) and RFC 4193 unique local addresses
// (fc00::/7): where a home or office LAN usually is.
func PrivateNetworks() []netip.Prefix {
	return []netip.Prefix{
		netip.MustParsePrefix("10.0.0.0/8"),
		netip.MustParsePrefix("172.16.0.0/12"),
		netip.MustParsePrefix("192.168.0.0/16"),
		netip.MustParsePrefix("fc00::/7"),
	}
}

// ParseNetworks parses a comma-separated list of CIDR prefixes or single
// addresses, where the word "lan" stands for PrivateNetworks: the value of
// a relay's --push-allow-private flag.
func ParseNetworks(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for f := range strings.SplitSeq(s, ",") {
		f = strings.TrimSpace(f)
		switch {
		case f == "":
			continue
		case strings.EqualFold(f, "lan"):
			out = append(out, PrivateNetworks()...)
			continue
		}
		p, err := netip.ParsePrefix(f)
		if err != nil {
			a, aerr := netip.ParseAddr(f)
			if aerr != nil || a.Zone() != "" {
				return nil, fmt.Errorf("parse networks: %q is neither a CIDR prefix nor an address", f)
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		out = append(out, canonicalPrefix(p))
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("parse networks: no prefix in %q", s)
	}
	return out, nil
}

// canonicalPrefix masks p and writes IPv4-mapped IPv6 prefixes as IPv4,
// the form addresses are compared in.
func canonicalPrefix(p netip.Prefix) netip.Prefix {
	if a := p.Addr(); a.Is4In6() && p.Bits() >= 96 {
		p = netip.PrefixFrom(a.Unmap(), p.Bits()-96)
	}
	return p.Masked()
}

// addrPolicy says which non-public addresses a relay may push to; the zero
// value allows public addresses only. Validation applies it to URLs that
// name an address, and the relay's dialer to every address it connects to.
type addrPolicy struct {
	loopback   bool
	anyPrivate bool
	private    []netip.Prefix
}

func newPolicy(opts []ValidateOption) addrPolicy {
	var p addrPolicy
	for _, o := range opts {
		o(&p)
	}
	return p
}

// check returns nil when the relay may connect to ip, else an error
// wrapping ErrLoopbackAddress or ErrPrivateAddress.
func (p addrPolicy) check(ip netip.Addr) error {
	ip = ip.Unmap()
	switch {
	case publicAddr(ip):
		return nil
	case ip.IsLoopback():
		if p.loopback {
			return nil
		}
		return ErrLoopbackAddress
	case ip.IsUnspecified() || ip.IsMulticast() || ip == broadcast || ip.Zone() != "":
		// 0.0.0.0 and :: reach the relay itself; zoned addresses name an
		// interface of the relay's.
		return ErrPrivateAddress
	case p.anyPrivate:
		return nil
	}
	for _, pr := range p.private {
		if pr.Contains(ip) {
			return nil
		}
	}
	return ErrPrivateAddress
}

var broadcast = netip.AddrFrom4([4]byte{255, 255, 255, 255})

// Validate checks every field against its kind's format and limits. URLs
// must be https and name a public address or a host name, unless opts
// allow more.
func (e Endpoint) Validate(opts ...ValidateOption) error {
	if err := e.validate(newPolicy(opts)); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidEndpoint, err)
	}
	return nil
}

func (e Endpoint) validate(p addrPolicy) error {
	switch e.Kind {
	case UnifiedPush:
		if e.Token != "" || e.Topic != "" || e.Sandbox {
			return fmt.Errorf("unifiedpush endpoint with token, topic or sandbox")
		}
		return validateURL(e.URL, p)
	case FCM:
		if e.URL != "" || e.Topic != "" || e.Sandbox {
			return fmt.Errorf("fcm endpoint with url, topic or sandbox")
		}
		if e.Token == "" || len(e.Token) > MaxFCMTokenLen {
			return fmt.Errorf("fcm token length %d not in 1..%d", len(e.Token), MaxFCMTokenLen)
		}
		for i := 0; i < len(e.Token); i++ {
			if b := e.Token[i]; b <= ' ' || b >= 0x7f || b == '"' || b == '\\' || b == '/' {
				return fmt.Errorf("fcm token has byte %#x", b)
			}
		}
		return nil
	case APNs:
		if e.URL != "" {
			return fmt.Errorf("apns endpoint with url")
		}
		if n := len(e.Token); n < MinAPNsTokenLen || n > MaxAPNsTokenLen || n%2 != 0 {
			return fmt.Errorf("apns token length %d not an even number in %d..%d", n, MinAPNsTokenLen, MaxAPNsTokenLen)
		}
		for i := 0; i < len(e.Token); i++ {
			if !isHex(e.Token[i]) {
				return fmt.Errorf("apns token not hex")
			}
		}
		if e.Topic == "" || len(e.Topic) > MaxTopicLen {
			return fmt.Errorf("apns topic length %d not in 1..%d", len(e.Topic), MaxTopicLen)
		}
		for i := 0; i < len(e.Topic); i++ {
			b := e.Topic[i]
			if !(b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '.' || b == '-') {
				return fmt.Errorf("apns topic has byte %#x", b)
			}
		}
		return nil
	}
	return fmt.Errorf("unknown kind %d", e.Kind)
}

func isHex(b byte) bool {
	return b >= '0' && b <= '9' || b >= 'a' && b <= 'f' || b >= 'A' && b <= 'F'
}

// validateURL checks a UnifiedPush URL. Plain http is allowed only to an
// address p allows off the public internet (loopback, a private network)
// named literally: a host name could resolve anywhere, and over http the
// URL, a capability, would cross the internet in the clear.
func validateURL(s string, p addrPolicy) error {
	if s == "" || len(s) > MaxURLLen {
		return fmt.Errorf("url length %d not in 1..%d", len(s), MaxURLLen)
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] >= 0x7f {
			return fmt.Errorf("url has byte %#x", s[i])
		}
	}
	u, err := url.Parse(s)
	if err != nil {
		return fmt.Errorf("url does not parse")
	}
	if u.User != nil || u.Fragment != "" || u.Opaque != "" {
		return fmt.Errorf("url with userinfo, fragment or opaque part")
	}
	if u.Scheme != "https" && u.Scheme != "http" {
		return fmt.Errorf("url scheme %q not https", u.Scheme)
	}
	host := u.Hostname()
	if host == "" {
		return fmt.Errorf("url without host")
	}
	name := strings.TrimSuffix(strings.ToLower(host), ".")
	ip, err := netip.ParseAddr(host)
	switch {
	case name == "localhost" || strings.HasSuffix(name, ".localhost"):
		// RFC 6761: these names are loopback, whatever DNS says.
		if !p.loopback {
			return ErrLoopbackAddress
		}
	case err == nil:
		if err := p.check(ip); err != nil {
			return err
		}
		if u.Scheme == "http" && publicAddr(ip.Unmap()) {
			return ErrPlainHTTP
		}
	case u.Scheme == "http":
		return ErrPlainHTTP
	}
	return nil
}

// publicAddr reports whether ip is a globally routable unicast address: a
// relay POSTs there without asking, so a device cannot aim it at the
// relay's own network unless the operator allows that network.
func publicAddr(ip netip.Addr) bool {
	ip = ip.Unmap()
	if !ip.IsGlobalUnicast() || ip.IsPrivate() || ip.Zone() != "" {
		return false
	}
	for _, p := range nonPublic {
		if p.Contains(ip) {
			return false
		}
	}
	return true
}

var nonPublic = []netip.Prefix{
	netip.MustParsePrefix("100.64.0.0/10"),   // carrier-grade NAT
	netip.MustParsePrefix("192.0.0.0/24"),    // IETF protocol assignments
	netip.MustParsePrefix("198.18.0.0/15"),   // benchmarking
	netip.MustParsePrefix("64:ff9b:1::/48"),  // local-use NAT64
	netip.MustParsePrefix("2001:db8::/32"),   // documentation
	netip.MustParsePrefix("192.0.2.0/24"),    // documentation
	netip.MustParsePrefix("198.51.100.0/24"), // documentation
	netip.MustParsePrefix("203.0.113.0/24"),  // documentation
}

var kindToPB = map[Kind]pb.PushKind{
	UnifiedPush: pb.PushKind_PUSH_KIND_UNIFIED_PUSH,
	FCM:         pb.PushKind_PUSH_KIND_FCM,
	APNs:        pb.PushKind_PUSH_KIND_APNS,
}

// MarshalEndpoint validates e (with opts) and encodes it as a
// pb.PushEndpoint, deterministically.
func MarshalEndpoint(e Endpoint, opts ...ValidateOption) ([]byte, error) {
	if err := e.Validate(opts...); err != nil {
		return nil, fmt.Errorf("marshal endpoint: %w", err)
	}
	m := &pb.PushEndpoint{Kind: kindToPB[e.Kind], Url: e.URL, Token: e.Token, Topic: e.Topic, Sandbox: e.Sandbox}
	b, err := proto.MarshalOptions{Deterministic: true}.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("marshal endpoint: %w", err)
	}
	return b, nil
}

// UnmarshalEndpoint decodes and validates (with opts) an endpoint encoded by
// MarshalEndpoint. Input over MaxEndpointSize is rejected before decoding.
func UnmarshalEndpoint(b []byte, opts ...ValidateOption) (Endpoint, error) {
	if len(b) > MaxEndpointSize {
		return Endpoint{}, fmt.Errorf("unmarshal endpoint: %w: %d bytes", ErrInvalidEndpoint, len(b))
	}
	var m pb.PushEndpoint
	if err := proto.Unmarshal(b, &m); err != nil {
		return Endpoint{}, fmt.Errorf("unmarshal endpoint: %w: %s", ErrInvalidEndpoint, err)
	}
	var e Endpoint
	switch m.Kind {
	case pb.PushKind_PUSH_KIND_UNIFIED_PUSH:
		e.Kind = UnifiedPush
	case pb.PushKind_PUSH_KIND_FCM:
		e.Kind = FCM
	case pb.PushKind_PUSH_KIND_APNS:
		e.Kind = APNs
	default:
		return Endpoint{}, fmt.Errorf("unmarshal endpoint: %w: unknown kind %d", ErrInvalidEndpoint, m.Kind)
	}
	e.URL, e.Token, e.Topic, e.Sandbox = m.Url, m.Token, m.Topic, m.Sandbox
	if err := e.Validate(opts...); err != nil {
		return Endpoint{}, fmt.Errorf("unmarshal endpoint: %w", err)
	}
	return e, nil
}

// Describe describes a marshaled endpoint without its secrets (see
// Redacted), whether or not it is valid: for logging what a device
// registered.
func Describe(raw []byte) string {
	var m pb.PushEndpoint
	if len(raw) > MaxEndpointSize || proto.Unmarshal(raw, &m) != nil {
		return fmt.Sprintf("undecodable endpoint (%d bytes)", len(raw))
	}
	return Endpoint{Kind: Kind(m.Kind), URL: m.Url, Token: m.Token, Topic: m.Topic, Sandbox: m.Sandbox}.Redacted()
}
