package localapi

import (
	"net/http"

	"github.com/pigeon-net/pigeon/node/relays"
)

// PushStatus is the response of GET /v1/push: this device's push endpoint
// and what each of its relays did with it when the device last registered
// there.
type PushStatus struct {
	// Endpoint is the endpoint as set with PUT /v1/push; null when push is
	// off. Its URL or token is a secret: whoever knows it can push.
	Endpoint *PushRequest `json:"endpoint"`
	// Described is the endpoint without its secrets (a URL's scheme and
	// host, a token's length), for showing; empty when push is off.
	Described string      `json:"described,omitempty"`
	Relays    []RelayPush `json:"relays"`
}

// RelayPush is what one relay did with the push endpoint.
type RelayPush struct {
	Addr   string `json:"addr"`
	PeerID string `json:"peer_id"`
	// State is "off" (no endpoint set), "pending" (not registered with
	// the relay since it was set), "accepted", "refused", or "unknown"
	// (the relay registered the device without saying: an older relay).
	State string `json:"state"`
	// Refusal is why the relay refused it, for programs: "disabled" (the
	// relay does not push), "no_gateway" (no credentials for this kind),
	// "invalid", "plain_http", "loopback", "private_address", "gone" (the
	// push service says the endpoint no longer exists) or "rejected" (the
	// push service refused it).
	Refusal string `json:"refusal,omitempty"`
	// Reason is the refusal for people, e.g. "private address not allowed".
	Reason string `json:"reason,omitempty"`
	// At is when the relay said so (RFC 3339).
	At string `json:"at,omitempty"`
}

func relayPush(addr, peer string, p relays.Push) RelayPush {
	out := RelayPush{Addr: addr, PeerID: peer, State: p.State.String()}
	if p.State == relays.PushRefused {
		out.Refusal, out.Reason = p.Refusal.Code(), p.Refusal.String()
	}
	if !p.At.IsZero() {
		out.At = rfc3339(p.At)
	}
	return out
}

func (s *Server) handlePushStatus(w http.ResponseWriter, r *http.Request) {
	st, err := s.node.Relays().PushStatus(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := PushStatus{Relays: make([]RelayPush, len(st.Relays))}
	if ep := st.Endpoint; ep.Kind != 0 {
		out.Endpoint = &PushRequest{Kind: ep.Kind.String(), URL: ep.URL, Token: ep.Token, Topic: ep.Topic, Sandbox: ep.Sandbox}
		out.Described = ep.Redacted()
	}
	for i, rp := range st.Relays {
		out.Relays[i] = relayPush(rp.Addr, rp.PeerID, rp.Push)
	}
	writeJSON(w, http.StatusOK, out)
}
