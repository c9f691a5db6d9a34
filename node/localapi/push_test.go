package localapi

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/relay"
	"github.com/pigeon-net/pigeon/node/relay/push"
)

// TestPushStatusEndpoint: GET /v1/push and GET /v1/relays show what the
// relay did with the endpoint: a relay that does not allow private
// networks refuses a LAN endpoint, and says why.
func TestPushStatusEndpoint(t *testing.T) {
	r, err := relay.New(relay.WithListenAddrs("/ip4/127.0.0.1/tcp/0"), relay.WithPush(push.Config{}))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := r.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	n, err := node.New(node.WithInMemory(), node.WithListenAddrs("/ip4/127.0.0.1/tcp/0"), node.WithRelays(r.Addrs()[0].String()))
	if err != nil {
		t.Fatal(err)
	}
	if err := n.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	s := startServer(t, n)

	var st PushStatus
	call(t, s, "GET", "/v1/push", nil, &st)
	if st.Endpoint != nil || len(st.Relays) != 1 || st.Relays[0].State != "off" {
		t.Fatalf("push off: %+v", st)
	}
	body := `{"kind": "unifiedpush", "url": "http://192.168.1.5:2586/upSecret"}`
	if r := do(t, "PUT", s.url+"/v1/push", testToken, strings.NewReader(body)); r.status != http.StatusNoContent {
		t.Fatalf("PUT /v1/push: %d %s", r.status, r.body)
	}
	poll(t, "the relay's refusal", func() bool {
		call(t, s, "GET", "/v1/push", nil, &st)
		return len(st.Relays) == 1 && st.Relays[0].State == "refused"
	})
	want := RelayPush{Addr: r.Addrs()[0].String(), PeerID: r.Host().ID().String(), State: "refused",
		Refusal: "private_address", Reason: "private address not allowed", At: st.Relays[0].At}
	if st.Relays[0] != want || st.Relays[0].At == "" {
		t.Errorf("relay push %+v, want %+v", st.Relays[0], want)
	}
	if st.Endpoint == nil || *st.Endpoint != (PushRequest{Kind: "unifiedpush", URL: "http://192.168.1.5:2586/upSecret"}) ||
		st.Described != "unifiedpush http://192.168.1.5:2586/…" {
		t.Errorf("endpoint %+v %q", st.Endpoint, st.Described)
	}
	var rs []Relay
	call(t, s, "GET", "/v1/relays", nil, &rs)
	if len(rs) != 1 || rs[0].Push != "refused" || rs[0].PushRefusal != "private_address" || rs[0].PushReason != "private address not allowed" {
		t.Errorf("relays %+v", rs)
	}
}
