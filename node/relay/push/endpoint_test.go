package push

import (
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/pb"
)

var validEndpoints = []Endpoint{
	{Kind: UnifiedPush, URL: "https://ntfy.sh/upAbCdEf0123456789?up=1"},
	{Kind: Webhook, URL: "https://push.example.org:8443/wake/abc"},
	{Kind: FCM, Token: "dQw4w9WgXcQ:APA91bH-" + strings.Repeat("x", 140)},
	{Kind: APNs, Token: apnsToken, Topic: "net.pigeon.app"},
	{Kind: APNs, Token: strings.ToUpper(apnsToken) + "00", Topic: "net.pigeon.app-dev", Sandbox: true},
}

func TestEndpointValidate(t *testing.T) {
	for _, e := range validEndpoints {
		if err := e.Validate(); err != nil {
			t.Errorf("%+v: %v", e, err)
		}
	}
	bad := map[string]Endpoint{
		"no kind":             {URL: "https://example.org/x"},
		"unknown kind":        {Kind: 9, URL: "https://example.org/x"},
		"up http":             {Kind: UnifiedPush, URL: "http://example.org/x"},
		"up empty":            {Kind: UnifiedPush},
		"up too long":         {Kind: UnifiedPush, URL: "https://example.org/" + strings.Repeat("a", MaxURLLen)},
		"up loopback":         {Kind: UnifiedPush, URL: "https://127.0.0.1:8080/x"},
		"up localhost":        {Kind: UnifiedPush, URL: "https://localhost/x"},
		"up sub.localhost":    {Kind: UnifiedPush, URL: "https://a.localhost/x"},
		"up private":          {Kind: UnifiedPush, URL: "https://10.1.2.3/x"},
		"up link-local":       {Kind: UnifiedPush, URL: "https://[fe80::1]/x"},
		"up metadata":         {Kind: UnifiedPush, URL: "https://169.254.169.254/latest"},
		"up cgnat":            {Kind: UnifiedPush, URL: "https://100.64.0.1/x"},
		"up v4-mapped":        {Kind: UnifiedPush, URL: "https://[::ffff:10.0.0.1]/x"},
		"up userinfo":         {Kind: UnifiedPush, URL: "https://user:pw@example.org/x"},
		"up fragment":         {Kind: UnifiedPush, URL: "https://example.org/x#f"},
		"up space":            {Kind: UnifiedPush, URL: "https://example.org/a b"},
		"up no host":          {Kind: UnifiedPush, URL: "https:///x"},
		"up with token":       {Kind: UnifiedPush, URL: "https://example.org/x", Token: "t"},
		"up sandbox":          {Kind: UnifiedPush, URL: "https://example.org/x", Sandbox: true},
		"fcm empty":           {Kind: FCM},
		"fcm too long":        {Kind: FCM, Token: strings.Repeat("a", MaxFCMTokenLen+1)},
		"fcm space":           {Kind: FCM, Token: "a b"},
		"fcm slash":           {Kind: FCM, Token: "a/b"},
		"fcm with url":        {Kind: FCM, Token: "abc", URL: "https://example.org"},
		"fcm with topic":      {Kind: FCM, Token: "abc", Topic: "x"},
		"apns short":          {Kind: APNs, Token: apnsToken[:62], Topic: "a.b"},
		"apns odd":            {Kind: APNs, Token: apnsToken + "0", Topic: "a.b"},
		"apns too long":       {Kind: APNs, Token: strings.Repeat("ab", MaxAPNsTokenLen/2+1), Topic: "a.b"},
		"apns not hex":        {Kind: APNs, Token: strings.Repeat("zz", 32), Topic: "a.b"},
		"apns no topic":       {Kind: APNs, Token: apnsToken},
		"apns topic bad char": {Kind: APNs, Token: apnsToken, Topic: "a/b"},
		"apns topic too long": {Kind: APNs, Token: apnsToken, Topic: strings.Repeat("a", MaxTopicLen+1)},
		"apns with url":       {Kind: APNs, Token: apnsToken, Topic: "a.b", URL: "https://example.org"},
	}
	for name, e := range bad {
		if err := e.Validate(); !errors.Is(err, ErrInvalidEndpoint) {
			t.Errorf("%s: err = %v, want ErrInvalidEndpoint", name, err)
		}
	}
}

