package relay_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/nodetest"
	"github.com/pigeon-net/pigeon/node/relay"
	"github.com/pigeon-net/pigeon/node/relay/push"
	"github.com/pigeon-net/pigeon/node/relays"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/mailbox"
)

// lockedBuffer collects a logger's output.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// pushOf returns what the node's status says about relay r's push.
func pushOf(t *testing.T, n *node.Node, r *relay.Relay) relays.Push {
	t.Helper()
	st, err := n.Relays().PushStatus(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, rs := range st.Relays {
		if rs.PeerID == r.Host().ID().String() {
			return rs.Push
		}
	}
	return relays.Push{}
}

// TestPushRefusalReachesDevice: a relay that does not push to a device's
// endpoint says so when the device registers, and why; it logs the
// refusal at warn without the endpoint's secret path, and does not keep
// the endpoint. A relay whose operator allows the LAN accepts the same
// endpoint; one without push refuses it as disabled.
func TestPushRefusalReachesDevice(t *testing.T) {
	var logs lockedBuffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	strict := startRelayAt(t, t.TempDir(), relay.WithPush(push.Config{}), relay.WithLogger(logger))
	lan := startRelayAt(t, t.TempDir(), relay.WithPush(push.Config{AllowPrivate: push.PrivateNetworks()}))
	off := startRelayAt(t, t.TempDir())
	ctx := context.Background()

	b := startNode(t, node.WithListenAddrs("/ip4/127.0.0.1/tcp/0"), node.WithRelays(strict.Addrs()[0].String()))
	if got := pushOf(t, b, strict); got.State != relays.PushOff {
		t.Fatalf("before an endpoint is set: %+v", got)
	}
	ep := push.Endpoint{Kind: push.UnifiedPush, URL: "http://192.168.1.5:2586/upSecretTopic?up=1"}
	if err := b.Relays().SetPush(ctx, ep); err != nil {
		t.Fatalf("a device accepts a LAN endpoint (its relays decide): %v", err)
	}
	nodetest.Eventually(t, 30*time.Second, func() bool {
		p := pushOf(t, b, strict)
		return p.State == relays.PushRefused && p.Refusal == push.RefusedPrivate && !p.At.IsZero()
	}, "the strict relay's refusal reaches the device")
	rs, err := b.Relays().List(ctx)
	if err != nil || len(rs) != 1 || rs[0].Push.State != relays.PushRefused || rs[0].Push.Refusal != push.RefusedPrivate {
		t.Fatalf("Relays: %+v %v", rs, err)
	}
	st, _ := b.Relays().PushStatus(ctx)
	if st.Endpoint != ep {
		t.Errorf("PushStatus endpoint %v, want the one set", st.Endpoint)
	}
	box := mailbox.Box{Account: identity.AccountID(b.Info().Account), Device: b.Info().Device}
	if reg, err := relay.Registration(strict, box); err != nil || reg.Push != nil {
		t.Errorf("the strict relay keeps a refused endpoint: %+v %v", reg, err)
	}
	nodetest.Eventually(t, 10*time.Second, func() bool {
		return strings.Contains(logs.String(), `"msg":"push endpoint refused"`)
	}, "the refusal is logged")
	for line := range strings.SplitSeq(logs.String(), "\n") {
		if strings.Contains(line, "push endpoint refused") {
			for _, want := range []string{`"level":"WARN"`, `"reason":"private address not allowed"`, `"endpoint":"unifiedpush http://192.168.1.5:2586/…"`} {
				if !strings.Contains(line, want) {
					t.Errorf("log line %s lacks %s", line, want)
				}
			}
		}
	}
	if strings.Contains(logs.String(), "SecretTopic") {
		t.Errorf("the relay logged the endpoint's secret path:\n%s", logs.String())
	}

	// The operator of another relay allows the LAN; a third runs no push.
	if err := b.Relays().Add(ctx, lan.Addrs()[0].String(), ""); err != nil {
		t.Fatal(err)
	}
	if err := b.Relays().Add(ctx, off.Addrs()[0].String(), ""); err != nil {
		t.Fatal(err)
	}
	nodetest.Eventually(t, 30*time.Second, func() bool {
		return pushOf(t, b, lan).State == relays.PushAccepted
	}, "the LAN relay accepts the endpoint")
	nodetest.Eventually(t, 30*time.Second, func() bool {
		p := pushOf(t, b, off)
		return p.State == relays.PushRefused && p.Refusal == push.RefusedDisabled
	}, "the relay without push says so")
	if reg, err := relay.Registration(lan, box); err != nil || reg.Push == nil {
		t.Errorf("the LAN relay does not keep the endpoint: %+v %v", reg, err)
	}
	if p := pushOf(t, b, strict); p.State != relays.PushRefused {
		t.Errorf("strict relay: %+v", p)
	}

	// Push off: nothing to say.
	if err := b.Relays().SetPush(ctx, push.Endpoint{}); err != nil {
		t.Fatal(err)
	}
	if p := pushOf(t, b, lan); p.State != relays.PushOff {
		t.Errorf("after push off: %+v", p)
	}
}
