package push

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestUnifiedPushRequest checks the request against the UnifiedPush server
// spec and RFC 8030: POST to the endpoint URL, TTL and Urgency headers, a
// constant body of 1..4096 bytes.
func TestUnifiedPushRequest(t *testing.T) {
	srv := newGatewayServer(t, nil)
	d := newDispatcher(t, fastConfig(srv.Server))
	ep := Endpoint{Kind: UnifiedPush, URL: srv.URL + "/up/AbCdEf?x=1"}
	if err := d.Notify(ep, "dev-1"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "push sent", func() bool { return d.Stats().Sent == 1 })
	reqs := srv.requests("/up/")
	if len(reqs) != 1 {
		t.Fatalf("%d requests, want 1", len(reqs))
	}
	r := reqs[0]
	if r.Method != http.MethodPost || r.Path != "/up/AbCdEf" {
		t.Errorf("request %s %s", r.Method, r.Path)
	}
	want := map[string]string{
		"Content-Type": "application/octet-stream",
		"Ttl":          "3600",
		"Urgency":      "high",
	}
	for k, v := range want {
		if got := r.Header.Get(k); got != v {
			t.Errorf("header %s = %q, want %q", k, got, v)
		}
	}
	if string(r.Body) != WakeBody || len(r.Body) < 1 || len(r.Body) > 4096 {
		t.Errorf("body %q, want the constant %q", r.Body, WakeBody)
	}
	if got := r.Header.Get("Authorization"); got != "" {
		t.Errorf("unexpected Authorization %q", got)
	}
}

// TestUnifiedPushPlainHTTPLoopback: AllowLoopback lets tests use http.
func TestUnifiedPushPlainHTTPLoopback(t *testing.T) {
	got := make(chan string, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got <- r.Method + " " + r.URL.Path
		w.WriteHeader(http.StatusCreated)
	}))
	t.Cleanup(srv.Close)
	cfg := fastConfig(srv)
	cfg.HTTPClient = nil // the default client, loopback allowed
	d := newDispatcher(t, cfg)
	if err := d.Notify(Endpoint{Kind: UnifiedPush, URL: srv.URL + "/wake"}, "k"); err != nil {
		t.Fatal(err)
	}
	if r := <-got; r != "POST /wake" {
		t.Errorf("got %s", r)
	}
	waitFor(t, "sent", func() bool { return d.Stats().Sent == 1 })
}

func TestUnifiedPushStatuses(t *testing.T) {
	for _, tc := range []struct {
		status       int
		gone, failed bool
		refusal      Refusal // reported on Refused
		requests     int
	}{
		{status: 200, requests: 1},
		{status: 202, requests: 1},
		{status: 404, gone: true, refusal: RefusedGone, requests: 1},
		{status: 410, gone: true, refusal: RefusedGone, requests: 1},
		{status: 400, failed: true, refusal: RefusedRejected, requests: 1},
		{status: 413, failed: true, refusal: RefusedRejected, requests: 1},
		{status: 307, failed: true, refusal: RefusedRejected, requests: 1}, // redirects are not followed
		{status: 429, failed: true, requests: 3},                           // retried MaxAttempts times
		{status: 500, failed: true, requests: 3},
	} {
		t.Run(strconv.Itoa(tc.status), func(t *testing.T) {
			srv := newGatewayServer(t, func(int, *http.Request) reply {
				return reply{Status: tc.status, Header: map[string]string{"Location": "/elsewhere"}}
			})
			d := newDispatcher(t, fastConfig(srv.Server))
			ep := Endpoint{Kind: UnifiedPush, URL: srv.URL + "/up/1"}
			if err := d.Notify(ep, "k"); err != nil {
				t.Fatal(err)
			}
			waitFor(t, "push done", func() bool { s := d.Stats(); return s.Pending == 0 && s.Sent+s.Gone+s.Failed == 1 })
			s := d.Stats()
			if got := len(srv.requests("/")); got != tc.requests {
				t.Errorf("%d requests, want %d", got, tc.requests)
			}
			if (s.Gone == 1) != tc.gone || (s.Failed == 1) != tc.failed || (s.Sent == 1) != (!tc.gone && !tc.failed) {
				t.Errorf("stats %+v", s)
			}
			checkRefused(t, d, "k", ep, tc.refusal)
		})
	}
}

