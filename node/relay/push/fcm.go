package push

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/google"
)

const (
	// DefaultFCMBaseURL is the FCM HTTP v1 API.
	DefaultFCMBaseURL = "https://fcm.googleapis.com"
	// FCMScope is the OAuth 2.0 scope for sending FCM messages.
	FCMScope = "https://www.googleapis.com/auth/firebase.messaging"
	// maxServiceAccountSize bounds the service-account JSON.
	maxServiceAccountSize = 64 << 10
)

// serviceAccount is the part of a Google service-account key file (JSON)
// checked before the relay starts; golang.org/x/oauth2/google reads the
// whole file. Its token_uri is where access tokens come from (tests point
// it at a local server).
type serviceAccount struct {
	Type        string `json:"type"`
	ProjectID   string `json:"project_id"`
	PrivateKey  string `json:"private_key"`
	ClientEmail string `json:"client_email"`
	TokenURI    string `json:"token_uri"`
}

// checkServiceAccount checks what a token request needs, so a bad key file
// stops the relay at start instead of failing every push.
func checkServiceAccount(b []byte) (*serviceAccount, error) {
	if len(b) > maxServiceAccountSize {
		return nil, fmt.Errorf("service account: %w: %d bytes", ErrCredentials, len(b))
	}
	var sa serviceAccount
	if err := json.Unmarshal(b, &sa); err != nil {
		return nil, fmt.Errorf("service account: %w: %s", ErrCredentials, err)
	}
	switch {
	case sa.Type != string(google.ServiceAccount):
		return nil, fmt.Errorf("service account: %w: type %q", ErrCredentials, sa.Type)
	case sa.ProjectID == "" || strings.ContainsAny(sa.ProjectID, "/?#%"):
		return nil, fmt.Errorf("service account: %w: bad project_id", ErrCredentials)
	case sa.ClientEmail == "":
		return nil, fmt.Errorf("service account: %w: no client_email", ErrCredentials)
	}
	if sa.TokenURI != "" {
		if u, err := url.Parse(sa.TokenURI); err != nil || u.Scheme != "https" && u.Scheme != "http" || u.Host == "" {
			return nil, fmt.Errorf("service account: %w: bad token_uri", ErrCredentials)
		}
	}
	if _, err := jwt.ParseRSAPrivateKeyFromPEM([]byte(sa.PrivateKey)); err != nil {
		return nil, fmt.Errorf("service account: %w: private_key: %s", ErrCredentials, err)
	}
	return &sa, nil
}

// fcmTokens hands out OAuth 2.0 access tokens for the service account:
// golang.org/x/oauth2/google signs the JWT bearer assertion (RS256) and
// exchanges it at the key file's token_uri, and its token source caches
// the token until shortly before it expires. A token FCM rejects is
// dropped by starting a fresh token source.
type fcmTokens struct {
	json []byte
	ctx  context.Context // carries the HTTP client token requests use

	mu   sync.Mutex // guards src and last
	src  oauth2.TokenSource
	last string // the access token src handed out last
}

// newFCMTokens fetches tokens through client, within timeout, until ctx
// ends: oauth2 makes its token requests with the client its context
// carries and without a context of their own, so that client gives them
// ctx (the dispatcher's lifetime: Close cancels them).
func newFCMTokens(ctx context.Context, sa []byte, client *http.Client, timeout time.Duration) (*fcmTokens, error) {
	tokenClient := &http.Client{
		Transport:     lifetimeTransport{base: client.Transport, ctx: ctx},
		Timeout:       timeout,
		CheckRedirect: noRedirects,
	}
	t := &fcmTokens{json: sa, ctx: context.WithValue(ctx, oauth2.HTTPClient, tokenClient)}
	src, err := t.source()
	if err != nil {
		return nil, err
	}
	t.src = src
	return t, nil
}

func (t *fcmTokens) source() (oauth2.TokenSource, error) {
	// The typed constructor refuses any other kind of credentials file
	// (CredentialsFromJSON would also take external-account files, which
	// make the library run programs and fetch URLs they name).
	creds, err := google.CredentialsFromJSONWithType(t.ctx, t.json, google.ServiceAccount, FCMScope)
	if err != nil {
		return nil, fmt.Errorf("service account: %w: %s", ErrCredentials, err)
	}
	return creds.TokenSource, nil
}

// token returns a valid access token, fetching one if needed.
func (t *fcmTokens) token() (*oauth2.Token, error) {
	t.mu.Lock()
	src := t.src
	t.mu.Unlock()
	tok, err := src.Token()
	if err != nil {
		return nil, err
	}
	if tok.AccessToken == "" {
		return nil, fmt.Errorf("fcm token: %w: empty access token", ErrCredentials)
	}
	t.mu.Lock()
	t.last = tok.AccessToken
	t.mu.Unlock()
	return tok, nil
}

