package localapi

import (
	"net/http"
	"time"

	"github.com/pigeon-net/pigeon/node/relays"
)

// Status is the response of GET /v1/status: the node's place in the
// network and what it has not delivered yet (node.Status).
type Status struct {
	Info
	// Reachability is "public", "private" (behind NAT) or "unknown";
	// CircuitAddrs are the addresses through relays, published for peers.
	Reachability string            `json:"reachability"`
	CircuitAddrs []string          `json:"circuit_addrs"`
	Peers        int               `json:"peers"`
	DHT          DHTStatus         `json:"dht"`
	Bootstrap    []BootstrapStatus `json:"bootstrap"`
	Relays       []Relay           `json:"relays"`
	// Pending lists up to 100 outgoing messages not yet handed to their
	// recipient or one of its relays, oldest first; PendingTotal counts
	// them all.
	Pending      []PendingMessage `json:"pending"`
	PendingTotal int              `json:"pending_total"`
	// Disk is the free space on the disk holding the node's data.
	Disk DiskStatus `json:"disk"`
	// Warnings are problems to act on, one sentence each.
	Warnings []string `json:"warnings"`
}

// DiskStatus is the free space on the fullest disk holding the node's
// data, in bytes, and what the node keeps free: below min_free it refuses
// new messages, sends and downloads (full) until there is room.
type DiskStatus struct {
	Free    uint64 `json:"free"`
	MinFree uint64 `json:"min_free"`
	Full    bool   `json:"full"`
}

// DHTStatus is the node's part in the DHT.
type DHTStatus struct {
	Mode         string `json:"mode"` // "server" or "client"
	RoutingTable int    `json:"routing_table"`
}

// BootstrapStatus is one bootstrap peer the daemon was started with.
type BootstrapStatus struct {
	Addr      string `json:"addr"`
	PeerID    string `json:"peer_id"`
	Connected bool   `json:"connected"`
	LastError string `json:"last_error,omitempty"`
}

// PendingMessage is an outgoing message still pending, and why.
type PendingMessage struct {
	ID        string    `json:"id"`
	To        string    `json:"to"`
	ToName    string    `json:"to_name,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	Pending   Pending   `json:"pending"`
}

func (s *Server) handleStatus(w http.ResponseWriter, r *http.Request) {
	st, err := s.node.Status(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	nm := s.loadNames(r.Context())
	out := Status{
		Info:         infoJSON(st.Info),
		Reachability: st.Reachability,
		CircuitAddrs: make([]string, 0, len(st.CircuitAddrs)),
		Peers:        st.Peers,
		DHT:          DHTStatus{Mode: st.DHT.Mode, RoutingTable: st.DHT.RoutingTable},
		Bootstrap:    make([]BootstrapStatus, 0, len(st.Bootstrap)),
		Relays:       relaysJSON(st.Relays),
		Pending:      make([]PendingMessage, 0, len(st.Pending)),
		PendingTotal: st.PendingTotal,
		Disk:         DiskStatus{Free: st.Disk.Free, MinFree: st.Disk.MinFree, Full: st.Disk.Full},
		Warnings:     append([]string{}, st.Warnings...),
	}
	for _, a := range st.CircuitAddrs {
		out.CircuitAddrs = append(out.CircuitAddrs, a.String())
	}
	for _, b := range st.Bootstrap {
		out.Bootstrap = append(out.Bootstrap, BootstrapStatus{Addr: b.Addr, PeerID: b.PeerID.String(), Connected: b.Connected, LastError: b.LastError})
	}
	for _, p := range st.Pending {
		out.Pending = append(out.Pending, PendingMessage{ID: p.ID.String(), To: p.To.String(), ToName: nm.account(p.To.String()),
			CreatedAt: utc(p.CreatedAt), Pending: *pendingJSON(p.Reason)})
	}
	writeJSON(w, http.StatusOK, out)
}

// relaysJSON converts the node's relays.
func relaysJSON(rs []relays.Status) []Relay {
	out := make([]Relay, len(rs))
	for i, st := range rs {
		out[i] = Relay{Addr: st.Addr, PeerID: st.PeerID, Reserved: st.Reserved, LastError: st.LastError,
			LatencyMS: float64(st.Latency.Microseconds()) / 1000, Region: st.Region, Mailbox: st.Mailbox, Closing: st.Closing}
		p := relayPush("", "", st.Push)
		out[i].Push, out[i].PushRefusal, out[i].PushReason = p.State, p.Refusal, p.Reason
		if st.Reserved {
			out[i].Expires = rfc3339(st.Expires)
		}
	}
	return out
}