// fcmServer serves Google's token endpoint at /token and FCM at /v1/.
func fcmServer(t *testing.T, send func(n int, r *http.Request) reply) *gatewayServer {
	tokens := 0
	return newGatewayServer(t, func(n int, r *http.Request) reply {
		if r.URL.Path == "/token" {
			tokens++
			return reply{Status: 200, Header: map[string]string{"Content-Type": "application/json"},
				Body: `{"access_token":"ya29.test-` + strconv.Itoa(n) + `","expires_in":3599,"token_type":"Bearer"}`}
		}
		if send != nil {
			return send(n, r)
		}
		return reply{Status: 200, Body: `{"name":"projects/pigeon-test/messages/0:1"}`}
	})
}

func fcmConfig(t *testing.T, srv *gatewayServer) Config {
	key, _ := testKeys(t)
	cfg := fastConfig(srv.Server)
	cfg.FCMServiceAccount = serviceAccountJSON(t, key, srv.URL+"/token")
	cfg.FCMBaseURL = srv.URL
	return cfg
}

// TestFCMRequest checks the OAuth 2.0 JWT bearer token exchange and the
// HTTP v1 messages:send request as Google documents them.
func TestFCMRequest(t *testing.T) {
	key, _ := testKeys(t)
	srv := fcmServer(t, nil)
	d := newDispatcher(t, fcmConfig(t, srv))
	ep := Endpoint{Kind: FCM, Token: "fcm-token:APA91b_test-1"}
	before := time.Now().Unix()
	if err := d.Notify(ep, "dev-1"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "first push", func() bool { return d.Stats().Sent == 1 })
	if err := d.Notify(Endpoint{Kind: FCM, Token: "fcm-token-2"}, "dev-2"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "second push", func() bool { return d.Stats().Sent == 2 })
	after := time.Now().Unix()

	// Token exchange: one, cached for the second push.
	toks := srv.requests("/token")
	if len(toks) != 1 {
		t.Fatalf("%d token requests, want 1 (cached)", len(toks))
	}
	tr := toks[0]
	if tr.Method != http.MethodPost || tr.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
		t.Errorf("token request %s %q", tr.Method, tr.Header.Get("Content-Type"))
	}
	form, err := url.ParseQuery(string(tr.Body))
	if err != nil {
		t.Fatal(err)
	}
	if g := form.Get("grant_type"); g != "urn:ietf:params:oauth:grant-type:jwt-bearer" {
		t.Errorf("grant_type %q", g)
	}
	if len(form) != 2 {
		t.Errorf("form fields %v, want grant_type and assertion", form)
	}
	hdr, claims := verifyJWT(t, form.Get("assertion"), &key.PublicKey)
	if hdr["typ"] != "JWT" || hdr["kid"] != "kid-0123" {
		t.Errorf("assertion header %v", hdr)
	}
	if claims["iss"] != "relay@pigeon-test.iam.gserviceaccount.com" ||
		claims["scope"] != "https://www.googleapis.com/auth/firebase.messaging" ||
		claims["aud"] != srv.URL+"/token" {
		t.Errorf("assertion claims %v", claims)
	}
	// golang.org/x/oauth2 dates the assertion 10 s back, for clocks
	// ahead of Google's.
	iat, exp := unixClaim(t, claims, "iat"), unixClaim(t, claims, "exp")
	if iat < before-10 || iat > after-10 || exp != iat+3600 {
		t.Errorf("iat %d exp %d, want iat in [%d,%d] and exp = iat+3600", iat, exp, before-10, after-10)
	}

	// messages:send.
	sends := srv.requests("/v1/")
	if len(sends) != 2 {
		t.Fatalf("%d send requests, want 2", len(sends))
	}
	r := sends[0]
	if r.Method != http.MethodPost || r.Path != "/v1/projects/pigeon-test/messages:send" {
		t.Errorf("send %s %s", r.Method, r.Path)
	}
	if got := r.Header.Get("Authorization"); got != "Bearer ya29.test-0" {
		t.Errorf("Authorization %q", got)
	}
	if got := r.Header.Get("Content-Type"); !strings.HasPrefix(got, "application/json") {
		t.Errorf("Content-Type %q", got)
	}
	var body struct {
		Message map[string]json.RawMessage `json:"message"`
	}
	if err := json.Unmarshal(r.Body, &body); err != nil {
		t.Fatalf("body %s: %v", r.Body, err)
	}
	var (
		token   string
		data    map[string]string
		android map[string]string
	)
	json.Unmarshal(body.Message["token"], &token)
	json.Unmarshal(body.Message["data"], &data)
	json.Unmarshal(body.Message["android"], &android)
	if token != ep.Token {
		t.Errorf("message.token %q", token)
	}
	if len(data) != 1 || data["w"] != "1" {
		t.Errorf("message.data %v, want the constant {w:1}", data)
	}
	if android["priority"] != "high" || android["ttl"] != "3600s" {
		t.Errorf("message.android %v", android)
	}
	for k := range body.Message {
		switch k {
		case "token", "data", "android":
		default:
			t.Errorf("unexpected message field %q (content-free, data-only)", k)
		}
	}
	if got := srv.requests("/v1/")[1].Header.Get("Authorization"); got != "Bearer ya29.test-0" {
		t.Errorf("second push Authorization %q, want the cached token", got)
	}
}

