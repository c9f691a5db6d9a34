package push

import (
	"fmt"

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

// ValidateOption relaxes endpoint validation.
type ValidateOption func(*validateConfig)

type validateConfig struct{ loopback bool }

// AllowLoopback accepts UnifiedPush URLs on loopback addresses (127.0.0.0/8,
// ::1, localhost), over http or https. For tests and local development only:
// a relay that allows it lets any device make it POST to its own services.
func AllowLoopback() ValidateOption { return func(c *validateConfig) { c.loopback = true } }

// Validate checks every field against its kind's format and limits.
func (e Endpoint) Validate(opts ...ValidateOption) error {
	var c validateConfig
	for _, o := range opts {
		o(&c)
	}
	if err := e.validate(c); err != nil {
		return fmt.Errorf("%w: %s", ErrInvalidEndpoint, err)
	}
	return nil
}

func (e Endpoint) validate(c validateConfig) error {
	switch e.Kind {
	case UnifiedPush:
		if e.Token != "" || e.Topic != "" || e.Sandbox {
			return fmt.Errorf("unifiedpush endpoint with token, topic or sandbox")
		}
		return validateURL(e.URL, c.loopback)
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

func validateURL(s string, loopback bool) error {
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
	host := u.Hostname()
	if host == "" {
		return fmt.Errorf("url without host")
	}
	isLoop := isLoopbackHost(host)
	switch {
	case u.Scheme == "https":
	case u.Scheme == "http" && loopback && isLoop:
	default:
		return fmt.Errorf("url scheme %q not https", u.Scheme)
	}
	if isLoop {
		if !loopback {
			return fmt.Errorf("url on loopback")
		}
		return nil
	}
	if strings.HasSuffix(strings.ToLower(host), ".localhost") {
		return fmt.Errorf("url on localhost")
	}
	if ip, err := netip.ParseAddr(host); err == nil && !publicAddr(ip) {
		return fmt.Errorf("url on non-public address")
	}
	return nil
}

func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.Unmap().IsLoopback()
}

// publicAddr reports whether ip is a globally routable unicast address: a
// relay POSTs only there, so a device cannot aim it at the relay's own
// network.
func publicAddr(ip netip.Addr) bool {
	ip = ip.Unmap()
	if !ip.IsGlobalUnicast() || ip.IsPrivate() {
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
