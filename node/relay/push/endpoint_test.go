package push

import (
	"errors"
	"strings"
	"testing"
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
	f.Fuzz(func(t *testing.T, b []byte, loopback bool) {
		var opts []ValidateOption
		if loopback {
			opts = append(opts, AllowLoopback())
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