func TestFCMRefreshesTokenAfter401(t *testing.T) {
	srv := fcmServer(t, func(n int, r *http.Request) reply {
		if n == 0 {
			return reply{Status: 401, Body: `{"error":{"code":401,"message":"Request had invalid authentication credentials.","status":"UNAUTHENTICATED"}}`}
		}
		return reply{Status: 200, Body: `{"name":"projects/pigeon-test/messages/1"}`}
	})
	d := newDispatcher(t, fcmConfig(t, srv))
	if err := d.Notify(Endpoint{Kind: FCM, Token: "t1"}, "k"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "sent", func() bool { return d.Stats().Sent == 1 })
	if n := len(srv.requests("/token")); n != 2 {
		t.Errorf("%d token requests, want 2", n)
	}
	sends := srv.requests("/v1/")
	if len(sends) != 2 || sends[0].Header.Get("Authorization") != "Bearer ya29.test-0" || sends[1].Header.Get("Authorization") != "Bearer ya29.test-1" {
		t.Errorf("sends %v", sends)
	}
	if s := d.Stats(); s.Retries != 0 {
		t.Errorf("token refresh counted as a retry: %+v", s)
	}
}

func TestFCMErrors(t *testing.T) {
	fcmErr := func(code int, status, errorCode string) string {
		return `{"error":{"code":` + strconv.Itoa(code) + `,"message":"m","status":"` + status +
			`","details":[{"@type":"type.googleapis.com/google.firebase.fcm.v1.FcmError","errorCode":"` + errorCode + `"}]}}`
	}
	for name, tc := range map[string]struct {
		rep              reply
		gone, failed     bool
		refusal          Refusal
		sends, tokenReqs int
	}{
		"unregistered": {rep: reply{Status: 404, Body: fcmErr(404, "NOT_FOUND", "UNREGISTERED")}, gone: true, refusal: RefusedGone, sends: 1, tokenReqs: 1},
		"bare 404":     {rep: reply{Status: 404}, gone: true, refusal: RefusedGone, sends: 1, tokenReqs: 1},
		"sender":       {rep: reply{Status: 403, Body: fcmErr(403, "PERMISSION_DENIED", "SENDER_ID_MISMATCH")}, gone: true, refusal: RefusedGone, sends: 1, tokenReqs: 1},
		"invalid":      {rep: reply{Status: 400, Body: fcmErr(400, "INVALID_ARGUMENT", "INVALID_ARGUMENT")}, failed: true, refusal: RefusedRejected, sends: 1, tokenReqs: 1},
		// The relay's credentials, not the device's endpoint: not refused.
		"denied":      {rep: reply{Status: 403, Body: fcmErr(403, "PERMISSION_DENIED", "")}, failed: true, sends: 1, tokenReqs: 1},
		"401 twice":   {rep: reply{Status: 401}, failed: true, sends: 2, tokenReqs: 2},
		"quota":       {rep: reply{Status: 429, Body: fcmErr(429, "RESOURCE_EXHAUSTED", "QUOTA_EXCEEDED")}, failed: true, sends: 3, tokenReqs: 1},
		"unavailable": {rep: reply{Status: 503, Body: fcmErr(503, "UNAVAILABLE", "UNAVAILABLE")}, failed: true, sends: 3, tokenReqs: 1},
		"internal":    {rep: reply{Status: 500, Body: fcmErr(500, "INTERNAL", "INTERNAL")}, failed: true, sends: 3, tokenReqs: 1},
	} {
		t.Run(name, func(t *testing.T) {
			srv := fcmServer(t, func(int, *http.Request) reply { return tc.rep })
			d := newDispatcher(t, fcmConfig(t, srv))
			ep := Endpoint{Kind: FCM, Token: "tok"}
			if err := d.Notify(ep, "k"); err != nil {
				t.Fatal(err)
			}
			waitFor(t, "done", func() bool { return d.Stats().Pending == 0 })
			s := d.Stats()
			if (s.Gone == 1) != tc.gone || (s.Failed == 1) != tc.failed || s.Sent != 0 {
				t.Errorf("stats %+v", s)
			}
			if n := len(srv.requests("/v1/")); n != tc.sends {
				t.Errorf("%d sends, want %d", n, tc.sends)
			}
			if n := len(srv.requests("/token")); n != tc.tokenReqs {
				t.Errorf("%d token requests, want %d", n, tc.tokenReqs)
			}
			checkRefused(t, d, "k", ep, tc.refusal)
		})
	}
}