func TestEndpointAllowLoopback(t *testing.T) {
	for _, u := range []string{"http://127.0.0.1:1234/x", "https://127.0.0.1/x", "http://[::1]:80/x", "http://localhost:9/x"} {
		e := Endpoint{Kind: UnifiedPush, URL: u}
		if err := e.Validate(); err == nil {
			t.Errorf("%s accepted without AllowLoopback", u)
		}
		if err := e.Validate(AllowLoopback()); err != nil {
			t.Errorf("%s with AllowLoopback: %v", u, err)
		}
	}
	// AllowLoopback allows http only on loopback, and never private ranges.
	for _, u := range []string{"http://example.org/x", "https://192.168.1.1/x"} {
		if err := (Endpoint{Kind: UnifiedPush, URL: u}).Validate(AllowLoopback()); err == nil {
			t.Errorf("%s accepted", u)
		}
	}
}

// TestEndpointRefusalReasons: a refused URL says why, so the relay can
// tell the device.
func TestEndpointRefusalReasons(t *testing.T) {
	for u, want := range map[string]Refusal{
		"http://example.org/x":        RefusedPlainHTTP,
		"http://93.184.215.14/x":      RefusedPlainHTTP,
		"https://127.0.0.1/x":         RefusedLoopback,
		"https://LocalHost./x":        RefusedLoopback,
		"https://ntfy.localhost/x":    RefusedLoopback,
		"https://192.168.1.5/up":      RefusedPrivate,
		"http://192.168.1.5/up":       RefusedPrivate,
		"https://[fd00::5]/up":        RefusedPrivate,
		"https://[fe80::1%25eth0]/up": RefusedPrivate,
		"https://0.0.0.0/x":           RefusedPrivate,
		"ftp://example.org/x":         RefusedInvalid,
	} {
		err := Endpoint{Kind: UnifiedPush, URL: u}.Validate()
		if !errors.Is(err, ErrInvalidEndpoint) || RefusalOf(err) != want {
			t.Errorf("%s: %v (%s), want %s", u, err, RefusalOf(err), want)
		}
	}
}

// TestEndpointAllowPrivate: a relay that allows private networks accepts
// URLs there, over http too (a LAN distributor seldom has a certificate),
// and nothing else it refused before: other private networks, loopback,
// plain http on the internet.
func TestEndpointAllowPrivate(t *testing.T) {
	lan := AllowPrivate(PrivateNetworks()...)
	one := AllowPrivate(netip.MustParsePrefix("192.168.7.0/24"))
	everything := AllowPrivate(netip.MustParsePrefix("0.0.0.0/0"), netip.MustParsePrefix("::/0"))
	for _, tc := range []struct {
		url       string
		opt       ValidateOption
		want      Refusal
		plainOnly bool
	}{
		{"https://192.168.1.5/up/topic", lan, NotRefused, false},
		{"http://192.168.1.5:8080/up/topic", lan, NotRefused, false},
		{"http://10.0.0.7/up", lan, NotRefused, false},
		{"http://172.31.255.1/up", lan, NotRefused, false},
		{"http://[fd12:3456::1]:80/up", lan, NotRefused, false},
		{"http://[::ffff:192.168.1.5]/up", lan, NotRefused, false},
		{"http://192.168.7.200/up", one, NotRefused, false},
		{"http://192.168.8.1/up", one, RefusedPrivate, false},
		{"http://100.64.0.1/up", lan, RefusedPrivate, false},          // CGNAT is not in the LAN ranges
		{"http://169.254.169.254/latest", lan, RefusedPrivate, false}, // nor link-local
		{"http://100.64.0.1/up", everything, NotRefused, false},
		{"http://127.0.0.1/up", everything, RefusedLoopback, false}, // loopback only with AllowLoopback
		{"http://localhost/up", everything, RefusedLoopback, false},
		{"http://0.0.0.0/up", everything, RefusedPrivate, false},
		{"http://224.0.0.1/up", everything, RefusedPrivate, false},
		{"http://ntfy.lan/up", lan, RefusedPlainHTTP, false}, // a name could resolve to the internet
		{"http://93.184.215.14/up", everything, RefusedPlainHTTP, false},
		{"https://ntfy.lan/up", nil, NotRefused, false}, // names are checked when dialled
	} {
		var opts []ValidateOption
		if tc.opt != nil {
			opts = append(opts, tc.opt)
		}
		err := Endpoint{Kind: UnifiedPush, URL: tc.url}.Validate(opts...)
		if got := RefusalOf(err); got != tc.want {
			t.Errorf("%s: %v (%s), want %s", tc.url, err, got, tc.want)
		}
	}
	// Without the option, every private address is refused as before.
	if err := (Endpoint{Kind: UnifiedPush, URL: "https://192.168.1.5/up"}).Validate(); !errors.Is(err, ErrPrivateAddress) {
		t.Errorf("private address accepted without AllowPrivate: %v", err)
	}
	// A device accepts what any relay might.
	for _, u := range []string{"http://192.168.1.5/up", "http://127.0.0.1:2586/up", "https://[fd00::1]/x", "http://100.64.0.1/x"} {
		if err := (Endpoint{Kind: UnifiedPush, URL: u}).Validate(AnyAddress()); err != nil {
			t.Errorf("%s with AnyAddress: %v", u, err)
		}
	}
	if err := (Endpoint{Kind: UnifiedPush, URL: "http://example.org/x"}).Validate(AnyAddress()); !errors.Is(err, ErrPlainHTTP) {
		t.Errorf("plain http on the internet with AnyAddress: %v", err)
	}
}

