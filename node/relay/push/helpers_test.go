package push

import (
	"container/heap"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/net/dns/dnsmessage"
)

// recorded is one request a test server received.
type recorded struct {
	Method, Path string
	Proto        int // ProtoMajor
	Header       http.Header
	Body         []byte
	At           time.Time
}

// reply is what a test server answers.
type reply struct {
	Status int
	Header map[string]string
	Body   string
}

// gatewayServer is a TLS test server with HTTP/2 enabled that records every
// request and answers with respond (201 with an empty body when nil).
type gatewayServer struct {
	*httptest.Server
	mu      sync.Mutex
	reqs    []recorded
	respond func(n int, r *http.Request) reply // n counts requests to r.URL.Path, from 0
	perPath map[string]int
}

func newGatewayServer(t *testing.T, respond func(n int, r *http.Request) reply) *gatewayServer {
	t.Helper()
	g := &gatewayServer{respond: respond, perPath: map[string]int{}}
	g.Server = httptest.NewUnstartedServer(http.HandlerFunc(g.serve))
	g.EnableHTTP2 = true
	g.StartTLS()
	t.Cleanup(g.Close)
	return g
}

func (g *gatewayServer) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	g.mu.Lock()
	g.reqs = append(g.reqs, recorded{r.Method, r.URL.Path, r.ProtoMajor, r.Header.Clone(), body, time.Now()})
	n := g.perPath[r.URL.Path]
	g.perPath[r.URL.Path]++
	g.mu.Unlock()
	rep := reply{Status: http.StatusCreated}
	if g.respond != nil {
		rep = g.respond(n, r)
	}
	for k, v := range rep.Header {
		w.Header().Set(k, v)
	}
	w.WriteHeader(rep.Status)
	io.WriteString(w, rep.Body)
}

// requests returns the requests received so far whose path has prefix.
func (g *gatewayServer) requests(prefix string) []recorded {
	g.mu.Lock()
	defer g.mu.Unlock()
	var out []recorded
	for _, r := range g.reqs {
		if strings.HasPrefix(r.Path, prefix) {
			out = append(out, r)
		}
	}
	return out
}

// waitFor polls cond until it holds or 10 s pass.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// fastConfig is a Config whose windows and backoffs take milliseconds.
func fastConfig(srv *httptest.Server) Config {
	return Config{
		HTTPClient:     srv.Client(),
		AllowLoopback:  true,
		TTL:            time.Hour,
		CoalesceWindow: time.Millisecond,
		MinBackoff:     time.Millisecond,
		MaxBackoff:     4 * time.Millisecond,
		MaxAttempts:    3,
	}
}

func newDispatcher(t *testing.T, cfg Config) *Dispatcher {
	t.Helper()
	d, err := New(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

// expireWindows makes every waiting push due now, as if its coalescing
// window had passed.
func expireWindows(d *Dispatcher) {
	d.mu.Lock()
	for _, j := range d.timers {
		j.due = time.Time{}
	}
	heap.Init(&d.timers)
	d.mu.Unlock()
	select {
	case d.kick <- struct{}{}:
	default:
	}
}

var (
	keysOnce sync.Once
	rsaKey   *rsa.PrivateKey
	ecKey    *ecdsa.PrivateKey
)

func testKeys(t *testing.T) (*rsa.PrivateKey, *ecdsa.PrivateKey) {
	t.Helper()
	keysOnce.Do(func() {
		var err error
		if rsaKey, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
		if ecKey, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
			panic(err)
		}
	})
	return rsaKey, ecKey
}

func pkcs8PEM(t testing.TB, key any) []byte {
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
}

func serviceAccountJSON(t testing.TB, key any, tokenURI string) []byte {
	b, err := json.Marshal(map[string]string{
		"type":           "service_account",
		"project_id":     "pigeon-test",
		"private_key_id": "kid-0123",
		"private_key":    string(pkcs8PEM(t, key)),
		"client_email":   "relay@pigeon-test.iam.gserviceaccount.com",
		"client_id":      "1234567890",
		"auth_uri":       "https://accounts.google.com/o/oauth2/auth",
		"token_uri":      tokenURI,
	})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// verifyJWT checks a compact JWS's signature with pub (RS256 for an RSA
// key, ES256 for an EC key) and returns its header and claims.
func verifyJWT(t *testing.T, tok string, pub crypto.PublicKey) (header, claims map[string]any) {
	t.Helper()
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("JWT has %d parts", len(parts))
	}
	dec := func(s string) []byte {
		b, err := base64.RawURLEncoding.DecodeString(s)
		if err != nil {
			t.Fatalf("JWT part not base64url without padding: %v", err)
		}
		return b
	}
	if err := json.Unmarshal(dec(parts[0]), &header); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(dec(parts[1]), &claims); err != nil {
		t.Fatal(err)
	}
	digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	sig := dec(parts[2])
	switch k := pub.(type) {
	case *rsa.PublicKey:
		if header["alg"] != "RS256" {
			t.Fatalf("alg %v, want RS256", header["alg"])
		}
		if err := rsa.VerifyPKCS1v15(k, crypto.SHA256, digest[:], sig); err != nil {
			t.Fatalf("RS256 signature: %v", err)
		}
	case *ecdsa.PublicKey:
		if header["alg"] != "ES256" {
			t.Fatalf("alg %v, want ES256", header["alg"])
		}
		if len(sig) != 64 {
			t.Fatalf("ES256 signature is %d bytes, want 64 (R||S)", len(sig))
		}
		r, s := new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])
		if !ecdsa.Verify(k, digest[:], r, s) {
			t.Fatal("ES256 signature does not verify")
		}
	default:
		t.Fatalf("key type %T", pub)
	}
	return header, claims
}