func apnsConfig(t *testing.T, srv *gatewayServer) Config {
	_, key := testKeys(t)
	cfg := fastConfig(srv.Server)
	cfg.APNsKey = pkcs8PEM(t, key)
	cfg.APNsKeyID = "ABC123DEFG"
	cfg.APNsTeamID = "DEF123GHIJ"
	cfg.APNsURL = srv.URL + "/prod"
	cfg.APNsSandboxURL = srv.URL + "/sandbox"
	return cfg
}

// TestAPNsRequest checks the request against Apple's "Sending notification
// requests to APNs" and "Establishing a token-based connection to APNs".
func TestAPNsRequest(t *testing.T) {
	_, key := testKeys(t)
	srv := newGatewayServer(t, func(int, *http.Request) reply {
		return reply{Status: 200, Header: map[string]string{"apns-id": "EC1BF194-B3B2-424A-89A9-5A918A6E6B5B"}}
	})
	d := newDispatcher(t, apnsConfig(t, srv))
	before := time.Now().Unix()
	prod := Endpoint{Kind: APNs, Token: apnsToken, Topic: "net.pigeon.app"}
	sandbox := Endpoint{Kind: APNs, Token: apnsToken, Topic: "net.pigeon.app", Sandbox: true}
	if err := d.Notify(prod, "dev-1"); err != nil {
		t.Fatal(err)
	}
	if err := d.Notify(sandbox, "dev-2"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "pushes", func() bool { return d.Stats().Sent == 2 })
	after := time.Now().Unix()

	if n := len(srv.requests("/prod/3/device/" + apnsToken)); n != 1 {
		t.Errorf("%d production requests, want 1", n)
	}
	if n := len(srv.requests("/sandbox/3/device/" + apnsToken)); n != 1 {
		t.Errorf("%d sandbox requests, want 1", n)
	}
	var jwts []string
	for _, r := range srv.requests("/") {
		if r.Method != http.MethodPost || !strings.HasSuffix(r.Path, "/3/device/"+apnsToken) {
			t.Errorf("request %s %s", r.Method, r.Path)
		}
		if r.Proto != 2 {
			t.Errorf("HTTP/%d, APNs requires HTTP/2", r.Proto)
		}
		for k, v := range map[string]string{
			"apns-topic":     "net.pigeon.app",
			"apns-push-type": "background",
			"apns-priority":  "5",
		} {
			if got := r.Header.Get(k); got != v {
				t.Errorf("%s = %q, want %q", k, got, v)
			}
		}
		exp, err := strconv.ParseInt(r.Header.Get("apns-expiration"), 10, 64)
		if err != nil || exp < before+3600 || exp > after+3600 {
			t.Errorf("apns-expiration %q, want now+TTL in [%d,%d]", r.Header.Get("apns-expiration"), before+3600, after+3600)
		}
		for _, h := range []string{"apns-collapse-id", "apns-id"} {
			if r.Header.Get(h) != "" {
				t.Errorf("unexpected header %s", h)
			}
		}
		var body map[string]map[string]any
		if err := json.Unmarshal(r.Body, &body); err != nil {
			t.Fatalf("body %s: %v", r.Body, err)
		}
		if len(body) != 1 || len(body["aps"]) != 1 || body["aps"]["content-available"] != float64(1) {
			t.Errorf("body %s, want exactly {\"aps\":{\"content-available\":1}}", r.Body)
		}
		auth := r.Header.Get("authorization")
		if !strings.HasPrefix(auth, "bearer ") {
			t.Fatalf("authorization %q", auth)
		}
		jwts = append(jwts, strings.TrimPrefix(auth, "bearer "))
		hdr, claims := verifyJWT(t, jwts[len(jwts)-1], &key.PublicKey)
		if hdr["kid"] != "ABC123DEFG" || len(hdr) != 2 {
			t.Errorf("JWT header %v, want alg and kid only", hdr)
		}
		if claims["iss"] != "DEF123GHIJ" || len(claims) != 2 {
			t.Errorf("JWT claims %v, want iss and iat only", claims)
		}
		if iat := unixClaim(t, claims, "iat"); iat < before || iat > after {
			t.Errorf("iat %d not in [%d,%d]", iat, before, after)
		}
	}
	if len(jwts) == 2 && jwts[0] != jwts[1] {
		t.Error("provider token not reused")
	}
}