func TestParseNetworks(t *testing.T) {
	got, err := ParseNetworks("lan, 100.64.0.0/10,192.168.7.9,::ffff:10.9.0.0/112")
	if err != nil {
		t.Fatal(err)
	}
	want := append(PrivateNetworks(), netip.MustParsePrefix("100.64.0.0/10"),
		netip.MustParsePrefix("192.168.7.9/32"), netip.MustParsePrefix("10.9.0.0/16"))
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("prefix %d: %v, want %v", i, got[i], want[i])
		}
	}
	if got, _ := ParseNetworks("10.1.2.3/8"); got[0] != netip.MustParsePrefix("10.0.0.0/8") {
		t.Errorf("not masked: %v", got)
	}
	for _, bad := range []string{"", ",", "lan,nonsense", "10.0.0.0/33", "fe80::1%eth0"} {
		if _, err := ParseNetworks(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// TestRedacted: what reaches logs and screens holds no capability.
func TestRedacted(t *testing.T) {
	for _, tc := range []struct {
		ep     Endpoint
		want   string
		secret string
	}{
		{Endpoint{Kind: UnifiedPush, URL: "https://ntfy.sh/upSecretTopic?up=1"}, "unifiedpush https://ntfy.sh/…", "SecretTopic"},
		{Endpoint{Kind: UnifiedPush, URL: "http://192.168.1.5:2586/upSecret"}, "unifiedpush http://192.168.1.5:2586/…", "upSecret"},
		{Endpoint{Kind: FCM, Token: "dQw4w9WgXcQ:APA91bSecret"}, "fcm (token of 24 bytes)", "Secret"},
		{Endpoint{Kind: APNs, Token: apnsToken, Topic: "net.pigeon.app", Sandbox: true}, "apns net.pigeon.app (token of 64 hex digits) sandbox", apnsToken[:16]},
	} {
		var logs strings.Builder
		slog.New(slog.NewTextHandler(&logs, nil)).Info("m", "endpoint", tc.ep)
		for _, got := range []string{tc.ep.Redacted(), tc.ep.String(), fmt.Sprintf("%v %+v", tc.ep, tc.ep), logs.String()} {
			if strings.Contains(got, tc.secret) {
				t.Errorf("%q leaks %q", got, tc.secret)
			}
		}
		if got := tc.ep.Redacted(); got != tc.want {
			t.Errorf("Redacted() = %q, want %q", got, tc.want)
		}
	}
}

func TestRefusalCodes(t *testing.T) {
	seen := map[string]bool{}
	for r := NotRefused; r < numRefusals; r++ {
		if RefusalFromPB(r.PB()) != r {
			t.Errorf("%d does not round-trip", r)
		}
		if r != NotRefused && (r.Code() == "" || seen[r.Code()] || r.String() == "") {
			t.Errorf("refusal %d: code %q, text %q", r, r.Code(), r)
		}
		seen[r.Code()] = true
	}
	if got := RefusalFromPB(200).String(); !strings.Contains(got, "200") {
		t.Errorf("unknown code: %q", got)
	}
	// pb names the same numbers.
	for code, r := range map[pb.PushRefusal]Refusal{
		pb.PushRefusal_PUSH_REFUSAL_NONE:       NotRefused,
		pb.PushRefusal_PUSH_REFUSAL_DISABLED:   RefusedDisabled,
		pb.PushRefusal_PUSH_REFUSAL_NO_GATEWAY: RefusedNoGateway,
		pb.PushRefusal_PUSH_REFUSAL_INVALID:    RefusedInvalid,
		pb.PushRefusal_PUSH_REFUSAL_PLAIN_HTTP: RefusedPlainHTTP,
		pb.PushRefusal_PUSH_REFUSAL_LOOPBACK:   RefusedLoopback,
		pb.PushRefusal_PUSH_REFUSAL_PRIVATE:    RefusedPrivate,
		pb.PushRefusal_PUSH_REFUSAL_GONE:       RefusedGone,
		pb.PushRefusal_PUSH_REFUSAL_REJECTED:   RefusedRejected,
	} {
		if RefusalFromPB(code) != r {
			t.Errorf("%s is not %s", code, r)
		}
	}
	if len(pb.PushRefusal_name) != int(numRefusals) {
		t.Errorf("pb has %d refusals, package %d", len(pb.PushRefusal_name), numRefusals)
	}
}

func TestEndpointRoundTrip(t *testing.T) {
	for _, e := range validEndpoints {
		b, err := MarshalEndpoint(e)
		if err != nil {
			t.Fatal(err)
		}
		got, err := UnmarshalEndpoint(b)
		if err != nil {
			t.Fatal(err)
		}
		if got != e {
			t.Errorf("round trip: got %+v, want %+v", got, e)
		}
		b2, _ := MarshalEndpoint(got)
		if string(b2) != string(b) {
			t.Error("encoding not deterministic")
		}
	}
	if _, err := MarshalEndpoint(Endpoint{Kind: FCM}); !errors.Is(err, ErrInvalidEndpoint) {
		t.Errorf("marshal invalid: %v", err)
	}
	loop := Endpoint{Kind: UnifiedPush, URL: "http://127.0.0.1:1/x"}
	b, err := MarshalEndpoint(loop, AllowLoopback())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := UnmarshalEndpoint(b); !errors.Is(err, ErrInvalidEndpoint) {
		t.Errorf("loopback endpoint decoded without AllowLoopback: %v", err)
	}
	if _, err := UnmarshalEndpoint(make([]byte, MaxEndpointSize+1)); !errors.Is(err, ErrInvalidEndpoint) {
		t.Errorf("oversized: %v", err)
	}
	for _, in := range [][]byte{nil, {0xff}, {0x08, 0x07}, {0x12, 0x05, 'a'}} {
		if _, err := UnmarshalEndpoint(in); !errors.Is(err, ErrInvalidEndpoint) {
			t.Errorf("%x: %v", in, err)
		}
	}
}

func FuzzUnmarshalEndpoint(f *testing.F) {
	for _, e := range validEndpoints {
		b, err := MarshalEndpoint(e)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, false)
	}
	b, _ := MarshalEndpoint(Endpoint{Kind: UnifiedPush, URL: "http://127.0.0.1:1/x"}, AllowLoopback())
	f.Add(b, true)
	f.Add([]byte{}, false)
	b, _ = MarshalEndpoint(Endpoint{Kind: UnifiedPush, URL: "http://192.168.1.5:2586/up"}, AnyAddress())
	f.Add(b, true)
	f.Fuzz(func(t *testing.T, b []byte, lenient bool) {
		var opts []ValidateOption
		if lenient {
			opts = append(opts, AllowLoopback(), AllowPrivate(PrivateNetworks()...))
		}
		if d := Describe(b); len(d) > 2*MaxTopicLen {
			t.Fatalf("description of %d bytes", len(d))
		}
		e, err := UnmarshalEndpoint(b, opts...)
		if err != nil {
			if !errors.Is(err, ErrInvalidEndpoint) {
				t.Fatalf("error %v does not wrap ErrInvalidEndpoint", err)
			}
			return
		}
		if err := e.Validate(opts...); err != nil {
			t.Fatalf("decoded endpoint does not validate: %v", err)
		}
		b2, err := MarshalEndpoint(e, opts...)
		if err != nil {
			t.Fatal(err)
		}
		e2, err := UnmarshalEndpoint(b2, opts...)
		if err != nil || e2 != e {
			t.Fatalf("re-encoding changed the endpoint: %+v %+v %v", e, e2, err)
		}
	})
}

// TestDescribeBounded: the description of an endpoint nobody validated
// stays short and names no token.
func TestDescribeBounded(t *testing.T) {
	long := strings.Repeat("a", MaxEndpointSize/2)
	for _, m := range []*pb.PushEndpoint{
		{Kind: pb.PushKind_PUSH_KIND_APNS, Token: long, Topic: long},
		{Kind: pb.PushKind_PUSH_KIND_UNIFIED_PUSH, Url: "https://" + long + "/x"},
		{Kind: pb.PushKind_PUSH_KIND_FCM, Token: long},
		{Kind: 99, Url: long},
	} {
		b, err := proto.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		if d := Describe(b); len(d) > 2*MaxTopicLen {
			t.Errorf("description of %d bytes: %.80s…", len(d), d)
		}
	}
	if d := Describe([]byte{0xff}); !strings.Contains(d, "undecodable") {
		t.Errorf("garbage described as %q", d)
	}
}
