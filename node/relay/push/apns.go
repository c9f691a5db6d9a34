package push

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

const (
	// DefaultAPNsURL and DefaultAPNsSandboxURL are Apple's production and
	// development push servers.
	DefaultAPNsURL        = "https://api.push.apple.com"
	DefaultAPNsSandboxURL = "https://api.sandbox.push.apple.com"
	// APNsBody is the body of every APNs wake-up: a background push with no
	// alert, badge or sound.
	APNsBody = `{"aps":{"content-available":1}}`
	// apnsTokenLifetime is how long a provider token is reused. Apple
	// rejects tokens older than an hour, and refreshes more often than
	// every 20 minutes (TooManyProviderTokenUpdates).
	apnsTokenLifetime = 50 * time.Minute
)

// apnsGateway speaks the APNs provider API over HTTP/2 with token-based
// authentication.
type apnsGateway struct {
	client     *http.Client
	prodURL    string
	sandboxURL string
	ttl        time.Duration
	keyID      string
	teamID     string
	key        *ecdsa.PrivateKey
	now        func() time.Time

	mu  sync.Mutex // guards jwt and iat
	jwt string
	iat time.Time
}

// parseAPNsKey reads the team's .p8 auth key: an EC P-256 private key in
// PEM (PKCS#8, as Apple hands it out, or SEC 1).
func parseAPNsKey(b []byte) (*ecdsa.PrivateKey, error) {
	key, err := jwt.ParseECPrivateKeyFromPEM(b)
	if err != nil {
		return nil, err
	}
	if key.Curve != elliptic.P256() {
		return nil, fmt.Errorf("private key is not on P-256")
	}
	return key, nil
}

// providerToken returns the cached provider token, or signs a new one when
// it is older than apnsTokenLifetime. The token is the JWT Apple
// specifies: header alg ES256 and kid (no typ), claims iss (the team) and
// iat; github.com/golang-jwt/jwt/v5 signs it.
func (g *apnsGateway) providerToken() (string, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	now := g.now()
	if g.jwt != "" && now.Sub(g.iat) < apnsTokenLifetime {
		return g.jwt, nil
	}
	t := jwt.NewWithClaims(jwt.SigningMethodES256, jwt.RegisteredClaims{
		Issuer:   g.teamID,
		IssuedAt: jwt.NewNumericDate(now),
	})
	t.Header = map[string]any{"alg": jwt.SigningMethodES256.Alg(), "kid": g.keyID}
	tok, err := t.SignedString(g.key)
	if err != nil {
		return "", fmt.Errorf("apns: sign provider token: %w", err)
	}
	g.jwt, g.iat = tok, now
	return tok, nil
}

func (g *apnsGateway) invalidate(tok string) {
	g.mu.Lock()
	if g.jwt == tok {
		g.jwt = ""
	}
	g.mu.Unlock()
}

func (g *apnsGateway) send(ctx context.Context, ep Endpoint) error {
	for refreshed := false; ; refreshed = true {
		err := g.post(ctx, ep)
		var ae *authError
		if !errors.As(err, &ae) {
			return err
		}
		if refreshed {
			// The relay's key, key ID or team ID is wrong: its operator
			// has to fix it, the device cannot.
			return fmt.Errorf("apns: %w: provider token rejected after refresh", ErrCredentials)
		}
	}
}

func (g *apnsGateway) post(ctx context.Context, ep Endpoint) error {
	tok, err := g.providerToken()
	if err != nil {
		return err
	}
	base := g.prodURL
	if ep.Sandbox {
		base = g.sandboxURL
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/3/device/"+ep.Token, bytes.NewReader([]byte(APNsBody)))
	if err != nil {
		return fmt.Errorf("apns: %w: %s", ErrInvalid, err)
	}
	req.Header.Set("authorization", "bearer "+tok)
	req.Header.Set("apns-topic", ep.Topic)
	req.Header.Set("apns-push-type", "background")
	req.Header.Set("apns-priority", "5")
	req.Header.Set("apns-expiration", strconv.FormatInt(g.now().Add(g.ttl).Unix(), 10))
	req.Header.Set("content-type", "application/json")
	resp, err := g.client.Do(req)
	if err != nil {
		return transportError(ctx, "apns", err)
	}
	rb := readBody(resp)
	c := resp.StatusCode
	if c == http.StatusOK {
		return nil
	}
	var e struct {
		Reason string `json:"reason"`
	}
	_ = json.Unmarshal(rb, &e)
	reason := short(e.Reason)
	switch {
	case c == http.StatusGone,
		c == http.StatusBadRequest && (e.Reason == "BadDeviceToken" || e.Reason == "DeviceTokenNotForTopic"):
		return fmt.Errorf("apns: %w: status %d %s", ErrGone, c, reason)
	case c == http.StatusForbidden && (e.Reason == "ExpiredProviderToken" || e.Reason == "InvalidProviderToken"):
		g.invalidate(tok)
		return &authError{fmt.Errorf("apns: status %d %s", c, reason)}
	case c == http.StatusTooManyRequests || c >= 500:
		return retryable(retryAfter(resp.Header, g.now()), "apns: status %d %s", c, reason)
	case c == http.StatusForbidden:
		// BadCertificate, Forbidden, MissingProviderToken: the relay's
		// credentials, not the device's endpoint.
		return fmt.Errorf("apns: %w: status %d %s", ErrCredentials, c, reason)
	default:
		return fmt.Errorf("apns: %w: status %d %s", ErrInvalid, c, reason)
	}
}

// short bounds a gateway-supplied string before it goes into an error.
func short(s string) string {
	const n = 64
	if len(s) > n {
		return strconv.Quote(s[:n]) + "…"
	}
	return strconv.Quote(s)
}