// unixClaim reads a NumericDate claim.
func unixClaim(t *testing.T, claims map[string]any, name string) int64 {
	t.Helper()
	f, ok := claims[name].(float64)
	if !ok {
		t.Fatalf("claim %s = %v, want a number", name, claims[name])
	}
	return int64(f)
}

// checkRefused checks the Refused event of a push that ended: one for key
// and ep with want, or none when want is NotRefused.
func checkRefused(t *testing.T, d *Dispatcher, key string, ep Endpoint, want Refusal) {
	t.Helper()
	select {
	case ev := <-d.Refused():
		if want == NotRefused {
			t.Errorf("unexpected refused event %+v", ev)
			return
		}
		if ev.Key != key || ev.Endpoint != ep || ev.Refusal != want || RefusalOf(ev.Err) != want {
			t.Errorf("refused event %+v, want %s", ev, want)
		}
	default:
		if want != NotRefused {
			t.Errorf("no refused event, want %s", want)
		}
	}
}

const apnsToken = "4f6e1c0b9a8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f"

// testResolver is a DNS resolver answering from records (fully qualified
// names) over in-memory connections: the Go resolver's queries never reach
// a network. Names it does not know do not exist.
func testResolver(t *testing.T, records map[string]netip.Addr) *net.Resolver {
	var wg sync.WaitGroup
	t.Cleanup(wg.Wait)
	return &net.Resolver{PreferGo: true, Dial: func(context.Context, string, string) (net.Conn, error) {
		client, server := net.Pipe()
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer server.Close()
			serveDNS(server, records)
		}()
		return client, nil
	}}
}

// serveDNS answers length-prefixed DNS queries on c (the Go resolver
// speaks DNS over TCP to a connection that is not a net.PacketConn) until
// c closes.
func serveDNS(c net.Conn, records map[string]netip.Addr) {
	for {
		var l [2]byte
		if _, err := io.ReadFull(c, l[:]); err != nil {
			return
		}
		q := make([]byte, binary.BigEndian.Uint16(l[:]))
		if _, err := io.ReadFull(c, q); err != nil {
			return
		}
		var p dnsmessage.Parser
		h, err := p.Start(q)
		if err != nil {
			return
		}
		qs, err := p.AllQuestions()
		if err != nil || len(qs) != 1 {
			return
		}
		addr, known := records[qs[0].Name.String()]
		rh := dnsmessage.Header{ID: h.ID, Response: true, Authoritative: true, RecursionDesired: h.RecursionDesired, RecursionAvailable: true}
		if !known {
			rh.RCode = dnsmessage.RCodeNameError
		}
		b := dnsmessage.NewBuilder(make([]byte, 2, 512), rh)
		if b.StartQuestions() != nil || b.Question(qs[0]) != nil || b.StartAnswers() != nil {
			return
		}
		res := dnsmessage.ResourceHeader{Name: qs[0].Name, Class: dnsmessage.ClassINET, TTL: 60}
		switch {
		case known && qs[0].Type == dnsmessage.TypeA && addr.Is4():
			err = b.AResource(res, dnsmessage.AResource{A: addr.As4()})
		case known && qs[0].Type == dnsmessage.TypeAAAA && addr.Is6():
			err = b.AAAAResource(res, dnsmessage.AAAAResource{AAAA: addr.As16()})
		}
		msg, ferr := b.Finish()
		if err != nil || ferr != nil {
			return
		}
		binary.BigEndian.PutUint16(msg, uint16(len(msg)-2))
		if _, err := c.Write(msg); err != nil {
			return
		}
	}
}
