package push

import (
	"bytes"
	"context"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

const (
	// DefaultFCMBaseURL is the FCM HTTP v1 API.
	DefaultFCMBaseURL = "https://fcm.googleapis.com"
	// DefaultGoogleTokenURL is Google's OAuth 2.0 token endpoint, used when
	// the service account names none.
	DefaultGoogleTokenURL = "https://oauth2.googleapis.com/token"
	// FCMScope is the OAuth 2.0 scope for sending FCM messages.
	FCMScope = "https://www.googleapis.com/auth/firebase.messaging"
	// maxServiceAccountSize bounds the service-account JSON.
	maxServiceAccountSize = 64 << 10
	// tokenSlack is how long before expiry a cached access token is renewed.
	tokenSlack = 5 * time.Minute
)

// ServiceAccount is the part of a Google service-account key file (JSON)
// the FCM gateway uses.
type ServiceAccount struct {
	Type         string `json:"type"`
	ProjectID    string `json:"project_id"`
	PrivateKeyID string `json:"private_key_id"`
	PrivateKey   string `json:"private_key"`
	ClientEmail  string `json:"client_email"`
	TokenURI     string `json:"token_uri"`
}

// ParseServiceAccount parses and checks a service-account key file.
func ParseServiceAccount(b []byte) (*ServiceAccount, *rsa.PrivateKey, error) {
	if len(b) > maxServiceAccountSize {
		return nil, nil, fmt.Errorf("service account: %w: %d bytes", ErrCredentials, len(b))
	}
	var sa ServiceAccount
	if err := json.Unmarshal(b, &sa); err != nil {
		return nil, nil, fmt.Errorf("service account: %w: %s", ErrCredentials, err)
	}
	switch {
	case sa.Type != "service_account":
		return nil, nil, fmt.Errorf("service account: %w: type %q", ErrCredentials, sa.Type)
	case sa.ProjectID == "" || strings.ContainsAny(sa.ProjectID, "/?#%"):
		return nil, nil, fmt.Errorf("service account: %w: bad project_id", ErrCredentials)
	case sa.ClientEmail == "":
		return nil, nil, fmt.Errorf("service account: %w: no client_email", ErrCredentials)
	}
	if sa.TokenURI == "" {
		sa.TokenURI = DefaultGoogleTokenURL
	}
	key, err := parseRSAKey([]byte(sa.PrivateKey))
	if err != nil {
		return nil, nil, fmt.Errorf("service account: %w: private_key: %s", ErrCredentials, err)
	}
	return &sa, key, nil
}

// googleTokens obtains OAuth 2.0 access tokens for a service account with
// the JWT bearer grant (RFC 7523) and caches them until shortly before they
// expire.
type googleTokens struct {
	client   *http.Client
	email    string
	keyID    string
	key      *rsa.PrivateKey
	tokenURL string
	now      func() time.Time

	mu  sync.Mutex // guards tok and exp; held during a fetch so only one runs
	tok string
	exp time.Time
}

func (g *googleTokens) token(ctx context.Context) (string, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.tok != "" && g.now().Before(g.exp) {
		return g.tok, nil
	}
	tok, lifetime, err := g.fetch(ctx)
	if err != nil {
		return "", err
	}
	slack := min(tokenSlack, lifetime/2)
	g.tok, g.exp = tok, g.now().Add(lifetime-slack)
	return tok, nil
}

// invalidate drops tok from the cache if it is still the cached token.
func (g *googleTokens) invalidate(tok string) {
	g.mu.Lock()
	if g.tok == tok {
		g.tok = ""
	}
	g.mu.Unlock()
}

func (g *googleTokens) fetch(ctx context.Context) (string, time.Duration, error) {
	iat := g.now().Unix()
	header := map[string]string{"alg": "RS256", "typ": "JWT"}
	if g.keyID != "" {
		header["kid"] = g.keyID
	}
	assertion, err := signJWT(header, map[string]any{
		"iss":   g.email,
		"scope": FCMScope,
		"aud":   g.tokenURL,
		"iat":   iat,
		"exp":   iat + 3600,
	}, g.key)
	if err != nil {
		return "", 0, fmt.Errorf("fcm token: sign: %w", err)
	}
	form := url.Values{
		"grant_type": {"urn:ietf:params:oauth:grant-type:jwt-bearer"},
		"assertion":  {assertion},
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, g.tokenURL, strings.NewReader(form.Encode()))
	if err != nil {
		return "", 0, fmt.Errorf("fcm token: %w: %s", ErrCredentials, err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := g.client.Do(req)
	if err != nil {
		return "", 0, transportError(ctx, "fcm token", err)
	}
	body := readBody(resp)
	switch c := resp.StatusCode; {
	case c == http.StatusOK:
	case c == http.StatusTooManyRequests || c >= 500:
		return "", 0, retryable(retryAfter(resp.Header, g.now()), "fcm token: status %d", c)
	default:
		var e struct {
			Error string `json:"error"`
		}
		_ = json.Unmarshal(body, &e)
		return "", 0, fmt.Errorf("fcm token: %w: status %d %s", ErrCredentials, c, short(e.Error))
	}
	var tr struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int64  `json:"expires_in"`
		TokenType   string `json:"token_type"`
	}
	if err := json.Unmarshal(body, &tr); err != nil || tr.AccessToken == "" || !strings.EqualFold(tr.TokenType, "bearer") {
		return "", 0, fmt.Errorf("fcm token: %w: malformed token response", ErrCredentials)
	}
	lifetime := time.Duration(tr.ExpiresIn) * time.Second
	if tr.ExpiresIn <= 0 || tr.ExpiresIn > 24*3600 {
		lifetime = time.Hour
	}
	return tr.AccessToken, lifetime, nil
}

// fcmGateway speaks FCM HTTP v1 (projects.messages.send).
type fcmGateway struct {
	client  *http.Client
	sendURL string
	ttl     time.Duration
	tokens  *googleTokens
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
			return fmt.Errorf("fcm: %w: access token rejected after refresh", ErrInvalid)
		}
	}
}

func (g *fcmGateway) post(ctx context.Context, body []byte) error {
	tok, err := g.tokens.token(ctx)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, g.sendURL, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("fcm: %w: %s", ErrInvalid, err)
	}
	req.Header.Set("Authorization", "Bearer "+tok)
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
		g.tokens.invalidate(tok)
		return &authError{fmt.Errorf("fcm: status %d %s", c, status)}
	case c == http.StatusNotFound || code == "UNREGISTERED" || code == "SENDER_ID_MISMATCH":
		return fmt.Errorf("fcm: %w: status %d %s", ErrGone, c, qcode)
	case c == http.StatusTooManyRequests || c >= 500:
		return retryable(retryAfter(resp.Header, g.now()), "fcm: status %d %s", c, status)
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
