package main

import (
	"flag"
	"fmt"
	"math"
	"strings"

	"github.com/pigeon-net/pigeon/node/localapi"
)

// cmdStatus shows the node's place in the network and its pending
// messages with why each waits.
func cmdStatus(a *app, _ *flag.FlagSet, args []string) error {
	if err := wantArgs("status", args, 0, 0, ""); err != nil {
		return err
	}
	c, err := a.client()
	if err != nil {
		return err
	}
	var st localapi.Status
	if err := c.do(a.ctx, "GET", "/v1/status", nil, &st); err != nil {
		return err
	}
	if a.json {
		return a.printJSON(st)
	}
	w := a.table()
	fmt.Fprintf(w, "account\t%s (device %d)\n", st.Account, st.Device)
	fmt.Fprintf(w, "peer ID\t%s\n", st.PeerID)
	reach := st.Reachability
	switch {
	case len(st.CircuitAddrs) > 0:
		reach += fmt.Sprintf("; reachable through %d relay address(es)", len(st.CircuitAddrs))
	case st.Reachability == "private":
		reach += "; no relay reservation: peers cannot reach this node (add a relay)"
	}
	fmt.Fprintf(w, "reachability\t%s\n", reach)
	fmt.Fprintf(w, "peers\t%d connected\n", st.Peers)
	fmt.Fprintf(w, "DHT\t%s, %d peers in the routing table\n", st.DHT.Mode, st.DHT.RoutingTable)
	for _, b := range st.Bootstrap {
		state := "connected"
		if !b.Connected {
			state = "not connected"
			if b.LastError != "" {
				state = "unreachable: " + clean(b.LastError)
			}
		}
		fmt.Fprintf(w, "bootstrap\t%s\t%s\n", b.Addr, state)
	}
	for _, r := range st.Relays {
		fmt.Fprintf(w, "relay\t%s\t%s\n", r.Addr, relayState(r))
	}
	switch {
	case st.PendingTotal == 0:
		fmt.Fprintf(w, "pending\tnone\n")
	case st.PendingTotal > len(st.Pending):
		fmt.Fprintf(w, "pending\t%d messages (the oldest %d below)\n", st.PendingTotal, len(st.Pending))
	default:
		fmt.Fprintf(w, "pending\t%d message(s)\n", st.PendingTotal)
	}
	for _, p := range st.Pending {
		why := clean(p.Pending.Reason)
		if !p.Pending.NextAttempt.IsZero() {
			why += "; " + nextTry(p.Pending.NextAttempt)
		}
		fmt.Fprintf(w, "\t%s to %s since %s: %s\n", p.ID, who(p.To, p.ToName), formatTime(p.CreatedAt), why)
	}
	if st.Disk.Free != math.MaxUint64 {
		fmt.Fprintf(w, "disk\t%d MiB free, %d MiB kept free\n", st.Disk.Free>>20, st.Disk.MinFree>>20)
	}
	for _, warn := range st.Warnings {
		fmt.Fprintf(w, "warning\t%s\n", clean(warn))
	}
	return w.Flush()
}

// relayState is a relay's reservation and mailbox state in words.
func relayState(r localapi.Relay) string {
	var parts []string
	switch {
	case r.Closing:
		parts = append(parts, "removed, closing its mailbox")
	case r.Reserved:
		parts = append(parts, "reserved")
	default:
		parts = append(parts, "no reservation")
	}
	if r.Mailbox {
		parts = append(parts, "mailbox")
	}
	if r.LatencyMS > 0 {
		parts = append(parts, fmt.Sprintf("%.2f ms", r.LatencyMS))
	}
	if r.Region != "" {
		parts = append(parts, clean(r.Region))
	}
	switch r.Push {
	case "refused":
		parts = append(parts, "push refused: "+clean(r.PushReason))
	case "accepted", "pending", "unknown":
		parts = append(parts, "push "+r.Push)
	}
	s := strings.Join(parts, ", ")
	if r.LastError != "" && (!r.Reserved || r.Closing) {
		s += ": " + clean(r.LastError)
	}
	return s
}