// invalidate drops the cached token if it is still access.
func (t *fcmTokens) invalidate(access string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.last != access {
		return // already replaced
	}
	if src, err := t.source(); err == nil {
		t.src, t.last = src, ""
	}
}

// tokenError classifies a failed token request: the token endpoint's 408,
// 429 and 5xx and network failures are retried, other answers mean the
// credentials are wrong.
func tokenError(now time.Time, err error) error {
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		if errors.Is(err, ErrCredentials) {
			return err
		}
		return retryable(0, "fcm token: %s", err)
	}
	c := 0
	var h http.Header
	if re.Response != nil {
		c, h = re.Response.StatusCode, re.Response.Header
	}
	if c == http.StatusRequestTimeout || c == http.StatusTooManyRequests || c >= 500 {
		return retryable(retryAfter(h, now), "fcm token: status %d", c)
	}
	return fmt.Errorf("fcm token: %w: status %d %s", ErrCredentials, c, short(re.ErrorCode))
}

// fcmGateway speaks FCM HTTP v1 (projects.messages.send).
type fcmGateway struct {
	client  *http.Client
	sendURL string
	ttl     time.Duration
	tokens  *fcmTokens
	now     func() time.Time
}

type fcmRequest struct {
	Message fcmMessage `json:"message"`
}

type fcmMessage struct {
	Token   string            `json:"token"`
	Data    map[string]string `json:"data"`
	Android fcmAndroid        `json:"android"`
}

type fcmAndroid struct {
	CollapseKey string `json:"collapse_key"`
	Priority    string `json:"priority"`
	TTL         string `json:"ttl"`
}

func (g *fcmGateway) send(ctx context.Context, ep Endpoint) error {
	body, err := json.Marshal(fcmRequest{Message: fcmMessage{
		Token: ep.Token,
		Data:  map[string]string{"w": "1"},
		Android: fcmAndroid{
			CollapseKey: "w",
			Priority:    "high",
			TTL:         strconv.FormatInt(int64(g.ttl/time.Second), 10) + "s",
		},
	}})
	if err != nil {
		return fmt.Errorf("fcm: %w", err)
	}
	for refreshed := false; ; refreshed = true {
		err := g.post(ctx, body)
		var ae *authError
		if !errors.As(err, &ae) {
			return err
		}
		if refreshed {
			// The relay's service account is not allowed to send: its
			// operator has to fix it, the device cannot.
			return fmt.Errorf("fcm: %w: access token rejected after refresh", ErrCredentials)
		}
	}
}

func (g *fcmGateway) post(ctx context.Context, body []byte) error {
	tok, err := g.tokens.token()
	if err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("fcm token: %w", ctx.Err())
		}
		return tokenError(g.now(), err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, g.sendURL, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("fcm: %w: %s", ErrInvalid, err)
	}
	tok.SetAuthHeader(req)
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	resp, err := g.client.Do(req)
	if err != nil {
		return transportError(ctx, "fcm", err)
	}
	rb := readBody(resp)
	c := resp.StatusCode
	if c >= 200 && c < 300 {
		return nil
	}
	status, code := fcmErrorCode(rb)
	status, qcode := short(status), short(code)
	switch {
	case c == http.StatusUnauthorized:
		g.tokens.invalidate(tok.AccessToken)
		return &authError{fmt.Errorf("fcm: status %d %s", c, status)}
	case c == http.StatusNotFound || code == "UNREGISTERED" || code == "SENDER_ID_MISMATCH":
		return fmt.Errorf("fcm: %w: status %d %s", ErrGone, c, qcode)
	case c == http.StatusTooManyRequests || c >= 500:
		return retryable(retryAfter(resp.Header, g.now()), "fcm: status %d %s", c, status)
	case c == http.StatusForbidden:
		// PERMISSION_DENIED other than a sender mismatch: the service
		// account may not send for this project.
		return fmt.Errorf("fcm: %w: status %d %s %s", ErrCredentials, c, status, qcode)
	default:
		return fmt.Errorf("fcm: %w: status %d %s %s", ErrInvalid, c, status, qcode)
	}
}

// fcmErrorCode extracts error.status and the FcmError errorCode from an FCM
// error response.
func fcmErrorCode(b []byte) (status, code string) {
	var e struct {
		Error struct {
			Status  string `json:"status"`
			Details []struct {
				Type      string `json:"@type"`
				ErrorCode string `json:"errorCode"`
			} `json:"details"`
		} `json:"error"`
	}
	if json.Unmarshal(b, &e) != nil {
		return "", ""
	}
	for _, d := range e.Error.Details {
		if d.Type == "type.googleapis.com/google.firebase.fcm.v1.FcmError" {
			code = d.ErrorCode
		}
	}
	return e.Error.Status, code
}