func TestAPNsRefreshesProviderToken(t *testing.T) {
	for _, reason := range []string{"ExpiredProviderToken", "InvalidProviderToken"} {
		t.Run(reason, func(t *testing.T) {
			srv := newGatewayServer(t, func(n int, r *http.Request) reply {
				if n == 0 {
					return reply{Status: 403, Body: `{"reason":"` + reason + `"}`}
				}
				return reply{Status: 200}
			})
			d := newDispatcher(t, apnsConfig(t, srv))
			if err := d.Notify(Endpoint{Kind: APNs, Token: apnsToken, Topic: "a.b"}, "k"); err != nil {
				t.Fatal(err)
			}
			waitFor(t, "sent", func() bool { return d.Stats().Sent == 1 })
			reqs := srv.requests("/")
			if len(reqs) != 2 {
				t.Fatalf("%d requests, want 2", len(reqs))
			}
			if reqs[0].Header.Get("authorization") == reqs[1].Header.Get("authorization") {
				t.Error("retried with the rejected provider token")
			}
		})
	}
}

func TestAPNsErrors(t *testing.T) {
	for name, tc := range map[string]struct {
		rep          reply
		gone, failed bool
		refusal      Refusal
		requests     int
	}{
		"unregistered":  {rep: reply{Status: 410, Body: `{"reason":"Unregistered","timestamp":1700000000000}`}, gone: true, refusal: RefusedGone, requests: 1},
		"bad token":     {rep: reply{Status: 400, Body: `{"reason":"BadDeviceToken"}`}, gone: true, refusal: RefusedGone, requests: 1},
		"not for topic": {rep: reply{Status: 400, Body: `{"reason":"DeviceTokenNotForTopic"}`}, gone: true, refusal: RefusedGone, requests: 1},
		"bad topic":     {rep: reply{Status: 400, Body: `{"reason":"BadTopic"}`}, failed: true, refusal: RefusedRejected, requests: 1},
		"forbidden":     {rep: reply{Status: 403, Body: `{"reason":"InvalidProviderToken"}`}, failed: true, requests: 2},
		"bad cert":      {rep: reply{Status: 403, Body: `{"reason":"BadCertificate"}`}, failed: true, requests: 1},
		"too many":      {rep: reply{Status: 429, Body: `{"reason":"TooManyRequests"}`}, failed: true, requests: 3},
		"internal":      {rep: reply{Status: 500, Body: `{"reason":"InternalServerError"}`}, failed: true, requests: 3},
		"unavailable":   {rep: reply{Status: 503, Body: `{"reason":"ServiceUnavailable"}`}, failed: true, requests: 3},
	} {
		t.Run(name, func(t *testing.T) {
			srv := newGatewayServer(t, func(int, *http.Request) reply { return tc.rep })
			d := newDispatcher(t, apnsConfig(t, srv))
			ep := Endpoint{Kind: APNs, Token: apnsToken, Topic: "a.b"}
			if err := d.Notify(ep, "k"); err != nil {
				t.Fatal(err)
			}
			waitFor(t, "done", func() bool { return d.Stats().Pending == 0 })
			s := d.Stats()
			if (s.Gone == 1) != tc.gone || (s.Failed == 1) != tc.failed || s.Sent != 0 {
				t.Errorf("stats %+v", s)
			}
			if n := len(srv.requests("/")); n != tc.requests {
				t.Errorf("%d requests, want %d", n, tc.requests)
			}
			checkRefused(t, d, "k", ep, tc.refusal)
		})
	}
}
