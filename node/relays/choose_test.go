package relays

import (
	"slices"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
)

func TestChooseMailboxRelays(t *testing.T) {
	ms := time.Millisecond
	c := func(id string, lat time.Duration, region string) relayCandidate {
		return relayCandidate{id: peer.ID(id), latency: lat, region: region}
	}
	down := func(rc relayCandidate) relayCandidate { rc.down = true; return rc }
	chosen := func(rc relayCandidate) relayCandidate { rc.chosen = true; return rc }
	for _, tc := range []struct {
		name  string
		cands []relayCandidate
		k     int
		want  []string
	}{
		{"fastest first", []relayCandidate{c("a", 30*ms, ""), c("b", 10*ms, ""), c("c", 20*ms, "")}, 2, []string{"b", "c"}},
		{"unmeasured after measured, in order given", []relayCandidate{c("a", 0, ""), c("b", 0, ""), c("c", 50*ms, "")}, 2, []string{"c", "a"}},
		{"down last", []relayCandidate{down(c("a", 1*ms, "")), c("b", 40*ms, ""), c("c", 0, "")}, 3, []string{"b", "c", "a"}},
		{"down only when nothing better", []relayCandidate{down(c("a", 1*ms, "")), c("b", 40*ms, "")}, 2, []string{"b", "a"}},
		{"one per region first", []relayCandidate{c("eu1", 10*ms, "eu"), c("eu2", 12*ms, "eu"), c("us", 80*ms, "us")}, 2, []string{"eu1", "us"}},
		{"then the fastest of the rest", []relayCandidate{c("eu1", 10*ms, "eu"), c("eu2", 12*ms, "eu"), c("us", 80*ms, "us")}, 3, []string{"eu1", "eu2", "us"}},
		{"unknown regions are not merged", []relayCandidate{c("x", 10*ms, ""), c("y", 12*ms, ""), c("us", 80*ms, "us")}, 2, []string{"x", "y"}},
		{"a chosen relay stays against a slightly faster one", []relayCandidate{chosen(c("a", 10*ms, "")), c("b", 9*ms, "")}, 1, []string{"a"}},
		{"but not against a clearly faster one", []relayCandidate{chosen(c("a", 10*ms, "")), c("b", 5*ms, "")}, 1, []string{"b"}},
		{"a chosen relay that went down is replaced", []relayCandidate{down(chosen(c("a", 1*ms, ""))), c("b", 50*ms, "")}, 1, []string{"b"}},
		{"fewer relays than k", []relayCandidate{c("a", 5*ms, "")}, 2, []string{"a"}},
		{"none", nil, 2, nil},
	} {
		got := chooseMailboxRelays(tc.cands, tc.k)
		var ids []string
		for _, id := range got {
			ids = append(ids, string(id))
		}
		if !slices.Equal(ids, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, ids, tc.want)
		}
	}
}
